import { formatPath, issueLocation, type SpecIssue } from './issue.js'

/** Options of {@link formatIssues}. */
export interface FormatIssuesOptions {
  /** Colour the output with ANSI escapes (for a terminal). */
  readonly color: boolean
  /** `warning` marks each block with a yellow `!` instead of a red `✖` (default `error`). */
  readonly severity?: 'error' | 'warning'
}

const ANSI = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  dim: '\u001b[2m',
  cyan: '\u001b[36m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const

/**
 * Makes text from a file or a user safe to print on a terminal: control characters (ANSI
 * escapes, carriage returns, NUL) are shown as `\u001b`-style escapes instead of acting.
 */
function inert(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Renders issues for people, one block per issue, in the house form:
 *
 * ```
 * ✖ Port 7881 is used by both livekit.tcpPort and synapse.httpPort.
 *   → at livekit.tcpPort (deploy.yaml:14:15)
 *   hint: choose a free TCP port for livekit.tcpPort.
 * ```
 *
 * Issues without a path (syntax errors) show only their position. No trailing newline.
 *
 * @example
 * console.error(formatIssues(error.issues, { color: process.stderr.isTTY }))
 */
export function formatIssues(issues: readonly SpecIssue[], options: FormatIssuesOptions): string {
  const paint = (colour: keyof typeof ANSI, text: string) => (options.color ? `${ANSI[colour]}${text}${ANSI.reset}` : text)
  return issues
    .map((issue) => {
      const location = issueLocation(issue)
      const where =
        issue.path.length === 0
          ? location === undefined
            ? 'at the top of the spec'
            : `at ${inert(location)}`
          : `at ${inert(formatPath(issue.path))}${location === undefined ? '' : ` (${inert(location)})`}`
      return [
        `${options.severity === 'warning' ? paint('yellow', '!') : paint('red', '✖')} ${paint('bold', inert(issue.message))}`,
        `  ${paint('dim', `→ ${where}`)}`,
        `  ${paint('cyan', 'hint:')} ${inert(issue.hint)}`,
      ].join('\n')
    })
    .join('\n')
}
