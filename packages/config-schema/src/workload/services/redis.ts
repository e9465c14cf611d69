import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { DERIVED_SECRET_FILES, SECRET_FILES, SECRETS_MOUNT } from '../../secret-files/file-names.js'
import { configMount, secretMount, tmpfsMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { shellHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * Redis, Synapse's cache and replication bus.
 *
 * - Runs as the container user (the image only steps down from root when started as root).
 * - Read-only root filesystem. Its config turns persistence off, so the working folder
 *   `/data` is a small tmpfs rather than a volume.
 * - The password is never in the config: `redis.conf` includes `/secrets/redis-auth.conf`.
 *   The health check reads the plain password file into `REDISCLI_AUTH`, so it never appears
 *   on a command line.
 * - Never publishes a port.
 */
export function redisWorkload({ ports }: WorkloadInput): WorkloadSpecifics {
  const port = portNumber(ports, 'redis')
  const password = `${SECRETS_MOUNT}/${SECRET_FILES.redisPassword}`
  return {
    command: ['redis-server', CONTAINER_PATHS.redisConf],
    init: false,
    mounts: [
      configMount(BUNDLE_PATHS.redisConf, CONTAINER_PATHS.redisConf),
      secretMount(DERIVED_SECRET_FILES.redisConf),
      secretMount(SECRET_FILES.redisPassword),
      tmpfsMount(CONTAINER_PATHS.redisDataDir, 16),
    ],
    health: shellHealthCheck(`REDISCLI_AUTH="$(cat ${password})" redis-cli -h 127.0.0.1 -p ${port} ping | grep -q PONG`, 10),
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
