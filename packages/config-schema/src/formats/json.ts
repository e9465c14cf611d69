import { assertPrintable } from './_printable.js'

/**
 * Deterministic JSON: object keys in insertion order (our models fix the order), two-space
 * indent, undefined members dropped, and a final newline.
 *
 * @throws {TypeError} for a value JSON cannot represent as it is: a Date, Map, Set or other
 * class instance, a function, a symbol, or a number that is not finite.
 */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, refuseUnprintable, 2)}\n`
}

/** JSON.stringify's replacer: sees each raw value (`this[key]`, before any `toJSON`). */
function refuseUnprintable(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key]
  if (typeof raw === 'number' && !Number.isFinite(raw))
    throw new TypeError(`stableJson cannot print ${raw} (at key ${JSON.stringify(key)})`)
  assertPrintable(raw, 'stableJson', key)
  return value
}

/** Returns a copy of `value` with the keys of every nested plain object sorted. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeysDeep(item)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const item = sortKeysDeep((value as Record<string, unknown>)[key])
      // A user's `__proto__` key (JSON.parse makes it an own key) must stay a key, not become the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true })
      else out[key] = item
    }
    return out as T
  }
  return value
}
