import {
  PRIVATE_ADDRESS_RANGES,
  SERVICE_CATALOGUE,
  routes,
  type DeploymentSpec,
  type ServiceName,
  type ServicePort,
  type Workload,
} from '@messenger-stack/config-schema'
import { type KubernetesObject, apiProtocol, kubernetesNamespace, podSelector, serviceMeta, workloadWorker } from './_objects.js'
import { type PartTable, deepFreeze, sharedPart } from './_shared.js'

/** One allowed connection inside the namespace: `from` opens connections to `to`. */
export interface Edge {
  readonly from: ServiceName
  readonly to: ServiceName
}

/**
 * The connections between running services, from the catalogue alone: each service reaches the
 * services it waits for (`dependsOn`) and those it calls (`connectsTo`). The edge proxy's routes
 * are not among them: on Kubernetes the Ingress controller, outside the namespace, takes them.
 */
export function catalogueEdges(running: readonly ServiceName[]): Edge[] {
  // Loops, not flatMap, spreads and a Set per service: this runs in every render.
  const edges: Edge[] = []
  for (const from of running) {
    const traits = SERVICE_CATALOGUE[from]
    const reached: ServiceName[] = []
    for (const list of [traits.dependsOn, traits.connectsTo])
      for (const to of list) if (!reached.includes(to) && running.includes(to)) reached.push(to)
    for (const to of reached) edges.push({ from, to })
  }
  return edges
}

const COMPONENT_SELECTORS: PartTable = { parts: "a catalogue service's pod selector, by service" }
const INGRESS_CONTROLLER: PartTable = { parts: "the Ingress controller's namespace as a policy peer" }
const SYNAPSE_PROCESS_SELECTORS: PartTable = { parts: 'the pod selectors of the Synapse processes' }

const componentSelector = (spec: DeploymentSpec, service: ServiceName) =>
  sharedPart(spec, COMPONENT_SELECTORS, service, () => ({
    podSelector: { matchLabels: { 'app.kubernetes.io/component': service, 'app.kubernetes.io/instance': spec.serviceName } },
  }))

const portRule = (port: ServicePort) =>
  port.container.start === port.container.end
    ? { protocol: apiProtocol(port.protocol), port: port.container.start }
    : { protocol: apiProtocol(port.protocol), port: port.container.start, endPort: port.container.end }

/** The Synapse processes: the main process and its workers, which reach each other over replication. */
const SYNAPSE_PROCESSES: readonly ServiceName[] = ['synapse', 'synapse-worker']

/**
 * A worker's replication listener: only workers that write a stream have one, and only they are
 * in `instance_map` beside the main process. Every Synapse process reaches them there (the
 * main process too: it sends a stream's writes to its writer), which the catalogue's edges
 * (workers reach the main process) do not say.
 */
function replicationPorts(workload: Workload): ServicePort[] {
  return workload.service === 'synapse-worker' ? workload.ports.filter((port) => port.name === 'replication') : []
}

/**
 * The ports of a workload the route table sends requests to: a proxied service's routed ports;
 * for a pool route, the main process's HTTP listener or each worker of the pool's own one.
 */
function routedPorts(spec: DeploymentSpec): (workload: Workload) => readonly number[] {
  // Each list without repeats, sorted when it is handed out (a few ports; loops rather than Sets).
  const byService = new Map<ServiceName, number[]>()
  const byWorkerKind = new Set<string>()
  const add = (service: ServiceName, port: number) => {
    const ports = byService.get(service)
    if (ports === undefined) byService.set(service, [port])
    else if (!ports.includes(port)) ports.push(port)
  }
  const list = routes(spec)
  for (let index = 0; index < list.length; index++) {
    const target = list[index]!.target
    if (target.kind === 'service') add(target.service, target.port)
    if (target.kind !== 'pool') continue
    // Ingress sends a route that is GET-only for its pool wholly to the other pool (see ingress.ts).
    const pool = target.nonGet ?? target.pool
    if (pool.processes === 'main') add('synapse', spec.synapse.httpPort)
    else byWorkerKind.add(pool.processes)
  }
  for (const ports of byService.values()) ports.sort(ascending)
  return (workload) => {
    const worker = workloadWorker(spec, workload)
    if (worker === undefined) return byService.get(workload.service) ?? NONE
    if (!byWorkerKind.has(worker.kind)) return NONE
    const http: number[] = []
    for (const port of workload.ports) if (port.name === 'http' && !http.includes(port.container.start)) http.push(port.container.start)
    return http.sort(ascending)
  }
}

const NONE: readonly number[] = Object.freeze([])
const ascending = (a: number, b: number) => a - b

/** Addresses outside every private, loopback and documentation range: the Internet (fixed by the code, frozen: printed once per render). */
const INTERNET = deepFreeze([
  { ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_ADDRESS_RANGES.filter((range) => !range.includes(':')) } },
  { ipBlock: { cidr: '::/0', except: PRIVATE_ADDRESS_RANGES.filter((range) => range.includes(':')) } },
])

const POLICY_TYPES = deepFreeze(['Ingress', 'Egress'])
const DNS = deepFreeze({
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
})
const TO_INTERNET = deepFreeze({ to: INTERNET })

/**
 * The NetworkPolicies of the namespace: everything denied (in and out), then, per workload,
 * exactly what the catalogue declares:
 *
 * - in: from the services that reach it (catalogue edges) on its unpublished ports; from the
 *   Ingress controller's namespace on the ports the route table sends there (proxied services
 *   and Synapse pools only); from every Synapse process on a stream-writing worker's
 *   replication port; from anywhere on its published ports (LiveKit's media);
 * - out: to the services it reaches, on their ports; from a Synapse process, to the stream-writing
 *   workers' replication ports; DNS; and, unless it is a data store, the
 *   Internet (federation, push, the call media of clients), never the cluster's private ranges.
 *
 * So PostgreSQL and Redis accept connections from Synapse only and open none, and nothing else
 * in the cluster reaches any pod. The admin API has no port at all (a Unix socket).
 */
export function networkPolicies(spec: DeploymentSpec, running: readonly Workload[]): KubernetesObject[] {
  // Loops rather than Set, map and flatMap: this runs once per render, over every workload.
  const services: ServiceName[] = []
  for (const workload of running) if (!services.includes(workload.service)) services.push(workload.service)
  const edges = catalogueEdges(services)
  // The unpublished ports of each service's workloads, in workload order.
  const unpublished = new Map<ServiceName, ServicePort[]>()
  for (const workload of running) {
    const ports = unpublished.get(workload.service) ?? []
    for (const port of workload.ports) if (port.published === undefined) ports.push(port)
    unpublished.set(workload.service, ports)
  }
  const portsOf = (service: ServiceName) => unpublished.get(service) ?? []
  const writers: ServicePort[] = []
  for (const workload of running) for (const port of replicationPorts(workload)) writers.push(port)
  const routed = routedPorts(spec)
  const namespace = kubernetesNamespace(spec)
  const denyAll: KubernetesObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${spec.serviceName}-default-deny`, namespace, labels: { 'app.kubernetes.io/part-of': 'messenger-stack' } },
    spec: { podSelector: {}, policyTypes: POLICY_TYPES },
  }
  // What depends on the service alone is built once per service and shared by its workloads'
  // policies (every Synapse worker has the same egress and callers), frozen when a second one
  // takes it (nothing is printed before every object is built), so that it is printed once.
  const callersOf = new Map<ServiceName, readonly unknown[]>()
  const egressOf = new Map<ServiceName, readonly unknown[]>()
  const policies: KubernetesObject[] = [denyAll]
  for (const workload of running) {
    const service = workload.service
    const own: ServicePort[] = []
    const published: ServicePort[] = []
    for (const port of workload.ports) (port.published === undefined ? own : published).push(port)
    let callers = callersOf.get(service)
    if (callers === undefined) {
      callers = edges.filter((edge) => edge.to === service).map((edge) => componentSelector(spec, edge.from))
      callersOf.set(service, callers)
    } else deepFreeze(callers)
    const ingress: Record<string, unknown>[] = []
    if (callers.length > 0 && own.length > 0) ingress.push({ from: callers, ports: own.map(portRule) })
    const proxiedPorts = routed(workload)
    if (proxiedPorts.length > 0) {
      ingress.push({
        from: sharedPart(spec, INGRESS_CONTROLLER, true, () => [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': spec.kubernetes.ingressNamespace } } },
        ]),
        ports: proxiedPorts.map((port) => ({ protocol: 'TCP', port })),
      })
    }
    const replication = replicationPorts(workload)
    if (replication.length > 0)
      ingress.push({
        from: sharedPart(spec, SYNAPSE_PROCESS_SELECTORS, true, () => SYNAPSE_PROCESSES.map((caller) => componentSelector(spec, caller))),
        ports: replication.map(portRule),
      })
    if (published.length > 0) ingress.push({ from: INTERNET, ports: published.map(portRule) })
    let egress = egressOf.get(service)
    if (egress === undefined) {
      const list: unknown[] = edges
        .filter((edge) => edge.from === service)
        .map((edge) => ({ to: [componentSelector(spec, edge.to)], ports: portsOf(edge.to).map(portRule) }))
      if (SYNAPSE_PROCESSES.includes(service) && writers.length > 0)
        list.push({ to: [componentSelector(spec, 'synapse-worker')], ports: writers.map(portRule) })
      list.push(DNS)
      if (!SERVICE_CATALOGUE[service].dataStore) list.push(TO_INTERNET)
      egress = list
      egressOf.set(service, egress)
    } else deepFreeze(egress)
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      // Named like the workload's other objects (`objectName`: the service name, a dash, the workload's).
      metadata: serviceMeta(spec, workload),
      spec: { podSelector: podSelector(spec, workload), policyTypes: POLICY_TYPES, ingress, egress },
    })
  }
  return policies
}
