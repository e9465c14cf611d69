// Which Synapse processes may serve a request, by Synapse's own worker endpoint table (the
// oracle file in ../shared/oracles/synapse, read here directly, not the SDK's typed copy) and the
// spec's workers: the property the rendered nginx routing must satisfy.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { synapseWorkers, WORKER_CATALOGUE, type DeploymentSpec } from '@messenger-stack/config-schema'

interface OracleTable {
  readonly generic_worker: {
    readonly any_method: readonly string[]
    readonly get_only: readonly string[]
    readonly room_sticky_pagination: readonly string[]
    readonly sso_single_process: readonly string[]
  }
  readonly stream_writers: Readonly<Record<string, readonly string[]>>
  readonly user_directory_search: readonly string[]
  readonly media_repository: { readonly prefixes: readonly string[]; readonly admin_regexes: readonly string[] }
}

/** Synapse's worker endpoint table, as the oracle file holds it. */
export const ORACLE_TABLE = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../../../shared/oracles/synapse/worker-endpoints.json', import.meta.url)), 'utf8'),
) as OracleTable

/**
 * The oracle's pattern lists the routing tests sample paths from, each with the methods to try
 * on them: every pattern a worker may take (the generic worker's lists, the stream writers',
 * user-directory search, the media repository's admin paths). One list, so the routing tests
 * of every target sample the same table.
 */
export const ORACLE_SAMPLE_LISTS: readonly (readonly [patterns: readonly string[], methods: readonly string[]])[] = [
  [ORACLE_TABLE.generic_worker.any_method, ['GET', 'POST']],
  [ORACLE_TABLE.generic_worker.get_only, ['GET', 'PUT']],
  [ORACLE_TABLE.generic_worker.room_sticky_pagination, ['GET']],
  [ORACLE_TABLE.generic_worker.sso_single_process, ['GET']],
  [Object.values(ORACLE_TABLE.stream_writers).flat(), ['GET', 'PUT']],
  [ORACLE_TABLE.user_directory_search, ['POST']],
  [ORACLE_TABLE.media_repository.admin_regexes, ['GET']],
]

/** The public API of a path: what a worker's listener must serve to take it. */
function apiOf(path: string): 'client' | 'federation' | 'admin' {
  if (path.startsWith('/_synapse/admin')) return 'admin'
  if (path.startsWith('/_matrix/federation/') || path.startsWith('/_matrix/key/')) return 'federation'
  return 'client'
}

/** What may answer a request: process names (`main` or a worker's), or `refused` for the admin API. */
export type Allowed = ReadonlySet<string>

/**
 * The processes upstream allows to serve `method path` in this spec: every process whose
 * listener serves the path's API for a generic-worker pattern (`GET`-only patterns only for
 * `GET`), the writers of a stream for its patterns (the main process when no worker writes it),
 * the main process for single sign-on, the media workers for media paths (the main process only
 * without them); the main process for any path the table does not list. Admin paths are
 * `refused`: the admin API is never public.
 */
export function allowedProcesses(spec: DeploymentSpec, method: string, path: string): Allowed {
  const api = apiOf(path)
  if (api === 'admin') return new Set(['refused'])
  const workers = synapseWorkers(spec)
  const federation = spec.synapse.federation.enabled
  const serving = workers
    .filter((worker) => WORKER_CATALOGUE[worker.kind].serves.some((s) => s === api && (s !== 'federation' || federation)))
    .map((worker) => worker.name)
  const media = workers.filter((worker) => worker.kind === 'media').map((worker) => worker.name)
  const matches = (pattern: string) => new RegExp(pattern).test(path)
  const out = new Set<string>()
  let listed = false
  const g = ORACLE_TABLE.generic_worker
  const generic = [
    ...g.any_method,
    ...g.room_sticky_pagination,
    ...ORACLE_TABLE.user_directory_search,
    ...(method === 'GET' ? g.get_only : []),
  ]
  if (generic.some(matches)) {
    listed = true
    for (const name of ['main', ...serving]) out.add(name)
  }
  if ([...g.get_only].some(matches)) listed = true
  if (g.sso_single_process.some(matches)) {
    listed = true
    out.add('main')
  }
  for (const [stream, patterns] of Object.entries(ORACLE_TABLE.stream_writers)) {
    if (!patterns.some(matches)) continue
    listed = true
    const writers = workers.filter((worker) => (WORKER_CATALOGUE[worker.kind].streams as readonly string[]).includes(stream))
    for (const name of writers.length > 0 ? writers.map((worker) => worker.name) : ['main']) out.add(name)
  }
  const isMedia = ORACLE_TABLE.media_repository.prefixes.some((prefix) => path.startsWith(prefix))
  if (isMedia) {
    listed = true
    for (const name of media.length > 0 ? media : ['main']) out.add(name)
    // With media workers the main process no longer loads the media repository.
    if (media.length > 0) out.delete('main')
  }
  if (!listed || out.size === 0) out.add('main')
  return out
}

/**
 * Whether a worker must serve `method path` in this spec, not merely may: some worker is
 * allowed to, and no rule the path matches keeps it on the main process (single sign-on, or a
 * stream request, such as a write to a GET-only path, that only the stream's writer may serve
 * while the main process writes it). Routing such a request
 * to the main process breaks nothing, but it is exactly what a missing route looks like: the
 * request falls through to the general Matrix route.
 */
export function workerExpected(spec: DeploymentSpec, method: string, path: string): boolean {
  const allowed = allowedProcesses(spec, method, path)
  if (![...allowed].some((name) => name !== 'main' && name !== 'refused')) return false
  const matches = (pattern: string) => new RegExp(pattern).test(path)
  const g = ORACLE_TABLE.generic_worker
  if (g.sso_single_process.some(matches)) return false
  // What a generic worker may serve with this method (GET-only patterns only for GET).
  const generic = new Set([
    ...g.any_method,
    ...g.room_sticky_pagination,
    ...ORACLE_TABLE.user_directory_search,
    ...(method === 'GET' ? g.get_only : []),
  ])
  const workers = synapseWorkers(spec)
  for (const [stream, patterns] of Object.entries(ORACLE_TABLE.stream_writers)) {
    const written = workers.some((worker) => (WORKER_CATALOGUE[worker.kind].streams as readonly string[]).includes(stream))
    if (!written && patterns.some((pattern) => !generic.has(pattern) && matches(pattern))) return false
  }
  return true
}
