import { deriveValues } from '../../deployment/derived.js'
import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { SECRET_FILES, SECRETS_MOUNT } from '../../secret-files/file-names.js'
import { configMount, dataMount, parentDir, secretMount, tmpfsMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/** The bootstrap superuser the postgres image creates; Synapse connects as `postgres.user`. */
export const POSTGRES_SUPERUSER = 'postgres'

/**
 * PostgreSQL, the single database of Synapse.
 *
 * - Runs as the container user: the official image supports an arbitrary UID (nss_wrapper
 *   gives initdb a passwd entry) when the data folder belongs to that UID, which the deploy
 *   script guarantees (see `dataVolumes`).
 * - Read-only root filesystem; tmpfs for the socket folder `/var/run/postgresql` and `/tmp`
 *   (the entrypoint's nss_wrapper files).
 * - `POSTGRES_USER` is the bootstrap superuser, never the Synapse role; its password is read
 *   from `POSTGRES_PASSWORD_FILE` and only this container has it. The init script (run on an
 *   empty data folder, and by the deploy scripts on every deploy) creates the Synapse role
 *   (not a superuser) with its own password and its database, UTF8 with C collation.
 * - Never publishes a port; other containers reach it by container name.
 *
 * @see https://hub.docker.com/_/postgres (Arbitrary --user notes)
 */
export function postgresWorkload({ spec, ports }: WorkloadInput): WorkloadSpecifics {
  const { postgresMaxConnections } = deriveValues(spec)
  const port = portNumber(ports, 'postgres')
  return {
    command: ['postgres', '-c', `config_file=${CONTAINER_PATHS.postgresConf}`],
    init: false,
    environment: {
      POSTGRES_USER: POSTGRES_SUPERUSER,
      POSTGRES_PASSWORD_FILE: `${SECRETS_MOUNT}/${SECRET_FILES.postgresPassword}`,
      POSTGRES_INITDB_ARGS: '--encoding=UTF8 --locale=C',
      PGDATA: CONTAINER_PATHS.postgresDataDir,
    },
    mounts: [
      dataMount('postgres', CONTAINER_PATHS.postgresDataDir),
      configMount(BUNDLE_PATHS.postgresConf, CONTAINER_PATHS.postgresConf),
      configMount(BUNDLE_PATHS.postgresHba, CONTAINER_PATHS.postgresHba),
      configMount(parentDir(BUNDLE_PATHS.postgresInit), CONTAINER_PATHS.postgresInitDir),
      secretMount(SECRET_FILES.postgresPassword),
      // Synapse's role password: the init script sets it (Synapse itself reads only synapse.pgpass).
      secretMount(SECRET_FILES.synapseDatabasePassword),
      // postgres_exporter's role password, which the init script sets (with monitoring.postgresExporter).
      ...(spec.monitoring?.postgresExporter === true ? [secretMount(SECRET_FILES.postgresExporterPassword)] : []),
      tmpfsMount('/var/run/postgresql', 1),
      tmpfsMount('/tmp', 16),
    ],
    // pg_isready only asks whether the server accepts connections (no password needed), over
    // TCP: during first-start initialisation the image's temporary server listens on the
    // socket only, so dependants wait until the init script has finished.
    health: execHealthCheck(['pg_isready', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_SUPERUSER], 60),
    readOnlyRootFilesystem: true,
    // One process per connection plus background workers and the healthcheck.
    pidsLimit: postgresMaxConnections + 50,
    // The image stops with SIGINT (fast shutdown); give it time to flush.
    stopGraceSeconds: 60,
  }
}
