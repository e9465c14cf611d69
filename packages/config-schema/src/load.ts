import type { DeploymentSpec } from './deployment/spec.js'
import { SpecError, type SpecIssue } from './errors/issue.js'
import { safeParseDeploymentSpec, type SpecParseResult } from './parse.js'
import { readJsonSource } from './_json-source.js'
import { locate, type PositionMap, type SourceReadResult } from './_source-positions.js'
import { readTomlSource } from './_toml-source.js'
import { plainYamlPositions, readPlainYaml } from './_yaml-fast.js'
import { readYamlSource } from './_yaml-source.js'

/** File formats a deployment spec may be written in. */
export type SpecFormat = 'yaml' | 'json' | 'toml'

/** Options of {@link loadDeploymentSpecText}. */
export interface LoadSpecOptions {
  /** Format of the text; by default taken from the file name (`.json`, `.toml`, else YAML). */
  readonly format?: SpecFormat
}

/** The format of a spec file, from its extension: `.json`, `.toml`, otherwise YAML. */
export function specFormatOf(fileName: string): SpecFormat {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.json')) return 'json'
  if (lower.endsWith('.toml')) return 'toml'
  return 'yaml'
}

/** Issues about a key itself, which point at the key rather than at its value. */
const KEY_CODES: ReadonlySet<SpecIssue['code']> = new Set(['unknown_key', 'invalid_key', 'duplicate_key'])

function byPosition(a: SpecIssue, b: SpecIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
}

/**
 * Reads and validates a spec from text, without throwing. Pure: no file access. Every
 * issue carries `file`, `line` and `column`; issues are sorted by position.
 *
 * @example
 * const result = safeLoadDeploymentSpecText('serverName: example.org\n', 'deploy.yaml')
 * if (!result.success) console.error(formatIssues(result.issues, { color: false }))
 */
export function safeLoadDeploymentSpecText(text: string, fileName: string, options: LoadSpecOptions = {}): SpecParseResult {
  const format = options.format ?? specFormatOf(fileName)
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  if (format === 'yaml') {
    // Most specs are plain YAML that a fast reader understands. When their value is valid and
    // draws no warning, nothing needs source positions; when it draws issues or warnings, the
    // fast reader reads it again recording positions, the same as the yaml library's (property
    // tests compare them). A text it declines is read by the yaml library below, whose errors
    // and positions are the ones reported: the result is the same either way.
    const plain = readPlainYaml(source)
    if (plain !== undefined) {
      const result = safeParseDeploymentSpec(plain)
      if (result.success && result.warnings.length === 0) return result
      const positions = plainYamlPositions(source)
      if (positions !== undefined) return located(result, positions, fileName)
    }
  }
  const read: SourceReadResult =
    format === 'json'
      ? readJsonSource(source, fileName)
      : format === 'toml'
        ? readTomlSource(source, fileName)
        : readYamlSource(source, fileName)
  if (!read.ok) {
    const issues = read.problems.map(
      (problem): SpecIssue => ({
        path: problem.path ?? [],
        code: problem.code,
        message: problem.message,
        hint: problem.hint,
        file: fileName,
        line: problem.position.line,
        column: problem.position.column,
      }),
    )
    return { success: false, issues: issues.sort(byPosition) }
  }
  if (read.value === null || read.value === undefined) {
    return {
      success: false,
      issues: [
        {
          path: [],
          code: 'missing_field',
          message: `${fileName} is empty.`,
          hint: 'start from examples/standalone/deployment.yaml, or run `messenger-stack init`.',
          file: fileName,
          line: 1,
          column: 1,
        },
      ],
    }
  }
  return located(safeParseDeploymentSpec(read.value), read.positions, fileName)
}

/** A parse result with the file, line and column of each issue and warning; issues sorted by position. */
function located(result: SpecParseResult, positions: PositionMap, fileName: string): SpecParseResult {
  if (result.success) {
    if (result.warnings.length === 0) return result
    const warnings = result.warnings.map((issue): SpecIssue => ({ ...issue, file: fileName, ...locate(positions, issue.path, false) }))
    return { ...result, warnings }
  }
  const issues = result.issues.map((issue): SpecIssue => {
    const { line, column } = locate(positions, issue.path, KEY_CODES.has(issue.code))
    return { ...issue, file: fileName, line, column }
  })
  return { success: false, issues: issues.sort(byPosition) }
}

/**
 * Reads and validates a spec from text (YAML 1.1, JSON or TOML). Pure: no file access.
 *
 * @throws {SpecError} with every issue, each with its file, line and column.
 * @example
 * const spec = loadDeploymentSpecText(yamlText, 'deploy.yaml')
 */
export function loadDeploymentSpecText(text: string, fileName: string, options: LoadSpecOptions = {}): DeploymentSpec {
  const result = safeLoadDeploymentSpecText(text, fileName, options)
  if (!result.success) throw new SpecError(result.issues)
  return result.spec
}
