import { resourceSettings } from '../deployment/resource-profiles.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { SERVICE_CATALOGUE } from './catalogue.js'
import { enabledServices } from './enabled-services.js'
import type { ServiceName } from './service-names.js'
import { certbotWorkload } from './services/certbot.js'
import { elementWebWorkload } from './services/element-web.js'
import { livekitWorkload } from './services/livekit.js'
import { lkJwtServiceWorkload } from './services/lk-jwt-service.js'
import { nginxWorkload } from './services/nginx.js'
import { postgresWorkload } from './services/postgres.js'
import { postgresExporterWorkload } from './services/postgres-exporter.js'
import { prometheusWorkload } from './services/prometheus.js'
import { redisExporterWorkload } from './services/redis-exporter.js'
import { redisWorkload } from './services/redis.js'
import { routerWorkload } from './services/router.js'
import { synapseWorkload } from './services/synapse.js'
import { synapseWorkerWorkload } from './services/synapse-worker.js'
import { synapseWorkers, type SynapseWorker } from '../workers/pools.js'
import { WORKER_CATALOGUE } from '../workers/kinds.js'
import type { Workload, WorkloadInput, WorkloadSpecifics } from './workload.js'
import { servicePorts, type ServicePort } from './ports.js'
import { memoised, renderingSpec } from '../_render-memo.js'

const BUILDERS: Readonly<Record<ServiceName, (input: WorkloadInput) => WorkloadSpecifics>> = {
  synapse: synapseWorkload,
  'synapse-worker': synapseWorkerWorkload,
  postgres: postgresWorkload,
  redis: redisWorkload,
  livekit: livekitWorkload,
  'lk-jwt-service': lkJwtServiceWorkload,
  'element-web': elementWebWorkload,
  nginx: nginxWorkload,
  router: routerWorkload,
  certbot: certbotWorkload,
  'postgres-exporter': postgresExporterWorkload,
  'redis-exporter': redisExporterWorkload,
  prometheus: prometheusWorkload,
}

/** The image a service runs: the `spec.images` entry its catalogue record names. */
export function serviceImage(spec: DeploymentSpec, service: ServiceName): string {
  return spec.images[SERVICE_CATALOGUE[service].image]
}

/**
 * The workload of a service for this spec: its catalogue record's spec-dependent part. Pure.
 * Only meaningful for a service the spec runs (see `serviceEnabled`) and that runs once; for
 * `synapse-worker`, see {@link serviceWorkloads}.
 *
 * @throws Error for a service of several instances.
 */
export function serviceWorkload(spec: DeploymentSpec, service: ServiceName): Workload {
  if (service === 'synapse-worker') throw new Error('synapse-worker runs once per worker: use serviceWorkloads.')
  return renderedWorkloads(spec, service, undefined)?.[0] ?? buildWorkload(spec, service, portsOf(servicePorts(spec), service))
}

/**
 * The workloads of a service: one, or for `synapse-worker` one per worker of `synapse.workers`
 * (pool by pool), each with its own name, ports and config file.
 */
export function serviceWorkloads(spec: DeploymentSpec, service: ServiceName, allPorts?: readonly ServicePort[]): Workload[] {
  const rendered = renderedWorkloads(spec, service, allPorts)
  if (rendered !== undefined) return [...rendered]
  const ports = portsOf(allPorts ?? servicePorts(spec), service)
  if (service !== 'synapse-worker') return [buildWorkload(spec, service, ports)]
  return synapseWorkers(spec).map((worker) => buildWorkload(spec, service, ports, worker))
}

/** The ports of one service (every instance's), in port-model order. */
function portsOf(allPorts: readonly ServicePort[], service: ServiceName): ServicePort[] {
  // An indexed loop: the memoised port list is frozen (see `buildWorkload`).
  const ports: ServicePort[] = []
  for (let index = 0; index < allPorts.length; index++) if (allPorts[index]!.service === service) ports.push(allPorts[index]!)
  return ports
}

/**
 * During a render (see `withRenderMemo`), the workloads of an enabled service as
 * {@link workloads} built them for this render, when the caller's ports are the spec's own:
 * compose and the nginx site ask per service for what `workloads` already holds. Undefined
 * outside a render, for another port list, or for a service the spec does not run.
 */
function renderedWorkloads(
  spec: DeploymentSpec,
  service: ServiceName,
  allPorts: readonly ServicePort[] | undefined,
): readonly Workload[] | undefined {
  if (!renderingSpec(spec)) return undefined
  if (allPorts !== undefined && allPorts !== servicePorts(spec)) return undefined
  return memoised(spec, workloadsByService).get(service)
}

function workloadsByService(spec: DeploymentSpec): Map<ServiceName, Workload[]> {
  const byService = new Map<ServiceName, Workload[]>()
  const all = workloads(spec)
  for (let index = 0; index < all.length; index++) {
    const workload = all[index]!
    const list = byService.get(workload.service)
    if (list === undefined) byService.set(workload.service, [workload])
    else list.push(workload)
  }
  return byService
}

/** The workload of every service the spec runs, in catalogue order (workers pool by pool). */
export function workloads(spec: DeploymentSpec): Workload[] {
  return memoised(spec, computeWorkloads)
}

function computeWorkloads(spec: DeploymentSpec): Workload[] {
  // The port list is sorted out by service in one pass, rather than read whole by each workload.
  const allPorts = servicePorts(spec)
  const byService = new Map<ServiceName, ServicePort[]>()
  for (let index = 0; index < allPorts.length; index++) {
    const port = allPorts[index]!
    const list = byService.get(port.service)
    if (list === undefined) byService.set(port.service, [port])
    else list.push(port)
  }
  const built: Workload[] = []
  // Indexed loops over the memoised (frozen) lists, which V8 (Node 20) iterates slowly otherwise.
  const services = enabledServices(spec)
  for (let index = 0; index < services.length; index++) {
    const service = services[index]!
    const ports = byService.get(service) ?? []
    if (service !== 'synapse-worker') built.push(buildWorkload(spec, service, ports))
    else {
      const workers = synapseWorkers(spec)
      for (let at = 0; at < workers.length; at++) built.push(buildWorkload(spec, service, ports, workers[at]!))
    }
  }
  return built
}

/**
 * The container name of a workload, which is also its host name on the service networks:
 * `messenger-synapse`, `messenger-synapse-client-1`, or with a colour `messenger-element-web-blue`.
 */
export function workloadContainerName(
  spec: Pick<DeploymentSpec, 'serviceName'>,
  workload: Pick<Workload, 'name'>,
  colour?: 'blue' | 'green',
): string {
  return colour === undefined ? `${spec.serviceName}-${workload.name}` : `${spec.serviceName}-${workload.name}-${colour}`
}

/** The workload of `service` (or of one of its workers), given the ports of that service (see {@link portsOf}). */
function buildWorkload(spec: DeploymentSpec, service: ServiceName, ownPorts: readonly ServicePort[], worker?: SynapseWorker): Workload {
  const instance = worker?.name
  const ports: ServicePort[] = []
  for (let index = 0; index < ownPorts.length; index++) {
    const port = ownPorts[index]!
    if (port.instance === instance) ports.push(port)
  }
  const specifics = BUILDERS[service](worker === undefined ? { spec, ports } : { spec, ports, worker })
  return {
    service,
    name: worker?.name ?? service,
    image: serviceImage(spec, service),
    user: spec.containerUser,
    entrypoint: specifics.entrypoint,
    command: specifics.command,
    init: specifics.init,
    environment: specifics.environment,
    environmentFile: specifics.environmentFile,
    mounts: specifics.mounts,
    ports,
    health: specifics.health,
    readOnlyRootFilesystem: specifics.readOnlyRootFilesystem,
    memoryMb: worker === undefined ? resourceSettings(spec.resources).memoryLimitsMb[service] : workerMemoryMb(spec, worker),
    pidsLimit: specifics.pidsLimit,
    stopGraceSeconds: specifics.stopGraceSeconds,
  }
}

/**
 * Every file of the secrets folder some service of the spec reads (its secret mounts), sorted:
 * what the deploy scripts check before they start anything. The SMTP password and Synapse's
 * email file are among them only with `synapse.email`, LiveKit's only with calls.
 */
export function secretFilesRead(spec: DeploymentSpec): string[] {
  return memoised(spec, computeSecretFilesRead)
}

function computeSecretFilesRead(spec: DeploymentSpec): string[] {
  const files = new Set<string>()
  const all = workloads(spec)
  for (let index = 0; index < all.length; index++)
    for (const mount of all[index]!.mounts) if (mount.kind === 'secret') files.add(mount.file)
  return [...files].sort()
}

/**
 * The memory limit of a worker, in MiB: the profile's `synapse-worker` limit for workers that
 * keep caches, half of it for those that mostly send.
 */
export function workerMemoryMb(spec: Pick<DeploymentSpec, 'resources'>, worker: SynapseWorker): number {
  const full = resourceSettings(spec.resources).memoryLimitsMb['synapse-worker']
  return WORKER_CATALOGUE[worker.kind].weight === 'heavy' ? full : Math.ceil(full / 2)
}
