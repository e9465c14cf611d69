import {
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  comment,
  containerName,
  deriveValues,
  directive,
  entry,
  expression,
  generatedHeader,
  nginxSitePath,
  tlsCertificatePaths,
  variable,
  type DeploymentSpec,
  type NginxDirective,
  type NginxNode,
} from '@messenger-stack/config-schema'
import { printNginx } from './_nginx.js'
import { elementWebLocation, header, livekitLocations, matrixLocations, wellKnownCorsHeaders, type RouteOptions } from './nginx-routes.js'

/** TLS 1.2 ciphers of Mozilla's "intermediate" profile (TLS 1.3 suites are OpenSSL's defaults). */
export const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
] as const

/** What one public host serves in the standalone site. */
export interface HostRoutes {
  /** `/.well-known/matrix/{client,server}` (the server name and the Matrix host). */
  readonly wellKnown: boolean
  /** The Matrix APIs (the Matrix host). */
  readonly matrix: boolean
  /** lk-jwt-service, the SFU and Twirp (the LiveKit host, when calls are on). */
  readonly livekit: boolean
  /** Element Web at `/` (its host, when enabled). */
  readonly element: boolean
}

/** The public hosts grouped by the routes they serve (one TLS server each), in the order of `publicHosts`. */
export function siteServerGroups(spec: DeploymentSpec): { readonly hosts: string[]; readonly routes: HostRoutes }[] {
  const derived = deriveValues(spec)
  const groups = new Map<string, { hosts: string[]; routes: HostRoutes }>()
  for (const host of derived.publicHosts) {
    const routes: HostRoutes = {
      wellKnown: host === spec.serverName || host === derived.matrixHost,
      matrix: host === derived.matrixHost,
      livekit: derived.calls && host === derived.livekitHost,
      element: spec.elementWeb.enabled && host === derived.elementHost,
    }
    const key = JSON.stringify(routes)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, { hosts: [host], routes })
    else group.hosts.push(host)
  }
  return [...groups.values()]
}

function routeOptions(spec: DeploymentSpec): RouteOptions {
  return {
    upstreamHost: (service) => [containerName(spec, service)],
    connectionUpgrade: expression(variable('connection_upgrade')),
    loginRateLimitZone: loginZone(spec),
    baseHeaders: baseHeaders(),
  }
}

function loginZone(spec: DeploymentSpec): string {
  return `${spec.serviceName}_login`
}

function baseHeaders(): NginxDirective[] {
  return [
    header('Strict-Transport-Security', 'max-age=63072000'),
    header('X-Content-Type-Options', 'nosniff'),
    header('Referrer-Policy', 'strict-origin-when-cross-origin'),
  ]
}

function tlsDirectives(spec: DeploymentSpec): NginxDirective[] {
  const certificate = tlsCertificatePaths(spec)
  return [
    directive('ssl_certificate', [certificate.certificate]),
    directive('ssl_certificate_key', [certificate.key]),
    directive('ssl_protocols', ['TLSv1.2', 'TLSv1.3']),
    directive('ssl_ecdh_curve', ['X25519:prime256v1:secp384r1']),
    directive('ssl_ciphers', [MOZILLA_INTERMEDIATE_CIPHERS.join(':')]),
    directive('ssl_prefer_server_ciphers', ['off']),
    directive('ssl_session_timeout', ['1d']),
    directive('ssl_session_cache', [`shared:${spec.serviceName}_tls:10m`]),
    directive('ssl_session_tickets', ['off']),
  ]
}

function wellKnownLocations(): NginxNode[] {
  return [
    comment('Matrix discovery files, readable from any origin.'),
    ...(['client', 'server'] as const).map((file) =>
      directive(
        'location',
        ['=', `/.well-known/matrix/${file}`],
        [
          directive('alias', [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/${file}`]),
          directive('default_type', ['application/json']),
          ...baseHeaders(),
          ...wellKnownCorsHeaders(),
          directive('if', [expression('(', variable('request_method')), '=', 'OPTIONS)'], [directive('return', [204])]),
        ],
      ),
    ),
  ]
}

function httpsServer(spec: DeploymentSpec, hosts: readonly string[], routes: HostRoutes): NginxDirective {
  const options = routeOptions(spec)
  const children: NginxNode[] = [
    directive('listen', [CONTAINER_PORTS.nginxHttps, 'ssl']),
    directive('server_name', hosts),
    ...tlsDirectives(spec),
    ...baseHeaders(),
  ]
  if (routes.wellKnown) children.push(...wellKnownLocations())
  if (routes.matrix) children.push(...matrixLocations(spec, options))
  if (routes.livekit) children.push(...livekitLocations(spec, options))
  if (routes.element) children.push(...elementWebLocation(options))
  else children.push(comment('Nothing else is served on this host.'), directive('location', ['/'], [directive('return', [404])]))
  return directive('server', [], children)
}

function httpServer(spec: DeploymentSpec): NginxDirective {
  return directive(
    'server',
    [],
    [
      directive('listen', [CONTAINER_PORTS.nginxHttp]),
      directive('server_name', deriveValues(spec).publicHosts),
      comment("Let's Encrypt HTTP-01 challenges, answered from certbot's webroot."),
      directive(
        'location',
        ['^~', '/.well-known/acme-challenge/'],
        [directive('root', [CONTAINER_PATHS.acmeWebroot]), directive('default_type', ['text/plain'])],
      ),
      comment('Everything else moves to HTTPS.'),
      directive('location', ['/'], [directive('return', [301, expression('https://', variable('host'), variable('request_uri'))])]),
    ],
  )
}

/**
 * The standalone nginx site as a block tree: http-level helpers (rate-limit zone, WebSocket
 * `Connection` map), a port-80 server for ACME challenges and redirects, and one TLS server
 * per group of public hosts that serve the same routes. nginx (nginx-unprivileged) listens on
 * {@link CONTAINER_PORTS} 8080/8443; compose publishes them as 80/443.
 */
export function nginxSiteModel(spec: DeploymentSpec): NginxNode[] {
  return [
    directive('server_tokens', ['off']),
    comment('Login and registration attempts per client address (see the rate-limited location).'),
    directive('limit_req_zone', [expression(variable('binary_remote_addr')), `zone=${loginZone(spec)}:10m`, 'rate=30r/m']),
    comment('Connection header for WebSocket upgrades (LiveKit signalling).'),
    directive(
      'map',
      [expression(variable('http_upgrade')), expression(variable('connection_upgrade'))],
      [entry('default', 'upgrade'), entry('', 'close')],
    ),
    httpServer(spec),
    ...siteServerGroups(spec).map((group) => httpsServer(spec, group.hosts, group.routes)),
  ]
}

/**
 * Renders the standalone nginx site, `nginx/conf.d/<serviceName>.conf`. Pure: same spec, same bytes.
 *
 * @see https://nginx.org/en/docs/http/configuring_https_servers.html
 * @see https://ssl-config.mozilla.org/
 */
export function renderNginxSite(spec: DeploymentSpec): string {
  return printNginx(nginxSiteModel(spec), { header: generatedHeader(nginxSitePath(spec.serviceName)) })
}
