// postgres_exporter's role on a real PostgreSQL: the rendered init script (run twice, as the
// image and then every deploy run it) creates a login role that is a member of pg_monitor and
// nothing more, whose password is secrets/postgres_exporter_password, and which the rendered
// pg_hba.conf lets into the maintenance database only. As in postgres.test.ts,
// the server runs as the `postgres` OS user in private mount and network namespaces.
import { describe, expect, it } from 'vitest'
import { exampleSpec } from './_bundle-support.js'
import { runRenderedCluster } from './_postgres-cluster.js'

const EXPORTER_PASSWORD = 'test-only-exporter-password-0123'

/** The checks on the cluster (see _postgres-cluster.ts). */
const CHECKS = `
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
    const spec = exampleSpec('monitoring')
    expect(spec.monitoring?.postgresExporter).toBe(true)
    const { status, report, context } = runRenderedCluster(
      spec,
      {
        synapse_database_password: 'test-only-synapse-password-0123\n',
        postgres_exporter_password: `${EXPORTER_PASSWORD}\n`,
      },
      CHECKS,
    )
    expect(status, context).toBe(0)
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
  }, 300_000)
})
