import type { ServiceName } from '../workload/service-names.js'
import type { ResourceProfile } from './resources.js'

/** The numbers a resource profile stands for. All memory values are in MiB. */
export interface ResourceSettings {
  /** Synapse `caches.global_factor`. */
  readonly synapseCacheFactor: number
  /** Synapse `event_cache_size` (entries). */
  readonly synapseEventCacheSize: string
  /** Synapse database pool `cp_min` / `cp_max`. */
  readonly synapseDbPool: { readonly min: number; readonly max: number }
  /** PostgreSQL memory settings. */
  readonly postgres: {
    readonly sharedBuffersMb: number
    readonly effectiveCacheSizeMb: number
    readonly workMemMb: number
    readonly maintenanceWorkMemMb: number
    /**
     * Connections beyond the Synapse processes' pools: PostgreSQL's reserved superuser slots,
     * the deploy scripts' psql, backups (`pg_dump`) and an operator's session. `max_connections`
     * is this plus every Synapse process's `cp_max` (see `DerivedValues.postgresMaxConnections`).
     */
    readonly reservedConnections: number
  }
  /** Redis `maxmemory`. */
  readonly redisMaxMemoryMb: number
  /**
   * Container memory limits (compose `mem_limit`), by service. `synapse-worker` is the limit of
   * each worker that keeps caches (client, federation, media, event persister); the workers that
   * mostly send (federation sender, pusher, background tasks) get half (see `workerMemoryMb`).
   */
  readonly memoryLimitsMb: Readonly<Record<ServiceName, number>>
}

/**
 * What each profile means. `small` keeps the sum of limits at 1.3 GiB so a 2 GB host keeps
 * headroom for the kernel and page cache.
 */
export const RESOURCE_PROFILES: Readonly<Record<ResourceProfile, ResourceSettings>> = {
  small: {
    synapseCacheFactor: 0.5,
    synapseEventCacheSize: '5K',
    synapseDbPool: { min: 3, max: 5 },
    postgres: { sharedBuffersMb: 128, effectiveCacheSizeMb: 384, workMemMb: 4, maintenanceWorkMemMb: 64, reservedConnections: 25 },
    redisMaxMemoryMb: 32,
    memoryLimitsMb: {
      synapse: 640,
      'synapse-worker': 384,
      postgres: 256,
      redis: 64,
      livekit: 256,
      'lk-jwt-service': 32,
      'element-web': 32,
      nginx: 64,
      router: 64,
      certbot: 64,
      // Only with monitoring: outside the 1.3 GiB above.
      'postgres-exporter': 32,
      'redis-exporter': 32,
      prometheus: 256,
    },
  },
  medium: {
    synapseCacheFactor: 1.0,
    synapseEventCacheSize: '10K',
    synapseDbPool: { min: 5, max: 10 },
    postgres: { sharedBuffersMb: 512, effectiveCacheSizeMb: 1536, workMemMb: 8, maintenanceWorkMemMb: 128, reservedConnections: 40 },
    redisMaxMemoryMb: 64,
    memoryLimitsMb: {
      synapse: 1536,
      'synapse-worker': 768,
      postgres: 768,
      redis: 128,
      livekit: 512,
      'lk-jwt-service': 64,
      'element-web': 64,
      nginx: 128,
      router: 128,
      certbot: 64,
      'postgres-exporter': 64,
      'redis-exporter': 32,
      prometheus: 512,
    },
  },
  large: {
    synapseCacheFactor: 2.0,
    synapseEventCacheSize: '30K',
    synapseDbPool: { min: 5, max: 20 },
    postgres: { sharedBuffersMb: 2048, effectiveCacheSizeMb: 6144, workMemMb: 16, maintenanceWorkMemMb: 512, reservedConnections: 80 },
    redisMaxMemoryMb: 256,
    memoryLimitsMb: {
      synapse: 4096,
      'synapse-worker': 1536,
      postgres: 3072,
      redis: 384,
      livekit: 1024,
      'lk-jwt-service': 128,
      'element-web': 64,
      nginx: 256,
      router: 256,
      certbot: 64,
      'postgres-exporter': 128,
      'redis-exporter': 64,
      prometheus: 1024,
    },
  },
}

/** Returns the settings a resource profile stands for. */
export function resourceSettings(profile: ResourceProfile): ResourceSettings {
  return RESOURCE_PROFILES[profile]
}
