import { access } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { stringFlag } from '../_args.js'
import type { CommandContext } from '../_commands.js'
import { EXIT } from '../_errors.js'
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
  const ok = await ensureSecretsReported(context, dir, dirArg, spec)
  if (ok) report.out(`${report.paint('green', '✔')} ${dirArg} is complete; no existing secret was changed.`)
  report.finish(ok)
  return ok ? EXIT.ok : EXIT.invalid
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
