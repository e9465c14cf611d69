import type { IssuePath } from './errors/issue.js'

/** A 1-based position in a source file. */
export interface SourcePosition {
  readonly line: number
  readonly column: number
}

/** Where a field is written: its key (absent for list items and the root) and its value. */
export interface FieldPosition {
  readonly key?: SourcePosition
  readonly value: SourcePosition
  /** Whether the value is a mapping or a list (issues about it point at the key). */
  readonly collection: boolean
}

/** Positions of every field of a parsed file, by {@link positionKey}. */
export type PositionMap = Map<string, FieldPosition>

/** The key of a path in a {@link PositionMap}. */
export function positionKey(path: IssuePath): string {
  return JSON.stringify(path.map((part) => (typeof part === 'number' ? part : String(part))))
}

/**
 * Finds the best position for an issue at `path`: the value itself (or its key, for unknown
 * keys and for mappings and lists), else the key of the nearest ancestor that exists in the
 * file (for a missing field, the mapping it is missing from), else the start of the file.
 */
export function locate(positions: PositionMap, path: IssuePath, preferKey: boolean): SourcePosition {
  const exact = positions.get(positionKey(path))
  if (exact !== undefined) return (preferKey || exact.collection ? exact.key : undefined) ?? exact.value
  for (let length = path.length - 1; length >= 0; length--) {
    const found = positions.get(positionKey(path.slice(0, length)))
    if (found !== undefined) return found.key ?? found.value
  }
  return { line: 1, column: 1 }
}

/** Converts offsets into 1-based line and column numbers (columns count UTF-16 units). */
export function lineIndex(text: string): (offset: number) => SourcePosition {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - starts[low]! + 1 }
  }
}

/** A syntax problem found while reading a file, before any schema check. */
export interface SyntaxProblem {
  readonly message: string
  readonly hint: string
  readonly position: SourcePosition
  readonly code: 'syntax_error' | 'duplicate_key'
  readonly path?: IssuePath
}

/** What a format reader returns: the data and where each field is, or syntax problems. */
export type SourceReadResult =
  | { readonly ok: true; readonly value: unknown; readonly positions: PositionMap }
  | { readonly ok: false; readonly problems: readonly SyntaxProblem[] }
