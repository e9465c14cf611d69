import { poolMembers, WORKER_CATALOGUE, type DeploymentSpec, type Route, type SynapsePool } from '@messenger-stack/config-schema'
import {
  comment,
  directive,
  entry,
  expression,
  regex,
  variable,
  type NginxArg,
  type NginxNode,
  type NginxPart,
} from '@messenger-stack/config-schema/nginx'
import type { PoolTarget } from './nginx-routes.js'

/** What a file that routes to Synapse pools declares at http level, and how its locations name them. */
export interface PoolDeclarations {
  /** `map` and `upstream` blocks for the http context, with comments; empty without pool routes. */
  readonly nodes: readonly NginxNode[]
  /** The `proxy_pass` argument of a pool target (see `RouteOptions.poolUpstream`). */
  readonly upstream: (target: PoolTarget) => NginxArg
}

const BALANCE_SUFFIX: Readonly<Record<SynapsePool['balance'], string>> = {
  'round-robin': '',
  'access-token': '_by_token',
  room: '_by_room',
  'client-address': '_by_address',
}

/** How the comment of a sticky pool names its key. */
const STICKY_PER: Readonly<Record<SynapsePool['balance'], string>> = {
  'round-robin': '',
  'access-token': ', sticky per access token',
  room: ', sticky per room',
  'client-address': ', sticky per client address',
}

/** A name nginx takes as an upstream group and a variable: letters, digits and `_`. */
const identifier = (text: string): string => text.replace(/[^A-Za-z0-9_]/g, '_')

/** The word for a pool's processes in group names: `main`, or the worker kind's slug as an identifier. */
const PROCESSES_NAMES = new Map<SynapsePool['processes'], string>([['main', 'main']])
for (const [kind, traits] of Object.entries(WORKER_CATALOGUE))
  PROCESSES_NAMES.set(kind as SynapsePool['processes'], identifier(traits.slug))

/**
 * The comment above each upstream group, by processes and balance: made once per process (they
 * depend on the catalogue alone), so the printer checks a string it has read before instead of
 * flattening one joined anew by every render.
 */
const POOL_COMMENTS = new Map<SynapsePool['processes'], Map<SynapsePool['balance'], string>>()

function poolComment(pool: SynapsePool): string {
  let byBalance = POOL_COMMENTS.get(pool.processes)
  if (byBalance === undefined) {
    byBalance = new Map()
    POOL_COMMENTS.set(pool.processes, byBalance)
  }
  let text = byBalance.get(pool.balance)
  if (text === undefined) {
    const processes = pool.processes === 'main' ? 'the main process' : `the ${WORKER_CATALOGUE[pool.processes].slug} workers`
    text = `Synapse: ${processes}${STICKY_PER[pool.balance]}.`
    byBalance.set(pool.balance, text)
  }
  return text
}

/**
 * The upstream groups, maps and `proxy_pass` targets of the pool routes in `table`:
 *
 * - one `upstream` per pool (processes and balance): `hash ... consistent` for sticky pools, so
 *   a process added or removed moves only its share of keys: the access token (from the
 *   `Authorization: Bearer` header, else the `access_token` query argument, so both spellings of
 *   one session meet the same process), the room ID taken from the path, or `clientAddress`;
 * - a `map` of the room ID (the first `/rooms/<id>/`, or the target of `/join/` and `/knock/`);
 * - for routes that send only `GET` to a pool, a `map` of the request method choosing the group.
 *
 * Pools and maps appear in the order routes first use them.
 */
export function poolDeclarations(spec: DeploymentSpec, table: readonly Route[], clientAddress: NginxPart): PoolDeclarations {
  const prefix = identifier(spec.serviceName)
  // Every route and location asks for its pool's name: each name is built once per file, for the
  // first pool object of its processes and balance. A file has a few pools (at most one per
  // processes and balance), so they are kept in a list scanned by object (the worker routes share
  // one object per pool) and then by the two words (a pool equal to a known one but another
  // object): cheaper than the maps of objects and of words a look-up would need.
  const firsts: SynapsePool[] = []
  const names: string[] = []
  /** `http://<group>`, the `proxy_pass` argument of each pool, made once per file. */
  const urls: (string | undefined)[] = []
  /** Where the first pool object of `pool`'s processes and balance is in `firsts`, added when new. */
  const indexOf = (pool: SynapsePool): number => {
    for (let index = 0; index < firsts.length; index++) if (firsts[index] === pool) return index
    for (let index = 0; index < firsts.length; index++) {
      const first = firsts[index]!
      if (first.processes === pool.processes && first.balance === pool.balance) return index
    }
    firsts.push(pool)
    names.push(`${prefix}_synapse_${PROCESSES_NAMES.get(pool.processes)}${BALANCE_SUFFIX[pool.balance]}`)
    urls.push(undefined)
    return firsts.length - 1
  }
  const groupName = (pool: SynapsePool): string => names[indexOf(pool)]!
  const roomVariable = `${prefix}_synapse_room`
  const tokenVariable = `${prefix}_synapse_token`
  const splitVariable = (target: PoolTarget) => `${groupName(target.pool)}_get_else_${PROCESSES_NAMES.get(target.nonGet!.processes)}`
  // The pools in the order routes first use them (by their first object), and the GET splits,
  // each once per pool and processes of its other methods.
  const pools: SynapsePool[] = []
  const used: boolean[] = []
  const use = (pool: SynapsePool) => {
    const at = indexOf(pool)
    if (used[at] === true) return
    used[at] = true
    pools.push(firsts[at]!)
  }
  // A split is named by its pool and the processes of its other methods: a later route with the
  // same two takes the place of the first (as a map keyed by the variable's name would).
  const splits: PoolTarget[] = []
  // Indexed loops: the route table is often the memoised (frozen) one (see routeLocations).
  let byToken = false
  let byRoom = false
  for (let index = 0; index < table.length; index++) {
    const target = table[index]!.target
    if (target.kind !== 'pool') continue
    use(target.pool)
    const nonGet = target.nonGet
    if (nonGet !== undefined) {
      use(nonGet)
      const first = indexOf(target.pool)
      let at = 0
      while (at < splits.length && !(indexOf(splits[at]!.pool) === first && splits[at]!.nonGet!.processes === nonGet.processes)) at++
      splits[at] = target
    }
  }
  for (let index = 0; index < pools.length; index++) {
    const balance = pools[index]!.balance
    if (balance === 'access-token') byToken = true
    else if (balance === 'room') byRoom = true
  }
  const nodes: NginxNode[] = []
  if (pools.length === 0) return { nodes, upstream: () => 'http://unused' }
  if (byToken) {
    nodes.push(
      comment('The access token of a request (header or query argument), for pools sticky per user session.'),
      directive(
        'map',
        [expression(variable('http_authorization')), expression(variable(tokenVariable))],
        [entry(regex('~*^Bearer\\s+(\\S+)'), expression(variable('1'))), entry('default', expression(variable('arg_access_token')))],
      ),
    )
  }
  if (byRoom) {
    nodes.push(
      comment('The room a request is about, for pools sticky per room.'),
      directive(
        'map',
        [expression(variable('uri')), expression(variable(roomVariable))],
        [
          entry(regex('~/rooms/([^/]+)'), expression(variable('1'))),
          entry(regex('~/(?:join|knock)/([^/]+)'), expression(variable('1'))),
          entry('default', ''),
        ],
      ),
    )
  }
  for (let index = 0; index < splits.length; index++) {
    const target = splits[index]!
    nodes.push(
      comment('Reads go to the workers, other methods to the main process.'),
      directive(
        'map',
        [expression(variable('request_method')), expression(variable(splitVariable(target)))],
        [entry('GET', groupName(target.pool)), entry('default', groupName(target.nonGet!))],
      ),
    )
  }
  // The pools of one kind of process (round robin, sticky per room, per token) list the same
  // servers: one set of nodes per kind, which the printer prints once.
  const servers = new Map<SynapsePool['processes'], NginxNode[]>()
  for (let index = 0; index < pools.length; index++) {
    const pool = pools[index]!
    const name = groupName(pool)
    const key: NginxArg | undefined =
      pool.balance === 'access-token'
        ? expression(variable(tokenVariable))
        : pool.balance === 'room'
          ? expression(variable(roomVariable))
          : pool.balance === 'client-address'
            ? expression(clientAddress)
            : undefined
    let listed = servers.get(pool.processes)
    if (listed === undefined) {
      listed = []
      for (const member of poolMembers(spec, pool)) listed.push(directive('server', [`${member.host}:${member.port}`]))
      servers.set(pool.processes, listed)
    }
    const members: NginxNode[] = key === undefined ? [] : [directive('hash', [key, 'consistent'])]
    for (let index = 0; index < listed.length; index++) members.push(listed[index]!)
    nodes.push(comment(poolComment(pool)), directive('upstream', [name], members))
  }
  return {
    nodes,
    upstream: (target) => {
      if (target.nonGet !== undefined) return expression('http://', variable(splitVariable(target)))
      const at = indexOf(target.pool)
      let url = urls[at]
      if (url === undefined) {
        url = `http://${names[at]}`
        urls[at] = url
      }
      return url
    },
  }
}
