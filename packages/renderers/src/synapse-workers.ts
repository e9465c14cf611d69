import {
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  SECRET_FILES,
  SECRETS_MOUNT,
  SYNAPSE_WORKER_ENDPOINTS,
  WORKER_CATALOGUE,
  containerName,
  synapseWorkerConfigPath,
  synapseWorkers,
  workerHost,
  workerNeedMet,
  workerPorts,
  workersOf,
  type DeploymentSpec,
  type HomeserverConfig,
  type SynapseStream,
  type SynapseWorker,
  type SynapseWorkerConfig,
  type WorkerDuty,
} from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'

type Listener = SynapseWorkerConfig['worker_listeners'][number]
type ResourceName = Listener['resources'][number]['names'][number]

/** The main process's instance name, as stream writers call it (its `instance_map` key is `main`). */
export const MAIN_INSTANCE_NAME = 'master'

/** The keys of `homeserver.yaml` that wire workers to the main process. */
export type WorkerSharedConfig = Pick<
  HomeserverConfig,
  | 'instance_map'
  | 'stream_writers'
  | 'federation_sender_instances'
  | 'pusher_instances'
  | 'run_background_tasks_on'
  | 'update_user_directory_from_worker'
  | 'notify_appservices_from_worker'
  | 'enable_media_repo'
  | 'media_instance_running_background_jobs'
  | 'worker_replication_secret_path'
>

/**
 * Streams whose writers keep the main process beside the workers. The main process runs the
 * database background updates, and one of them records existing quarantined media in the
 * `quarantined_media_changes` stream (Synapse asserts that the process writing it is a writer),
 * so the media workers join the main process there rather than replace it.
 */
const MAIN_KEEPS_WRITING: readonly SynapseStream[] = ['quarantined_media_changes']

/**
 * Listener parts fixed by the code, frozen all the way down: the YAML printer prints such a
 * sub-tree once per render and reuses its text in every worker file (and for the main
 * process's replication listener in `homeserver.yaml`). Only for listeners that come with
 * workers: a frozen part printed once costs a little more than a plain one.
 */
const ALL_INTERFACES = Object.freeze(['0.0.0.0']) as string[]

const fixedResources = (name: ResourceName): Listener['resources'] =>
  Object.freeze([Object.freeze({ names: Object.freeze([name]) as ResourceName[], compress: false })]) as Listener['resources']

const HEALTH_RESOURCES = fixedResources('health')
const REPLICATION_RESOURCES = fixedResources('replication')

const httpListener = (port: number, resources: Listener['resources'], forwarded: boolean): Listener => ({
  port,
  type: 'http',
  bind_addresses: ALL_INTERFACES,
  x_forwarded: forwarded,
  resources,
})

/**
 * The main process's replication listener, present with workers: plain HTTP on the internal
 * network, never published and never routed by nginx; every request must carry the
 * `worker_replication_secret`.
 */
export function mainReplicationListener(spec: DeploymentSpec): Listener[] {
  return synapseWorkers(spec).length === 0 ? [] : [httpListener(CONTAINER_PORTS.synapseReplication, REPLICATION_RESOURCES, false)]
}

/** The streams of the endpoint table, in its order: the order of `stream_writers`. */
const STREAMS = Object.freeze(Object.keys(SYNAPSE_WORKER_ENDPOINTS.streamWriters)) as readonly SynapseStream[]

/**
 * The names of the workers writing each stream, in pool order: one pass over the workers, each
 * adding itself to its kind's streams (most kinds write none), rather than one pass over every
 * worker per stream of the table.
 */
function writersByStream(spec: DeploymentSpec): Map<SynapseStream, string[]> {
  // An indexed loop: the memoised worker list is frozen, which V8 (Node 20) iterates slowly otherwise.
  const workers = synapseWorkers(spec)
  const writers = new Map<SynapseStream, string[]>()
  for (let index = 0; index < workers.length; index++) {
    const worker = workers[index]!
    const streams = WORKER_CATALOGUE[worker.kind].streams
    for (let at = 0; at < streams.length; at++) {
      const names = writers.get(streams[at]!)
      if (names === undefined) writers.set(streams[at]!, [worker.name])
      // A kind that named a stream twice still lists its worker once.
      else if (names[names.length - 1] !== worker.name) names.push(worker.name)
    }
  }
  return writers
}

function streamWriters(spec: DeploymentSpec): HomeserverConfig['stream_writers'] {
  const writers = writersByStream(spec)
  if (writers.size === 0) return undefined
  const out: Record<string, string | string[]> = {}
  let any = false
  for (let index = 0; index < STREAMS.length; index++) {
    const stream = STREAMS[index]!
    const workers = writers.get(stream)
    if (workers === undefined) continue
    const names = MAIN_KEEPS_WRITING.includes(stream) ? [MAIN_INSTANCE_NAME, ...workers] : workers
    // Upstream takes a list where several writers are allowed, one name elsewhere.
    out[stream] = SYNAPSE_WORKER_ENDPOINTS.multiWriterStreams.includes(stream) ? names : names[0]!
    any = true
  }
  return any ? (out as HomeserverConfig['stream_writers']) : undefined
}

/** The names of the workers doing each duty, in pool order; a duty the main process does is absent. */
function dutyWorkers(spec: DeploymentSpec): Map<WorkerDuty, string[]> {
  // One indexed loop for every duty: the memoised worker list is frozen, which V8 (Node 20)
  // filters and maps on its slow generic path.
  const workers = synapseWorkers(spec)
  const byDuty = new Map<WorkerDuty, string[]>()
  for (let index = 0; index < workers.length; index++) {
    const worker = workers[index]!
    const duty = WORKER_CATALOGUE[worker.kind].duty
    if (duty === undefined) continue
    const names = byDuty.get(duty)
    if (names === undefined) byDuty.set(duty, [worker.name])
    else names.push(worker.name)
  }
  return byDuty
}

/**
 * The shared-config keys that wire the spec's workers to the main process; all undefined
 * without workers. `instance_map` names the main process (`main`) and every process with a
 * replication listener, at its container name.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html#shared-configuration
 */
export function workerSharedConfig(spec: DeploymentSpec): WorkerSharedConfig {
  const workers = synapseWorkers(spec)
  if (workers.length === 0) return {}
  const instanceMap: Record<string, { host: string; port: number }> = {
    main: { host: containerName(spec, 'synapse'), port: CONTAINER_PORTS.synapseReplication },
  }
  for (const worker of workers) {
    const replication = workerPorts(worker).replication
    if (replication !== undefined) instanceMap[worker.name] = { host: workerHost(spec, worker), port: replication }
  }
  const media = workersOf(spec, 'media')
  const duties = dutyWorkers(spec)
  return {
    instance_map: instanceMap,
    stream_writers: streamWriters(spec),
    federation_sender_instances: duties.get('federation_sender_instances'),
    pusher_instances: duties.get('pusher_instances'),
    run_background_tasks_on: duties.get('run_background_tasks_on')?.[0],
    update_user_directory_from_worker: duties.get('update_user_directory_from_worker')?.[0],
    notify_appservices_from_worker: duties.get('notify_appservices_from_worker')?.[0],
    // The main process stops serving media once media workers do; one of them runs the clean-ups.
    enable_media_repo: media.length > 0 ? false : undefined,
    media_instance_running_background_jobs: media[0]?.name,
    worker_replication_secret_path: `${SECRETS_MOUNT}/${SECRET_FILES.synapseWorkerReplicationSecret}`,
  }
}

/**
 * The typed config file of one worker: its app and name, an HTTP listener for the public APIs
 * of its kind (federation only while federation is on; a health-only listener for workers
 * without public requests, so every process answers `/health`), a replication listener for
 * stream writers, and the shared log config. Pure.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html#worker-configuration
 */
export function synapseWorkerModel(spec: DeploymentSpec, worker: SynapseWorker): SynapseWorkerConfig {
  const traits = WORKER_CATALOGUE[worker.kind]
  const ports = workerPorts(worker)
  const serves = traits.serves.filter((api) => api !== 'federation' || workerNeedMet(spec, 'federation'))
  const listeners: Listener[] = [
    serves.length > 0
      ? httpListener(ports.http, [{ names: serves, compress: false }], true)
      : httpListener(ports.http, HEALTH_RESOURCES, false),
  ]
  if (ports.replication !== undefined) listeners.push(httpListener(ports.replication, REPLICATION_RESOURCES, false))
  return {
    worker_app: traits.app,
    worker_name: worker.name,
    worker_listeners: listeners,
    worker_log_config: CONTAINER_PATHS.synapseLogConfig,
  }
}

/** Renders one worker's config file, `synapse/config/workers/<name>.yaml`. Pure. */
export function renderSynapseWorker(spec: DeploymentSpec, worker: SynapseWorker): string {
  return toYaml(synapseWorkerModel(spec, worker), { header: generatedHeader(synapseWorkerConfigPath(worker.name)) })
}
