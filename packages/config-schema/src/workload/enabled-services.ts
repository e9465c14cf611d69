import type { DeploymentSpec } from '../deployment/spec.js'
import { PROXIED_SERVICES, SERVICE_CATALOGUE, type ServiceSwitch, type ServiceTraits } from './catalogue.js'
import { SERVICES, type ServiceName } from './service-names.js'
import { workersEnabled } from '../workers/pools.js'
import { memoised, renderingSpec, renderTable } from '../_render-memo.js'

/** What each {@link ServiceSwitch} reads in the spec. */
const SWITCHES: Readonly<Record<ServiceSwitch, (spec: DeploymentSpec) => boolean>> = {
  calls: (spec) => spec.livekit.enabled,
  elementWeb: (spec) => spec.elementWeb.enabled,
  letsEncrypt: (spec) => spec.tls?.certificateFiles === undefined,
  workers: workersEnabled,
  postgresExporter: (spec) => spec.monitoring?.postgresExporter === true,
  redisExporter: (spec) => spec.monitoring?.redisExporter === true,
  prometheus: (spec) => spec.monitoring?.prometheus.enabled === true,
}

/** Whether the spec runs a service: its mode is one of the service's, and its switch (if any) is on. */
export function serviceEnabled(spec: DeploymentSpec, service: ServiceName): boolean {
  const traits: ServiceTraits = SERVICE_CATALOGUE[service]
  return traits.modes.includes(spec.mode) && (traits.enabledBy === undefined || SWITCHES[traits.enabledBy](spec))
}

/** The services the spec runs, in catalogue order. */
export function enabledServices(spec: DeploymentSpec): ServiceName[] {
  return memoised(spec, computeEnabledServices)
}

function computeEnabledServices(spec: DeploymentSpec): ServiceName[] {
  return SERVICES.filter((service) => serviceEnabled(spec, service))
}

/**
 * The enabled services a service waits for: its declared dependencies, and for an edge proxy
 * the proxied services it routes to (its upstream names must resolve when it starts). Catalogue order.
 * During a render (see `withRenderMemo`) the list is the render's, shared and frozen: the compose
 * model, its networks and the start order ask for it several times per service.
 */
export function dependenciesOf(spec: DeploymentSpec, service: ServiceName): ServiceName[] {
  const table = renderingSpec(spec) ? renderTable(newDependencyTable) : undefined
  if (table === undefined) return computeDependencies(spec, service)
  let dependencies = table.get(service)
  if (dependencies === undefined) {
    dependencies = Object.freeze(computeDependencies(spec, service)) as ServiceName[]
    table.set(service, dependencies)
  }
  return dependencies
}

/** The dependencies of each service asked for in the render of its spec (see `renderTable`), frozen. */
function newDependencyTable(): Map<ServiceName, ServiceName[]> {
  return new Map()
}

function computeDependencies(spec: DeploymentSpec, service: ServiceName): ServiceName[] {
  const wanted = wantedServices(service)
  // enabledServices is in catalogue order and memoised per render: no service switch read again.
  // An indexed loop, not `filter`: the memoised array is frozen, and V8 (Node 20) runs `filter`
  // on a frozen array on its slow generic path, several times slower.
  const enabled = enabledServices(spec)
  const dependencies: ServiceName[] = []
  for (let index = 0; index < enabled.length; index++) {
    const other = enabled[index]!
    if (wanted.has(other)) dependencies.push(other)
  }
  return dependencies
}

/** What a service would wait for if every service ran; from the catalogue alone, so built once per service. */
const WANTED = new Map<ServiceName, ReadonlySet<ServiceName>>()

function wantedServices(service: ServiceName): ReadonlySet<ServiceName> {
  let wanted = WANTED.get(service)
  if (wanted === undefined) {
    const traits = SERVICE_CATALOGUE[service]
    const set = new Set<ServiceName>(traits.dependsOn)
    for (const proxied of PROXIED_SERVICES) {
      if (traits.edge === 'proxied' || (traits.edge === 'stateful' && SERVICE_CATALOGUE[proxied].stateful)) set.add(proxied)
    }
    wanted = set
    WANTED.set(service, wanted)
  }
  return wanted
}

/**
 * The enabled services in an order that starts every service after its dependencies: each
 * step takes the first service, in catalogue order, whose dependencies have all started
 * (`postgres`, `redis`, `synapse`, `livekit`, ...).
 *
 * @throws Error on a dependency cycle (a catalogue bug; the catalogue tests rule it out).
 */
export function startOrder(spec: DeploymentSpec): ServiceName[] {
  // Each service's dependencies are worked out once, not once per step (n steps over n services).
  const enabled = enabledServices(spec)
  const pending: ServiceName[] = []
  const waitsFor: ServiceName[][] = []
  for (let index = 0; index < enabled.length; index++) {
    pending.push(enabled[index]!)
    waitsFor.push(dependenciesOf(spec, enabled[index]!))
  }
  const started: ServiceName[] = []
  while (pending.length > 0) {
    let next = -1
    for (let at = 0; at < pending.length && next < 0; at++) {
      const dependencies = waitsFor[at]!
      let ready = true
      for (let index = 0; index < dependencies.length && ready; index++) ready = started.includes(dependencies[index]!)
      if (ready) next = at
    }
    if (next < 0) throw new Error(`The services ${pending.join(', ')} depend on each other in a cycle.`)
    started.push(pending[next]!)
    pending.splice(next, 1)
    waitsFor.splice(next, 1)
  }
  return started
}
