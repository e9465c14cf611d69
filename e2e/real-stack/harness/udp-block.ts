import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The nftables table the test adds to its own network namespace (never the host's). */
const TABLE = 'messenger_stack_no_udp'

/** What the drop rules counted while they were in place. */
export interface UdpDropCounts {
  readonly packets: number
  readonly bytes: number
}

/** A UDP-hostile network in the test's namespace; `lift()` removes it and says what it dropped. */
export interface UdpBlock {
  lift(): Promise<UdpDropCounts>
}

/**
 * Makes the test's network namespace behave like a network that carries no UDP beyond the
 * machine itself (a corporate firewall, a hotel Wi-Fi): every UDP datagram to an address other
 * than loopback is dropped, for IPv4 and IPv6. Dropped on arrival (input hook), so senders see
 * no error, as behind a firewall on the path. Loopback UDP is left alone because nothing in a
 * call uses it (browsers never offer loopback candidates), so the block covers exactly the
 * media paths: LiveKit's mux port and its TURN/UDP port on the veth address. Must run inside
 * the namespace the test made (the runner is root there); the counters prove that UDP was
 * tried and dropped.
 */
export async function blockUdp(nft: string): Promise<UdpBlock> {
  const ruleset = [
    `table inet ${TABLE} {`,
    '  chain in {',
    '    type filter hook input priority filter; policy accept;',
    '    meta l4proto udp ip daddr != 127.0.0.0/8 counter drop',
    '    meta l4proto udp ip6 daddr != ::1 counter drop',
    '  }',
    '}',
  ].join('\n')
  await nftRun(nft, ['-f', '-'], ruleset)
  return {
    async lift() {
      const listed = await nftRun(nft, ['-j', 'list', 'table', 'inet', TABLE])
      await nftRun(nft, ['delete', 'table', 'inet', TABLE])
      return dropCounts(listed)
    },
  }
}

/** Sums the `counter` statements of `nft -j list table` output. */
export function dropCounts(json: string): UdpDropCounts {
  const doc = JSON.parse(json) as { nftables?: { rule?: { expr?: { counter?: { packets: number; bytes: number } }[] } }[] }
  let packets = 0
  let bytes = 0
  for (const item of doc.nftables ?? []) {
    for (const expr of item.rule?.expr ?? []) {
      if (expr.counter !== undefined) {
        packets += expr.counter.packets
        bytes += expr.counter.bytes
      }
    }
  }
  return { packets, bytes }
}

async function nftRun(nft: string, args: readonly string[], input?: string): Promise<string> {
  const child = run(nft, args, { timeout: 15_000 })
  if (input !== undefined) {
    child.child.stdin?.end(input)
  }
  try {
    return (await child).stdout
  } catch (err: any) {
    throw new Error(`nft ${args.join(' ')} failed: ${err.stderr ?? err.message}`)
  }
}
