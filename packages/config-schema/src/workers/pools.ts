import type { DeploymentSpec } from '../deployment/spec.js'
import { MAX_POOL_SIZE, type WorkerPresetName } from '../deployment/worker-presets.js'
import { WORKER_CATALOGUE, WORKER_KINDS, type WorkerKind, type WorkerNeed } from './kinds.js'
import { memoised } from '../_render-memo.js'

/** The spec sections the worker model reads (so checks can run while other sections are invalid). */
export type WorkerSpec = Pick<DeploymentSpec, 'synapse'>

/**
 * What each preset runs, by kind. A kind whose need the spec lacks (federation off, no user
 * directory, no application services) is left out of a preset.
 *
 * - `small`: one generic worker takes sync, client reads and federation reads off the main
 *   process, and a federation sender takes outgoing federation.
 * - `recommended`: separate client and federation pools (two client workers, so sync and room
 *   traffic spread), one event persister, and one worker for each duty the main process would
 *   otherwise do itself.
 */
export const WORKER_PRESETS: Readonly<Record<WorkerPresetName, Readonly<Partial<Record<WorkerKind, number>>>>> = {
  none: {},
  small: { generic: 1, federationSender: 1 },
  recommended: {
    client: 2,
    federation: 1,
    eventPersister: 1,
    federationSender: 1,
    media: 1,
    pusher: 1,
    background: 1,
    userDirectory: 1,
    appservice: 1,
  },
}

/** One Synapse worker process. */
export interface SynapseWorker {
  /** Its kind (pool). */
  readonly kind: WorkerKind
  /** 1-based number within the pool. */
  readonly index: number
  /** Synapse `worker_name`, the compose service and the name in its file: `synapse-client-1`. */
  readonly name: string
}

/** The workers of one kind. */
export interface WorkerPool {
  readonly kind: WorkerKind
  readonly workers: readonly SynapseWorker[]
}

/** Whether the spec has what a worker kind needs to be of use. */
export function workerNeedMet(spec: WorkerSpec, need: WorkerNeed): boolean {
  const extra = spec.synapse.extraConfig
  switch (need) {
    case 'federation':
      return spec.synapse.federation.enabled
    case 'userDirectory': {
      const directory = extra.user_directory
      return !(typeof directory === 'object' && directory !== null && (directory as Record<string, unknown>).enabled === false)
    }
    case 'appservices': {
      const files = extra.app_service_config_files
      return Array.isArray(files) && files.length > 0
    }
  }
}

/**
 * The number of processes of each kind: the preset's (for the kinds whose need the spec
 * meets), replaced by `synapse.workers.pools` for each kind it names. Every kind is present.
 */
export function workerCounts(spec: WorkerSpec): Readonly<Record<WorkerKind, number>> {
  return memoised(spec, computeWorkerCounts)
}

function computeWorkerCounts(spec: WorkerSpec): Readonly<Record<WorkerKind, number>> {
  const { preset, pools } = spec.synapse.workers
  const fromPreset = WORKER_PRESETS[preset]
  const counts = {} as Record<WorkerKind, number>
  for (const kind of WORKER_KINDS) {
    const need = WORKER_CATALOGUE[kind].needs
    const presetCount = need === undefined || workerNeedMet(spec, need) ? (fromPreset[kind] ?? 0) : 0
    counts[kind] = pools[kind] ?? presetCount
  }
  return counts
}

/** The name of a worker: `synapse-<slug>-<n>`. */
export function workerName(kind: WorkerKind, index: number): string {
  return `synapse-${WORKER_CATALOGUE[kind].slug}-${index}`
}

/** The non-empty pools of the spec, in {@link WORKER_KINDS} order. */
export function workerPools(spec: WorkerSpec): WorkerPool[] {
  return memoised(spec, computeWorkerPools)
}

function computeWorkerPools(spec: WorkerSpec): WorkerPool[] {
  const counts = workerCounts(spec)
  const pools: WorkerPool[] = []
  for (const kind of WORKER_KINDS) {
    const workers: SynapseWorker[] = []
    for (let index = 1; index <= counts[kind]; index++) workers.push({ kind, index, name: workerName(kind, index) })
    if (workers.length > 0) pools.push({ kind, workers })
  }
  return pools
}

/** Every worker process of the spec, pool by pool. Empty without workers. */
export function synapseWorkers(spec: WorkerSpec): SynapseWorker[] {
  return memoised(spec, computeSynapseWorkers)
}

function computeSynapseWorkers(spec: WorkerSpec): SynapseWorker[] {
  // Indexed loops, not `flatMap` (slow in V8, Node 20, and slower still on the frozen pool list).
  const pools = workerPools(spec)
  const workers: SynapseWorker[] = []
  for (let index = 0; index < pools.length; index++) for (const worker of pools[index]!.workers) workers.push(worker)
  return workers
}

/** The ports of a worker's listeners inside its container. */
export interface WorkerPorts {
  /** Its HTTP listener: public requests of its kind, or only `/health`. */
  readonly http: number
  /** Its replication listener, for stream writers (absent otherwise). */
  readonly replication?: number
}

/** First HTTP port of worker listeners; replication listeners start 1000 above. */
const WORKER_HTTP_BASE = 18_000
const WORKER_REPLICATION_BASE = 19_000

/**
 * The ports of a worker: `18000 + 20·k + n` for HTTP and `19000 + 20·k + n` for replication,
 * where `k` is the kind's place in {@link WORKER_KINDS} and `n` the worker's number. Unique
 * across every Synapse process and above the ports other services use, so the whole stack
 * could share one network namespace (host networking, tests), and stable: growing one pool
 * never renumbers another.
 */
export function workerPorts(worker: SynapseWorker): WorkerPorts {
  const offset = WORKER_KINDS.indexOf(worker.kind) * (MAX_POOL_SIZE + 4) + worker.index
  const http = WORKER_HTTP_BASE + offset
  return WORKER_CATALOGUE[worker.kind].streams.length > 0 ? { http, replication: WORKER_REPLICATION_BASE + offset } : { http }
}

/** The host name other processes reach a worker at: its container name, `messenger-synapse-client-1`. */
export function workerHost(spec: Pick<DeploymentSpec, 'serviceName'>, worker: SynapseWorker): string {
  return `${spec.serviceName}-${worker.name}`
}

/** Whether Synapse runs any worker. */
export function workersEnabled(spec: WorkerSpec): boolean {
  return synapseWorkers(spec).length > 0
}

/** The workers of one kind (empty when the spec runs none). */
export function workersOf(spec: WorkerSpec, kind: WorkerKind): SynapseWorker[] {
  // The pools hold the workers kind by kind already (an indexed loop: the memoised list is frozen).
  const pools = workerPools(spec)
  for (let index = 0; index < pools.length; index++) if (pools[index]!.kind === kind) return [...pools[index]!.workers]
  return []
}
