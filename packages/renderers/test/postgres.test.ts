import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDeploymentSpec, resourceSettings, synapseWorkers } from '@messenger-stack/config-schema'
import { postgresConfValue, postgresSettingsModel, renderPostgresConf, renderPostgresHba, renderPostgresInit } from '../src/postgres.js'
import { EXAMPLES, exampleSpec, requireNamespaces, requireTool, shellcheck } from './_bundle-support.js'

// A test value, not a real secret: quotes, `$`, backticks and `;` prove psql's quoting.
const TEST_PASSWORD = `test-only-pw'"$HOME\`id\`;\\x`

describe.each(EXAMPLES)('PostgreSQL files for %s', (name) => {
  const spec = exampleSpec(name)

  it('match the golden files', async () => {
    await expect(renderPostgresInit(spec)).toMatchFileSnapshot(`golden/${name}/postgres/init/10-synapse-database.sh`)
    await expect(renderPostgresConf(spec)).toMatchFileSnapshot(`golden/${name}/postgres/postgresql.conf`)
    await expect(renderPostgresHba(spec)).toMatchFileSnapshot(`golden/${name}/postgres/pg_hba.conf`)
  })

  it('init script is shellcheck-clean POSIX sh', () => {
    expect(shellcheck(renderPostgresInit(spec), 'sh')).toBe('')
  })

  it('postgresql.conf carries the profile memory settings', () => {
    const conf = renderPostgresConf(spec)
    const profiles: Partial<Record<string, readonly [string, string, number]>> = {
      small: ['128MB', '384MB', 30],
      medium: ['512MB', '1536MB', 50],
      large: ['2048MB', '6144MB', 100],
    }
    const memory = profiles[spec.resources]
    if (memory === undefined) throw new Error(`pin the memory settings of the ${spec.resources} profile here`)
    expect(conf).toContain(`shared_buffers = '${memory[0]}'`)
    expect(conf).toContain(`effective_cache_size = '${memory[1]}'`)
    // Every Synapse worker adds a full connection pool of its own to the profile's number.
    const workers = synapseWorkers(spec).length * resourceSettings(spec.resources).synapseDbPool.max
    expect(conf).toContain(`max_connections = ${memory[2] + workers}\n`)
    expect(conf).toContain("password_encryption = 'scram-sha-256'")
  })
})

describe('postgresql.conf', () => {
  it('merges extraSettings last, sorted, replacing settings of the same name', () => {
    const spec = parseDeploymentSpec({
      serverName: 'example.org',
      tls: { letsEncrypt: { email: 'a@example.org' } },
      postgres: { extraSettings: { work_mem: '32MB', random_page_cost: 1.1, jit: false } },
    })
    const keys = [...postgresSettingsModel(spec).keys()]
    expect(keys.slice(-2)).toEqual(['jit', 'random_page_cost'])
    const conf = renderPostgresConf(spec)
    expect(conf).toContain("work_mem = '32MB'\n")
    expect(conf).not.toContain("work_mem = '4MB'")
    expect(conf).toContain('jit = off\nrandom_page_cost = 1.1\n')
  })

  it('quotes values so they cannot leave their setting', () => {
    expect(postgresConfValue("it's")).toBe("'it''s'")
    expect(postgresConfValue('a\\b')).toBe("'a\\\\b'")
    expect(postgresConfValue(true)).toBe('on')
    expect(postgresConfValue(42)).toBe('42')
  })

  it('pg_hba.conf trusts nobody', () => {
    const rules = renderPostgresHba(exampleSpec('standalone'))
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
    expect(rules).toHaveLength(2)
    for (const rule of rules) expect(rule).toMatch(/ scram-sha-256$/)
  })
})

// The real server: initdb a temp cluster as the unprivileged `postgres` OS user, start it with
// the rendered postgresql.conf and pg_hba.conf (bind-mounted over /etc/postgresql in a
// private mount namespace), run the rendered init script as the postgres image would (twice),
// then check what Synapse checks at start-up. A private network namespace keeps port 5432 and
// listen_addresses '*' away from the host. The namespace needs a /secrets mount point: it is
// created on the host if missing (an empty root-owned folder) and left in place.
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
echo "locale=$(su_psql -c "SELECT datcollate || ',' || datctype || ',' || pg_encoding_to_char(encoding) || ',' || pg_get_userbyid(datdba) FROM pg_database WHERE datname='synapse'")"
echo "role=$(su_psql -c "SELECT rolsuper || ',' || rolcanlogin || ',' || rolcreatedb || ',' || rolcreaterole FROM pg_roles WHERE rolname='synapse'")"
echo "hba=$(su_psql -c "SHOW hba_file")"
echo "shared_buffers=$(su_psql -c "SHOW shared_buffers")"
login() { timeout 30 psql -X -At -w -h 127.0.0.1 -U synapse -d synapse -c 'SELECT current_user || current_database()' 2>/dev/null || echo refused; }
echo "login_password=$(PGPASSWORD="$(cat "$work/secrets/synapse_database_password")" login)"
echo "login_wrong=$(PGPASSWORD=wrong-test-password login)"
echo "login_none=$(PGPASSWORD= login)"
# Synapse's password is not the superuser's: it does not open the postgres login.
echo "superuser_with_synapse_password=$(PGPASSWORD="$(cat "$work/secrets/synapse_database_password")" timeout 30 psql -X -At -w -h 127.0.0.1 -U postgres -d postgres -c 'SELECT 1' 2>/dev/null || echo refused)"
echo "socket_none=$(PGPASSWORD= as_pg timeout 30 psql -X -At -w -h "$work/run" -U postgres -d postgres -c 'SELECT 1' 2>/dev/null || echo refused)"
`

describe('the rendered PostgreSQL files on a real server', () => {
  it('create a UTF8/C database and a login role that needs its password', () => {
    const unshare = requireNamespaces()
    const initdb = requireTool('initdb')
    const pgbin = initdb.slice(0, initdb.lastIndexOf('/'))
    const pgUser = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    if (pgUser.status !== 0) throw new Error('the `postgres` OS user is missing: run `apt-get install postgresql`.')
    const uid = Number(pgUser.stdout.trim())
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim())
    const spec = exampleSpec('standalone')
    const work = mkdtempSync(join(tmpdir(), 'ms-postgres-'))
    try {
      chmodSync(work, 0o755)
      for (const dir of ['secrets', 'etc', 'run']) mkdirSync(join(work, dir))
      writeFileSync(join(work, 'secrets/synapse_database_password'), `${TEST_PASSWORD}\n`, { mode: 0o600 })
      writeFileSync(join(work, 'superuser_password'), 'test-only-superuser-password\n', { mode: 0o600 })
      writeFileSync(join(work, 'etc/postgresql.conf'), renderPostgresConf(spec))
      writeFileSync(join(work, 'etc/pg_hba.conf'), renderPostgresHba(spec))
      writeFileSync(join(work, 'init.sh'), renderPostgresInit(spec), { mode: 0o755 })
      for (const path of ['secrets', 'secrets/synapse_database_password', 'superuser_password', 'run', '.'])
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
        locale: 'C,C,UTF8,synapse',
        role: 'false,true,false,false',
        hba: '/etc/postgresql/pg_hba.conf',
        shared_buffers: '128MB',
        login_password: 'synapsesynapse',
        login_wrong: 'refused',
        login_none: 'refused',
        superuser_with_synapse_password: 'refused',
        socket_none: 'refused',
      })
      const logs = ['server.log', 'init-1.log', 'init-2.log'].map((file) => readFileSync(join(work, file), 'utf8')).join('\n')
      expect(logs).not.toContain(TEST_PASSWORD)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }, 300_000)
})
