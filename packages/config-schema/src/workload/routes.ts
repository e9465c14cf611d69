import { deriveValues } from '../deployment/derived.js'
import { LOGIN_PATHS_REGEX } from '../synapse/login-paths.js'
import { BUNDLE_PATHS } from '../deployment/layout.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { SERVICE_CATALOGUE, type ProxiedService } from './catalogue.js'
import { serviceEnabled } from './enabled-services.js'
import { portNumber, servicePorts } from './ports.js'
import type { CorsPolicy, Route, RouteTarget } from './route.js'
import { wellKnownSupport } from '../well-known/support.js'
import { workerRoutes } from '../workers/routing.js'
import { memoised } from '../_render-memo.js'

/** The Synapse paths clients and federation use (`/_synapse/admin` is not among them). */
export const MATRIX_PATHS_REGEX = '^(/_matrix|/_synapse/client)'

/** The well-known files, when Synapse serves them itself (microservice mode). */
export const WELL_KNOWN_REGEX = '^/\\.well-known/matrix/(client|server)$'

/**
 * Browsers fetch the well-known files from any origin. DEPLOY.md names the same headers for a
 * web server elsewhere that publishes them (`wellKnown.servedBy: elsewhere`).
 */
export const WELL_KNOWN_CORS: CorsPolicy = {
  allowOrigin: '*',
  allowMethods: ['GET', 'HEAD', 'OPTIONS'],
  allowHeaders: ['X-Requested-With', 'Content-Type', 'Authorization'],
}

/** Search engines stay out of the APIs. */
const NO_INDEX = [{ name: 'X-Robots-Tag', value: 'noindex, nofollow' }]

/**
 * The public HTTP routes of the deployment, in the order a reader (and nginx) takes them:
 * the well-known files (and the support document when the spec has contacts), the Matrix APIs
 * (login and registration rate limited), the admin API
 * refused, then calls (lk-jwt-service and the LiveKit SFU under their prefixes, LiveKit's
 * Twirp API) when on, and Element Web for everything else when enabled. Pure.
 *
 * The standalone nginx site and the gateway include print from it (see renderers); in
 * standalone mode nginx serves the well-known files itself, in microservice mode Synapse does.
 *
 * @see https://element-hq.github.io/synapse/latest/reverse_proxy.html
 * @see https://github.com/element-hq/element-call/blob/livekit/docs/self-hosting.md
 */
export function routes(spec: DeploymentSpec): Route[] {
  return memoised(spec, computeRoutes)
}

function computeRoutes(spec: DeploymentSpec): Route[] {
  const derived = deriveValues(spec)
  const ports = servicePorts(spec)
  // The first `http` port of each service, found in one walk over the ports (the table asks for
  // a few services, most of them listed after every worker's ports).
  const httpPorts = new Map<string, number>()
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]!
    if (port.name === 'http' && !httpPorts.has(port.service)) httpPorts.set(port.service, port.container.start)
  }
  const httpPort = (service: ProxiedService): number =>
    httpPorts.get(service) ??
    portNumber(
      ports.filter((port) => port.service === service),
      'http',
    )
  const to = (service: ProxiedService, stripPrefix = false): RouteTarget => ({
    kind: 'service',
    service,
    port: httpPort(service),
    stripPrefix,
  })
  const hostsOf = (...hosts: string[]) => derived.publicHosts.filter((host) => hosts.includes(host))
  const wellKnownHosts = hostsOf(spec.serverName, derived.matrixHost)
  const matrix = hostsOf(derived.matrixHost)
  const plain = { responseHeaders: [], hideUpstreamHeaders: [] }
  const table: Route[] = []
  if (spec.mode === 'standalone') {
    for (const [name, file] of [
      ['client', BUNDLE_PATHS.wellKnownClient],
      ['server', BUNDLE_PATHS.wellKnownServer],
    ] as const) {
      table.push({
        name: `well-known-${name}`,
        description: 'Matrix discovery files, readable from any origin.',
        hosts: wellKnownHosts,
        match: { kind: 'exact', path: `/.well-known/matrix/${name}` },
        target: { kind: 'file', file, contentType: 'application/json' },
        cors: WELL_KNOWN_CORS,
        responseHeaders: plain.responseHeaders,
        hideUpstreamHeaders: plain.hideUpstreamHeaders,
      })
    }
  } else {
    table.push({
      name: 'well-known',
      description: 'Matrix discovery files, served by Synapse, readable from any origin.',
      hosts: wellKnownHosts,
      match: { kind: 'regex', pattern: WELL_KNOWN_REGEX },
      target: to('synapse'),
      cors: WELL_KNOWN_CORS,
      responseHeaders: [],
      // Synapse sends its own CORS header; hidden so browsers never see "*, *".
      hideUpstreamHeaders: ['Access-Control-Allow-Origin'],
    })
  }
  const support = wellKnownSupport(spec)
  if (support !== undefined) {
    table.push({
      name: 'well-known-support',
      description: 'Who to contact about this server (MSC1929), from the spec; readable from any origin.',
      hosts: wellKnownHosts,
      match: { kind: 'exact', path: '/.well-known/matrix/support' },
      target: { kind: 'document', body: JSON.stringify(support), contentType: 'application/json' },
      cors: WELL_KNOWN_CORS,
      responseHeaders: plain.responseHeaders,
      hideUpstreamHeaders: plain.hideUpstreamHeaders,
    })
  }
  // What the Synapse routes share, written out field by field below rather than spread (here,
  // in the worker routes and in `plain`'s routes): an object spread copies key by key on a
  // generic path, which cost more than building the route.
  const synapseBase = {
    hosts: matrix,
    maxBodyBytes: derived.maxUploadBytes,
    responseHeaders: NO_INDEX,
    hideUpstreamHeaders: [],
  }
  const synapseTarget = to('synapse')
  // Synapse workers take what Synapse's endpoint table lets them serve: standalone nginx routes
  // them; in microservice mode the router does (the gateway include cannot declare the upstream
  // groups and hashing their routes need, so it sends every Matrix path to the router).
  const workers = workerRoutes(spec, synapseBase)
  for (let index = 0; index < workers.login.length; index++) table.push(workers.login[index]!)
  table.push({
    name: 'login',
    description: 'Login and registration: rate limited per client address, before the general Matrix route.',
    match: { kind: 'regex', pattern: LOGIN_PATHS_REGEX },
    rateLimit: 'login',
    hosts: synapseBase.hosts,
    target: synapseTarget,
    maxBodyBytes: synapseBase.maxBodyBytes,
    responseHeaders: synapseBase.responseHeaders,
    hideUpstreamHeaders: synapseBase.hideUpstreamHeaders,
  })
  for (let index = 0; index < workers.rest.length; index++) table.push(workers.rest[index]!)
  table.push(
    {
      name: 'matrix',
      description: 'Client-server and federation APIs, and the pages under /_synapse/client.',
      match: { kind: 'regex', pattern: MATRIX_PATHS_REGEX },
      hosts: synapseBase.hosts,
      target: synapseTarget,
      maxBodyBytes: synapseBase.maxBodyBytes,
      responseHeaders: synapseBase.responseHeaders,
      hideUpstreamHeaders: synapseBase.hideUpstreamHeaders,
    },
    {
      name: 'synapse-admin',
      description: "The admin API is not public: the operator reaches it on Synapse's admin socket (register-user --socket).",
      hosts: matrix,
      match: { kind: 'prefix', path: '/_synapse/admin' },
      target: { kind: 'refuse', status: 404 },
      responseHeaders: plain.responseHeaders,
      hideUpstreamHeaders: plain.hideUpstreamHeaders,
    },
  )
  if (spec.monitoring !== undefined) {
    // Synapse serves metrics on a listener of its own, which no route targets; this refusal
    // keeps the path from ever reaching Synapse, whatever a later route might proxy.
    table.push({
      name: 'synapse-metrics',
      description: 'Metrics are not public: Prometheus scrapes the metrics listener on the internal network.',
      hosts: matrix,
      match: { kind: 'prefix', path: '/_synapse/metrics' },
      target: { kind: 'refuse', status: 404 },
      responseHeaders: plain.responseHeaders,
      hideUpstreamHeaders: plain.hideUpstreamHeaders,
    })
  }
  if (derived.calls) {
    const livekit = hostsOf(derived.livekitHost)
    table.push(
      {
        name: 'rtc-auth',
        description: 'MatrixRTC authorisation service (lk-jwt-service); the trailing slash strips the prefix.',
        hosts: livekit,
        match: { kind: 'prefix', path: `${spec.livekit.jwtPath}/` },
        target: to('lk-jwt-service', true),
        responseHeaders: plain.responseHeaders,
        hideUpstreamHeaders: plain.hideUpstreamHeaders,
      },
      {
        name: 'livekit-sfu',
        description: 'LiveKit SFU signalling (WebSocket); the trailing slash strips the prefix.',
        hosts: livekit,
        match: { kind: 'prefix', path: `${spec.livekit.sfuPath}/` },
        target: to('livekit', true),
        websocket: { idleTimeoutSeconds: 120 },
        responseHeaders: plain.responseHeaders,
        hideUpstreamHeaders: plain.hideUpstreamHeaders,
      },
      {
        name: 'livekit-twirp',
        description: 'LiveKit Twirp API (room creation by lk-jwt-service), passed on unchanged.',
        hosts: livekit,
        match: { kind: 'prefix', path: '/twirp/' },
        target: to('livekit'),
        responseHeaders: plain.responseHeaders,
        hideUpstreamHeaders: plain.hideUpstreamHeaders,
      },
    )
  }
  if (serviceEnabled(spec, 'element-web')) {
    table.push({
      name: 'element-web',
      description: 'Element Web.',
      hosts: hostsOf(derived.elementHost),
      match: { kind: 'default' },
      target: to('element-web'),
      responseHeaders: [{ name: 'X-Frame-Options', value: 'SAMEORIGIN' }],
      // Ours replace the image's copies, so browsers never see a header twice.
      hideUpstreamHeaders: ['X-Frame-Options', 'X-Content-Type-Options'],
    })
  }
  return table
}

/**
 * The routes the microservice router serves: those to the stateful core (Synapse, its worker
 * pools, LiveKit), which stay off the gateway's shared network, and the refusals (the admin
 * API). The gateway include sends these to the router (the worker pools' routes through the
 * broader Matrix route, see renderers' `gatewayProxyModel`) and the others (lk-jwt-service,
 * Element Web) straight to their colour. Standalone has no router: its nginx serves every route.
 */
export function routerRoutes(spec: DeploymentSpec): Route[] {
  return memoised(spec, computeRouterRoutes)
}

function computeRouterRoutes(spec: DeploymentSpec): Route[] {
  // An indexed loop, not `filter`: the memoised route table is frozen (V8, Node 20, filters a
  // frozen array on its slow generic path).
  const table = routes(spec)
  const served: Route[] = []
  for (let index = 0; index < table.length; index++) {
    const target = table[index]!.target
    if (target.kind === 'refuse' || target.kind === 'pool' || (target.kind === 'service' && SERVICE_CATALOGUE[target.service].stateful)) {
      served.push(table[index]!)
    }
  }
  return served
}
