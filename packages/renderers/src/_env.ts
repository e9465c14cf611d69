/** One variable of an env file. */
export interface EnvEntry {
  /** Variable name: upper case letters, digits and `_`, not starting with a digit. */
  readonly key: string
  /** Value: one line, no control characters, no single quote. */
  readonly value: string
  /** Comment lines written above the variable, without `#`. */
  readonly comment?: readonly string[]
  /** Write the variable commented out (an optional setting shown with its default). */
  readonly commented?: boolean
}

/** Options of {@link printEnvFile}. */
export interface PrintEnvOptions {
  /** Comment block at the top of the file, without `#`. */
  readonly header?: readonly string[]
}

const KEY = /^[A-Z_][A-Z0-9_]*$/
/** Characters that mean the same bare in every env-file reader (no `$`, quotes, `#`, spaces). */
const BARE = /^[A-Za-z0-9_.,:/@%+=?-]*$/
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Quotes one env value so docker-compose (v1 and v2) and python-dotenv read it back
 * literally: bare when it only has inert characters, else in single quotes (no `$`
 * interpolation, no escapes). Throws on values no reader can hold literally.
 */
export function envValue(value: string): string {
  if (CONTROL.test(value)) throw new Error(`env value ${JSON.stringify(value)} contains a newline or control character`)
  if (BARE.test(value)) return value
  if (value.includes("'"))
    throw new Error(`env value ${JSON.stringify(value)} contains a single quote, which env files cannot hold literally`)
  return `'${value}'`
}

function commentLines(lines: readonly string[]): string[] {
  return lines.map((line) => {
    if (CONTROL.test(line)) throw new Error(`env comment ${JSON.stringify(line)} contains a newline or control character`)
    return line === '' ? '#' : `# ${line}`
  })
}

/**
 * The one env-file printer of messenger-stack: `KEY=value` lines with comments, values
 * checked and quoted by {@link envValue}, LF line endings and a final newline.
 *
 * @example
 * printEnvFile([{ key: 'LIVEKIT_KEY', value: 'messenger', comment: ['API key name.'] }])
 */
export function printEnvFile(entries: readonly EnvEntry[], options: PrintEnvOptions = {}): string {
  const lines: string[] = []
  if (options.header !== undefined && options.header.length > 0) lines.push(...commentLines(options.header), '')
  const seen = new Set<string>()
  for (const entry of entries) {
    if (!KEY.test(entry.key)) throw new Error(`env variable name ${JSON.stringify(entry.key)} is not UPPER_SNAKE_CASE`)
    if (seen.has(entry.key)) throw new Error(`env variable ${entry.key} is set twice`)
    seen.add(entry.key)
    if (entry.comment !== undefined) lines.push(...commentLines(entry.comment))
    lines.push(`${entry.commented === true ? '# ' : ''}${entry.key}=${envValue(entry.value)}`)
  }
  return `${lines.join('\n')}\n`
}
