import { RATE_LIMITS, deriveValues, routes, type DeploymentSpec, type Route } from '@messenger-stack/config-schema'
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

/** The ingress-nginx annotations that give a route the behaviour of the nginx site's location. */
function routeAnnotations(route: Route, regex: boolean): Record<string, string> {
  const annotations: Record<string, string> = {}
  if (regex) annotations[`${NGINX}/use-regex`] = 'true'
  if (route.target.kind === 'service' && route.target.stripPrefix) annotations[`${NGINX}/rewrite-target`] = '/$1'
  if (route.maxBodyBytes !== undefined) annotations[`${NGINX}/proxy-body-size`] = String(route.maxBodyBytes)
  if (route.websocket !== undefined) {
    annotations[`${NGINX}/proxy-read-timeout`] = String(route.websocket.idleTimeoutSeconds)
    annotations[`${NGINX}/proxy-send-timeout`] = String(route.websocket.idleTimeoutSeconds)
  }
  if (route.cors !== undefined) {
    annotations[`${NGINX}/enable-cors`] = 'true'
    annotations[`${NGINX}/cors-allow-origin`] = route.cors.allowOrigin
    annotations[`${NGINX}/cors-allow-methods`] = route.cors.allowMethods.join(', ')
    annotations[`${NGINX}/cors-allow-headers`] = route.cors.allowHeaders.join(', ')
  }
  if (route.rateLimit !== undefined) {
    const limit = RATE_LIMITS[route.rateLimit]
    annotations[`${NGINX}/limit-rpm`] = String(limit.perMinute)
    // ingress-nginx's burst is a multiple of the rate: the smallest one, so at least the burst.
    annotations[`${NGINX}/limit-burst-multiplier`] = String(Math.max(1, Math.ceil(limit.burst / limit.perMinute)))
  }
  return annotations
}

/**
 * The backend of a proxied or pool route, and the annotations its pool needs. A pool route goes
 * to its pool's Service, hashed as the pool is sticky (see {@link POOL_HASH}). A route that
 * sends only `GET` to a pool sends every method to its other pool (the main process): choosing
 * an upstream by method needs configuration snippets, off by default in ingress-nginx, so those
 * reads stay on the main process, which serves them too.
 */
function routeBackend(spec: DeploymentSpec, route: Route): { backend: PoolBackend; annotations: Record<string, string> } {
  const target = route.target
  if (target.kind === 'service')
    return { backend: { service: { name: objectName(spec, { name: target.service }), port: { number: target.port } } }, annotations: {} }
  if (target.kind !== 'pool') throw new Error(`The route ${route.name} is answered by the edge proxy itself; an Ingress cannot.`)
  const pool = target.nonGet ?? target.pool
  const annotations: Record<string, string> =
    pool.balance === 'round-robin' ? {} : { [`${NGINX}/upstream-hash-by`]: POOL_HASH[pool.balance] }
  return { backend: poolBackend(spec, pool), annotations }
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
  // Routes to one Service share its backend, frozen when a second route takes it (nothing is
  // printed before every object is built), so that the printer prints it once.
  const backends = new Map<string, PoolBackend>()
  for (const route of routes(spec)) {
    const target = route.target
    if (target.kind === 'refuse') continue
    const { backend: own, annotations: poolAnnotations } = routeBackend(spec, route)
    const known = backends.get(own.service.name)
    let backend = own
    if (known === undefined) backends.set(own.service.name, own)
    else if (known.service.port.number === own.service.port.number) backend = deepFreeze(known)
    const { path, pathType, regex } = ingressPath(route)
    const annotations = { ...routeAnnotations(route, regex), ...poolAnnotations }
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
