import {
  RATE_LIMITS,
  deriveValues,
  routes,
  type DeploymentSpec,
  type Route,
  type ServiceName,
  type SynapsePool,
} from '@messenger-stack/config-schema'
import { type KubernetesObject, kubernetesNamespace, objectName } from './_objects.js'
import { POOL_HASH, type PoolBackend, poolBackend } from './pools.js'
import { deepFreeze } from './_shared.js'

const NGINX = 'nginx.ingress.kubernetes.io'

/**
 * An ingress-nginx path for a route regex: ingress-nginx anchors paths with `^` itself and the
 * API wants them to start with `/`, so `^/a` becomes `/a` and `^(/a|/b)rest` becomes `/(?:a|b)rest`.
 *
 * @throws Error for a regex of another shape (a route table change the printer must learn).
 */
export function ingressRegexPath(pattern: string): string {
  const known = INGRESS_PATHS.get(pattern)
  if (known !== undefined) return known
  const path = regexPath(pattern)
  if (INGRESS_PATHS.size < INGRESS_PATHS_KEPT) INGRESS_PATHS.set(pattern, path)
  return path
}

/**
 * Ingress paths already worked out, by route regex, for the process. The route table's regexes
 * are fixed by the code, the same string objects in every render (so a look-up hashes nothing
 * anew), and the worker routes' are kilobytes: walking them took ~12 us of every render of the
 * Kubernetes example. Bounded, so that a process rendering many tenants keeps a fixed size; a
 * refused regex is never kept (it throws each time). What it holds depends on the regex alone.
 */
const INGRESS_PATHS = new Map<string, string>()
const INGRESS_PATHS_KEPT = 256

function regexPath(pattern: string): string {
  if (pattern.startsWith('^/')) return pattern.slice(1)
  if (!pattern.startsWith('^(')) throw new Error(`Cannot print the route regex ${pattern} as an Ingress path.`)
  // A capturing or non-capturing group: the printed one never captures (rewrite-target's $1 is a prefix strip's).
  const open = pattern.startsWith('^(?:') ? 4 : 2
  // Character codes, not one-character strings: the worker route patterns are hundreds of characters.
  let inner = ''
  let alternatives = 0
  let depth = 0
  let start = open
  let end = -1
  for (let index = open; index < pattern.length && end < 0; index++) {
    const code = pattern.charCodeAt(index)
    if (code === BACKSLASH) index++
    else if (code === OPEN) depth++
    else if (code === CLOSE && depth > 0) depth--
    else if (code === BAR && depth > 0) continue
    else if (code === CLOSE || code === BAR) {
      // Each alternative starts with `/`, dropped: the printed group follows the path's own `/`.
      if (pattern.charCodeAt(start) !== SLASH) throw new Error(`Cannot print the route regex ${pattern} as an Ingress path.`)
      inner += alternatives++ === 0 ? pattern.slice(start + 1, index) : `|${pattern.slice(start + 1, index)}`
      if (code === CLOSE) end = index
      else start = index + 1
    }
  }
  if (end < 0) throw new Error(`Cannot print the route regex ${pattern} as an Ingress path.`)
  return `/(?:${inner})${pattern.slice(end + 1)}`
}

const BACKSLASH = 0x5c
const OPEN = 0x28
const CLOSE = 0x29
const BAR = 0x7c
const SLASH = 0x2f

/** The Ingress path of a route, its type, and whether it needs regex paths on its host. */
function ingressPath(route: Route): { path: string; pathType: string; regex: boolean } {
  const match = route.match
  const strip = route.target.kind === 'service' && route.target.stripPrefix
  switch (match.kind) {
    case 'exact':
      return { path: match.path, pathType: 'Exact', regex: false }
    case 'prefix':
      // The captured rest becomes the whole path upstream (rewrite-target /$1).
      return strip
        ? { path: `${match.path}(.*)`, pathType: 'ImplementationSpecific', regex: true }
        : { path: match.path, pathType: 'Prefix', regex: false }
    case 'regex':
      return { path: ingressRegexPath(match.pattern), pathType: 'ImplementationSpecific', regex: true }
    case 'default':
      return { path: '/', pathType: 'Prefix', regex: false }
  }
}

// The annotation names, made once for the process rather than for each route of each render (a
// key built per store is also looked up in V8's string table for each store).
const USE_REGEX = `${NGINX}/use-regex`
const REWRITE_TARGET = `${NGINX}/rewrite-target`
const BODY_SIZE = `${NGINX}/proxy-body-size`
const READ_TIMEOUT = `${NGINX}/proxy-read-timeout`
const SEND_TIMEOUT = `${NGINX}/proxy-send-timeout`
const ENABLE_CORS = `${NGINX}/enable-cors`
const CORS_ORIGIN = `${NGINX}/cors-allow-origin`
const CORS_METHODS = `${NGINX}/cors-allow-methods`
const CORS_HEADERS = `${NGINX}/cors-allow-headers`
const LIMIT_RPM = `${NGINX}/limit-rpm`
const LIMIT_BURST = `${NGINX}/limit-burst-multiplier`
const UPSTREAM_HASH = `${NGINX}/upstream-hash-by`

/**
 * The ingress-nginx annotations that give a route the behaviour of the nginx site's location,
 * then its pool's hashing (see {@link routePool}).
 */
function routeAnnotations(route: Route, regex: boolean): Record<string, string> {
  const annotations: Record<string, string> = {}
  if (regex) annotations[USE_REGEX] = 'true'
  if (route.target.kind === 'service' && route.target.stripPrefix) annotations[REWRITE_TARGET] = '/$1'
  if (route.maxBodyBytes !== undefined) annotations[BODY_SIZE] = String(route.maxBodyBytes)
  if (route.websocket !== undefined) {
    annotations[READ_TIMEOUT] = String(route.websocket.idleTimeoutSeconds)
    annotations[SEND_TIMEOUT] = String(route.websocket.idleTimeoutSeconds)
  }
  if (route.cors !== undefined) {
    annotations[ENABLE_CORS] = 'true'
    annotations[CORS_ORIGIN] = route.cors.allowOrigin
    annotations[CORS_METHODS] = route.cors.allowMethods.join(', ')
    annotations[CORS_HEADERS] = route.cors.allowHeaders.join(', ')
  }
  if (route.rateLimit !== undefined) {
    const limit = RATE_LIMITS[route.rateLimit]
    annotations[LIMIT_RPM] = String(limit.perMinute)
    // ingress-nginx's burst is a multiple of the rate: the smallest one, so at least the burst.
    annotations[LIMIT_BURST] = String(Math.max(1, Math.ceil(limit.burst / limit.perMinute)))
  }
  const pool = routePool(route)
  if (pool !== undefined && pool.balance !== 'round-robin') annotations[UPSTREAM_HASH] = POOL_HASH[pool.balance]
  return annotations
}

/**
 * The pool a pool route's Ingress sends to, hashed as the pool is sticky (see {@link POOL_HASH}).
 * A route that sends only `GET` to a pool sends every method to its other pool (the main
 * process): choosing an upstream by method needs configuration snippets, off by default in
 * ingress-nginx, so those reads stay on the main process, which serves them too.
 */
function routePool(route: Route): SynapsePool | undefined {
  const target = route.target
  return target.kind === 'pool' ? (target.nonGet ?? target.pool) : undefined
}

/**
 * The backends of one render's Ingresses: each Service's built once, and shared by the routes
 * to it, frozen when a second one takes it (nothing is printed before every object is built)
 * so that the printer prints it once. Found by the route's own names (a catalogue service, a
 * pool's kind and balance: strings fixed by the code), not by the Service name, which would be
 * a string built and hashed for each route.
 */
class Backends {
  readonly #services = new Map<string, PoolBackend>()
  readonly #pools = new Map<string, Map<string, PoolBackend>>()
  readonly #spec: DeploymentSpec

  constructor(spec: DeploymentSpec) {
    this.#spec = spec
  }

  /** The backend of a proxied or pool route. */
  of(route: Route): PoolBackend {
    const target = route.target
    if (target.kind === 'service') return this.#service(target.service, target.port)
    const pool = routePool(route)
    if (pool === undefined) throw new Error(`The route ${route.name} is answered by the edge proxy itself; an Ingress cannot.`)
    // The main process's pool is its Service (as `poolBackend` names it).
    if (pool.processes === 'main') return this.#service('synapse', this.#spec.synapse.httpPort)
    let balances = this.#pools.get(pool.processes)
    if (balances === undefined) {
      balances = new Map()
      this.#pools.set(pool.processes, balances)
    }
    const known = balances.get(pool.balance)
    if (known !== undefined) return deepFreeze(known)
    const backend = poolBackend(this.#spec, pool)
    balances.set(pool.balance, backend)
    return backend
  }

  #service(service: ServiceName, port: number): PoolBackend {
    const known = this.#services.get(service)
    if (known !== undefined && known.service.port.number === port) return deepFreeze(known)
    const backend = { service: { name: objectName(this.#spec, { name: service }), port: { number: port } } }
    if (known === undefined) this.#services.set(service, backend)
    return backend
  }
}

/**
 * The Ingresses of the route table, for ingress-nginx: one per route (its annotations are its
 * location's behaviour: regex paths, prefix strip, body size, WebSocket timeouts, CORS, login
 * rate limit, a sticky pool's hashing), TLS for every public host from one certificate that cert-manager obtains through
 * `kubernetes.clusterIssuer`. Refusing routes print nothing: no Ingress path reaches the admin
 * API, so `/_synapse/admin` never gets to Synapse (Element Web's catch-all answers it).
 *
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
 */
export function ingresses(spec: DeploymentSpec): KubernetesObject[] {
  const hosts = [...deriveValues(spec).publicHosts].sort()
  // Parts every Ingress carries, frozen: the printer prints each once.
  const tls = deepFreeze([{ hosts, secretName: `${spec.serviceName}-tls` }])
  const labels = deepFreeze({ 'app.kubernetes.io/part-of': 'messenger-stack', 'app.kubernetes.io/instance': spec.serviceName })
  const objects: KubernetesObject[] = []
  const backends = new Backends(spec)
  for (const route of routes(spec)) {
    if (route.target.kind === 'refuse') continue
    const backend = backends.of(route)
    const { path, pathType, regex } = ingressPath(route)
    const annotations = routeAnnotations(route, regex)
    // One Ingress asks cert-manager for the certificate; the others name the same Secret.
    if (objects.length === 0) annotations['cert-manager.io/cluster-issuer'] = spec.kubernetes.clusterIssuer
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: `${spec.serviceName}-${route.name}`,
        namespace: kubernetesNamespace(spec),
        labels,
        annotations,
      },
      spec: {
        ingressClassName: spec.kubernetes.ingressClassName,
        tls,
        rules: route.hosts.map((host) => ({ host, http: { paths: [{ path, pathType, backend }] } })),
      },
    })
  }
  return objects
}
