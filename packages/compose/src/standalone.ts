import { containerName, enabledServices, type DeploymentSpec } from '@messenger-stack/config-schema'
import { composeServices } from './_services.js'
import { externalDataVolumes } from './_volumes.js'
import type { ComposeFile } from './model.js'

/** The one internal network of standalone mode: `<serviceName>-network` (the original's `messenger-network`). */
export function standaloneNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-network`
}

/**
 * The typed model of `docker-compose.standalone.yml`: every enabled service of the catalogue on
 * one internal network, nginx publishing 80/443 and LiveKit its media and TURN ports, nothing
 * else reachable from outside. Each service waits for its catalogue dependencies (Synapse for
 * healthy PostgreSQL and Redis; nginx for every service it proxies to, whose upstream names
 * must resolve when it starts). certbot only with Let's Encrypt; LiveKit, lk-jwt-service and
 * Element Web only when enabled.
 */
export function standaloneComposeModel(spec: DeploymentSpec): ComposeFile {
  const network = standaloneNetworkName(spec)
  const services = composeServices(spec, enabledServices(spec), (service) => ({
    containerName: containerName(spec, service),
    networks: { [network]: {} },
  }))
  return {
    services,
    networks: { [network]: { name: network } },
    volumes: externalDataVolumes(spec),
  }
}
