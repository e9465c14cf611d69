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

import type { IssuePath } from './errors/issue.js'
import { positionKey, type PositionMap, type SourcePosition } from './_source-positions.js'

/** A parsed value: what `yaml`'s `toJS()` gives for the same text. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value }

interface Line {
  /** 1-based line number in the text. */
  readonly number: number
  readonly indent: number
  /** The line without its indentation and without a trailing comment. */
  readonly text: string
  /** Whether spaces or a comment followed `text` on the line. */
  readonly trailing: boolean
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

/**
 * An exponent without a mantissa (`e0`, `E+5`): it starts with a letter, yet the yaml library's
 * YAML 1.1 float pattern takes it (its mantissa digits are optional) and reads NaN.
 */
const BARE_EXPONENT = /^[eE][-+]?[0-9]+$/

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

/** Where a reading is: its lines, the next one, and the positions it records (when asked for). */
interface Reader {
  readonly lines: readonly Line[]
  index: number
  /** Positions of every field, as the yaml library's reader records them; only with `positions`. */
  readonly positions: PositionMap | undefined
  /** Set when a position is not known for certain: the positions are then not returned. */
  unsure: boolean
}

function record(
  reader: Reader,
  path: IssuePath | undefined,
  key: SourcePosition | undefined,
  value: SourcePosition,
  collection: boolean,
): void {
  if (reader.positions === undefined || path === undefined) return
  reader.positions.set(positionKey(path), key === undefined ? { value, collection } : { key, value, collection })
}

const child = (path: IssuePath | undefined, part: string | number): IssuePath | undefined =>
  path === undefined ? undefined : [...path, part]

/** Reads `text` if it lies in the subset; `undefined` means "read it with the yaml library". */
export function readPlainYaml(text: string): Record<string, Value> | undefined {
  return read(text, undefined)
}

/**
 * The positions of every field of a text {@link readPlainYaml} reads, the same as the yaml
 * library's reader records (see `readYamlSource`); `undefined` when it declines the text.
 */
export function plainYamlPositions(text: string): PositionMap | undefined {
  const positions: PositionMap = new Map()
  return read(text, positions) === undefined ? undefined : positions
}

function read(text: string, positions: PositionMap | undefined): Record<string, Value> | undefined {
  if (!SUBSET_CHARACTERS.test(text)) return undefined
  const lines = significantLines(text)
  if (lines === undefined || lines.length === 0 || lines[0]!.indent !== 0) return undefined
  const reader: Reader = { lines, index: 0, positions, unsure: false }
  const path: IssuePath | undefined = positions === undefined ? undefined : []
  record(reader, path, undefined, { line: lines[0]!.number, column: 1 }, true)
  const value = readBlock(reader, 0, path)
  if (value === FALL_BACK || reader.index !== lines.length || reader.unsure) return undefined
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return value
}

function significantLines(text: string): Line[] | undefined {
  const lines: Line[] = []
  const raws = text.split('\n')
  for (let index = 0; index < raws.length; index++) {
    const raw = raws[index]!
    const body = raw.trimStart()
    if (body === '' || body.startsWith('#')) continue
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) return undefined
    const comment = body.indexOf(' #')
    const content = (comment === -1 ? body : body.slice(0, comment)).trimEnd()
    lines.push({ number: index + 1, indent: raw.length - body.length, text: content, trailing: content.length < body.length })
  }
  return lines
}

/** The block that starts at `lines[cursor.index]`, all of whose lines are indented exactly `indent`. */
function readBlock(reader: Reader, indent: number, path: IssuePath | undefined): Value | typeof FALL_BACK {
  const first = reader.lines[reader.index]
  if (first === undefined || first.indent !== indent) return FALL_BACK
  return first.text === '-' || first.text.startsWith('- ') ? readSequence(reader, indent, path) : readMapping(reader, indent, path)
}

function readMapping(reader: Reader, indent: number, path: IssuePath | undefined): Value | typeof FALL_BACK {
  const map: { [key: string]: Value } = {}
  while (reader.index < reader.lines.length) {
    const line = reader.lines[reader.index]!
    if (line.indent < indent) break
    if (line.indent > indent) return FALL_BACK
    if (line.text.startsWith('- ') || line.text === '-') break
    if (readEntry(reader, indent, line.text, map, path) === FALL_BACK) return FALL_BACK
  }
  return map
}

/** Reads `key: value` (or `key:` and its nested block) into `map`; the reader moves past it. */
function readEntry(
  reader: Reader,
  indent: number,
  text: string,
  map: { [key: string]: Value },
  path: IssuePath | undefined,
): undefined | typeof FALL_BACK {
  const colon = text.indexOf(':')
  if (colon <= 0) return FALL_BACK
  const key = text.slice(0, colon)
  if (!PLAIN_KEY.test(key) || isSpecialWord(key) || key === '__proto__' || Object.hasOwn(map, key)) return FALL_BACK
  const rest = text.slice(colon + 1)
  const current = reader.lines[reader.index]!
  const line = current.number
  const keyAt = { line, column: indent + 1 }
  const keyPath = child(path, key)
  reader.index++
  if (rest === '') {
    const next = reader.lines[reader.index]
    const nestedAt = next === undefined ? undefined : { line: next.number, column: next.indent + 1 }
    if (next !== undefined && next.indent > indent) {
      record(reader, keyPath, keyAt, nestedAt!, true)
      const nested = readBlock(reader, next.indent, keyPath)
      if (nested === FALL_BACK) return FALL_BACK
      map[key] = nested
    } else if (next !== undefined && next.indent === indent && (next.text.startsWith('- ') || next.text === '-')) {
      // A sequence may sit at its key's own indentation.
      record(reader, keyPath, keyAt, nestedAt!, true)
      const nested = readSequence(reader, indent, keyPath)
      if (nested === FALL_BACK) return FALL_BACK
      map[key] = nested
    } else {
      // The yaml library places an empty value right after the colon, or after spaces and
      // before a comment that follow it: those positions are left to it.
      if (current.trailing && reader.positions !== undefined) reader.unsure = true
      record(reader, keyPath, keyAt, { line, column: indent + colon + 2 }, false)
      map[key] = null
    }
    return undefined
  }
  if (!rest.startsWith(' ')) return FALL_BACK
  const value = rest.trimStart()
  const scalar = readScalar(value)
  if (scalar === FALL_BACK) return FALL_BACK
  record(reader, keyPath, keyAt, { line, column: indent + 1 + text.length - value.length }, false)
  map[key] = scalar
  return undefined
}

function readSequence(reader: Reader, indent: number, path: IssuePath | undefined): Value | typeof FALL_BACK {
  const items: Value[] = []
  while (reader.index < reader.lines.length) {
    const line = reader.lines[reader.index]!
    if (line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) {
      if (line.indent > indent) return FALL_BACK
      break
    }
    const item = line.text.slice(1).trimStart()
    if (item === '' || item.startsWith('- ') || item === '-') return FALL_BACK
    const itemPath = child(path, items.length)
    const itemIndent = indent + (line.text.length - item.length)
    const colon = item.indexOf(':')
    if (colon > 0 && (item.length === colon + 1 || item[colon + 1] === ' ') && PLAIN_KEY.test(item.slice(0, colon))) {
      // `- key: value`, and the mapping's further keys on the lines below, indented to `key`.
      record(reader, itemPath, undefined, { line: line.number, column: itemIndent + 1 }, true)
      const map: { [key: string]: Value } = {}
      if (readEntry(reader, itemIndent, item, map, itemPath) === FALL_BACK) return FALL_BACK
      const more = reader.lines[reader.index]
      if (more !== undefined && more.indent === itemIndent) {
        const rest = readMapping(reader, itemIndent, itemPath)
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
    record(reader, itemPath, undefined, { line: line.number, column: itemIndent + 1 }, false)
    items.push(scalar)
    reader.index++
  }
  return items
}

/** The longest of {@link SPECIAL_WORDS}: a longer word needs no lower-cased copy to be looked up. */
const SPECIAL_WORD_LENGTH = Math.max(...[...SPECIAL_WORDS].map((word) => word.length))

/** Whether `text` is one of {@link SPECIAL_WORDS} in any case. */
const isSpecialWord = (text: string): boolean => text.length <= SPECIAL_WORD_LENGTH && SPECIAL_WORDS.has(text.toLowerCase())

/**
 * A scalar whose YAML 1.1 meaning is certain, or FALL_BACK. Scalars are told apart by their
 * first character first: every number form below starts with a digit and every word with a
 * letter, so each scalar is tested only against the patterns it could match.
 */
function readScalar(text: string): Value | typeof FALL_BACK {
  if (text === '') return FALL_BACK
  const first = text[0]!
  if (first >= '0' && first <= '9') return readNumberLike(text)
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
  const word = COMMON_WORDS.get(text)
  if (word !== undefined) return word
  if (!PLAIN_WORD.test(text) || isSpecialWord(text) || ((first === 'e' || first === 'E') && BARE_EXPONENT.test(text))) return FALL_BACK
  if (text.endsWith(':') || text.includes(': ') || text.includes(' #')) return FALL_BACK
  return text
}

/** A scalar that starts with a digit: a number, a size (`50M`), dotted numbers, or FALL_BACK. */
function readNumberLike(text: string): Value | typeof FALL_BACK {
  if (DECIMAL_INT.test(text) || DECIMAL_FRACTION.test(text)) return Number(text)
  if (SIZE_WORD.test(text) || DOTTED_NUMBERS.test(text)) return text
  return FALL_BACK
}
