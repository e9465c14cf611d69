import {
  enabledServices,
  SERVICE_CATALOGUE,
  STATEFUL_SERVICES,
  serviceImage,
  serviceWorkloads,
  synapseWorkers,
  workloadContainerName,
  type DeploymentSpec,
  type ServiceName,
  type Workload,
} from '@messenger-stack/config-schema'
import { dataNetworkName, fileNetworks, metricsNetworkName, networksPerService, serviceNetworks, type NetworkNames } from './_networks.js'
import { composeServices } from './_services.js'
import { composeService, type Placement } from './_service.js'
import { externalDataVolumes } from './_volumes.js'
import type { ComposeFile, ComposeService } from './model.js'

/** A colour of the blue/green deployment. */
export type Colour = 'blue' | 'green'

/** The colours, in file order. */
export const COLOURS: readonly Colour[] = ['blue', 'green']

/** The network of the shared core: `<serviceName>-core`, created by the core project. */
export function coreNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-core`
}

/** The enabled stateless services that run once per colour (from `gateway.colourSwitched`), in catalogue order. */
export function colourSwitchedServices(spec: DeploymentSpec): ServiceName[] {
  const switched: readonly string[] = spec.gateway.colourSwitched
  // A loop, not `filter`, over the memoised (frozen) service list: see `enabledServicesExcept`.
  const enabled = enabledServices(spec)
  const services: ServiceName[] = []
  for (let index = 0; index < enabled.length; index++) {
    const service = enabled[index]!
    if (!SERVICE_CATALOGUE[service].stateful && switched.includes(service)) services.push(service)
  }
  return services
}

/**
 * The enabled services but `left`, in catalogue order. A loop, not `filter`: the memoised list
 * is frozen, and V8 (Node 20) filters a frozen array on its slow generic path.
 */
function enabledServicesExcept(spec: DeploymentSpec, left: readonly ServiceName[]): ServiceName[] {
  const enabled = enabledServices(spec)
  const services: ServiceName[] = []
  for (let index = 0; index < enabled.length; index++) {
    const service = enabled[index]!
    if (!left.includes(service)) services.push(service)
  }
  return services
}

/** The network names of microservice mode. */
function microserviceNetworks(spec: DeploymentSpec): Required<NetworkNames> {
  return { app: coreNetworkName(spec), data: dataNetworkName(spec), gateway: spec.gateway.network, metrics: metricsNetworkName(spec) }
}

/**
 * The typed model of `docker-compose.core.yml`, the single shared core of microservice mode
 * (project `<serviceName>_core`): PostgreSQL, Redis, the one Synapse main process, LiveKit
 * (it binds the host media ports), the router, and any stateless service not switched by colour.
 *
 * Networks (see `serviceNetworks`): PostgreSQL and Redis share an internal data network with
 * Synapse alone; Synapse and LiveKit are on the core network only, never on the gateway's,
 * which other services of the gateway share (Synapse's listener also serves the admin API).
 * The router joins both and is what the gateway include sends Synapse's and LiveKit's routes
 * to; it and any core-resident stateless service carry the aliases of both colours
 * (`messenger-router-blue`, `messenger-router-green`), so the gateway's `${ACTIVE_COLOR}`
 * upstreams resolve whichever colour is active. The data volumes are declared here only,
 * external with fixed names: a colour switch never touches data.
 */
export function coreComposeModel(spec: DeploymentSpec): ComposeFile {
  const names = microserviceNetworks(spec)
  const networksOf = networksPerService(spec, names, (workload) => COLOURS.map((colour) => workloadContainerName(spec, workload, colour)))
  const placement = (workload: Workload): Placement => ({
    containerName: workloadContainerName(spec, workload),
    networks: networksOf(workload),
  })
  const switched = colourSwitchedServices(spec)
  const services = composeServices(spec, enabledServicesExcept(spec, switched), placement)
  return {
    services,
    networks: fileNetworks(
      Object.values(services).map((service) => service.networks),
      {
        [names.app]: { name: names.app },
        [names.data]: { name: names.data, internal: true },
        [names.metrics]: { name: names.metrics, internal: true },
        [names.gateway]: { name: names.gateway, external: true },
      },
    ),
    volumes: externalDataVolumes(spec),
  }
}

/**
 * The typed model of `docker-compose.blue.yml` or `docker-compose.green.yml` (project
 * `<serviceName>_<colour>`): only the stateless services of `gateway.colourSwitched`, named
 * `<serviceName>-<service>-<colour>`, on the gateway network and (when they talk to the core)
 * the core network, both external, so each colour file stands alone (`docker-compose -f docker-compose.blue.yml`).
 * No volumes: colours hold no data.
 *
 * @throws Error if the model would contain a single-instance service (never for a spec that
 * passed validation; this guards the renderer itself).
 */
export function colourComposeModel(spec: DeploymentSpec, colour: Colour): ComposeFile {
  const names = microserviceNetworks(spec)
  const services: Record<string, ComposeService> = {}
  for (const service of colourSwitchedServices(spec)) {
    // Stateless services wait for nothing in their own file: the core runs in another project.
    for (const workload of serviceWorkloads(spec, service)) {
      const placement = { containerName: workloadContainerName(spec, workload, colour), networks: serviceNetworks(spec, service, names) }
      services[workload.name] = composeService(spec, workload, placement)
    }
  }
  // Both networks are declared even when no service of this file joins one: a colour file keeps
  // one shape (and an empty one stays valid for compose v1).
  const model: ComposeFile = {
    services,
    networks: { [names.app]: { name: names.app, external: true }, [names.gateway]: { name: names.gateway, external: true } },
  }
  assertStatelessColour(spec, model, colour)
  return model
}

/**
 * Throws if a colour file's model holds Synapse, one of its workers, PostgreSQL, Redis or
 * LiveKit: by service key, by image, or by a command that starts a Synapse process. Two
 * Synapse main processes on one database corrupt it, and a worker per colour would be two
 * processes under one worker name.
 */
export function assertStatelessColour(spec: DeploymentSpec, model: ComposeFile, colour: Colour): void {
  // Loops, no spreads: this runs for each colour file of every microservice render, and the
  // memoised worker list is frozen, which V8 (Node 20) maps on its slow generic path.
  const workers = synapseWorkers(spec)
  const services = model.services
  for (const key in services) {
    if (!Object.hasOwn(services, key)) continue
    const service = services[key]!
    let found: ServiceName | undefined = STATEFUL_SERVICES.includes(key as ServiceName) ? (key as ServiceName) : undefined
    if (found === undefined) {
      for (let index = 0; index < workers.length && found === undefined; index++) if (workers[index]!.name === key) found = 'synapse-worker'
    }
    // A program word that starts a Synapse app, as `python -m synapse.app.generic_worker` does
    // (the words are tested one by one: the pattern holds no space, so no match spans two).
    if (found === undefined && (startsSynapseApp(service.entrypoint) || startsSynapseApp(service.command))) found = 'synapse-worker'
    // Synapse and its workers share an image: the image names the main process.
    for (let index = 0; index < STATEFUL_SERVICES.length && found === undefined; index++) {
      if (serviceImage(spec, STATEFUL_SERVICES[index]!) === service.image) found = STATEFUL_SERVICES[index]!
    }
    if (found !== undefined) {
      const what = found === 'synapse-worker' ? `the Synapse worker ${key}` : found
      throw new Error(
        `Refusing to render ${what} into the ${colour} compose file: ${what} must exist once, in the shared core ` +
          '(two Synapse main processes on one database corrupt it, and a Synapse worker belongs to the one main process; PostgreSQL, Redis and LiveKit hold state or host ports).',
      )
    }
  }
}

const SYNAPSE_APP = /\bsynapse\.app\./

function startsSynapseApp(words: readonly string[] | undefined): boolean {
  if (words === undefined) return false
  for (let index = 0; index < words.length; index++) if (SYNAPSE_APP.test(words[index]!)) return true
  return false
}
