import { dataNetworkName, fileNetworks, metricsNetworkName, networksPerService } from './_networks.js'
import { enabledServices, workloadContainerName, type DeploymentSpec } from '@messenger-stack/config-schema'
import { composeServices } from './_services.js'
import { externalDataVolumes } from './_volumes.js'
import type { ComposeFile } from './model.js'

/** The deployment's network of standalone mode: `<serviceName>-network` (the original's `messenger-network`). */
export function standaloneNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-network`
}

/**
 * The typed model of `docker-compose.standalone.yml`: every enabled service of the catalogue on
 * the deployment's network (every Synapse worker a service of its own), but PostgreSQL and Redis,
 * which share an internal data network with the Synapse processes alone, and the monitoring
 * services (see `serviceNetworks`);
 * nginx publishes 80/443 and LiveKit its media and TURN ports, nothing else is reachable from
 * outside. Each service waits for its catalogue dependencies (Synapse for
 * healthy PostgreSQL and Redis; nginx for every service it proxies to, whose upstream names
 * must resolve when it starts). certbot only with Let's Encrypt; LiveKit, lk-jwt-service and
 * Element Web only when enabled.
 */
export function standaloneComposeModel(spec: DeploymentSpec): ComposeFile {
  const names = { app: standaloneNetworkName(spec), data: dataNetworkName(spec), metrics: metricsNetworkName(spec) }
  const networksOf = networksPerService(spec, names)
  const services = composeServices(spec, enabledServices(spec), (workload) => ({
    containerName: workloadContainerName(spec, workload),
    networks: networksOf(workload),
  }))
  return {
    services,
    networks: fileNetworks(
      Object.values(services).map((service) => service.networks),
      {
        [names.app]: { name: names.app },
        [names.data]: { name: names.data, internal: true },
        [names.metrics]: { name: names.metrics, internal: true },
      },
    ),
    volumes: externalDataVolumes(spec),
  }
}
