import { formatPath, type IssuePath } from './errors/issue.js'
import { lineIndex, positionKey, type PositionMap, type SourceReadResult } from './_source-positions.js'

class JsonSyntax extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly duplicatePath?: IssuePath,
  ) {
    super(reason)
  }
}

const MAX_DEPTH = 100
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y

/**
 * Reads a JSON spec with a small strict parser (RFC 8259: no comments, no trailing
 * commas) that records where each key and value starts, and refuses duplicate keys.
 */
export function readJsonSource(text: string, label: string): SourceReadResult {
  const position = lineIndex(text)
  const positions: PositionMap = new Map()
  let i = 0
  const skipSpace = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const fail = (reason: string): never => {
    throw new JsonSyntax(reason, i)
  }
  const readString = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i)
      if (code < 0x20) fail('a line break or control character inside a string (write it as an escape such as \\n)')
      i += text[i] === '\\' ? 2 : 1
    }
    if (i >= text.length) {
      i = start
      fail('a string that is never closed')
    }
    i++
    try {
      return JSON.parse(text.slice(start, i)) as string
    } catch {
      i = start
      return fail('an invalid escape sequence in a string')
    }
  }
  const readValue = (path: IssuePath, key: ReturnType<typeof position> | undefined, depth: number): unknown => {
    skipSpace()
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`)
    const here = position(i)
    const char = text[i]
    const collection = char === '{' || char === '['
    positions.set(positionKey(path), key === undefined ? { value: here, collection } : { key, value: here, collection })
    if (char === '{') {
      i++
      const out: Record<string, unknown> = {}
      const seen = new Set<string>()
      skipSpace()
      if (text[i] === '}') {
        i++
        return out
      }
      for (;;) {
        skipSpace()
        if (text[i] !== '"')
          fail(text[i] === '}' ? 'a comma before "}" (JSON allows no trailing commas)' : 'a key that is not in double quotes')
        const keyOffset = i
        const keyAt = position(i)
        const name = readString()
        if (seen.has(name)) throw new JsonSyntax('duplicate', keyOffset, [...path, name])
        seen.add(name)
        skipSpace()
        if (text[i] !== ':') fail('a missing ":" after a key')
        i++
        Object.defineProperty(out, name, {
          value: readValue([...path, name], keyAt, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        })
        skipSpace()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return out
        }
        fail('a missing "," or "}" after a value')
      }
    }
    if (char === '[') {
      i++
      const out: unknown[] = []
      skipSpace()
      if (text[i] === ']') {
        i++
        return out
      }
      for (;;) {
        out.push(readValue([...path, out.length], undefined, depth + 1))
        skipSpace()
        if (text[i] === ',') {
          i++
          skipSpace()
          if (text[i] === ']') fail('a comma before "]" (JSON allows no trailing commas)')
          continue
        }
        if (text[i] === ']') {
          i++
          return out
        }
        fail('a missing "," or "]" after a list item')
      }
    }
    if (char === '"') return readString()
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length
        return value
      }
    }
    NUMBER.lastIndex = i
    const number = NUMBER.exec(text)
    if (number !== null) {
      i += number[0].length
      return Number(number[0])
    }
    return fail(i >= text.length ? 'an unexpected end of the file' : 'something that is not a JSON value (text must be in double quotes)')
  }
  try {
    const value = readValue([], undefined, 0)
    skipSpace()
    if (i < text.length) fail('more text after the end of the document')
    return { ok: true, value, positions }
  } catch (error) {
    if (!(error instanceof JsonSyntax)) throw error
    const where = position(error.offset)
    if (error.duplicatePath !== undefined) {
      const first = positions.get(positionKey(error.duplicatePath))
      return {
        ok: false,
        problems: [
          {
            code: 'duplicate_key',
            path: error.duplicatePath,
            message: `${formatPath(error.duplicatePath)} is set twice${first?.key === undefined ? '' : ` (first on line ${first.key.line})`}; each key may appear once in an object.`,
            hint: 'keep one of the two and delete the other.',
            position: where,
          },
        ],
      }
    }
    return {
      ok: false,
      problems: [
        {
          code: 'syntax_error',
          message: `${label} is not valid JSON: found ${error.reason}.`,
          hint: 'fix the JSON at this position; JSON allows no comments, no trailing commas and only double-quoted text.',
          position: where,
        },
      ],
    }
  }
}
