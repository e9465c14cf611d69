import { resolve } from 'node:path'
import type { DeploymentSpec } from '@messenger-stack/config-schema'
import type { CommandContext } from './_commands.js'
import { ioError } from './_errors.js'

/** Resolves a path argument against the CLI's working folder. */
export function resolvePath(context: CommandContext, path: string): string {
  return resolve(context.io.cwd, path)
}

/**
 * Loads and validates the spec named on the command line; prints its warnings (legal but
 * likely wrong settings) on stderr and records them for `--json`. Invalid: prints every issue
 * (file:line:col) on stderr, records them for `--json` and returns undefined (the command
 * exits 1). Unreadable: throws an I/O error (exit 2).
 */
export async function loadSpecArg(context: CommandContext, file: string): Promise<DeploymentSpec | undefined> {
  const { deps, report } = context
  const full = resolvePath(context, file)
  let result
  try {
    result = await deps.loadSpec(full)
  } catch (error) {
    throw ioError(`Cannot read the spec ${file}`, error)
  }
  if (result.success) {
    if (result.warnings.length > 0) {
      const warnings = result.warnings.map((issue) => ({ ...issue, file: issue.file === full ? file : issue.file }))
      report.warnings.push(...warnings)
      report.log(await deps.formatIssues(warnings, { color: report.color, severity: 'warning' }))
    }
    return result.spec
  }
  const issues = result.issues.map((issue) => ({ ...issue, file: issue.file === full ? file : issue.file }))
  report.issues.push(...issues)
  report.log(await deps.formatIssues(issues, { color: report.color }))
  report.log(`${report.paint('red', '✖')} ${file} has ${issues.length} problem${issues.length === 1 ? '' : 's'}; nothing was written.`)
  return undefined
}
