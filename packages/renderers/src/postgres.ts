import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  POSTGRES_EXPORTER_DATABASE,
  POSTGRES_EXPORTER_ROLE,
  SECRET_FILES,
  SECRETS_MOUNT,
  deriveValues,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { shellTemplate } from './scripts/_template.js'
import { POSTGRES_INIT_TEMPLATE } from './scripts/templates/postgres-init.js'

/** A `postgresql.conf` value: strings are single-quoted, numbers bare, booleans `on`/`off`. */
export type PostgresSettingValue = string | number | boolean

/**
 * The settings of the rendered `postgresql.conf`, in file order: connection and
 * authentication, memory from the resource profile, logging, then `postgres.extraSettings`
 * (which replace a setting of the same name, new names appended sorted).
 */
export function postgresSettingsModel(spec: DeploymentSpec): Map<string, PostgresSettingValue> {
  const derived = deriveValues(spec)
  const memory = derived.resources.postgres
  const settings = new Map<string, PostgresSettingValue>([
    ['listen_addresses', '*'],
    ['port', CONTAINER_PORTS.postgres],
    // Every Synapse process (main and workers) keeps its own connection pool.
    ['max_connections', derived.postgresMaxConnections],
    ['password_encryption', 'scram-sha-256'],
    ['hba_file', CONTAINER_PATHS.postgresHba],
    ['shared_buffers', `${memory.sharedBuffersMb}MB`],
    ['effective_cache_size', `${memory.effectiveCacheSizeMb}MB`],
    ['work_mem', `${memory.workMemMb}MB`],
    ['maintenance_work_mem', `${memory.maintenanceWorkMemMb}MB`],
    ['log_destination', 'stderr'],
    ['logging_collector', false],
    ['log_line_prefix', '%m [%p] %q%u@%d '],
    ['log_timezone', 'UTC'],
    ['timezone', 'UTC'],
  ])
  const extra = Object.keys(spec.postgres.extraSettings).sort()
  for (const key of extra) settings.set(key, spec.postgres.extraSettings[key]!)
  return settings
}

/** Prints one `postgresql.conf` value. */
export function postgresConfValue(value: PostgresSettingValue): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off'
  if (typeof value === 'number') return String(value)
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

/**
 * Renders PostgreSQL's `postgresql.conf` (bundle path `BUNDLE_PATHS.postgresConf`, mounted at
 * `CONTAINER_PATHS.postgresConf` and passed as `-c config_file=...`): listens on 5432 inside
 * the compose network, scram-sha-256 passwords, memory sized by the resource profile, logs
 * to stderr. Pure: same spec, same bytes.
 *
 * @see https://www.postgresql.org/docs/current/runtime-config.html
 */
export function renderPostgresConf(spec: DeploymentSpec): string {
  const lines = generatedHeader(BUNDLE_PATHS.postgresConf).map((line) => `# ${line}`)
  lines.push(`# Memory settings follow the '${spec.resources}' resource profile; postgres.extraSettings come last.`, '')
  for (const [key, value] of postgresSettingsModel(spec)) lines.push(`${key} = ${postgresConfValue(value)}`)
  return `${lines.join('\n')}\n`
}

/**
 * Renders `pg_hba.conf` (bundle path `BUNDLE_PATHS.postgresHba`, read through `hba_file`):
 * every connection, local socket included, authenticates with scram-sha-256; nothing is
 * trusted. With `monitoring.postgresExporter`, postgres_exporter's role may connect to the
 * `postgres` maintenance database only (the statistics it reads cover every database), so it
 * never opens a session in Synapse's database; pg_hba takes the first line that matches.
 *
 * @see https://www.postgresql.org/docs/current/auth-pg-hba-conf.html
 */
export function renderPostgresHba(spec: DeploymentSpec): string {
  const lines = generatedHeader(BUNDLE_PATHS.postgresHba).map((line) => `# ${line}`)
  lines.push(
    '# Every connection needs a password (scram-sha-256), including the local socket: no trust.',
    '',
    '# TYPE  DATABASE  USER  ADDRESS  METHOD',
  )
  const exporter =
    spec.monitoring?.postgresExporter === true
      ? [
          "# postgres_exporter's role: the maintenance database over the network, nothing else.",
          `host    ${POSTGRES_EXPORTER_DATABASE}  ${POSTGRES_EXPORTER_ROLE}  all  scram-sha-256`,
          `host    all       ${POSTGRES_EXPORTER_ROLE}  all  reject`,
          `local   all       ${POSTGRES_EXPORTER_ROLE}       reject`,
          '# Everyone else.',
        ]
      : []
  lines.push(...exporter, 'local   all       all            scram-sha-256', 'host    all       all   all      scram-sha-256')
  return `${lines.join('\n')}\n`
}

const renderInitScript = shellTemplate(BUNDLE_PATHS.postgresInit, POSTGRES_INIT_TEMPLATE)

/**
 * Renders the PostgreSQL init script (bundle path `BUNDLE_PATHS.postgresInit`, mounted in
 * `CONTAINER_PATHS.postgresInitDir`). The postgres image runs it once, as the superuser, when
 * it initialises an empty data directory. It creates the login role `postgres.user` (not a
 * superuser) and the database `postgres.database` with UTF8 encoding and C collation from
 * template0, as Synapse requires. The role's password is Synapse's own
 * (`secrets/synapse_database_password`), never the superuser's; psql reads it from the file
 * itself, so it is never on a command line nor in this file. Safe to run again: the deploy
 * scripts run it on every deploy to set the role's password (see `sync_database_role`).
 * With `monitoring.postgresExporter` it also creates (or updates) postgres_exporter's role, a
 * member of `pg_monitor` only, with the password in `secrets/postgres_exporter_password`.
 *
 * @see https://element-hq.github.io/synapse/latest/postgres.html
 */
export function renderPostgresInit(spec: DeploymentSpec): string {
  return renderInitScript({
    passwordFile: `${SECRETS_MOUNT}/${SECRET_FILES.synapseDatabasePassword}`,
    role: spec.postgres.user,
    database: spec.postgres.database,
    exporter:
      spec.monitoring?.postgresExporter === true
        ? { role: POSTGRES_EXPORTER_ROLE, passwordFile: `${SECRETS_MOUNT}/${SECRET_FILES.postgresExporterPassword}` }
        : false,
  })
}
