import {
  BUNDLE_PATHS,
  containerName,
  deriveValues,
  routerRoutes,
  routes,
  SERVICE_CATALOGUE,
  CONTAINER_PORTS,
  type DeploymentSpec,
  type Route,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { comment, type NginxNode, placeholder, printNginx } from '@messenger-stack/config-schema/nginx'
import { header, routeLocations, type RouteOptions } from './nginx-routes.js'

/** Options of {@link gatewayProxyModel} and {@link renderGatewayLocations}. */
export interface GatewayLocationsOptions {
  /**
   * The colour whose containers the upstream names point to. Without it (the default, and what
   * `nginx/gateway-proxy.conf` holds) every upstream name carries the literal
   * `gateway.activeColorPlaceholder`, which the gateway replaces before nginx reads the file;
   * with it, the blocks load in nginx as printed.
   */
  readonly activeColor?: 'blue' | 'green'
}

function routeOptions(spec: DeploymentSpec, options: GatewayLocationsOptions): RouteOptions {
  const colour = options.activeColor ?? placeholder(spec.gateway.activeColorPlaceholder)
  return {
    // Every upstream carries the colour: core-resident services have network aliases for both
    // colours, and colour-switched ones really exist once per colour. Synapse and LiveKit are
    // not on the gateway's network: their routes go to the router (see `viaRouter`).
    upstreamHost: (service) => [`${containerName(spec, SERVICE_CATALOGUE[service].stateful ? 'router' : service)}-`, colour],
    // Pool routes never reach here (gatewayProxyModel leaves them to the router).
    poolUpstream: () => {
      throw new Error('The gateway include cannot declare the upstream groups of Synapse worker pools: the router routes them.')
    },
    // A location-only file cannot declare a `map`, so upgrades always ask for "upgrade".
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
 * A route to the core as the gateway prints it: to the router's port, path unchanged, without
 * response headers. The router strips prefixes, rate-limits and sets the headers itself
 * (see renderers' `routerModel`), so nothing is done twice.
 */
function viaRouter(route: Route): Route {
  const target = route.target
  if (target.kind !== 'service') return route
  // Written out rather than spread: spreading the route and its target cost more than the
  // location printed from it (a spread copies key by key on a generic path). Every field is
  // named (`satisfies` below), so a field added to Route is not dropped here unnoticed.
  return {
    name: route.name,
    description: route.description,
    hosts: route.hosts,
    match: route.match,
    target: { kind: 'service', service: target.service, port: CONTAINER_PORTS.router, stripPrefix: false },
    websocket: route.websocket,
    rateLimit: route.rateLimit,
    cors: undefined,
    maxBodyBytes: route.maxBodyBytes,
    responseHeaders: [],
    hideUpstreamHeaders: [],
  } satisfies { readonly [K in keyof Required<Route>]: Route[K] }
}

/**
 * The gateway's location blocks as a block tree, printed from the route table: the Matrix and
 * call routes of the standalone site (without TLS, ACME and redirects, which the gateway owns)
 * and the well-known files, which Synapse serves in this mode. Upstream host names carry the
 * literal colour placeholder, or `options.activeColor`. Put the nodes in your own `server`
 * block (they need no http-level declaration) and print it with `printNginx` from
 * `@messenger-stack/config-schema/nginx`.
 *
 * @throws Error if the spec is not in microservice mode (standalone mode has its own nginx site).
 */
export function gatewayProxyModel(spec: DeploymentSpec, options: GatewayLocationsOptions = {}): NginxNode[] {
  if (spec.mode !== 'microservice') {
    throw new Error(`${BUNDLE_PATHS.gatewayProxy} belongs to microservice mode, but the spec's mode is ${spec.mode}.`)
  }
  const derived = deriveValues(spec)
  // The gateway owns `location /` (Element Web), and a location-only file cannot declare a
  // `limit_req_zone`: a rate-limited route is left out and the broader Matrix route that
  // follows serves its paths (Synapse's `rc_login` still limits logins).
  // Nor can it declare the upstream groups of Synapse's worker pools: their routes are left out
  // too, and the Matrix route sends their paths to the router, which routes them to the pools.
  // Indexed loops over the memoised (frozen) route tables, which V8 (Node 20) filters and maps
  // on its slow generic path. The router's routes are those of the table it serves, in table
  // order (`routerRoutes`), so one walk over both finds them by name: during a render the two
  // tables hold the same route objects and the same name strings, compared by reference, where
  // a set of names would hash each name, built anew by every render.
  const routed = routerRoutes(spec)
  const table = routes(spec)
  const printed: Route[] = []
  let next = 0
  for (let index = 0; index < table.length; index++) {
    const route = table[index]!
    const toRouter = next < routed.length && routed[next]!.name === route.name
    if (toRouter) next++
    if (route.match.kind === 'default' || route.rateLimit !== undefined || route.target.kind === 'pool') continue
    printed.push(toRouter ? viaRouter(route) : route)
  }
  return [
    comment(`Location blocks for the gateway's server block of ${derived.matrixHost}; the gateway terminates TLS.`),
    comment(
      options.activeColor === undefined
        ? `${spec.gateway.activeColorPlaceholder} is replaced by "blue" or "green" before nginx loads this file.`
        : `Upstreams are the ${options.activeColor} containers.`,
    ),
    comment(`Element Web (${containerName(spec, 'element-web')}-<colour>) is served by the gateway's own "location /".`),
    ...routeLocations(printed, routeOptions(spec, options)),
  ]
}

/**
 * Prints the location blocks of a microservice deployment, exactly those of
 * `nginx/gateway-proxy.conf` without its file header, so another tool can embed our routes in
 * its own `server` block (paste them in, or `include` the text from a file). The server block
 * must terminate TLS and serve Element Web at `location /`; its nginx must resolve the
 * container names of the upstreams (it runs on the deployment's gateway network).
 *
 * @example
 * const blocks = renderGatewayLocations(spec, { activeColor: 'blue' })
 * @throws Error if the spec is not in microservice mode.
 */
export function renderGatewayLocations(spec: DeploymentSpec, options: GatewayLocationsOptions = {}): string {
  return printNginx(gatewayProxyModel(spec, options))
}

/**
 * Renders `nginx/gateway-proxy.conf` for microservice mode: location blocks only, with the
 * literal `${ACTIVE_COLOR}` placeholder (`gateway.activeColorPlaceholder`) in every upstream.
 * Pure: same spec, same bytes.
 */
export function renderGatewayProxy(spec: DeploymentSpec): string {
  return printNginx(gatewayProxyModel(spec), { header: generatedHeader(BUNDLE_PATHS.gatewayProxy) })
}
