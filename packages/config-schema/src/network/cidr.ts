/**
 * CIDR ranges as numbers, to tell whether a range someone wrote overlaps a private one.
 * IPv4 and IPv6 (with `::` compression and an embedded IPv4 tail); no zone IDs.
 */

/** A parsed CIDR range: its family, first address and prefix length. */
export interface CidrRange {
  readonly family: 4 | 6
  readonly base: bigint
  readonly prefix: number
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined
    value = (value << 8n) | BigInt(part)
  }
  return value
}

function parseIpv6(text: string): bigint | undefined {
  let head = text
  let tail: bigint[] = []
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4 !== null) {
    const low = parseIpv4(v4[2]!)
    if (low === undefined) return undefined
    head = `${v4[1]}${(low >> 16n).toString(16)}:${(low & 0xffffn).toString(16)}`
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string) => (half === '' ? [] : half.split(':'))
  const left = groups(halves[0]!)
  const right = halves.length === 2 ? groups(halves[1]!) : []
  const missing = 8 - left.length - right.length
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right]
  tail = []
  for (const group of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined
    tail.push(BigInt(`0x${group}`))
  }
  return tail.reduce((value, group) => (value << 16n) | group, 0n)
}

/** Parses `10.0.0.0/8`, `fc00::/7` or a bare address (a /32 or /128); undefined when invalid. */
export function parseCidr(text: string): CidrRange | undefined {
  const [address, prefixText, extra] = text.trim().split('/')
  if (address === undefined || extra !== undefined) return undefined
  const family = address.includes(':') ? 6 : 4
  const bits = family === 4 ? 32 : 128
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN
  if (!(prefix >= 0 && prefix <= bits)) return undefined
  const value = family === 4 ? parseIpv4(address) : parseIpv6(address)
  if (value === undefined) return undefined
  const hostBits = BigInt(bits - prefix)
  return { family, base: (value >> hostBits) << hostBits, prefix }
}

function lastAddress(range: CidrRange): bigint {
  const bits = range.family === 4 ? 32 : 128
  return range.base + (1n << BigInt(bits - range.prefix)) - 1n
}

/** Whether two ranges share at least one address. */
export function cidrOverlaps(a: CidrRange, b: CidrRange): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a)
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: CidrRange, inner: CidrRange): boolean {
  return (
    outer.family === inner.family && outer.prefix <= inner.prefix && outer.base <= inner.base && lastAddress(inner) <= lastAddress(outer)
  )
}
