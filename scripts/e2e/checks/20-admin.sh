# shellcheck shell=bash
# Issue 4: the exporter's admin API against the real Synapse `master`.
#
# The master exporter runs with --admin.enabled on a loopback port of its own and a token of its own (a mode-600
# file in the secrets dir, so check 9 and the scans below look for it too). These checks run after 10-core.sh: master
# is drained then and runs no update, so a timed pause, a restart and a job have nothing else to race with. They
# leave master enabled, with no timed pause, running the regenerate_directory job admin-3 queued (~20 s of updates).

ADMIN_URL=
ADMIN_TOKEN_FILE=
ADMIN_HEADER_FILE=

prepare_checks_admin() {
  local p
  ADMIN_TOKEN_FILE=$E2E_SECRETS/exporter-admin.token
  ADMIN_HEADER_FILE=$E2E_SECRETS/exporter-admin.header
  python3 -c 'import secrets; print(secrets.token_hex(32))' >"$ADMIN_TOKEN_FILE" || return 1
  # printf is a builtin: the token never becomes a process argument.
  printf 'Authorization: Bearer %s\n' "$(cat "$ADMIN_TOKEN_FILE")" >"$ADMIN_HEADER_FILE" || return 1
  # A port that none of the setup's ports took (those were free a moment ago, not all are bound yet).
  while :; do
    read -r p < <(free_ports 1)
    case " $E2E_PORTS " in
      *" $p "*) continue ;;
    esac
    break
  done
  ADMIN_URL=http://127.0.0.1:$p
  # shellcheck disable=SC2154 # an associative array of exporter.sh
  EXP_EXTRA_FLAGS[master]+=" --admin.enabled --admin.listen-address 127.0.0.1:$p --admin.token-file $ADMIN_TOKEN_FILE"
}

register_checks_admin() {
  add_check admin-1 "admin API: a 10 s timed pause shows enabled false in Synapse, then true again at resume_at" check_admin_timed_pause
  add_check admin-2 "admin API: Synapse restarted during a timed pause ends paused again; resume cancels the pause" check_admin_restart
  add_check admin-3 "admin API: regenerate_directory queued, then Synapse's \"already in queue\" refusal passed through" check_admin_jobs
}

# admin_api METHOD PATH [JSON]: the exporter's admin API with its token; prints "CODE BODY".
admin_api() { python3 "$E2E_PY" api "$ADMIN_URL" "$ADMIN_HEADER_FILE" "$@"; }

# synapse_enabled HS: Synapse's own flag (true/false), read from Synapse, not through the exporter.
synapse_enabled() {
  hs_api "$1" admin GET /_synapse/admin/v1/background_updates/enabled | sed -n 's/^200 .*"enabled": *\(true\|false\).*/\1/p'
}

iso_epoch() { python3 -c 'import sys, datetime; print(datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp())' "$1"; }

# admin_counter ACTION OUTCOME: synapse_background_updates_admin_requests_total of the master exporter.
admin_counter() { metric master synapse_background_updates_admin_requests_total action="$1" outcome="$2"; }

# counter_grew BEFORE AFTER BY DESCRIPTION
counter_grew() {
  if python3 -c "import sys; sys.exit(0 if float('$2') - float('$1') == float('$3') else 1)"; then
    note "ok: $4 ($1 -> $2)"
  else
    fail "$4: expected +$3, got $1 -> $2"
  fi
}

# status_enabled_after HS FROM: the recorded Synapse answers after FROM as JSON [[t, enabled], ...] (failed ones
# as enabled null), from the 4-per-second status recording.
status_enabled_after() {
  python3 - "$E2E_RUN/status-$1.jsonl" "$2" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(json.dumps([[r["t"], r["body"]["enabled"] if r["code"] == 200 else None] for r in recs if r["t"] >= float(sys.argv[2])]))
EOF
}

# recorded_after HS FROM true|false: waits (up to 3 s) until the status recorder has an answer after FROM with that
# enabled value (hs_wait_status asks Synapse itself, so it can see a change before the recorder's next sample).
recorded_after() {
  local _
  for _ in $(seq 1 30); do
    status_enabled_after "$1" "$2" | jq -e "any(.[]; .[1] == $3)" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# exporter_posts_enabled HS: successful POST .../background_updates/enabled requests by the exporter, in HS's log.
exporter_posts_enabled() {
  grep -c '200 "POST /_synapse/admin/v1/background_updates/enabled HTTP/1.1" "synapse-bgu-exporter/' "${HS_DIR[$1]}/homeserver.log"
}

admin_ready() { admin_api GET /api/v1/status | grep -q '^200 '; }

# admin_resume_if_paused: after a check (which may have failed half-way), resume updates and cancel any timed pause,
# so that the checks after it do not fail for its reason too. Unconditional: the exporter's status is one poll behind
# Synapse, and resuming running updates is harmless.
admin_resume_if_paused() {
  local out
  out=$(admin_api POST /api/v1/enabled '{"enabled": true}')
  [ "${out%% *}" = 200 ] || note "cleanup: resuming background updates failed: $out"
}

check_admin_restart() {
  check_admin_restart_repause
  local rc=$?
  admin_resume_if_paused
  return $rc
}

check_admin_timed_pause() {
  local out code body t0 t_ans resume_at resume_ts f v rec first_true early unauth0 unauth1 ok0 ok1 st0 st1 r
  wait_for 20 "the admin API" admin_ready || { fail "admin API at $ADMIN_URL never answered 200"; return 1; }
  [ "$(synapse_enabled master)" = true ] || { fail "Synapse master not enabled before the check"; return 1; }
  unauth0=$(admin_counter disable unauthorized)
  ok0=$(admin_counter disable ok)
  st0=$(admin_counter status ok)

  # Without a token, and with Synapse's own admin token (which is not the exporter's): 401, nothing happens.
  out=$(curl -sS -D - -o /dev/null --max-time 10 -X POST -H 'Content-Type: application/json' \
    --data '{"enabled": false}' "$ADMIN_URL/api/v1/enabled" | tr -d '\r')
  note "no token: $(head -n 1 <<<"$out"); $(grep -i '^www-authenticate:' <<<"$out")"
  [[ "$(head -n 1 <<<"$out")" == *" 401"* ]] || fail "POST without a token: expected 401"
  grep -qi '^www-authenticate: Bearer' <<<"$out" || fail "401 without WWW-Authenticate: Bearer"
  out=$(python3 "$E2E_PY" api "$ADMIN_URL" "$(hs_header_file master admin)" POST /api/v1/enabled '{"enabled": false}')
  note "Synapse's admin token on the exporter's admin API: ${out%% *}"
  [ "${out%% *}" = 401 ] || fail "Synapse's token was accepted by the admin API: $out"
  [ "$(synapse_enabled master)" = true ] || fail "Synapse paused by an unauthorized request"

  t0=$(now)
  out=$(admin_api POST /api/v1/enabled '{"enabled": false, "for": "10s"}')
  t_ans=$(now)
  code=${out%% *}
  body=${out#* }
  note "POST /api/v1/enabled {\"enabled\": false, \"for\": \"10s\"}: $out"
  [ "$code" = 200 ] || { fail "timed pause refused"; return 1; }
  expect_json "$body" '.enabled == false and (.resume_at | type == "string")' "answer: enabled false with resume_at"
  resume_at=$(jq -r .resume_at <<<"$body")
  resume_ts=$(iso_epoch "$resume_at")
  expect_json "$resume_ts" ". >= $t0 + 9.9 and . <= $t_ans + 10.1" "resume_at 10 s after the request"
  # The answer comes after the exporter's own poll: the very next scrape shows the pause, without waiting.
  f=$E2E_RUN/admin-paused.prom
  scrape master "$f" || { fail "no /metrics"; return 1; }
  v=$(python3 "$E2E_PY" value "$f" synapse_background_updates_enabled)
  note "first scrape after the answer: enabled $v, pause_expiry_timestamp_seconds $(python3 "$E2E_PY" value "$f" synapse_background_updates_pause_expiry_timestamp_seconds)"
  [ "$v" = 0 ] || fail "enabled not 0 in the first scrape after the answer (no immediate poll?)"
  expect_json "$(python3 "$E2E_PY" value "$f" synapse_background_updates_pause_expiry_timestamp_seconds || echo null)" \
    ". != null and (. - $resume_ts | fabs) < 0.002" "pause_expiry_timestamp_seconds equals resume_at"
  [ "$(synapse_enabled master)" = false ] || fail "Synapse itself does not report the pause"
  out=$(admin_api GET /api/v1/status)
  expect_json "${out#* }" ".enabled == false and .timed_pause.resume_at == \"$resume_at\" and .timed_pause.duration == \"10s\"" \
    "GET /api/v1/status: enabled false, timed_pause with resume_at and duration"

  # Synapse's own answers, recorded 4x a second: false until resume_at, true from then on (the exporter resumed).
  hs_wait_status master 25 's["enabled"] == True' >/dev/null || { fail "Synapse still paused 25 s after a 10 s pause"; return 1; }
  recorded_after master "$t_ans" true || { fail "the status recorder never saw Synapse enabled again"; return 1; }
  rec=$(status_enabled_after master "$t_ans")
  first_true=$(jq '[.[] | select(.[1] == true)][0][0]' <<<"$rec")
  early=$(jq "[.[] | select(.[0] < $resume_ts - 0.1 and .[1] != false)] | length" <<<"$rec")
  note "Synapse's recorded answers: $(jq "[.[] | select(.[0] < $resume_ts)] | length" <<<"$rec") before resume_at, $early of them not paused; enabled again $(python3 -c "print(round($first_true - $resume_ts, 2))")s after resume_at"
  [ "$early" = 0 ] || fail "Synapse was not paused for the whole 10 s"
  # Not before resume_at; after it by the exporter's POST and Synapse's answer (~0.2 s; seconds on a loaded machine).
  expect_json "$first_true" ". >= $resume_ts - 0.1 and . <= $resume_ts + 10" "Synapse enabled again at resume_at, not before"
  wait_metric 5 master 'v is None' synapse_background_updates_pause_expiry_timestamp_seconds >/dev/null \
    || fail "pause_expiry_timestamp_seconds still there after the resume"
  wait_metric 5 master 'v == 1' synapse_background_updates_enabled >/dev/null || fail "enabled never back to 1"
  grep 'Timed pause over: background updates resumed' "${EXP_LOG[master]}" | grep -q 'paused_for=10s' \
    || fail "no 'Timed pause over' log line"
  out=$(admin_api GET /api/v1/status)
  expect_json "${out#* }" '.enabled == true and .timed_pause == null' "GET /api/v1/status: enabled, no timed pause"

  unauth1=$(admin_counter disable unauthorized)
  ok1=$(admin_counter disable ok)
  st1=$(admin_counter status ok)
  counter_grew "$unauth0" "$unauth1" 2 'admin_requests_total{action="disable",outcome="unauthorized"}'
  counter_grew "$ok0" "$ok1" 1 'admin_requests_total{action="disable",outcome="ok"}'
  counter_grew "$st0" "$st1" 2 'admin_requests_total{action="status",outcome="ok"}'
  out=$(grep 'logger=audit' "${EXP_LOG[master]}" | grep 'action=disable' | tail -n 3)
  note "audit: $(tr '\n' '|' <<<"$out")"
  # Refusals are rate-limited per address (issue 14): the first of the minute is logged, the second only
  # counted (the counter above grew by 2); the accepted pause is always logged.
  { [ "$(grep -c 'outcome=unauthorized' <<<"$out")" -eq 1 ] && grep -q 'outcome=ok.*remote=127.0.0.1:' <<<"$out"; } \
    || fail "audit lines: expected the first refusal (the second rate-limited) and the accepted pause"
  sleep 1
  r=$(match master master "$t0" "$(python3 -c "print($(now) - 0.6)")")
  note "$(summarize_match "$r")"
  expect_json "$r" '.violations == [] and (.enabled_values | index(0) != null and index(1) != null)' \
    "every scrape during the timed pause equals a status answer; enabled 0 and 1 both seen"
}

check_admin_restart_repause() {
  local out body resume_at resume_ts t_r t_ready warns0 warns1 rec after_up seen_true first_false lat t_c posts0 posts1
  [ "$(synapse_enabled master)" = true ] || { fail "Synapse master not enabled before the check"; return 1; }
  warns0=$(grep -c 'paused them again' "${EXP_LOG[master]}")
  # Synapse buffers its log records for up to 5 s (period of its generated log config): let the earlier checks'
  # requests land first, so that the count below starts from all of them.
  sleep 5.5
  posts0=$(exporter_posts_enabled master)
  out=$(admin_api POST /api/v1/enabled '{"enabled": false, "for": "10m"}')
  note "POST enabled false for 10m: $out"
  [ "${out%% *}" = 200 ] || { fail "timed pause refused"; return 1; }
  resume_at=$(jq -r .resume_at <<<"${out#* }")
  resume_ts=$(iso_epoch "$resume_at")
  [ "$(synapse_enabled master)" = false ] || fail "Synapse not paused"

  t_r=$(now)
  hs_restart master || { fail "Synapse master did not restart"; return 1; }
  t_ready=$(now)
  note "restarted Synapse master (the pause lives in its memory only) in $(python3 -c "print(round($t_ready - $t_r, 1))")s"
  hs_wait_status master 20 's["enabled"] == False' >/dev/null || { fail "Synapse not paused again 20 s after the restart"; return 1; }
  recorded_after master "$t_ready" false || { fail "the status recorder never saw Synapse paused again"; return 1; }
  # The recorder's answers after the restart: Synapse forgot the pause (enabled true), then the exporter paused again.
  rec=$(status_enabled_after master "$t_r")
  after_up=$(jq '[.[] | select(.[1] == null)] | last | .[0] // 0' <<<"$rec")
  [ "$after_up" != 0 ] || { fail "the status recorder saw no outage: Synapse did not restart"; return 1; }
  seen_true=$(jq "[.[] | select(.[0] > $after_up and .[1] == true)] | length" <<<"$rec")
  first_false=$(jq "[.[] | select(.[0] > $after_up and .[1] == false)][0][0]" <<<"$rec")
  lat=$(python3 -c "print(round($first_false - $after_up, 2))")
  note "recorded after the restart: $seen_true answers with enabled true, then paused $lat s after Synapse answered again"
  warns1=$(grep -c 'paused them again' "${EXP_LOG[master]}")
  note "exporter log: $(grep 'paused them again' "${EXP_LOG[master]}" | tail -n 1 | cut -c1-220)"
  [ "$warns1" = $((warns0 + 1)) ] || fail "expected one new 're-paused' warning, got $((warns1 - warns0))"
  grep 'paused them again' "${EXP_LOG[master]}" | tail -n 1 | grep -qF "resume_at=$resume_at" || fail "warning without the pause's resume_at"
  [ "$seen_true" -ge 1 ] || note "the recorder never caught Synapse enabled (re-paused before its next sample); the exporter's warning says it checked"
  # Synapse's side: one more pause request from the exporter (its user agent), after the restart and the timed pause.
  # Likewise the re-pause's line: give it up to 10 s to land.
  for _ in $(seq 1 20); do
    posts1=$(exporter_posts_enabled master)
    [ "$posts1" -ge $((posts0 + 2)) ] && break
    sleep 0.5
  done
  note "Synapse's access log: $((posts1 - posts0)) POST .../background_updates/enabled from the exporter since the timed pause"
  [ "$posts1" = $((posts0 + 2)) ] || fail "expected 2 (the pause, then the re-pause after the restart)"
  expect_le "$lat" "$(python3 -c "print(2 * $POLL_S + 2)")" "paused again within two polls of Synapse answering"
  wait_metric 5 master 'v == 0' synapse_background_updates_enabled >/dev/null || fail "exporter does not show enabled 0"
  expect_json "$(metric master synapse_background_updates_pause_expiry_timestamp_seconds || echo null)" \
    ". != null and (. - $resume_ts | fabs) < 0.002" "pause_expiry_timestamp_seconds still equals the pause's resume_at"
  out=$(admin_api GET /api/v1/status)
  expect_json "${out#* }" ".enabled == false and .timed_pause.resume_at == \"$resume_at\"" "GET /api/v1/status shows the timed pause"

  # {"enabled": true} resumes and cancels the timed pause: no re-pause afterwards.
  out=$(admin_api POST /api/v1/enabled '{"enabled": true}')
  t_c=$(now)
  note "POST enabled true: $out"
  expect_json "${out#* }" ".enabled == true and .cancelled_resume_at == \"$resume_at\"" "answer names the cancelled resume_at"
  [ "$(synapse_enabled master)" = true ] || fail "Synapse not enabled after the resume"
  expect_json "$(metric master synapse_background_updates_pause_expiry_timestamp_seconds || echo null)" '. == null' \
    "pause_expiry_timestamp_seconds gone at once"
  sleep "$(python3 -c "print(3 * $POLL_S + 0.5)")"
  rec=$(status_enabled_after master "$t_c")
  expect_json "$rec" 'length >= 8 and all(.[1] == true)' "Synapse stays enabled for 3 polls after the cancel (no re-pause)"
}

check_admin_jobs() {
  local out body queued direct s f secrets_found=0 tok
  queued=$(hs_queued_updates master)
  note "master's queue before: $queued rows"
  out=$(admin_api POST /api/v1/jobs '{"job_name": "regenerate_directory"}')
  note "POST /api/v1/jobs regenerate_directory: $out"
  if [ "$queued" = 0 ]; then
    { [ "${out%% *}" = 200 ] && jq -e '. == {"job_name": "regenerate_directory"}' >/dev/null <<<"${out#* }"; } \
      || fail "first regenerate_directory not accepted"
  else
    # Only when run out of order (master's startup updates, which include the user directory, still queued).
    [[ "$out" == "200 "* || "$out" == *"already in queue"* ]] || fail "first regenerate_directory: $out"
  fi
  s=$(hs_wait_status master 10 '(s["current_updates"].get("master") or {}).get("name", "").startswith("populate_user_directory")') \
    || fail "Synapse never ran the user directory updates"
  note "Synapse runs: $(jq -c '.current_updates' <<<"$s")"
  out=$(admin_api POST /api/v1/jobs '{"job_name": "regenerate_directory"}')
  body=${out#* }
  note "again: $out"
  [ "${out%% *}" = 400 ] || fail "second regenerate_directory: expected 400"
  expect_json "$body" '.errcode == "M_UNKNOWN" and (.error | contains("already in queue")) and .detail == "refused by Synapse"' \
    "Synapse's refusal: errcode M_UNKNOWN, \"already in queue\""
  # The same request straight to Synapse: our answer must carry its status, errcode and text unchanged.
  direct=$(hs_api master admin POST /_synapse/admin/v1/background_updates/start_job '{"job_name": "regenerate_directory"}')
  note "Synapse's own answer: $direct"
  [ "${direct%% *}" = 400 ] || fail "Synapse itself did not refuse"
  expect_json "$body" ".errcode == $(jq '.errcode' <<<"${direct#* }") and .error == $(jq '.error' <<<"${direct#* }")" \
    "errcode and error exactly as Synapse sent them"
  # An unknown job is refused locally, naming the field; Synapse's queue does not change.
  queued=$(hs_queued_updates master)
  out=$(admin_api POST /api/v1/jobs '{"job_name": "drop_all_tables"}')
  note "unknown job: $out"
  expect_json "${out#* }" '.detail.field == "job_name"' "unknown job: 400 naming job_name"
  [ "${out%% *}" = 400 ] || fail "unknown job: expected 400"
  [ "$(hs_queued_updates master)" -le "$queued" ] || fail "an unknown job changed Synapse's queue"
  expect_json "$(admin_counter start_job upstream_error)" '. >= 1' 'admin_requests_total{action="start_job",outcome="upstream_error"} counts the refusal'
  # No token (admin API's or Synapse's) in the exporter's log, which now has audit lines of every request above.
  for f in "$E2E_SECRETS"/*.token; do
    tok=$(cat "$f")
    grep -qF -- "$tok" "${EXP_LOG[master]}" && { secrets_found=$((secrets_found + 1)); note "secret of $(basename "$f") in the log"; }
  done
  note "audit lines in the master exporter's log: $(grep -c 'logger=audit' "${EXP_LOG[master]}"); tokens found: $secrets_found"
  [ "$secrets_found" = 0 ] || fail "a token appears in the exporter's log"
  tr '\0' ' ' <"/proc/${EXP_PID[master]}/cmdline" | grep -qF -- "$(cat "$ADMIN_TOKEN_FILE")" && fail "admin token in the exporter's arguments"
  [ -z "$E2E_FAIL_REASON" ]
}
