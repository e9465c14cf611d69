/**
 * Deterministic JSON: object keys in insertion order (our models fix the order), two-space
 * indent, undefined members dropped, and a final newline.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

/** Returns a copy of `value` with the keys of every nested plain object sorted. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key])
    return out as T
  }
  return value
}
