import {
  dependenciesOf,
  servicePorts,
  serviceWorkloads,
  type DeploymentSpec,
  type ServiceName,
  type Workload,
} from '@messenger-stack/config-schema'
import { MountLines } from './_mount-lines.js'
import { composeService, type ComposeDependsOn, type Placement } from './_service.js'
import type { ComposeDependencyCondition, ComposeService } from './model.js'

/** The two conditions, frozen: shared by every entry of every `depends_on` (see below). */
const STARTED = Object.freeze({ condition: 'service_started' as const })
const HEALTHY = Object.freeze({ condition: 'service_healthy' as const })

/**
 * The `depends_on` of a workload waiting for `dependencies`: every workload of each (every
 * worker of `synapse-worker`), healthy for one with a health check, else started. Undefined
 * when it waits for nothing. Its entries are frozen constants, printed once per render.
 */
function dependsOnFor(
  workloadsOf: (service: ServiceName) => readonly Workload[],
  dependencies: readonly ServiceName[],
): ComposeDependsOn | undefined {
  const dependsOn: Record<string, { readonly condition: ComposeDependencyCondition }> = {}
  let waits = false
  // Indexed loops: the dependency list and the workload lists are the render memo's, frozen.
  for (let at = 0; at < dependencies.length; at++) {
    const list = workloadsOf(dependencies[at]!)
    for (let index = 0; index < list.length; index++) {
      const workload = list[index]!
      dependsOn[workload.name] = workload.health.kind === 'none' ? STARTED : HEALTHY
      waits = true
    }
  }
  return waits ? dependsOn : undefined
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
  const mountLines = new MountLines()
  for (const [service, list] of built) {
    let dependsOn = dependsOnFor(workloadsOf, dependenciesOf(spec, service))
    // Frozen when the workers of a service share it (the printer then prints it once); freezing
    // costs a runtime call, more than it saves on the `depends_on` of a single container.
    if (dependsOn !== undefined && list.length > 1) dependsOn = Object.freeze(dependsOn)
    const lines = list.length > 1 ? mountLines : undefined
    for (let index = 0; index < list.length; index++) {
      const workload = list[index]!
      out[workload.name] = composeService(spec, workload, placement(workload), dependsOn, lines)
    }
  }
  return out
}
