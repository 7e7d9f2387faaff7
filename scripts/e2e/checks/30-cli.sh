# shellcheck shell=bash
# Issue 6: the operator commands (the same jar) against the real homeservers.
#
# cli-1 needs a homeserver still running its startup updates, which take ~2 min when slowed down: `split` has them
# when the checks begin, and nothing but check 4 (which queues a few more) touches split. So the `wait` under test
# starts, in the background, when the checks are registered (just before the first check runs) and cli-1, which runs
# after 10-core.sh and 20-admin.sh, collects its exit code, output and exit time (the output file's last write: the
# summary, printed just before exit) and holds them against Synapse's own answers, recorded 4x a second all run long.
# cli-2 runs on master once admin-3's job is over, and leaves master running the jobs it queued.

CLI_WAIT_PID=
CLI_WAIT_T0=
CLI_WAIT_OUT=

register_checks_cli() {
  add_check cli-1 "wait on a fresh homeserver (split): exit 0 only once its startup updates are over" check_cli_wait_fresh
  add_check cli-2 "start-job (exit 0; again: Synapse's refusal, exit 1); wait --timeout 5s during the job: exit 1" check_cli_wait_timeout
  if [ -z "$E2E_ONLY" ] || [[ cli-1 =~ ^($E2E_ONLY)$ ]]; then cli_start_background_wait; fi
}

# cli_cmd HS COMMAND [ARGS...]: the jar as a command, run the way we ship it, against homeserver HS with its admin's
# token file (a path: the token never becomes an argument), in a clean environment.
cli_cmd() {
  local hs=$1 cmd=$2
  shift 2
  exporter_jvm_opts
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" "$cmd" --synapse.url "${HS_URL[$hs]}" \
    --synapse.token-file "$(hs_token_file "$hs" admin)" "$@"
}

# The defaults a deploy script would use, except: progress as plain lines (no terminal here), a poll every second
# (more polls land in the short {} gaps between updates, where a naive wait would stop) and a timeout as a bound.
cli_start_background_wait() {
  CLI_WAIT_OUT=$E2E_RUN/cli-wait-split.out
  CLI_WAIT_T0=$(now)
  exporter_jvm_opts
  # Spelled out, not through cli_cmd: a function in the background would be a subshell, and $! must be the JVM.
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" wait --synapse.url "${HS_URL[split]}" \
    --synapse.token-file "$(hs_token_file split admin)" --poll-interval 1s --timeout 5m --progress plain \
    >"$CLI_WAIT_OUT" 2>&1 &
  CLI_WAIT_PID=$!
  track cli-wait-split "$CLI_WAIT_PID" "$CLI_WAIT_OUT"
  sleep 0.2
  tr '\0' ' ' <"/proc/$CLI_WAIT_PID/cmdline" >"$E2E_RUN/cli-wait-split.cmdline" 2>/dev/null
  log "started \`wait\` on split in the background (pid $CLI_WAIT_PID) for check cli-1"
}

# cli_no_secrets FILE...: no token or password of the run in FILEs.
cli_no_secrets() {
  local f s n=0
  for f in "$E2E_SECRETS"/*.token "$E2E_SECRETS"/*.password; do
    s=$(cat "$f")
    [ ${#s} -ge 8 ] || continue
    if grep -qF -- "$s" "$@"; then
      n=$((n + 1))
      note "the secret of $(basename "$f") appears in: $(grep -lF -- "$s" "$@" | tr '\n' ' ')"
    fi
  done
  [ "$n" = 0 ] && note "ok: no token or password in $(printf '%s ' "${@##*/}")"
  [ "$n" = 0 ] || fail "$n secrets in the command's output or arguments"
}

check_cli_wait_fresh() {
  local i rc t_exit out r
  [ -n "$CLI_WAIT_PID" ] || { fail "the background wait was not started"; return 1; }
  for i in $(seq 1 2400); do
    kill -0 "$CLI_WAIT_PID" 2>/dev/null || break
    [ "$i" = 1 ] && note "wait still running: waiting for it (up to 4 min)"
    sleep 0.1
  done
  if kill -0 "$CLI_WAIT_PID" 2>/dev/null; then
    tail -n 5 "$CLI_WAIT_OUT" | sed 's/^/      /'
    stop_pid "$CLI_WAIT_PID"
    fail "wait on split still running $(python3 -c "print(round($(now) - $CLI_WAIT_T0))")s after it started"
    return 1
  fi
  wait "$CLI_WAIT_PID"
  rc=$?
  untrack "$CLI_WAIT_PID"
  t_exit=$(python3 -c "import os, sys; print(os.path.getmtime(sys.argv[1]))" "$CLI_WAIT_OUT")
  # A few of Synapse's answers after the exit, to show nothing ran on after it (when this check caught it exiting).
  sleep "$(python3 -c "print(max(0.0, $t_exit + 2.5 - $(now)))")"
  note "wait exited $rc after $(python3 -c "print(round($t_exit - $CLI_WAIT_T0, 1))")s; $(grep -c ' finished$' "$CLI_WAIT_OUT") 'finished' lines; last line: $(tail -n 1 "$CLI_WAIT_OUT")"
  out=$(grep -c 'no update running; settling' "$CLI_WAIT_OUT")
  note "it saw no update and started settling $out times"
  # Synapse's own answers around the wait.
  r=$(python3 - "$E2E_RUN/status-split.jsonl" "$CLI_WAIT_T0" "$t_exit" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t0, t_exit = float(sys.argv[2]), float(sys.argv[3])
busy = lambda r: r["code"] == 200 and r["body"]["current_updates"] != {}
during = [r for r in recs if t0 <= r["t"] <= t_exit]
gaps, longest, start = 0, 0.0, None
for a, b in zip(during, during[1:]):
    if busy(a) and not busy(b):
        start = b["t"]
    if start is not None and not busy(a) and busy(b):
        gaps += 1
        longest = max(longest, b["t"] - start)
        start = None
last_busy = max([r["t"] for r in recs if r["t"] <= t_exit and busy(r)], default=None)
print(json.dumps({
    "answers_during": len(during),
    "failed_during": sum(r["code"] != 200 for r in during),
    "busy_from_start": round(last_busy - t0, 1) if last_busy else None,
    "exit_after_last_busy": round(t_exit - last_busy, 2) if last_busy else None,
    "idle_gaps_sat_through": gaps,
    "longest_gap": round(longest, 2),
    "busy_after_exit": sum(busy(r) for r in recs if r["t"] > t_exit),
    "answers_after_exit": sum(r["t"] > t_exit for r in recs),
    "updates_during": sorted({db + "/" + u["name"] for r in during if busy(r) for db, u in r["body"]["current_updates"].items()}),
}))
EOF
)
  note "Synapse's answers: $(jq -c 'del(.updates_during)' <<<"$r")"
  note "updates Synapse ran while wait waited: $(jq '.updates_during | length' <<<"$r")"
  [ "$rc" = 0 ] || { tail -n 5 "$CLI_WAIT_OUT" | sed 's/^/      /'; fail "wait on a fresh homeserver exited $rc, expected 0"; }
  grep -q '^Done: no background update running for 3 polls over 10s' "$CLI_WAIT_OUT" || fail "no 'Done:' summary"
  expect_json "$r" '.busy_from_start >= 20 and (.updates_during | length) >= 5' \
    "wait started while the startup updates ran (>= 20 s and >= 5 updates before it could stop)"
  # Done means 3 idle polls over >= 10 s: not before 10 s after Synapse's last current update, and not much later
  # (~11 s here; slow answers on a loaded machine add a few seconds).
  expect_json "$r" '.exit_after_last_busy >= 9.7 and .exit_after_last_busy <= 30' \
    "exit 10-30 s after the last answer with a current update"
  expect_json "$r" '.answers_after_exit >= 4 and .busy_after_exit == 0' "no update ran on split after wait said done"
  [ "$(hs_queued_updates split)" = 0 ] || fail "split's background_updates tables still have rows"
  note "split's background_updates tables: $(hs_queued_updates split) rows"
  cli_no_secrets "$CLI_WAIT_OUT" "$E2E_RUN/cli-wait-split.cmdline"
  [ -z "$E2E_FAIL_REASON" ]
}

# The job must outlast the wait: regenerate_directory is four updates and populate_stats_process_rooms one, and
# each update takes at least one batch, which Synapse starts after sleep_duration_ms (2 s): at least 10 s of work,
# whatever the load. wait starts right after them and the refused second start-job runs alongside it; whether the
# job really ran until wait gave up is then read from Synapse's own recorded answers.
check_cli_wait_timeout() {
  local out rc t0 t1 ms st pid i job f=$E2E_RUN/cli-timeout
  # admin-3's regenerate_directory must be over, or the first start-job would be refused.
  for i in $(seq 1 120); do
    [ "$(hs_queued_updates master)" = 0 ] && break
    [ "$i" = 1 ] && note "waiting for master's queue (admin-3's job) to empty"
    sleep 0.5
  done
  [ "$(hs_queued_updates master)" = 0 ] || { fail "master's queue not empty after 60 s"; return 1; }
  for job in populate_stats_process_rooms regenerate_directory; do
    out=$(cli_cmd master start-job "$job" 2>&1)
    rc=$?
    note "start-job $job: exit $rc: $out"
    [ "$rc" = 0 ] || fail "start-job $job exited $rc, expected 0"
  done
  t0=$(now)
  exporter_jvm_opts
  env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
    java "${JVM_OPTS[@]}" -jar "$E2E_JAR" wait --synapse.url "${HS_URL[master]}" \
    --synapse.token-file "$(hs_token_file master admin)" --timeout 5s --poll-interval 1s --progress plain \
    >"$f.out" 2>&1 &
  pid=$!
  track cli-wait-master "$pid" "$f.out"
  out=$(cli_cmd master start-job regenerate_directory 2>"$f.err")
  rc=$?
  note "start-job regenerate_directory again (while wait runs): exit $rc; stdout '$out'; stderr: $(cat "$f.err")"
  [ "$rc" = 1 ] || fail "second start-job exited $rc, expected 1"
  grep -q 'Synapse refused the request (HTTP 400, M_UNKNOWN): Job regenerate_directory is already in queue of background updates.' "$f.err" \
    || fail "second start-job: Synapse's refusal not shown as sent"
  wait "$pid"
  rc=$?
  t1=$(python3 -c "import os, sys; print(os.path.getmtime(sys.argv[1]))" "$f.out")
  untrack "$pid"
  ms=$(python3 -c "print(int(($t1 - $t0) * 1000))")
  note "wait --timeout 5s: exit $rc after $ms ms; last line: $(tail -n 1 "$f.out")"
  [ "$rc" = 1 ] || { sed 's/^/      /' "$f.out"; fail "wait --timeout 5s during the job exited $rc, expected 1"; }
  grep -q 'wait: timeout: still not done after 5s (--timeout 5s); still running: master: ' "$f.out" || fail "no timeout summary"
  # Not before the timeout; after it by at most a poll, a request and the JVM's start and exit.
  expect_json "$ms" '. >= 5000 and . <= 12000' "took 5-12 s"
  st=$(cli_cmd master status --output json 2>"$f.status.err")
  note "status --output json after: $(jq -c '{enabled, in_progress, current: [.current_updates[] | "\(.database)/\(.update) \(.items_processed) items"]}' <<<"$st")"
  expect_json "$st" '.enabled == true and (.in_progress | type == "number")' "status --output json reads Synapse"
  # Otherwise exit 1 would prove nothing: an update of the job was current in Synapse's answers until wait gave up.
  out=$(python3 - "$E2E_RUN/status-master.jsonl" "$t0" "$t1" <<'EOF2'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t0, t1 = float(sys.argv[2]), float(sys.argv[3])
during = [r for r in recs if t0 <= r["t"] <= t1]
busy = lambda r: r["code"] == 200 and r["body"]["current_updates"] != {}
print(json.dumps({"answers": len(during), "idle": sum(not busy(r) for r in during),
                  "busy_in_last_second": all(busy(r) for r in during if r["t"] >= t1 - 1),
                  "names": sorted({u["name"] for r in during if busy(r) for u in r["body"]["current_updates"].values()})}))
EOF2
)
  note "Synapse's answers during the wait: $out"
  expect_json "$out" '.answers >= 16 and .idle <= 2' "an update was current throughout the wait (short switches aside)"
  expect_json "$out" '.busy_in_last_second' "and still when wait gave up"
  cli_no_secrets "$f.out" "$f.err"
  [ -z "$E2E_FAIL_REASON" ]
}
