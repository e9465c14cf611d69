import { stat } from 'node:fs/promises'
import { relative, sep } from 'node:path'
import type { DeploymentSpec, RenderedFile, Secrets } from '@messenger-stack/config-schema'
import { assertSafePath, type PlannedFile } from './_bundle.js'
import type { CommandContext } from './_commands.js'
import { CliError, EXIT, ioError, isCliError } from './_errors.js'
import type { Reporter } from './_report.js'
import { redactSecretLines } from './_redact-secrets.js'
import { type DiffOptions, unifiedDiff } from './unified-diff.js'

/** Refuses an `--out` that is a file (or below one). A missing folder is fine. */
export async function requireOutFolder(out: string, outArg: string): Promise<void> {
  try {
    const info = await stat(out)
    if (!info.isDirectory()) throw new CliError(EXIT.usage, `--out ${outArg} is a file, not a folder; nothing was written.`)
  } catch (error) {
    if (isCliError(error)) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return
    throw ioError(`--out ${outArg} cannot be used; nothing was written`, error)
  }
}

/** How DEPLOY.md names the spec (renderers' `RenderOptions`). */
export interface DeployDocPaths {
  readonly specPath?: string
}

/**
 * The spec as DEPLOY.md's commands name it: relative to the bundle folder, where they run
 * (`deployment.yaml` after `init deploy`), so it is the same whichever folder render or
 * check ran in. A path that cannot be printed on one line keeps the renderer's default.
 */
export function deployDocPaths(specFile: string, outFolder: string): DeployDocPaths {
  const specPath = relative(outFolder, specFile).split(sep).join('/')
  return /^[^\p{Cc}`]{1,1000}$/u.test(specPath) ? { specPath } : {} // as RenderOptions requires
}

/**
 * Renders the bundle with the injected renderer, refusing unsafe paths, duplicates and,
 * when the secrets are known, any file that contains a secret value (naming the secret,
 * never quoting it).
 */
export async function renderBundle(
  context: CommandContext,
  spec: DeploymentSpec,
  secrets: Secrets | undefined,
  paths: DeployDocPaths = {},
): Promise<readonly RenderedFile[]> {
  const files = await context.deps.renderAll(spec, paths)
  const seen = new Set<string>()
  for (const file of files) {
    assertSafePath(file.path)
    if (seen.has(file.path))
      throw new CliError(EXIT.usage, `The renderer produced ${file.path} twice; nothing was written. This is a bug in messenger-stack.`)
    seen.add(file.path)
    if (secrets === undefined) continue
    for (const [name, value] of Object.entries(secrets)) {
      const needle = name === 'synapseSigningKey' ? value.split(' ')[2]! : value
      if (file.content.includes(needle)) {
        throw new CliError(
          EXIT.invalid,
          `${file.path} would contain the value of the secret ${name}; nothing was written. Secrets belong in the secrets folder only.`,
        )
      }
    }
  }
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** Colours a unified diff for a terminal. */
export function paintDiff(report: Reporter, diff: string): string {
  if (!report.color) return diff
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? report.paint('bold', line)
        : line.startsWith('+')
          ? report.paint('green', line)
          : line.startsWith('-')
            ? report.paint('red', line)
            : line.startsWith('@@')
              ? report.paint('cyan', line)
              : line,
    )
    .join('\n')
}

/**
 * The unified diff of two versions of a bundle file, with every line that looks like a secret
 * assignment redacted on both sides (see {@link redactSecretLines}): a hand-edited file may
 * hold a secret messenger-stack never saw, so the redactor of known values cannot catch it.
 */
export function redactedDiff(before: string, after: string, labels: DiffOptions): string {
  const a = redactSecretLines(before)
  const b = redactSecretLines(after)
  if (a === b && before !== after) {
    return `--- ${labels.from}\n+++ ${labels.to}\n(differs only in lines that look like secrets; they are not shown)\n`
  }
  return unifiedDiff(a, b, labels)
}

/** Lists hand-edited files and shows each one's diff (on disk → rendered) on stderr. */
export function printEditedFiles(context: CommandContext, edited: readonly PlannedFile[]): void {
  const { report } = context
  report.log(
    `${report.paint('red', '✖')} ${edited.length} file${edited.length === 1 ? ' was' : 's were'} changed by hand since messenger-stack wrote ${edited.length === 1 ? 'it' : 'them'}; nothing was written:`,
  )
  for (const file of edited) report.log(`  ${file.path}`)
  for (const file of edited) {
    const diff = redactedDiff(file.onDisk ?? '', file.content, { from: `a/${file.path} (on disk)`, to: `b/${file.path} (rendered)` })
    report.log(paintDiff(report, diff).replace(/\n$/, ''))
  }
  report.log(
    'Move the change into the spec (or its extraConfig), then render again; or run again with --force to overwrite the files above.',
  )
}
