import {
  BUNDLE_PATHS,
  CONTAINER_PORTS,
  DERIVED_SECRET_FILES,
  SECRETS_MOUNT,
  deriveValues,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'

/**
 * Commands the rendered Redis refuses (renamed to the empty name). Synapse only uses
 * AUTH, SELECT, PING, PUBLISH/SUBSCRIBE and GET/SET for its replication and external cache,
 * so nothing it needs is here. DEBUG and MODULE are already off by default in Redis 7.
 */
export const REDIS_DISABLED_COMMANDS = ['ACL', 'CONFIG', 'FLUSHALL', 'FLUSHDB', 'REPLICAOF', 'SLAVEOF', 'SWAPDB'] as const

/** One `redis.conf` directive: name and arguments, printed space-separated. */
export interface RedisDirective {
  readonly name: string
  readonly args: readonly string[]
  /** Comment lines above the directive, without `#`. */
  readonly comment?: readonly string[]
}

/** The directives of the rendered `redis.conf`, in file order. */
export function redisConfModel(spec: DeploymentSpec): RedisDirective[] {
  return [
    { name: 'bind', args: ['0.0.0.0'], comment: ['Reachable on the compose network only: compose publishes no Redis port.'] },
    { name: 'protected-mode', args: ['yes'] },
    { name: 'port', args: [String(CONTAINER_PORTS.redis)] },
    { name: 'tcp-keepalive', args: ['300'] },
    { name: 'daemonize', args: ['no'] },
    { name: 'loglevel', args: ['notice'] },
    { name: 'logfile', args: ['""'] },
    { name: 'save', args: ['""'], comment: ['No persistence: Synapse keeps nothing in Redis that it cannot rebuild.'] },
    { name: 'appendonly', args: ['no'] },
    {
      name: 'maxmemory',
      args: [deriveValues(spec).redisMaxMemory],
      comment: [`Sized by the '${spec.resources}' resource profile unless redis.maxMemory is set.`],
    },
    { name: 'maxmemory-policy', args: ['allkeys-lru'] },
    ...REDIS_DISABLED_COMMANDS.map((command, index) => ({
      name: 'rename-command',
      args: [command, '""'],
      ...(index === 0 ? { comment: ['Administrative commands nobody on the network needs.'] } : {}),
    })),
    {
      name: 'include',
      args: [`${SECRETS_MOUNT}/${DERIVED_SECRET_FILES.redisConf}`],
      comment: ['The password (`requirepass ...`) lives in the secrets folder, written by messenger-stack.'],
    },
  ]
}

/**
 * Renders `redis.conf` (bundle path `BUNDLE_PATHS.redisConf`): password from an included
 * secrets file, no persistence, LRU eviction under the profile's `maxmemory`, administrative
 * commands disabled. Pure: same spec, same bytes.
 *
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/config-file/
 */
export function renderRedisConf(spec: DeploymentSpec): string {
  const lines = generatedHeader(BUNDLE_PATHS.redisConf).map((line) => `# ${line}`)
  for (const directive of redisConfModel(spec)) {
    if (directive.comment !== undefined) lines.push('', ...directive.comment.map((line) => `# ${line}`))
    // Concatenated rather than a spread into a new array joined: one line per directive.
    let line = directive.name
    for (let index = 0; index < directive.args.length; index++) line += ` ${directive.args[index]}`
    lines.push(line)
  }
  return `${lines.join('\n')}\n`
}
