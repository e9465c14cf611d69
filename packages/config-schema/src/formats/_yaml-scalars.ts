// Scalar rules of our YAML printer: when a string may stay plain, and how it is quoted
// otherwise. Readers are PyYAML (YAML 1.1: Synapse, docker-compose v1) and YAML 1.2
// parsers, so a plain string must not resolve to another type under either.

/** The null words and the boolean words of YAML 1.1 and 1.2, as {@link IMPLICIT_TYPES} lists them. */
const NULL_WORDS = ['~', 'null', 'Null', 'NULL']
const BOOLEAN_WORDS = 'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF'.split(' ')

/** Strings YAML 1.1 or 1.2 would read as null, a boolean, a number, a timestamp, a merge key. */
const IMPLICIT_TYPES: readonly RegExp[] = [
  new RegExp(`^(?:${NULL_WORDS.join('|')})$`),
  new RegExp(`^(?:${BOOLEAN_WORDS.join('|')})$`),
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
export const IMPLICIT_TYPE = new RegExp(IMPLICIT_TYPES.map((pattern) => `(?:${pattern.source})`).join('|'))

/**
 * Per ASCII code: bit 1 when the character may start a number (a digit, a sign, a dot, `e`/`E`
 * of a bare exponent), bit 2 when it occurs in some number, `.inf` or `.nan` that
 * {@link IMPLICIT_TYPES} matches as a whole (`^...$`): digits, `+ - _ : .`, the hexadecimal
 * letters, `x`, `o`, `i n I N`.
 */
const NUMBER_CHARS = new Uint8Array(128)
for (const char of '0123456789+-_:.abcdefABCDEFxoinIN') NUMBER_CHARS[char.charCodeAt(0)] = 2
for (const char of '0123456789+-.eE') NUMBER_CHARS[char.charCodeAt(0)] = 3

/**
 * Whether YAML 1.1 or 1.2 would read `text` as another type than a string: {@link IMPLICIT_TYPE},
 * without running it for most strings. A string that starts like a number but holds a character
 * no number has (`30s`, `1536m`, `./data`, `element-web`) can only be the one type matched by its
 * start, a date (four digits and a dash first); a string starting with any other letter can only
 * be a null or boolean word. The regex decides the rest: strings that may be numbers or dates,
 * and those starting with another character. Runs for every scalar that starts with a digit, a dot
 * or an `e` (about ten per worker service), where the regex call cost more than the character
 * loop. A property test compares both ways.
 */
export function isImplicitType(text: string): boolean {
  const length = text.length
  if (length === 0) return false
  const first = charCodeAt.call(text, 0)
  if (first < 128 && (NUMBER_CHARS[first]! & 1) === 1) {
    for (let index = 1; index < length; index++) {
      const code = charCodeAt.call(text, index)
      if (code >= 128 || (NUMBER_CHARS[code]! & 2) === 0) return startsLikeDate(text) && IMPLICIT_TYPE.test(text)
    }
  } else if ((first | 32) >= 97 && (first | 32) <= 122) return LETTER_WORDS.has(text)
  return IMPLICIT_TYPE.test(text)
}

/** Whether `text` starts like a number (a digit, a sign, a dot, `e`/`E`): only then may {@link isImplicitType} need its regex. */
export function mayStartNumber(text: string): boolean {
  const first = charCodeAt.call(text, 0)
  return first < 128 && (NUMBER_CHARS[first]! & 1) === 1
}

/** Four digits and a dash: the start of the one implicit type matched by its start alone (a timestamp). */
function startsLikeDate(text: string): boolean {
  if (text.length < 5 || charCodeAt.call(text, 4) !== 45) return false
  for (let index = 0; index < 4; index++) {
    const code = charCodeAt.call(text, index)
    if (code < 48 || code > 57) return false
  }
  return true
}

/**
 * The common plain word, as one regex: a printable ASCII word that no YAML indicator starts,
 * that holds no space, `#` or quote, does not end with `:` and is no implicit type, such as
 * `server_name`, `/data/media_store` or `matrixdotorg/synapse:v1.2`. Such a word is plain-safe.
 * {@link isPlainWord} answers the same question faster; this regex is its reference (a
 * property test compares them).
 */
export const PLAIN_WORD = new RegExp(`^(?!${IMPLICIT_TYPE.source})[A-Za-z0-9_./][A-Za-z0-9_./:@+=-]*(?<!:)$`)

/**
 * Per ASCII code: 1 when the character may be in a plain word, 3 when it may also start one, and
 * bit 4 when it starts a word of {@link LETTER_WORDS}.
 */
const WORD_CHARS = new Uint8Array(128)
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./') WORD_CHARS[char.charCodeAt(0)] = 3
for (const char of ':@+=-') WORD_CHARS[char.charCodeAt(0)] = 1
for (const char of 'nNyYtTfFoO') WORD_CHARS[char.charCodeAt(0)] = 3 | 4

/** The implicit types a word starting with a letter other than `e`/`E` can be: null and boolean words. */
const LETTER_WORDS: ReadonlySet<string> = new Set([...NULL_WORDS, ...BOOLEAN_WORDS])

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, index)`: the printer's strings
 * come in many V8 representations (literals, concatenations, slices, property keys), and after
 * more than four of them `text.charCodeAt` is looked up as a megamorphic property, a call per
 * character (measured: 5% of a compose render). Through a known function V8 reads the code unit
 * inline, whatever the representation.
 */
const charCodeAt = String.prototype.charCodeAt

/**
 * {@link PLAIN_WORD} without a regex for most words: every key and most values the printers
 * write are such words, so this runs once per printed key. A word starting with `_`, `/` or a
 * letter can only be an implicit type if it is a null or boolean word (five letters at most) or,
 * starting with `e`/`E`, an exponent; other starts (a digit, `.`) go through the regex.
 */
export function isPlainWord(text: string): boolean {
  const length = text.length
  if (length === 0) return false
  const first = charCodeAt.call(text, 0)
  if (first >= 128 || (WORD_CHARS[first]! & 3) !== 3) return false
  for (let index = 1; index < length; index++) {
    const code = charCodeAt.call(text, index)
    if (code >= 128 || WORD_CHARS[code] === 0) return false
  }
  if (charCodeAt.call(text, length - 1) === 58) return false // ends with ':'
  if (first === 95 || first === 47) return true // '_', '/'
  const letter = (first | 32) >= 97 && (first | 32) <= 122
  if (!letter || first === 101 || first === 69) return !isImplicitType(text) // a digit, '.', 'e', 'E'
  // Most short words (`name`, `kind`, `TCP`) start with a letter no null or boolean word starts with: no set look-up.
  return length > 5 || (WORD_CHARS[first]! & 4) === 0 || !LETTER_WORDS.has(text)
}

/** Characters a plain scalar may not start with (YAML indicators and whitespace). */
const INDICATOR_START = /^[\s,[\]{}#&*!|>'"%@`]/

/** Characters that only a double-quoted scalar can carry (escaped). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE =
  /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether `text` can be written as a plain (unquoted) block scalar and read back as itself. */
export function isPlainSafe(text: string): boolean {
  if (isPlainWord(text)) return true
  if (text === '' || text !== text.trim() || NEEDS_ESCAPE.test(text)) return false
  if (INDICATOR_START.test(text)) return false
  // '-', '?' and ':' start a plain scalar only when a non-space follows.
  if (/^[-?:](?:\s|$)/.test(text)) return false
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false
  return !isImplicitType(text)
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

/** The escape of one UTF-16 code unit in a double-quoted scalar. */
function escapeCode(code: number): string {
  const known = ESCAPES[String.fromCharCode(code)]
  if (known !== undefined) return known
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** Escapes of the Latin-1 code units, by code; undefined for a character written as itself. */
const LATIN1_ESCAPES: readonly (string | undefined)[] = Array.from({ length: 256 }, (_, code) =>
  code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0x7f && code <= 0xa0) ? escapeCode(code) : undefined,
)

/** The escape of a code unit above Latin-1, or undefined: line/paragraph separators, BOM, non-characters, every surrogate. */
function wideEscape(code: number): string | undefined {
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xfffe || code === 0xffff || (code >= 0xd800 && code <= 0xdfff))
    return escapeCode(code)
  return undefined
}

/**
 * The body of a double-quoted scalar: `"`, `\`, control characters, C1, NBSP, separators, BOM,
 * non-characters and every surrogate escaped, one code unit at a time (a pair becomes two
 * `\u` escapes, which both readers join). A loop rather than `replace` with a callback: config
 * files embedded in ConfigMaps are kilobytes with an escape per line.
 */
export function escapeDoubleQuoted(text: string): string {
  let out = ''
  let start = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    const replacement = code < 256 ? LATIN1_ESCAPES[code] : wideEscape(code)
    if (replacement === undefined) continue
    out += text.slice(start, index) + replacement
    start = index + 1
  }
  return start === 0 ? text : out + text.slice(start)
}

/**
 * Code units that JSON.stringify leaves as they are or escapes otherwise than YAML does here:
 * controls but `\b \t \n \f \r` (JSON writes `\u00XX` where YAML has `\0`, `\a`, `\e`, `\xXX`),
 * DEL to NBSP, the separators, BOM, non-characters, every surrogate (JSON keeps a valid pair).
 */
const NOT_AS_JSON = /[\x00-\x07\x0b\x0e-\x1f\x7f-\xa0\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/

/**
 * A double-quoted scalar: {@link escapeDoubleQuoted} between quotes. Without any of
 * {@link NOT_AS_JSON}, JSON.stringify writes the same bytes (`\"`, `\\` and the five short
 * escapes), flat and several times faster: the configuration files a ConfigMap holds are
 * kilobytes with an escape per line. A property test compares both ways.
 */
export function doubleQuoted(text: string): string {
  let json: string | undefined
  if (text.length >= ASCII_CHECK_FROM && isAsciiWithoutDel(text)) {
    json = JSON.stringify(text)
    // JSON writes the five short escapes as YAML does and every other control character as
    // `\u00XX`: without a `\u`, these are YAML's bytes. (An escaped backslash before a `u` also
    // reads `\u`: a psql script's `\unset` comes out as `\\unset`. The general way below then
    // decides, and reuses the JSON text rather than quoting kilobytes twice.)
    if (!json.includes('\\u')) return json
  }
  return NOT_AS_JSON.test(text) ? `"${escapeDoubleQuoted(text)}"` : (json ?? JSON.stringify(text))
}

/**
 * Texts at least this long (configuration files in ConfigMaps, kilobytes each) are checked for
 * ASCII by copying them into bytes, several times faster than {@link NOT_AS_JSON} scans them; up
 * to {@link ASCII_CHECK_UP_TO}, the size of the scratch bytes kept.
 */
const ASCII_CHECK_FROM = 128
const ASCII_CHECK_UP_TO = 1 << 20
let asciiBytes = new Uint8Array(4096)
const utf8 = new TextEncoder()

/** Whether every code unit of `text` is ASCII (one UTF-8 byte each) and none is DEL, which JSON leaves as it is. */
function isAsciiWithoutDel(text: string): boolean {
  const length = text.length
  if (length > ASCII_CHECK_UP_TO) return false
  if (asciiBytes.length < length) asciiBytes = new Uint8Array(Math.min(Math.max(length, asciiBytes.length * 2), ASCII_CHECK_UP_TO))
  const { read, written } = utf8.encodeInto(text, asciiBytes)
  return read === length && written === length && !text.includes('\x7f')
}

/**
 * Quotes a string: single quotes when it holds a double quote and nothing that needs an
 * escape (easier to read), else double quotes with YAML escapes.
 */
export function quoteString(text: string): string {
  if (text.includes('"') && !text.includes("'") && !NEEDS_ESCAPE.test(text)) return `'${text}'`
  return doubleQuoted(text)
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
