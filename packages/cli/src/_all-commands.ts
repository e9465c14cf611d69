// The built CLI's one command bundle (dist/bin/commands.cjs, see tsup.config.ts): every command
// module in one file, so that what they share (zod, yaml, the renderers...) is installed once
// instead of once per command. The key is the file name in src/commands/.
import * as check from './commands/check.js'
import * as diff from './commands/diff.js'
import * as importEnv from './commands/import-env.js'
import * as init from './commands/init.js'
import * as registerUser from './commands/register-user.js'
import * as render from './commands/render.js'
import * as schema from './commands/schema.js'
import * as secrets from './commands/secrets.js'
import * as validate from './commands/validate.js'

/** Each command module by the name of its file. */
export const COMMAND_MODULES: Readonly<Record<string, unknown>> = {
  check,
  diff,
  'import-env': importEnv,
  init,
  'register-user': registerUser,
  render,
  schema,
  secrets,
  validate,
}
