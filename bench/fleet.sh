#!/usr/bin/env bash
# Fleet benchmark (issue 15): one exporter in fleet mode for N homeservers, against Debian's
# prometheus-blackbox-exporter probing the same status URLs, all on 127.0.0.1.
#
#   bash bench/fleet.sh                  full run: N = 100, 1,000, 10,000, 30 s interval (about 20 min)
#   BENCH_QUICK=1 bash bench/fleet.sh    check run: N = 100, 500, 5 s interval (about 3 min)
#   BENCH_FLEET_SIZES="1000" bash bench/fleet.sh   other sizes
#
# For each N: bench/FakeFleet.java answers the status API for N homeservers under /hs/NAME/ (the
# bodies recorded from a real Synapse, 10% hanging, 5% failing, every request logged); the exporter
# polls them all (`--config.file`, the JVM flags of BENCH_JVM_OPTIONS, by default
# deploy/jvm-fleet.options); two simulated Prometheus replicas (bench/FleetLoad.java) scrape
# /probe?target=NAME for every homeserver once per interval; then the same two replicas probe every
# status URL through blackbox_exporter (/probe?module=synapse_status&target=URL, bearer token from a
# file). Measured: RSS, live heap, CPU per poll and per probe, /probe latency, upstream calls per
# homeserver per interval, time from start to every homeserver polled once, and the gaps between
# the polls of healthy homeservers while 10% hang. bench/fleet_report.py prints the table.
#
# Knobs: BENCH_SKIP_BUILD=1 (reuse target/), BENCH_KEEP=1 (keep the work directory), BENCH_JVM_OPTIONS.
# Needs JDK 17, Maven, python3, curl and `apt-get install -y prometheus-blackbox-exporter`.
# Exit status: 0 done (and, on a full run, the issue's targets met), 3 a target missed, 1 failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH="$ROOT/bench"
JAR="target/synapse-bgu-exporter.jar"
JVM_OPTIONS="${BENCH_JVM_OPTIONS:-deploy/jvm-fleet.options}"
[[ -f "$JVM_OPTIONS" ]] || JVM_OPTIONS=deploy/jvm.options

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  MODE=quick SIZES=${BENCH_FLEET_SIZES:-"100 500"} INTERVAL=5 IDLE_ROUNDS=1 PROBE_ROUNDS=2
else
  MODE=full SIZES=${BENCH_FLEET_SIZES:-"100 1000 10000"} INTERVAL=30 IDLE_ROUNDS=1 PROBE_ROUNDS=3
fi
SCRAPE_TIMEOUT=10 # the simulated Prometheus' scrape_timeout (s)
# The fake serves on this many consecutive ports and homeserver i is reached on the (i % ROUTES)-th: the
# fleet spreads over that many routes (host:port), as distinct hosts would. BENCH_FLEET_ROUTES=1 puts
# every homeserver behind one route, as behind one reverse-proxy host name.
ROUTES=${BENCH_FLEET_ROUTES:-100}
ROUTE_BASE=${BENCH_FLEET_PORT_BASE:-21000}
HANG_MS=20000     # how long the fake holds a hanging request: longer than every client's timeout

say() { printf '[fleet-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

for tool in java javac jcmd mvn python3 curl prometheus-blackbox-exporter; do
  command -v "$tool" >/dev/null || die "$tool not found (see the header of bench/fleet.sh)"
done
# The fake holds hanging connections and blackbox opens one per probe.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

WORK=$(mktemp -d /tmp/bgu-fleet-bench.XXXXXX)
PIDS=()
cleanup() {
  local status=$? pid i
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [[ "${BENCH_KEEP:-0}" == 1 || $status -ne 0 ]]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start LOG CMD...: CMD in the background, output to LOG; its pid in PID.
start() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ok() {
  local deadline=$((SECONDS + ${2:-60}))
  until curl -fs -o /dev/null --max-time 2 "$1"; do
    ((SECONDS < deadline)) || die "$1 did not answer within ${2:-60} s (logs in $WORK)"
    sleep 0.1
  done
}
report() { python3 "$BENCH/fleet_report.py" "$@"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  say "building the jar (mvn -o -B -q package -DskipTests)"
  mvn -o -B -q package -DskipTests >"$WORK/build.log" 2>&1 || die "build failed: $WORK/build.log"
fi
[[ -f "$JAR" ]] || die "no $JAR"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" "$BENCH/FakeFleet.java" "$BENCH/FleetLoad.java"
(umask 077 && python3 -c 'import secrets; print("syt_" + secrets.token_urlsafe(30))' >"$WORK/token")
cat >"$WORK/blackbox.yml" <<EOF
modules:
  synapse_status:
    prober: http
    timeout: 5s
    http:
      method: GET
      valid_status_codes: [200]
      preferred_ip_protocol: ip4
      authorization:
        type: Bearer
        credentials_file: $WORK/token
      fail_if_body_not_matches_regexp: ['"current_updates"']
EOF
prometheus-blackbox-exporter --config.file="$WORK/blackbox.yml" --config.check >"$WORK/blackbox-check.log" 2>&1 \
  || die "blackbox_exporter rejects its config: $WORK/blackbox-check.log"

say "mode $MODE, sizes $SIZES, interval ${INTERVAL}s, $ROUTES routes, JVM flags $JVM_OPTIONS"
say "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(loadavg)"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

run_size() {
  local n=$1 d="$WORK/n$1" fport oport bport fake ours bb sampler
  local load_before ours_start k0 all_polled idle_start idle_end c0 c1 idle_cpu probe_start probe_end probe_cpu
  local rss hwm heap bb_start bb_end bb_cpu bb_rss
  mkdir -p "$d"
  load_before=$(loadavg)
  fport=$ROUTE_BASE oport=$(free_port) bport=$(free_port)
  python3 -c "
import socket, sys
for p in range($fport, $fport + min($ROUTES, $n)):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', p)); s.close()" 2>/dev/null \
    || die "ports $fport-$((fport + ROUTES - 1)) are not all free (BENCH_FLEET_PORT_BASE)"
  local lifetime=$(((IDLE_ROUNDS + 2 * PROBE_ROUNDS + 8) * INTERVAL + 600))
  start "$d/fake.log" java -Xmx160m -XX:+UseSerialGC -cp "$WORK/classes" FakeFleet "$fport" "$n" "$WORK/token" "$lifetime" "$HANG_MS" "$((ROUTES < n ? ROUTES : n))"
  fake=$PID
  wait_ok "http://127.0.0.1:$fport/-/log?from=999999999" 30
  report files "$d" "$n" "$fport" "$WORK/token" "$INTERVAL" "$((ROUTES < n ? ROUTES : n))"

  say "N=$n: exporter in fleet mode"
  read -r ours_start k0 < <(report clock "http://127.0.0.1:$fport")
  start "$d/ours.log" java "@$JVM_OPTIONS" -jar "$JAR" --config.file "$d/fleet.yml" \
    --web.listen-address "127.0.0.1:$oport" --log.level warn
  ours=$PID
  all_polled=$(report wait-polled "http://127.0.0.1:$fport" "$n" "$k0" $((3 * INTERVAL + 60))) \
    || die "N=$n: not every homeserver was polled (logs in $d)"
  wait_ok "http://127.0.0.1:$oport/-/healthy" 30
  say "N=$n: every homeserver polled $(((all_polled - ours_start) / 1000)) s after the start; polling alone for $((IDLE_ROUNDS * INTERVAL)) s"
  read -r idle_start _ < <(report clock "http://127.0.0.1:$fport")
  c0=$(report cpu "$ours")
  sleep $((IDLE_ROUNDS * INTERVAL))
  c1=$(report cpu "$ours")
  read -r idle_end _ < <(report clock "http://127.0.0.1:$fport")
  idle_cpu=$(python3 -c "print($c1 - $c0)")

  say "N=$n: two replicas scrape /probe for every homeserver, $PROBE_ROUNDS intervals"
  start "$d/ours-rss.samples" report sample "$ours" "$d/ours-rss"
  sampler=$PID
  read -r probe_start _ < <(report clock "http://127.0.0.1:$fport")
  c0=$(report cpu "$ours")
  java -Xmx256m -XX:+UseSerialGC -cp "$WORK/classes" FleetLoad "http://127.0.0.1:$oport/probe?target={}" \
    "$d/names" 2 "$INTERVAL" $((PROBE_ROUNDS * INTERVAL)) "$SCRAPE_TIMEOUT" "$d/healthy-names" >"$d/ours-load.json"
  c1=$(report cpu "$ours")
  read -r probe_end _ < <(report clock "http://127.0.0.1:$fport")
  probe_cpu=$(python3 -c "print($c1 - $c0)")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$ours/status")
  hwm=$(sort -n "$d/ours-rss" | tail -n 1)
  jcmd "$ours" GC.run >/dev/null
  # Serial GC: "def new generation total X, used YK" and "tenured generation total X, used YK".
  heap=$(jcmd "$ours" GC.heap_info | awk '/generation/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?/, "", v); s += v}} END {print s + 0}')
  stop "$sampler"
  stop "$ours"
  say "N=$n: ours $(jq -c '{scrapes, ok, errors, p50: .all_ms.p50, p99: .all_ms.p99}' "$d/ours-load.json" 2>/dev/null || cat "$d/ours-load.json"), RSS $((rss / 1024)) MiB"

  say "N=$n: blackbox_exporter, the same two replicas on every status URL"
  start "$d/blackbox.log" prometheus-blackbox-exporter --config.file="$WORK/blackbox.yml" \
    --web.listen-address="127.0.0.1:$bport" --log.level=warn
  bb=$PID
  wait_ok "http://127.0.0.1:$bport/-/healthy" 30
  read -r bb_start _ < <(report clock "http://127.0.0.1:$fport")
  c0=$(report cpu "$bb")
  java -Xmx256m -XX:+UseSerialGC -cp "$WORK/classes" FleetLoad \
    "http://127.0.0.1:$bport/probe?module=synapse_status&target={}" "$d/urls" 2 "$INTERVAL" \
    $((PROBE_ROUNDS * INTERVAL)) "$SCRAPE_TIMEOUT" "$d/healthy-urls" >"$d/bb-load.json"
  c1=$(report cpu "$bb")
  read -r bb_end _ < <(report clock "http://127.0.0.1:$fport")
  bb_cpu=$(python3 -c "print($c1 - $c0)")
  bb_rss=$(awk '/^VmRSS/ {print $2}' "/proc/$bb/status")
  stop "$bb"

  curl -fsS --max-time 60 "http://127.0.0.1:$fport/-/log?from=0" >"$d/requests.log"
  stop "$fake"
  python3 - "$d/phases.json" <<EOF
import json, sys
json.dump({"n": $n, "interval_s": $INTERVAL, "probe_rounds": $PROBE_ROUNDS, "ours_start_ms": $ours_start, "all_polled_ms": $all_polled,
           "idle_start_ms": $idle_start, "idle_end_ms": $idle_end, "idle_cpu_s": $idle_cpu,
           "probe_start_ms": $probe_start, "probe_end_ms": $probe_end, "probe_cpu_s": $probe_cpu,
           "bb_start_ms": $bb_start, "bb_end_ms": $bb_end, "bb_cpu_s": $bb_cpu,
           "ours_rss_kib": $rss, "ours_hwm_kib": $hwm, "ours_heap_used_kib": $heap, "bb_rss_kib": $bb_rss,
           "ours_load": json.load(open("$d/ours-load.json")), "bb_load": json.load(open("$d/bb-load.json")),
           "load_before": "$load_before", "load_after": "$(loadavg)",
           "dropped": int(open("$d/requests.log").readline().split()[4])}, open(sys.argv[1], "w"))
EOF
  report analyse "$d/requests.log" "$d/phases.json" >>"$RESULTS"
}

for n in $SIZES; do run_size "$n"; done

echo
echo "Fleet benchmark, $MODE mode, interval ${INTERVAL}s, $ROUTES routes, JVM flags $JVM_OPTIONS; $(nproc) CPUs, load at end $(loadavg)"
echo
report table "$RESULTS"

[[ "$MODE" == full ]] || exit 0
# The issue's targets, judged at the largest N of a full run.
python3 - "$RESULTS" <<'EOF'
import json, sys
r = max((json.loads(l) for l in open(sys.argv[1]) if l.strip()), key=lambda r: r["n"])
checks = [
    ("RSS at most 256 MiB", r["ours_hwm_kib"] <= 256 * 1024),
    ("/probe p50 at most 1 ms", r["ours_load"]["all_ms"]["p50"] <= 1.0),
    ("one upstream call per homeserver per interval", abs(r["ours_calls_per_interval"] - 1) <= 0.05 and r["ours_polls_closer_than_interval"] == 0),
    ("healthy polls on time while 10% hang", r["healthy_late_fraction"] <= 0.01),
]
for what, ok in checks:
    print(("met:    " if ok else "MISSED: ") + what + " (N=%d)" % r["n"])
sys.exit(0 if all(ok for _, ok in checks) else 3)
EOF
