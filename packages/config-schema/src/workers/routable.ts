// The patterns of Synapse's worker endpoint table that a worker route may name, sorted out and
// joined into the routes' regexes here. The table is fixed by the code: what does not depend on
// the spec is done once per process, and a render only joins anew when a worker writes a stream
// (its patterns are then taken out of the generic routes).
import { SYNAPSE_WORKER_ENDPOINTS, type EndpointGroup, type GroupedPattern, type SynapseStream } from './endpoint-table.js'
import type { WorkerApi } from './kinds.js'

/** The public API a Synapse path belongs to; admin paths are never routed (the admin API is not public). */
export function pathApi(pattern: string): WorkerApi | 'admin' {
  if (pattern.startsWith('^/_synapse/admin') || pattern.startsWith('/_synapse/admin')) return 'admin'
  if (/^\^?\/_matrix\/(federation|key)\//.test(pattern)) return 'federation'
  return 'client'
}

/** One regex matching any of `patterns` (each anchored with `^`), as nginx and the route table take it. */
export function anyOfPatterns(patterns: readonly string[]): string {
  if (patterns.length === 1) return patterns[0]!
  return `^(?:${patterns.map((pattern) => pattern.slice(1)).join('|')})`
}

const nonAdmin = (entries: readonly GroupedPattern[]) => entries.filter((entry) => pathApi(entry.pattern) !== 'admin')

function groupedByGroup(entries: readonly GroupedPattern[]): ReadonlyMap<EndpointGroup, readonly GroupedPattern[]> {
  const byGroup = new Map<EndpointGroup, GroupedPattern[]>()
  for (const entry of entries) {
    const list = byGroup.get(entry.group)
    if (list === undefined) byGroup.set(entry.group, [entry])
    else list.push(entry)
  }
  return byGroup
}

/**
 * The generic-worker patterns a route may name (admin paths are never routed), sorted out once:
 * the table is fixed by the code, and every render of a spec with workers reads it.
 */
export const ROUTABLE = {
  anyMethod: nonAdmin(SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod),
  anyMethodClient: SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod.filter((entry) => pathApi(entry.pattern) === 'client'),
  getOnly: nonAdmin(SYNAPSE_WORKER_ENDPOINTS.genericWorker.getOnly),
  roomStickyPagination: nonAdmin(SYNAPSE_WORKER_ENDPOINTS.genericWorker.roomStickyPagination),
  /** Each stream's patterns and their regex, in table order; streams with none left are left out. */
  streamWriters: (Object.entries(SYNAPSE_WORKER_ENDPOINTS.streamWriters) as [SynapseStream, readonly string[]][])
    .map(([stream, patterns]) => ({ stream, patterns: patterns.filter((pattern) => pathApi(pattern) !== 'admin') }))
    .filter(({ patterns }) => patterns.length > 0)
    .map(({ stream, patterns }) => ({ stream, patterns, regex: anyOfPatterns(patterns) })),
  /** The patterns of `anyMethod` by group, each in table order: most routes take one group. */
  anyMethodByGroup: groupedByGroup(nonAdmin(SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod)),
  /** Every pattern a generic worker may serve. */
  generic: new Set(
    [...SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod, ...SYNAPSE_WORKER_ENDPOINTS.genericWorker.getOnly].map((entry) => entry.pattern),
  ),
}

/** Some patterns and the one regex of them a route matches with. */
export interface PatternSet {
  readonly patterns: readonly string[]
  readonly regex: string
}

const patternSet = (patterns: readonly string[]): PatternSet => ({ patterns, regex: anyOfPatterns(patterns) })

/** The patterns of each generic-worker route (see renderers' worker routes), without those in `taken`. */
export interface RoutePatterns {
  readonly login: PatternSet
  readonly reads: PatternSet
  readonly pagination: PatternSet
  readonly events: PatternSet
  readonly sync: PatternSet
  readonly otherClient: PatternSet
  readonly inboundFederation: PatternSet
  readonly federation: PatternSet
}

/** The generic-worker routes' patterns, without the stream patterns a worker writer takes (`taken`). */
export function routePatterns(taken: ReadonlySet<string>): RoutePatterns {
  const patternsOf = (entries: readonly GroupedPattern[], groups?: readonly EndpointGroup[]): string[] => {
    const patterns: string[] = []
    for (const entry of entries) {
      if ((groups === undefined || groups.includes(entry.group)) && !taken.has(entry.pattern)) patterns.push(entry.pattern)
    }
    return patterns
  }
  /** The `anyMethod` patterns of one group: `patternsOf(ROUTABLE.anyMethod, [group])`, from the table sorted out once. */
  const anyOf = (group: EndpointGroup): PatternSet => patternSet(patternsOf(ROUTABLE.anyMethodByGroup.get(group) ?? []))
  const others = patternsOf(ROUTABLE.anyMethodClient, ['client', 'encryption', 'user-directory', 'delayed-events'])
  const search = SYNAPSE_WORKER_ENDPOINTS.userDirectorySearch.filter((pattern) => !others.includes(pattern))
  return {
    login: anyOf('login'),
    reads: patternSet(patternsOf(ROUTABLE.getOnly)),
    pagination: patternSet(patternsOf(ROUTABLE.roomStickyPagination)),
    events: anyOf('event-sending'),
    sync: anyOf('sync'),
    otherClient: patternSet([...others, ...search]),
    inboundFederation: anyOf('inbound-federation'),
    federation: anyOf('federation'),
  }
}

/** {@link routePatterns} when no worker writes a stream, as most specs have it: the same in every render. */
export const WHOLE_ROUTE_PATTERNS: RoutePatterns = routePatterns(new Set())

/** The stream patterns only a stream's writer may serve, when the main process writes every stream. */
export const MAIN_ONLY_STREAM_PATTERNS: PatternSet = patternSet(
  ROUTABLE.streamWriters.flatMap(({ patterns }) => patterns.filter((pattern) => !ROUTABLE.generic.has(pattern))),
)
