import { BUNDLE_PATHS, type DeploymentSpec } from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the backup script. */
export const BACKUP_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/backup.sh`

/** Bundle path of the restore script. */
export const RESTORE_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/restore.sh`

/** Shell functions both scripts use to run PostgreSQL clients in the postgres container. */
const PG_CLIENT = `PG_PASSWORD_FILE=<% postgresPasswordFile %>
PG_USER=<% postgresUser %>
PG_DATABASE=<% postgresDatabase %>
MEDIA_DIR=<% synapseDataDir %>

# pg_client PROGRAM ARGS...: runs a PostgreSQL client in the postgres container as the
# Synapse role. The password goes from the secret file into PGPASSWORD inside the container,
# never onto a command line. stdin and stdout pass through.
pg_client() {
  # shellcheck disable=SC2016
  compose exec -T postgres sh -c 'PGPASSWORD="$(cat "$1")" && export PGPASSWORD && shift && exec "$@"' \\
    sh "$PG_PASSWORD_FILE" "$@" -U "$PG_USER" -d "$PG_DATABASE"
}
`

const BACKUP_TEMPLATE = `#!/usr/bin/env bash
# Backs up what cannot be rendered again: the Synapse database (pg_dump custom format,
# through the postgres container) and the media store (tar.gz, through the Synapse
# container), with SHA256SUMS. Synapse keeps running.
# The secrets folder is NOT copied: keep your own copy of it (above all
# synapse_signing.key) and of your deployment spec somewhere safe.
# Usage: scripts/backup.sh [DESTINATION_DIR]   (default backups/<UTC time>)
set -euo pipefail

<%> prelude%>

<%> pgClient%>
SECRETS_DIR=<% secretsDir %>
MEDIA_NAME=<% mediaStoreName %>
umask 077
destination="\${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$destination"
[[ -z "$(ls -A "$destination")" ]] || die "$destination is not empty"

log "dumping database $PG_DATABASE"
pg_client pg_dump --format=custom >"$destination/synapse.pgdump"
log "archiving the media store"
compose exec -T synapse tar -C "$MEDIA_DIR" -cf - "$MEDIA_NAME" | gzip >"$destination/media_store.tar.gz"
(cd "$destination" && sha256sum synapse.pgdump media_store.tar.gz >SHA256SUMS)

log "backup written to $destination"
log "reminder: this backup does not contain $SECRETS_DIR/; back it up separately (mode 0700)"
`

const RESTORE_TEMPLATE = `#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: the database (pg_restore) and the media
# store. Refuses to touch a database that already has tables unless --force is given.
# Synapse is stopped during the restore and started again afterwards. Restore the secrets
# folder first: the database belongs with the signing key it was made with.
# Usage: scripts/restore.sh BACKUP_DIR [--force]
set -euo pipefail

<%> prelude%>

<%> pgClient%>
<%> waitHealthy%>

[[ $# -ge 1 && $# -le 2 ]] || die "usage: scripts/restore.sh BACKUP_DIR [--force]"
backup="$1"
force=false
if [[ $# -eq 2 ]]; then
  [[ "$2" == --force ]] || die "unknown option $2 (usage: scripts/restore.sh BACKUP_DIR [--force])"
  force=true
fi
for file in synapse.pgdump media_store.tar.gz; do
  [[ -s "$backup/$file" ]] || die "$backup/$file is missing"
done
if [[ -f "$backup/SHA256SUMS" ]]; then
  (cd "$backup" && sha256sum --check --quiet SHA256SUMS) || die "$backup does not match its SHA256SUMS"
fi

compose up -d postgres
wait_healthy <% postgresContainer %> 120
tables="$(pg_client psql -X -At -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")"
if [[ "$tables" != 0 && "$force" != true ]]; then
  die "database $PG_DATABASE already has $tables tables; restoring would replace them. Re-run with --force to do so"
fi

log "stopping Synapse"
compose stop synapse
log "restoring database $PG_DATABASE"
pg_client pg_restore --clean --if-exists --no-owner --exit-on-error <"$backup/synapse.pgdump"
log "restoring the media store"
gzip -dc "$backup/media_store.tar.gz" | compose run --rm -T --no-deps --entrypoint tar synapse -C "$MEDIA_DIR" -xf -
compose up -d synapse
wait_healthy <% synapseContainer %> 300
log "restored from $backup"
`

const renderBackup = shellTemplate(BACKUP_SCRIPT, BACKUP_TEMPLATE, { ...PARTIALS, pgClient: PG_CLIENT })
const renderRestore = shellTemplate(RESTORE_SCRIPT, RESTORE_TEMPLATE, { ...PARTIALS, pgClient: PG_CLIENT })

/**
 * Renders `scripts/backup.sh`: `pg_dump --format=custom` through the postgres container and
 * a tar.gz of the media store, with checksums and a reminder that secrets need their own backup.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/administration/backups.html
 */
export function renderBackupScript(spec: DeploymentSpec): string {
  return renderBackupScriptWith(spec, scriptView(spec))
}

/** {@link renderBackupScript} with the shared script values already computed. */
export function renderBackupScriptWith(_spec: DeploymentSpec, shared: ScriptView): string {
  return renderBackup(shared)
}

/**
 * Renders `scripts/restore.sh`: checks the backup's checksums, refuses a non-empty database
 * without `--force`, stops Synapse, runs `pg_restore` and unpacks the media store.
 */
export function renderRestoreScript(spec: DeploymentSpec): string {
  return renderRestoreScriptWith(spec, scriptView(spec))
}

/** {@link renderRestoreScript} with the shared script values already computed. */
export function renderRestoreScriptWith(_spec: DeploymentSpec, shared: ScriptView): string {
  return renderRestore(shared)
}
