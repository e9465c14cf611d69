import { describe, expect, it } from 'vitest'
import { parseDeploymentSpec, resourceSettings, synapseWorkers } from '@messenger-stack/config-schema'
import { postgresConfValue, postgresSettingsModel, renderPostgresConf, renderPostgresHba, renderPostgresInit } from '../src/postgres.js'
import { EXAMPLES, exampleSpec, shellcheck } from './_bundle-support.js'
import { runRenderedCluster } from './_postgres-cluster.js'

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

/** The checks on the cluster (see _postgres-cluster.ts): what Synapse checks at start-up. */
const CHECKS = `
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
    const { status, report, context, logs } = runRenderedCluster(
      exampleSpec('standalone'),
      { synapse_database_password: `${TEST_PASSWORD}\n` },
      CHECKS,
    )
    expect(status, context).toBe(0)
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
    expect(logs).not.toContain(TEST_PASSWORD)
  }, 300_000)
})
