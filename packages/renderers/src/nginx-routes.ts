import {
  RATE_LIMITS,
  type CorsPolicy,
  type ProxiedService,
  type RateLimitClass,
  type ResponseHeader,
  type Route,
  type RouteMatch,
  type RouteTarget,
} from '@messenger-stack/config-schema'
import {
  comment,
  directive,
  expression,
  regex,
  type NginxArg,
  type NginxDirective,
  type NginxNode,
  type NginxPart,
} from '@messenger-stack/config-schema/nginx'
import {
  FORWARDED_FOR,
  HOST_HEADER,
  HTTP_VERSION,
  NO_BUFFERING,
  NOT_FOUND,
  PREFLIGHT,
  SCHEME_PROXY_HEADERS,
  UPGRADE_HEADER,
} from './_nginx-fixed.js'

/** How one nginx file prints routes: upstream names and the http-level helpers it may use. */
export interface RouteOptions {
  /** Host part of the upstream URL of a service: a container name, possibly with a placeholder. */
  readonly upstreamHost: (service: ProxiedService) => readonly (string | NginxPart)[]
  /**
   * `proxy_pass` argument of a route to a pool of Synapse processes (an upstream group the file
   * declares, or a variable choosing one by method). Files that cannot declare groups throw.
   */
  readonly poolUpstream: (target: PoolTarget) => NginxArg
  /** Value of the `Connection` header sent with WebSocket upgrades. */
  readonly connectionUpgrade: NginxArg
  /**
   * Value of `X-Forwarded-Proto`: `$scheme` where this nginx terminates TLS (the default); the
   * microservice router passes on what the gateway, which terminated TLS, sent.
   */
  readonly forwardedProto?: NginxArg
  /** `limit_req_zone` name of a rate-limit class; the file declares the zones. */
  readonly rateLimitZone: (rateLimit: RateLimitClass) => string
  /** Where the well-known and other bundle files are inside the nginx container, by bundle path. */
  readonly fileAlias: (file: string) => string
  /**
   * `add_header` directives every location that adds its own headers repeats: nginx drops
   * inherited `add_header`s in a location that sets any.
   */
  readonly baseHeaders: readonly NginxDirective[]
}

/** A route target that spreads requests over Synapse processes. */
export type PoolTarget = Extract<RouteTarget, { kind: 'pool' }>

/** `add_header name value always;` */
export function header(name: string, value: NginxArg): NginxDirective {
  return directive('add_header', [name, value, 'always'])
}

/**
 * Headers Synapse (and the other upstreams) need. `Host` is the bare `$host`: nginx listens
 * on 8443 in standalone mode while clients use 443, so `$host:$server_port` would tell
 * Synapse the wrong port; Synapse builds public URLs from `public_baseurl` anyway.
 */
function proxyHeaders(options: RouteOptions): readonly NginxDirective[] {
  if (options.forwardedProto === undefined) return SCHEME_PROXY_HEADERS
  return [FORWARDED_FOR, directive('proxy_set_header', ['X-Forwarded-Proto', options.forwardedProto]), HOST_HEADER, HTTP_VERSION]
}

/**
 * What the locations of one file repeat, built once per file: the tree may share nodes (printing
 * never changes them), and the printer prints a node it meets again from its first printing. A
 * file with several servers passes one to each {@link sharedRouteLocations} call, so a route two servers
 * serve has one location block.
 */
export interface SharedDirectives {
  readonly options: RouteOptions
  readonly proxyHeaders: readonly NginxDirective[]
  /** The location block of each route already built, in a file whose servers share routes. */
  readonly locations?: Map<Route, NginxDirective>
  /** `add_header` of each response header of the route table (whose routes share those objects). */
  readonly headers: Map<ResponseHeader, NginxDirective>
  /** The three `add_header`s of each CORS policy (the routes that allow CORS share one). */
  readonly cors: Map<CorsPolicy, readonly NginxDirective[]>
  /** `client_max_body_size`, by size. */
  readonly bodySizes: Map<number, NginxDirective>
  /** `limit_req` and `limit_req_status`, by rate-limit class. */
  readonly rateLimits: Map<RateLimitClass, readonly NginxDirective[]>
  /** `default_type`, by content type. */
  readonly contentTypes: Map<string, NginxDirective>
}

/**
 * The shared directives of one file that prints routes with `options`; `acrossServers` when
 * several of its servers serve a route (a file with one server has nothing to look up).
 */
export function sharedDirectives(options: RouteOptions, acrossServers = false): SharedDirectives {
  return {
    options,
    proxyHeaders: proxyHeaders(options),
    locations: acrossServers ? new Map() : undefined,
    headers: new Map(),
    cors: new Map(),
    bodySizes: new Map(),
    rateLimits: new Map(),
    contentTypes: new Map(),
  }
}

/** The `location` arguments of a match: `= path`, `^~ prefix` (wins over regexes), `~ regex`, or `/`. */
function locationArgs(match: RouteMatch): NginxArg[] {
  switch (match.kind) {
    case 'exact':
      return ['=', match.path]
    case 'prefix':
      return ['^~', match.path]
    case 'regex':
      return ['~', regex(match.pattern)]
    case 'default':
      return ['/']
  }
}

/** Appends the response headers of a route after the file's base headers; none when it sets none (it inherits). */
function pushResponseHeaders(body: NginxDirective[], route: Route, shared: SharedDirectives): void {
  const own = route.responseHeaders
  const cors = route.cors
  if (own.length === 0 && cors === undefined) return
  const base = shared.options.baseHeaders
  for (let index = 0; index < base.length; index++) body.push(base[index]!)
  for (let index = 0; index < own.length; index++) {
    const item = own[index]!
    let added = shared.headers.get(item)
    if (added === undefined) {
      added = header(item.name, item.value)
      shared.headers.set(item, added)
    }
    body.push(added)
  }
  if (cors !== undefined) {
    let added = shared.cors.get(cors)
    if (added === undefined) {
      added = [
        header('Access-Control-Allow-Origin', cors.allowOrigin),
        header('Access-Control-Allow-Methods', cors.allowMethods.join(', ')),
        header('Access-Control-Allow-Headers', cors.allowHeaders.join(', ')),
      ]
      shared.cors.set(cors, added)
    }
    body.push(added[0]!, added[1]!, added[2]!)
  }
}

/**
 * The `proxy_pass` URL of a route to a service. A host that is one plain name (a container name)
 * makes one literal argument, which the printer checks as one word; a host with a placeholder (the
 * gateway's colour) makes an expression. The same text either way: the host and the port part are
 * never empty, and literal text is quoted and refused by the same rules as a whole or in parts.
 */
function serviceUpstream(target: Extract<RouteTarget, { kind: 'service' }>, options: RouteOptions): NginxArg {
  const host = options.upstreamHost(target.service)
  const port = `:${target.port}${target.stripPrefix ? '/' : ''}`
  const name = host[0]
  if (host.length === 1 && typeof name === 'string' && name !== '') return `http://${name}${port}`
  return expression('http://', ...host, port)
}

function locationBody(route: Route, shared: SharedDirectives): NginxDirective[] {
  const target = route.target
  const options = shared.options
  if (target.kind === 'refuse') return [target.status === 404 ? NOT_FOUND : directive('return', [target.status])]
  const body: NginxDirective[] = []
  if (target.kind === 'file' || target.kind === 'document') {
    if (target.kind === 'file') body.push(directive('alias', [options.fileAlias(target.file)]))
    let contentType = shared.contentTypes.get(target.contentType)
    if (contentType === undefined) {
      contentType = directive('default_type', [target.contentType])
      shared.contentTypes.set(target.contentType, contentType)
    }
    body.push(contentType)
    pushResponseHeaders(body, route, shared)
    // A file or document cannot answer a CORS preflight itself, so nginx does (before `return`).
    if (route.cors !== undefined) body.push(PREFLIGHT)
    if (target.kind === 'document') body.push(directive('return', [200, target.body]))
    return body
  }
  if (route.rateLimit !== undefined) {
    let limits = shared.rateLimits.get(route.rateLimit)
    if (limits === undefined) {
      const limit = RATE_LIMITS[route.rateLimit]
      limits = [
        directive('limit_req', [`zone=${options.rateLimitZone(route.rateLimit)}`, `burst=${limit.burst}`, 'nodelay']),
        directive('limit_req_status', [limit.status]),
      ]
      shared.rateLimits.set(route.rateLimit, limits)
    }
    body.push(limits[0]!, limits[1]!)
  }
  // With the prefix stripped, the URI "/" replaces the matched prefix. Otherwise no URI after
  // the host: nginx passes the request path as received (normalising it would break
  // federation signatures).
  body.push(directive('proxy_pass', [target.kind === 'pool' ? options.poolUpstream(target) : serviceUpstream(target, options)]))
  for (let index = 0; index < shared.proxyHeaders.length; index++) body.push(shared.proxyHeaders[index]!)
  if (route.maxBodyBytes !== undefined) {
    let bodySize = shared.bodySizes.get(route.maxBodyBytes)
    if (bodySize === undefined) {
      bodySize = directive('client_max_body_size', [route.maxBodyBytes])
      shared.bodySizes.set(route.maxBodyBytes, bodySize)
    }
    body.push(bodySize)
  }
  if (route.websocket !== undefined) {
    const idle = `${route.websocket.idleTimeoutSeconds}s`
    body.push(
      UPGRADE_HEADER,
      directive('proxy_set_header', ['Connection', options.connectionUpgrade]),
      NO_BUFFERING,
      directive('proxy_read_timeout', [idle]),
      directive('proxy_send_timeout', [idle]),
    )
  }
  for (const name of route.hideUpstreamHeaders) body.push(directive('proxy_hide_header', [name]))
  pushResponseHeaders(body, route, shared)
  return body
}

/**
 * The `location` blocks of routes from config-schema's route table, in table order, each under
 * its description (once for consecutive routes that share one).
 */
export function routeLocations(table: readonly Route[], options: RouteOptions): NginxNode[] {
  return sharedRouteLocations(table, sharedDirectives(options))
}

/**
 * {@link routeLocations} with the directives (and locations) a file shares between its servers:
 * a file that prints routes in several servers passes one {@link sharedDirectives} to each call.
 * Internal: the public function keeps its two parameters.
 */
export function sharedRouteLocations(table: readonly Route[], shared: SharedDirectives): NginxNode[] {
  const nodes: NginxNode[] = []
  // An indexed loop, not `forEach`: the table is often the memoised (frozen) route table, which
  // V8 (Node 20) iterates with `forEach` on its slow generic path.
  for (let index = 0; index < table.length; index++) {
    const route = table[index]!
    if (table[index - 1]?.description !== route.description) nodes.push(comment(route.description))
    // Only a route of several hosts can be in several servers (a server's hosts are its own).
    const locations = route.hosts.length > 1 ? shared.locations : undefined
    let location = locations?.get(route)
    if (location === undefined) {
      location = directive('location', locationArgs(route.match), locationBody(route, shared))
      locations?.set(route, location)
    }
    nodes.push(location)
  }
  return nodes
}
