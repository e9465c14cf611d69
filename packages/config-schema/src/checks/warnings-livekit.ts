import { dnsRecordHosts } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { cidrContains, parseCidr } from '../network/cidr.js'

/**
 * Media port ranges wider than this get a warning: Docker starts one proxy process per
 * published port, so a range of thousands makes `docker compose up` slow and costs memory.
 * A few hundred ports carry many calls; the UDP mux port (the default) carries all of them.
 */
export const UDP_RANGE_WARNING_PORTS = 500

/** Addresses no client on another network can reach: loopback, private, shared (CGNAT) and link-local. */
const UNREACHABLE_RANGES = [
  { range: '127.0.0.0/8', kind: 'a loopback' },
  { range: '10.0.0.0/8', kind: 'a private' },
  { range: '172.16.0.0/12', kind: 'a private' },
  { range: '192.168.0.0/16', kind: 'a private' },
  { range: '100.64.0.0/10', kind: 'a carrier-grade NAT (shared)' },
  { range: '169.254.0.0/16', kind: 'a link-local' },
].map(({ range, kind }) => ({ range: parseCidr(range)!, kind }))

/** Names that exist only inside a network (RFC 2606, RFC 6761, RFC 6762, RFC 8375, ICANN's .internal, the usual .lan). */
const LOCAL_ONLY_SUFFIXES = ['.test', '.example', '.invalid', '.localhost', '.local', '.internal', '.home.arpa', '.lan']

/**
 * A private or loopback `livekit.nodeIp` is what DEPLOY.md tells the operator to point the
 * DNS records at, and what LiveKit advertises to clients: nobody on another network can
 * reach it (nor can Let's Encrypt). Quiet when every name is local-only or when
 * `livekit.turn.relayToPrivateNodeIp` says the private address is meant.
 */
export function warnPrivateNodeIp(spec: DeploymentSpec): SpecIssue[] {
  const lk = spec.livekit
  if (!lk.enabled || lk.nodeIp === undefined || (lk.turn.enabled && lk.turn.relayToPrivateNodeIp)) return []
  const address = parseCidr(lk.nodeIp)
  const match = address === undefined ? undefined : UNREACHABLE_RANGES.find(({ range }) => cidrContains(range, address))
  if (match === undefined) return []
  const hosts = dnsRecordHosts(spec).filter((host) => !LOCAL_ONLY_SUFFIXES.some((suffix) => host.endsWith(suffix)))
  if (hosts.length === 0) return []
  const named = hosts.length === 1 ? hosts[0] : `${hosts[0]} and ${hosts.length - 1} more`
  const letsEncrypt = spec.mode === 'standalone' && spec.tls?.letsEncrypt !== undefined ? ", and neither can Let's Encrypt" : ''
  return [
    {
      path: ['livekit', 'nodeIp'],
      code: 'private_node_ip',
      message: `livekit.nodeIp ${lk.nodeIp} is ${match.kind} address, yet DEPLOY.md tells you to point the DNS records of ${named} at it and LiveKit advertises it to every client: clients on other networks cannot reach it${letsEncrypt}.`,
      hint: "set livekit.nodeIp to this host's public IPv4 address (behind NAT: the router's, with the ports forwarded) or remove it to discover that address over STUN; for a deployment used only inside this network, set livekit.turn.relayToPrivateNodeIp to true.",
    },
  ]
}

/** Each published port is one Docker proxy process: thousands make start-up slow (media range and TURN relay range). */
export function warnWideUdpRange(spec: DeploymentSpec): SpecIssue[] {
  if (!spec.livekit.enabled) return []
  return [...wideMediaRange(spec), ...wideRelayRange(spec)]
}

function wideRelayRange(spec: DeploymentSpec): SpecIssue[] {
  const { turn } = spec.livekit
  const ports = turn.relayRange.end - turn.relayRange.start + 1
  if (!turn.enabled || ports <= UDP_RANGE_WARNING_PORTS) return []
  return [
    {
      path: ['livekit', 'turn', 'relayRange'],
      code: 'wide_udp_range',
      message: `livekit.turn.relayRange publishes ${ports} UDP ports; Docker starts one proxy process per published port, so start-up is slow and the proxies cost memory.`,
      hint: `narrow it to at most ${UDP_RANGE_WARNING_PORTS} ports (about four per participant relayed at once), such as ${turn.relayRange.start}-${turn.relayRange.start + UDP_RANGE_WARNING_PORTS - 1}.`,
    },
  ]
}

function wideMediaRange(spec: DeploymentSpec): SpecIssue[] {
  const range = spec.livekit.udpRange
  if (range === undefined || spec.livekit.udpPort !== undefined) return []
  const ports = range.end - range.start + 1
  if (ports <= UDP_RANGE_WARNING_PORTS) return []
  return [
    {
      path: ['livekit', 'udpRange'],
      code: 'wide_udp_range',
      message: `livekit.udpRange publishes ${ports} UDP ports; Docker starts one proxy process per published port, so start-up is slow and the proxies cost memory.`,
      hint: `remove livekit.udpRange to carry all media on one multiplexed UDP port (livekit.udpPort, 7882 by default), or narrow it to at most ${UDP_RANGE_WARNING_PORTS} ports, such as ${range.start}-${range.start + UDP_RANGE_WARNING_PORTS - 1}.`,
    },
  ]
}
