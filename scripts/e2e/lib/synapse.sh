# shellcheck shell=bash
# Real Synapse homeservers inside the chroot, each with its own data dir and port on 127.0.0.1.
# Needs: common.sh, chroot.sh; E2E_RUN (host path of this run's dir inside the chroot), E2E_RUN_IN (same, as the
# chroot sees it), E2E_SECRETS (mode-700 dir), E2E_PY (the e2e.py helper).

declare -A HS_DRAIN_FROM=() HS_DRAIN_TO=() # when hs_drain ran fast updates (states too short to compare)
declare -A HS_KIND=() HS_PORT=() HS_URL=() HS_PID=() HS_DIR=() HS_DIR_IN=() HS_RESTARTS=()
declare -A HS_METRICS_PORT=() HS_METRICS_URL=()

# Slow background updates so that each state lasts ~2 s and can be watched (shared doc, step 4).
# (Python literals: they are spliced into hs_edit_config's code.)
HS_SLOW_UPDATES="{'background_update_duration_ms': 50, 'sleep_enabled': True, 'sleep_duration_ms': 2000,
  'min_batch_size': 1, 'default_batch_size': 1}"
HS_FAST_UPDATES="{'sleep_enabled': False}"

# A clean environment inside the chroot (the host's PYTHON*, JAVA_* etc. mean nothing there). The prefix is an
# array, not a function, so that `"${CHROOT_CMD[@]}" prog &` leaves prog's own pid in $! (chroot and env exec).
chroot_cmd() { CHROOT_CMD=(chroot "$E2E_CHROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8); }
chroot_run() { chroot_cmd && "${CHROOT_CMD[@]}" "$@"; }

# hs_define NAME single|split|postgres PORT METRICS_PORT: names, dirs and URLs (in this shell, so that later calls
# see them). single: one SQLite database; split: two (basement, state_db); postgres: PostgreSQL (postgres.sh).
# Every homeserver has Synapse's metrics listener (enable_metrics, a listener of type metrics) on METRICS_PORT.
hs_define() {
  local name=$1
  HS_KIND[$name]=$2
  HS_DIR[$name]=$E2E_RUN/$name
  HS_DIR_IN[$name]=$E2E_RUN_IN/$name
  HS_PORT[$name]=$3
  HS_URL[$name]=http://127.0.0.1:$3
  HS_METRICS_PORT[$name]=$4
  HS_METRICS_URL[$name]=http://127.0.0.1:$4/_synapse/metrics
  HS_RESTARTS[$name]=0
  mkdir -p "${HS_DIR[$name]}"
}

# hs_generate NAME: the config from Synapse's own generator, then edited (may run in the background).
hs_generate() {
  local name=$1 dir_in=${HS_DIR_IN[$1]}
  chroot_run /bin/sh -c "cd '$dir_in' && python3 -m synapse.app.homeserver --server-name test.local \
      --config-path '$dir_in/homeserver.yaml' --data-directory '$dir_in' --generate-config --report-stats=no" \
    >"${HS_DIR[$name]}/generate.log" 2>&1 || {
    cat "${HS_DIR[$name]}/generate.log" >&2
    log "synapse --generate-config failed for $name"
    return 1
  }
  hs_edit_config "$name" "
c['listeners'] = [{'port': ${HS_PORT[$name]}, 'bind_addresses': ['127.0.0.1'], 'type': 'http', 'tls': False,
                   'x_forwarded': False, 'resources': [{'names': ['client'], 'compress': False}]},
                  {'port': ${HS_METRICS_PORT[$name]}, 'bind_addresses': ['127.0.0.1'], 'type': 'metrics'}]
c['enable_metrics'] = True
c['trusted_key_servers'] = []
c['suppress_key_server_warning'] = True
c['presence'] = {'enabled': False}
c['bcrypt_rounds'] = 4  # registration and login hash passwords: keep them cheap on 2 cores
c['background_updates'] = $HS_SLOW_UPDATES
# Generous rate limits: the harness logs in, creates rooms and users in bursts.
fast = {'per_second': 1000, 'burst_count': 1000}
for k in ('rc_message', 'rc_registration', 'rc_room_creation', 'rc_joins', 'rc_invites', 'rc_admin_redaction'):
    c[k] = fast
c['rc_login'] = {'address': fast, 'account': fast, 'failed_attempts': fast}
if '${HS_KIND[$name]}' == 'split':
    # Two SQLite databases: the status API reports each under its key here.
    del c['database']
    c['databases'] = {
        'basement': {'name': 'sqlite3', 'data_stores': ['main'], 'args': {'database': '$dir_in/basement.db'}},
        'state_db': {'name': 'sqlite3', 'data_stores': ['state'], 'args': {'database': '$dir_in/state.db'}},
    }
if '${HS_KIND[$name]}' == 'postgres':
    # libpq's passfile (a connection parameter Synapse hands to psycopg2 as is): no password in this file.
    c['database'] = {'name': 'psycopg2', 'args': {
        'user': '${E2E_PG_SYNAPSE_ROLE:-}', 'database': '${E2E_PG_DB:-}', 'host': '127.0.0.1', 'port': ${E2E_PG_PORT:-0},
        'passfile': '$E2E_SECRETS_IN/pgpass-synapse', 'cp_min': 1, 'cp_max': 5}}
    # Full speed: its ~40 startup updates are over within the setup, and its checks pause the updater anyway.
    c['background_updates'] = $HS_FAST_UPDATES
"
}

# hs_edit_config NAME PYTHON: runs PYTHON with the parsed config as `c`, writes it back.
hs_edit_config() {
  local name=$1 code=$2
  chroot_run /usr/bin/python3 -c "
import yaml
p = '${HS_DIR_IN[$name]}/homeserver.yaml'
c = yaml.safe_load(open(p))
$code
yaml.safe_dump(c, open(p, 'w'), sort_keys=False)
" || { log "editing the config of $name failed"; return 1; }
}

hs_start() {
  local name=$1 logf
  HS_RESTARTS[$name]=$((HS_RESTARTS[$name] + 1))
  logf=${HS_DIR[$name]}/stdout.log
  chroot_cmd
  "${CHROOT_CMD[@]}" /usr/bin/python3 -m synapse.app.homeserver -c "${HS_DIR_IN[$name]}/homeserver.yaml" >>"$logf" 2>&1 &
  HS_PID[$name]=$!
  track "synapse-$name" "$!" "${HS_DIR[$name]}/homeserver.log"
  E2E_LOGS["synapse-$name-stdout"]=$logf
  # The recorders' status requests (4 a second) would push everything else out of the printed tail.
  E2E_LOG_SKIP["synapse-$name"]='synapse\.access\.http.*GET /_synapse/admin/v1/background_updates/status'

}

hs_wait_ready() {
  local name=$1
  wait_for 90 "synapse $name to answer" http_ok "${HS_URL[$name]}/_matrix/client/versions" \
    || { kill -0 "${HS_PID[$name]}" 2>/dev/null || log "synapse $name exited"; return 1; }
}

hs_stop() {
  local name=$1
  [ -n "${HS_PID[$name]:-}" ] && stop_pid "${HS_PID[$name]}"
  HS_PID[$name]=
}

hs_restart() { hs_stop "$1" && hs_start "$1" && hs_wait_ready "$1"; }

# hs_register NAME USER admin|user: Synapse's own registration tool; the password goes through a file.
hs_register() {
  local name=$1 user=$2 role=$3 flag=--no-admin
  [ "$role" = admin ] && flag=--admin
  python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$E2E_SECRETS/$name-$user.password"
  chroot_run /usr/bin/synapse_register_new_matrix_user -c "${HS_DIR_IN[$name]}/homeserver.yaml" -u "$user" \
    --password-file "$E2E_SECRETS_IN/$name-$user.password" "$flag" "${HS_URL[$name]}" \
    >"${HS_DIR[$name]}/register-$user.log" 2>&1 || {
    cat "${HS_DIR[$name]}/register-$user.log" >&2
    return 1
  }
  # The login API gives the access token (recipe, step 6).
  python3 "$E2E_PY" login "${HS_URL[$name]}" "$user" "$E2E_SECRETS/$name-$user.password" \
    "$(hs_token_file "$name" "$user")" "$(hs_header_file "$name" "$user")"
}

hs_token_file() { echo "$E2E_SECRETS/$1-$2.token"; }
hs_header_file() { echo "$E2E_SECRETS/$1-$2.header"; }

# hs_api NAME USER METHOD PATH [JSON]: prints "CODE BODY".
hs_api() {
  local name=$1 user=$2
  shift 2
  python3 "$E2E_PY" api "${HS_URL[$name]}" "$(hs_header_file "$name" "$user")" "$@"
}

# hs_wait_status NAME TIMEOUT EXPR: waits until EXPR (Python, status JSON as `s`) holds.
hs_wait_status() {
  python3 "$E2E_PY" wait-status "${HS_URL[$1]}" "$(hs_header_file "$1" admin)" "$2" "$3"
}

# hs_populate NAME USERS ROOMS: extra users (admin API) and rooms (client API) so that jobs have items.
hs_populate() {
  local name=$1 users=$2 rooms=$3 i out
  for i in $(seq 1 "$users"); do
    out=$(hs_api "$name" admin PUT "/_synapse/admin/v2/users/@user$i:test.local" \
      "{\"displayname\": \"User $i\", \"admin\": false}")
    case "$out" in 200* | 201*) ;; *) log "creating user$i on $name failed: $out"; return 1 ;; esac
  done
  for i in $(seq 1 "$rooms"); do
    out=$(hs_api "$name" admin POST /_matrix/client/v3/createRoom \
      "{\"name\": \"room $i\", \"preset\": \"public_chat\", \"invite\": [\"@user$i:test.local\"]}")
    case "$out" in 200*) ;; *) log "creating room $i on $name failed: $out"; return 1 ;; esac
  done
}

# hs_drain NAME: lets the queued updates run at full speed until Synapse reports none, then restores the slow
# settings. Costs two restarts (~2 s each) instead of the ~2 minutes the initial updates take when slowed down.
hs_drain() {
  local name=$1 i
  HS_DRAIN_FROM[$name]=$(now)
  hs_stop "$name"
  hs_edit_config "$name" "c['background_updates'] = $HS_FAST_UPDATES" || return 1
  hs_start "$name"
  hs_wait_ready "$name" || return 1
  # {} also shows before the updater has started: the queue tables themselves must be empty.
  for i in $(seq 1 120); do
    [ "$(hs_queued_updates "$name")" = 0 ] && break
    sleep 0.5
  done
  [ "$(hs_queued_updates "$name")" = 0 ] || { log "$name still has queued updates after 60 s"; return 1; }
  hs_wait_status "$name" 30 's["current_updates"] == {}' >/dev/null || return 1
  hs_stop "$name"
  hs_edit_config "$name" "c['background_updates'] = $HS_SLOW_UPDATES" || return 1
  hs_start "$name"
  hs_wait_ready "$name" || return 1
  HS_DRAIN_TO[$name]=$(now)
}

# hs_queue_updates NAME DBFILE UPDATE...: queues registered updates by inserting rows into the database's
# background_updates table (how Synapse's docs re-run an update); Synapse picks them up when its updater restarts.
hs_queue_updates() {
  local name=$1 db=$2
  shift 2
  chroot_run /usr/bin/python3 - "${HS_DIR_IN[$name]}/$db" "$@" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=10)
with con:
    con.executemany("INSERT INTO background_updates (update_name, progress_json) VALUES (?, '{}')",
                    [(u,) for u in sys.argv[2:]])
con.close()
EOF
}

# hs_queued_updates NAME: rows left in the background_updates tables of all its databases.
hs_queued_updates() {
  if [ "${HS_KIND[$1]}" = postgres ]; then
    pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" <<<"SELECT count(*) FROM background_updates"
    return
  fi
  chroot_run /usr/bin/python3 -c "
import glob, sqlite3
n = 0
for db in glob.glob('${HS_DIR_IN[$1]}/*.db'):
    con = sqlite3.connect('file:' + db + '?mode=ro', uri=True, timeout=5)
    n += con.execute('SELECT count(*) FROM background_updates').fetchone()[0]
    con.close()
print(n)
"
}

# hs_databases NAME: the databases Synapse uses (its databases: keys) and where each lives, one per line:
# "NAME sqlite:HOST_PATH" or "NAME postgresql://USER@HOST:PORT/DB": the exporter's --database.url values.
hs_databases() {
  case "${HS_KIND[$1]}" in
    single) echo "master sqlite:${HS_DIR[$1]}/homeserver.db" ;;
    split) printf 'basement sqlite:%s/basement.db\nstate_db sqlite:%s/state.db\n' "${HS_DIR[$1]}" "${HS_DIR[$1]}" ;;
    postgres) echo "master postgresql://$E2E_PG_EXPORTER_ROLE@127.0.0.1:$E2E_PG_PORT/$E2E_PG_DB" ;;
  esac
}

# hs_table NAME: every database's background_updates table as JSON {"DB": [[update_name, ordering, depends_on,
# progress_json], ...], "t": time of the read} in Synapse's order (ORDER BY ordering, update_name), read directly:
# with sqlite3 (Python's, in the chroot, read-only) or with psql as Synapse's role.
hs_table() {
  local q="SELECT update_name, ordering, depends_on, progress_json FROM background_updates ORDER BY ordering, update_name"
  if [ "${HS_KIND[$1]}" = postgres ]; then
    pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" -c "COPY ($q) TO STDOUT WITH (FORMAT csv)" </dev/null | python3 -c '
import csv, json, sys, time
rows = [[r[0], int(r[1]), r[2] or None, r[3]] for r in csv.reader(sys.stdin)]
print(json.dumps({"master": rows, "t": time.time()}))'
    return
  fi
  # shellcheck disable=SC2046 # NAME PATH pairs
  chroot_run /usr/bin/python3 - "$q" $(hs_databases "$1" | sed "s| sqlite:$E2E_RUN| $E2E_RUN_IN|") <<'EOF'
import json, sqlite3, sys, time
out = {}
for name, path in zip(sys.argv[2::2], sys.argv[3::2]):
    con = sqlite3.connect("file:" + path + "?mode=ro", uri=True, timeout=5)
    out[name] = [list(r) for r in con.execute(sys.argv[1])]
    con.close()
out["t"] = time.time()
print(json.dumps(out))
EOF
}
