import { routes, type DeploymentSpec, type PoolBalance, type SynapsePool, type WorkerKind } from '@messenger-stack/config-schema'
import { type KubernetesObject, POOL_LABEL, kubernetesNamespace, objectName, poolSlug } from './_objects.js'
import { deepFreeze } from './_shared.js'

/** The port of a pool Service; it sends to each worker's own HTTP listener by the port's name. */
const POOL_PORT = 8008

const BALANCE_SUFFIX: Readonly<Record<PoolBalance, string>> = {
  'round-robin': '',
  'access-token': '-by-token',
  room: '-by-path',
  'client-address': '-by-address',
}

/**
 * The request value ingress-nginx hashes (`upstream-hash-by`, consistent hashing, as the nginx
 * site's `hash ... consistent`) for a sticky pool:
 *
 * - access token: the `Authorization` header and the `access_token` query argument together (one
 *   of them is empty), so each spelling of a session stays on one process; the nginx site takes
 *   the token out of the header, which needs a `map` an Ingress cannot declare, so a session
 *   that switches spelling may move once;
 * - room: the path, without the query. The nginx site hashes the room ID taken from the path
 *   (a `map` again): pagination and joins, whose paths name only the room, stay per room as
 *   there; event sending paths also carry a transaction ID, so a room's sends spread over the pool;
 * - client address: the address ingress-nginx sees (the client's, when it is set up to trust
 *   the load balancer's PROXY protocol or forwarded header).
 *
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-nginx-upstream-hashing
 */
export const POOL_HASH: Readonly<Record<Exclude<PoolBalance, 'round-robin'>, string>> = {
  'access-token': '$http_authorization$arg_access_token',
  room: '$uri',
  'client-address': '$remote_addr',
}

/** Where an Ingress sends a pool's requests: a Service and its port. */
export interface PoolBackend {
  readonly service: { readonly name: string; readonly port: { readonly number: number } }
}

/**
 * The Service of a worker pool and balance: `chat-synapse-client-pool-by-token`. One per
 * balance, not per pool: ingress-nginx keeps one upstream per Service port, whose hashing the
 * first Ingress naming it sets, so a round-robin route and a sticky one need two Services.
 */
export function poolServiceName(spec: DeploymentSpec, kind: WorkerKind, balance: PoolBalance): string {
  return `${spec.serviceName}-synapse-${poolSlug(kind)}-pool${BALANCE_SUFFIX[balance]}`
}

/** The Service port an Ingress sends a pool's requests to: the main process's, or a pool Service's. */
export function poolBackend(spec: DeploymentSpec, pool: SynapsePool): PoolBackend {
  if (pool.processes === 'main')
    return { service: { name: objectName(spec, { name: 'synapse' }), port: { number: spec.synapse.httpPort } } }
  return { service: { name: poolServiceName(spec, pool.processes, pool.balance), port: { number: POOL_PORT } } }
}

/**
 * The ClusterIP Services of the worker pools the route table sends requests to, one per pool and
 * balance, in the order routes first use them. Each selects the pool's pods by their pool label
 * and reaches each pod's own HTTP listener through the container port's name (workers of one
 * pool listen on different ports, as they do beside each other in compose).
 */
export function poolServices(spec: DeploymentSpec): KubernetesObject[] {
  // Each pool and balance once, in order of first use: compared by kind and balance (strings
  // fixed by the code), where a Map by Service name built a name and hashed it for every route.
  const pools: { kind: WorkerKind; balance: PoolBalance }[] = []
  const list = routes(spec)
  for (let index = 0; index < list.length; index++) {
    const target = list[index]!.target
    if (target.kind !== 'pool' || target.pool.processes === 'main') continue
    const kind = target.pool.processes
    const balance = target.pool.balance
    let known = false
    for (let at = 0; at < pools.length && !known; at++) known = pools[at]!.kind === kind && pools[at]!.balance === balance
    if (!known) pools.push({ kind, balance })
  }
  // What the Services repeat, frozen so the printer prints it once: the labels of all of them,
  // the selector of each pool (one per balance shares it).
  const namespace = kubernetesNamespace(spec)
  const labels = Object.freeze({
    'app.kubernetes.io/instance': spec.serviceName,
    'app.kubernetes.io/component': 'synapse-worker',
    'app.kubernetes.io/part-of': 'messenger-stack',
    'app.kubernetes.io/managed-by': 'messenger-stack',
  })
  const selectors = new Map<WorkerKind, Readonly<Record<string, string>>>()
  const services: KubernetesObject[] = []
  for (const { kind, balance } of pools) {
    let selector = selectors.get(kind)
    if (selector === undefined) {
      selector = Object.freeze({
        'app.kubernetes.io/instance': spec.serviceName,
        'app.kubernetes.io/component': 'synapse-worker',
        [POOL_LABEL]: poolSlug(kind),
      })
      selectors.set(kind, selector)
    }
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: poolServiceName(spec, kind, balance), namespace, labels },
      spec: { type: 'ClusterIP', selector, ports: POOL_PORTS },
    })
  }
  return services
}

/** The one port of every pool Service (fixed by the code, frozen: printed once per render). */
const POOL_PORTS = deepFreeze([{ name: 'http', protocol: 'TCP', port: POOL_PORT, targetPort: 'http' }])
