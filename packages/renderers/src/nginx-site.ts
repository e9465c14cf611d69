import {
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  containerName,
  deriveValues,
  nginxSitePath,
  routes,
  serviceWorkload,
  type DeploymentSpec,
  type Route,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import {
  comment,
  directive,
  expression,
  type NginxDirective,
  type NginxNode,
  printNginx,
  variable,
} from '@messenger-stack/config-schema/nginx'
import { httpsListen, realClientAddress, tlsDirectives } from './_nginx-edge.js'
import { poolDeclarations, type PoolDeclarations } from './nginx-pools.js'
import { header, sharedDirectives, sharedRouteLocations, type RouteOptions, type SharedDirectives } from './nginx-routes.js'
import { rateLimitZone, routingDeclarations } from './nginx-routing-declarations.js'
import { NOT_FOUND } from './_nginx-fixed.js'

export { MOZILLA_INTERMEDIATE_CIPHERS } from './_nginx-edge.js'

/** Public hosts that serve the same routes, and so share one TLS server block. */
export interface SiteServerGroup {
  /** The hosts, in the order of `publicHosts`. */
  readonly hosts: readonly string[]
  /** The routes they serve, in table order. */
  readonly routes: readonly Route[]
}

/** The public hosts grouped by the routes of the route table they serve, in the order of `publicHosts`. */
export function siteServerGroups(spec: DeploymentSpec): SiteServerGroup[] {
  const table = routes(spec)
  const groups: { hosts: string[]; routes: Route[] }[] = []
  for (const host of deriveValues(spec).publicHosts) {
    // A loop, not `filter`: the memoised route table is frozen, and V8 (Node 20) filters a
    // frozen array on its slow generic path; this walks the whole table once per host.
    const served: Route[] = []
    for (let index = 0; index < table.length; index++) {
      const route = table[index]!
      if (route.hosts.includes(host)) served.push(route)
    }
    // The few groups are compared route by route: cheaper than a key string joined from the
    // route names, which a map look-up would flatten and hash for every host.
    const group = groups.find((known) => sameRoutes(known.routes, served))
    if (group === undefined) groups.push({ hosts: [host], routes: served })
    else group.hosts.push(host)
  }
  return groups
}

/** Whether two lists hold the same routes in the same order. */
function sameRoutes(one: readonly Route[], other: readonly Route[]): boolean {
  if (one.length !== other.length) return false
  for (let index = 0; index < one.length; index++) if (one[index] !== other[index]) return false
  return true
}

/** The pools of Synapse processes the site routes to: nginx is the edge, so the client address is its peer's. */
function sitePools(spec: DeploymentSpec): PoolDeclarations {
  return poolDeclarations(spec, routes(spec), variable('remote_addr'))
}

function routeOptions(spec: DeploymentSpec, pools: PoolDeclarations): RouteOptions {
  const nginx = serviceWorkload(spec, 'nginx')
  return {
    upstreamHost: (service) => [containerName(spec, service)],
    poolUpstream: pools.upstream,
    connectionUpgrade: expression(variable('connection_upgrade')),
    rateLimitZone: (rateLimit) => rateLimitZone(spec, rateLimit),
    // Where nginx's own mounts put a bundle file: the well-known folder, say.
    fileAlias: (file) => {
      for (const mount of nginx.mounts) {
        if (mount.kind !== 'config') continue
        const folder = mount.source.length
        // `file` under `<source>/`, tested without building that string for every mount.
        if (file.charCodeAt(folder) === 47 && file.startsWith(mount.source)) return `${mount.target}${file.slice(folder)}`
      }
      throw new Error(`${file} is not mounted into the nginx container.`)
    },
    baseHeaders: baseHeaders(),
  }
}

function baseHeaders(): NginxDirective[] {
  return [
    header('Strict-Transport-Security', 'max-age=63072000'),
    header('X-Content-Type-Options', 'nosniff'),
    header('Referrer-Policy', 'strict-origin-when-cross-origin'),
  ]
}

/**
 * What every TLS server of the site shares, built once per file: the printer prints a node it
 * meets again from its first printing, and a route two servers serve has one location block.
 */
interface HttpsServerParts {
  /** `listen`, the real-IP directives behind the stream server, TLS, and the base headers. */
  readonly head: readonly NginxDirective[]
  readonly shared: SharedDirectives
}

function httpsServerParts(spec: DeploymentSpec, pools: PoolDeclarations): HttpsServerParts {
  const options = routeOptions(spec, pools)
  const head: NginxDirective[] = [httpsListen(spec)]
  for (const node of realClientAddress(spec)) head.push(node)
  for (const node of tlsDirectives(spec, `${spec.serviceName}_tls`)) head.push(node)
  // The server's own base headers are the ones its locations repeat: one set of nodes.
  for (const node of options.baseHeaders) head.push(node)
  return { head, shared: sharedDirectives(options, true) }
}

function httpsServer(group: SiteServerGroup, parts: HttpsServerParts): NginxDirective {
  const head = parts.head
  // One list appended to (the location list is long): spreads would copy it once more.
  const children: NginxNode[] = [head[0]!, directive('server_name', group.hosts)]
  for (let index = 1; index < head.length; index++) children.push(head[index]!)
  let servesDefault = false
  for (const route of group.routes) if (route.match.kind === 'default') servesDefault = true
  for (const node of sharedRouteLocations(group.routes, parts.shared)) children.push(node)
  if (!servesDefault) children.push(comment('Nothing else is served on this host.'), directive('location', ['/'], [NOT_FOUND]))
  return directive('server', [], children)
}

function httpServer(spec: DeploymentSpec): NginxDirective {
  return directive(
    'server',
    [],
    [
      directive('listen', [CONTAINER_PORTS.nginxHttp]),
      // Every name of the certificate: the TURN domain's HTTP-01 challenge comes here too.
      directive('server_name', deriveValues(spec).certificateHosts),
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
 * The server for every host name the route table does not serve (a scanner, a stale DNS
 * record, a forged `Host`): on port 80 the connection is closed without an answer (444); on
 * 443 the TLS handshake is refused (`ssl_reject_handshake`, nginx 1.19.4 and later, so no
 * certificate is shown), and a request whose `Host` differs from a known SNI name is closed too.
 */
function unknownHostServer(spec: DeploymentSpec): NginxDirective {
  return directive(
    'server',
    [],
    [
      directive('listen', [CONTAINER_PORTS.nginxHttp, 'default_server']),
      httpsListen(spec, true),
      directive('ssl_reject_handshake', ['on']),
      directive('return', [444]),
    ],
  )
}

/**
 * The standalone nginx site as a block tree: http-level helpers (rate-limit zone, WebSocket
 * `Connection` map, the upstream groups of Synapse's worker pools), a port-80 server for ACME challenges and redirects, one TLS server per
 * group of public hosts that serve the same routes, and a default server that answers no
 * other host name. nginx (nginx-unprivileged) listens on
 * {@link CONTAINER_PORTS} 8080/8443; compose publishes them as 80/443. When 443 is shared by
 * name (TURN/TLS, see `nginxMainModel`), the TLS servers listen on a socket behind the stream
 * server instead, and take the client's address from its PROXY protocol header.
 *
 * @throws Error if the spec is not in standalone mode (microservice mode has the gateway include).
 */
export function nginxSiteModel(spec: DeploymentSpec): NginxNode[] {
  if (spec.mode !== 'standalone') {
    throw new Error(`${nginxSitePath(spec.serviceName)} belongs to standalone mode, but the spec's mode is ${spec.mode}.`)
  }
  const pools = sitePools(spec)
  const parts = httpsServerParts(spec, pools)
  return [
    directive('server_tokens', ['off']),
    ...routingDeclarations(spec, routes(spec), ' (see the rate-limited location)'),
    ...pools.nodes,
    httpServer(spec),
    ...siteServerGroups(spec).map((group) => httpsServer(group, parts)),
    comment('Host names this deployment does not serve get nothing: no content, no certificate.'),
    unknownHostServer(spec),
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
