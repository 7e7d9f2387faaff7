# shellcheck shell=bash
# The PostgreSQL server of the third homeserver (`pg`, Synapse with `database: name: psycopg2`): Debian's postgresql
# on the host, started by scripts/ci/postgres.sh with a directory and port of its own (not the unit tests' server on
# 55432, which those tests restart), reached by Synapse in the chroot over 127.0.0.1.
#
# Roles: the superuser bgu_admin of postgres.sh; `synapse_e2e`, owner of the database `synapse` (UTF8, C collation,
# template0: what Synapse requires); `synapse_bgu_exporter`, created with exactly the statements of the README's
# security section (read from the README, password filled in), which is all the exporter gets. Every password lives
# in a mode-600 file (a .pgpass for psql and Synapse, a one-line file for the exporter), never in an argument.
# Needs: common.sh; E2E_SECRETS.

E2E_PG_DIR=${E2E_PG_DIR:-/tmp/bgu-e2e-pg}
E2E_PG_PORT=${E2E_PG_PORT:-55433}
E2E_PG_DB=synapse # the README's role grants CONNECT ON DATABASE synapse
E2E_PG_SYNAPSE_ROLE=synapse_e2e
E2E_PG_EXPORTER_ROLE=synapse_bgu_exporter
PG_BIN=
PG_PASSFILE=

# pg_start: the server (started now, or reused when a run left it up), locked for this run: the database and the
# roles are recreated by each run, so two runs at once would break each other.
pg_start() {
  local env fd started=0
  mkdir -p "$E2E_PG_DIR"
  exec {fd}>"$E2E_PG_DIR.lock"
  flock -n "$fd" || {
    log "waiting for $E2E_PG_DIR.lock: another e2e run uses the PostgreSQL server"
    flock -w 900 "$fd" || fatal "could not lock $E2E_PG_DIR.lock within 15 min"
  }
  if [ -s "$E2E_PG_DIR/data/PG_VERSION" ] && [ -n "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null)" ] \
    && runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "$E2E_PG_DIR/data" status >/dev/null 2>&1; then
    log "PostgreSQL on port $E2E_PG_PORT already running: reusing it"
  else
    started=1
  fi
  env=$(BGU_TEST_PG_DIR=$E2E_PG_DIR BGU_TEST_PG_PORT=$E2E_PG_PORT bash scripts/ci/postgres.sh 2>"$E2E_RUN/postgres-start.log") || {
    cat "$E2E_RUN/postgres-start.log" >&2
    fatal "scripts/ci/postgres.sh could not start PostgreSQL on port $E2E_PG_PORT"
  }
  PG_BIN=$(sed -n "s/^export BGU_TEST_PG_BIN='\(.*\)'$/\1/p" <<<"$env")
  E2E_LOGS[postgresql]=$E2E_PG_DIR/server.log
  # Stopped again at the end when this run started it (by its data directory: pg_ctl stop, never a kill by name).
  [ "$started" = 1 ] && on_cleanup "runuser -u postgres -- '$PG_BIN/pg_ctl' -D '$E2E_PG_DIR/data' -m fast -w stop >/dev/null 2>&1"
  # The superuser's password, copied into this run's secrets (so the secret scans look for it too).
  cp "$E2E_PG_DIR/admin.password" "$E2E_SECRETS/pg-bgu_admin.password"
  local r
  for r in "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_EXPORTER_ROLE"; do
    python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$E2E_SECRETS/pg-$r.password"
  done
  PG_PASSFILE=$E2E_SECRETS/pgpass
  for r in bgu_admin "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_EXPORTER_ROLE"; do
    printf '127.0.0.1:%s:*:%s:%s\n' "$E2E_PG_PORT" "$r" "$(cat "$E2E_SECRETS/pg-$r.password")"
  done >"$PG_PASSFILE"
  # Synapse's own passfile (libpq's `passfile` connection parameter, inside the chroot): its line only.
  grep ":$E2E_PG_SYNAPSE_ROLE:" "$PG_PASSFILE" >"$E2E_SECRETS/pgpass-synapse"
}

# pg_psql USER DB [psql options...]: SQL on stdin, unaligned tab-separated rows on stdout; fails on the first error.
pg_psql() {
  local user=$1 db=$2
  shift 2
  env -i PATH="$PATH" PGPASSFILE="$PG_PASSFILE" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -A -t -F $'\t' \
    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$E2E_PG_PORT" -U "$user" -d "$db" "$@"
}

# pg_create_database: a fresh `synapse` database owned by Synapse's role (the previous run's dropped).
pg_create_database() {
  pg_psql bgu_admin postgres <<SQL || fatal "could not create the database $E2E_PG_DB"
DROP DATABASE IF EXISTS $E2E_PG_DB WITH (FORCE);
DROP ROLE IF EXISTS $E2E_PG_EXPORTER_ROLE;
DROP ROLE IF EXISTS $E2E_PG_SYNAPSE_ROLE;
CREATE ROLE $E2E_PG_SYNAPSE_ROLE LOGIN PASSWORD '$(cat "$E2E_SECRETS/pg-$E2E_PG_SYNAPSE_ROLE.password")';
CREATE DATABASE $E2E_PG_DB OWNER $E2E_PG_SYNAPSE_ROLE ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
SQL
}

# pg_readme_role_sql: the README's read-only role, verbatim, with the generated password for 'CHANGE-ME'.
pg_readme_role_sql() {
  python3 - README.md "$E2E_SECRETS/pg-$E2E_PG_EXPORTER_ROLE.password" <<'EOF'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
security = readme[readme.index("\n## Security\n"):]
block = re.search(r"```sql\n(.*?)```", security, re.S)
if not block or "CREATE ROLE synapse_bgu_exporter" not in block.group(1) or block.group(1).count("'CHANGE-ME'") != 1:
    sys.exit("README: the security section has no ```sql block creating synapse_bgu_exporter with 'CHANGE-ME'")
password = open(sys.argv[2], encoding="utf-8").read().strip()
print(block.group(1).replace("'CHANGE-ME'", "'" + password.replace("'", "''") + "'"), end="")
EOF
}

# pg_create_exporter_role: runs the README's statements as the superuser in Synapse's database (its tables must
# exist: after Synapse's first start). Prints the statements run, password masked.
pg_create_exporter_role() {
  local sql
  sql=$(pg_readme_role_sql) || return 1
  pg_psql bgu_admin "$E2E_PG_DB" <<<"$sql" || return 1
  sed "s/PASSWORD '[^']*'/PASSWORD '***'/" <<<"$sql" | grep -v '^--' >"$E2E_RUN/pg-exporter-role.sql"
}

pg_version() { pg_psql bgu_admin postgres <<<"SHOW server_version" 2>/dev/null; }

# pg_watch_empty OUT TIMEOUT: reads Synapse's background_updates table about 10x a second into OUT (JSON lines as
# e2e.py watch-sqlite writes them, the time from the server's clock on this host) until it is empty; prints when.
pg_watch_empty() {
  local out=$1 deadline line
  deadline=$(($(date +%s) + $2))
  while :; do # at least one read (TIMEOUT 0: exactly one)
    line=$(pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" <<'SQL'
SELECT json_build_object('t', extract(epoch FROM clock_timestamp()), 'tables', json_build_object('master',
  coalesce(json_agg(json_build_array(update_name, ordering, depends_on) ORDER BY ordering, update_name), '[]')))
FROM background_updates
SQL
) || return 1
    echo "$line" >>"$out"
    if jq -e '.tables.master == []' >/dev/null <<<"$line"; then
      jq -r .t <<<"$line"
      return 0
    fi
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
  return 1
}
