/**
 * Template of the PostgreSQL init script (POSIX sh, run by the postgres image's entrypoint
 * with POSTGRES_USER, POSTGRES_DB and PGPASSWORD set). psql reads the password file itself
 * through a backquoted `cat` in `\set`, then quotes it with `:'pw'`.
 */
export const POSTGRES_INIT_TEMPLATE = `#!/bin/sh
# Creates the role and the database Synapse uses: UTF8 encoding, C collation and ctype,
# from template0 (Synapse refuses anything else). The role's password is Synapse's own,
# never the superuser's. Runs when the postgres container initialises an empty data
# directory, and on every deploy (scripts/deploy*.sh) to set the role's password; running
# it again changes nothing but that password.
set -eu

password_file=<% passwordFile %>
role=<% role %>
database=<% database %>

if [ ! -s "$password_file" ]; then
  echo "$0: $password_file is missing or empty; run 'messenger-stack secrets' first" >&2
  exit 1
fi
if [ "\${POSTGRES_USER:-postgres}" = "$role" ]; then
  echo "$0: POSTGRES_USER must not be '$role': Synapse must not connect as the superuser" >&2
  exit 1
fi

# The quoted here-document stops the shell from expanding anything; psql runs the
# backquoted cat, so the password appears neither in argv nor in the environment.
psql --no-psqlrc -v ON_ERROR_STOP=1 \\
  --username "\${POSTGRES_USER:-postgres}" --dbname "\${POSTGRES_DB:-postgres}" \\
  -v role="$role" -v database="$database" -v password_file="$password_file" <<'SQL'
\\set pw \`cat :'password_file'\`
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS create_role \\gset
\\if :create_role
CREATE ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
\\else
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
\\endif
\\unset pw
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') AS create_database \\gset
\\if :create_database
CREATE DATABASE :"database" WITH ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0 OWNER :"role";
\\else
SELECT datcollate <> 'C' OR datctype <> 'C' OR pg_encoding_to_char(encoding) <> 'UTF8' AS wrong_locale
  FROM pg_database WHERE datname = :'database' \\gset
\\if :wrong_locale
\\echo 'The existing database' :"database" 'is not UTF8 with C collation and ctype; Synapse refuses it.'
\\echo 'Dump it, drop it and let this script create it again (see the Synapse PostgreSQL docs).'
SELECT 1 / 0 AS refuse_wrong_locale;
\\endif
ALTER DATABASE :"database" OWNER TO :"role";
\\endif
SQL
<%#exporter%>

# monitoring.postgresExporter: postgres_exporter logs in as its own role, a member of
# pg_monitor (the statistics views) and nothing else, with its own password.
exporter_password_file=<% passwordFile %>
if [ ! -s "$exporter_password_file" ]; then
  echo "$0: $exporter_password_file is missing or empty; run 'messenger-stack secrets' first" >&2
  exit 1
fi
psql --no-psqlrc -v ON_ERROR_STOP=1 \\
  --username "\${POSTGRES_USER:-postgres}" --dbname "\${POSTGRES_DB:-postgres}" \\
  -v role=<% role %> -v password_file="$exporter_password_file" <<'SQL'
\\set pw \`cat :'password_file'\`
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') AS create_role \\gset
\\if :create_role
CREATE ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw' IN ROLE pg_monitor;
\\else
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
GRANT pg_monitor TO :"role";
\\endif
\\unset pw
SQL
<%/exporter%>
`
