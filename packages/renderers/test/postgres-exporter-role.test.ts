// postgres_exporter's role on a real PostgreSQL: the rendered init script (run twice, as the
// image and then every deploy run it) creates a login role that is a member of pg_monitor and
// nothing more, whose password is secrets/postgres_exporter_password, and which the rendered
// pg_hba.conf lets into the maintenance database only. As in postgres.test.ts,
// the server runs as the `postgres` OS user in private mount and network namespaces.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderPostgresConf, renderPostgresHba, renderPostgresInit } from '../src/postgres.js'
import { exampleSpec, requireNamespaces, requireTool } from './_bundle-support.js'

const EXPORTER_PASSWORD = 'test-only-exporter-password-0123'

const DRIVER = String.raw`
set -euo pipefail
work="$1"; pgbin="$2"
export PATH="$pgbin:$PATH"
ip link set lo up
mkdir -p /secrets /etc/postgresql
mount --bind "$work/secrets" /secrets
mount --bind "$work/etc" /etc/postgresql
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
stop() { as_pg timeout 60 pg_ctl -D "$work/data" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop EXIT
as_pg timeout 120 initdb -D "$work/data" -U postgres --pwfile="$work/superuser_password" -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
as_pg timeout 90 pg_ctl -D "$work/data" -w -t 60 -l "$work/server.log" \
  -o "-c config_file=/etc/postgresql/postgresql.conf -c unix_socket_directories=$work/run" start >/dev/null
superuser_env=(env POSTGRES_USER=postgres POSTGRES_DB=postgres PGPASSWORD="$(cat "$work/superuser_password")" PGHOST="$work/run")
for run in 1 2; do
  as_pg "${'$'}{superuser_env[@]}" timeout 60 sh "$work/init.sh" >"$work/init-$run.log" 2>&1 || { echo "init_run_$run=failed"; cat "$work/init-$run.log"; exit 1; }
  echo "init_run_$run=ok"
done
su_psql() { as_pg "${'$'}{superuser_env[@]}" timeout 30 psql -X -At -d postgres "$@"; }
echo "role=$(su_psql -c "SELECT rolsuper || ',' || rolcanlogin || ',' || rolcreatedb || ',' || rolcreaterole || ',' || pg_has_role('postgres_exporter', 'pg_monitor', 'member') FROM pg_roles WHERE rolname='postgres_exporter'")"
echo "memberships=$(su_psql -c "SELECT string_agg(b.rolname, ',' ORDER BY b.rolname) FROM pg_auth_members m JOIN pg_roles a ON a.oid = m.member JOIN pg_roles b ON b.oid = m.roleid WHERE a.rolname = 'postgres_exporter'")"
as_exporter() { timeout 30 psql -X -At -w -h 127.0.0.1 -U postgres_exporter "$@" 2>/dev/null || echo refused; }
echo "stats=$(PGPASSWORD="$(cat "$work/secrets/postgres_exporter_password")" as_exporter -d postgres -c "SELECT count(*) > 0 FROM pg_stat_database WHERE datname = 'synapse'")"
echo "settings=$(PGPASSWORD="$(cat "$work/secrets/postgres_exporter_password")" as_exporter -d postgres -c "SELECT setting FROM pg_settings WHERE name = 'data_directory'" | sed 's|.*/||')"
echo "connect_synapse=$(PGPASSWORD="$(cat "$work/secrets/postgres_exporter_password")" as_exporter -d synapse -c 'SELECT 1')"
echo "write_synapse=$(PGPASSWORD="$(cat "$work/secrets/postgres_exporter_password")" as_exporter -d synapse -c 'CREATE TABLE exporter_was_here ()')"
echo "wrong_password=$(PGPASSWORD=wrong-test-password as_exporter -d postgres -c 'SELECT 1')"
`

describe("postgres_exporter's role on a real server", () => {
  it('is a login member of pg_monitor only, with the password of its own secret file', () => {
    const unshare = requireNamespaces()
    const initdb = requireTool('initdb')
    const pgbin = initdb.slice(0, initdb.lastIndexOf('/'))
    const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    if (pgUser.status !== 0) throw new Error('the `postgres` OS user is missing: run `apt-get install postgresql`.')
    const uid = Number(pgUser.stdout.trim())
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
    const spec = exampleSpec('monitoring')
    expect(spec.monitoring?.postgresExporter).toBe(true)
    const work = mkdtempSync(join(tmpdir(), 'ms-postgres-exporter-'))
    try {
      chmodSync(work, 0o755)
      for (const dir of ['secrets', 'etc', 'run']) mkdirSync(join(work, dir))
      writeFileSync(join(work, 'secrets/synapse_database_password'), 'test-only-synapse-password-0123\n', { mode: 0o600 })
      writeFileSync(join(work, 'secrets/postgres_exporter_password'), `${EXPORTER_PASSWORD}\n`, { mode: 0o600 })
      writeFileSync(join(work, 'superuser_password'), 'test-only-superuser-password\n', { mode: 0o600 })
      writeFileSync(join(work, 'etc/postgresql.conf'), renderPostgresConf(spec))
      writeFileSync(join(work, 'etc/pg_hba.conf'), renderPostgresHba(spec))
      writeFileSync(join(work, 'init.sh'), renderPostgresInit(spec), { mode: 0o755 })
      for (const path of [
        'secrets',
        'secrets/synapse_database_password',
        'secrets/postgres_exporter_password',
        'superuser_password',
        'run',
        '.',
      ])
        chownSync(join(work, path), uid, gid)
      const result = spawnSync(unshare, ['-m', '-n', 'bash', '-c', DRIVER, 'driver', work, pgbin], { encoding: 'utf8', timeout: 240_000 })
      const report = Object.fromEntries(
        result.stdout
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      )
      const context = `${result.stdout}\n${result.stderr}`
      expect(result.status, context).toBe(0)
      expect(report, context).toEqual({
        init_run_1: 'ok',
        init_run_2: 'ok',
        // not a superuser, can log in, cannot create databases or roles, member of pg_monitor
        role: 'false,true,false,false,true',
        memberships: 'pg_monitor',
        stats: 't',
        // pg_monitor may read every setting (pg_read_all_settings)
        settings: 'data',
        // pg_hba.conf: the maintenance database only, never a session in Synapse's
        connect_synapse: 'refused',
        write_synapse: 'refused',
        wrong_password: 'refused',
      })
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }, 300_000)
})
