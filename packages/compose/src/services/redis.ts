import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  deriveValues,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { configMount, secretMount, secretPath, tmpfsMount } from '../_mounts.js'
import type { ComposeService } from '../model.js'

/**
 * Redis, Synapse's cache and replication bus.
 *
 * - Runs as the container user (the image only steps down from root when started as root).
 * - Read-only root filesystem. Its config turns persistence off, so the working folder
 *   `/data` is a small tmpfs rather than a volume.
 * - The password is never in the config: `redis.conf` includes `/secrets/redis-auth.conf`.
 *   The healthcheck reads the plain password file into `REDISCLI_AUTH`, so it never appears
 *   on a command line.
 * - Never publishes a port.
 */
export function redisService(spec: DeploymentSpec, placement: Placement): ComposeService {
  const { resources } = deriveValues(spec)
  const ping = `REDISCLI_AUTH="$$(cat ${secretPath(SECRET_FILES.redisPassword)})" redis-cli -h 127.0.0.1 -p ${CONTAINER_PORTS.redis} ping | grep -q PONG`
  return hardenedService(spec, placement, resources.memoryLimitsMb.redis, {
    image: spec.images.redis,
    command: ['redis-server', CONTAINER_PATHS.redisConf],
    volumes: [
      configMount(BUNDLE_PATHS.redisConf, CONTAINER_PATHS.redisConf),
      secretMount(DERIVED_SECRET_FILES.redisConf),
      secretMount(SECRET_FILES.redisPassword),
    ],
    tmpfs: [tmpfsMount(CONTAINER_PATHS.redisDataDir, 16)],
    healthcheck: healthcheck(['CMD-SHELL', ping], '10s'),
    read_only: true,
    pids_limit: 64,
  })
}
