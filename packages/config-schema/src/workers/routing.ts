import type { DeploymentSpec } from '../deployment/spec.js'
import { containerName } from '../workload/service-names.js'
import type { PoolBalance, RateLimitClass, Route, RouteMatch, RouteTarget, SynapsePool } from '../workload/route.js'
import { SYNAPSE_WORKER_ENDPOINTS, type EndpointGroup, type SynapseStream } from './endpoint-table.js'
import { WORKER_CATALOGUE, WORKER_KINDS, type WorkerApi, type WorkerKind } from './kinds.js'
import { workerCounts, workerHost, workerNeedMet, workerPorts, workersOf } from './pools.js'
import { anyOfPatterns, MAIN_ONLY_STREAM_PATTERNS, ROUTABLE, routePatterns, WHOLE_ROUTE_PATTERNS, type PatternSet } from './routable.js'
import { poolRouteTexts, type PoolRouteTexts } from './route-texts.js'

export { anyOfPatterns, pathApi } from './routable.js'

/** One process of a pool, as an upstream server: its name, host name and HTTP port. */
export interface PoolMember {
  /** `main`, or the worker's name. */
  readonly name: string
  /** Host name on the internal network (its container name). */
  readonly host: string
  /** Port of its HTTP listener. */
  readonly port: number
}

/** The processes of a pool: the main process's public listener, or each worker's HTTP listener. */
export function poolMembers(spec: DeploymentSpec, pool: SynapsePool): PoolMember[] {
  if (pool.processes === 'main') return [{ name: 'main', host: containerName(spec, 'synapse'), port: spec.synapse.httpPort }]
  return workersOf(spec, pool.processes).map((worker) => ({
    name: worker.name,
    host: workerHost(spec, worker),
    port: workerPorts(worker).http,
  }))
}

/**
 * The patterns of each stream of `ROUTABLE.streamWriters` (same index) that a generic worker may
 * not serve, only the stream's writer: fixed by the endpoint table, so sorted out once per process.
 */
const WRITER_ONLY_PATTERNS: readonly (readonly string[])[] = ROUTABLE.streamWriters.map(({ patterns }) =>
  patterns.filter((pattern) => !ROUTABLE.generic.has(pattern)),
)

/** The fields of the base the route table passes (`routes`), in its order. */
const ROUTE_TABLE_BASE_KEYS = ['hosts', 'maxBodyBytes', 'responseHeaders', 'hideUpstreamHeaders'] as const

/** The base the route table passes: these own fields, in this order, and no other (no symbol either). */
type RouteTableBase = Pick<Route, (typeof ROUTE_TABLE_BASE_KEYS)[number]>

/**
 * Whether `base` has exactly the own enumerable fields of {@link ROUTE_TABLE_BASE_KEYS} in that
 * order and nothing else a spread would copy: then copying those four fields builds the same
 * route, key for key, as spreading it.
 */
function isRouteTableBase(base: SynapseRouteBase): base is SynapseRouteBase & RouteTableBase {
  const keys = Object.keys(base)
  if (keys.length !== ROUTE_TABLE_BASE_KEYS.length || Object.getOwnPropertySymbols(base).length > 0) return false
  for (let index = 0; index < keys.length; index++) if (keys[index] !== ROUTE_TABLE_BASE_KEYS[index]) return false
  return true
}

/** How upstream recommends spreading each group of generic-worker requests (round robin otherwise). */
const GROUP_BALANCE: Partial<Record<EndpointGroup, PoolBalance>> = {
  sync: 'access-token',
  'event-sending': 'room',
  'room-pagination': 'room',
  'inbound-federation': 'client-address',
}

/** The route fields every Synapse route shares (hosts, body size, headers), from the caller. */
export type SynapseRouteBase = Omit<Route, 'name' | 'description' | 'match' | 'target'>

/** The worker routes of a spec: login and registration (rate limited), and everything else, in table order. */
export interface WorkerRoutes {
  /** Login and registration requests a worker may serve; they go before the main login route. */
  readonly login: readonly Route[]
  /** Every other request a worker may serve, and the stream requests only the main process may serve while it writes the stream. */
  readonly rest: readonly Route[]
}

/** The worker kind that writes a stream in this spec, if a worker does. */
function writerKind(counts: Readonly<Record<WorkerKind, number>>, stream: SynapseStream): WorkerKind | undefined {
  for (const kind of STREAM_WRITER_KINDS.get(stream) ?? []) if (counts[kind] > 0) return kind
  return undefined
}

/** The kinds that may write each stream, in {@link WORKER_KINDS} order (fixed by the catalogue). */
const STREAM_WRITER_KINDS = new Map<SynapseStream, WorkerKind[]>()
for (const kind of WORKER_KINDS) {
  for (const stream of WORKER_CATALOGUE[kind].streams) {
    const kinds = STREAM_WRITER_KINDS.get(stream)
    if (kinds === undefined) STREAM_WRITER_KINDS.set(stream, [kind])
    else kinds.push(kind)
  }
}

/**
 * The routes that send requests to Synapse workers, derived from Synapse's worker endpoint
 * table for the spec's pools, in the order nginx must try them (first matching regex wins):
 *
 * 1. stream requests to the worker writing that stream (typing, receipts, ...), and to the
 *    main process those only a stream's writer may serve while the main process writes it;
 * 2. reads a worker may serve only as `GET`, other methods to the main process;
 * 3. client requests: room pagination and event sending sticky per room, sync sticky per access
 *    token, the rest evenly, to the client pool (or the generic one);
 * 4. federation requests: inbound transactions sticky per client address, the rest evenly, to the
 *    federation pool (or the generic one);
 * 5. media prefixes to the media pool.
 *
 * Admin paths never appear (the admin API is refused), single sign-on stays on the main process
 * (one process must see a whole login), and so does every path the table does not list.
 * Empty without workers.
 *
 * @see https://element-hq.github.io/synapse/latest/workers.html
 */
export function workerRoutes(spec: DeploymentSpec, base: SynapseRouteBase): WorkerRoutes {
  const counts = workerCounts(spec)
  if (WORKER_KINDS.every((kind) => counts[kind] === 0)) return { login: [], rest: [] }
  const table = SYNAPSE_WORKER_ENDPOINTS
  const poolFor = (api: WorkerApi): WorkerKind | undefined => {
    if (api === 'client') return counts.client > 0 ? 'client' : counts.generic > 0 ? 'generic' : undefined
    if (api === 'federation') {
      if (!workerNeedMet(spec, 'federation')) return undefined
      return counts.federation > 0 ? 'federation' : counts.generic > 0 ? 'generic' : undefined
    }
    return counts.media > 0 ? 'media' : undefined
  }
  // One object per pool, shared by the routes to it: printers name each pool once and then
  // answer the routes that share it by identity. A handful per spec, found by the two words in a
  // list (cheaper than a map of maps, or a key string joined from them and hashed anew).
  const pools: SynapsePool[] = []
  const pool = (processes: 'main' | WorkerKind, balance: PoolBalance = 'round-robin'): SynapsePool => {
    for (let index = 0; index < pools.length; index++) {
      const known = pools[index]!
      if (known.processes === processes && known.balance === balance) return known
    }
    const shared: SynapsePool = { processes, balance }
    pools.push(shared)
    return shared
  }
  // The base the route table passes is copied field by field: an object spread copies key by key
  // on a generic path, which cost more than the route. Any other base is spread as it is.
  const tableBase = isRouteTableBase(base) ? base : undefined
  const route = (name: string, description: string, match: RouteMatch, target: RouteTarget, rateLimit?: RateLimitClass): Route => {
    if (tableBase === undefined) return { name, description, ...base, match, target, ...(rateLimit === undefined ? {} : { rateLimit }) }
    const { hosts, maxBodyBytes, responseHeaders, hideUpstreamHeaders } = tableBase
    return rateLimit === undefined
      ? { name, description, hosts, maxBodyBytes, responseHeaders, hideUpstreamHeaders, match, target }
      : { name, description, hosts, maxBodyBytes, responseHeaders, hideUpstreamHeaders, match, target, rateLimit }
  }
  const regex = (patterns: PatternSet): RouteMatch => ({ kind: 'regex', pattern: patterns.regex })

  const login: Route[] = []
  const rest: Route[] = []
  const client = poolFor('client')

  // 1. Streams: to their worker writer, or (for requests only a writer may serve) the main process.
  const writtenByWorkers = new Set<string>()
  const mainOnly: string[] = []
  for (let index = 0; index < ROUTABLE.streamWriters.length; index++) {
    const { stream, patterns: routed, regex: streamRegex } = ROUTABLE.streamWriters[index]!
    const writer = writerKind(counts, stream)
    if (writer !== undefined) {
      for (const pattern of routed) writtenByWorkers.add(pattern)
      const texts = poolRouteTexts(writer).stream
      rest.push(route(texts.name, texts.description(stream), { kind: 'regex', pattern: streamRegex }, { kind: 'pool', pool: pool(writer) }))
    } else {
      const writerOnly = WRITER_ONLY_PATTERNS[index]!
      for (let at = 0; at < writerOnly.length; at++) mainOnly.push(writerOnly[at]!)
    }
  }
  // Without a stream written by a worker, the patterns are those joined once per process.
  const whole = writtenByWorkers.size === 0
  if (client !== undefined && mainOnly.length > 0) {
    rest.push(
      route(
        'synapse-main-streams',
        'Requests only the writer of their stream may serve, while the main process writes it: before the worker routes, so none of them takes these.',
        regex(whole ? MAIN_ONLY_STREAM_PATTERNS : { patterns: mainOnly, regex: anyOfPatterns(mainOnly) }),
        { kind: 'pool', pool: pool('main') },
      ),
    )
  }
  if (client === undefined && poolFor('federation') === undefined && poolFor('media') === undefined) return { login, rest }

  // Generic-worker patterns by route, without admin paths and those a stream writer takes.
  const patterns = whole ? WHOLE_ROUTE_PATTERNS : routePatterns(writtenByWorkers)

  if (client !== undefined) {
    const texts = poolRouteTexts(client)
    const to = (balance: PoolBalance): RouteTarget => ({ kind: 'pool', pool: pool(client, balance) })
    login.push(route(texts.login.name, texts.login.description, regex(patterns.login), to('round-robin'), 'login'))
    const reads = patterns.reads
    if (reads.patterns.length > 0) {
      rest.push(
        route(texts.reads.name, texts.reads.description, regex(reads), {
          kind: 'pool',
          pool: pool(client),
          nonGet: pool('main'),
        }),
      )
    }
    const sticky: [PoolRouteTexts['sync'], PatternSet, PoolBalance][] = [
      [texts.pagination, patterns.pagination, 'room'],
      [texts.events, patterns.events, GROUP_BALANCE['event-sending']!],
      [texts.sync, patterns.sync, GROUP_BALANCE.sync!],
    ]
    for (const [text, matched, balance] of sticky) rest.push(route(text.name, text.description, regex(matched), to(balance)))
    rest.push(route(texts.other.name, texts.other.description, regex(patterns.otherClient), to('round-robin')))
  }

  const federation = poolFor('federation')
  if (federation !== undefined) {
    const texts = poolRouteTexts(federation)
    rest.push(
      route(texts.inbound.name, texts.inbound.description, regex(patterns.inboundFederation), {
        kind: 'pool',
        pool: pool(federation, GROUP_BALANCE['inbound-federation']),
      }),
      route(texts.federation.name, texts.federation.description, regex(patterns.federation), {
        kind: 'pool',
        pool: pool(federation),
      }),
    )
  }

  if (poolFor('media') !== undefined) {
    table.mediaRepository.prefixes.forEach((prefix, index) => {
      rest.push(
        route(
          index === 0 ? 'synapse-media' : `synapse-media-${index + 1}`,
          'Media (uploads, downloads, thumbnails, URL previews): the media workers, which the main process leaves them to.',
          { kind: 'prefix', path: prefix },
          { kind: 'pool', pool: pool('media') },
        ),
      )
    })
  }
  return { login, rest }
}
