import { deriveLiveKitMedia } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/** One port (or UDP range) the spec binds, and the field that sets it. */
export interface PortUse {
  /** Transport protocol. */
  readonly protocol: 'tcp' | 'udp'
  /** First port. */
  readonly start: number
  /** Last port (equal to `start` for a single port). */
  readonly end: number
  /** The spec field that sets it; `(nginx http)` and the like for ports the proxy owns. */
  readonly field: readonly (string | number)[]
  /** Where the port is bound: the host (published) or one container. */
  readonly scope: string
  /** Published on the host's loopback address only: reachable from the host, not from outside. */
  readonly loopback?: boolean
}

/** Every port the spec binds, with the field that sets it. */
export function portUses(spec: DeploymentSpec): PortUse[] {
  const uses: PortUse[] = []
  const add = (protocol: 'tcp' | 'udp', port: number, field: (string | number)[], scope: string) =>
    uses.push({ protocol, start: port, end: port, field, scope })
  // Standalone's nginx or microservice's gateway owns 80 and 443 on the host.
  const proxy = spec.mode === 'standalone' ? 'nginx' : 'gateway'
  add('tcp', 80, [`(${proxy} http)`], 'host')
  add('tcp', 443, [`(${proxy} https)`], 'host')
  add('tcp', spec.synapse.httpPort, ['synapse', 'httpPort'], 'synapse')
  // Published on 127.0.0.1 for `messenger-stack register-user`: nginx hides the admin API.
  uses.push({
    protocol: 'tcp',
    start: spec.synapse.httpPort,
    end: spec.synapse.httpPort,
    field: ['synapse', 'httpPort'],
    scope: 'host',
    loopback: true,
  })
  const lk = spec.livekit
  if (lk.enabled) {
    const livekitMedia = deriveLiveKitMedia(lk)
    add('tcp', lk.httpPort, ['livekit', 'httpPort'], 'livekit')
    add('tcp', lk.jwtPort, ['livekit', 'jwtPort'], 'lk-jwt-service')
    for (const scope of ['host', 'livekit']) {
      add('tcp', lk.tcpPort, ['livekit', 'tcpPort'], scope)
      if (livekitMedia.kind === 'mux') add('udp', livekitMedia.udpPort, ['livekit', 'udpPort'], scope)
      else uses.push({ protocol: 'udp', start: livekitMedia.start, end: livekitMedia.end, field: ['livekit', 'udpRange'], scope })
      if (lk.turn.enabled && lk.turn.udpPort > 0) add('udp', lk.turn.udpPort, ['livekit', 'turn', 'udpPort'], scope)
      if (lk.turn.enabled && lk.turn.tlsPort > 0) add('tcp', lk.turn.tlsPort, ['livekit', 'turn', 'tlsPort'], scope)
    }
  }
  return uses
}

function describe(use: PortUse): string {
  const name = use.field.join('.')
  return name.startsWith('(') ? name.slice(1, -1) : name
}

/** Two settings that bind the same port (or overlapping ranges) in the same place. */
export function checkPortClashes(spec: DeploymentSpec): SpecIssue[] {
  const uses = portUses(spec)
  const issues: SpecIssue[] = []
  const reported = new Set<string>()
  for (let i = 0; i < uses.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = uses[i]!
      const b = uses[j]!
      if (a.scope !== b.scope || a.protocol !== b.protocol || a.start > b.end || b.start > a.end) continue
      if (a.field.join('.') === b.field.join('.')) continue
      const key = [a.field.join('.'), b.field.join('.')].sort().join('|')
      if (reported.has(key)) continue
      reported.add(key)
      const shared = Math.max(a.start, b.start)
      const blame = a.field[0]!.toString().startsWith('(') ? b : a
      const other = blame === a ? b : a
      issues.push({
        path: blame.field,
        code: 'port_clash',
        message: `${a.protocol.toUpperCase()} port ${shared} is used by both ${describe(blame)} and ${describe(other)}${a.scope === 'host' ? ' on the host' : ` in the ${a.scope} container`}.`,
        hint: `choose a free ${a.protocol.toUpperCase()} port for ${describe(blame)}.`,
      })
    }
  }
  return issues
}
