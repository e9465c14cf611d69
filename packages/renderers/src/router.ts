import {
  CONTAINER_PORTS,
  containerName,
  routerConfPath,
  routerRoutes,
  ROUTER_HEALTH_PATH,
  type DeploymentSpec,
  type Route,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { comment, directive, expression, type NginxNode, printNginx, variable } from '@messenger-stack/config-schema/nginx'
import { poolDeclarations, type PoolDeclarations } from './nginx-pools.js'
import { header, routeLocations, type RouteOptions } from './nginx-routes.js'
import { rateLimitZone, routingDeclarations } from './nginx-routing-declarations.js'

/**
 * Addresses the router takes the client address from (`X-Forwarded-For`): Docker's private
 * networks, where the gateway is. Nothing outside them reaches the router, which publishes no port.
 */
export const ROUTER_TRUSTED_PROXIES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] as const

/**
 * The Synapse pools the router spreads requests over. The client address is the one the gateway
 * saw (`$remote_addr` after `real_ip_header`), so inbound federation sticks per remote server,
 * not per gateway.
 */
function routerPools(spec: DeploymentSpec, table: readonly Route[]): PoolDeclarations {
  return poolDeclarations(spec, table, variable('remote_addr'))
}

function routeOptions(spec: DeploymentSpec, pools: PoolDeclarations): RouteOptions {
  return {
    upstreamHost: (service) => [containerName(spec, service)],
    poolUpstream: pools.upstream,
    connectionUpgrade: expression(variable('connection_upgrade')),
    forwardedProto: expression(variable('http_x_forwarded_proto')),
    rateLimitZone: (rateLimit) => rateLimitZone(spec, rateLimit),
    fileAlias: (file) => {
      throw new Error(`The router does not serve ${file}.`)
    },
    baseHeaders: [header('X-Content-Type-Options', 'nosniff'), header('Referrer-Policy', 'strict-origin-when-cross-origin')],
  }
}

/**
 * The microservice router's nginx config as a block tree (see config-schema's `router`
 * service): the client address from the gateway's `X-Forwarded-For`, the rate-limit zones and
 * the WebSocket `Connection` map and the upstream groups of Synapse's worker pools (with their
 * hashing), which the gateway include cannot declare, and one server on
 * {@link CONTAINER_PORTS}.router with the routes to the core (`routerRoutes`), its health
 * path, and 404 for everything else.
 *
 * @throws Error if the spec is not in microservice mode.
 */
export function routerModel(spec: DeploymentSpec): NginxNode[] {
  if (spec.mode !== 'microservice') {
    throw new Error(`${routerConfPath(spec.serviceName)} belongs to microservice mode, but the spec's mode is ${spec.mode}.`)
  }
  const table = routerRoutes(spec)
  const pools = routerPools(spec, table)
  return [
    directive('server_tokens', ['off']),
    comment("The client address, as the gateway saw it; only Docker's private networks reach this router."),
    ...ROUTER_TRUSTED_PROXIES.map((range) => directive('set_real_ip_from', [range])),
    directive('real_ip_header', ['X-Forwarded-For']),
    directive('real_ip_recursive', ['on']),
    ...routingDeclarations(spec, table, ''),
    ...pools.nodes,
    directive(
      'server',
      [],
      [
        directive('listen', [CONTAINER_PORTS.router, 'default_server']),
        comment("The router's own health check; the gateway never sends this path here."),
        directive('location', ['=', ROUTER_HEALTH_PATH], [directive('access_log', ['off']), directive('return', [200])]),
        ...routeLocations(table, routeOptions(spec, pools)),
        comment('Nothing else of the core is public.'),
        directive('location', ['/'], [directive('return', [404])]),
      ],
    ),
  ]
}

/**
 * Renders the microservice router's config (`nginx/conf.d/<serviceName>-router.conf`). Pure:
 * same spec, same bytes.
 */
export function renderRouter(spec: DeploymentSpec): string {
  return printNginx(routerModel(spec), { header: generatedHeader(routerConfPath(spec.serviceName)) })
}
