import type { z } from 'zod'
import type { IssuePath } from '../errors/issue.js'

type Def = Readonly<Record<string, unknown>>

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch'])

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def
}

/** The schemas a value may be checked against once wrappers are removed (unions fan out). */
function variants(schema: unknown, depth = 0): unknown[] {
  const def = defOf(schema)
  if (def === undefined || depth > 20) return []
  if (WRAPPERS.has(def['type'] as string)) return variants(def['innerType'], depth + 1)
  if (def['type'] === 'pipe') return variants(def['in'], depth + 1)
  if (def['type'] === 'union') return (def['options'] as unknown[]).flatMap((option) => variants(option, depth + 1))
  return [schema]
}

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The paths of every key in `value` that `schema` does not model: keys of objects whose
 * schema has no such field (loose objects let them through as `unknown`), at any depth.
 * Keys of records and of `unknown` values count as modelled. Sorted in document order of
 * the walk (mapping order, then list index).
 */
export function notModelledPaths(schema: z.ZodType, value: unknown): IssuePath[] {
  const out: IssuePath[] = []
  const walk = (node: unknown, candidates: unknown[], path: IssuePath): void => {
    if (Array.isArray(node)) {
      const elements = candidates.flatMap((candidate) => {
        const def = defOf(candidate)
        return def?.['type'] === 'array' ? variants(def['element']) : []
      })
      if (elements.length > 0) for (const [index, item] of node.entries()) walk(item, elements, [...path, index])
      return
    }
    if (!isMapping(node)) return
    const shapes: Record<string, unknown>[] = []
    const records: unknown[] = []
    for (const candidate of candidates) {
      const def = defOf(candidate)
      if (def?.['type'] === 'object') shapes.push(def['shape'] as Record<string, unknown>)
      else if (def?.['type'] === 'record') records.push(...variants(def['valueType']))
    }
    if (shapes.length === 0) {
      if (records.length > 0) for (const key of Object.keys(node)) walk(node[key], records, [...path, key])
      return
    }
    for (const key of Object.keys(node)) {
      const fields = shapes.flatMap((shape) => (Object.hasOwn(shape, key) ? variants(shape[key]) : []))
      if (fields.length === 0) out.push([...path, key])
      else walk(node[key], fields, [...path, key])
    }
  }
  walk(value, variants(schema), [])
  return out
}
