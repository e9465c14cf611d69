import { containerName, type DeploymentSpec } from '@messenger-stack/config-schema'
import type { Placement } from './_hardening.js'
import { usesLetsEncrypt } from './_conditions.js'
import { externalDataVolumes } from './_volumes.js'
import type { ComposeDependencyCondition, ComposeFile, ComposeService } from './model.js'
import { certbotService } from './services/certbot.js'
import { elementWebService } from './services/element-web.js'
import { livekitService } from './services/livekit.js'
import { lkJwtService } from './services/lk-jwt-service.js'
import { nginxService } from './services/nginx.js'
import { postgresService } from './services/postgres.js'
import { redisService } from './services/redis.js'
import { synapseService } from './services/synapse.js'

/** The one internal network of standalone mode: `<serviceName>-network` (the original's `messenger-network`). */
export function standaloneNetworkName(spec: DeploymentSpec): string {
  return `${spec.serviceName}-network`
}

/** `depends_on` entry: healthy when the service has a healthcheck, else started. */
function waitFor(service: ComposeService): { readonly condition: ComposeDependencyCondition } {
  return { condition: 'disable' in service.healthcheck ? 'service_started' : 'service_healthy' }
}

/**
 * The typed model of `docker-compose.standalone.yml`: every service on one internal network,
 * nginx publishing 80/443 and LiveKit its media and TURN ports, nothing else reachable from
 * outside. Synapse waits for healthy PostgreSQL and Redis; nginx waits for every service it
 * proxies to (its upstream names must resolve when it starts). certbot only with Let's
 * Encrypt; LiveKit, lk-jwt-service and Element Web only when enabled.
 */
export function standaloneComposeModel(spec: DeploymentSpec): ComposeFile {
  const network = standaloneNetworkName(spec)
  const at = (service: Parameters<typeof containerName>[1]): Placement => ({
    containerName: containerName(spec, service),
    networks: { [network]: {} },
  })
  const postgres = postgresService(spec, at('postgres'))
  const redis = redisService(spec, at('redis'))
  const synapse = synapseService(spec, at('synapse'), { postgres: waitFor(postgres), redis: waitFor(redis) })
  const services: Record<string, ComposeService> = { synapse, postgres, redis }
  const proxied: Record<string, { readonly condition: ComposeDependencyCondition }> = { synapse: waitFor(synapse) }
  if (spec.livekit.enabled) {
    const livekit = livekitService(spec, at('livekit'))
    const jwt = lkJwtService(spec, at('lk-jwt-service'))
    services.livekit = livekit
    services['lk-jwt-service'] = jwt
    proxied.livekit = waitFor(livekit)
    proxied['lk-jwt-service'] = waitFor(jwt)
  }
  if (spec.elementWeb.enabled) {
    const element = elementWebService(spec, at('element-web'))
    services['element-web'] = element
    proxied['element-web'] = waitFor(element)
  }
  services.nginx = nginxService(spec, at('nginx'), proxied)
  if (usesLetsEncrypt(spec)) services.certbot = certbotService(spec, at('certbot'))
  return {
    services,
    networks: { [network]: { name: network } },
    volumes: externalDataVolumes(spec),
  }
}
