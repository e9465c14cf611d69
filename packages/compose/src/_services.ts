import { dependenciesOf, serviceWorkload, type DeploymentSpec, type ServiceName, type Workload } from '@messenger-stack/config-schema'
import { composeService, type ComposeDependsOn, type Placement } from './_service.js'
import type { ComposeDependencyCondition, ComposeService } from './model.js'

/**
 * The `depends_on` of a service waiting for `dependencies`: healthy for a service with a
 * health check, else started. Undefined when it waits for nothing.
 */
function dependsOnFor(workloadOf: (service: ServiceName) => Workload, dependencies: readonly ServiceName[]): ComposeDependsOn | undefined {
  if (dependencies.length === 0) return undefined
  const dependsOn: Record<string, { readonly condition: ComposeDependencyCondition }> = {}
  for (const dependency of dependencies) {
    const health = workloadOf(dependency).health
    dependsOn[dependency] = { condition: health.kind === 'none' ? 'service_started' : 'service_healthy' }
  }
  return dependsOn
}

/**
 * The compose services of `services` (enabled ones, in the order the file lists them), each
 * printed from its workload and waiting for its catalogue dependencies.
 */
export function composeServices(
  spec: DeploymentSpec,
  services: readonly ServiceName[],
  placement: (service: ServiceName) => Placement,
): Record<string, ComposeService> {
  const built = new Map(services.map((service) => [service, serviceWorkload(spec, service)]))
  const workloadOf = (service: ServiceName) => built.get(service) ?? serviceWorkload(spec, service)
  const out: Record<string, ComposeService> = {}
  for (const [service, workload] of built) {
    out[service] = composeService(spec, workload, placement(service), dependsOnFor(workloadOf, dependenciesOf(spec, service)))
  }
  return out
}
