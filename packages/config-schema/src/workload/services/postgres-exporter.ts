import { CONTAINER_PORTS } from '../../deployment/layout.js'
import { SECRET_FILES, SECRETS_MOUNT } from '../../secret-files/file-names.js'
import { containerName } from '../service-names.js'
import { secretMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * The PostgreSQL role postgres_exporter logs in as: a member of `pg_monitor` (read access to
 * the statistics views) and nothing else, with its own password. The init script creates it.
 */
export const POSTGRES_EXPORTER_ROLE = 'postgres_exporter'

/** The database postgres_exporter connects to: the maintenance database, never Synapse's. */
export const POSTGRES_EXPORTER_DATABASE = 'postgres'

/**
 * prometheus-community postgres_exporter (with `monitoring.postgresExporter`).
 *
 * - Runs as the container user (the image's own user is nobody); read-only root filesystem,
 *   it writes nothing.
 * - Logs in as {@link POSTGRES_EXPORTER_ROLE}, never as Synapse's role or the superuser: the
 *   password comes from `DATA_SOURCE_PASS_FILE`, the address from `DATA_SOURCE_URI` (the
 *   `postgres` maintenance database: the statistics it reads cover every database).
 * - Health: its landing page; the image is busybox-based, so wget is there.
 * - Never published; Prometheus scrapes it on the internal metrics network.
 *
 * @see https://github.com/prometheus-community/postgres_exporter#environment-variables
 */
export function postgresExporterWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  const port = portNumber(ports, 'metrics')
  return {
    init: false,
    environment: {
      DATA_SOURCE_URI: `${containerName(spec, 'postgres')}:${CONTAINER_PORTS.postgres}/${POSTGRES_EXPORTER_DATABASE}?sslmode=disable`,
      DATA_SOURCE_USER: POSTGRES_EXPORTER_ROLE,
      DATA_SOURCE_PASS_FILE: `${SECRETS_MOUNT}/${SECRET_FILES.postgresExporterPassword}`,
      PG_EXPORTER_WEB_LISTEN_ADDRESS: `:${port}`,
    },
    mounts: [secretMount(SECRET_FILES.postgresExporterPassword)],
    health: execHealthCheck(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${port}/`], 30),
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
