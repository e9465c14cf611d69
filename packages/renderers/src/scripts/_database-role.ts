/**
 * The deploy scripts' step that gives Synapse's database role its own password (the one in
 * `secrets/synapse_database_password`), through the superuser, before Synapse starts. It runs
 * the PostgreSQL init script again inside the postgres container: the script is idempotent
 * (creates the role and database when missing, sets the role's password, touches no data).
 *
 * Bundles rendered before Synapse had its own database password used the superuser's for
 * Synapse too: on their first deploy after upgrading, `messenger-stack secrets` has added the
 * new file (leaving postgres_password alone) and this step moves Synapse's role to it, with no
 * manual step. A running Synapse holds on to the synapse.pgpass it was started with (a bind
 * mount keeps the file it was given), so it is recreated when that file changed.
 */
export const SYNC_DATABASE_ROLE = `# sync_database_role: the database role Synapse uses gets the password in
# $SECRETS_DIR/<% synapseDatabasePasswordName %> (never the superuser's), set by the superuser
# through the init script, which is safe to run again. Then a running Synapse that still
# holds an older synapse.pgpass is recreated, so that it logs in with the new password.
sync_database_role() {
  log "starting PostgreSQL and setting the password of Synapse's database role"
  compose up -d postgres
  wait_healthy <% postgresContainer %> 300
  # shellcheck disable=SC2016 # $1 and $2 belong to the sh -c program
  compose exec -T postgres sh -c 'PGPASSWORD="$(cat "$1")" && export PGPASSWORD && exec sh "$2"' \\
    sh <% superuserPasswordFile %> <% postgresInitScript %> >/dev/null ||
    die "could not set the password of Synapse's database role (see above and 'docker logs <% postgresContainer %>')"
  local running mounted
  running="$(docker inspect -f '{{.State.Running}}' <% synapseContainer %> 2>/dev/null || true)"
  [[ "$running" == true ]] || return 0
  # shellcheck disable=SC2016
  mounted="$(compose exec -T synapse sh -c 'cksum <"$1"' sh <% synapsePgpassFile %> 2>/dev/null || true)"
  if [[ "$mounted" != "$(cksum <"$SECRETS_DIR/<% synapsePgpassName %>")" ]]; then
    log "recreating Synapse so that it reads its new database password"
    compose up -d --no-deps --force-recreate synapse
  fi
}
`
