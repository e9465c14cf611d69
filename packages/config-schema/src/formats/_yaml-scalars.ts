// Scalar rules of our YAML printer: when a string may stay plain, and how it is quoted
// otherwise. Readers are PyYAML (YAML 1.1: Synapse, docker-compose v1) and YAML 1.2
// parsers, so a plain string must not resolve to another type under either.

/** Strings YAML 1.1 or 1.2 would read as null, a boolean, a number, a timestamp, a merge key. */
const IMPLICIT_TYPES: readonly RegExp[] = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0o?[0-7_]+$/,
  /^[-+]?(?:0|[1-9][0-9_]*)$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  // The yaml library (1.1 mode) also reads a bare exponent such as "E0" or "e5" as a number.
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  /^(?:<<|=)$/,
]

/** {@link IMPLICIT_TYPES} as one regex, so a string is scanned once rather than thirteen times. */
const IMPLICIT_TYPE = new RegExp(IMPLICIT_TYPES.map((pattern) => `(?:${pattern.source})`).join('|'))

/**
 * Fast path, one regex test: a printable ASCII word that no YAML indicator starts, that holds
 * no space, `#` or quote, does not end with `:` and is no implicit type, such as
 * `server_name`, `/data/media_store` or `matrixdotorg/synapse:v1.2`. Such a word is plain-safe.
 */
const PLAIN_WORD = new RegExp(`^(?!${IMPLICIT_TYPE.source})[A-Za-z0-9_./][A-Za-z0-9_./:@+=-]*(?<!:)$`)

/** Characters a plain scalar may not start with (YAML indicators and whitespace). */
const INDICATOR_START = /^[\s,[\]{}#&*!|>'"%@`]/

/** Characters that only a double-quoted scalar can carry (escaped). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE =
  /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether `text` can be written as a plain (unquoted) block scalar and read back as itself. */
export function isPlainSafe(text: string): boolean {
  if (PLAIN_WORD.test(text)) return true
  if (text === '' || text !== text.trim() || NEEDS_ESCAPE.test(text)) return false
  if (INDICATOR_START.test(text)) return false
  // '-', '?' and ':' start a plain scalar only when a non-space follows.
  if (/^[-?:](?:\s|$)/.test(text)) return false
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false
  return !IMPLICIT_TYPE.test(text)
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '"': '\\"',
  '\\': '\\\\',
  '\x85': '\\N',
  '\xa0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
}

function escapeChar(char: string): string {
  const known = ESCAPES[char]
  if (known !== undefined) return known
  const code = char.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * Quotes a string: single quotes when it holds a double quote and nothing that needs an
 * escape (easier to read), else double quotes with YAML escapes.
 */
export function quoteString(text: string): string {
  if (text.includes('"') && !text.includes("'") && !NEEDS_ESCAPE.test(text)) return `'${text}'`
  // eslint-disable-next-line no-control-regex
  return `"${text.replace(/["\\\x00-\x1f\x7f-\x9f\xa0\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/g, escapeChar)}"`
}

/** A string scalar, plain when safe. */
export function stringScalar(text: string): string {
  return isPlainSafe(text) ? text : quoteString(text)
}

/** A number scalar in YAML spelling. */
export function numberScalar(value: number): string {
  if (Number.isNaN(value)) return '.nan'
  if (value === Number.POSITIVE_INFINITY) return '.inf'
  if (value === Number.NEGATIVE_INFINITY) return '-.inf'
  // YAML 1.1 floats need a dot before the exponent ("1e+21" would be read as text).
  const text = String(value)
  return text.includes('e') && !text.includes('.') ? text.replace('e', '.0e') : text
}
