import type { SpecIssue } from './issue.js'

/**
 * What every `safeX` function returns instead of throwing, shaped like zod's `safeParse`:
 * the value as `data`, or every issue found. Each `safeX` has a throwing sibling `x` that
 * throws a {@link SpecError} carrying the same issues.
 *
 * @example
 * const result = safeParseSecrets(values)
 * if (result.success) use(result.data)
 * else console.error(formatIssues(result.issues))
 */
export type SafeResult<T> =
  | { readonly success: true; readonly data: T; readonly issues: readonly [] }
  | { readonly success: false; readonly issues: readonly SpecIssue[] }
