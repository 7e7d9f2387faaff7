#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the database-source tests (src/test/.../source/database) and
# prints the environment they read, as `export` lines:  eval "$(bash scripts/ci/postgres.sh)"
# Idempotent: a server this script started earlier and still running is reused. Installs Debian's
# `postgresql` package when no PostgreSQL binaries are found (as root).
#   BGU_TEST_PG_URL            postgresql://bgu_admin@127.0.0.1:PORT/postgres (a superuser)
#   BGU_TEST_PG_PASSWORD_FILE  its password, in a file (never in the URL)
#   BGU_TEST_PG_DATA           the data directory, BGU_TEST_PG_BIN the binaries, BGU_TEST_PG_OS_USER
#                              the OS user owning them: the tests restart the server with pg_ctl
set -euo pipefail
dir=${BGU_TEST_PG_DIR:-/tmp/synapse-bgu-exporter-pg}
port=${BGU_TEST_PG_PORT:-55432}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ]; then
  echo "postgres.sh: installing Debian's postgresql" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# The server refuses to run as root: as root it runs as the postgres user the package made.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  os_user=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  os_user=$(id -un)
  as_owner() { "$@"; }
fi

mkdir -p "$dir"
chown "$os_user" "$dir" 2>/dev/null || true
pwfile=$dir/admin.password
data=$dir/data
if [ ! -s "$data/PG_VERSION" ]; then
  rm -rf "$data"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile.tmp"
  chmod 600 "$pwfile.tmp"
  chown "$os_user" "$pwfile.tmp" 2>/dev/null || true
  as_owner "$bin/initdb" -D "$data" -U bgu_admin --pwfile="$pwfile.tmp" --auth=scram-sha-256 \
    -E UTF8 --locale=C >&2
  mv "$pwfile.tmp" "$pwfile"
  cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
fi
if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start </dev/null >&2
fi
chmod 644 "$pwfile" # read by the test JVM, which may run as another user than the server
cat <<ENV
export BGU_TEST_PG_URL='postgresql://bgu_admin@127.0.0.1:$port/postgres'
export BGU_TEST_PG_PASSWORD_FILE='$pwfile'
export BGU_TEST_PG_DATA='$data'
export BGU_TEST_PG_BIN='$bin'
export BGU_TEST_PG_OS_USER='$os_user'
ENV
