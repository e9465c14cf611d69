import { CONTAINER_PORTS } from '../deployment/layout.js'
import { deriveLiveKitMedia } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { synapseWorkers, workerPorts } from '../workers/pools.js'
import type { ServiceName } from './service-names.js'
import { memoised } from '../_render-memo.js'

/** A range of ports, both ends inclusive; a single port has `start === end`. */
export interface PortRange {
  /** First port. */
  readonly start: number
  /** Last port (equal to `start` for a single port). */
  readonly end: number
}

/** Where a container port is reachable on the host (on every address: nothing is published on loopback only). */
export type PublishedPort = PortRange

/** One port (or UDP range) a service listens on, and whether the host publishes it. */
export interface ServicePort {
  /** The service listening on it. */
  readonly service: ServiceName
  /** Short lowercase name of what the port is for (`http`, `media`), usable as a port name in manifests. */
  readonly name: string
  /** Transport protocol. */
  readonly protocol: 'tcp' | 'udp'
  /** The port(s) inside the container. */
  readonly container: PortRange
  /** The host port(s), when published; absent for ports reachable on the service network only. */
  readonly published?: PublishedPort
  /** The spec field that sets it, or `(<owner> <name>)` for a port the spec does not set. */
  readonly field: readonly (string | number)[]
  /** The instance it belongs to, for a service of several (a Synapse worker's name). */
  readonly instance?: string
}

/** The spec sections the port model reads (port checks run on these alone while others are invalid). */
export type PortSpec = Pick<DeploymentSpec, 'mode' | 'synapse' | 'livekit' | 'monitoring'>

const single = (port: number): PortRange => ({ start: port, end: port })

/** Host and container numbers are equal everywhere but nginx: LiveKit advertises the port it listens on. */
const onHost = (range: PortRange): PublishedPort => ({ start: range.start, end: range.end })

function port(
  service: ServiceName,
  name: string,
  protocol: 'tcp' | 'udp',
  container: PortRange,
  field: readonly (string | number)[],
  published?: PublishedPort,
): ServicePort {
  return published === undefined ? { service, name, protocol, container, field } : { service, name, protocol, container, published, field }
}

/** A worker's unpublished TCP port: the fields of {@link port}, then its instance. */
function workerPort(instance: string, name: string, number: number): ServicePort {
  return { service: 'synapse-worker', name, protocol: 'tcp', container: single(number), field: [`(${instance} ${name})`], instance }
}

/**
 * The ports of Synapse's workers (with workers only): the main process's replication listener,
 * and each worker's HTTP and replication listeners, none published.
 */
function synapseWorkerPorts(spec: PortSpec): ServicePort[] {
  const workers = synapseWorkers(spec)
  if (workers.length === 0) return []
  const ports = [port('synapse', 'replication', 'tcp', single(CONTAINER_PORTS.synapseReplication), ['(synapse replication)'])]
  // An indexed loop: the memoised worker list is frozen, which V8 (Node 20) iterates slowly otherwise.
  for (let index = 0; index < workers.length; index++) {
    const worker = workers[index]!
    const own = workerPorts(worker)
    ports.push(workerPort(worker.name, 'http', own.http))
    if (own.replication !== undefined) ports.push(workerPort(worker.name, 'replication', own.replication))
  }
  return ports
}

/**
 * Every port of the stack, the one place where host ports are derived: compose prints `ports:`
 * from it, the port-clash check, `DEPLOY.md` and `check-livekit.sh` read it through
 * {@link portUses}. Ordered from the edge inwards: the proxy's 80/443 (standalone nginx
 * listens unprivileged on 8080/8443; 443 also carries TURN/TLS, see `streamRoutes`), Synapse (never published: the
 * edge proxy reaches it on the compose network, the operator through its admin socket; with workers also its
 * replication port and every worker's listeners, none published), then LiveKit and lk-jwt-service when calls are on, then the
 * fixed ports of PostgreSQL, Redis and Element Web, which nothing publishes. Element Web's
 * port is listed whether or not it is enabled: it is fixed, shares a container with nothing,
 * and printers only print the ports of the services they run.
 */
export function servicePorts(spec: PortSpec): ServicePort[] {
  return memoised(spec, computeServicePorts)
}

function computeServicePorts(spec: PortSpec): ServicePort[] {
  const ports: ServicePort[] = []
  if (spec.mode === 'standalone') {
    ports.push(
      port('nginx', 'http', 'tcp', single(CONTAINER_PORTS.nginxHttp), ['(nginx http)'], onHost(single(80))),
      port('nginx', 'https', 'tcp', single(CONTAINER_PORTS.nginxHttps), ['(nginx https)'], onHost(single(443))),
    )
  }
  if (spec.mode === 'microservice') ports.push(port('router', 'http', 'tcp', single(CONTAINER_PORTS.router), ['(router http)']))
  // Not published, not even on the host's loopback: the operator reaches the admin API through
  // Synapse's admin socket (CONTAINER_PATHS.synapseAdminSocket), which only root and the container user can open.
  ports.push(port('synapse', 'http', 'tcp', single(spec.synapse.httpPort), ['synapse', 'httpPort']), ...synapseWorkerPorts(spec))
  const lk = spec.livekit
  if (lk.enabled) {
    const media = deriveLiveKitMedia(lk)
    const mediaRange = media.kind === 'mux' ? single(media.udpPort) : { start: media.start, end: media.end }
    ports.push(
      port('livekit', 'http', 'tcp', single(lk.httpPort), ['livekit', 'httpPort']),
      port('lk-jwt-service', 'http', 'tcp', single(lk.jwtPort), ['livekit', 'jwtPort']),
      port('livekit', 'ice-tcp', 'tcp', single(lk.tcpPort), ['livekit', 'tcpPort'], onHost(single(lk.tcpPort))),
      port('livekit', 'media', 'udp', mediaRange, ['livekit', media.kind === 'mux' ? 'udpPort' : 'udpRange'], onHost(mediaRange)),
    )
    const { turn } = lk
    if (turn.enabled && turn.udpPort > 0)
      ports.push(port('livekit', 'turn', 'udp', single(turn.udpPort), ['livekit', 'turn', 'udpPort'], onHost(single(turn.udpPort))))
    // LiveKit advertises TURN/TLS on 443 whatever the port, so the edge proxy takes it there
    // (routed by name) and forwards it here over the service network: never published.
    if (turn.enabled && turn.tlsPort > 0)
      ports.push(port('livekit', 'turn-tls', 'tcp', single(turn.tlsPort), ['livekit', 'turn', 'tlsPort']))
    // TURN relays on node_ip: the SFU sends relayed media to these ports at that address.
    if (turn.enabled) {
      const relay = { start: turn.relayRange.start, end: turn.relayRange.end }
      ports.push(port('livekit', 'turn-relay', 'udp', relay, ['livekit', 'turn', 'relayRange'], onHost(relay)))
    }
  }
  ports.push(
    port('postgres', 'postgres', 'tcp', single(CONTAINER_PORTS.postgres), ['(postgres)']),
    port('redis', 'redis', 'tcp', single(CONTAINER_PORTS.redis), ['(redis)']),
    port('element-web', 'http', 'tcp', single(CONTAINER_PORTS.elementWeb), ['(element-web http)']),
  )
  ports.push(...monitoringPorts(spec))
  return ports
}

/**
 * The metrics ports (with `monitoring`): Synapse's metrics listener and LiveKit's Prometheus
 * port, and the ports of the exporters and of Prometheus when they run. None is published:
 * they are reachable on the compose networks only, and the edge proxy never routes to them.
 */
function monitoringPorts(spec: PortSpec): ServicePort[] {
  const monitoring = spec.monitoring
  if (monitoring === undefined) return []
  const ports = [port('synapse', 'metrics', 'tcp', single(monitoring.synapseMetricsPort), ['monitoring', 'synapseMetricsPort'])]
  if (spec.livekit.enabled)
    ports.push(port('livekit', 'metrics', 'tcp', single(monitoring.livekitMetricsPort), ['monitoring', 'livekitMetricsPort']))
  if (monitoring.postgresExporter)
    ports.push(port('postgres-exporter', 'metrics', 'tcp', single(CONTAINER_PORTS.postgresExporter), ['(postgres-exporter)']))
  if (monitoring.redisExporter)
    ports.push(port('redis-exporter', 'metrics', 'tcp', single(CONTAINER_PORTS.redisExporter), ['(redis-exporter)']))
  if (monitoring.prometheus.enabled) ports.push(port('prometheus', 'http', 'tcp', single(CONTAINER_PORTS.prometheus), ['(prometheus)']))
  return ports
}

/** The ports of one service, in the order of {@link servicePorts}. */
export function portsOf(spec: PortSpec, service: ServiceName): ServicePort[] {
  // A loop, not `filter`: inside a render servicePorts is memoised and frozen, and V8 (Node 20)
  // filters a frozen array on its slow generic path; this runs once per service and workload.
  const all = servicePorts(spec)
  const ports: ServicePort[] = []
  for (let index = 0; index < all.length; index++) {
    const port = all[index]!
    if (port.service === service) ports.push(port)
  }
  return ports
}

/**
 * The container port number of the port named `name` (its HTTP listener, say) among a
 * service's ports. @throws Error if there is none.
 */
export function portNumber(ports: readonly ServicePort[], name: string): number {
  const found = ports.find((port) => port.name === name)
  if (found === undefined) throw new Error(`There is no ${name} port among ${ports.map((port) => port.name).join(', ') || 'no ports'}.`)
  return found.container.start
}

/** One port (or UDP range) the spec binds in one place, and the field that sets it. */
export interface PortUse {
  /** Transport protocol. */
  readonly protocol: 'tcp' | 'udp'
  /** First port. */
  readonly start: number
  /** Last port (equal to `start` for a single port). */
  readonly end: number
  /** The spec field that sets it; `(nginx http)` and the like for ports the proxy owns. */
  readonly field: readonly (string | number)[]
  /** Where the port is bound: the host (published) or one container. */
  readonly scope: string
}

/**
 * Every port the spec binds, where it binds it: first the host (the microservice gateway's
 * 80/443, then every published port of {@link servicePorts}), then each container. The view
 * the port-clash check and the firewall lists read.
 */
export function portUses(spec: PortSpec): PortUse[] {
  return memoised(spec, computePortUses)
}

function computePortUses(spec: PortSpec): PortUse[] {
  const ports = servicePorts(spec)
  const uses: PortUse[] =
    spec.mode === 'microservice'
      ? [
          // The gateway, not this bundle, owns 80 and 443 on the host.
          { protocol: 'tcp', start: 80, end: 80, field: ['(gateway http)'], scope: 'host' },
          { protocol: 'tcp', start: 443, end: 443, field: ['(gateway https)'], scope: 'host' },
        ]
      : []
  // Indexed loops into one list, no `map` and no spread: inside a render the service ports are
  // the memo's, frozen, and V8 (Node 20) maps a frozen array on its slow generic path (this was
  // ~2% of a workers-microservice render, for its 36 ports).
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]!
    const published = port.published
    if (published === undefined) continue
    uses.push({ protocol: port.protocol, start: published.start, end: published.end, field: port.field, scope: 'host' })
  }
  for (let index = 0; index < ports.length; index++) {
    const port = ports[index]!
    uses.push({ protocol: port.protocol, start: port.container.start, end: port.container.end, field: port.field, scope: port.service })
  }
  return uses
}
