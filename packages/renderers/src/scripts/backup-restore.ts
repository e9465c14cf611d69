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
# A backup holds every message, every password hash and every access token of the server:
# it is encrypted to the public keys of the spec's backups section (age or gpg), or plain
# only where the spec says backups.encryption: none.
# The secrets folder is NOT copied: keep your own copy of it (above all
# synapse_signing.key) and of your deployment spec somewhere safe.
# Usage: scripts/backup.sh [DESTINATION_DIR]   (default backups/<UTC time>, git-ignored)
set -euo pipefail

<%> prelude%>

<%#backupsUnset%>
die "the spec has no backups section, so this script cannot tell how to protect a backup (it holds every message and password hash). Add backups.encryption to the spec (age or gpg with recipients, or none for plain files) and render again"
<%/backupsUnset%>
<%^backupsUnset%>
<%> pgClient%>
SECRETS_DIR=<% secretsDir %>
BACKUPS_DIR=<% backupsDir %>
MEDIA_NAME=<% mediaStoreName %>
<%#age%>
command -v age >/dev/null 2>&1 || die "age is not installed (apt install age): the spec encrypts backups with age"
SUFFIX=.age
# encrypt: stdin to stdout, readable only with the identity of one of the spec's recipients.
encrypt() { age --encrypt<%#recipients%> --recipient <% . %><%/recipients%>; }
<%/age%>
<%#gpg%>
command -v gpg >/dev/null 2>&1 || die "gpg is not installed (apt install gnupg): the spec encrypts backups with gpg"
for key in<%#recipients%> <% . %><%/recipients%>; do
  gpg --batch --list-keys "$key" >/dev/null 2>&1 || die "the OpenPGP key $key is not in the keyring of $(id -un): import its public key with gpg --import first"
done
SUFFIX=.gpg
# encrypt: stdin to stdout, readable only with the secret key of one of the spec's recipients.
encrypt() { gpg --batch --yes --quiet --trust-model always --encrypt<%#recipients%> --recipient <% . %><%/recipients%> --output -; }
<%/gpg%>
<%#plain%>
SUFFIX=""
# The spec says backups.encryption: none, so the files are written as they are.
encrypt() { cat; }
<%/plain%>
umask 077
destination="\${1:-$BACKUPS_DIR/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$destination"
[[ -z "$(ls -A "$destination")" ]] || die "$destination is not empty"

log "dumping database $PG_DATABASE"
pg_client pg_dump --format=custom | encrypt >"$destination/synapse.pgdump$SUFFIX"
log "archiving the media store"
compose exec -T synapse tar -C "$MEDIA_DIR" -cf - "$MEDIA_NAME" | gzip | encrypt >"$destination/media_store.tar.gz$SUFFIX"
(cd "$destination" && sha256sum "synapse.pgdump$SUFFIX" "media_store.tar.gz$SUFFIX" >SHA256SUMS)

log "backup written to $destination<%#plain%> (unencrypted, as the spec says)<%/plain%>"
log "reminder: this backup does not contain $SECRETS_DIR/; back it up separately (mode 0700)"
<%/backupsUnset%>
`

const RESTORE_TEMPLATE = `#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh: the database (pg_restore) and the media
# store, decrypting them first when the backup is encrypted (age: --identity FILE; gpg: the
# secret key in your keyring). Refuses to touch a database that already has tables unless
# --force is given. Synapse is stopped during the restore and started again afterwards.
# Restore the secrets folder first: the database belongs with the signing key it was made with.
# Usage: scripts/restore.sh BACKUP_DIR [--force] [--identity AGE_IDENTITY_FILE]
set -euo pipefail

<%> prelude%>

<%> pgClient%>
<%> waitHealthy%>

usage="usage: scripts/restore.sh BACKUP_DIR [--force] [--identity AGE_IDENTITY_FILE]"
[[ $# -ge 1 ]] || die "$usage"
backup="$1"
shift
force=false
identity=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=true ;;
    --identity)
      [[ $# -ge 2 ]] || die "--identity needs a file ($usage)"
      identity="$2"
      shift
      ;;
    *) die "unknown option $1 ($usage)" ;;
  esac
  shift
done

# The backup's own files say how it was written, whatever the spec says today.
if [[ -s "$backup/synapse.pgdump.age" ]]; then
  SUFFIX=.age
  command -v age >/dev/null 2>&1 || die "age is not installed (apt install age), and $backup is encrypted with it"
  [[ -n "$identity" ]] || die "$backup is encrypted with age: pass --identity with the identity file of one of its recipients"
  decrypt() { age --decrypt --identity "$identity"; }
elif [[ -s "$backup/synapse.pgdump.gpg" ]]; then
  SUFFIX=.gpg
  command -v gpg >/dev/null 2>&1 || die "gpg is not installed (apt install gnupg), and $backup is encrypted with it"
  decrypt() { gpg --batch --quiet --decrypt; }
else
  SUFFIX=""
  decrypt() { cat; }
fi
for file in "synapse.pgdump$SUFFIX" "media_store.tar.gz$SUFFIX"; do
  [[ -s "$backup/$file" ]] || die "$backup/$file is missing"
done
if [[ -f "$backup/SHA256SUMS" ]]; then
  (cd "$backup" && sha256sum --check --quiet SHA256SUMS) || die "$backup does not match its SHA256SUMS"
fi
# Decrypting once up front finds a wrong identity before anything is stopped.
decrypt <"$backup/synapse.pgdump$SUFFIX" >/dev/null || die "cannot decrypt $backup/synapse.pgdump$SUFFIX"

compose up -d postgres
wait_healthy <% postgresContainer %> 120
tables="$(pg_client psql -X -At -c "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")"
if [[ "$tables" != 0 && "$force" != true ]]; then
  die "database $PG_DATABASE already has $tables tables; restoring would replace them. Re-run with --force to do so"
fi

log "stopping Synapse"
<%#hasSynapseWorkers%>
# Every Synapse process writes the database: the workers stop with the main process.
<%/hasSynapseWorkers%>
compose stop<%#synapseWorkers%> <% name %><%/synapseWorkers%> synapse
log "restoring database $PG_DATABASE"
decrypt <"$backup/synapse.pgdump$SUFFIX" | pg_client pg_restore --clean --if-exists --no-owner --exit-on-error
log "restoring the media store"
decrypt <"$backup/media_store.tar.gz$SUFFIX" | gzip -dc | compose run --rm -T --no-deps --entrypoint tar synapse -C "$MEDIA_DIR" -xf -
compose up -d synapse
wait_healthy <% synapseContainer %> 300
<%#hasSynapseWorkers%>
compose up -d<%#synapseWorkers%> <% name %><%/synapseWorkers%>
<%/hasSynapseWorkers%>
log "restored from $backup"
`

const renderBackup = shellTemplate<ReturnType<typeof backupView>>(BACKUP_SCRIPT, BACKUP_TEMPLATE, { ...PARTIALS, pgClient: PG_CLIENT })
const renderRestore = shellTemplate<ScriptView>(RESTORE_SCRIPT, RESTORE_TEMPLATE, { ...PARTIALS, pgClient: PG_CLIENT })

/**
 * Renders `scripts/backup.sh`: `pg_dump --format=custom` through the postgres container and
 * a tar.gz of the media store, each encrypted with age or gpg to the recipients of the spec's
 * `backups` section (plain only with `encryption: none`; without the section the script
 * refuses to run), with checksums and a reminder that secrets need their own backup.
 *
 * @see https://element-hq.github.io/synapse/latest/usage/administration/backups.html
 */
export function renderBackupScript(spec: DeploymentSpec): string {
  return renderBackupScriptWith(spec, scriptView(spec))
}

/** {@link renderBackupScript} with the shared script values already computed. */
export function renderBackupScriptWith(spec: DeploymentSpec, shared: ScriptView): string {
  return renderBackup(backupView(spec), shared)
}

/** The values the backup script adds to the shared ones: how it encrypts, and for whom. */
function backupView(spec: DeploymentSpec) {
  const backups = spec.backups
  return {
    backupsUnset: backups === undefined,
    age: backups?.encryption === 'age',
    gpg: backups?.encryption === 'gpg',
    plain: backups?.encryption === 'none',
    recipients: backups !== undefined && backups.encryption !== 'none' ? backups.recipients : [],
  }
}

/**
 * Renders `scripts/restore.sh`: checks the backup's checksums, decrypts it (age with
 * `--identity`, or gpg), refuses a non-empty database without `--force`, stops Synapse, runs
 * `pg_restore` and unpacks the media store.
 */
export function renderRestoreScript(spec: DeploymentSpec): string {
  return renderRestoreScriptWith(spec, scriptView(spec))
}

/** {@link renderRestoreScript} with the shared script values already computed. */
export function renderRestoreScriptWith(_spec: DeploymentSpec, shared: ScriptView): string {
  return renderRestore(shared)
}
