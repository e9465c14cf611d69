// Warnings for settings that are legal but likely wrong: a private node IP behind public DNS
// records, a UDP range of thousands of Docker proxies. Messages pinned for review.
import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec, type DeploymentSpecInput, type SpecIssue } from '../src/index.js'
import { UDP_RANGE_WARNING_PORTS } from '../src/checks/index.js'
import { repoFile } from './_helpers.js'
import { parse } from 'yaml'

const base: DeploymentSpecInput = {
  serverName: 'example.org',
  tls: { letsEncrypt: { email: 'admin@example.org' } },
  backups: { encryption: 'none' },
}
const warnings = (input: Partial<DeploymentSpecInput>): SpecIssue[] => {
  const result = safeParseDeploymentSpec({ ...base, ...input })
  if (!result.success) throw new Error(result.issues.map((issue) => issue.message).join('\n'))
  return [...result.warnings]
}
const brief = (issues: SpecIssue[]) => issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message} | ${i.hint}`)

describe('private or loopback livekit.nodeIp', () => {
  it('warns when DEPLOY.md points public DNS records at it', () => {
    expect(brief(warnings({ matrixHost: 'matrix.example.org', livekit: { nodeIp: '192.168.1.10' } }))).toMatchInlineSnapshot(`
      [
        "private_node_ip at livekit.nodeIp: livekit.nodeIp 192.168.1.10 is a private address, yet DEPLOY.md tells you to point the DNS records of example.org and 1 more at it and LiveKit advertises it to every client: clients on other networks cannot reach it, and neither can Let's Encrypt. | set livekit.nodeIp to this host's public IPv4 address (behind NAT: the router's, with the ports forwarded) or remove it to discover that address over STUN; for a deployment used only inside this network, set livekit.turn.relayToPrivateNodeIp to true.",
      ]
    `)
    expect(brief(warnings({ livekit: { nodeIp: '127.0.0.1' } }))).toMatchInlineSnapshot(`
      [
        "private_node_ip at livekit.nodeIp: livekit.nodeIp 127.0.0.1 is a loopback address, yet DEPLOY.md tells you to point the DNS records of example.org at it and LiveKit advertises it to every client: clients on other networks cannot reach it, and neither can Let's Encrypt. | set livekit.nodeIp to this host's public IPv4 address (behind NAT: the router's, with the ports forwarded) or remove it to discover that address over STUN; for a deployment used only inside this network, set livekit.turn.relayToPrivateNodeIp to true.",
      ]
    `)
  })

  it('names the kind of address: CGNAT and link-local too', () => {
    expect(warnings({ livekit: { nodeIp: '100.72.0.5' } })[0]?.message).toContain('carrier-grade NAT')
    expect(warnings({ livekit: { nodeIp: '169.254.3.4' } })[0]?.message).toContain('link-local')
    expect(warnings({ livekit: { nodeIp: '10.1.2.3' } })[0]?.message).toContain('a private address')
  })

  it("does not mention Let's Encrypt where it does not issue the certificate", () => {
    const [warning] = warnings({ mode: 'microservice', tls: undefined, livekit: { nodeIp: '10.0.0.2' } })
    expect(warning?.code).toBe('private_node_ip')
    expect(warning?.message).not.toContain("Let's Encrypt")
  })

  it('is quiet for public addresses, STUN discovery, local-only names, an intended private address, and without calls', () => {
    expect(warnings({ livekit: { nodeIp: '198.51.100.7' } })).toEqual([])
    expect(warnings({ livekit: { nodeIp: '172.32.0.1' } })).toEqual([])
    expect(warnings({ livekit: {} })).toEqual([])
    expect(warnings({ serverName: 'chat.home.arpa', livekit: { nodeIp: '192.168.1.10' } })).toEqual([])
    expect(warnings({ serverName: 'matrix.internal', livekit: { nodeIp: '10.0.0.2', turn: { domain: 'turn.lan' } } })).toEqual([])
    expect(warnings({ livekit: { nodeIp: '192.168.1.10', turn: { relayToPrivateNodeIp: true } } })).toEqual([])
    expect(warnings({ livekit: { enabled: false, nodeIp: '192.168.1.10' } })).toEqual([])
  })

  it('still warns when one DNS name is public', () => {
    expect(warnings({ serverName: 'chat.lan', livekit: { nodeIp: '10.0.0.2', host: 'rtc.example.org' } }).map((w) => w.code)).toEqual([
      'private_node_ip',
    ])
  })
})

describe('a wide livekit.udpRange', () => {
  it(`warns above ${UDP_RANGE_WARNING_PORTS} ports`, () => {
    expect(brief(warnings({ livekit: { udpRange: { start: 50000, end: 60000 } } }))).toMatchInlineSnapshot(`
      [
        "wide_udp_range at livekit.udpRange: livekit.udpRange publishes 10001 UDP ports; Docker starts one proxy process per published port, so start-up is slow and the proxies cost memory. | remove livekit.udpRange to carry all media on one multiplexed UDP port (livekit.udpPort, 7882 by default), or narrow it to at most 500 ports, such as 50000-50499.",
      ]
    `)
  })

  it(`is quiet up to ${UDP_RANGE_WARNING_PORTS} ports and with the UDP mux port`, () => {
    expect(warnings({ livekit: { udpRange: { start: 50000, end: 50000 + UDP_RANGE_WARNING_PORTS - 1 } } })).toEqual([])
    expect(warnings({ livekit: { udpRange: { start: 50000, end: 50000 + UDP_RANGE_WARNING_PORTS } } }).map((w) => w.code)).toEqual([
      'wide_udp_range',
    ])
    expect(warnings({ livekit: { udpPort: 7882 } })).toEqual([])
    expect(warnings({ livekit: { enabled: false, udpRange: { start: 50000, end: 60000 } } })).toEqual([])
  })

  it('warns about a TURN relay range wider than that too, and not while TURN is off', () => {
    const relay = (end: number, enabled = true) => ({ livekit: { turn: { enabled, relayRange: { start: 40000, end } } } })
    expect(warnings(relay(40000 + UDP_RANGE_WARNING_PORTS - 1))).toEqual([])
    expect(warnings(relay(40000 + UDP_RANGE_WARNING_PORTS)).map((w) => `${w.code} at ${w.path.join('.')}`)).toEqual([
      'wide_udp_range at livekit.turn.relayRange',
    ])
    expect(warnings(relay(40000 + UDP_RANGE_WARNING_PORTS, false))).toEqual([])
  })
})

describe('the examples', () => {
  it('standalone (documentation address, UDP mux) has no warning; microservice keeps the original range and is told so', () => {
    const codes = (name: string) => {
      const result = safeParseDeploymentSpec(parse(repoFile(`examples/${name}/deployment.yaml`)))
      return result.success ? result.warnings.map((w) => w.code) : ['invalid']
    }
    expect(codes('standalone')).toEqual([])
    expect(codes('microservice')).toEqual(['wide_udp_range'])
  })
})
