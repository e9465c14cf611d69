import { deriveValues } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { RtcTransport } from './rtc-transport.js'

/**
 * The MatrixRTC transports of a deployment, derived once: Synapse `matrix_rtc.transports`,
 * its `extra_well_known_client_content` and the static `.well-known/matrix/client` all use
 * this list, so the two discovery mechanisms can never disagree. Empty when calls are off.
 *
 * @example
 * rtcTransports(spec) // [{ type: 'livekit', livekit_service_url: 'https://matrix.example.org/livekit/jwt' }]
 */
export function rtcTransports(spec: DeploymentSpec): RtcTransport[] {
  const derived = deriveValues(spec)
  return derived.calls ? [{ type: 'livekit', livekit_service_url: derived.livekitServiceUrl }] : []
}
