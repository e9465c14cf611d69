import {
  deriveValues,
  routerConfPath,
  WORKER_CATALOGUE,
  workerMemoryMb,
  workerPools,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { RESTART_SYNAPSE_SCRIPT } from './scripts/restart-synapse.js'

/**
 * The Synapse workers section of `DEPLOY.md` (with `synapse.workers` only): one row per pool
 * (processes, what they do, memory limit each), how to scale a pool, and the restart order
 * upgrades and writer changes need.
 */
export function workersSection(spec: DeploymentSpec): string[] {
  const pools = workerPools(spec)
  if (pools.length === 0) return []
  const derived = deriveValues(spec)
  // A loop: the memoised pool list is frozen, which V8 (Node 20) maps on its slow generic path.
  const rows: string[] = []
  let processes = 0
  for (let index = 0; index < pools.length; index++) {
    const pool = pools[index]!
    const traits = WORKER_CATALOGUE[pool.kind]
    const names = pool.workers.map((worker) => `\`${worker.name}\``).join(', ')
    rows.push(`| \`${pool.kind}\` | ${names} | ${traits.description} | ${workerMemoryMb(spec, pool.workers[0]!)} MiB |`)
    processes += pool.workers.length
  }
  return [
    '## Synapse workers',
    '',
    `Synapse runs as ${processes + 1} processes: the main process and the workers below (preset \`${spec.synapse.workers.preset}\`,`,
    `changed by \`synapse.workers.pools\`). Each worker is a container of its own in ${spec.mode === 'standalone' ? 'the compose project' : 'the shared core, never per colour'};`,
    spec.mode === 'standalone'
      ? 'nginx sends each request to the pool Synapse lets serve it (see docs/workers.md). The replication'
      : `the router (\`${routerConfPath(spec.serviceName)}\`) sends each request the gateway hands it to the pool Synapse lets serve it (see docs/workers.md). The replication`,
    "between them runs over Redis and the main process's replication listener (port 9093, internal",
    'network only), authenticated with `secrets/synapse_worker_replication_secret`.',
    '',
    '| pool | processes | what it does | memory limit each |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `PostgreSQL accepts ${derived.postgresMaxConnections} connections: every process keeps a pool of up to ${derived.synapseConnectionPools[0]!.cpMax}, and ${derived.resources.postgres.reservedConnections} are kept for backups, scripts and the superuser.`,
    '',
    'To scale a pool, set its count in the spec (`synapse.workers.pools`, for example `client: 4`),',
    `render, and run \`./${RESTART_SYNAPSE_SCRIPT}\`: it stops every worker, recreates the main process,`,
    'waits until it is healthy, then starts the workers. Use the same script after upgrading',
    "Synapse's image (the main process upgrades the database first; workers refuse an outdated schema)",
    "and after any change of Synapse's config. Adding or removing event persisters, federation senders",
    'or pushers needs exactly that: every worker restarted together.',
    '',
  ]
}
