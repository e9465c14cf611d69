import { join } from 'node:path'
import { stringFlag } from '../_args.js'
import { preflightFolders, planBundle, type BundleFile, type PlannedFile } from '../_bundle.js'
import type { CommandContext } from '../_commands.js'
import { CliError, EXIT, ioError } from '../_errors.js'
import { loadSecretsArg } from '../_secrets-arg.js'
import { loadSpecArg, resolvePath } from '../_spec.js'
import { manifestContent, MANIFEST_PATH, readManifest, type ManifestEntry } from '../manifest.js'
import { printEditedFiles, renderBundle, requireOutFolder } from '../_bundle-command.js'
import { ensureSecretsFolder, type DeploymentSpec, type Secrets } from '@messenger-stack/config-schema'
import { OutTree } from '../_out-tree.js'

const DONE: Record<PlannedFile['status'], string> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  mode: 'mode-fixed',
  edited: 'overwritten',
}

/** Test-only crash injection: honoured only under vitest, so an operator's stray variable does nothing. */
function failAfter(context: CommandContext): number | undefined {
  const value = context.io.env['MESSENGER_STACK_TEST_FAIL_AFTER']
  if (value === undefined || (context.io.env['VITEST'] ?? '') === '') return undefined
  return Number.parseInt(value, 10)
}

/** `messenger-stack render <spec> --out DIR`: validate, render, write atomically, manifest last. */
export async function run(context: CommandContext): Promise<number> {
  const { args, report } = context
  const specFile = args.positionals[0]!
  const outArg = stringFlag(args, 'out')
  if (outArg === undefined) throw new CliError(EXIT.usage, '`render` needs --out DIR: the folder to write the bundle into.')
  const out = resolvePath(context, outArg)
  await requireOutFolder(out, outArg)
  const force = args.flags['force'] === true
  const dryRun = args.flags['dry-run'] === true

  const spec = await loadSpecArg(context, specFile)
  if (spec === undefined) return finish(context, false, EXIT.invalid)
  const secretsArg = stringFlag(args, 'secrets')
  const secrets = secretsArg === undefined ? undefined : await loadSecretsArg(context, secretsArg)
  if (secretsArg !== undefined && secrets === undefined) {
    report.log(`${report.paint('red', '✖')} The secrets folder ${secretsArg} is incomplete or invalid; nothing was written.`)
    return finish(context, false, EXIT.invalid)
  }

  report.progress(`rendering ${specFile}`)
  const files = await renderBundle(context, spec, secrets)
  const tree = await OutTree.open(out, { create: false })
  try {
    return await writeBundle(context, { spec, specFile, out, outArg, force, dryRun, secrets, secretsArg }, files, tree)
  } finally {
    await tree.close()
  }
}

interface RenderRequest {
  readonly spec: DeploymentSpec
  readonly specFile: string
  readonly out: string
  readonly outArg: string
  readonly force: boolean
  readonly dryRun: boolean
  readonly secrets: Secrets | undefined
  readonly secretsArg: string | undefined
}

/** Plans and writes the bundle into the open output folder; the manifest last. */
async function writeBundle(context: CommandContext, request: RenderRequest, files: readonly BundleFile[], tree: OutTree): Promise<number> {
  const { report, deps } = context
  const { spec, specFile, out, outArg, force, dryRun, secrets, secretsArg } = request
  const manifest = await readManifest(tree)
  const plan = await planBundle(tree, files, manifest)
  const edited = plan.files.filter((f) => f.status === 'edited')

  if ((edited.length > 0 && !force) || dryRun) {
    for (const file of plan.files) report.file({ path: file.path, sha256: file.sha256, status: file.status })
    for (const file of plan.stale) report.file({ path: file.path, sha256: file.sha256, status: 'stale' })
    if (edited.length > 0 && !force) {
      printEditedFiles(context, edited)
      return finish(context, false, EXIT.invalid)
    }
    for (const file of plan.files)
      if (file.status !== 'unchanged') report.out(`  would ${file.status === 'edited' ? 'overwrite' : file.status}  ${file.path}`)
    report.out(
      `Dry run: ${plan.files.filter((f) => f.status !== 'unchanged').length} of ${plan.files.length} files would change; nothing was written.`,
    )
    return finish(context, true, EXIT.ok)
  }

  const toWrite = plan.files.filter((f) => f.status !== 'unchanged')
  await preflightFolders(out, [...plan.files.map((f) => f.path), MANIFEST_PATH])
  if (toWrite.length > 0) report.progress(`writing ${toWrite.length} file${toWrite.length === 1 ? '' : 's'} into ${outArg}`)
  const crashAfter = failAfter(context)
  let count = 0
  for (const file of toWrite) {
    const target = join(out, file.path)
    try {
      await tree.write(file.path, file.content, file.mode)
    } catch (error) {
      throw ioError(`Cannot write ${target} (${count} of ${toWrite.length} files written, each complete; run render again)`, error)
    }
    count++
    await deps.afterFileWritten?.(file.path, count)
    if (crashAfter !== undefined && count >= crashAfter) {
      throw new CliError(EXIT.usage, `Simulated failure after ${count} files (MESSENGER_STACK_TEST_FAIL_AFTER).`)
    }
  }
  const entries: ManifestEntry[] = [
    ...plan.files.map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode })),
    ...plan.stale.map((f) => ({ path: f.path, sha256: f.sha256, mode: f.mode })),
  ]
  const manifestPath = join(out, MANIFEST_PATH)
  try {
    await tree.write(MANIFEST_PATH, manifestContent(entries), 0o644)
  } catch (error) {
    throw ioError(`Cannot write ${manifestPath}`, error)
  }

  for (const file of plan.files) {
    report.file({ path: file.path, sha256: file.sha256, status: DONE[file.status] })
    if (file.status !== 'unchanged')
      report.out(`  ${report.paint(file.status === 'edited' ? 'yellow' : 'green', DONE[file.status].padEnd(11))} ${file.path}`)
  }
  for (const file of plan.stale) {
    report.file({ path: file.path, sha256: file.sha256, status: 'stale' })
    report.warn(`${file.path} is no longer rendered by this spec; it was left in place. Delete it if nothing uses it.`)
  }

  if (secrets !== undefined && secretsArg !== undefined) {
    const uid = context.io.getuid()
    try {
      const result = await ensureSecretsFolder(resolvePath(context, secretsArg), {
        spec,
        ...(uid === 0 ? { owner: spec.containerUser } : {}),
      })
      const refreshed = result.files.filter((f) => f.status === 'refreshed').map((f) => f.name)
      if (refreshed.length > 0) report.out(`  refreshed   ${refreshed.map((name) => `${secretsArg}/${name}`).join(', ')}`)
    } catch (error) {
      throw ioError(`Cannot refresh the derived files in ${secretsArg}`, error)
    }
  }
  const changed = toWrite.length
  report.out(
    `${report.paint('green', '✔')} ${changed === 0 ? 'Nothing to do: ' : ''}${plan.files.length} files in ${outArg} match ${specFile}${changed === 0 ? '.' : ` (${changed} written).`}`,
  )
  return finish(context, true, EXIT.ok)
}

function finish(context: CommandContext, ok: boolean, code: number): number {
  context.report.finish(ok)
  return code
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
