import {
  containerName,
  enabledServices,
  SERVICE_CATALOGUE,
  STATEFUL_SERVICES,
  serviceImage,
  serviceWorkload,
  type DeploymentSpec,
  type ServiceName,
} from '@messenger-stack/config-schema'
import { composeServices } from './_services.js'
import { composeService, type Placement } from './_service.js'
import { externalDataVolumes } from './_volumes.js'
import type { ComposeFile, ComposeService, ComposeServiceNetwork } from './model.js'

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
  return enabledServices(spec).filter((service) => !SERVICE_CATALOGUE[service].stateful && switched.includes(service))
}

/**
 * The typed model of `docker-compose.core.yml`, the single shared core of microservice mode
 * (project `<serviceName>_core`): PostgreSQL, Redis, the one Synapse main process, LiveKit
 * (it binds the host media ports), and any stateless service not switched by colour.
 *
 * Networks: all join the core network; only what the gateway proxies to (Synapse, LiveKit,
 * core-resident stateless services) also joins the gateway's external network, carrying
 * the aliases of both colours (`messenger-synapse-blue`, `messenger-synapse-green`), so the
 * gateway's `${ACTIVE_COLOR}` upstreams resolve whichever colour is active while only one
 * Synapse exists. PostgreSQL and Redis are never on the gateway network. The data volumes
 * are declared here only, external with fixed names: a colour switch never touches data.
 */
export function coreComposeModel(spec: DeploymentSpec): ComposeFile {
  const core = coreNetworkName(spec)
  const gateway = spec.gateway.network
  const placement = (service: ServiceName): Placement => {
    if (!SERVICE_CATALOGUE[service].proxied) return { containerName: containerName(spec, service), networks: { [core]: {} } }
    const aliases: ComposeServiceNetwork = { aliases: COLOURS.map((colour) => containerName(spec, service, colour)) }
    return { containerName: containerName(spec, service), networks: { [core]: {}, [gateway]: aliases } }
  }
  const switched = colourSwitchedServices(spec)
  const services = composeServices(
    spec,
    enabledServices(spec).filter((service) => !switched.includes(service)),
    placement,
  )
  return {
    services,
    networks: { [core]: { name: core }, [gateway]: { name: gateway, external: true } },
    volumes: externalDataVolumes(spec),
  }
}

/**
 * The typed model of `docker-compose.blue.yml` or `docker-compose.green.yml` (project
 * `<serviceName>_<colour>`): only the stateless services of `gateway.colourSwitched`, named
 * `<serviceName>-<service>-<colour>`, on the gateway network and the core network, both
 * external, so each colour file stands alone (`docker-compose -f docker-compose.blue.yml`).
 * No volumes: colours hold no data.
 *
 * @throws Error if the model would contain a single-instance service (never for a spec that
 * passed validation; this guards the renderer itself).
 */
export function colourComposeModel(spec: DeploymentSpec, colour: Colour): ComposeFile {
  const core = coreNetworkName(spec)
  const gateway = spec.gateway.network
  const services: Record<string, ComposeService> = {}
  for (const service of colourSwitchedServices(spec)) {
    // Stateless services wait for nothing in their own file: the core runs in another project.
    const placement = { containerName: containerName(spec, service, colour), networks: { [core]: {}, [gateway]: {} } }
    services[service] = composeService(spec, serviceWorkload(spec, service), placement)
  }
  const model: ComposeFile = {
    services,
    networks: { [core]: { name: core, external: true }, [gateway]: { name: gateway, external: true } },
  }
  assertStatelessColour(spec, model, colour)
  return model
}

/**
 * Throws if a colour file's model holds Synapse (or PostgreSQL, Redis, LiveKit), by service
 * key or by image: two Synapse main processes on one database corrupt it.
 */
export function assertStatelessColour(spec: DeploymentSpec, model: ComposeFile, colour: Colour): void {
  const images = new Map<string, ServiceName>(STATEFUL_SERVICES.map((service) => [serviceImage(spec, service), service]))
  for (const [key, service] of Object.entries(model.services)) {
    const found = STATEFUL_SERVICES.find((name) => name === key) ?? images.get(service.image)
    if (found !== undefined) {
      throw new Error(
        `Refusing to render ${found} into the ${colour} compose file: ${found} must exist once, in the shared core ` +
          '(two Synapse main processes on one database corrupt it; PostgreSQL, Redis and LiveKit hold state or host ports).',
      )
    }
  }
}
