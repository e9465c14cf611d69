import type { UdpRange } from '../deployment/livekit.js'
import { DEFAULT_TURN_RELAY_RANGE } from '../deployment/livekit-defaults.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/** The most ports one published range may span: Docker creates one proxy rule (and process) per port. */
const MAX_RANGE_PORTS = 20_000

/** What to suggest for a bad range: when its ends are swapped, when it is too wide, when it starts too low. */
interface RangeHints {
  readonly order: string
  readonly wide: string
  readonly low: string
}

/** A published UDP range: ordered, above the well-known ports, not absurdly wide. */
function rangeIssues(range: UdpRange, path: readonly (string | number)[], hints: RangeHints): SpecIssue[] {
  const name = path.join('.')
  if (range.start >= range.end) {
    return [
      {
        path: [...path, 'start'],
        code: 'udp_range',
        message: `${name}.start (${range.start}) must be below ${name}.end (${range.end}).`,
        hint: hints.order,
      },
    ]
  }
  if (range.end - range.start + 1 > MAX_RANGE_PORTS) {
    return [
      {
        path,
        code: 'udp_range',
        message: `${name} spans ${range.end - range.start + 1} ports; Docker creates one proxy rule per published port, so more than ${MAX_RANGE_PORTS} make start-up very slow.`,
        hint: hints.wide,
      },
    ]
  }
  if (range.start < 1024) {
    return [
      {
        path: [...path, 'start'],
        code: 'udp_range',
        message: `${name} starts at ${range.start}, inside the well-known port range (below 1024).`,
        hint: hints.low,
      },
    ]
  }
  return []
}

/** LiveKit media ports: mux port xor range, and sane ranges (media and TURN relay). */
export function checkUdpRange(spec: DeploymentSpec): SpecIssue[] {
  const lk = spec.livekit
  if (!lk.enabled) return []
  const issues: SpecIssue[] = []
  if (lk.udpPort !== undefined && lk.udpRange !== undefined) {
    issues.push({
      path: ['livekit', 'udpRange'],
      code: 'udp_range',
      message: 'livekit.udpPort and livekit.udpRange are both set, but LiveKit uses either one UDP mux port or a range.',
      hint: 'remove one of them: udpPort for a single firewall rule, udpRange for many calls at once.',
    })
  }
  if (lk.udpRange !== undefined) {
    issues.push(
      ...rangeIssues(lk.udpRange, ['livekit', 'udpRange'], {
        order: 'swap the two values, or use livekit.udpPort for a single port.',
        wide: `use a range of at most ${MAX_RANGE_PORTS} ports, such as 50000-60000, or a single livekit.udpPort.`,
        low: 'use ports from 1024 upwards, such as 50000-60000.',
      }),
    )
  }
  if (lk.turn.enabled) {
    const { start, end } = DEFAULT_TURN_RELAY_RANGE
    issues.push(
      ...rangeIssues(lk.turn.relayRange, ['livekit', 'turn', 'relayRange'], {
        order: 'swap the two values.',
        wide: `use a few ports per participant relayed at once, such as the default ${start}-${end}.`,
        low: `use ports from 1024 upwards, such as the default ${start}-${end}.`,
      }),
    )
  }
  return issues
}

/** TURN needs at least one listener; TURN/TLS needs standalone mode and a TURN domain of its own (port 443 is shared by name). */
export function checkTurn(spec: DeploymentSpec): SpecIssue[] {
  const { turn } = spec.livekit
  if (!spec.livekit.enabled || !turn.enabled) return []
  if (turn.udpPort === 0 && turn.tlsPort === 0) {
    return [
      {
        path: ['livekit', 'turn'],
        code: 'turn_without_ports',
        message:
          'livekit.turn is enabled but both livekit.turn.udpPort and livekit.turn.tlsPort are 0, so TURN would listen nowhere (LiveKit refuses to start).',
        hint: 'set livekit.turn.udpPort (for example 3478), or set livekit.turn.enabled to false.',
      },
    ]
  }
  if (turn.tlsPort > 0 && spec.mode === 'microservice') {
    return [
      {
        path: ['livekit', 'turn', 'tlsPort'],
        code: 'mode_mismatch',
        message:
          'livekit.turn.tlsPort turns on TURN/TLS, which LiveKit advertises only on port 443 of the TURN domain; in microservice mode 443 belongs to the gateway, which would have to route TLS for that name to LiveKit before its own HTTPS servers (an nginx stream block with ssl_preread in front of them) and terminate it there.',
        hint: 'set livekit.turn.tlsPort to 0 and rely on TURN/UDP (clients behind firewalls that allow only 443 then cannot relay), or use standalone mode, whose nginx routes TURN/TLS on 443 itself.',
      },
    ]
  }
  if (turn.tlsPort > 0) {
    const matrixHost = spec.matrixHost ?? spec.serverName
    const livekitHost = spec.livekit.host ?? matrixHost
    const domain = turn.domain ?? livekitHost
    const https = new Set([spec.serverName, matrixHost, livekitHost])
    if (spec.elementWeb.enabled) https.add(spec.elementWeb.host ?? matrixHost)
    if (https.has(domain)) {
      return [
        {
          path: ['livekit', 'turn', turn.domain === undefined ? 'tlsPort' : 'domain'],
          code: 'turn_tls_domain',
          message: `TURN/TLS shares port 443 with HTTPS and nginx tells them apart only by the name the client asks for, so the TURN domain needs a name of its own, but ${domain}${turn.domain === undefined ? ' (by default the LiveKit host)' : ''} is ${domain === spec.serverName ? 'the server name' : 'a name this deployment serves over HTTPS'}.`,
          hint: `set livekit.turn.domain to a name of its own that points at this host, such as turn.${spec.serverName}.`,
        },
      ]
    }
  }
  return []
}

/** Relaying to a private node IP needs that IP: with STUN discovery there is none to allow. */
export function checkTurnPrivateNodeIp(spec: DeploymentSpec): SpecIssue[] {
  const lk = spec.livekit
  if (!lk.enabled || !lk.turn.enabled || !lk.turn.relayToPrivateNodeIp || lk.nodeIp !== undefined) return []
  return [
    {
      path: ['livekit', 'turn', 'relayToPrivateNodeIp'],
      code: 'node_ip_required',
      message: 'livekit.turn.relayToPrivateNodeIp is true, but livekit.nodeIp is not set, so there is no address to allow.',
      hint: 'set livekit.nodeIp to the private address LiveKit advertises, or remove livekit.turn.relayToPrivateNodeIp.',
    },
  ]
}

/** A fixed node IP and STUN discovery exclude each other (LiveKit ignores the IP then). */
export function checkNodeIp(spec: DeploymentSpec): SpecIssue[] {
  const lk = spec.livekit
  if (lk.enabled && lk.nodeIp !== undefined && lk.useExternalIp === true) {
    return [
      {
        path: ['livekit', 'useExternalIp'],
        code: 'node_ip_conflict',
        message:
          'livekit.nodeIp is set and livekit.useExternalIp is true, but LiveKit ignores a fixed node IP while it discovers the external IP.',
        hint: 'remove livekit.useExternalIp to advertise livekit.nodeIp, or remove livekit.nodeIp to discover the IP over STUN.',
      },
    ]
  }
  return []
}
