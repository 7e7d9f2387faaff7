# shellcheck shell=bash
# The exporter under test: the real jar, run the way we ship it (java @deploy/jvm.options -jar ...).
# The token always travels in a mode-600 file named by SYNAPSE_TOKEN_FILE, never as a flag.

E2E_JAR=${E2E_JAR:-target/synapse-bgu-exporter.jar}
E2E_POLL_INTERVAL=${E2E_POLL_INTERVAL:-1s}
E2E_STALE_AFTER=${E2E_STALE_AFTER:-10s}
declare -A EXP_PORT=() EXP_URL=() EXP_PID=() EXP_LOG=()
# Extra flags per exporter name, as one string of words (no quoting inside), added by prepare_checks_* hooks,
# e.g. EXP_EXTRA_FLAGS[master]+=" --web.disable-exporter-metrics".
declare -A EXP_EXTRA_FLAGS=()

# The shipped JVM flags (java's @argfile), when the tree has them.
exporter_jvm_opts() {
  JVM_OPTS=()
  [ -f deploy/jvm.options ] && JVM_OPTS=("@deploy/jvm.options")
  return 0
}

# exporter_start NAME PORT SYNAPSE_URL TOKEN_FILE [EXTRA FLAGS...]
exporter_start() {
  local name=$1 port=$2 url=$3 token_file=$4
  shift 4
  EXP_PORT[$name]=$port
  EXP_URL[$name]=http://127.0.0.1:$port
  EXP_LOG[$name]=$E2E_RUN/exporter-$name.log
  local extra=()
  read -r -a extra <<<"${EXP_EXTRA_FLAGS[$name]:-}"
  exporter_jvm_opts
  # A clean environment: the exporter reads SYNAPSE_*, POLL_*, WEB_*, LOG_* variables, and none of the caller's
  # may leak in. env execs java, so $! is the JVM's own pid.
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    SYNAPSE_TOKEN_FILE="$token_file" java "${JVM_OPTS[@]}" -jar "$E2E_JAR" --synapse.url "$url" --web.listen-address "127.0.0.1:$port" \
    --poll.interval "$E2E_POLL_INTERVAL" --poll.stale-after "$E2E_STALE_AFTER" --log.level debug "${extra[@]}" "$@" \
    >"${EXP_LOG[$name]}" 2>&1 &
  EXP_PID[$name]=$!
  track "exporter-$name" "$!" "${EXP_LOG[$name]}"
}

exporter_wait_healthy() {
  wait_for 60 "exporter $1 /-/healthy" http_ok "${EXP_URL[$1]}/-/healthy" \
    || { kill -0 "${EXP_PID[$1]}" 2>/dev/null || log "exporter $1 exited"; return 1; }
}

exporter_wait_ready() { wait_for "${2:-30}" "exporter $1 /-/ready" http_ok "${EXP_URL[$1]}/-/ready"; }

# scrape NAME FILE: the exporter's /metrics into FILE.
scrape() { curl -fsS --max-time 5 -o "$2" "${EXP_URL[$1]}/metrics"; }

# metric NAME METRIC [LABEL=VALUE...]: one sample's current value from a fresh scrape (fails when absent).
metric() {
  local f
  f=$(mktemp "$E2E_RUN/scrape.XXXXXX")
  scrape "$1" "$f" || { rm -f "$f"; return 1; }
  python3 "$E2E_PY" value "$f" "${@:2}"
  local rc=$?
  rm -f "$f"
  return $rc
}

# wait_metric TIMEOUT NAME PYEXPR METRIC [LABEL=VALUE...]: until the value `v` satisfies PYEXPR (v is None when
# the series is absent). Prints the seconds it took.
wait_metric() {
  local timeout=$1 name=$2 expr=$3
  shift 3
  python3 "$E2E_PY" wait-metric "${EXP_URL[$name]}/metrics" "$timeout" "$expr" "$@"
}

# exporter_source_flags HS: the optional sources' flags for an exporter watching homeserver HS: its metrics listener
# and every database it has, named by its key in Synapse's databases: config (the unnamed form for a single database,
# which is `master`). Paths and URLs hold no spaces; the PostgreSQL password goes by --database.password-file.
exporter_source_flags() {
  local db url
  printf -- '--synapse.metrics-url %s' "${HS_METRICS_URL[$1]}"
  while read -r db url; do
    if [ "${HS_KIND[$1]}" = split ]; then printf -- ' --database.url %s=%s' "$db" "$url"; else printf -- ' --database.url %s' "$url"; fi
  done < <(hs_databases "$1")
  echo
}
