# shellcheck shell=bash
# Checks of the harness itself (--infra-only): the real components behave as the harness assumes.

register_checks_infra() {
  add_check infra-1 "master: admin token reads the status API; updates run slowly (>= 1.5 s per update)" check_infra_admin_status
  add_check infra-2 "master: non-admin 403, garbage token 401, wrong prefix 404" check_infra_errors
  add_check infra-3 "split: the status API names its databases by config key" check_infra_split
  add_check infra-4 "prometheus: ready on loopback only, query API and promtool work" check_infra_prometheus
  add_check infra-5 "pg: Synapse on PostgreSQL answers; every Synapse's metrics listener has its updater status" check_infra_sources
}

check_infra_sources() {
  local out hs
  out=$(hs_api pg admin GET /_synapse/admin/v1/background_updates/status)
  note "pg status: $out"
  [[ "$out" == "200 "* ]] || fail "pg's status API answered $out"
  out=$(pg_psql "$E2E_PG_SYNAPSE_ROLE" "$E2E_PG_DB" <<<"SELECT version FROM schema_version")
  note "pg: schema_version $out in PostgreSQL database $E2E_PG_DB; $(hs_queued_updates pg) rows in background_updates"
  [ -n "$out" ] || fail "Synapse created no schema in PostgreSQL"
  for hs in master split pg; do
    out=$(python3 "$E2E_PY" updater-status "${HS_METRICS_URL[$hs]}" 2>&1)
    note "$hs ${HS_METRICS_URL[$hs]}: synapse_background_update_status $out"
    case $hs in
      split) expect_json "$out" 'keys == ["basement", "state_db"]' "$hs: one series per database key" ;;
      *) expect_json "$out" 'keys == ["master"]' "$hs: one series, database master" ;;
    esac
  done
}

check_infra_admin_status() {
  local out
  out=$(hs_api master admin GET /_synapse/admin/v1/background_updates/status)
  note "status: $out"
  [[ "$out" == "200 "* ]] || { fail "status API answered $out"; return 1; }
  expect_json "${out#200 }" '.enabled == true and (.current_updates | type == "object")' "enabled, current_updates object"
  sleep 8
  # Each update must stay visible for about one sleep_duration_ms (2 s): the premise of every later check.
  out=$(python3 - "$E2E_RUN/status-master.jsonl" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
recs = [r for r in recs if r["code"] == 200]
changes = []
prev = None
for r in recs:
    name = (r["body"]["current_updates"].get("master") or {}).get("name")
    if name != prev:
        changes.append((r["t"], name))
        prev = name
# Only states whose start and end were both observed (the first one started before the recording).
spans = [round(b[0] - a[0], 2) for a, b in zip(changes[1:], changes[2:]) if a[1]]
print(json.dumps({"names": [c[1] for c in changes], "spans": spans}))
EOF
)
  note "recorded: $out"
  expect_json "$out" '(.names | map(select(. != null)) | length) >= 2' "at least two different updates seen in 6 s"
  expect_json "$out" '(.spans | length) >= 1 and (.spans | min) >= 1.5' "each update visible for >= 1.5 s"
}

check_infra_errors() {
  local out
  out=$(hs_api master user GET /_synapse/admin/v1/background_updates/status)
  note "non-admin: $out"
  [[ "$out" == '403 '*M_FORBIDDEN* ]] || fail "non-admin token: expected 403 M_FORBIDDEN"
  out=$(python3 "$E2E_PY" api "${HS_URL[master]}" <(echo "Authorization: Bearer $(cat "$E2E_SECRETS/garbage.token")") \
    GET /_synapse/admin/v1/background_updates/status)
  note "garbage token: $out"
  [[ "$out" == '401 '*M_UNKNOWN_TOKEN* ]] || fail "garbage token: expected 401 M_UNKNOWN_TOKEN"
  out=$(hs_api master admin GET /wrongprefix/_synapse/admin/v1/background_updates/status)
  note "wrong prefix: $out"
  [[ "$out" == '404 '* ]] || fail "wrong prefix: expected 404"
}

check_infra_split() {
  local out
  out=$(python3 - "$E2E_RUN/status-split.jsonl" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
keys = sorted({k for r in recs if r["code"] == 200 for k in r["body"]["current_updates"]})
print(json.dumps({"answers": len(recs), "databases": keys}))
EOF
)
  note "split status answers so far: $out"
  expect_json "$out" '.databases | index("basement") != null' "database key basement reported"
  expect_json "$out" '.databases - ["basement", "state_db"] == []' "no database key other than basement/state_db"
}

check_infra_prometheus() {
  local out
  sleep 1.5 # one scrape round of the (not yet running) exporter targets
  out=$(promql 'up')
  note "up: $(jq -c 'map({exporter: .metric.exporter, up: .value[1]})' <<<"$out")"
  expect_json "$out" 'length == 5' "query API answers, 5 scrape targets configured"
  out=$(ss -ltnH "sport = :${PROM_URL##*:}" | awk '{print $4}' | sort -u | tr '\n' ' ')
  note "prometheus listens on: $out"
  [ "$out" = "127.0.0.1:${PROM_URL##*:} " ] || fail "prometheus must listen on 127.0.0.1 only"
  out=$(chroot_run /usr/bin/promtool --version 2>&1 | head -n 1)
  note "$out"
  [[ "$out" == promtool* ]] || fail "promtool missing"
}
