/**
 * A fast reader for the plain subset of YAML that deployment specs are written in: block
 * mappings and sequences indented with spaces, plain keys, and scalars whose YAML 1.1 meaning
 * is beyond doubt (words, `true`/`false`/`null`, decimal integers and fractions, simply quoted
 * text). It returns `undefined`, and the caller reads the text with the `yaml` library
 * instead, whenever anything else appears: flow collections, anchors, aliases, tags, block
 * scalars, directives, several documents, tabs, non-ASCII or control characters, a duplicate
 * key, any scalar YAML 1.1 could read in another way (its own booleans `yes`/`on`/`y`, octal
 * `0777`, sexagesimal `1:30`, timestamps `2001-12-14`, other number forms), or any line it
 * does not fully understand. It never reports an error of its own: errors and their positions always come
 * from the `yaml` library. Property tests check it against that reader.
 *
 * Why: the `yaml` library's document parser (with its source positions) is most of the cost of
 * reading a spec, which is half the cost of rendering thousands of tenants in one process.
 */

/** A parsed value: what `yaml`'s `toJS()` gives for the same text. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value }

interface Line {
  readonly indent: number
  /** The line without its indentation and without a trailing comment. */
  readonly text: string
}

/** Plain keys: a letter or `_`, then letters, digits, `_`, `-` or `.`. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/**
 * YAML 1.1 words that resolve to booleans or null (the `yaml` library's 1.1 schema), compared
 * lower-cased; a word outside this set that starts with a letter is a string in YAML 1.1.
 */
const SPECIAL_WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~'])

/** Text that prints as itself: starts with a letter, no `: `, no ` #`, no trailing `:`. */
const PLAIN_WORD = /^[A-Za-z][\x20-\x7e]*$/

/** A decimal integer YAML 1.1 and JSON agree on (no sign, no leading zero, no `_`, safe size). */
const DECIMAL_INT = /^(?:0|[1-9][0-9]{0,14})$/

/** A decimal fraction: `0.5`, `12.25`. */
const DECIMAL_FRACTION = /^(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/

/** Dotted numbers (IPv4 addresses, versions): two dots or more are never a YAML 1.1 number. */
const DOTTED_NUMBERS = /^[0-9]+(?:\.[0-9]+){2,}$/

/** The spellings of booleans and null that YAML 1.1 and 1.2 read alike. */
const COMMON_WORDS: ReadonlyMap<string, boolean | null> = new Map([
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['null', null],
  ['Null', null],
  ['NULL', null],
])

/** A number followed by a unit, which YAML 1.1 reads as text: `50M`, `512mb`, `30s`. */
const SIZE_WORD = /^[1-9][0-9]*[A-Za-z]+$/

/** Characters that are allowed anywhere in the subset: printable ASCII and LF. */
const SUBSET_CHARACTERS = /^[\x20-\x7e\n]*$/

const FALL_BACK = Symbol('fall back')

/** Reads `text` if it lies in the subset; `undefined` means "read it with the yaml library". */
export function readPlainYaml(text: string): Record<string, Value> | undefined {
  if (!SUBSET_CHARACTERS.test(text)) return undefined
  const lines = significantLines(text)
  if (lines === undefined || lines.length === 0 || lines[0]!.indent !== 0) return undefined
  const cursor = { index: 0 }
  const value = readBlock(lines, cursor, 0)
  if (value === FALL_BACK || cursor.index !== lines.length) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return value
}

function significantLines(text: string): Line[] | undefined {
  const lines: Line[] = []
  for (const raw of text.split('\n')) {
    const body = raw.trimStart()
    if (body === '' || body.startsWith('#')) continue
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) return undefined
    const comment = body.indexOf(' #')
    const content = (comment === -1 ? body : body.slice(0, comment)).trimEnd()
    lines.push({ indent: raw.length - body.length, text: content })
  }
  return lines
}

/** The block that starts at `lines[cursor.index]`, all of whose lines are indented exactly `indent`. */
function readBlock(lines: readonly Line[], cursor: { index: number }, indent: number): Value | typeof FALL_BACK {
  const first = lines[cursor.index]
  if (first === undefined || first.indent !== indent) return FALL_BACK
  return first.text === '-' || first.text.startsWith('- ') ? readSequence(lines, cursor, indent) : readMapping(lines, cursor, indent)
}

function readMapping(lines: readonly Line[], cursor: { index: number }, indent: number): Value | typeof FALL_BACK {
  const map: { [key: string]: Value } = {}
  while (cursor.index < lines.length) {
    const line = lines[cursor.index]!
    if (line.indent < indent) break
    if (line.indent > indent) return FALL_BACK
    if (line.text.startsWith('- ') || line.text === '-') break
    if (readEntry(lines, cursor, indent, line.text, map) === FALL_BACK) return FALL_BACK
  }
  return map
}

/** Reads `key: value` (or `key:` and its nested block) into `map`; the cursor moves past it. */
function readEntry(
  lines: readonly Line[],
  cursor: { index: number },
  indent: number,
  text: string,
  map: { [key: string]: Value },
): undefined | typeof FALL_BACK {
  const colon = text.indexOf(':')
  if (colon <= 0) return FALL_BACK
  const key = text.slice(0, colon)
  if (!PLAIN_KEY.test(key) || SPECIAL_WORDS.has(key.toLowerCase()) || key === '__proto__' || Object.hasOwn(map, key)) return FALL_BACK
  const rest = text.slice(colon + 1)
  cursor.index++
  if (rest === '') {
    const next = lines[cursor.index]
    if (next !== undefined && next.indent > indent) {
      const nested = readBlock(lines, cursor, next.indent)
      if (nested === FALL_BACK) return FALL_BACK
      map[key] = nested
    } else if (next !== undefined && next.indent === indent && (next.text.startsWith('- ') || next.text === '-')) {
      // A sequence may sit at its key's own indentation.
      const nested = readSequence(lines, cursor, indent)
      if (nested === FALL_BACK) return FALL_BACK
      map[key] = nested
    } else {
      map[key] = null
    }
    return undefined
  }
  if (!rest.startsWith(' ')) return FALL_BACK
  const scalar = readScalar(rest.slice(1).trimStart())
  if (scalar === FALL_BACK) return FALL_BACK
  map[key] = scalar
  return undefined
}

function readSequence(lines: readonly Line[], cursor: { index: number }, indent: number): Value | typeof FALL_BACK {
  const items: Value[] = []
  while (cursor.index < lines.length) {
    const line = lines[cursor.index]!
    if (line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) {
      if (line.indent > indent) return FALL_BACK
      break
    }
    const item = line.text.slice(1).trimStart()
    if (item === '' || item.startsWith('- ') || item === '-') return FALL_BACK
    const colon = item.indexOf(':')
    if (colon > 0 && (item.length === colon + 1 || item[colon + 1] === ' ') && PLAIN_KEY.test(item.slice(0, colon))) {
      // `- key: value`, and the mapping's further keys on the lines below, indented to `key`.
      const itemIndent = indent + (line.text.length - item.length)
      const map: { [key: string]: Value } = {}
      if (readEntry(lines, cursor, itemIndent, item, map) === FALL_BACK) return FALL_BACK
      const more = lines[cursor.index]
      if (more !== undefined && more.indent === itemIndent) {
        const rest = readMapping(lines, cursor, itemIndent)
        if (rest === FALL_BACK) return FALL_BACK
        for (const [key, value] of Object.entries(rest as { [key: string]: Value })) {
          if (Object.hasOwn(map, key)) return FALL_BACK
          map[key] = value
        }
      }
      items.push(map)
      continue
    }
    const scalar = readScalar(item)
    if (scalar === FALL_BACK) return FALL_BACK
    items.push(scalar)
    cursor.index++
  }
  return items
}

/** A scalar whose YAML 1.1 meaning is certain, or FALL_BACK. */
function readScalar(text: string): Value | typeof FALL_BACK {
  if (text === '') return FALL_BACK
  const first = text[0]
  if (first === '"') {
    // Only the simplest double-quoted text: no escapes, no inner quote.
    if (text.length < 2 || !text.endsWith('"')) return FALL_BACK
    const inner = text.slice(1, -1)
    return inner.includes('"') || inner.includes('\\') ? FALL_BACK : inner
  }
  if (first === "'") {
    if (text.length < 2 || !text.endsWith("'")) return FALL_BACK
    const inner = text.slice(1, -1)
    return inner.includes("'") ? FALL_BACK : inner
  }
  if (DECIMAL_INT.test(text)) return Number(text)
  if (DECIMAL_FRACTION.test(text)) return Number(text)
  if (SIZE_WORD.test(text) || DOTTED_NUMBERS.test(text)) return text
  const word = COMMON_WORDS.get(text)
  if (word !== undefined) return word
  if (!PLAIN_WORD.test(text) || SPECIAL_WORDS.has(text.toLowerCase())) return FALL_BACK
  if (text.endsWith(':') || text.includes(': ') || text.includes(' #')) return FALL_BACK
  return text
}
