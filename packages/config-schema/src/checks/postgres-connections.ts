import { postgresMaxConnections, synapseConnectionPools } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'

/**
 * Refuses `postgres.extraSettings.max_connections` below what the Synapse processes may open:
 * every process (the main one and each worker) keeps a pool of up to `cp_max` connections, and
 * PostgreSQL refuses one past its limit ("sorry, too many clients already"), which Synapse
 * reports as failed requests long after the deploy. Above the derived value is fine.
 */
export function checkPostgresConnections(spec: Pick<DeploymentSpec, 'postgres' | 'resources' | 'synapse'>): SpecIssue[] {
  const set = spec.postgres.extraSettings.max_connections
  if (set === undefined) return []
  const needed = postgresMaxConnections(spec)
  if (typeof set === 'number' && Number.isInteger(set) && set >= needed) return []
  const pools = synapseConnectionPools(spec)
  return [
    {
      path: ['postgres', 'extraSettings', 'max_connections'],
      code: 'too_few_connections',
      message: `postgres.extraSettings sets max_connections to ${JSON.stringify(set)}, but the ${pools.length} Synapse process${pools.length === 1 ? '' : 'es'} may open ${pools.reduce((sum, pool) => sum + pool.cpMax, 0)} connections (cp_max ${pools[0]!.cpMax} each) and the '${spec.resources}' profile keeps ${needed - pools.reduce((sum, pool) => sum + pool.cpMax, 0)} more for backups, deploy scripts and the superuser.`,
      hint: `remove max_connections from postgres.extraSettings (messenger-stack renders ${needed}), or set a whole number of at least ${needed}.`,
    },
  ]
}
