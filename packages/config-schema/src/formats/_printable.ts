/**
 * Refuses what the printers cannot represent: a Date, Map, Set or other class instance would
 * come out as `{}` (or as whatever its `toJSON` says), a function or symbol would vanish, and a
 * non-finite number would become `null` in JSON. Plain objects (also without a prototype),
 * arrays and scalars pass.
 *
 * @throws {TypeError} naming the value's kind and, when known, the key it was under.
 */
export function assertPrintable(value: unknown, printer: string, key?: string): void {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    throw new TypeError(`${printer} cannot print a ${typeof value}${where(key)}`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null) return
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  throw new TypeError(`${printer} cannot print a ${typeof name === 'string' && name !== '' ? name : 'class instance'}${where(key)}`)
}

/** The key part of the message, built only when throwing: the printers check every value they print. */
function where(key: string | undefined): string {
  return key === undefined || key === '' ? '' : ` (at key ${JSON.stringify(key)})`
}
