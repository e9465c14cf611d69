import type { DeploymentSpecInput } from './deployment/input.js'
import { DeploymentSpecSchema, type DeploymentSpec } from './deployment/spec.js'
import { runSpecChecks, specWarnings } from './checks/index.js'
import { runChecksOnValidSections } from './checks/_sections.js'
import { issuesFromZod } from './errors/from-zod.js'
import { formatPath, SpecError, type SpecIssue } from './errors/issue.js'
import type { SafeResult } from './errors/safe-result.js'
import { SecretsSchema, type SecretName, type Secrets } from './secret-files/secrets.js'
import { SECRET_FILES } from './secret-files/file-names.js'
import { withRenderMemo } from './_render-memo.js'

/** Result of {@link safeParseDeploymentSpec}: the spec, or every issue found. */
export type SpecParseResult =
  | {
      readonly success: true
      /** The valid spec, defaults applied: the name every `safeX` result uses (see {@link SafeResult}). */
      readonly data: DeploymentSpec
      /** The same object as `data` (the name this result had first). */
      readonly spec: DeploymentSpec
      readonly issues: readonly []
      /** Settings that are legal but likely wrong (see {@link specWarnings}); never fatal. */
      readonly warnings: readonly SpecIssue[]
    }
  | { readonly success: false; readonly issues: readonly SpecIssue[] }

/**
 * zod compiles a parser for each object schema on its first use (`new Function`), unless
 * told `jitless`. A single parse (all a CLI run does) does not pay the compilation back, and
 * in a process that parses and renders thousands of specs the compiled parsers (a separate
 * function per object schema, cold again after each render) were no faster: 10,000 tenants
 * took 7.9 s of CPU with them against 7.6 s without (nine interleaved pairs, issue 15).
 * The result is the same either way.
 */
const PARSE_OPTIONS = { reportInput: true, jitless: true } as const

/**
 * Validates a deployment spec and applies defaults, without throwing. Field rules and
 * cross-field rules both run; all issues are collected. A valid spec also gets its warnings.
 */
export function safeParseDeploymentSpec(input: unknown): SpecParseResult {
  const parsed = DeploymentSpecSchema.safeParse(input, PARSE_OPTIONS)
  if (!parsed.success) {
    // Cross-field rules whose sections are all valid still run, so every issue is reported at once.
    const fieldIssues = issuesFromZod(parsed.error.issues, DeploymentSpecSchema, { showValues: true })
    return { success: false, issues: [...fieldIssues, ...runChecksOnValidSections(input)] }
  }
  return checked(parsed.data)
}

/**
 * The cross-field rules and warnings of a valid spec. They ask for the same derivations
 * (`deriveValues`, the service ports, the workloads...) several times, so they run with the
 * render memo on: each is computed once for this call and dropped when it returns.
 */
function checked(spec: DeploymentSpec): SpecParseResult {
  return withRenderMemo(spec, () => {
    const issues = runSpecChecks(spec)
    if (issues.length > 0) return { success: false, issues }
    return { success: true, data: spec, spec, issues: [], warnings: specWarnings(spec) }
  })
}

/**
 * Validates a deployment spec and applies defaults.
 *
 * @throws {SpecError} with every issue found.
 * @example
 * const spec = parseDeploymentSpec({ serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } })
 */
export function parseDeploymentSpec(input: unknown): DeploymentSpec {
  const result = safeParseDeploymentSpec(input)
  if (!result.success) throw new SpecError(result.issues)
  return result.spec
}

/**
 * A spec written in TypeScript: completion and every field's description in the editor,
 * the compile-time rules of {@link DeploymentSpecInput} (TLS per mode and exactly one TLS
 * source, a UDP port or a range, no user or group ID 0), and full validation when called.
 *
 * The type parameters capture the literal user and group IDs for the root check; never
 * pass them yourself.
 *
 * @throws {SpecError} with every issue found.
 * @example
 * export default defineDeployment({ serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } })
 */
export function defineDeployment<const U extends number = number, const G extends number = number>(
  input: DeploymentSpecInput<U, G>,
): DeploymentSpec {
  return parseDeploymentSpec(input)
}

/** Options of {@link parseSecrets}. */
export interface ParseSecretsOptions {
  /**
   * The secrets folder the values were read from, as the operator names it (such as
   * `deploy/secrets`): issues then name the file (`deploy/secrets/postgres_password`), not the field.
   */
  readonly folder?: string
}

/** Rewrites an issue about a secret field into one about its file in the secrets folder. */
function secretFileIssue(issue: SpecIssue, folder: string): SpecIssue {
  const name = issue.path[0]
  if (typeof name !== 'string' || !Object.hasOwn(SECRET_FILES, name)) return issue
  const file = `${folder}/${SECRET_FILES[name as SecretName]}`
  const field = formatPath(issue.path)
  return {
    ...issue,
    path: [SECRET_FILES[name as SecretName], ...issue.path.slice(1)],
    message: issue.message.startsWith(field) ? `${file}${issue.message.slice(field.length)}` : `${file}: ${issue.message}`,
    hint: `write a valid value into ${file}, or move the file away and run \`messenger-stack secrets ${folder}\` to generate one; a secret already in use (a database password, the signing key) must then be changed where it is used as well.`,
  }
}

/**
 * Validates a secrets object without throwing. Messages never quote the values; with
 * `options.folder` they name the secret's file instead of its field.
 */
export function safeParseSecrets(input: unknown, options: ParseSecretsOptions = {}): SafeResult<Secrets> {
  const parsed = SecretsSchema.safeParse(input)
  if (parsed.success) return { success: true, data: parsed.data, issues: [] }
  const issues = issuesFromZod(parsed.error.issues, SecretsSchema, { showValues: false, fieldHints: false }).map((issue) => {
    const converted = { ...issue, code: issue.code === 'unknown_key' ? issue.code : ('invalid_secret' as const) }
    return options.folder === undefined ? converted : secretFileIssue(converted, options.folder)
  })
  return { success: false, issues }
}

/**
 * Validates a secrets object. Messages never quote the values; with `options.folder` they
 * name the secret's file instead of its field.
 *
 * @throws {SpecError} with every issue found.
 */
export function parseSecrets(input: unknown, options: ParseSecretsOptions = {}): Secrets {
  const result = safeParseSecrets(input, options)
  if (!result.success) throw new SpecError(result.issues, 'secrets folder')
  return result.data
}
