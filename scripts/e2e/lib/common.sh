# shellcheck shell=bash
# Shared plumbing of the end-to-end harness: logging, process tracking, cleanup, ports, waiting.
# Sourced by e2e.sh and synapse-chroot.sh; never run on its own.

E2E_T0=$(date +%s.%N)

log() { printf '[e2e %6.1fs] %s\n' "$(elapsed)" "$*" >&2; }
elapsed() { python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$E2E_T0" 2>/dev/null || echo 0; }
now() { date +%s.%N; }

# A setup step that cannot work here is an error of the run, never a skip: CI must go red.
# It counts as a failed check so that the closing "N passed, N failed" line tells the truth.
fatal() {
  printf 'E2E FATAL: %s\n' "$*" >&2
  printf 'FAIL setup: %s\n' "$*"
  printf '%s passed, %s failed\n' "${E2E_PASSED:-0}" "$((${E2E_FAILED:-0} + 1))"
  exit 1
}

require_root() {
  [ "$(id -u)" = 0 ] || fatal "needs root (debootstrap, chroot and mount); run as root like CI does"
}

require_cmds() {
  local missing=() c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing missing host tools: ${missing[*]}"
  apt_host_install "${missing[@]}"
  for c in "${missing[@]}"; do command -v "$c" >/dev/null 2>&1 || fatal "command '$c' still missing after apt-get install"; done
}

# Host packages come from Debian's mirrors; one `apt-get update` per run at most.
APT_UPDATED=0
apt_host_install() {
  local pkgs=() p
  for p in "$@"; do
    case "$p" in
      python3) pkgs+=(python3) ;;
      *) pkgs+=("$p") ;;
    esac
  done
  if [ "$APT_UPDATED" = 0 ]; then
    apt-get update -qq >&2 || fatal "apt-get update failed: Debian's package mirrors are needed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2 \
    || fatal "apt-get install ${pkgs[*]} failed: Debian's package mirrors are needed"
}

# ---- processes: everything started is recorded here and stopped by pid on exit -------------------
declare -a E2E_PIDS=()
declare -A E2E_PID_NAME=()
declare -A E2E_LOGS=()
declare -A E2E_LOG_SKIP=() # name -> regex of noise lines left out when logs are printed

# track NAME PID LOGFILE
track() {
  E2E_PIDS+=("$2")
  E2E_PID_NAME[$2]=$1
  [ -n "${3:-}" ] && E2E_LOGS[$1]=$3
  return 0
}

untrack() {
  local pid=$1 p keep=()
  for p in "${E2E_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  E2E_PIDS=("${keep[@]}")
  unset "E2E_PID_NAME[$pid]"
}

# stop_pid PID: TERM, up to 10 s grace, then KILL. Only ever our own pids.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || { untrack "$pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid (${E2E_PID_NAME[$pid]:-?}) ignored TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  untrack "$pid"
  return 0
}

declare -a E2E_CLEANUPS=()
on_cleanup() { E2E_CLEANUPS+=("$*"); }

E2E_CLEANED=0
cleanup() {
  local rc=$? i
  [ "$E2E_CLEANED" = 1 ] && return
  E2E_CLEANED=1
  set +e
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${E2E_PIDS[$i]}"
  done
  kill_leftovers
  for ((i = ${#E2E_CLEANUPS[@]} - 1; i >= 0; i--)); do
    eval "${E2E_CLEANUPS[$i]}"
  done
  return "$rc"
}

# Safety net: a process whose command line names this run's unique id was started by this run; if one is still
# alive after the tracked pids were stopped, the tracking has a bug: say so and stop it.
kill_leftovers() {
  [ -n "${E2E_RUN_ID:-}" ] || return 0
  local f pid
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    [ "$pid" = $$ ] && continue
    if tr '\0' ' ' 2>/dev/null <"$f" | grep -qF -- "$E2E_RUN_ID"; then
      log "BUG: pid $pid of this run was not tracked: $(tr '\0' ' ' <"$f" | cut -c1-120)"
      stop_pid "$pid"
    fi
  done
}

print_component_logs() {
  local name f
  for name in $(printf '%s\n' "${!E2E_LOGS[@]}" | sort); do
    f=${E2E_LOGS[$name]}
    [ -f "$f" ] || continue
    printf '\n----- log of %s (last %s lines of %s%s) -----\n' "$name" "${E2E_LOG_LINES:-40}" "$f" \
      "${E2E_LOG_SKIP[$name]:+, without lines matching ${E2E_LOG_SKIP[$name]}}"
    grep -Ev -- "${E2E_LOG_SKIP[$name]:-^\$^}" "$f" | tail -n "${E2E_LOG_LINES:-40}"
  done
  printf -- '----- end of component logs -----\n'
}

# ---- ports and waiting -------------------------------------------------------------------------------
# free_ports N: N distinct loopback ports that were free a moment ago (bound together, then released).
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_for() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.1
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }

# A setup failure with the components' logs, so that the cause is visible in CI's output.
fatal_with_logs() {
  print_component_logs >&2
  fatal "$*"
}
