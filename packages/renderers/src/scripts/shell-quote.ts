/** A word no shell reads specially. Made once: a regex literal in the function is a new object on every call. */
const SAFE_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/

/**
 * Quotes a value for POSIX shells: the result is one single-quoted word that the shell reads
 * back as exactly `value`, whatever it contains (`$`, backticks, quotes, newlines, `;`).
 * Safe words of letters, digits and `@%+=:,./_-` are left bare so scripts stay readable.
 *
 * @example
 * shellQuote("it's") // => 'it'"'"'s'
 */
export function shellQuote(value: string | number | boolean): string {
  const text = String(value)
  if (SAFE_WORD.test(text)) return text
  return `'${text.replaceAll("'", `'"'"'`)}'`
}
