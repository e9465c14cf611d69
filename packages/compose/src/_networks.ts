import {
  dependenciesOf,
  enabledServices,
  SERVICE_CATALOGUE,
  type DeploymentSpec,
  type ServiceName,
  type Workload,
} from '@messenger-stack/config-schema'
import type { ComposeNetwork, ComposeServiceNetwork } from './model.js'

/** The networks of a compose file, by their key in `networks:`. */
export interface NetworkNames {
  /** The deployment's own network: `<serviceName>-network` (standalone) or `<serviceName>-core`. */
  readonly app: string
  /** PostgreSQL and Redis with the services that use them; `internal: true`. */
  readonly data: string
  /** The external gateway's network (microservice mode only). */
  readonly gateway?: string
  /** Prometheus with the services it scrapes (with `monitoring`); `internal: true`. */
  readonly metrics: string
}

/** The data network: `<serviceName>-data`. */
export function dataNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-data`
}

/** The metrics network: `<serviceName>-metrics`. */
export function metricsNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-metrics`
}

/** Whether a service waits for or connects to a data store (Synapse; each of its workers connects without waiting). */
function usesDataStore(spec: DeploymentSpec, service: ServiceName): boolean {
  const connects = SERVICE_CATALOGUE[service].connectsTo
  for (let index = 0; index < connects.length; index++) if (SERVICE_CATALOGUE[connects[index]!].dataStore) return true
  // A loop, not `some`: during a render the dependency list is the memo's, frozen (see `onCore`).
  const dependencies = dependenciesOf(spec, service)
  for (let index = 0; index < dependencies.length; index++) if (SERVICE_CATALOGUE[dependencies[index]!].dataStore) return true
  return false
}

/**
 * Whether a service of microservice mode needs the core network: it connects to a service of
 * the core (or one connects to it), or the gateway cannot reach it otherwise. Element Web
 * talks to nobody, so it stays on the gateway's network alone.
 */
function onCore(spec: DeploymentSpec, service: ServiceName): boolean {
  const traits = SERVICE_CATALOGUE[service]
  if (traits.stateful || service === 'router') return true
  const running = enabledServices(spec)
  const talksOut = traits.connectsTo.some((other) => running.includes(other))
  // A loop, not `some`: the memoised list of running services is frozen, and V8 (Node 20) runs
  // `some` on a frozen array on its slow generic path; this runs once per workload.
  let talkedTo = false
  for (let index = 0; index < running.length && !talkedTo; index++) {
    talkedTo = (SERVICE_CATALOGUE[running[index]!].connectsTo as readonly string[]).includes(service)
  }
  return talksOut || talkedTo || dependenciesOf(spec, service).length > 0
}

/** A network joined without settings (`name: {}`), frozen so the services' networks can be too. */
const JOINED: ComposeServiceNetwork = Object.freeze({})

/** Whether the gateway reaches a service on its network (where the service carries the colour aliases). */
function reachedByGateway(service: ServiceName): boolean {
  const traits = SERVICE_CATALOGUE[service]
  return service === 'router' || (traits.proxied && !traits.stateful)
}

/**
 * The networks a service joins, derived from the catalogue's connections:
 *
 * - data stores (PostgreSQL, Redis) only the data network, an `internal` network they share
 *   with the services that use them (Synapse), so nothing else reaches them, not even Element Web;
 * - standalone: everything else the deployment's network (nginx publishes ports, Synapse and
 *   LiveKit reach the internet on it);
 * - microservice: Synapse and LiveKit stay off the gateway's network, which other services of
 *   the gateway share: only the router (and stateless services the gateway serves directly,
 *   Element Web and lk-jwt-service) join it. `gatewayAliases` are the colour names the
 *   gateway include addresses a core-resident service by;
 * - with `monitoring`: every service with a metrics endpoint joins the metrics network, an
 *   `internal` network where Prometheus (or an operator's own) scrapes them; the exporters and
 *   Prometheus (`monitor`) join nothing else but the data network of what they read, so
 *   Prometheus reaches metrics over that internal network only, and nothing on the gateway's
 *   network (or the internet) reaches an exporter.
 */
export function serviceNetworks(
  spec: DeploymentSpec,
  service: ServiceName,
  names: NetworkNames,
  gatewayAliases?: readonly string[],
): Record<string, ComposeServiceNetwork> {
  const traits = SERVICE_CATALOGUE[service]
  if (traits.dataStore) return { [names.data]: JOINED }
  const networks: Record<string, ComposeServiceNetwork> = {}
  if (!traits.monitor && (names.gateway === undefined || onCore(spec, service))) networks[names.app] = JOINED
  if (usesDataStore(spec, service)) networks[names.data] = JOINED
  if (spec.monitoring !== undefined && (traits.monitor || traits.metrics !== false)) networks[names.metrics] = JOINED
  if (names.gateway !== undefined && reachedByGateway(service)) {
    networks[names.gateway] = gatewayAliases === undefined ? JOINED : { aliases: gatewayAliases }
  }
  return networks
}

/**
 * The networks of each workload of one compose file (see {@link serviceNetworks}), built once per
 * service: every worker of `synapse-worker` shares its service's, frozen all the way down, so
 * the YAML printer prints them once. `aliasesOf` gives the colour aliases of a workload the
 * gateway reaches (they name the workload, so those are built per workload).
 */
export function networksPerService(
  spec: DeploymentSpec,
  names: NetworkNames,
  aliasesOf?: (workload: Workload) => readonly string[],
): (workload: Workload) => Readonly<Record<string, ComposeServiceNetwork>> {
  const byService = new Map<ServiceName, Readonly<Record<string, ComposeServiceNetwork>>>()
  // Services that join the same networks share one object too (most join the app network alone).
  const byNames: (Readonly<Record<string, ComposeServiceNetwork>> | undefined)[] = []
  return (workload) => {
    const service = workload.service
    if (aliasesOf !== undefined && names.gateway !== undefined && reachedByGateway(service)) {
      return serviceNetworks(spec, service, names, aliasesOf(workload))
    }
    let networks = byService.get(service)
    if (networks === undefined) {
      const built = serviceNetworks(spec, service, names)
      // Which of the (at most four) networks it joins, in their fixed order: the set names the object.
      const joined =
        (names.app in built ? 1 : 0) |
        (names.data in built ? 2 : 0) |
        (names.metrics in built ? 4 : 0) |
        (names.gateway !== undefined && names.gateway in built ? 8 : 0)
      networks = byNames[joined]
      if (networks === undefined) {
        // Frozen once per distinct set: freezing is a runtime call that costs more than it saves on an object printed once.
        networks = Object.freeze(built)
        byNames[joined] = networks
      }
      byService.set(service, networks)
    }
    return networks
  }
}

/** The top-level `networks:` of a file holding `services`: only those some service joins. */
export function fileNetworks(
  networksOf: readonly Record<string, ComposeServiceNetwork>[],
  declare: Readonly<Record<string, ComposeNetwork>>,
): Record<string, ComposeNetwork> {
  // Keys gathered by a loop rather than `flatMap`, which V8 (Node 20) runs slowly.
  const used = new Set<string>()
  for (const networks of networksOf) for (const key of Object.keys(networks)) used.add(key)
  const out: Record<string, ComposeNetwork> = {}
  for (const [key, network] of Object.entries(declare)) if (used.has(key)) out[key] = network
  return out
}
