// Upgrading a deployment from one PostgreSQL secret to two, on a real server. Before, Synapse
// logged in with the superuser's password (synapse.pgpass carried postgres_password), so
// Synapse, or anything reading its pgpass, was a database superuser (COPY ... TO PROGRAM).
// Now the superuser's password stays with the postgres container and Synapse's role has its
// own. An existing deployment must move over on its first deploy, keeping its data, with no
// manual step: `messenger-stack secrets` adds synapse_database_password (ensureSecretsFolder
// here) and the rendered deploy script sets the role's password through the superuser.
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseDeploymentSpec } from '@messenger-stack/config-schema'
import { ensureSecretsFolder } from '@messenger-stack/config-schema/node'
import { describe, expect, it } from 'vitest'
import { renderAll } from '../src/index.js'
import { requireNamespaces, requireTool } from './_bundle-support.js'

// Stands in for docker: `exec -T postgres CMD` runs CMD as the postgres OS user against the
// test server (the container's env: POSTGRES_USER, POSTGRES_DB); Synapse "runs" and still
// holds the synapse.pgpass in $FAKE_SYNAPSE_PGPASS; everything is healthy; certbot has a certificate.
const FAKE_DOCKER = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$FAKE_LOG"
case "$*" in
  *" exec -T postgres "*)
    while [[ "$1" != postgres ]]; do shift; done
    shift
    exec setpriv --reuid=postgres --regid=postgres --init-groups env POSTGRES_USER=postgres POSTGRES_DB=postgres PGHOST="$FAKE_PGHOST" "$@" ;;
  *" exec -T synapse "*) cksum <"$FAKE_SYNAPSE_PGPASS" ;;
  "inspect -f {{.State.Running}} "*) echo true ;;
  "inspect"*) echo healthy ;;
esac
exit 0
`

// Shared by both phases: a private mount and network namespace where the bundle's files sit
// at the container paths, and the server runs as the postgres OS user.
const PRELUDE = String.raw`
set -euo pipefail
work="$1"; pgbin="$2"
export PATH="$pgbin:$PATH"
ip link set lo up
mkdir -p /secrets /etc/postgresql /docker-entrypoint-initdb.d
mount --bind "$work/bundle/secrets" /secrets
mount --bind "$work/bundle/postgres" /etc/postgresql
mount --bind "$work/bundle/postgres/init" /docker-entrypoint-initdb.d
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
stop() { as_pg timeout 60 pg_ctl -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop EXIT
start() {
  as_pg timeout 90 pg_ctl -D "$work/data" -w -t 60 -l "$work/logs/server.log" \
    -o "-c config_file=/etc/postgresql/postgresql.conf -c unix_socket_directories=$work/run" start >/dev/null
}
# psql over TCP as USER with PASSWORD (or the pgpass file given as PGPASSFILE); "refused" when login fails.
tcp() {
  local user="$1" password="$2"; shift 2
  PGPASSWORD="$password" timeout 30 psql -X -At -w -h 127.0.0.1 -U "$user" -d "${'$'}{DB:-$user}" "$@" 2>"$work/psql.err" || echo refused
}
with_pgpass() { PGPASSFILE=/secrets/synapse.pgpass timeout 30 psql -X -At -w -h 127.0.0.1 -U synapse -d synapse "$@" 2>"$work/psql.err" || echo refused; }
`

// Phase 1: the deployment as messenger-stack made it before: initdb with postgres_password (as
// the image does with POSTGRES_PASSWORD_FILE), the single-secret init script, data written by Synapse.
const OLD_DEPLOYMENT = String.raw`${PRELUDE}
as_pg timeout 120 initdb -D "$work/data" -U postgres --pwfile=/secrets/postgres_password -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
start
as_pg env POSTGRES_USER=postgres POSTGRES_DB=postgres PGPASSWORD="$(cat /secrets/postgres_password)" PGHOST="$work/run" \
  timeout 60 sh "$work/old-init.sh" >"$work/old-init.log" 2>&1 || { echo "old_init=failed"; cat "$work/old-init.log"; exit 1; }
echo "old_write=$(with_pgpass -c "CREATE TABLE events (id int PRIMARY KEY, body text); INSERT INTO events VALUES (1, 'a'), (2, 'b'), (3, 'c')" -c 'SELECT count(*) FROM events' | tail -n 1)"
# The hole: Synapse's password opened the superuser's login.
echo "old_superuser_with_synapse_pgpass=$(DB=postgres tcp postgres "$(cut -d: -f5 /secrets/synapse.pgpass)" -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')"
`

// Phase 2: after 'messenger-stack secrets', the rendered deploy script (twice), then what
// Synapse and the superuser can do.
const UPGRADE = `${PRELUDE}
start
export FAKE_PGHOST="$work/run" FAKE_SYNAPSE_PGPASS="$work/old-synapse.pgpass"
for run in 1 2; do
  : >"$work/docker-$run.log"
  FAKE_LOG="$work/docker-$run.log" PATH="$work/bin:$PATH" bash "$work/bundle/scripts/deploy-standalone.sh" >"$work/deploy-$run.log" 2>&1 ||
    { echo "deploy_$run=failed"; cat "$work/deploy-$run.log"; exit 1; }
  echo "deploy_$run=ok"
  echo "recreated_synapse_$run=$(grep -c -- '--force-recreate synapse' "$work/docker-$run.log" || true)"
  echo "rows_$run=$(with_pgpass -c "SELECT string_agg(body, ',' ORDER BY id) FROM events")"
  # After the first deploy the recreated Synapse holds the new synapse.pgpass.
  export FAKE_SYNAPSE_PGPASS=/secrets/synapse.pgpass
done
synapse_pw="$(cat /secrets/synapse_database_password)"
superuser_pw="$(cat /secrets/postgres_password)"
echo "synapse_own_password=$(tcp synapse "$synapse_pw" -c 'SELECT current_user')"
echo "synapse_old_password=$(tcp synapse "$superuser_pw" -c 'SELECT current_user')"
echo "superuser_with_synapse_password=$(DB=postgres tcp postgres "$synapse_pw" -c 'SELECT 1')"
echo "superuser_own_password=$(DB=postgres tcp postgres "$superuser_pw" -c 'SELECT rolsuper FROM pg_roles WHERE rolname = current_user')"
echo "role=$(DB=postgres tcp postgres "$superuser_pw" -c "SELECT rolsuper || ',' || rolcreatedb || ',' || rolcreaterole || ',' || rolbypassrls || ',' || pg_has_role('synapse', 'pg_execute_server_program', 'MEMBER') FROM pg_roles WHERE rolname = 'synapse'")"
echo "owns=$(DB=postgres tcp postgres "$superuser_pw" -c "SELECT string_agg(datname, ',') FROM pg_database WHERE pg_get_userbyid(datdba) = 'synapse'")"
copy="$(with_pgpass -c "COPY (SELECT 1) TO PROGRAM 'true'")"
echo "copy_to_program=$copy: $(grep -c 'external program' "$work/psql.err" || true)"
`

function runPhase(unshare: string, driver: string, work: string, pgbin: string): Record<string, string> {
  const result = spawnSync(unshare, ['-m', '-n', 'bash', '-c', driver, 'driver', work, pgbin], { encoding: 'utf8', timeout: 240_000 })
  const report = Object.fromEntries(
    result.stdout
      .split('\n')
      .filter((line) => /^[a-z_0-9]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
  return report
}

describe('upgrading from one PostgreSQL secret to two, on a real server', () => {
  it("keeps the data, moves Synapse to its own password on the first deploy, and Synapse's password no longer opens the superuser", async () => {
    const unshare = requireNamespaces()
    const initdb = requireTool('initdb')
    const pgbin = dirname(initdb)
    const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' })
    if (id('-u').status !== 0) throw new Error('the `postgres` OS user is missing: run `apt-get install postgresql`.')
    const owner = { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) }
    // The containers run as the postgres OS user here, so that the secrets belong to the user the server runs as.
    const spec = parseDeploymentSpec({
      serverName: 'example.org',
      containerUser: owner,
      tls: { letsEncrypt: { email: 'admin@example.org' } },
    })
    const work = mkdtempSync(join(tmpdir(), 'ms-pg-upgrade-'))
    try {
      chmodSync(work, 0o755)
      for (const file of renderAll(spec)) {
        mkdirSync(join(work, 'bundle', dirname(file.path)), { recursive: true })
        writeFileSync(join(work, 'bundle', file.path), file.content, { mode: file.mode })
      }
      mkdirSync(join(work, 'bin'))
      writeFileSync(join(work, 'bin/docker'), FAKE_DOCKER, { mode: 0o755 })
      for (const dir of ['run', 'data', 'logs']) mkdirSync(join(work, dir))
      spawnSync('chown', [`${owner.uid}:${owner.gid}`, join(work, 'run'), join(work, 'data'), join(work, 'logs')])
      copyFileSync(join(import.meta.dirname, 'support/postgres-init-single-secret.sh'), join(work, 'old-init.sh'))

      // The secrets folder as the previous messenger-stack left it: no synapse_database_password,
      // and synapse.pgpass with the superuser's password.
      const secrets = join(work, 'bundle/secrets')
      await ensureSecretsFolder(secrets, { spec, owner })
      rmSync(join(secrets, 'synapse_database_password'))
      const superuser = readFileSync(join(secrets, 'postgres_password'), 'utf8')
      writeFileSync(join(secrets, 'synapse.pgpass'), `*:*:*:synapse:${superuser}\n`)
      copyFileSync(join(secrets, 'synapse.pgpass'), join(work, 'old-synapse.pgpass'))
      chmodSync(join(work, 'old-synapse.pgpass'), 0o644) // what the fake Synapse container still holds
      spawnSync('chown', [`${owner.uid}:${owner.gid}`, join(secrets, 'synapse.pgpass')])

      expect(runPhase(unshare, OLD_DEPLOYMENT, work, pgbin)).toEqual({ old_write: '3', old_superuser_with_synapse_pgpass: 't' })

      // `messenger-stack secrets`: the new file appears, the superuser's stays as it was.
      const report = await ensureSecretsFolder(secrets, { spec, owner })
      expect(report.files.find((f) => f.name === 'synapse_database_password')?.status).toBe('created')
      expect(readFileSync(join(secrets, 'postgres_password'), 'utf8')).toBe(superuser)
      const upgrade = runPhase(unshare, UPGRADE, work, pgbin)
      expect(upgrade).toEqual({
        deploy_1: 'ok',
        recreated_synapse_1: '1', // the running Synapse held the old pgpass
        rows_1: 'a,b,c',
        deploy_2: 'ok',
        recreated_synapse_2: '0', // nothing changed: Synapse keeps running
        rows_2: 'a,b,c',
        synapse_own_password: 'synapse',
        synapse_old_password: 'refused',
        superuser_with_synapse_password: 'refused',
        superuser_own_password: 't',
        role: 'false,false,false,false,false',
        owns: 'synapse',
        copy_to_program: 'refused: 1', // COPY ... TO PROGRAM needs a superuser (or pg_execute_server_program)
      })
      const logs = ['logs/server.log', 'deploy-1.log', 'deploy-2.log'].map((file) => readFileSync(join(work, file), 'utf8')).join('\n')
      expect(logs).not.toContain(superuser)
      expect(logs).not.toContain(readFileSync(join(secrets, 'synapse_database_password'), 'utf8'))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }, 300_000)
})
