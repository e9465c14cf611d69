// The string parser alone: @iarna/toml's main module also loads its stream parser, which needs
// Node's `stream` and keeps the package from bundling for the browser.
// @ts-expect-error -- the package types only its main module; this is its `parse`.
import parseString from '@iarna/toml/parse-string.js'
import type { IssuePath } from './errors/issue.js'
import { positionKey, type PositionMap, type SourceReadResult } from './_source-positions.js'

const parseToml: typeof import('@iarna/toml').parse = parseString

/** Splits a TOML key such as `livekit.turn."udp-port"` into its parts. */
function keyParts(raw: string): string[] | undefined {
  const parts: string[] = []
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y
  let index = 0
  while (index < raw.length) {
    pattern.lastIndex = index
    const match = pattern.exec(raw)
    if (match === null) return undefined
    let part = match[2] ?? match[3] ?? ''
    if (match[1] !== undefined) {
      try {
        part = JSON.parse(`"${match[1]}"`) as string
      } catch {
        part = match[1]
      }
    }
    parts.push(part)
    index = pattern.lastIndex
    if (match[4] === '') break
  }
  return parts
}

/**
 * Line-based positions of a TOML file: table headers and `key = value` lines. Values
 * inside inline tables and arrays are not tracked, so issues there point at their key.
 */
function tomlPositions(text: string): PositionMap {
  const positions: PositionMap = new Map()
  const arrayCounts = new Map<string, number>()
  let table: IssuePath = []
  let inMultiline: string | undefined
  text.split('\n').forEach((line, index) => {
    const lineNumber = index + 1
    if (inMultiline !== undefined) {
      if (line.includes(inMultiline)) inMultiline = undefined
      return
    }
    const header = /^(\s*)(\[\[?)([^\]#]+)\]\]?\s*(?:#.*)?$/.exec(line)
    if (header !== null) {
      const parts = keyParts(header[3]!)
      if (parts === undefined) return
      const column = header[1]!.length + header[2]!.length + 1
      if (header[2] === '[[') {
        const counted = positionKey(parts)
        const next = arrayCounts.get(counted) ?? 0
        arrayCounts.set(counted, next + 1)
        positions.set(counted, { key: { line: lineNumber, column }, value: { line: lineNumber, column }, collection: true })
        table = [...parts, next]
      } else {
        table = parts
      }
      positions.set(positionKey(table), { key: { line: lineNumber, column }, value: { line: lineNumber, column }, collection: true })
      return
    }
    const assignment = /^(\s*)((?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.\s-])+?)\s*=\s*/.exec(line)
    if (assignment === null) return
    const parts = keyParts(assignment[2]!)
    if (parts === undefined) return
    const rest = line.slice(assignment[0].length)
    const path = [...table, ...parts]
    positions.set(positionKey(path), {
      key: { line: lineNumber, column: assignment[1]!.length + 1 },
      value: { line: lineNumber, column: assignment[0].length + 1 },
      collection: rest.startsWith('{') || rest.startsWith('['),
    })
    for (const quote of ['"""', "'''"]) {
      if (rest.startsWith(quote) && !rest.slice(3).includes(quote)) inMultiline = quote
    }
  })
  return positions
}

/** @iarna/toml's message without its "at row R, col C, pos P:" tail and excerpt. */
function reason(message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at row \d+, col \d+, pos \d+:?$/, '').replace(/[.:]$/, '')
  return first.charAt(0).toLowerCase() + first.slice(1)
}

/** Reads a TOML spec; issues get the line of their key where it can be found. */
export function readTomlSource(text: string, label: string): SourceReadResult {
  try {
    return { ok: true, value: parseToml(text), positions: tomlPositions(text) }
  } catch (error) {
    const detail = error as { fromTOML?: boolean; line?: number; col?: number; message?: string }
    if (detail.fromTOML !== true) throw error
    const redefined = /redefine existing key/i.test(detail.message ?? '')
    return {
      ok: false,
      problems: [
        {
          code: redefined ? 'duplicate_key' : 'syntax_error',
          message: redefined
            ? `${label} sets the same key or table twice; each key may appear once.`
            : `${label} is not valid TOML: ${reason(detail.message ?? 'unreadable')}.`,
          hint: redefined
            ? 'keep one of the two and delete the other.'
            : 'fix the TOML at this position; text values need quotes, such as serverName = "example.org".',
          position: { line: (detail.line ?? 0) + 1, column: (detail.col ?? 0) + 1 },
        },
      ],
    }
  }
}
