# shellcheck shell=bash
# Issue 13: the optional sources (Synapse's metrics listener, its database) against the real Synapses: the queue on
# /metrics equals the real background_updates tables, the updater state equals Synapse's own metric, and `wait`
# with a database is done the moment the tables are empty.
#
# The exporters master, split and pg have both sources (e2e.sh: exporter_source_flags); plain watches master with
# the admin API alone. These checks run after 30-cli.sh, when split's startup updates are over (cli-1), and use
# split (SQLite, two databases, slow updates) and pg (PostgreSQL, fast updates), which nothing after them touches.
# Each pauses the updater through Synapse's admin API before `start_job regenerate_directory`, so the queue stands
# still while the exporter and the table are compared; then resumes and follows the queue until it is empty.

register_checks_queue() {
  add_check src-1 "optional sources: source_up 1, updater_state as Synapse's own metric says; plain: admin API alone" check_src_health
  add_check src-2 "SQLite (split): queue on /metrics = the tables during regenerate_directory; wait --database.url 0 at once" check_src_queue_sqlite
  add_check src-3 "PostgreSQL (pg): queue on /metrics = the table; the README's role reads, cannot write; wait 0 at once" check_src_queue_pg
  add_check src-4 "PostgreSQL (pg): a real index build of Synapse's shows on /metrics as pg_stat_progress_create_index has it" check_src_index_build
}

POLL_S=$(duration_seconds "$E2E_POLL_INTERVAL")
WITHIN_POLL=$(python3 -c "print($POLL_S + 0.5)")

# src_flags HS: the optional sources' flags for a command against HS (as its exporter has them, and the password file).
src_flags() {
  exporter_source_flags "$1"
  [ "${HS_KIND[$1]}" = postgres ] && echo "--database.password-file $E2E_SECRETS/pg-$E2E_PG_EXPORTER_ROLE.password"
  return 0
}

# src_state_name VALUE: the exporter's state label for Synapse's synapse_background_update_status value.
src_expected_states() {
  jq -c 'with_entries(.value |= {"-1": "aborted", "0": "disabled", "1": "not_started", "2": "running", "3": "complete"}[tostring])'
}

# updater_state_matches EXPORTER HS [EXPECTED_JSON]: Synapse's own metric, then the exporter's updater_state until it
# shows the same (within one poll interval), then Synapse's again; retried when Synapse changed meanwhile. With
# EXPECTED_JSON ({db: state}), Synapse must say that. Prints evidence; fails otherwise.
updater_state_matches() {
  local exp=$1 hs=$2 want=${3:-} i syn syn2 states lat
  for i in 1 2 3; do
    syn=$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[$hs]}") || { fail "$hs: Synapse's metrics listener unreadable"; return 1; }
    states=$(src_expected_states <<<"$syn")
    if [ -n "$want" ] && ! jq -e --argjson w "$want" '. == $w' >/dev/null <<<"$states"; then
      sleep 0.3
      continue
    fi
    lat=$(python3 "$E2E_PY" wait-states "${EXP_URL[$exp]}/metrics" "$WITHIN_POLL" "$states" 2>/dev/null) || lat=
    syn2=$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[$hs]}")
    [ "$syn" = "$syn2" ] && break
  done
  note "$hs: Synapse's synapse_background_update_status $syn; exporter $exp: updater_state $states ${lat:+after ${lat}s}${lat:-never seen}"
  [ -z "$want" ] || jq -e --argjson w "$want" '. == $w' >/dev/null <<<"$states" || { fail "$hs: Synapse's own metric never said $want (last $syn)"; return 1; }
  [ -n "$lat" ] || { fail "$exp: updater_state is not what Synapse's metric says within one poll interval"; return 1; }
  expect_le "$lat" "$WITHIN_POLL" "$exp: updater_state equals Synapse's metric"
}

check_src_health() {
  local e f out db s
  for e in master split pg; do
    f=$E2E_RUN/src-$e.prom
    scrape "$e" "$f" || { fail "$e: no /metrics"; continue; }
    out=$(grep '^synapse_background_updates_source_up' "$f" | tr '\n' ' ')
    note "$e: $out"
    grep -qE "^synapse_background_updates_source_up\{source=\"synapse_metrics\"\} 1(\.0)?\$" "$f" \
      || fail "$e: source_up{source=\"synapse_metrics\"} not 1"
    # The database source is polled per database and names it (one failing database leaves the others up).
    for db in $(hs_databases "$e" | cut -d' ' -f1); do
      grep -qE "^synapse_background_updates_source_up\{database=\"$db\",source=\"database\"\} 1(\.0)?\$" "$f" \
        || fail "$e: source_up{database=\"$db\",source=\"database\"} not 1"
    done
    out=$(grep '^synapse_background_updates_source_errors_total' "$f" | awk '$2 + 0 != 0' | tr '\n' ' ')
    [ -z "$out" ] || note "$e: source errors counted so far (a restart of Synapse counts connect errors): $out"
    for db in $(hs_databases "$e" | cut -d' ' -f1); do
      grep -qE "^synapse_background_updates_schema_version\{database=\"$db\"\} [0-9]" "$f" || fail "$e: no schema_version for database $db"
    done
    note "$e: schema_version $(grep '^synapse_background_updates_schema_version' "$f" | tr '\n' ' ')"
    updater_state_matches "$e" "$e"
  done
  # The path without optional sources: the same data series as the status API, none of the sources' series.
  f=$E2E_RUN/src-plain.prom
  scrape plain "$f" || { fail "plain: no /metrics"; return 1; }
  out=$(grep -cE '^synapse_background_update(s_source_|s_updater_state|s_pending|s_schema_version|_queue_position|_info|_ordering|_items_remaining|_index_build)' "$f")
  note "plain (admin API alone): up $(python3 "$E2E_PY" value "$f" synapse_background_updates_up), $out series of the optional sources"
  [ "$out" = 0 ] || fail "plain serves series of sources it was not given"
  local r
  python3 "$E2E_PY" record-metrics "${EXP_URL[plain]}/metrics" "$E2E_RUN/metrics-plain.jsonl" 0.25 &
  track metrics-recorder-plain $!
  sleep 4
  r=$(match master plain "$(python3 -c "print($(now) - 3.5)")" "$(python3 -c "print($(now) - 0.6)")")
  note "plain against master's status API: $(summarize_match "$r")"
  expect_json "$r" '.violations == [] and .scrapes >= 8' "plain's scrapes equal Synapse's status answers"
}

# src_wait_start HS OUT: `wait` with the optional sources against HS, in the background (SRC_WAIT_PID). It goes on
# through the pause (--allow-paused): only the tables decide.
SRC_WAIT_PID=
src_wait_start() {
  local hs=$1 out=$2 flags=()
  read -r -a flags <<<"$(src_flags "$hs" | tr '\n' ' ')"
  exporter_jvm_opts
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" wait --synapse.url "${HS_URL[$hs]}" \
    --synapse.token-file "$(hs_token_file "$hs" admin)" "${flags[@]}" --allow-paused --poll-interval 1s \
    --timeout 3m --progress plain >"$out" 2>&1 &
  SRC_WAIT_PID=$!
  track "src-wait-$hs" "$SRC_WAIT_PID" "$out"
}

# src_watch HS OUT TIMEOUT: reads HS's tables into OUT until they are empty (prints when; TIMEOUT 0: one read).
src_watch() {
  if [ "${HS_KIND[$1]}" = postgres ]; then
    pg_watch_empty "$2" "$3"
  else
    # shellcheck disable=SC2046
    python3 "$E2E_PY" watch-sqlite "$2" "$3" $(hs_databases "$1" | sed 's/ sqlite:/=/')
  fi
}

# src_queue_check HS EXPORTER MAIN_DB: the queue check on one homeserver (see the file's header).
src_queue_check() {
  local hs=$1 exp=$2 db=$3 out i table f cmp lat t_resume t_empty t_exit rc wout=$E2E_RUN/src-wait-$1.out watch
  for i in $(seq 1 120); do
    [ "$(hs_queued_updates "$hs")" = 0 ] && break
    [ "$i" = 1 ] && note "waiting for $hs's queue to empty"
    sleep 0.5
  done
  [ "$(hs_queued_updates "$hs")" = 0 ] || { fail "$hs's queue not empty after 60 s"; return 1; }
  wait_metric 5 "$exp" 'v == 0' synapse_background_updates_pending database="$db" >/dev/null || fail "$exp: pending not 0 on an empty table"
  out=$(hs_api "$hs" admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": false}')
  note "pause $hs: $out"
  [ "$out" = '200 {"enabled":false}' ] || { fail "Synapse did not accept the pause"; return 1; }
  updater_state_matches "$exp" "$hs" "$(hs_databases "$hs" | awk '{printf "%s\"%s\": \"disabled\"", NR > 1 ? ", " : "{", $1} END {print "}"}')"
  out=$(hs_api "$hs" admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "regenerate_directory"}')
  note "start_job regenerate_directory: $out"
  [ "$out" = "200 {}" ] || { fail "start_job refused"; return 1; }
  lat=$(wait_metric 5 "$exp" 'v == 4' synapse_background_updates_pending database="$db") || fail "$exp: pending never 4"
  [ -n "$lat" ] && expect_le "$lat" "$WITHIN_POLL" "$exp: pending 4 within one poll interval of start_job"
  # The table and /metrics at the same moment: the table before and after the scrape must agree (paused: it does).
  for i in 1 2 3; do
    table=$(hs_table "$hs")
    f=$E2E_RUN/src-queue-$hs.prom
    scrape "$exp" "$f"
    [ "$(jq -c 'del(.t)' <<<"$table")" = "$(hs_table "$hs" | jq -c 'del(.t)')" ] && break
    sleep 1
  done
  note "$hs's tables, read directly: $(jq -c 'del(.t) | map_values(map(.[0] + " ordering=" + (.[1] | tostring) + " depends_on=" + (.[2] // "")))' <<<"$table")"
  cmp=$(python3 "$E2E_PY" queue-compare "$f" "$table")
  note "exporter $exp: $(jq -c '.databases' <<<"$cmp")"
  expect_json "$cmp" '.problems == []' "pending, queue_position order, ordering and depends_on equal the tables ($(jq -c .problems <<<"$cmp"))"
  expect_json "$cmp" ".databases[\"$db\"].positions == [\"populate_user_directory_createtables\", \"populate_user_directory_process_rooms\", \"populate_user_directory_process_users\", \"populate_user_directory_cleanup\"]" \
    "queue_position 0..3 follow depends_on (createtables, process_rooms, process_users, cleanup), not the names' order"

  # wait with the database: running through the pause (rows left), done the moment the tables are empty.
  src_wait_start "$hs" "$wout"
  sleep 3
  kill -0 "$SRC_WAIT_PID" 2>/dev/null || { sed 's/^/      /' "$wout"; fail "wait exited while 4 rows were pending"; return 1; }
  note "wait still waiting after 3 s, paused with 4 rows: $(tail -n 1 "$wout")"
  watch=$E2E_RUN/src-table-$hs.jsonl
  src_watch "$hs" "$watch" 0 >/dev/null # one read of the paused queue: what the scrapes right after the resume show
  out=$(hs_api "$hs" admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}')
  t_resume=$(now)
  note "resume: $out"
  t_empty=$(src_watch "$hs" "$watch" 120)
  [ -n "$t_empty" ] || { fail "the tables never emptied"; return 1; }
  note "tables empty $(python3 -c "print(round($t_empty - $t_resume, 1))")s after the resume ($(wc -l <"$watch") reads)"
  for i in $(seq 1 100); do
    kill -0 "$SRC_WAIT_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$SRC_WAIT_PID" 2>/dev/null && { stop_pid "$SRC_WAIT_PID"; fail "wait still running 10 s after the tables emptied"; return 1; }
  wait "$SRC_WAIT_PID"
  rc=$?
  untrack "$SRC_WAIT_PID"
  t_exit=$(python3 -c "import os, sys; print(os.path.getmtime(sys.argv[1]))" "$wout")
  lat=$(python3 -c "print(round($t_exit - $t_empty, 2))")
  note "wait exited $rc ${lat}s after the table read that found them empty; output: $(grep -c 'left' "$wout") 'left' lines; last: $(tail -n 1 "$wout")"
  grep 'left' "$wout" | sed 's/^/      /'
  [ "$rc" = 0 ] || { sed 's/^/      /' "$wout"; fail "wait exited $rc, expected 0"; }
  grep -q '^Done: every background_updates table is empty' "$wout" || fail "no 'Done: every background_updates table is empty'"
  # With a database the tables are the gate: the admin API's {} between two updates (and in the last poll) is never
  # announced as "settling", and only the tables end the wait, never before they are empty.
  out=$(grep -n 'settling' "$wout" || true)
  [ -z "$out" ] || fail "wait announced settling on the admin API's {} though the tables decide ($out)"
  # Not before the tables were empty (one read at most 0.1 s late), and then within about one poll (+ JVM exit).
  expect_json "$lat" ". >= -0.15" "wait did not exit before the tables were empty"
  expect_le "$lat" "$(python3 -c "print($POLL_S + 1.0)")" "wait exited within about one poll interval of the tables emptying"
  lat=$(wait_metric 5 "$exp" 'v == 0' synapse_background_updates_pending database="$db") || fail "$exp: pending never 0"
  note "exporter: pending 0 ${lat}s after the read that found the tables empty"
  sleep 1
  out=$(python3 "$E2E_PY" pending-match "$E2E_RUN/metrics-$exp.jsonl" "$watch" "$t_resume" "$t_empty" "$WITHIN_POLL" 2>/dev/null)
  if [ -n "$out" ]; then
    note "while the queue ran: $(jq -c '{scrapes, pending_seen, violations: (.violations | length)}' <<<"$out")"
    jq -r '.violations[:5][] | "  violation: " + .' <<<"$out"
    expect_json "$out" '.violations == []' "every scrape's pending and position 0 equal a table read of the last poll interval"
  fi
  cli_no_secrets "$wout"
}

check_src_queue_sqlite() {
  src_queue_check split split basement
  local rc=$?
  hs_api split admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}' >/dev/null
  return $rc
}

check_src_queue_pg() {
  local out
  out=$(pg_psql "$E2E_PG_EXPORTER_ROLE" "$E2E_PG_DB" <<<"SELECT count(*) FROM background_updates; SELECT version FROM schema_version" 2>&1 | tr '\n' ' ')
  note "as $E2E_PG_EXPORTER_ROLE (the README's role: $(grep -c . "$E2E_RUN/pg-exporter-role.sql") statements): rows, schema version: $out"
  [[ "$out" =~ ^[0-9]+\ [0-9]+\ $ ]] || fail "the README's role cannot read the two tables"
  out=$(pg_psql "$E2E_PG_EXPORTER_ROLE" "$E2E_PG_DB" <<<"INSERT INTO background_updates (update_name, progress_json) VALUES ('x', '{}')" 2>&1)
  note "INSERT as $E2E_PG_EXPORTER_ROLE: $out"
  [[ "$out" == *"permission denied"* ]] || fail "the README's role could write"
  out=$(pg_psql bgu_admin "$E2E_PG_DB" <<<"SELECT usename, application_name, backend_type FROM pg_stat_activity WHERE usename = '$E2E_PG_EXPORTER_ROLE'" | tr '\t\n' ' |')
  note "the exporter's sessions (pg_stat_activity): $out"
  src_queue_check pg pg master
  local rc=$?
  hs_api pg admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}' >/dev/null
  return $rc
}

# A real index build of Synapse on PostgreSQL: local_media_repository_sha256_idx (one CREATE INDEX CONCURRENTLY) re-run
# the way Synapse's docs re-run an update (its row inserted again; Synapse drops and rebuilds the index) on 100,000
# media rows. The build alone takes under a second here, less than a poll: an open REPEATABLE READ transaction in the
# same database (it touches another table, so nothing locks local_media_repository) keeps it in its last phase,
# "waiting for old snapshots", for 6 s, as any long transaction of Synapse's would. Meanwhile /metrics must show
# the build under the update, as PostgreSQL's pg_stat_progress_create_index does (read here as the superuser; the
# exporter reads it as the README's role, whose pg_read_all_stats lets it see Synapse's session).
SRC_INDEX_ROWS=100000
check_src_index_build() {
  local out t0 holder i f seen=$E2E_RUN/src-index.jsonl direct=$E2E_RUN/src-index-direct.txt upd=local_media_repository_sha256_idx
  t0=$(now)
  out=$(pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" 2>&1 <<SQL
INSERT INTO local_media_repository (media_id, media_type, media_length, created_ts, user_id, sha256)
  SELECT 'e2e' || g, 'application/octet-stream', 1, g, '@admin:test.local', md5(g::text) FROM generate_series(1, $SRC_INDEX_ROWS) g;
SQL
) || { fail "could not insert media rows: $out"; return 1; }
  note "inserted $SRC_INDEX_ROWS rows into local_media_repository in $(python3 -c "print(round($(now) - $t0, 1))")s"
  pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" >/dev/null 2>&1 <<'SQL' &
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM schema_version;
SELECT pg_sleep(6);
COMMIT;
SQL
  holder=$!
  track pg-snapshot-holder "$holder"
  sleep 0.5
  pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" <<<"INSERT INTO background_updates (update_name, progress_json) VALUES ('$upd', '{}')" \
    || { fail "could not queue $upd"; return 1; }
  out=$(hs_api pg admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}')
  note "queued $upd again; POST enabled true (starts the updater): $out"
  : >"$seen"
  : >"$direct"
  for i in $(seq 1 60); do
    f=$E2E_RUN/src-index.prom
    scrape pg "$f" && grep '^synapse_background_update_index_build' "$f" | jq -Rc --arg t "$(now)" '{t: $t, line: .}' >>"$seen"
    pg_psql bgu_admin "$E2E_PG_DB" <<<"SELECT phase, blocks_done, blocks_total, tuples_done, tuples_total FROM pg_stat_progress_create_index" \
      | sed "s/^/$(now) /" >>"$direct"
    [ "$(hs_queued_updates pg)" = 0 ] && break
    sleep 0.25
  done
  wait "$holder" 2>/dev/null
  untrack "$holder"
  note "pg_stat_progress_create_index, read directly: phases $(cut -d' ' -f2- "$direct" | cut -f1 | sort | uniq -c | tr -s ' \n' ' ')"
  note "exporter pg: $(grep -c . "$seen") index-build samples; phases $(jq -r .line "$seen" | grep -o 'phase="[^"]*"' | sort | uniq -c | tr -s ' \n' ' ')"
  jq -r .line "$seen" | grep '_info{' | tail -n 1 | sed 's/^/      /'
  [ "$(hs_queued_updates pg)" = 0 ] || fail "$upd never finished"
  jq -r .line "$seen" | grep -q "^synapse_background_update_index_build_info{.*update=\"$upd\"" \
    || { fail "the exporter never showed the index build under $upd"; return 1; }
  expect_json "$(jq -r .line "$seen" | grep '_info{' | grep -c 'index="local_media_repository_sha256".*table="local_media_repository"\|table="local_media_repository".*index="local_media_repository_sha256"')" \
    '. >= 1' "index_build_info names the index and the table"
  wait_for 5 "the index build series to go" src_no_index_series || fail "index build series left after the build"
}

src_no_index_series() { ! curl -fsS --max-time 5 "${EXP_URL[pg]}/metrics" | grep -q '^synapse_background_update_index_build'; }
