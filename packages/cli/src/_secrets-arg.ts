import { isSpecError, type Secrets } from '@messenger-stack/config-schema'
import { loadSecrets } from '@messenger-stack/config-schema/node'
import type { CommandContext } from './_commands.js'
import { CliError, EXIT, ioError } from './_errors.js'
import { resolvePath } from './_spec.js'

/**
 * Loads the secrets folder named by a flag and registers every value with the redactor.
 * Missing folder or unreadable: I/O error (exit 2). Missing or invalid secret: its issues
 * (never the value) are recorded and printed, and undefined is returned (exit 1).
 */
export async function loadSecretsArg(context: CommandContext, dir: string): Promise<Secrets | undefined> {
  const full = resolvePath(context, dir)
  try {
    const secrets = await loadSecrets(full, dir)
    context.report.redact(Object.values(secrets).filter((value): value is string => value !== undefined))
    return secrets
  } catch (error) {
    if (isSpecError(error)) {
      const issues = error.issues.map((issue) => ({ ...issue, file: dir }))
      context.report.issues.push(...issues)
      context.report.log(await context.deps.formatIssues(issues, { color: context.report.color }))
      return undefined
    }
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      throw new CliError(
        EXIT.usage,
        `The secrets folder ${dir} does not exist. Create it with \`messenger-stack secrets ${dir} --spec <spec>\`; nothing was written.`,
      )
    }
    throw ioError(`Cannot read the secrets folder ${dir}`, error)
  }
}
