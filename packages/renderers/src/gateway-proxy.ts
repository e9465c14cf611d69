import {
  BUNDLE_PATHS,
  comment,
  containerName,
  deriveValues,
  directive,
  generatedHeader,
  placeholder,
  regex,
  type DeploymentSpec,
  type NginxDirective,
  type NginxNode,
} from '@messenger-stack/config-schema'
import { printNginx } from './_nginx.js'
import {
  header,
  livekitLocations,
  matrixLocations,
  proxyHeaders,
  upstreamUrl,
  wellKnownCorsHeaders,
  type RouteOptions,
} from './nginx-routes.js'

/** The well-known files Synapse serves itself in microservice mode. */
export const GATEWAY_WELL_KNOWN_REGEX = '^/\\.well-known/matrix/(client|server)$'

function routeOptions(spec: DeploymentSpec): RouteOptions {
  const colour = placeholder(spec.gateway.activeColorPlaceholder)
  return {
    // Every upstream carries the colour: the shared core (Synapse, LiveKit) has network
    // aliases for both colours, and stateless services really exist once per colour.
    upstreamHost: (service) => [`${containerName(spec, service)}-`, colour],
    // A location-only file cannot declare a `map`, so upgrades always ask for "upgrade".
    connectionUpgrade: 'upgrade',
    // ...nor a `limit_req_zone`: login rate limiting is left to Synapse's `rc_login`.
    baseHeaders: [header('X-Content-Type-Options', 'nosniff'), header('Referrer-Policy', 'strict-origin-when-cross-origin')],
  }
}

function wellKnownLocation(spec: DeploymentSpec, options: RouteOptions): NginxDirective {
  return directive(
    'location',
    ['~', regex(GATEWAY_WELL_KNOWN_REGEX)],
    [
      directive('proxy_pass', [upstreamUrl(options, 'synapse', spec.synapse.httpPort)]),
      ...proxyHeaders(),
      // Synapse sends its own CORS header; hide it so browsers never see "*, *".
      directive('proxy_hide_header', ['Access-Control-Allow-Origin']),
      ...options.baseHeaders,
      ...wellKnownCorsHeaders(),
    ],
  )
}

/**
 * The gateway's location blocks as a block tree: the Matrix and call routes of the standalone
 * site (without TLS, ACME and redirects, which the gateway owns) plus the well-known files,
 * proxied to Synapse. Upstream host names carry the literal colour placeholder.
 */
export function gatewayProxyModel(spec: DeploymentSpec): NginxNode[] {
  const options = routeOptions(spec)
  const derived = deriveValues(spec)
  return [
    comment(`Location blocks for the gateway's server block of ${derived.matrixHost}; the gateway terminates TLS.`),
    comment(`${spec.gateway.activeColorPlaceholder} is replaced by "blue" or "green" before nginx loads this file.`),
    comment(`Element Web (${containerName(spec, 'element-web')}-<colour>) is served by the gateway's own "location /".`),
    comment('Matrix discovery files, served by Synapse, readable from any origin.'),
    wellKnownLocation(spec, options),
    ...matrixLocations(spec, options),
    ...livekitLocations(spec, options),
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
