import { deriveValues } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { portNumber, portsOf } from './ports.js'
import type { ServiceName } from './service-names.js'
import { memoised } from '../_render-memo.js'

/**
 * A TLS connection on the edge's port 443 routed by the name the client asks for (SNI),
 * before any HTTP is spoken: the edge proxy terminates TLS with the deployment's certificate
 * and forwards the plain TCP stream to a service port. Every other name goes to the HTTPS
 * server (the route table).
 */
export interface StreamRoute {
  /** Stable name, unique among the stream routes. */
  readonly name: string
  /** What it carries, as operators call it: `TURN/TLS`. */
  readonly label: string
  /** One sentence: what it carries and why it is shaped so. */
  readonly description: string
  /** The TLS server names (SNI) it takes, sorted; none of them is served over HTTPS. */
  readonly hosts: readonly string[]
  /** The service and container port the plain stream goes to, from the port model. */
  readonly target: { readonly service: ServiceName; readonly port: number }
}

/**
 * The stream routes of the deployment: TURN/TLS when it runs in standalone mode, else none.
 * LiveKit 1.13 tells clients to use `turns:<turn domain>:443?transport=tcp` whatever its
 * `tls_port`, and nginx owns 443; so nginx takes TLS for the TURN domain and hands TURN to
 * LiveKit's listener, which runs with `external_tls` and holds no certificate. Renewed
 * certificates thus reach TURN with nginx's periodic reload, and LiveKit (calls in progress)
 * never restarts for one. Microservice mode has none: 443 belongs to the gateway, and such a
 * spec is refused. Pure.
 */
export function streamRoutes(spec: DeploymentSpec): StreamRoute[] {
  return memoised(spec, computeStreamRoutes)
}

function computeStreamRoutes(spec: DeploymentSpec): StreamRoute[] {
  const derived = deriveValues(spec)
  if (spec.mode !== 'standalone' || !derived.turnTls) return []
  return [
    {
      name: 'turn-tls',
      label: 'TURN/TLS',
      description: "TURN over TLS for clients behind firewalls that allow only 443: LiveKit's TURN listener (external TLS).",
      hosts: [derived.turnDomain],
      target: { service: 'livekit', port: portNumber(portsOf(spec, 'livekit'), 'turn-tls') },
    },
  ]
}
