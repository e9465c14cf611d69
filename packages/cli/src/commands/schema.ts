import type { CommandContext } from '../_commands.js'
import { EXIT } from '../_errors.js'

/** `messenger-stack schema`: prints the deployment spec's JSON Schema on stdout. */
export async function run(context: CommandContext): Promise<number> {
  const schema = await context.deps.jsonSchema()
  context.io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`)
  return EXIT.ok
}

/** The real dependencies, bundled with this command. */
export { defaultDeps } from '../_deps.js'
