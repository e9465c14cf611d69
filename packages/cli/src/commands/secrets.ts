import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { stringFlag } from '../_args.js'
import type { CommandContext } from '../_commands.js'
import { CliError, EXIT, ioError } from '../_errors.js'
import { KUBERNETES_SECRET_FILE, writeKubernetesSecret } from '../_kubernetes-secret.js'
import { ensureSecretsReported } from '../_secrets-folder.js'
import { loadSpecArg, resolvePath } from '../_spec.js'

/** `messenger-stack secrets [dir] [--spec FILE]`: generate missing secrets, refresh derived files. */
export async function run(context: CommandContext): Promise<number> {
  const { args, report } = context
  const dirArg = args.positionals[0] ?? 'secrets'
  const dir = resolvePath(context, dirArg)
  let specArg = stringFlag(args, 'spec')
  if (specArg === undefined) {
    const beside = join(dirname(dir), 'deployment.yaml')
    if (
      await access(beside).then(
        () => true,
        () => false,
      )
    ) {
      specArg = beside
      report.log(`Using the spec next to the folder: ${beside}`)
    }
  }
  const spec = specArg === undefined ? undefined : await loadSpecArg(context, specArg)
  if (specArg !== undefined && spec === undefined) {
    report.finish(false)
    return EXIT.invalid
  }
  const kubernetes = args.flags['kubernetes'] === true
  if (kubernetes && spec === undefined) throw new CliError(EXIT.usage, '`secrets --kubernetes` needs the spec: pass --spec FILE.')
  const ok = await ensureSecretsReported(context, dir, dirArg, spec)
  if (ok && kubernetes && spec !== undefined) {
    try {
      const uid = context.io.getuid()
      const written = await writeKubernetesSecret(dir, spec, uid === 0 ? spec.containerUser : undefined)
      report.out(
        `  ${report.paint('green', 'written'.padEnd(11))} ${dirArg}/${KUBERNETES_SECRET_FILE} (${written.names.length} files; never commit it)`,
      )
    } catch (error) {
      throw ioError(`Cannot write ${dirArg}/${KUBERNETES_SECRET_FILE}`, error)
    }
  }
  if (ok) report.out(`${report.paint('green', '✔')} ${dirArg} is complete; no existing secret was changed.`)
  report.finish(ok)
  return ok ? EXIT.ok : EXIT.invalid
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
