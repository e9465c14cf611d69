/** A path into the spec: object keys and array indexes. */
export type IssuePath = readonly (string | number)[]

/** Stable issue codes. Tools may branch on them; wording of messages may change. */
export type IssueCode =
  | 'invalid_type'
  | 'unknown_key'
  | 'invalid_key'
  | 'missing_field'
  | 'invalid_format'
  | 'invalid_value'
  | 'out_of_range'
  | 'syntax_error'
  | 'duplicate_key'
  | 'port_clash'
  | 'udp_range'
  | 'turn_without_ports'
  | 'turn_tls_domain'
  | 'well_known_unserved'
  | 'well_known_conflict'
  | 'owned_key'
  | 'unknown_upstream_key'
  | 'tls_choice'
  | 'mode_mismatch'
  | 'two_synapse_mains'
  | 'stateful_colour'
  | 'node_ip_conflict'
  | 'node_ip_required'
  | 'duplicate_host'
  | 'invalid_secret'
  | 'unsafe_setting'
  | 'too_few_connections'
  | 'secret_in_spec'
  | 'worker_single_instance'
  | 'worker_mix'
  | 'worker_not_needed'
  | 'email_required'
  | 'smtp_password_in_clear'
  | 'kubernetes_target'
  // Warnings (legal but likely wrong): printed, never fatal.
  | 'open_registration'
  | 'backups_not_configured'
  | 'private_node_ip'
  | 'wide_udp_range'
  | 'workers_memory'

/** One problem found in a spec: where, what, and what to do about it. */
export interface SpecIssue {
  /** Path of the offending field, such as `['livekit', 'tcpPort']`. Empty for the whole document. */
  readonly path: IssuePath
  /** Stable machine-readable code. */
  readonly code: IssueCode
  /** A full sentence saying what is wrong. */
  readonly message: string
  /** What to do about it. */
  readonly hint: string
  /** 1-based line in the spec file, when the spec came from a file. */
  readonly line?: number
  /** 1-based column in the spec file, when the spec came from a file. */
  readonly column?: number
  /** The spec file, when the spec came from a file. */
  readonly file?: string
}

/** Renders a path as users write it: `synapse.federation.allowList[2]`. */
export function formatPath(path: IssuePath): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(part)}]`
  }
  return out === '' ? '(the spec)' : out
}

/**
 * Where an issue is in its file: `deploy.yaml:14:15`, or `line 14, column 15` when the file
 * name is unknown; undefined when the issue has no position.
 */
export function issueLocation(issue: SpecIssue): string | undefined {
  if (issue.line === undefined) return issue.file
  const column = issue.column ?? 1
  return issue.file === undefined ? `line ${issue.line}, column ${column}` : `${issue.file}:${issue.line}:${column}`
}

// A registered symbol is the same in every copy of this module: the ESM and CommonJS builds,
// a bundle that inlined us, two installed versions. A class is not, so `instanceof SpecError`
// fails for an error thrown by another copy; the brand does not.
const SPEC_ERROR_BRAND: unique symbol = Symbol.for('@messenger-stack/spec-error')

/**
 * Thrown by {@link parseDeploymentSpec} and friends; carries every issue found. Recognise it
 * with {@link isSpecError}, which works across copies of this package (ESM and CommonJS).
 */
export class SpecError extends Error {
  /** Every issue, in document order. */
  readonly issues: readonly SpecIssue[]
  /** The brand {@link isSpecError} looks for (non-enumerable). */
  declare readonly [SPEC_ERROR_BRAND]: true

  constructor(issues: readonly SpecIssue[], what = 'deployment spec') {
    super(`The ${what} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${issues.map(formatIssueLine).join('\n')}`)
    this.name = 'SpecError'
    this.issues = issues
    Object.defineProperty(this, SPEC_ERROR_BRAND, { value: true })
  }
}

/**
 * Whether `value` is a {@link SpecError} thrown by any copy of this package: the ESM or the
 * CommonJS build, or a bundle that inlined it. Use it instead of `instanceof SpecError`,
 * which is false for an error from another copy.
 *
 * @example
 * try {
 *   parseDeploymentSpec(input)
 * } catch (error) {
 *   if (isSpecError(error)) console.error(formatIssues(error.issues))
 *   else throw error
 * }
 */
export function isSpecError(value: unknown): value is SpecError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [SPEC_ERROR_BRAND]?: unknown })[SPEC_ERROR_BRAND] === true &&
    Array.isArray((value as { issues?: unknown }).issues)
  )
}

function formatIssueLine(issue: SpecIssue): string {
  const where = issue.line === undefined ? '' : `, ${issueLocation(issue)}`
  return `- ${issue.message} (at ${formatPath(issue.path)}${where})`
}

/**
 * Shows a value inside a message safely: JSON-quoted (so newlines and control characters
 * stay visible and inert) and cut to 60 characters.
 */
export function showValue(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
