import {
  deriveValues,
  rtcTransports,
  type DeploymentSpec,
  type WellKnownClient,
  type WellKnownServer,
} from '@messenger-stack/config-schema'
import { stableJson } from '@messenger-stack/config-schema/formats'

/**
 * The `/.well-known/matrix/client` model: the homeserver base URL and, when calls are
 * deployed, exactly the transports Synapse serves in `matrix_rtc.transports`. Pure.
 *
 * @see https://spec.matrix.org/latest/client-server-api/#getwell-knownmatrixclient
 */
export function wellKnownClientModel(spec: DeploymentSpec): WellKnownClient {
  const transports = rtcTransports(spec)
  return {
    'm.homeserver': { base_url: deriveValues(spec).homeserverBaseUrl },
    'org.matrix.msc4143.rtc_foci': transports.length > 0 ? transports : undefined,
  }
}

/**
 * The `/.well-known/matrix/server` model: federation is delegated to port 443 of the
 * Matrix host. Pure.
 *
 * @see https://spec.matrix.org/latest/server-server-api/#getwell-knownmatrixserver
 */
export function wellKnownServerModel(spec: DeploymentSpec): WellKnownServer {
  return { 'm.server': `${deriveValues(spec).matrixHost}:443` }
}

/** Renders `/.well-known/matrix/client` (JSON, served with CORS by nginx). Pure. */
export function renderWellKnownClient(spec: DeploymentSpec): string {
  return stableJson(wellKnownClientModel(spec))
}

/** Renders `/.well-known/matrix/server` (JSON). Pure. */
export function renderWellKnownServer(spec: DeploymentSpec): string {
  return stableJson(wellKnownServerModel(spec))
}
