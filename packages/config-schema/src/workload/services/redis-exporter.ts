import { CONTAINER_PORTS } from '../../deployment/layout.js'
import type { DeploymentSpec } from '../../deployment/spec.js'
import { DERIVED_SECRET_FILES, SECRETS_MOUNT } from '../../secret-files/file-names.js'
import { containerName } from '../service-names.js'
import { secretMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import type { WorkloadInput, WorkloadSpecifics } from '../workload.js'

/** The address redis_exporter scrapes, which is also the key of its password map. */
export function redisExporterTarget(spec: Pick<DeploymentSpec, 'serviceName'>): string {
  return `redis://${containerName(spec, 'redis')}:${CONTAINER_PORTS.redis}`
}

/**
 * oliver006 redis_exporter (with `monitoring.redisExporter`).
 *
 * - Runs as the container user; read-only root filesystem, it writes nothing.
 * - redis_exporter reads a password from a file only as a JSON map from address to password
 *   (`REDIS_PASSWORD_FILE`), so the secrets step derives `redis-exporter-passwords.json` from
 *   redis_password; the password never appears in the environment or on a command line.
 * - The image is built `FROM scratch`: no shell and no HTTP client, so no health check
 *   (Prometheus's `up` metric shows whether it answers).
 * - Never published; Prometheus scrapes it on the internal metrics network.
 *
 * @see https://github.com/oliver006/redis_exporter#command-line-flags
 */
export function redisExporterWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  return {
    init: false,
    environment: {
      REDIS_ADDR: redisExporterTarget(spec),
      REDIS_PASSWORD_FILE: `${SECRETS_MOUNT}/${DERIVED_SECRET_FILES.redisExporterPasswords}`,
      REDIS_EXPORTER_WEB_LISTEN_ADDRESS: `:${portNumber(ports, 'metrics')}`,
    },
    mounts: [secretMount(DERIVED_SECRET_FILES.redisExporterPasswords)],
    health: { kind: 'none', reason: 'the image is built from scratch: no shell and no HTTP client to probe it with' },
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
