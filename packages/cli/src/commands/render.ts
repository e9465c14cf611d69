import { stringFlag } from '../_args.js'
import { preflightFolders, planBundle, type PlannedFile } from '../_bundle.js'
import type { CommandContext } from '../_commands.js'
import { CliError, EXIT, ioError } from '../_errors.js'
import { loadSecretsArg } from '../_secrets-arg.js'
import { warnExposed } from '../_secrets-folder.js'
import { loadSpecArg, resolvePath } from '../_spec.js'
import { MANIFEST_PATH, readManifest } from '../manifest.js'
import { lockOutFolder, lockWaitMs } from '../_out-lock.js'
import { writePlannedFiles } from '../_write-bundle.js'
import { deployDocPaths, printEditedFiles, renderBundle, requireOutFolder } from '../_bundle-command.js'
import type { DeploymentSpec, RenderedFile, Secrets } from '@messenger-stack/config-schema'
import { ensureSecretsFolder } from '@messenger-stack/config-schema/node'
import { OutTree } from '../_out-tree.js'

const DONE: Record<PlannedFile['status'], string> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  mode: 'mode-fixed',
  edited: 'overwritten',
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
  const files = await renderBundle(context, spec, secrets, deployDocPaths(resolvePath(context, specFile), out))
  const tree = await OutTree.open(out, { create: false })
  try {
    // One render at a time per folder; a dry run only waits for a running one.
    if (!dryRun) await preflightFolders(out, [MANIFEST_PATH]) // the lock lives next to the manifest
    const release = await lockOutFolder(tree, outArg, report, { take: !dryRun, waitMs: lockWaitMs(context.io.env) })
    try {
      return await writeBundle(context, { spec, specFile, out, outArg, force, dryRun, secrets, secretsArg }, files, tree)
    } finally {
      await release()
    }
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
async function writeBundle(
  context: CommandContext,
  request: RenderRequest,
  files: readonly RenderedFile[],
  tree: OutTree,
): Promise<number> {
  const { report } = context
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

  await preflightFolders(out, [...plan.files.map((f) => f.path), MANIFEST_PATH])
  const changed = await writePlannedFiles(context, tree, plan, outArg)

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
      // A secret only some specs need (the worker replication secret) is born here the first time.
      const created = result.files.filter((f) => f.status === 'created').map((f) => f.name)
      if (created.length > 0) report.out(`  created     ${created.map((name) => `${secretsArg}/${name}`).join(', ')}`)
      const refreshed = result.files.filter((f) => f.status === 'refreshed').map((f) => f.name)
      if (refreshed.length > 0) report.out(`  refreshed   ${refreshed.map((name) => `${secretsArg}/${name}`).join(', ')}`)
      warnExposed(report, secretsArg, result.files)
      // Such as what to do with a generated SMTP password.
      for (const warning of result.warnings) report.warn(warning)
    } catch (error) {
      throw ioError(`Cannot refresh the derived files in ${secretsArg}`, error)
    }
  }
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
