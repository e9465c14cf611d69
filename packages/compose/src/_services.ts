import {
  dependenciesOf,
  servicePorts,
  serviceWorkloads,
  type DeploymentSpec,
  type ServiceName,
  type Workload,
} from '@messenger-stack/config-schema'
import { composeService, type ComposeDependsOn, type Placement } from './_service.js'
import type { ComposeDependencyCondition, ComposeService } from './model.js'

/**
 * The `depends_on` of a workload waiting for `dependencies`: every workload of each (every
 * worker of `synapse-worker`), healthy for one with a health check, else started. Undefined
 * when it waits for nothing.
 */
function dependsOnFor(
  workloadsOf: (service: ServiceName) => readonly Workload[],
  dependencies: readonly ServiceName[],
): ComposeDependsOn | undefined {
  const dependsOn: Record<string, { readonly condition: ComposeDependencyCondition }> = {}
  for (const dependency of dependencies) {
    for (const workload of workloadsOf(dependency)) {
      dependsOn[workload.name] = { condition: workload.health.kind === 'none' ? 'service_started' : 'service_healthy' }
    }
  }
  return Object.keys(dependsOn).length === 0 ? undefined : dependsOn
}

/**
 * The compose services of `services` (enabled ones, in the order the file lists them), one per
 * workload (so one per Synapse worker), keyed by workload name, each printed from its workload
 * and waiting for its catalogue dependencies.
 */
export function composeServices(
  spec: DeploymentSpec,
  services: readonly ServiceName[],
  placement: (workload: Workload) => Placement,
): Record<string, ComposeService> {
  const ports = servicePorts(spec)
  // Indexed loops: `services` is often the memoised (frozen) list of enabled services, which
  // V8 (Node 20) maps on its slow generic path.
  const built = new Map<ServiceName, readonly Workload[]>()
  for (let index = 0; index < services.length; index++) {
    const service = services[index]!
    built.set(service, serviceWorkloads(spec, service, ports))
  }
  const workloadsOf = (service: ServiceName) => built.get(service) ?? serviceWorkloads(spec, service, ports)
  const out: Record<string, ComposeService> = {}
  for (const [service, list] of built) {
    const dependsOn = dependsOnFor(workloadsOf, dependenciesOf(spec, service))
    for (let index = 0; index < list.length; index++) {
      const workload = list[index]!
      out[workload.name] = composeService(spec, workload, placement(workload), dependsOn)
    }
  }
  return out
}
