#!/usr/bin/env bash
# Performance benchmark of synapse-bgu-exporter against real peers, all on loopback, in one run.
#
#   bash bench/run.sh                  full run (about 14 minutes; the targets are judged on this)
#   BENCH_QUICK=1 bash bench/run.sh    smoke run (about 2 minutes; figures indicative only)
#
# Other knobs: BENCH_SKIP_BUILD=1 (reuse target/synapse-bgu-exporter.jar), BENCH_KEEP=1 (keep the
# work directory with every log and raw wrk output), BENCH_JVM_OPTIONS=FILE (measure another flags
# file instead of deploy/jvm.options, e.g. to compare a change).
#
# Needs: JDK 17, Maven, python3, curl, and from Debian: wrk nginx-light prometheus-node-exporter
# prometheus-pushgateway (apt-get install -y wrk nginx-light prometheus-node-exporter
# prometheus-pushgateway). Exit status: 0 all targets met, 3 a target missed (full run only),
# 1 the benchmark itself failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH="$ROOT/bench"
JAR="target/synapse-bgu-exporter.jar"
JVM_OPTIONS="${BENCH_JVM_OPTIONS:-deploy/jvm.options}"

if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
  MODE=quick RUN_S=2 WARM_S=1 LOAD_S=10 STORM_S=5 STARTS=3
else
  MODE=full RUN_S=10 WARM_S=3 LOAD_S=60 STORM_S=10 STARTS=7
fi
STORM_INTERVAL_S=1 # poll interval of the storm/hang instance: the storm must not add polls to it
# The Accept header Prometheus 2.x and 3.x send by default.
PROMETHEUS_ACCEPT="Accept: application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

for tool in java javac mvn python3 curl wrk nginx prometheus-node-exporter prometheus-pushgateway; do
  command -v "$tool" >/dev/null || die "$tool not found (see the header of bench/run.sh)"
done
[[ -f "$JVM_OPTIONS" ]] || die "no $JVM_OPTIONS"

WORK=$(mktemp -d /tmp/bgu-bench.XXXXXX)
# nginx workers run as nobody and must read the static file under WORK.
chmod 755 "$WORK"
PIDS=()

# Stops everything this script started, by pid, newest first; runs on any exit, also on failure.
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
  if [[ "${BENCH_KEEP:-0}" == 1 || $status -ne 0 ]]; then
    say "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in the background, logs to WORK/NAME.log, remembers its pid in PID.
start() {
  local name=$1
  shift
  "$@" >"$WORK/$name.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_status URL CODE [SECONDS]: until URL answers CODE.
wait_status() {
  local url=$1 code=$2 deadline=$((SECONDS + ${3:-30}))
  while ((SECONDS < deadline)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" == "$code" ]] && return 0
    sleep 0.05
  done
  die "$url did not answer $code within ${3:-30} s (logs in $WORK)"
}

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
put() { printf '%s\t%s\n' "$1" "$2" >>"$RESULTS"; }

# Resident memory in KiB of a process plus its children (nginx's workers): VmRSS and VmHWM.
mem() {
  local pid=$1 field=$2 total=0 p v
  for p in "$pid" $(pgrep -P "$pid" || true); do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
put_mem() { # put_mem TARGET PHASE
  local pid=${TPID[$1]}
  put "$1.rss_$2_kib" "$(mem "$pid" VmRSS)"
  put "$1.hwm_$2_kib" "$(mem "$pid" VmHWM)"
}

# wrk_run KEY CONNECTIONS SECONDS URL [HEADER...]: one bounded wrk run, results under KEY.
wrk_run() {
  local key=$1 conns=$2 secs=$3 url=$4 threads=1 out h
  shift 4
  local headers=()
  for h in "$@"; do headers+=(-H "$h"); done
  ((conns > 1)) && threads=2
  out="$WORK/wrk-$key.txt"
  wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s --latency "${headers[@]}" "$url" >"$out" 2>&1 \
    || die "wrk failed: $(tail -3 "$out")"
  python3 "$BENCH/wrk_parse.py" "$key" <"$out" >>"$RESULTS" || die "cannot parse $out"
}

# ---------------------------------------------------------------------------------------------
say "mode $MODE; work directory $WORK"
put mode "$MODE"
put date "$(date -u +%Y-%m-%dT%H:%MZ)"
put nproc "$(nproc)"
put cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
put mem_kib "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
put kernel "$(uname -r)"
put os "$(. /etc/os-release && echo "$PRETTY_NAME")"
put java "$(java -version 2>&1 | head -1)"
put jvm_options "$(grep -v '^#' "$JVM_OPTIONS" | tr '\n' ' ')"
put load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
put versions "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), node_exporter $(prometheus-node-exporter --version 2>&1 | awk 'NR==1 { print $3 }'), pushgateway $(prometheus-pushgateway --version 2>&1 | awk 'NR==1 { print $3 }'), $(wrk --version 2>&1 | awk 'NR==1 { print $1, $2 }')"
put run_s "$RUN_S"
put load_s "$LOAD_S"
put storm_s "$STORM_S"
put starts "$STARTS"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  say "building the jar (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests >"$WORK/build.log" 2>&1 || die "build failed: $(tail -20 "$WORK/build.log")"
fi
[[ -f "$JAR" ]] || die "no $JAR"
archive=$(sed -n 's/^-XX:SharedArchiveFile=//p' "$JVM_OPTIONS" | tail -1)
if [[ -n "$archive" && ! -f "$archive" ]]; then
  say "WARNING: $JVM_OPTIONS names the class-data archive $archive, which is missing: startup is measured without it"
  put cds "missing ($archive)"
else
  put cds "${archive:-not used}"
fi

# A random admin token, shared by the fake and the exporter through the environment only.
# (env VAR=... on a command line would show it in ps.)
TOKEN="bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export FAKE_SYNAPSE_TOKEN="$TOKEN" SYNAPSE_ADMIN_TOKEN="$TOKEN"

# start_fake NAME: a fake homeserver of its own; sets FAKE to its URL.
start_fake() {
  start "$1" python3 "$BENCH/fake_synapse.py" \
    --port-file "$WORK/$1.port" --lifetime 3600 --max-stall 120
  for _ in $(seq 200); do [[ -s "$WORK/$1.port" ]] && break; sleep 0.05; done
  [[ -s "$WORK/$1.port" ]] || die "fake homeserver did not start: $(cat "$WORK/$1.log")"
  FAKE="http://127.0.0.1:$(cat "$WORK/$1.port")"
}
say "starting the fake homeserver"
start_fake fake

# The exporter exactly as shipped: java @deploy/jvm.options -jar target/synapse-bgu-exporter.jar.
# exporter PORT EXTRA-FLAGS...: sets CMD. The token travels in the environment, never in argv.
exporter() {
  local port=$1
  shift
  CMD=(java "@$JVM_OPTIONS" -jar "$JAR"
    --synapse.url="$FAKE" --web.listen-address="127.0.0.1:$port" "$@")
}

# The JDK HttpServer peer, compiled first with the same JDK: the source-file launcher would compile
# it inside the measured process and keep the compiler's classes resident (~20 MiB the server
# itself does not cost).
javac -d "$WORK/jdkstatic" "$BENCH/JdkStatic.java" >"$WORK/jdkstatic-javac.log" 2>&1 \
  || die "cannot compile bench/JdkStatic.java: $(cat "$WORK/jdkstatic-javac.log")"

# --- startup: process start -> first 200 on /metrics and on /-/ready, fresh process each time
for variant in ours ours_jvm; do
  extra=()
  [[ $variant == ours ]] && extra=(--web.disable-exporter-metrics)
  say "startup: $STARTS starts of $variant"
  exporter '{port}' "${extra[@]}"
  python3 "$BENCH/startup.py" --runs "$STARTS" --log "$WORK/startup-$variant.log" -- \
    "${CMD[@]}" >"$WORK/startup-$variant.txt" \
    || die "startup measurement failed: $(tail -5 "$WORK/startup-$variant.log")"
  put "$variant.startup_runs" "$(tr '\n' ';' <"$WORK/startup-$variant.txt")"
done
# The bare server's start, same flags: the floor for ours' start. Its body is a placeholder of
# ours' size (ours' real body is not served yet); JdkStatic answers /-/ready as well.
say "startup: $STARTS starts of the JDK's HTTP server"
head -c 4500 /dev/zero | tr '\0' '#' >"$WORK/startup-body.prom"
python3 "$BENCH/startup.py" --runs "$STARTS" --log "$WORK/startup-jdk.log" -- \
  java "@$JVM_OPTIONS" -cp "$WORK/jdkstatic" JdkStatic '{port}' "$WORK/startup-body.prom" \
  >"$WORK/startup-jdk.txt" || die "startup measurement failed: $(tail -5 "$WORK/startup-jdk.log")"
put "jdk.startup_runs" "$(tr '\n' ';' <"$WORK/startup-jdk.txt")"

# --- the five servers under test, side by side
declare -A TPID TURL
TARGETS=(ours ours_jvm nginx jdk node pushgw)

say "starting the exporter (with and without JVM metrics)"
P=$(free_port)
exporter "$P" --web.disable-exporter-metrics
start ours "${CMD[@]}"
TPID[ours]=$PID TURL[ours]="http://127.0.0.1:$P/metrics"
wait_status "http://127.0.0.1:$P/-/ready" 200
P=$(free_port)
exporter "$P"
start ours_jvm "${CMD[@]}"
TPID[ours_jvm]=$PID TURL[ours_jvm]="http://127.0.0.1:$P/metrics"
wait_status "http://127.0.0.1:$P/-/ready" 200

# The same series for every peer: the exporter's own body (without JVM metrics), served once.
curl -sf "${TURL[ours]}" >"$WORK/body.prom" || die "cannot read our /metrics"
grep -q '^synapse_background_update_items_per_second{database="state"' "$WORK/body.prom" \
  || die "the exporter does not show the fake's two databases: $(head -c 600 "$WORK/body.prom")"

say "starting nginx (static copy of our body)"
mkdir -p "$WORK/nginx/tmp" "$WORK/www"
cp "$WORK/body.prom" "$WORK/www/metrics"
chmod -R a+rX "$WORK/www"
P=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  types { }
  default_type "text/plain; version=0.0.4; charset=utf-8";
  server {
    listen 127.0.0.1:$P;
    root $WORK/www;
    location = /metrics { }
  }
}
EOF
start nginx nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
TPID[nginx]=$PID TURL[nginx]="http://127.0.0.1:$P/metrics"
wait_status "${TURL[nginx]}" 200

# The JDK's built-in server (which the exporter runs on) serving the same bytes from memory, with
# the shipped JVM flags: what the server itself costs, i.e. how fast the exporter could ever be.
say "starting the JDK's HTTP server (static copy of our body, shipped JVM flags)"
P=$(free_port)
start jdk java "@$JVM_OPTIONS" -cp "$WORK/jdkstatic" JdkStatic "$P" "$WORK/body.prom"
TPID[jdk]=$PID TURL[jdk]="http://127.0.0.1:$P/metrics"
wait_status "${TURL[jdk]}" 200

say "starting node_exporter (textfile collector only)"
mkdir -p "$WORK/textfile"
cp "$WORK/body.prom" "$WORK/textfile/synapse_bgu.prom"
P=$(free_port)
start node prometheus-node-exporter --web.listen-address="127.0.0.1:$P" \
  --collector.disable-defaults --collector.textfile \
  --collector.textfile.directory="$WORK/textfile" --web.disable-exporter-metrics --log.level=warn
TPID[node]=$PID TURL[node]="http://127.0.0.1:$P/metrics"
wait_status "${TURL[node]}" 200

say "starting pushgateway (the same series pushed once)"
P=$(free_port)
start pushgw prometheus-pushgateway --web.listen-address="127.0.0.1:$P" --persistence.file= \
  --log.level=warn
TPID[pushgw]=$PID TURL[pushgw]="http://127.0.0.1:$P/metrics"
wait_status "http://127.0.0.1:$P/-/ready" 200
curl -sf -X PUT --data-binary @"$WORK/body.prom" \
  "http://127.0.0.1:$P/metrics/job/synapse_bgu_exporter" >/dev/null || die "push failed"

for t in "${TARGETS[@]}"; do
  body=$(curl -sf "${TURL[$t]}") || die "$t: no /metrics"
  grep -q 'synapse_background_update_items_processed{.*database="state"' <<<"$body" \
    || die "$t does not serve the series"
  put "$t.body_bytes" "$(printf '%s\n' "$body" | wc -c)"
  put "$t.series" "$(grep -vc '^#' <<<"$body")"
done

sleep 2
for t in "${TARGETS[@]}"; do put_mem "$t" idle; done

# --- throughput and latency: warm-up, then two rounds; each round visits every target, so a
# burst of load from elsewhere on the machine spreads over all of them instead of hitting one.
say "warm-up (${WARM_S} s each)"
for t in "${TARGETS[@]}"; do wrk_run "$t.warm" 16 "$WARM_S" "${TURL[$t]}"; done
for round in 1 2; do
  say "round $round: 1 and 16 connections, ${RUN_S} s each, on every target"
  for t in "${TARGETS[@]}"; do
    wrk_run "$t.c1.$round" 1 "$RUN_S" "${TURL[$t]}"
    wrk_run "$t.c16.$round" 16 "$RUN_S" "${TURL[$t]}"
    # As Prometheus asks: OpenMetrics preferred, gzip accepted (nginx serves plain text anyway).
    wrk_run "$t.prom.$round" 16 "$RUN_S" "${TURL[$t]}" "$PROMETHEUS_ACCEPT" "Accept-Encoding: gzip"
  done
done

say "memory under load: ${LOAD_S} s of 16 connections on each target"
for t in "${TARGETS[@]}"; do
  wrk_run "$t.load" 16 "$LOAD_S" "${TURL[$t]}"
  put_mem "$t" load
done

# --- upstream load under a scrape storm, and scrapes during a hung upstream, on an instance that
# polls every STORM_INTERVAL_S. It has a homeserver of its own: the others still poll theirs.
say "scrape storm (${STORM_S} s) and hung upstream"
start_fake storm_fake
fake_count() { curl -sf --max-time 5 "$FAKE/__bench/count"; }
P=$(free_port)
exporter "$P" --web.disable-exporter-metrics --poll.interval="${STORM_INTERVAL_S}s"
start storm "${CMD[@]}"
STORM_URL="http://127.0.0.1:$P/metrics"
wait_status "http://127.0.0.1:$P/-/ready" 200
put storm.interval_s "$STORM_INTERVAL_S"
# The window is measured, not assumed: wrk takes a moment to start and stop on a busy machine.
before=$(fake_count)
t0=$EPOCHREALTIME
wrk_run storm.scrapes 16 "$STORM_S" "$STORM_URL"
t1=$EPOCHREALTIME
after=$(fake_count)
put storm.polls $((after - before))
put storm.window_s "$(python3 -c "print(f'{$t1 - $t0:.3f}')")"

wrk_run hang.c1.before 1 "$RUN_S" "$STORM_URL"
wrk_run hang.c16.before 16 "$RUN_S" "$STORM_URL"
curl -sf -X POST "$FAKE/__bench/hang" >/dev/null
# Wait until the poller is stuck in a request to the fake (the count moves once, then stalls).
before=$(fake_count)
for _ in $(seq 100); do [[ $(fake_count) -gt $before ]] && break; sleep 0.05; done
hung_at=$(fake_count)
wrk_run hang.c1.during 1 "$RUN_S" "$STORM_URL"
wrk_run hang.c16.during 16 "$RUN_S" "$STORM_URL"
# The exporter's own view while hung: the poll has not come back (or timed out and retried).
put hang.polls_started_during $(($(fake_count) - hung_at))
curl -sf -X POST "$FAKE/__bench/unhang" >/dev/null

put load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
say "done; report:"
echo
set +e
python3 "$BENCH/report.py" "$RESULTS"
status=$?
set -e
exit "$status"
