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
  const processesName = (pool: SynapsePool) => (pool.processes === 'main' ? 'main' : identifier(WORKER_CATALOGUE[pool.processes].slug))
  // Every route and location asks for its pool's name: each name is built once per file. The
  // worker routes share their pool objects, so most asks are answered by identity, without
  // building a key string (a new string is hashed anew on every lookup).
  const groupNames = new Map<string, string>()
  const namesByPool = new Map<SynapsePool, string>()
  const groupName = (pool: SynapsePool) => {
    let name = namesByPool.get(pool)
    if (name !== undefined) return name
    const key = `${pool.processes} ${pool.balance}`
    name = groupNames.get(key)
    if (name === undefined) {
      name = `${prefix}_synapse_${processesName(pool)}${BALANCE_SUFFIX[pool.balance]}`
      groupNames.set(key, name)
    }
    namesByPool.set(pool, name)
    return name
  }
  const roomVariable = `${prefix}_synapse_room`
  const tokenVariable = `${prefix}_synapse_token`
  const splitVariable = (target: PoolTarget) => `${groupName(target.pool)}_get_else_${processesName(target.nonGet!)}`
  const pools = new Map<string, SynapsePool>()
  const splits = new Map<string, PoolTarget>()
  // Indexed loops: the route table is often the memoised (frozen) one (see routeLocations).
  let byToken = false
  let byRoom = false
  for (let index = 0; index < table.length; index++) {
    const target = table[index]!.target
    if (target.kind !== 'pool') continue
    pools.set(groupName(target.pool), target.pool)
    if (target.nonGet !== undefined) {
      pools.set(groupName(target.nonGet), target.nonGet)
      splits.set(splitVariable(target), target)
    }
  }
  for (const pool of pools.values()) {
    if (pool.balance === 'access-token') byToken = true
    else if (pool.balance === 'room') byRoom = true
  }
  const nodes: NginxNode[] = []
  if (pools.size === 0) return { nodes, upstream: () => 'http://unused' }
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
  for (const [name, target] of splits) {
    nodes.push(
      comment('Reads go to the workers, other methods to the main process.'),
      directive(
        'map',
        [expression(variable('request_method')), expression(variable(name))],
        [entry('GET', groupName(target.pool)), entry('default', groupName(target.nonGet!))],
      ),
    )
  }
  // The pools of one kind of process (round robin, sticky per room, per token) list the same
  // servers: one set of nodes per kind, which the printer prints once.
  const servers = new Map<SynapsePool['processes'], NginxNode[]>()
  for (const [name, pool] of pools) {
    const key: NginxArg | undefined =
      pool.balance === 'access-token'
        ? expression(variable(tokenVariable))
        : pool.balance === 'room'
          ? expression(variable(roomVariable))
          : pool.balance === 'client-address'
            ? expression(clientAddress)
            : undefined
    const processes = pool.processes === 'main' ? 'the main process' : `the ${WORKER_CATALOGUE[pool.processes].slug} workers`
    let listed = servers.get(pool.processes)
    if (listed === undefined) {
      listed = []
      for (const member of poolMembers(spec, pool)) listed.push(directive('server', [`${member.host}:${member.port}`]))
      servers.set(pool.processes, listed)
    }
    const members: NginxNode[] = key === undefined ? [] : [directive('hash', [key, 'consistent'])]
    for (let index = 0; index < listed.length; index++) members.push(listed[index]!)
    nodes.push(comment(`Synapse: ${processes}${STICKY_PER[pool.balance]}.`), directive('upstream', [name], members))
  }
  return {
    nodes,
    upstream: (target) =>
      target.nonGet === undefined ? `http://${groupName(target.pool)}` : expression('http://', variable(splitVariable(target))),
  }
}
