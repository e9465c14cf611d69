import * as z from 'zod'
import type { IssueCode, IssuePath } from './issue.js'

/**
 * What to tell a user whose value for a field is refused: `invalid` for a value of the
 * wrong form or range, `missing` for a required field left out.
 */
export interface FieldHint {
  readonly invalid?: string
  readonly missing?: string
}

/**
 * Hints live on the schemas themselves, beside the field they explain, so a hint follows
 * its field wherever it is used and never leaks onto another field that happens to share a
 * key name (`synapse.email` is not Let's Encrypt's `email`). zod copies the entry onto
 * `.meta()`/`.describe()` clones of a registered schema; wrappers (`.optional()`,
 * `.default()`) are looked through when the hint is read.
 */
const fieldHints = z.registry<FieldHint>()

/** Registers `hint` on `schema` (after its checks, before its description) and returns the schema. */
export function withHint<T extends z.ZodType>(schema: T, hint: FieldHint): T {
  fieldHints.add(schema, hint)
  return schema
}

/**
 * The hint registered on the schema at `path` under `root` for format, range and
 * missing-field issues; undefined when the generic hint is the best there is.
 */
export function fieldHint(root: z.ZodType, path: IssuePath, code: IssueCode): string | undefined {
  const kind = code === 'missing_field' ? 'missing' : code === 'invalid_format' || code === 'out_of_range' ? 'invalid' : undefined
  return kind === undefined ? undefined : hintAt(root, path, kind, 0)
}

type Def = Record<string, unknown> & { readonly type: string }
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch'])
/** Deeper than any spec nesting: a bound, so a recursive schema cannot loop. */
const MAX_STEPS = 40

function hintAt(node: unknown, path: IssuePath, kind: keyof FieldHint, steps: number): string | undefined {
  const schema = node as z.ZodType | undefined
  const def = (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def
  if (schema === undefined || def === undefined || steps > MAX_STEPS) return undefined
  if (path.length === 0) {
    const own = fieldHints.get(schema)?.[kind]
    if (own !== undefined) return own
  }
  const next = (child: unknown, rest: IssuePath) => hintAt(child, rest, kind, steps + 1)
  if (WRAPPERS.has(def.type)) return next(def['innerType'], path)
  if (def.type === 'pipe') return next(def['in'], path) ?? next(def['out'], path)
  if (def.type === 'union') {
    for (const option of def['options'] as unknown[]) {
      const found = next(option, path)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (path.length === 0) return undefined
  const [head, ...rest] = path
  if (def.type === 'object') return next((def['shape'] as Record<string, unknown>)[String(head)], rest)
  if (def.type === 'array') return next(def['element'], rest)
  if (def.type === 'record') return next(def['valueType'], rest)
  return undefined
}
