# shellcheck shell=bash
# The check runner. A check is a bash function that prints evidence lines and returns non-zero on failure,
# registered with `add_check ID "description" function`. Checks run in registration order, one PASS/FAIL line
# each, then "N passed, N failed"; E2E_ONLY='1|4' runs only the matching ids.
#
# Adding checks for a feature: create checks/NN-name.sh (NN orders the files; 10-core.sh is issue 3's) with
#   register_checks_name() { add_check admin-1 "what it proves" check_admin_pause; }
#   check_admin_pause() { ...; note "evidence"; [ "$x" = 1 ] || fail "why"; expect_json "$json" '.a == 1' "what"; }
# and, if the exporters or Prometheus need more, prepare_checks_name() (runs before they start):
#   EXP_EXTRA_FLAGS[master]+=" --some.flag value"; PROM_RULE_FILES+=(alerts/x.yml); PROM_EXTRA_TARGETS+=(n=h:p)
# Read the exporter with scrape/metric/wait_metric (exporter.sh), Synapse with hs_api/hs_wait_status (synapse.sh),
# Prometheus with promql/promql_value (prometheus.sh); compare exporter and Synapse over a time range with `match`
# (both are recorded 4x a second all run long: $E2E_RUN/status-HS.jsonl, $E2E_RUN/metrics-EXPORTER.jsonl).
# Checks that restart or drain a homeserver leave it running, with slow updates, for the checks after them.

declare -a E2E_CHECK_IDS=() E2E_CHECK_DESCS=() E2E_CHECK_FUNCS=()
E2E_PASSED=0
E2E_FAILED=0
E2E_ONLY=${E2E_ONLY:-}

add_check() {
  E2E_CHECK_IDS+=("$1")
  E2E_CHECK_DESCS+=("$2")
  E2E_CHECK_FUNCS+=("$3")
}

note() { printf '    %s\n' "$*"; }

E2E_FAIL_REASON=
fail() {
  E2E_FAIL_REASON=${E2E_FAIL_REASON:+$E2E_FAIL_REASON; }$*
  note "FAILED: $*"
  return 1
}

# expect_json JSON JQ_FILTER DESCRIPTION: the filter must yield true.
expect_json() {
  if jq -e "$2" >/dev/null 2>&1 <<<"$1"; then
    note "ok: $3"
  else
    fail "$3 (jq: $2)"
  fi
}

# expect_le VALUE LIMIT DESCRIPTION (floats)
expect_le() {
  if python3 -c "import sys; sys.exit(0 if float('$1') <= float('$2') else 1)"; then
    note "ok: $3 ($1 <= $2)"
  else
    fail "$3 ($1 > $2)"
  fi
}

# match HS EXPORTER FROM TO: every scrape of EXPORTER recorded in [FROM, TO] against Synapse's recorded status
# (one poll interval plus 0.5 s of slack). Prints the JSON summary (see e2e.py match).
match() {
  local window
  window=$(python3 -c "print($(duration_seconds "$E2E_POLL_INTERVAL") + 0.5)")
  python3 "$E2E_PY" match "$E2E_RUN/status-$1.jsonl" "$E2E_RUN/metrics-$2.jsonl" "$3" "$4" "$window"
}

# summarize_match JSON: the evidence line of a match result.
summarize_match() {
  jq -r '"scrapes \(.scrapes): \(.exact) equal to a status answer, \(.per_database) per database, \(.violations|length) violations; databases \(.databases); in_progress seen \(.in_progress_values); enabled seen \(.enabled_values); \(.updates|length) update names"' <<<"$1"
  jq -r '.violations[:5][] | "  violation: " + .' <<<"$1"
}

duration_seconds() {
  case "$1" in
    *ms) python3 -c "print(${1%ms} / 1000)" ;;
    *s) echo "${1%s}" ;;
    *m) echo $((${1%m} * 60)) ;;
    *) echo "$1" ;;
  esac
}

run_checks() {
  local i id desc func t0 secs failed_any=0
  for i in "${!E2E_CHECK_IDS[@]}"; do
    id=${E2E_CHECK_IDS[$i]}
    desc=${E2E_CHECK_DESCS[$i]}
    func=${E2E_CHECK_FUNCS[$i]}
    if [ -n "$E2E_ONLY" ] && ! [[ "$id" =~ ^($E2E_ONLY)$ ]]; then continue; fi
    t0=$(now)
    E2E_FAIL_REASON=
    printf '%s\n' "--- check $id: $desc"
    if "$func" && [ -z "$E2E_FAIL_REASON" ]; then
      secs=$(python3 -c "print(round($(now) - $t0, 1))")
      printf 'PASS %s %s (%ss)\n' "$id" "$desc" "$secs"
      E2E_PASSED=$((E2E_PASSED + 1))
    else
      secs=$(python3 -c "print(round($(now) - $t0, 1))")
      printf 'FAIL %s %s (%ss): %s\n' "$id" "$desc" "$secs" "${E2E_FAIL_REASON:-check returned non-zero}"
      E2E_FAILED=$((E2E_FAILED + 1))
      failed_any=1
    fi
  done
  [ "$failed_any" = 0 ] || print_component_logs
  [ "$failed_any" = 0 ]
}

summary_line() { printf '%s passed, %s failed\n' "$E2E_PASSED" "$E2E_FAILED"; }
