import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/** The hosts this deployment serves besides `matrixHost`, with the field naming each. */
function otherServedHosts(spec: DeploymentSpec): { readonly host: string; readonly field: string }[] {
  const matrixHost = spec.matrixHost ?? spec.serverName
  const hosts: { host: string; field: string }[] = []
  if (spec.elementWeb.enabled) hosts.push({ host: spec.elementWeb.host ?? matrixHost, field: 'elementWeb.host' })
  if (spec.livekit.enabled) {
    const livekitHost = spec.livekit.host ?? matrixHost
    hosts.push({ host: livekitHost, field: 'livekit.host' })
    if (spec.livekit.turn.enabled) hosts.push({ host: spec.livekit.turn.domain ?? livekitHost, field: 'livekit.turn.domain' })
  }
  return hosts
}

/**
 * Who serves `https://<serverName>/.well-known/matrix/{client,server}` must be coherent:
 *
 * - 'elsewhere' means another web server owns `serverName`, so this deployment may not serve
 *   that host for anything (the Matrix APIs, Element Web, LiveKit, TURN): its DNS record points
 *   elsewhere, and Let's Encrypt would fail for it.
 * - In microservice mode the gateway include goes into the gateway's server block of
 *   `matrixHost` only; a different `serverName` is never reached through it, so its
 *   well-known files (which federation, clients and lk-jwt-service's user lookup need) must
 *   be published elsewhere, and the spec must say so.
 */
export function checkWellKnownDelegation(spec: DeploymentSpec): SpecIssue[] {
  const matrixHost = spec.matrixHost ?? spec.serverName
  if (spec.wellKnown.servedBy === 'elsewhere') {
    if (matrixHost === spec.serverName) {
      return [
        {
          path: ['wellKnown', 'servedBy'],
          code: 'well_known_conflict',
          message: `wellKnown.servedBy is 'elsewhere', but the Matrix APIs are on the server name ${spec.serverName} itself${spec.matrixHost === undefined ? ' (matrixHost is not set)' : ''}: this deployment serves that host, so it serves its well-known files too.`,
          hint: `set matrixHost to the host of this deployment (such as matrix.${spec.serverName}) and keep the website of ${spec.serverName} where it is, or remove wellKnown.servedBy.`,
        },
      ]
    }
    const clash = otherServedHosts(spec).find(({ host }) => host === spec.serverName)
    if (clash !== undefined) {
      return [
        {
          path: clash.field.split('.'),
          code: 'well_known_conflict',
          message: `${clash.field} is the server name ${spec.serverName}, but wellKnown.servedBy says another web server serves that host.`,
          hint: `give ${clash.field} a host of this deployment (such as ${matrixHost}), or remove wellKnown.servedBy if ${spec.serverName} points at this host.`,
        },
      ]
    }
    return []
  }
  if (spec.mode === 'microservice' && matrixHost !== spec.serverName) {
    return [
      {
        path: ['matrixHost'],
        code: 'well_known_unserved',
        message: `In microservice mode the gateway include serves only ${matrixHost}, so nothing of this bundle answers https://${spec.serverName}/.well-known/matrix/client and /server, which clients, other servers and the MatrixRTC authorisation service need to find ${matrixHost}.`,
        hint: `set wellKnown.servedBy to 'elsewhere': DEPLOY.md then prints the two documents to publish on the web server of ${spec.serverName} (the gateway's server block for it, or another server); or remove matrixHost.`,
      },
    ]
  }
  return []
}
