import type { CommandContext } from '../_commands.js'
import { EXIT } from '../_errors.js'
import { loadSpecArg } from '../_spec.js'

/** `messenger-stack validate <spec>`: exit 0 when valid, 1 with every issue otherwise. */
export async function run(context: CommandContext): Promise<number> {
  const file = context.args.positionals[0]!
  const spec = await loadSpecArg(context, file)
  if (spec === undefined) {
    context.report.finish(false)
    return EXIT.invalid
  }
  context.report.out(`${context.report.paint('green', '✔')} ${file} is valid (${spec.mode} mode, server name ${spec.serverName}).`)
  context.report.finish(true)
  return EXIT.ok
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
