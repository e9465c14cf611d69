import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from 'yaml'
import { formatPath, type IssuePath } from './errors/issue.js'
import type { PositionMap, SourcePosition, SourceReadResult, SyntaxProblem } from './_source-positions.js'
import { positionKey } from './_source-positions.js'

/** yaml's message without its " at line L, column C:" tail and source excerpt. */
function reason(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message
  const text = first.replace(/ at line \d+, column \d+:?$/, '').replace(/[.:]$/, '')
  return text.charAt(0).toLowerCase() + text.slice(1)
}

const HINTS: Readonly<Record<string, string>> = {
  BAD_INDENT: 'indent nested keys with spaces, by the same amount at each level, and close every [ or { that is opened.',
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation.',
  MISSING_CHAR: 'close the quote or bracket that is left open.',
  MULTIPLE_DOCS: 'keep one document in the spec file (remove the extra "---").',
  BLOCK_AS_IMPLICIT_KEY: 'put a nested mapping on its own lines, indented below its key.',
}

/**
 * Reads a YAML spec as YAML 1.1 (as Synapse, compose and the rest of the stack read YAML)
 * and records where each field is written. Duplicate keys are reported with both lines.
 */
export function readYamlSource(text: string, label: string): SourceReadResult {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { version: '1.1', lineCounter, uniqueKeys: false, prettyErrors: false })
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        code: 'syntax_error',
        message: `${label} is not valid YAML: ${reason(error)}.`,
        hint:
          HINTS[error.code] ?? 'fix the YAML syntax at this position; quote text that contains ": " or starts with a special character.',
        position: at(error.pos[0]),
      })),
    }
  }
  const positions: PositionMap = new Map()
  const problems: SyntaxProblem[] = []
  const walk = (node: unknown, path: IssuePath, key: SourcePosition | undefined, fallback: SourcePosition): void => {
    const range = (node as { range?: [number, number, number] } | null)?.range
    const value = range === undefined ? (key ?? fallback) : at(range[0])
    const collection = isMap(node) || isSeq(node)
    positions.set(positionKey(path), key === undefined ? { value, collection } : { key, value, collection })
    if (isAlias(node)) return
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index], undefined, value)
    } else if (isMap(node)) {
      const seen = new Map<string, SourcePosition>()
      for (const pair of node.items) {
        const keyNode = pair.key
        const keyAt = isScalar(keyNode) && keyNode.range !== undefined && keyNode.range !== null ? at(keyNode.range[0]) : value
        if (!isScalar(keyNode)) {
          problems.push({
            code: 'syntax_error',
            message: `${label} uses a mapping or list as a key inside ${formatPath(path)}; keys must be plain text.`,
            hint: 'write the key as plain text, such as "tcpPort".',
            position: keyAt,
          })
          continue
        }
        const name = String(keyNode.value)
        const childPath = [...path, name]
        const first = seen.get(name)
        if (first !== undefined && name !== '<<') {
          problems.push({
            code: 'duplicate_key',
            path: childPath,
            message: `${formatPath(childPath)} is set twice (first on line ${first.line}); each key may appear once in a mapping.`,
            hint: 'keep one of the two and delete the other.',
            position: keyAt,
          })
          continue
        }
        seen.set(name, keyAt)
        walk(pair.value, childPath, keyAt, keyAt)
      }
    }
  }
  walk(doc.contents, [], undefined, { line: 1, column: 1 })
  if (problems.length > 0) return { ok: false, problems }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: 100 }) ?? null, positions }
  } catch (error) {
    const first = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'it cannot be converted to data'
    const why = first.charAt(0).toLowerCase() + first.slice(1)
    return {
      ok: false,
      problems: [
        {
          code: 'syntax_error',
          message: `${label} is not valid YAML: ${why}.`,
          hint: 'define every anchor (&name) before its alias (*name), and do not use aliases to repeat large values.',
          position: { line: 1, column: 1 },
        },
      ],
    }
  }
}
