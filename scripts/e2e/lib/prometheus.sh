# shellcheck shell=bash
# A real Prometheus (Debian's package, in the chroot): own config, loopback only, 1 s scrapes, temp data dir.

PROM_URL=
PROM_PID=
PROM_EXTRA_TARGETS=() # NAME=HOST:PORT, added by prepare_checks_* hooks
PROM_RULE_FILES=()    # rule files (host paths) Prometheus loads, added by prepare_checks_* hooks

# prom_start PORT NAME=HOST:PORT...: one scrape target per exporter, labelled exporter=NAME.
prom_start() {
  local port=$1 dir=$E2E_RUN/prometheus t
  shift
  mkdir -p "$dir/data" "$dir/rules"
  for t in "${PROM_RULE_FILES[@]}"; do cp "$t" "$dir/rules/" || fatal "cannot copy rule file $t"; done
  {
    echo "global:"
    echo "  scrape_interval: 1s"
    echo "  scrape_timeout: 1s"
    echo "  evaluation_interval: 1s"
    if [ ${#PROM_RULE_FILES[@]} -gt 0 ]; then
      echo "rule_files:"
      echo "  - $E2E_RUN_IN/prometheus/rules/*"
    fi
    echo "scrape_configs:"
    echo "  - job_name: synapse-bgu-exporter"
    echo "    static_configs:"
    for t in "$@"; do
      echo "      - targets: ['${t#*=}']"
      echo "        labels: {exporter: '${t%%=*}'}"
    done
  } >"$dir/prometheus.yml"
  chroot_run /usr/bin/promtool check config "$E2E_RUN_IN/prometheus/prometheus.yml" >"$dir/check-config.log" 2>&1 \
    || { cat "$dir/check-config.log" >&2; fatal "promtool rejects the harness' prometheus.yml"; }
  chroot_cmd
  "${CHROOT_CMD[@]}" /usr/bin/prometheus --config.file="$E2E_RUN_IN/prometheus/prometheus.yml" \
    --storage.tsdb.path="$E2E_RUN_IN/prometheus/data" --storage.tsdb.retention.time=1h \
    --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  PROM_PID=$!
  PROM_URL=http://127.0.0.1:$port
  track prometheus "$PROM_PID" "$dir/prometheus.log"
}

prom_wait_ready() { wait_for 60 "prometheus to be ready" http_ok "$PROM_URL/-/ready"; }

# promql EXPR: the instant query's result vector as JSON.
promql() { python3 "$E2E_PY" promql "$PROM_URL" "$1"; }

# promql_value EXPR: the single value of a one-element result (fails otherwise).
promql_value() {
  promql "$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
if len(r) != 1:
    sys.exit("expected one series, got %d: %s" % (len(r), json.dumps(r)[:300]))
print(r[0]["value"][1])'
}

prom_targets() { curl -fsS --max-time 5 "$PROM_URL/api/v1/targets?state=active"; }
