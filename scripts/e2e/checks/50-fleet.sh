# shellcheck shell=bash
# Issue 15: fleet mode against the real homeservers. One exporter from a fleet file (--config.file) of the suite's
# two real homeservers (master, split), plus one that is unreachable (a closed port) and one with a bad token (the
# garbage token), scraped by a second real Prometheus whose scrape job is EXACTLY the README's marked block
# ("fleet-prometheus-config": http_sd_configs on /targets, relabelled to /probe?target=NAME), with only the
# exporter's address put in. These checks run last: they start their own exporter and Prometheus on first use and
# leave the homeservers as they found them.

FLEET_DIR=
FLEET_FILE=
FLEET_URL=
FLEET_PID=
FLEET_LOG=
FLEET_PROM_URL=
FLEET_UNREACHABLE=

register_checks_fleet() {
  add_check fleet-1 "fleet file: --config.check, /targets (HTTP SD), /probe per homeserver = Synapse, 400 for unknown names, no per-homeserver series on /metrics" check_fleet_probe
  add_check fleet-2 "Prometheus with the README's http_sd_configs: one target per homeserver, instance = name, up and error reasons per target" check_fleet_prometheus
  add_check fleet-3 "reload: add/remove a homeserver by SIGHUP and by POST /-/reload; a broken file keeps the running set" check_fleet_reload
  add_check fleet-4 "wait --all with the fleet file: 0 once every homeserver is done; 3 with the unreachable and bad-token ones, named" check_fleet_wait_all
}

# fleet_write FILE NAME...: a fleet file with the named homeservers of this run.
fleet_write() {
  local file=$1 name
  shift
  {
    echo "defaults:"
    echo "  poll_interval: $E2E_POLL_INTERVAL"
    echo "  timeout: 2s"
    echo "  stale_after: $E2E_STALE_AFTER"
    echo "homeservers:"
    for name in "$@"; do
      echo "  $name:"
      case "$name" in
        master | split)
          echo "    url: ${HS_URL[$name]}"
          echo "    token_file: $(hs_token_file "$name" admin)"
          echo "    labels: {role: real}"
          ;;
        split2) # split once more under another name: what reload adds
          echo "    url: ${HS_URL[split]}"
          echo "    token_file: $(hs_token_file split admin)"
          ;;
        unreachable)
          echo "    url: http://127.0.0.1:$FLEET_UNREACHABLE"
          echo "    token_file: $(hs_token_file master admin)"
          ;;
        badtoken)
          echo "    url: ${HS_URL[master]}"
          echo "    token_file: $E2E_SECRETS/garbage.token"
          ;;
      esac
    done
  } >"$file.tmp"
  mv "$file.tmp" "$file" # one rename: the exporter never reads half a file
}

# fleet_java ARGS...: the jar as shipped, in a clean environment.
fleet_java() {
  exporter_jvm_opts
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" "$@"
}

# The README's block, the exporter's address put in, under the harness' global section (1 s scrapes).
fleet_prometheus_config() {
  python3 - README.md "127.0.0.1:${FLEET_URL##*:}" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
marker = text.index("<!-- fleet-prometheus-config")
block = re.search(r"```yaml\n(.*?)```", text[marker:], re.S).group(1)
if "exporter.example.net:9657" not in block:
    sys.exit("the README's fleet block no longer names exporter.example.net:9657")
print("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s")
print(block.replace("exporter.example.net:9657", sys.argv[2]), end="")
EOF
}

# Started on first use, so that E2E_ONLY=fleet-2 works alone too.
fleet_setup() {
  [ -n "$FLEET_PID" ] && return 0
  local port prom_port
  read -r port prom_port FLEET_UNREACHABLE < <(free_ports 3)
  FLEET_DIR=$E2E_RUN/fleet
  mkdir -p "$FLEET_DIR/prometheus/data"
  FLEET_FILE=$FLEET_DIR/fleet.yml
  FLEET_URL=http://127.0.0.1:$port
  FLEET_LOG=$FLEET_DIR/exporter.log
  fleet_write "$FLEET_FILE" master split unreachable badtoken
  exporter_jvm_opts
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" --config.file "$FLEET_FILE" --web.listen-address "127.0.0.1:$port" \
    --web.enable-lifecycle --log.level debug >"$FLEET_LOG" 2>&1 &
  FLEET_PID=$!
  track exporter-fleet "$FLEET_PID" "$FLEET_LOG"
  wait_for 60 "fleet exporter /-/healthy" http_ok "$FLEET_URL/-/healthy" || { fail "the fleet exporter did not start"; return 1; }
  fleet_prometheus_config >"$FLEET_DIR/prometheus/prometheus.yml" || { fail "no fleet block in the README"; return 1; }
  chroot_run /usr/bin/promtool check config "$E2E_RUN_IN/fleet/prometheus/prometheus.yml" >"$FLEET_DIR/promtool.log" 2>&1 \
    || { cat "$FLEET_DIR/promtool.log"; fail "promtool rejects the README's fleet config"; return 1; }
  chroot_cmd
  "${CHROOT_CMD[@]}" /usr/bin/prometheus --config.file="$E2E_RUN_IN/fleet/prometheus/prometheus.yml" \
    --storage.tsdb.path="$E2E_RUN_IN/fleet/prometheus/data" --storage.tsdb.retention.time=1h \
    --web.listen-address="127.0.0.1:$prom_port" >"$FLEET_DIR/prometheus.log" 2>&1 &
  track prometheus-fleet $! "$FLEET_DIR/prometheus.log"
  FLEET_PROM_URL=http://127.0.0.1:$prom_port
  wait_for 60 "fleet prometheus ready" http_ok "$FLEET_PROM_URL/-/ready" || { fail "the fleet Prometheus did not start"; return 1; }
  note "fleet exporter pid $FLEET_PID on $FLEET_URL (master, split, unreachable :$FLEET_UNREACHABLE, badtoken); Prometheus $FLEET_PROM_URL"
}

probe_url() { echo "$FLEET_URL/probe?target=$1"; }
# fleet_value NAME METRIC [LABEL=VALUE...]: one sample of /probe?target=NAME.
fleet_value() {
  local f
  f=$(mktemp "$FLEET_DIR/probe.XXXXXX")
  curl -fsS --max-time 5 -o "$f" "$(probe_url "$1")" || { rm -f "$f"; return 1; }
  python3 "$E2E_PY" value "$f" "${@:2}"
  local rc=$?
  rm -f "$f"
  return $rc
}
fleet_targets() { curl -fsS --max-time 5 "$FLEET_URL/targets" | jq -c '[.[].targets[]] | sort'; }
fleet_promql() { python3 "$E2E_PY" promql "$FLEET_PROM_URL" "$1"; }

check_fleet_probe() {
  local out code t0 r
  out=$(fleet_java --config.file "$E2E_RUN/nope.yml" --config.check 2>&1)
  code=$?
  note "--config.check on a missing file: exit $code: $(head -n 2 <<<"$out" | tr '\n' ' ')"
  [ "$code" = 2 ] || fail "--config.check on a missing file exited $code, expected 2"
  fleet_setup || return 1
  out=$(fleet_java --config.file "$FLEET_FILE" --config.check 2>&1)
  code=$?
  note "--config.check on the fleet file: exit $code: $(tail -n 1 <<<"$out")"
  [ "$code" = 0 ] || fail "--config.check on the fleet file exited $code, expected 0"

  out=$(curl -fsS --max-time 5 -D "$FLEET_DIR/targets.headers" "$FLEET_URL/targets")
  note "/targets: $out"
  expect_json "$out" '[.[].targets[]] | sort == ["badtoken","master","split","unreachable"]' "/targets lists the four names"
  expect_json "$out" 'map(select(.targets == ["master"]))[0].labels.role == "real"' "the file's labels come along"
  grep -qi '^content-type: application/json' "$FLEET_DIR/targets.headers" || fail "/targets is not application/json"

  for name in master split; do
    r=$(python3 "$E2E_PY" wait-metric "$(probe_url "$name")" 20 'v == 1' synapse_background_updates_up) \
      || fail "/probe?target=$name: up never 1"
    note "/probe?target=$name: up 1 after ${r}s"
  done
  r=$(python3 "$E2E_PY" wait-metric "$(probe_url unreachable)" 20 'v is not None and v >= 1' synapse_background_updates_poll_errors_total reason=connect) \
    || fail "unreachable: no connect errors counted"
  note "unreachable: poll_errors_total{reason=\"connect\"} counted after ${r}s; up $(fleet_value unreachable synapse_background_updates_up)"
  r=$(python3 "$E2E_PY" wait-metric "$(probe_url badtoken)" 20 'v is not None and v >= 1' synapse_background_updates_poll_errors_total reason=unauthorized) \
    || fail "badtoken: no unauthorized errors counted"
  note "badtoken: poll_errors_total{reason=\"unauthorized\"} counted after ${r}s; up $(fleet_value badtoken synapse_background_updates_up)"
  [ "$(fleet_value unreachable synapse_background_updates_up)" = 0 ] || fail "unreachable: up is not 0"
  [ "$(fleet_value badtoken synapse_background_updates_up)" = 0 ] || fail "badtoken: up is not 0"

  # /probe?target=master against Synapse's own answers, as check 1 does for the single exporter.
  t0=$(now)
  python3 "$E2E_PY" record-metrics "$(probe_url master)" "$E2E_RUN/metrics-fleet-master.jsonl" 0.25 &
  track metrics-recorder-fleet-master $!
  local rec=$!
  sleep 6
  stop_pid "$rec"
  r=$(match master fleet-master "$t0" "$(python3 -c "print($(now) - 0.6)")")
  note "/probe?target=master against Synapse: $(summarize_match "$r" | head -n 1)"
  expect_json "$r" '.scrapes >= 10 and (.violations | length) == 0' "every /probe answer for master equals a status answer of master"

  for q in "target=nobody" "target=" "" "target=http://127.0.0.1:$FLEET_UNREACHABLE"; do
    code=$(curl -s -o "$FLEET_DIR/probe-400.txt" -w '%{http_code}' --max-time 5 "$FLEET_URL/probe?$q")
    note "/probe?$q: $code $(head -c 120 "$FLEET_DIR/probe-400.txt" | tr '\n' ' ')"
    [ "$code" = 400 ] || fail "/probe?$q answered $code, expected 400"
  done
  curl -fsS --max-time 5 -o "$FLEET_DIR/metrics.prom" "$FLEET_URL/metrics" || fail "no /metrics"
  out=$(grep -c '^synapse_background_update_\|^synapse_background_updates_up\|target="\|homeserver="' "$FLEET_DIR/metrics.prom")
  note "/metrics: $(grep -c '^[a-z]' "$FLEET_DIR/metrics.prom") samples, $out per-homeserver; $(grep -c '^synapse_bgu_exporter_' "$FLEET_DIR/metrics.prom") of the exporter's own"
  [ "$out" = 0 ] || fail "/metrics has per-homeserver series: $(grep -m3 '^synapse_background_update_\|^synapse_background_updates_up\|target="\|homeserver="' "$FLEET_DIR/metrics.prom" | tr '\n' ' ')"
  grep -q '^synapse_bgu_exporter_config_last_reload_successful 1' "$FLEET_DIR/metrics.prom" \
    || fail "no synapse_bgu_exporter_config_last_reload_successful 1 on /metrics"
  fleet_no_secrets
  [ -z "$E2E_FAIL_REASON" ]
}

# No token of the run in the fleet exporter's log, /targets, any /probe, or its arguments.
fleet_no_secrets() {
  local f s n=0 files=("$FLEET_LOG" "$FLEET_DIR/metrics.prom")
  curl -fsS --max-time 5 -o "$FLEET_DIR/targets.json" "$FLEET_URL/targets" && files+=("$FLEET_DIR/targets.json")
  for t in master split unreachable badtoken; do
    curl -sS --max-time 5 -o "$FLEET_DIR/probe-$t.prom" "$(probe_url "$t")" && files+=("$FLEET_DIR/probe-$t.prom")
  done
  tr '\0' ' ' <"/proc/$FLEET_PID/cmdline" >"$FLEET_DIR/cmdline" 2>/dev/null && files+=("$FLEET_DIR/cmdline")
  for f in "$E2E_SECRETS"/*.token; do
    s=$(cat "$f")
    [ ${#s} -ge 8 ] || continue
    grep -qF -- "$s" "${files[@]}" && { n=$((n + 1)); note "the token of $(basename "$f") appears in $(grep -lF -- "$s" "${files[@]}" | tr '\n' ' ')"; }
  done
  [ "$n" = 0 ] && note "ok: no token in the log, /metrics, /targets, /probe or the arguments"
  [ "$n" = 0 ] || fail "$n tokens leaked"
}

check_fleet_prometheus() {
  local out i
  fleet_setup || return 1
  # http_sd refreshes at start; scrapes every second after that.
  for i in $(seq 1 40); do
    out=$(curl -fsS --max-time 5 "$FLEET_PROM_URL/api/v1/targets?state=active" \
      | jq -c '[.data.activeTargets[] | select(.labels.job == "synapse-fleet") | {instance: .labels.instance, health, url: .scrapeUrl}] | sort_by(.instance)')
    [ "$(jq 'length' <<<"$out")" = 4 ] && [ "$(jq '[.[] | select(.health == "up")] | length' <<<"$out")" = 4 ] && break
    sleep 1
  done
  note "targets: $out"
  expect_json "$out" 'map(.instance) == ["badtoken","master","split","unreachable"]' "one target per homeserver, instance = its name"
  expect_json "$out" 'all(.health == "up") and all(.url | test("/probe\\?target="))' "every target scraped through /probe?target=NAME"
  for i in $(seq 1 20); do
    out=$(fleet_promql 'synapse_background_updates_up{job="synapse-fleet"}' | jq -c 'map({(.metric.instance): .value[1]}) | add')
    [ "$out" = '{"badtoken":"0","master":"1","split":"1","unreachable":"0"}' ] && break
    sleep 1
  done
  note "synapse_background_updates_up by instance: $out"
  expect_json "$out" '. == {"badtoken":"0","master":"1","split":"1","unreachable":"0"}' "up per homeserver"
  out=$(fleet_promql 'synapse_background_updates_up{job="synapse-fleet",instance="master"}' | jq -c '.[0].metric | {role, instance}')
  expect_json "$out" '. == {"role":"real","instance":"master"}' "the file's labels on the series ($out)"
  out=$(fleet_promql 'sum by (instance, reason) (synapse_background_updates_poll_errors_total{job="synapse-fleet"}) > 0' \
    | jq -c 'map("\(.metric.instance)/\(.metric.reason)") | sort')
  note "error reasons counted: $out"
  expect_json "$out" '. == ["badtoken/unauthorized","unreachable/connect"]' "the failing ones fail with their reasons, the others not at all"
  out=$(fleet_promql 'synapse_bgu_exporter_build_info{job="synapse-bgu-exporter"}' | jq 'length')
  expect_json "$out" '. == 1' "the exporter's own /metrics job is scraped too"
  [ -z "$E2E_FAIL_REASON" ]
}

# fleet_wait_targets EXPECTED_JSON SECONDS: until /targets lists EXPECTED; prints the seconds it took.
fleet_wait_targets() {
  local t0 deadline
  t0=$(now)
  deadline=$(python3 -c "print($t0 + $2)")
  until [ "$(fleet_targets)" = "$1" ]; do
    python3 -c "import sys; sys.exit(0 if $(now) < $deadline else 1)" || return 1
    sleep 0.1
  done
  python3 -c "print(round($(now) - $t0, 2))"
}

# fleet_reload_metric METRIC: its value on the fleet exporter's /metrics, as a plain number (1, 0, 1796141477.185).
fleet_reload_metric() { curl -fsS --max-time 5 "$FLEET_URL/metrics" | awk -v m="$1" '$1 == m {v = sprintf("%.3f", $2); sub(/\.?0+$/, "", v); print v}'; }

check_fleet_reload() {
  local s polls1 polls2 code ts1 ts2 out
  fleet_setup || return 1
  polls1=$(fleet_value master synapse_background_updates_polls_total)
  ts1=$(fleet_reload_metric synapse_bgu_exporter_config_last_reload_success_timestamp_seconds)

  # SIGHUP: split2 added, badtoken removed.
  fleet_write "$FLEET_FILE" master split split2 unreachable
  kill -HUP "$FLEET_PID"
  s=$(fleet_wait_targets '["master","split","split2","unreachable"]' 10) || fail "SIGHUP: /targets did not follow within 10 s: $(fleet_targets)"
  note "SIGHUP: /targets now $(fleet_targets) after ${s}s"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$(probe_url badtoken)")
  [ "$code" = 400 ] || fail "removed homeserver: /probe?target=badtoken answered $code, expected 400"
  s=$(python3 "$E2E_PY" wait-metric "$(probe_url split2)" 20 'v == 1' synapse_background_updates_up) || fail "split2 never up"
  note "added split2: up 1 after ${s}s; removed badtoken: /probe answers $code"
  polls2=$(fleet_value master synapse_background_updates_polls_total)
  note "master's polls_total across the reload: $polls1 -> $polls2 (its state is kept)"
  python3 -c "import sys; sys.exit(0 if float('$polls2') >= float('$polls1') else 1)" || fail "master's counters restarted on reload"

  # POST /-/reload (--web.enable-lifecycle): back to the first set; the answer comes after the swap.
  fleet_write "$FLEET_FILE" master split unreachable badtoken
  code=$(curl -s -o "$FLEET_DIR/reload.out" -w '%{http_code}' --max-time 10 -X POST "$FLEET_URL/-/reload")
  out=$(fleet_targets)
  note "POST /-/reload: $code $(head -c 100 "$FLEET_DIR/reload.out"); /targets right after: $out"
  [ "$code" = 200 ] || fail "POST /-/reload answered $code"
  [ "$out" = '["badtoken","master","split","unreachable"]' ] || fail "/targets right after POST /-/reload: $out"
  ts2=$(fleet_reload_metric synapse_bgu_exporter_config_last_reload_success_timestamp_seconds)
  note "last_reload_success_timestamp_seconds: $ts1 -> $ts2"
  python3 -c "import sys; sys.exit(0 if float('$ts2') > float('$ts1') else 1)" || fail "reload timestamp did not move"

  # A broken file: the reload fails, the running set stays, the metric says so; then the good file back.
  cp "$FLEET_FILE" "$FLEET_DIR/good.yml"
  printf 'homeservers:\n  master:\n    url: %s\n    tokn_file: /x\n' "${HS_URL[master]}" >"$FLEET_FILE.tmp" && mv "$FLEET_FILE.tmp" "$FLEET_FILE"
  code=$(curl -s -o "$FLEET_DIR/reload-bad.out" -w '%{http_code}' --max-time 10 -X POST "$FLEET_URL/-/reload")
  note "POST /-/reload with a broken file: $code $(head -c 160 "$FLEET_DIR/reload-bad.out" | tr '\n' ' ')"
  [ "$code" != 200 ] || fail "a broken file reloaded with 200"
  grep -q 'tokn_file' "$FLEET_DIR/reload-bad.out" "$FLEET_LOG" || fail "the reason (the unknown key tokn_file) is neither in the answer nor in the log"
  [ "$(fleet_targets)" = '["badtoken","master","split","unreachable"]' ] || fail "the running set changed on a broken file: $(fleet_targets)"
  [ "$(fleet_reload_metric synapse_bgu_exporter_config_last_reload_successful)" = 0 ] || fail "last_reload_successful is not 0 after a failed reload"
  [ "$(fleet_value master synapse_background_updates_up)" = 1 ] || fail "master not served after the failed reload"
  mv "$FLEET_DIR/good.yml" "$FLEET_FILE"
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$FLEET_URL/-/reload")
  [ "$(fleet_reload_metric synapse_bgu_exporter_config_last_reload_successful)" = 1 ] || fail "last_reload_successful not back to 1 ($code)"

  # Prometheus follows /targets (refresh_interval of the README's block: 10 s).
  fleet_write "$FLEET_FILE" master split
  kill -HUP "$FLEET_PID"
  fleet_wait_targets '["master","split"]' 10 >/dev/null || fail "second SIGHUP: /targets did not follow"
  for s in $(seq 1 30); do
    out=$(curl -fsS --max-time 5 "$FLEET_PROM_URL/api/v1/targets?state=active" \
      | jq -c '[.data.activeTargets[] | select(.labels.job == "synapse-fleet") | .labels.instance] | sort')
    [ "$out" = '["master","split"]' ] && break
    sleep 1
  done
  note "Prometheus' targets after removing unreachable and badtoken: $out (after about ${s}s)"
  [ "$out" = '["master","split"]' ] || fail "Prometheus did not follow /targets within 30 s"
  fleet_write "$FLEET_FILE" master split unreachable badtoken
  kill -HUP "$FLEET_PID"
  fleet_wait_targets '["badtoken","master","split","unreachable"]' 10 >/dev/null || fail "restoring the file did not reload"
  [ -z "$E2E_FAIL_REASON" ]
}

check_fleet_wait_all() {
  local out code t0 ms f=$FLEET_DIR/wait
  fleet_setup || return 1
  fleet_write "$FLEET_DIR/reachable.yml" master split
  t0=$(now)
  out=$(fleet_java wait --all --config.file "$FLEET_DIR/reachable.yml" --poll-interval 1s --timeout 5m --progress plain 2>&1)
  code=$?
  ms=$(python3 -c "print(int(($(now) - $t0) * 1000))")
  printf '%s\n' "$out" >"$f-reachable.out"
  note "wait --all (master, split): exit $code after $ms ms; last lines: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
  [ "$code" = 0 ] || fail "wait --all on the real homeservers exited $code, expected 0"
  [ "$(hs_queued_updates master)" = 0 ] && [ "$(hs_queued_updates split)" = 0 ] \
    || fail "wait --all said done with rows left: master $(hs_queued_updates master), split $(hs_queued_updates split)"
  # With the whole file: master and split end done (they settle within 10 s), badtoken at once with 3 (unreadable
  # from the first poll), unreachable at the timeout (1): the exit code is the worst, 3.
  t0=$(now)
  out=$(fleet_java wait --all --config.file "$FLEET_FILE" --poll-interval 1s --timeout 20s --progress plain 2>&1)
  code=$?
  ms=$(python3 -c "print(int(($(now) - $t0) * 1000))")
  printf '%s\n' "$out" >"$f-all.out"
  note "wait --all (with unreachable, badtoken) --timeout 20s: exit $code after $ms ms; output: $(tr '\n' '|' <<<"$out" | cut -c1-500)"
  [ "$code" = 3 ] || fail "wait --all with an unreachable and a bad-token homeserver exited $code, expected 3"
  grep -q '] master: done' <<<"$out" && grep -q '] split: done' <<<"$out" || fail "master and split not both done"
  grep -q '] badtoken: .*exit 3' <<<"$out" || fail "badtoken did not end with 3"
  grep -q '] unreachable: --timeout reached' <<<"$out" || fail "unreachable did not end at the timeout"
  grep -q 'left: .*unreachable' <<<"$out" || fail "the progress lines never list unreachable as left"
  expect_json "$ms" '. >= 20000 and . <= 35000' "ended at the 20 s timeout (plus a poll and the JVM)"
  cli_no_secrets "$f-reachable.out" "$f-all.out"
  [ -z "$E2E_FAIL_REASON" ]
}
