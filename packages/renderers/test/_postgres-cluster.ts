// A real PostgreSQL cluster running the rendered files, shared by the tests that need one
// (postgres.test.ts, postgres-exporter-role.test.ts): initdb a temp cluster as the unprivileged
// `postgres` OS user, start it with the rendered postgresql.conf and pg_hba.conf (bind-mounted
// over /etc/postgresql in a private mount namespace), and run the rendered init script as the
// postgres image would (twice). A private network namespace keeps port 5432 and
// listen_addresses '*' away from the host. The namespace needs a /secrets mount point: it is
// created on the host if missing (an empty root-owned folder) and left in place.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DeploymentSpec } from '@messenger-stack/config-schema'
import { renderPostgresConf, renderPostgresHba, renderPostgresInit } from '../src/postgres.js'
import { requireNamespaces, requireTool } from './_bundle-support.js'

/**
 * The start of every driver script: the cluster up, the init script run twice (each run prints
 * `init_run_N=ok`), and `as_pg`/`su_psql` defined for the checks that follow. Arguments: the
 * work folder and the PostgreSQL bin folder.
 */
const PRELUDE = String.raw`
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
`

/** What a driver printed as `key=value` lines, its exit status, all its output, and the server's logs. */
export interface ClusterRun {
  readonly status: number | null
  readonly report: Record<string, string>
  readonly context: string
  readonly logs: string
}

/**
 * Runs `checks` (bash, printing `key=value` lines) against a cluster started from the spec's
 * rendered files, with `secrets` (file name → content) in its secrets folder, owned by `postgres`.
 */
export function runRenderedCluster(spec: DeploymentSpec, secrets: Readonly<Record<string, string>>, checks: string): ClusterRun {
  const unshare = requireNamespaces()
  const initdb = requireTool('initdb')
  const pgbin = initdb.slice(0, initdb.lastIndexOf('/'))
  const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  if (pgUser.status !== 0) throw new Error('the `postgres` OS user is missing: run `apt-get install postgresql`.')
  const uid = Number(pgUser.stdout.trim())
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
  const work = mkdtempSync(join(tmpdir(), 'ms-postgres-'))
  try {
    chmodSync(work, 0o755)
    for (const dir of ['secrets', 'etc', 'run']) mkdirSync(join(work, dir))
    for (const [name, content] of Object.entries(secrets)) writeFileSync(join(work, 'secrets', name), content, { mode: 0o600 })
    writeFileSync(join(work, 'superuser_password'), 'test-only-superuser-password\n', { mode: 0o600 })
    writeFileSync(join(work, 'etc/postgresql.conf'), renderPostgresConf(spec))
    writeFileSync(join(work, 'etc/pg_hba.conf'), renderPostgresHba(spec))
    writeFileSync(join(work, 'init.sh'), renderPostgresInit(spec), { mode: 0o755 })
    for (const path of ['secrets', ...Object.keys(secrets).map((name) => `secrets/${name}`), 'superuser_password', 'run', '.'])
      chownSync(join(work, path), uid, gid)
    const driver = `${PRELUDE}${checks}`
    const result = spawnSync(unshare, ['-m', '-n', 'bash', '-c', driver, 'driver', work, pgbin], { encoding: 'utf8', timeout: 240_000 })
    const report = Object.fromEntries(
      result.stdout
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    )
    const logs = ['server.log', 'init-1.log', 'init-2.log']
      .map((file) => {
        try {
          return readFileSync(join(work, file), 'utf8')
        } catch {
          return ''
        }
      })
      .join('\n')
    return { status: result.status, report, context: `${result.stdout}\n${result.stderr}`, logs }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
