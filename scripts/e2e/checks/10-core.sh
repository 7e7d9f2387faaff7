# shellcheck shell=bash
# Issue 3: the core exporter against real Synapse homeservers and a real Prometheus.
#
# Running alongside every check: Synapse's status API is recorded 4x a second per homeserver (status-*.jsonl) and
# the master/split exporters' /metrics 4x a second (metrics-*.jsonl); `match` compares the two over a time range.
# The order matters: 1/4/8 need the fresh homeservers' initial updates, 6 and 2 restart master, 7 reads the
# history that the others left in Prometheus.

register_checks_core() {
  add_check 1 "fresh homeserver: /metrics shows in_progress 1 and the update, items and duration Synapse reports" check_fresh_homeserver
  add_check 4 "split databases: series carry the real database names (basement, state_db)" check_split_databases
  add_check 8 "promtool check metrics: nothing to report on the real output" check_promtool
  add_check 3 "pause and resume through Synapse's API: enabled 0 then 1 within one poll interval" check_pause_resume
  add_check 5 "bad credentials/URL: up 0 and poll_errors_total{reason} forbidden, unauthorized, not_found" check_error_reasons
  add_check 6 "Synapse stopped: up 0, connect errors, values kept until stale-after then gone; restart recovers" check_stop_start
  add_check 2 "start_job populate_stats_process_rooms + regenerate_directory: updates, growth, rate, then gone" check_start_jobs
  add_check 7 "Prometheus: targets up, PromQL over the exporter's series gives the expected values" check_prometheus
  add_check 9 "secrets: no token or password in logs, /metrics, landing page or process arguments" check_secrets
}

POLL_S=$(duration_seconds "$E2E_POLL_INTERVAL")
# "Within one poll interval", measured from our side: allow the poll's own duration and our scrape loop.
WITHIN_POLL=$(python3 -c "print($POLL_S + 0.5)")

# until_matched HS EXPORTER FROM JQ_CONDITION TIMEOUT: re-runs `match` from FROM to now until its result satisfies
# JQ_CONDITION (or TIMEOUT seconds pass), then prints the last result.
until_matched() {
  local hs=$1 exp=$2 from=$3 cond=$4 timeout=$5 deadline r
  deadline=$(python3 -c "print($(now) + $timeout)")
  while :; do
    sleep 1
    r=$(match "$hs" "$exp" "$from" "$(python3 -c "print($(now) - 0.6)")")
    jq -e "$cond" >/dev/null <<<"$r" && break
    python3 -c "import sys; sys.exit(0 if $(now) < $deadline else 1)" || break
  done
  echo "$r"
}

check_fresh_homeserver() {
  local r
  r=$(until_matched master master "$E2E_T_EXPORTERS" '.exact >= 5 and (.updates | length) >= 3' 30)
  note "$(summarize_match "$r")"
  note "updates seen: $(jq -c '.updates' <<<"$r")"
  expect_json "$r" '.violations == []' "every scrape equals a status answer of the last poll interval"
  expect_json "$r" '.exact >= 5' "at least 5 scrapes equal to Synapse's answer in name, items, duration and rate"
  expect_json "$r" '.in_progress_values == [1]' "synapse_background_updates_in_progress 1 throughout"
  expect_json "$r" '.enabled_values == [1]' "synapse_background_updates_enabled 1"
  expect_json "$r" '(.updates | length) >= 2' "the update label follows Synapse from one update to the next"
}

# A fresh state store has no update queued (its schema is current), so the state_db label would never show. Queue
# two of the state store's real index updates the way Synapse's docs tell admins to re-run one (a row in its
# background_updates table), then restart the updater through the admin API (POST enabled true does that).
check_split_databases() {
  local r seen t0 out
  t0=$(now)
  hs_queue_updates split state.db state_groups_room_id_idx state_group_edges_unique_idx || { fail "could not queue state-store updates"; return 1; }
  # And one on basement, in case its initial updates are over already (400 "already in queue" if they are not).
  out=$(hs_api split admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "populate_stats_process_rooms"}')
  note "start_job on split: $out"
  out=$(hs_api split admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}')
  note "queued 2 index updates in state.db; POST enabled true: $out"
  hs_wait_status split 20 '"state_db" in s["current_updates"]' >/dev/null || fail "Synapse never ran an update on state_db"
  hs_wait_status split 30 '"state_db" not in s["current_updates"]' >/dev/null || fail "the state_db updates never finished"
  sleep 1.5
  r=$(match split split "$t0" "$(python3 -c "print($(now) - 0.6)")")
  note "$(summarize_match "$r")"
  seen=$(python3 - "$E2E_RUN/status-split.jsonl" "$t0" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps(sorted({k for r in recs if r["code"] == 200 and r["t"] >= float(sys.argv[2])
                         for k in r["body"]["current_updates"]})))
EOF
)
  note "databases in Synapse's status answers meanwhile: $seen"
  expect_json "$r" '.violations == []' "every scrape equals a status answer of the last poll interval"
  expect_json "$r" '.exact >= 3' "at least 3 scrapes equal to Synapse's answer"
  expect_json "$r" '.databases == ["basement", "state_db"]' 'database="basement" and database="state_db" (the config keys)'
  expect_json "$r" ".databases == $seen" "the database labels are exactly the keys Synapse reported"
  expect_json "$r" '.in_progress_values | index(2) != null' "in_progress 2 while both databases run an update"
}

check_promtool() {
  local e f out rc i
  for e in master split forbidden; do
    f=$E2E_RUN/promtool-$e.prom
    # master/split: lint a scrape that has per-update series, the richest output there is.
    for i in $(seq 1 20); do
      scrape "$e" "$f" || break
      [ "$e" = forbidden ] || grep -q '^synapse_background_update_items_processed{' "$f" && break
      sleep 0.25
    done
    out=$(chroot_run /usr/bin/promtool check metrics <"$f" 2>&1)
    rc=$?
    note "$e: $(grep -c '^synapse_' "$f") synapse_* samples, $(grep -c '^synapse_background_update_' "$f") per-update; promtool exit $rc${out:+: $out}"
    { [ "$rc" = 0 ] && [ -z "$out" ]; } || fail "promtool check metrics on $e's output: exit $rc ${out}"
  done
}

check_pause_resume() {
  local t0 out lat r
  wait_metric 10 master 'v == 1' synapse_background_updates_enabled >/dev/null || { fail "not enabled before the pause"; return 1; }
  t0=$(now)
  out=$(hs_api master admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": false}')
  note "pause: $out"
  [ "$out" = '200 {"enabled":false}' ] || fail "Synapse did not accept the pause"
  lat=$(wait_metric 5 master 'v == 0' synapse_background_updates_enabled) || { fail "enabled never became 0"; return 1; }
  expect_le "$lat" "$WITHIN_POLL" "enabled 0 within one poll interval"
  sleep 2 # a few paused polls: the current update must stay listed while paused
  out=$(hs_api master admin POST /_synapse/admin/v1/background_updates/enabled '{"enabled": true}')
  note "resume: $out"
  [ "$out" = '200 {"enabled":true}' ] || fail "Synapse did not accept the resume"
  lat=$(wait_metric 5 master 'v == 1' synapse_background_updates_enabled) || { fail "enabled never went back to 1"; return 1; }
  expect_le "$lat" "$WITHIN_POLL" "enabled 1 within one poll interval"
  sleep 1
  r=$(match master master "$t0" "$(python3 -c "print($(now) - 0.6)")")
  note "$(summarize_match "$r")"
  expect_json "$r" '.violations == []' "every scrape around the pause equals a status answer"
  expect_json "$r" '.enabled_values | (index(0) != null and index(1) != null)' "both 0 and 1 seen"
}

# Three extra exporters: a non-admin user's token, a token Synapse never issued, and --synapse.url with a path
# prefix Synapse does not serve. Each: up 0, its reason's counter grows, every other reason stays 0, no data series.
check_error_reasons() {
  local cases=("forbidden forbidden" "unauthorized unauthorized" "notfound not_found") c e reason f v1 v2 others
  declare -A before=()
  for c in "${cases[@]}"; do
    read -r e reason <<<"$c"
    wait_metric 10 "$e" 'v == 0' synapse_background_updates_up >/dev/null || fail "$e: up never 0"
    wait_metric 10 "$e" 'v is not None and v >= 1' synapse_background_updates_poll_errors_total reason="$reason" >/dev/null \
      || fail "$e: poll_errors_total{reason=\"$reason\"} never counted"
    before[$e]=$(metric "$e" synapse_background_updates_poll_errors_total reason="$reason")
  done
  sleep "$(python3 -c "print(2 * $POLL_S + 0.2)")"
  for c in "${cases[@]}"; do
    read -r e reason <<<"$c"
    f=$E2E_RUN/errors-$e.prom
    scrape "$e" "$f" || { fail "$e: no /metrics"; continue; }
    v1=${before[$e]:-0}
    v2=$(python3 "$E2E_PY" value "$f" synapse_background_updates_poll_errors_total reason="$reason")
    others=$(grep '^synapse_background_updates_poll_errors_total{' "$f" | grep -v "reason=\"$reason\"" | awk '$2 + 0 != 0' | tr '\n' ' ')
    note "$e: up $(python3 "$E2E_PY" value "$f" synapse_background_updates_up), $reason $v1 -> $v2, reasons listed $(grep -c '^synapse_background_updates_poll_errors_total{' "$f"), non-zero others: ${others:-none}"
    python3 -c "import sys; sys.exit(0 if float('$v2') >= float('$v1') + 1 else 1)" || fail "$e: $reason counter did not grow ($v1 -> $v2)"
    [ -z "$others" ] || fail "$e: other reasons counted: $others"
    [ "$(grep -c '^synapse_background_updates_poll_errors_total{' "$f")" = 10 ] || fail "$e: not all 10 reasons listed"
    ! grep -q '^synapse_background_update_\|^synapse_background_updates_enabled ' "$f" || fail "$e: data series without data"
  done
  [ -z "$E2E_FAIL_REASON" ]
}

check_stop_start() {
  local t_stop lat c1 c2 out gone_after stale lo hi t_up r
  stale=$(duration_seconds "$E2E_STALE_AFTER")
  wait_metric 10 master 'v == 1' synapse_background_updates_up >/dev/null || { fail "master not up before the stop"; return 1; }
  sleep 1.5 # the last good poll is now in the recorded scrapes
  hs_stop master
  t_stop=$(now)
  note "stopped Synapse master (pid gone)"
  lat=$(wait_metric 5 master 'v == 0' synapse_background_updates_up) || { fail "up never 0"; return 1; }
  expect_le "$lat" "$WITHIN_POLL" "up 0 within one poll interval"
  c1=$(metric master synapse_background_updates_poll_errors_total reason=connect)
  sleep "$(python3 -c "print(2 * $POLL_S + 0.2)")"
  c2=$(metric master synapse_background_updates_poll_errors_total reason=connect)
  note "poll_errors_total{reason=\"connect\"}: $c1 -> $c2"
  python3 -c "import sys; sys.exit(0 if float('$c2') >= float('$c1') + 1 else 1)" || fail "connect errors did not grow"
  wait_metric $((stale + 10)) master 'v is None' synapse_background_updates_enabled >/dev/null || fail "values never went stale"
  sleep 1
  out=$(python3 "$E2E_PY" outage "$E2E_RUN/metrics-master.jsonl" "$t_stop" "$(now)")
  # Staleness counts from the exporter's last good poll (its own last_poll_success_timestamp_seconds); the series
  # must go once stale-after has passed since then, at the latest one poll (plus our 0.25 s scrape period) later.
  gone_after=$(jq -r '(.first_gone_t - .last_success_ts) * 100 | round / 100' <<<"$out")
  lo=$(python3 -c "print($stale - 0.1)")
  hi=$(python3 -c "print($stale + $POLL_S + 1.0)")
  note "last good view: $(jq -c '.last_up.view' <<<"$out")"
  note "kept for $(jq '.kept' <<<"$out") scrapes; last good poll $(jq -r '(.last_success_ts - '"$t_stop"') * 100 | round / 100' <<<"$out")s from the stop; gone ${gone_after}s after it (stale-after ${stale}s)"
  expect_json "$out" '.last_up.view.updates != {}' "there were update series to keep"
  expect_json "$out" '.kept >= 4 and .kept_differs == []' "last values kept unchanged while Synapse is down"
  expect_json "$out" "$gone_after >= $lo and $gone_after <= $hi" "series gone stale-after past the last good poll ($lo..$hi s)"
  expect_json "$out" '.gone_not_empty == [] and .back_after_gone == []' "stay gone (in_progress not left behind)"
  hs_start master
  hs_wait_ready master || { fail "Synapse master did not restart"; return 1; }
  lat=$(wait_metric 10 master 'v == 1' synapse_background_updates_up) || { fail "up never back to 1"; return 1; }
  t_up=$(now)
  note "Synapse answering again; up 1 after ${lat}s"
  r=$(until_matched master master "$t_up" '.exact >= 3' 15)
  note "after restart: $(summarize_match "$r")"
  expect_json "$r" '.violations == [] and .exact >= 3' "counts follow what the restarted Synapse reports"
}

check_start_jobs() {
  local t0 out lat r names
  hs_populate master 6 6 || { fail "could not create users and rooms"; return 1; }
  note "created 6 users and 6 rooms; draining the initial updates (fast settings, then slow again)"
  hs_drain master || { fail "could not drain master's queue"; return 1; }
  wait_metric 15 master 'v == 0' synapse_background_updates_in_progress >/dev/null || { fail "exporter did not see the empty queue"; return 1; }
  t0=$(now)
  out=$(hs_api master admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "populate_stats_process_rooms"}')
  note "start_job populate_stats_process_rooms: $out"
  [ "$out" = "200 {}" ] || fail "start_job populate_stats_process_rooms refused"
  out=$(hs_api master admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "regenerate_directory"}')
  note "start_job regenerate_directory: $out"
  [ "$out" = "200 {}" ] || fail "start_job regenerate_directory refused"
  local _
  for _ in $(seq 1 240); do
    [ "$(hs_queued_updates master)" = 0 ] && break
    sleep 0.5
  done
  out=$(hs_wait_status master 10 's["current_updates"] == {}') || { fail "jobs did not finish"; return 1; }
  note "Synapse now reports: $out ($(python3 -c "print(round($(now) - $t0, 1))")s after start_job)"
  lat=$(wait_metric 5 master 'v == 0' synapse_background_updates_in_progress) || fail "in_progress never 0"
  expect_le "$lat" "$WITHIN_POLL" "in_progress 0 within one poll interval"
  scrape master "$E2E_RUN/after-jobs.prom"
  ! grep -q '^synapse_background_update_' "$E2E_RUN/after-jobs.prom" || fail "per-update series left after {}"
  sleep 1
  r=$(match master master "$t0" "$(python3 -c "print($(now) - 0.6)")")
  note "$(summarize_match "$r")"
  note "items_processed as seen: $(jq -c '.history' <<<"$r")"
  names='["populate_stats_process_rooms","populate_user_directory_createtables","populate_user_directory_process_rooms","populate_user_directory_process_users","populate_user_directory_cleanup"]'
  expect_json "$r" '.violations == []' "every scrape equals a status answer of the last poll interval"
  expect_json "$r" "$names - .updates == []" "all five queued updates appeared with their update label"
  expect_json "$r" '.history["master/populate_stats_process_rooms"] as $h | ($h | length) >= 3 and $h == ($h | sort)' \
    "populate_stats_process_rooms: items_processed grows (0, then more, never back)"
  expect_json "$r" '.history["master/populate_user_directory_process_users"] as $h | ($h | length) >= 2 and $h == ($h | sort)' \
    "populate_user_directory_process_users: items_processed grows"
  expect_json "$r" '.rate_absent_on_null >= 1 and .rate_present >= 1' \
    "items_per_second absent while Synapse's rate is null, present (and equal) once it is not"
}

check_prometheus() {
  local out direct wait_s
  # The range queries below look 30 s back: make sure the exporters have been scraped that long (run alone).
  wait_s=$(python3 -c "print(max(0.0, $E2E_T_EXPORTERS + 32 - $(now)))")
  sleep "$wait_s"
  out=$(prom_targets | jq -c '[.data.activeTargets[] | {exporter: .labels.exporter, health, lastError}]')
  note "targets: $out"
  expect_json "$out" 'length == 5 and all(.health == "up")' "all 5 exporter targets up in Prometheus"
  out=$(promql 'synapse_background_updates_up' | jq -c 'map({(.metric.exporter): .value[1]}) | add')
  note "synapse_background_updates_up: $out"
  expect_json "$out" '. == {"master":"1","split":"1","forbidden":"0","unauthorized":"0","notfound":"0"}' \
    "synapse_background_updates_up per exporter"
  out=$(promql 'synapse_bgu_exporter_build_info{exporter="master"}' | jq -c '.[0].metric | {version, revision, java_version}')
  scrape master "$E2E_RUN/build-info.prom"
  direct=$(python3 "$E2E_PY" labels "$E2E_RUN/build-info.prom" synapse_bgu_exporter_build_info)
  note "build_info via Prometheus: $out; on /metrics: $direct"
  expect_json "$out" ".version != null and . == $direct" "build_info labels as on /metrics"
  out=$(promql_value 'rate(synapse_background_updates_polls_total{exporter="split"}[20s])')
  note "rate(polls_total[20s]) on split: $out per second (poll interval ${POLL_S}s)"
  expect_json "$out" ". >= 0.6 / $POLL_S and . <= 1.2 / $POLL_S" "one poll per interval"
  out=$(promql_value 'increase(synapse_background_updates_poll_errors_total{exporter="forbidden",reason="forbidden"}[30s])')
  note "increase(poll_errors_total{reason=forbidden}[30s]) on forbidden: $out"
  expect_json "$out" ". >= 15 / $POLL_S" "forbidden errors counted in Prometheus"
  check_prometheus_history
}

# What Prometheus stored equals what the exporter served: per update label, the largest item count in a time
# window must lie between the largest value the exporter showed for 2 s or more inside the window (Prometheus scrapes
# once a second, so it cannot miss those) and the largest it showed at all, around the window (our scrapes and
# Prometheus' are not simultaneous: 2 s of margin). Windows: the run's slow-update periods (hs_drain's fast period is
# left out: its states last milliseconds, shorter than any scrape interval).
check_prometheus_history() {
  local windows=() w from to inner outer theirs diff total=0 first
  first=$(head -n 1 "$E2E_RUN/metrics-master.jsonl" | jq '.t + 2.5')
  if [ -n "${HS_DRAIN_FROM[master]:-}" ]; then
    windows=("$first:${HS_DRAIN_FROM[master]}" "${HS_DRAIN_TO[master]}:$(now)")
  else
    windows=("$first:$(now)")
  fi
  for w in "${windows[@]}"; do
    from=${w%%:*}
    to=${w#*:}
    inner=$(python3 "$E2E_PY" longest "$E2E_RUN/metrics-master.jsonl" "$(python3 -c "print($from + 1)")" "$(python3 -c "print($to - 1)")" 2.0)
    outer=$(python3 "$E2E_PY" longest "$E2E_RUN/metrics-master.jsonl" "$(python3 -c "print($from - 2)")" "$(python3 -c "print($to + 2)")" 2.0)
    theirs=$(promql "max_over_time(synapse_background_update_items_processed{exporter=\"master\"}[$(python3 -c "print(int(($to - $from) * 1000))")ms] @ $to)" \
      | jq -c 'map({(.metric.database + "/" + .metric.update): (.value[1] | tonumber)}) | add // {}')
    diff=$(jq -n --argjson i "$inner" --argjson o "$outer" --argjson p "$theirs" '
      [($p | to_entries[]) | select($o[.key] == null or .value > $o[.key].max_any)
       | "\(.key): Prometheus max \(.value), exporter showed at most \($o[.key].max_any)"] +
      [($i | to_entries[]) | select(.value.max_long != null) | select($p[.key] == null or $p[.key] < .value.max_long)
       | "\(.key): Prometheus max \($p[.key]), exporter showed \(.value.max_long) for 2s+"]')
    note "window of $(python3 -c "print(round($to - $from))")s: $(jq length <<<"$inner") update labels on /metrics, $(jq length <<<"$theirs") in Prometheus; mismatches: $diff"
    expect_json "$diff" '. == []' "max_over_time(items_processed) per update label agrees with the exporter"
    total=$((total + $(jq length <<<"$theirs")))
  done
  expect_json "$total" '. >= 1' "the comparison is not vacuous ($total update labels in Prometheus)"
  local paused expected=1
  # Whether the exporter ever served enabled 0 (check 3 pauses), as our own scrapes saw it.
  grep -q 'synapse_background_updates_enabled 0' "$E2E_RUN/metrics-master.jsonl" && expected=0
  paused=$(promql_value 'min_over_time(synapse_background_updates_enabled{exporter="master"}[1h])')
  note "min_over_time(enabled[1h]) on master: $paused (expected $expected: a pause was served or not)"
  expect_json "$paused" ". == $expected" "Prometheus' history of enabled matches what was served"
}

check_secrets() {
  local secrets=() f s where hits=0 e p
  for f in "$E2E_SECRETS"/*.token "$E2E_SECRETS"/*.password; do secrets+=("$(cat "$f")"); done
  mkdir -p "$E2E_RUN/secret-scan"
  for e in "${!EXP_URL[@]}"; do
    curl -fsS --max-time 5 "${EXP_URL[$e]}/metrics" >"$E2E_RUN/secret-scan/$e.metrics" 2>&1
    curl -fsS --max-time 5 "${EXP_URL[$e]}/" >"$E2E_RUN/secret-scan/$e.landing" 2>&1
    p=${EXP_PID[$e]}
    tr '\0' ' ' <"/proc/$p/cmdline" >"$E2E_RUN/secret-scan/$e.cmdline" 2>/dev/null
  done
  where=("$E2E_RUN"/secret-scan/* "$E2E_RUN"/exporter-*.log "$E2E_RUN"/metrics-*.jsonl)
  for s in "${secrets[@]}"; do
    [ ${#s} -ge 8 ] || continue
    if grep -lF -- "$s" "${where[@]}" >"$E2E_RUN/secret-scan.hits" 2>/dev/null; then
      hits=$((hits + 1))
      note "a secret appears in: $(tr '\n' ' ' <"$E2E_RUN/secret-scan.hits")"
    fi
  done
  note "searched ${#secrets[@]} secrets (tokens, passwords) in ${#where[@]} files: exporter logs (debug level), /metrics, landing pages, command lines"
  [ "$hits" = 0 ] || fail "$hits secrets leaked"
}
