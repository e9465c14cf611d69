import {
  BUNDLE_PATHS,
  comment,
  containerName,
  deriveValues,
  generatedHeader,
  placeholder,
  routes,
  type DeploymentSpec,
  type NginxNode,
} from '@messenger-stack/config-schema'
import { printNginx } from './_nginx.js'
import { header, routeLocations, type RouteOptions } from './nginx-routes.js'

function routeOptions(spec: DeploymentSpec): RouteOptions {
  const colour = placeholder(spec.gateway.activeColorPlaceholder)
  return {
    // Every upstream carries the colour: the shared core (Synapse, LiveKit) has network
    // aliases for both colours, and stateless services really exist once per colour.
    upstreamHost: (service) => [`${containerName(spec, service)}-`, colour],
    // A location-only file cannot declare a `map`, so upgrades always ask for "upgrade".
    poolUpstream: () => {
      throw new Error('The gateway include cannot declare the upstream groups of Synapse worker pools.')
    },
    connectionUpgrade: 'upgrade',
    rateLimitZone: (rateLimit) => {
      throw new Error(`The gateway include cannot declare the ${rateLimit} rate-limit zone.`)
    },
    fileAlias: (file) => {
      throw new Error(`The gateway does not serve ${file} from this bundle.`)
    },
    baseHeaders: [header('X-Content-Type-Options', 'nosniff'), header('Referrer-Policy', 'strict-origin-when-cross-origin')],
  }
}

/**
 * The gateway's location blocks as a block tree, printed from the route table: the Matrix and
 * call routes of the standalone site (without TLS, ACME and redirects, which the gateway owns)
 * and the well-known files, which Synapse serves in this mode. Upstream host names carry the
 * literal colour placeholder.
 *
 * @throws Error if the spec is not in microservice mode (standalone mode has its own nginx site).
 */
export function gatewayProxyModel(spec: DeploymentSpec): NginxNode[] {
  if (spec.mode !== 'microservice') {
    throw new Error(`${BUNDLE_PATHS.gatewayProxy} belongs to microservice mode, but the spec's mode is ${spec.mode}.`)
  }
  const derived = deriveValues(spec)
  // The gateway owns `location /` (Element Web), and a location-only file cannot declare a
  // `limit_req_zone`: a rate-limited route is left out and the broader Matrix route that
  // follows serves its paths (Synapse's `rc_login` still limits logins).
  const printed = routes(spec).filter((route) => route.match.kind !== 'default' && route.rateLimit === undefined)
  return [
    comment(`Location blocks for the gateway's server block of ${derived.matrixHost}; the gateway terminates TLS.`),
    comment(`${spec.gateway.activeColorPlaceholder} is replaced by "blue" or "green" before nginx loads this file.`),
    comment(`Element Web (${containerName(spec, 'element-web')}-<colour>) is served by the gateway's own "location /".`),
    ...routeLocations(printed, routeOptions(spec)),
  ]
}

/**
 * Renders `nginx/gateway-proxy.conf` for microservice mode: location blocks only, with the
 * literal `${ACTIVE_COLOR}` placeholder (`gateway.activeColorPlaceholder`) in every upstream.
 * Pure: same spec, same bytes.
 */
export function renderGatewayProxy(spec: DeploymentSpec): string {
  return printNginx(gatewayProxyModel(spec), { header: generatedHeader(BUNDLE_PATHS.gatewayProxy) })
}
