import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/** LiveKit media ports: mux port xor range, and a sane range. */
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
  const range = lk.udpRange
  if (range !== undefined) {
    if (range.start >= range.end) {
      issues.push({
        path: ['livekit', 'udpRange', 'start'],
        code: 'udp_range',
        message: `livekit.udpRange.start (${range.start}) must be below livekit.udpRange.end (${range.end}).`,
        hint: 'swap the two values, or use livekit.udpPort for a single port.',
      })
    } else if (range.end - range.start + 1 > 20_000) {
      issues.push({
        path: ['livekit', 'udpRange'],
        code: 'udp_range',
        message: `livekit.udpRange spans ${range.end - range.start + 1} ports; Docker creates one proxy rule per published port, so more than 20000 make start-up very slow.`,
        hint: 'use a range of at most 20000 ports, such as 50000-60000, or a single livekit.udpPort.',
      })
    } else if (range.start < 1024) {
      issues.push({
        path: ['livekit', 'udpRange', 'start'],
        code: 'udp_range',
        message: `livekit.udpRange starts at ${range.start}, inside the well-known port range (below 1024).`,
        hint: 'use ports from 1024 upwards, such as 50000-60000.',
      })
    }
  }
  return issues
}

/** TURN needs at least one listener; TURN/TLS needs a certificate we can mount. */
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
          'livekit.turn.tlsPort needs a certificate for the TURN domain, but in microservice mode TLS certificates stay inside the gateway.',
        hint: 'set livekit.turn.tlsPort to 0 and rely on TURN/UDP, or use standalone mode.',
      },
    ]
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

/**
 * lk-jwt-service verifies callers by asking their homeserver, found through
 * `https://<serverName>/.well-known/matrix/server`. In microservice mode our location blocks
 * are injected only into the gateway's server for `matrixHost`, so a different `serverName`
 * would leave that lookup (and federation) unanswered.
 */
export function checkRtcReachability(spec: DeploymentSpec): SpecIssue[] {
  const matrixHost = spec.matrixHost ?? spec.serverName
  if (!spec.livekit.enabled || spec.mode !== 'microservice' || matrixHost === spec.serverName) return []
  return [
    {
      path: ['matrixHost'],
      code: 'rtc_unreachable',
      message: `In microservice mode the gateway blocks serve only ${matrixHost}, so https://${spec.serverName}/.well-known/matrix/server would not reach this stack and the MatrixRTC authorisation service could not verify users.`,
      hint: `remove matrixHost (so serverName is served), or use standalone mode, which serves ${spec.serverName} as well.`,
    },
  ]
}
