# shellcheck shell=bash
# Issue 13: a REAL aborted updater in the real Synapse master, and the three questions of the issue answered on it.
#
# How it is provoked: a row in background_updates whose update_name has no handler in Synapse. Synapse's
# run_background_updates counts every exception of do_next_background_update; the missing handler raises a KeyError
# at once, five times back to back, and the updater aborts ("5 back-to-back background update failures; aborting.")
# until Synapse restarts. The row sorts before regenerate_directory's four (ORDER BY ordering, update_name), so
# start_job regenerate_directory both starts the updater and queues four updates behind the failing one.
#
# Prometheus loads a copy of alerts/synapse-bgu-exporter.rules.yml in which only SynapseBackgroundUpdatesAborted's
# `for:` is shortened from 2m to 10s (generated from the real file by e2e.py rule-for, which checks that nothing
# else differs): the suite would otherwise wait two minutes for it.
#
# abort-1 leaves master aborted; abort-2 answers the three questions (target/e2e/three-questions.txt), then
# recovers: the row deleted, Synapse restarted, the four updates run, and `wait` says done at once.

ABORT_UPDATE=bgu_e2e_update_without_handler
ABORT_FOR=10s
ABORT_T=
TQ_FILE=target/e2e/three-questions.txt

prepare_checks_abort() {
  mkdir -p "$E2E_RUN/rules-short-for"
  python3 "$E2E_PY" rule-for alerts/synapse-bgu-exporter.rules.yml "$E2E_RUN/rules-short-for/synapse-bgu-exporter.rules.yml" \
    SynapseBackgroundUpdatesAborted "$ABORT_FOR" || return 1
  PROM_RULE_FILES+=("$E2E_RUN/rules-short-for/synapse-bgu-exporter.rules.yml")
}

register_checks_abort() {
  add_check abort-1 "a real aborted updater (master): Synapse's log, aborted within one poll, status, wait exit 5, alert fires" check_abort
  add_check abort-2 "the three questions on the real Synapse (target/e2e/three-questions.txt); recovery leaves aborted" check_three_questions
}

# abort_cmd HS COMMAND [ARGS...]: status or wait with master's optional sources (token by file).
abort_cmd() {
  local hs=$1 cmd=$2 flags=()
  shift 2
  read -r -a flags <<<"$(src_flags "$hs" | tr '\n' ' ')"
  cli_cmd "$hs" "$cmd" "${flags[@]}" "$@"
}

# synapse_log_wait HS TIMEOUT FIXED_STRING: Synapse flushes its log about every 5 s: wait for the line, with a deadline.
synapse_log_wait() {
  local f=${HS_DIR[$1]}/homeserver.log deadline
  deadline=$(python3 -c "print($(now) + $2)")
  until grep -qF -- "$3" "$f" 2>/dev/null; do
    python3 -c "import sys; sys.exit(0 if $(now) < $deadline else 1)" || return 1
    sleep 0.2
  done
  grep -F -- "$3" "$f" | tail -n 1
}

check_abort() {
  local i out t0 t_abort lat st f rc t_cmd secs fired pend first_firing
  for i in $(seq 1 180); do
    [ "$(hs_queued_updates master)" = 0 ] && break
    [ "$i" = 1 ] && note "waiting for master's queue (the jobs of earlier checks) to empty"
    sleep 0.5
  done
  [ "$(hs_queued_updates master)" = 0 ] || { fail "master's queue not empty after 90 s"; return 1; }
  [ "$(synapse_enabled master)" = true ] || hs_api master admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}' >/dev/null
  updater_state_matches master master
  t0=$(now)
  hs_queue_updates master homeserver.db "$ABORT_UPDATE" || { fail "could not insert the row"; return 1; }
  out=$(hs_api master admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "regenerate_directory"}')
  note "inserted a row '$ABORT_UPDATE' (no handler in Synapse); start_job regenerate_directory: $out"
  [ "$out" = "200 {}" ] || { fail "start_job refused"; return 1; }
  # Synapse's own metric says -1 (aborted): that moment is the reference.
  for i in $(seq 1 200); do
    [ "$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[master]}" | jq '.master')" = -1 ] && break
    sleep 0.1
  done
  t_abort=$(now)
  [ "$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[master]}" | jq '.master')" = -1 ] || { fail "Synapse's updater never aborted"; return 1; }
  ABORT_T=$t_abort
  note "Synapse's synapse_background_update_status{database_name=\"master\"} -1 $(python3 -c "print(round($t_abort - $t0, 2))")s after start_job"
  lat=$(python3 "$E2E_PY" wait-states "${EXP_URL[master]}/metrics" 5 '{"master": "aborted"}') || { fail "exporter never showed aborted"; return 1; }
  expect_le "$lat" "$WITHIN_POLL" "exporter master: updater_state{state=\"aborted\"} 1 within one poll interval"
  out=$(synapse_log_wait master 20 "5 back-to-back background update failures; aborting.") || fail "no 'aborting' line in Synapse's log within 20 s"
  note "Synapse's log: ${out:0:200}"
  note "Synapse's log: $(grep -c "Error doing update: '$ABORT_UPDATE'" "${HS_DIR[master]}/homeserver.log") lines 'Error doing update: '$ABORT_UPDATE''"
  out=$(hs_api master admin GET /_synapse/admin/v1/background_updates/status)
  note "Synapse's status API meanwhile: $out"
  expect_json "${out#200 }" ".current_updates.master.name == \"$ABORT_UPDATE\" and .current_updates.master.total_item_count == 0" \
    "the status API keeps naming the failed update with 0 items (looks like a long index build)"
  wait_metric 5 master 'v == 5' synapse_background_updates_pending database=master >/dev/null || fail "exporter: pending not 5"
  f=$E2E_RUN/abort.prom
  scrape master "$f"
  expect_json "$(python3 "$E2E_PY" value "$f" synapse_background_update_queue_position database=master update="$ABORT_UPDATE" || echo null)" \
    '. == 0' "the failed update at queue_position 0, four more behind it"

  # status: the updater state, in the table and in JSON.
  st=$(abort_cmd master status --output json 2>"$E2E_RUN/abort-status.err")
  note "status --output json: $(jq -c '{updater_states, queues: [.queues[]? | {database, pending, head: .updates[0].update}]}' <<<"$st")"
  expect_json "$st" '.updater_states.master == "aborted"' "status --output json: updater_states.master aborted"
  expect_json "$st" ".queues[0].pending == 5 and .queues[0].updates[0].update == \"$ABORT_UPDATE\"" "status --output json: 5 pending, the failed one first"
  out=$(abort_cmd master status 2>&1)
  grep -qi 'aborted' <<<"$out" || fail "status (table) does not say aborted"
  note "status: $(grep -i 'aborted' <<<"$out" | head -n 2 | tr '\n' '|')"

  # wait: exit 5 at once (the JVM's start, one poll), with its advice.
  t_cmd=$(now)
  out=$(abort_cmd master wait --poll-interval 1s --timeout 2m --progress plain 2>&1)
  rc=$?
  secs=$(python3 -c "print(round($(now) - $t_cmd, 2))")
  note "wait: exit $rc after ${secs}s: $(tail -n 1 <<<"$out")"
  [ "$rc" = 5 ] || { sed 's/^/      /' <<<"$out"; fail "wait exited $rc, expected 5"; }
  grep -q 'ABORTED on database master' <<<"$out" && grep -q 'restart Synapse' <<<"$out" || fail "wait's summary lacks the advice"
  expect_le "$secs" 8 "wait exits at once (JVM start plus the first poll)"
  printf '%s\n' "$out" >"$E2E_RUN/abort-wait.out"

  # The alert in the real Prometheus: pending, then firing once the (shortened) for has passed.
  fired=
  for i in $(seq 1 120); do
    out=$(promql 'ALERTS{alertname="SynapseBackgroundUpdatesAborted",exporter="master",alertstate="firing"}')
    if [ "$(jq length <<<"$out")" = 1 ]; then fired=$(now); break; fi
    sleep 0.5
  done
  [ -n "$fired" ] || { fail "SynapseBackgroundUpdatesAborted never fired within 60 s"; return 1; }
  out=$(curl -fsS --max-time 5 "$PROM_URL/api/v1/alerts" | jq -c '[.data.alerts[] | select(.labels.alertname == "SynapseBackgroundUpdatesAborted") | {state, labels: (.labels | {database, exporter, severity}), activeAt}]')
  note "/api/v1/alerts: $out"
  expect_json "$out" 'any(.[]; .state == "firing" and .labels.exporter == "master" and .labels.database == "master" and .labels.severity == "critical")' \
    "firing for exporter master, database master, severity critical"
  # activeAt: when the rule first matched (pending). Within a scrape and an evaluation (1 s each) of the exporter's
  # aborted; firing not before activeAt + for (Prometheus' own history, asked for that instant).
  pend=$(iso_epoch "$(jq -r '.[] | select(.labels.exporter == "master") | .activeAt' <<<"$out" | head -n 1)")
  note "ALERTS: pending $(python3 -c "print(round($pend - $t_abort, 1))")s after Synapse aborted; observed firing $(python3 -c "print(round($fired - $t_abort, 1))")s after (for: $ABORT_FOR in the copy, 2m in the real file)"
  expect_le "$(python3 -c "print(round($pend - $t_abort, 2))")" "$(python3 -c "print($POLL_S + 3)")" "pending within a poll, a scrape and an evaluation of the abort (and slack)"
  first_firing=$(curl -fsS --max-time 5 "$PROM_URL/api/v1/query" --data-urlencode 'query=ALERTS{alertname="SynapseBackgroundUpdatesAborted",exporter="master",alertstate="firing"}' \
    --data-urlencode "time=$(python3 -c "print($pend + $(duration_seconds "$ABORT_FOR") - 1.5)")" | jq '.data.result | length')
  expect_json "$first_firing" '. == 0' "not firing 1.5 s before activeAt + for (Prometheus' history at that instant)"
  cli_no_secrets "$E2E_RUN/abort-wait.out" "$E2E_RUN/abort-status.err"
}

# tq CMD...: one command of the transcript: the command line as typed (token by file: nothing secret), then its
# output and exit code, run by bash -c in a clean environment (the exporter reads SYNAPSE_*, DATABASE_* variables).
tq() {
  local rc
  printf '\n$ %s\n' "$*" >>"$TQ_FILE"
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} bash -c "$*" >>"$TQ_FILE" 2>&1
  rc=$?
  printf '[exit %s]\n' "$rc" >>"$TQ_FILE"
  return $rc
}

check_three_questions() {
  local flags jar url tok metrics out rc i t_up t_empty t_exit
  [ "$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[master]}" | jq '.master')" = -1 ] || { fail "needs abort-1's aborted updater on master"; return 1; }
  mkdir -p "$(dirname "$TQ_FILE")"
  jar="java -jar $E2E_JAR"
  url=${HS_URL[master]}
  tok=$(hs_token_file master admin)
  flags="--synapse.metrics-url ${HS_METRICS_URL[master]} --database.url sqlite:${HS_DIR[master]}/homeserver.db"
  metrics="curl -s ${EXP_URL[master]}/metrics"
  {
    echo "# Issue 13's three questions, answered on a real Synapse $(synapse_version) (SQLite, homeserver master of the e2e run"
    echo "# $E2E_RUN_ID, $(date -u +%FT%TZ)). Synapse's updater was made to abort first (abort-1: a queued update without a"
    echo "# handler, then start_job regenerate_directory). The token travels in a file; no secret is printed."
    echo
    echo "## 1. How much is left?"
  } >"$TQ_FILE"
  tq "$jar status --synapse.url $url --synapse.token-file $tok $flags"
  tq "$metrics | grep -E '^synapse_background_update(s_pending|_queue_position|_info)'"
  echo -e "\n## 2. Did the updater die?" >>"$TQ_FILE"
  tq "$metrics | grep -E '^synapse_background_updates_updater_state'"
  tq "$jar status --synapse.url $url --synapse.token-file $tok $flags --output json | jq -c .updater_states"
  echo -e "\n## 3. Is it safe to upgrade? Not now:" >>"$TQ_FILE"
  tq "$jar wait --synapse.url $url --synapse.token-file $tok $flags --poll-interval 1s --timeout 10m --progress plain"
  rc=$?
  [ "$rc" = 5 ] || fail "wait in the aborted state exited $rc, expected 5"

  # Recovery, as the runbook says: the failing update's cause fixed (here: its row deleted), Synapse restarted.
  {
    echo
    echo "## Recovery: the failing row deleted, Synapse restarted; the four queued updates run, then wait says done"
    echo "\$ sqlite3 ${HS_DIR[master]}/homeserver.db \"DELETE FROM background_updates WHERE update_name = '$ABORT_UPDATE'\""
  } >>"$TQ_FILE"
  chroot_run /usr/bin/python3 - "${HS_DIR_IN[master]}/homeserver.db" "$ABORT_UPDATE" <<'EOF' >>"$TQ_FILE" 2>&1 || fail "could not delete the row"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=10)
with con:
    n = con.execute("DELETE FROM background_updates WHERE update_name = ?", (sys.argv[2],)).rowcount
print(f"[{n} row deleted]")
EOF
  echo "\$ systemctl restart matrix-synapse   # here: the harness restarts the e2e Synapse" >>"$TQ_FILE"
  local c0 c1
  c0=$(metric master synapse_background_updates_source_errors_total source=synapse_metrics reason=connect)
  hs_restart master || { fail "Synapse master did not restart"; return 1; }
  t_up=$(now)
  # While Synapse was down its metrics listener was too: the source's own health says so, the admin API's is apart.
  c1=$(metric master synapse_background_updates_source_errors_total source=synapse_metrics reason=connect)
  note "source_errors_total{source=\"synapse_metrics\",reason=\"connect\"} over the restart: $c0 -> $c1"
  python3 -c "import sys; sys.exit(0 if float('$c1') > float('$c0') else 1)" || fail "no connect error of the metrics source while Synapse was down"
  wait_metric 5 master 'v == 1' synapse_background_updates_source_up source=synapse_metrics >/dev/null \
    || fail "source_up{source=\"synapse_metrics\"} not back to 1 after the restart"
  out=$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[master]}")
  note "after the restart, Synapse's own metric: $out"
  expect_json "$out" '.master != -1' "Synapse's updater no longer aborted after the restart"
  local states
  states=$(src_expected_states <<<"$out")
  if [ "$(jq -r .master <<<"$states")" != aborted ]; then
    out=$(python3 "$E2E_PY" wait-states "${EXP_URL[master]}/metrics" 5 "$states" 2>&1) || out=
    note "exporter master: updater_state $states ${out:+after ${out}s}"
  fi
  wait_metric 5 master 'v == 0' synapse_background_updates_updater_state database=master state=aborted >/dev/null \
    || fail "exporter master still shows aborted after the restart"
  tq "$jar wait --synapse.url $url --synapse.token-file $tok $flags --poll-interval 1s --timeout 10m --progress plain"
  rc=$?
  t_exit=$(now)
  note "wait after the recovery: exit $rc $(python3 -c "print(round($t_exit - $t_up, 1))")s after Synapse answered again"
  [ "$rc" = 0 ] || fail "wait after the recovery exited $rc, expected 0"
  [ "$(hs_queued_updates master)" = 0 ] || fail "wait said done with rows left in master's table"
  tq "$metrics | grep -E '^synapse_background_updates_(pending|updater_state)'"
  # The alert resolves once the exporter no longer says aborted.
  for i in $(seq 1 40); do
    [ "$(promql 'ALERTS{alertname="SynapseBackgroundUpdatesAborted",exporter="master",alertstate="firing"}' | jq length)" = 0 ] && break
    sleep 0.5
  done
  [ "$(promql 'ALERTS{alertname="SynapseBackgroundUpdatesAborted",exporter="master",alertstate="firing"}' | jq length)" = 0 ] \
    || fail "SynapseBackgroundUpdatesAborted still firing 20 s after the recovery"
  note "transcript: $TQ_FILE ($(wc -l <"$TQ_FILE") lines); the alert resolved"
  sed 's/^/      | /' "$TQ_FILE"
  cli_no_secrets "$TQ_FILE"
}
