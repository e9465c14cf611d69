import {
  CONTAINER_PORTS,
  comment,
  deriveValues,
  directive,
  expression,
  regex,
  variable,
  type DeploymentSpec,
  type NginxArg,
  type NginxDirective,
  type NginxNode,
  type NginxPart,
  type ProxiedService,
} from '@messenger-stack/config-schema'

/** How the shared routes name upstreams and which http-level helpers the file may use. */
export interface RouteOptions {
  /** Host part of the upstream URL of a service: a container name, possibly with a placeholder. */
  readonly upstreamHost: (service: ProxiedService) => readonly (string | NginxPart)[]
  /** Value of the `Connection` header sent with WebSocket upgrades. */
  readonly connectionUpgrade: NginxArg
  /** `limit_req_zone` name for login/registration; omitted when the file cannot declare zones. */
  readonly loginRateLimitZone?: string
  /**
   * `add_header` directives every location that adds its own headers repeats: nginx drops
   * inherited `add_header`s in a location that sets any.
   */
  readonly baseHeaders: readonly NginxDirective[]
}

/** The Synapse paths clients and federation use (`/_synapse/admin` is not among them). */
export const MATRIX_PATHS_REGEX = '^(/_matrix|/_synapse/client)'

/** Login and registration, rate limited per client address. */
export const LOGIN_PATHS_REGEX = '^/_matrix/client/(r0|v3)/(login|register)$'

/** `add_header name value always;` */
export function header(name: string, value: NginxArg): NginxDirective {
  return directive('add_header', [name, value, 'always'])
}

/** `http://<host>:<port><path>` as one argument, the host named by `options.upstreamHost`. */
export function upstreamUrl(options: RouteOptions, service: ProxiedService, port: number, path = ''): NginxArg {
  return expression('http://', ...options.upstreamHost(service), `:${port}${path}`)
}

/**
 * Headers Synapse (and the other upstreams) need. `Host` is the bare `$host`: nginx listens
 * on 8443 in standalone mode while clients use 443, so `$host:$server_port` would tell
 * Synapse the wrong port; Synapse builds public URLs from `public_baseurl` anyway.
 */
export function proxyHeaders(): NginxDirective[] {
  return [
    directive('proxy_set_header', ['X-Forwarded-For', expression(variable('remote_addr'))]),
    directive('proxy_set_header', ['X-Forwarded-Proto', expression(variable('scheme'))]),
    directive('proxy_set_header', ['Host', expression(variable('host'))]),
    directive('proxy_http_version', ['1.1']),
  ]
}

function synapseProxy(spec: DeploymentSpec, options: RouteOptions): NginxDirective[] {
  return [
    // No URI after the port: nginx would normalise the path and break federation signatures.
    directive('proxy_pass', [upstreamUrl(options, 'synapse', spec.synapse.httpPort)]),
    ...proxyHeaders(),
    directive('client_max_body_size', [deriveValues(spec).maxUploadBytes]),
  ]
}

function matrixHeaders(options: RouteOptions): NginxDirective[] {
  return [...options.baseHeaders, header('X-Robots-Tag', 'noindex, nofollow')]
}

/**
 * Location blocks of the Matrix APIs: rate-limited login/registration (when a zone exists),
 * `/_matrix` and `/_synapse/client` to Synapse, and `/_synapse/admin` refused.
 *
 * @see https://element-hq.github.io/synapse/latest/reverse_proxy.html
 */
export function matrixLocations(spec: DeploymentSpec, options: RouteOptions): NginxNode[] {
  const nodes: NginxNode[] = []
  if (options.loginRateLimitZone !== undefined) {
    nodes.push(
      comment('Login and registration: rate limited per client address, before the general Matrix route.'),
      directive(
        'location',
        ['~', regex(LOGIN_PATHS_REGEX)],
        [
          directive('limit_req', [`zone=${options.loginRateLimitZone}`, 'burst=10', 'nodelay']),
          directive('limit_req_status', [429]),
          ...synapseProxy(spec, options),
          ...matrixHeaders(options),
        ],
      ),
    )
  }
  nodes.push(
    comment('Client-server and federation APIs, and the pages under /_synapse/client.'),
    directive('location', ['~', regex(MATRIX_PATHS_REGEX)], [...synapseProxy(spec, options), ...matrixHeaders(options)]),
    comment('The admin API is not public: use it from inside the Synapse container.'),
    directive('location', ['^~', '/_synapse/admin'], [directive('return', [404])]),
  )
  return nodes
}

/**
 * Location blocks of calls (empty when calls are off): the MatrixRTC authorisation service
 * under `jwtPath/` and the LiveKit SFU under `sfuPath/` (both with the prefix stripped by the
 * trailing slash of `proxy_pass`), and LiveKit's Twirp API under `/twirp/` (not stripped).
 *
 * @see https://github.com/element-hq/element-call/blob/livekit/docs/self-hosting.md
 */
export function livekitLocations(spec: DeploymentSpec, options: RouteOptions): NginxNode[] {
  if (!deriveValues(spec).calls) return []
  const lk = spec.livekit
  const websocket = [
    directive('proxy_set_header', ['Upgrade', expression(variable('http_upgrade'))]),
    directive('proxy_set_header', ['Connection', options.connectionUpgrade]),
    directive('proxy_buffering', ['off']),
    directive('proxy_read_timeout', ['120s']),
    directive('proxy_send_timeout', ['120s']),
  ]
  return [
    comment('MatrixRTC authorisation service (lk-jwt-service); the trailing slash strips the prefix.'),
    directive(
      'location',
      ['^~', `${lk.jwtPath}/`],
      [directive('proxy_pass', [upstreamUrl(options, 'lk-jwt-service', lk.jwtPort, '/')]), ...proxyHeaders()],
    ),
    comment('LiveKit SFU signalling (WebSocket); the trailing slash strips the prefix.'),
    directive(
      'location',
      ['^~', `${lk.sfuPath}/`],
      [directive('proxy_pass', [upstreamUrl(options, 'livekit', lk.httpPort, '/')]), ...proxyHeaders(), ...websocket],
    ),
    comment('LiveKit Twirp API (room creation by lk-jwt-service), passed on unchanged.'),
    directive('location', ['^~', '/twirp/'], [directive('proxy_pass', [upstreamUrl(options, 'livekit', lk.httpPort)]), ...proxyHeaders()]),
  ]
}

/** CORS headers of the well-known files, which browsers fetch from any origin. */
export function wellKnownCorsHeaders(): NginxDirective[] {
  return [
    header('Access-Control-Allow-Origin', '*'),
    header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS'),
    header('Access-Control-Allow-Headers', 'X-Requested-With, Content-Type, Authorization'),
  ]
}

/** The Element Web route: `/` to the Element Web container (it serves its own files). */
export function elementWebLocation(options: RouteOptions): NginxNode[] {
  return [
    comment('Element Web.'),
    directive(
      'location',
      ['/'],
      [
        directive('proxy_pass', [upstreamUrl(options, 'element-web', CONTAINER_PORTS.elementWeb)]),
        ...proxyHeaders(),
        // Ours replace the image's copies, so browsers never see a header twice.
        directive('proxy_hide_header', ['X-Frame-Options']),
        directive('proxy_hide_header', ['X-Content-Type-Options']),
        ...options.baseHeaders,
        header('X-Frame-Options', 'SAMEORIGIN'),
      ],
    ),
  ]
}
