import { dependenciesOf, startOrder, type DeploymentSpec, type ServiceName } from '@messenger-stack/config-schema'
import type { Placement } from './_hardening.js'
import type { ComposeDependencyCondition, ComposeService } from './model.js'
import { certbotService } from './services/certbot.js'
import { elementWebService } from './services/element-web.js'
import { livekitService } from './services/livekit.js'
import { lkJwtService } from './services/lk-jwt-service.js'
import { nginxService } from './services/nginx.js'
import { postgresService } from './services/postgres.js'
import { redisService } from './services/redis.js'
import { synapseService } from './services/synapse.js'

/** `depends_on` of a compose service, keyed by service. */
export type ComposeDependsOn = Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>

type Builder = (spec: DeploymentSpec, placement: Placement, dependsOn: ComposeDependsOn | undefined) => ComposeService

const BUILDERS: Readonly<Record<ServiceName, Builder>> = {
  synapse: synapseService,
  postgres: postgresService,
  redis: redisService,
  livekit: livekitService,
  'lk-jwt-service': lkJwtService,
  'element-web': elementWebService,
  nginx: nginxService,
  certbot: certbotService,
}

/** The compose service of a catalogue service, placed and waiting for `dependsOn`. */
export function composeService(
  spec: DeploymentSpec,
  service: ServiceName,
  placement: Placement,
  dependsOn: ComposeDependsOn | undefined,
): ComposeService {
  return BUILDERS[service](spec, placement, dependsOn)
}

/**
 * The `depends_on` of a service waiting for `dependencies` (already built): healthy for a
 * service with a healthcheck, else started. Undefined when it waits for nothing.
 */
export function dependsOnFor(
  dependencies: readonly ServiceName[],
  built: ReadonlyMap<string, ComposeService>,
): ComposeDependsOn | undefined {
  if (dependencies.length === 0) return undefined
  const dependsOn: Record<string, { readonly condition: ComposeDependencyCondition }> = {}
  for (const dependency of dependencies) {
    const service = built.get(dependency)
    if (service === undefined) throw new Error(`${dependency} must be built before the services that wait for it.`)
    dependsOn[dependency] = { condition: 'disable' in service.healthcheck ? 'service_started' : 'service_healthy' }
  }
  return dependsOn
}

/**
 * The compose services of `services` (enabled ones, in the order the file lists them), each
 * waiting for its catalogue dependencies. They are built in start order, so a dependency's
 * healthcheck is known when its dependants' `depends_on` is written.
 */
export function composeServices(
  spec: DeploymentSpec,
  services: readonly ServiceName[],
  placement: (service: ServiceName) => Placement,
): Record<string, ComposeService> {
  const built = new Map<string, ComposeService>()
  for (const service of startOrder(spec).filter((name) => services.includes(name))) {
    built.set(service, composeService(spec, service, placement(service), dependsOnFor(dependenciesOf(spec, service), built)))
  }
  const out: Record<string, ComposeService> = {}
  for (const service of services) out[service] = built.get(service)!
  return out
}
