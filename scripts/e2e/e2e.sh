#!/usr/bin/env bash
# End-to-end suite: the real exporter jar against three real Synapse homeservers (Debian's matrix-synapse in a cached
# sid chroot: two on SQLite, one on PostgreSQL, Debian's postgresql on the host) and a real Prometheus (Debian's
# prometheus). Run from the repository root:
#
#   bash scripts/e2e/e2e.sh                 # all checks; ends with "N passed, N failed"
#   bash scripts/e2e/e2e.sh --infra-only    # only bring up Synapse + Prometheus and check them, then stop
#   E2E_ONLY='1|4' bash scripts/e2e/e2e.sh  # only the checks whose id matches the regex (setup is the same)
#
# Needs root and Debian's package mirrors (first run: builds the chroot, ~1-2 min). Environment knobs:
# E2E_CACHE_DIR (/var/cache/synapse-bgu-exporter), E2E_DEBIAN_MIRROR, E2E_JAR (target/synapse-bgu-exporter.jar),
# E2E_STALE_AFTER (10s), E2E_KEEP=1 (keep the run dir for inspection), E2E_LOG_LINES (40), E2E_PG_DIR
# (/tmp/bgu-e2e-pg) and E2E_PG_PORT (55433) for the PostgreSQL server. Writes target/e2e/three-questions.txt.
set -uo pipefail

E2E_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$E2E_HOME/../.." || exit 1

# Run in a private mount namespace: the chroot's /proc bind mount is then invisible to the rest of the machine and
# disappears with us even if we are killed hard. Falls back to a plain mount (unmounted by the exit trap).
if [ -z "${E2E_IN_NAMESPACE:-}" ] && [ "$(id -u)" = 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  E2E_IN_NAMESPACE=1 exec unshare --mount --propagation private "$BASH" "$E2E_HOME/e2e.sh" "$@"
fi

# shellcheck source=lib/common.sh
. "$E2E_HOME/lib/common.sh"
. "$E2E_HOME/lib/chroot.sh"
. "$E2E_HOME/lib/synapse.sh"
. "$E2E_HOME/lib/postgres.sh"
. "$E2E_HOME/lib/prometheus.sh"
. "$E2E_HOME/lib/exporter.sh"
. "$E2E_HOME/lib/checks.sh"
. "$E2E_HOME/lib/infra.sh"
for f in "$E2E_HOME"/checks/*.sh; do [ -f "$f" ] && . "$f"; done
E2E_PY=$E2E_HOME/lib/e2e.py

INFRA_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --infra-only) INFRA_ONLY=1 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "e2e.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

require_root
require_cmds curl python3 jq flock unshare
# The comparator every check relies on must be able to fail: its self-test feeds it wrong exporter output.
selftest=$(PYTHONDONTWRITEBYTECODE=1 python3 "$E2E_HOME/lib/test_e2e.py" 2>&1) \
  || { echo "$selftest" >&2; fatal "the harness' comparator self-test failed"; }
if [ "$INFRA_ONLY" = 0 ]; then
  command -v java >/dev/null || fatal "java not found: the exporter jar needs Java 17+"
  if [ ! -f "$E2E_JAR" ]; then
    log "$E2E_JAR missing: building it (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests >&2 || fatal "building the jar failed"
    [ -f "$E2E_JAR" ] || fatal "mvn package did not produce $E2E_JAR"
  fi
fi

# ---- the chroot (cached) ----------------------------------------------------------------------------------
T_CHROOT0=$(date +%s.%N)
chroot_ready
T_CHROOT=$(python3 -c "import time; print(round(time.time() - $T_CHROOT0, 1))")
log "chroot ready in ${T_CHROOT}s (built now: $E2E_CHROOT_BUILT): Synapse $(synapse_version), $(prometheus_version)"

# ---- this run's directory, inside the chroot so that Synapse and Prometheus see it ---------------------------
E2E_RUN_ID=run-$(date +%Y%m%dT%H%M%S)-$$
E2E_RUN=$E2E_CHROOT/e2e-runs/$E2E_RUN_ID
E2E_RUN_IN=/e2e-runs/$E2E_RUN_ID
mkdir -p "$E2E_RUN"
echo $$ >"$E2E_RUN/owner.pid"
E2E_SECRETS=$E2E_RUN/secrets
E2E_SECRETS_IN=$E2E_RUN_IN/secrets
(umask 077 && mkdir -p "$E2E_SECRETS")
umask 077 # token and password files: mode 600
on_cleanup 'if [ "${E2E_KEEP:-0}" = 1 ]; then log "kept $E2E_RUN"; else rm -rf --one-file-system "$E2E_RUN"; fi'

if ! mountpoint -q "$E2E_CHROOT/proc"; then
  mount --bind /proc "$E2E_CHROOT/proc" || fatal "cannot bind-mount /proc into the chroot"
  on_cleanup 'umount -l "$E2E_CHROOT/proc" 2>/dev/null'
fi
cp /etc/resolv.conf "$E2E_CHROOT/etc/resolv.conf"

# ---- homeservers, Prometheus, exporters ------------------------------------------------------------------------
T_SETUP0=$(date +%s.%N)
E2E_PORTS=$(free_ports 14) # every port of the setup, for hooks that need one more (20-admin.sh)
read -r P_MASTER P_SPLIT P_PROM P_EXP_MASTER P_EXP_SPLIT P_EXP_FORBIDDEN P_EXP_UNAUTH P_EXP_NOTFOUND \
  P_PG P_M_MASTER P_M_SPLIT P_M_PG P_EXP_PG P_EXP_PLAIN <<<"$E2E_PORTS"
hs_define master single "$P_MASTER" "$P_M_MASTER"
hs_define split split "$P_SPLIT" "$P_M_SPLIT"
hs_define pg postgres "$P_PG" "$P_M_PG"
pg_start
pg_create_database
hs_generate master & g1=$!
hs_generate split & g2=$!
hs_generate pg & g3=$!
wait $g1 || fatal "could not configure homeserver master"
wait $g2 || fatal "could not configure homeserver split"
wait $g3 || fatal "could not configure homeserver pg"
hs_start master
hs_start split
hs_start pg
# Hooks of the check files (checks/NN-name.sh may define prepare_checks_name): extra exporter flags
# (EXP_EXTRA_FLAGS[master]), extra Prometheus targets (PROM_EXTRA_TARGETS) or rule files (PROM_RULE_FILES).
if [ "$INFRA_ONLY" = 0 ]; then
  for f in "$E2E_HOME"/checks/*.sh; do
    [ -f "$f" ] || continue
    r=$(basename "$f" .sh)
    if declare -F "prepare_checks_${r#*-}" >/dev/null; then "prepare_checks_${r#*-}" || fatal "prepare_checks_${r#*-} failed"; fi
  done
fi
prom_start "$P_PROM" "master=127.0.0.1:$P_EXP_MASTER" "split=127.0.0.1:$P_EXP_SPLIT" \
  "forbidden=127.0.0.1:$P_EXP_FORBIDDEN" "unauthorized=127.0.0.1:$P_EXP_UNAUTH" "notfound=127.0.0.1:$P_EXP_NOTFOUND" \
  "${PROM_EXTRA_TARGETS[@]}"
hs_wait_ready master || fatal_with_logs "homeserver master did not start"
hs_wait_ready split || fatal_with_logs "homeserver split did not start"
hs_wait_ready pg || fatal_with_logs "homeserver pg did not start"
# The exporter's read-only role, exactly as the README gives it (its GRANT SELECT needs Synapse's tables).
pg_create_exporter_role || fatal_with_logs "the README's read-only role could not be created"
log "homeservers up: master ${HS_URL[master]}, split ${HS_URL[split]} (databases basement + state_db), pg ${HS_URL[pg]} (PostgreSQL $(pg_version) on port $E2E_PG_PORT)"

# Admin and non-admin users with Synapse's own tool, tokens from the login API.
reg_pids=()
for hs in master split; do
  hs_register "$hs" admin admin & reg_pids+=($!)
  hs_register "$hs" user user & reg_pids+=($!)
done
hs_register pg admin admin & reg_pids+=($!)
for p in "${reg_pids[@]}"; do wait "$p" || fatal_with_logs "registering users failed"; done
python3 -c 'import secrets; print("syt_" + secrets.token_urlsafe(30))' >"$E2E_SECRETS/garbage.token"
log "admin and non-admin tokens ready (files in a mode-700 dir)"

# Synapse's own view, recorded 4x a second for the whole run: the reference the exporter is compared against.
for hs in master split; do
  python3 "$E2E_PY" record-status "${HS_URL[$hs]}" "$(hs_header_file "$hs" admin)" "$E2E_RUN/status-$hs.jsonl" 0.25 &
  track "status-recorder-$hs" $!
done

if [ "$INFRA_ONLY" = 1 ]; then
  prom_wait_ready || fatal_with_logs "prometheus did not become ready"
  register_checks_infra
else
  # shellcheck disable=SC2046 # flags as words
  exporter_start master "$P_EXP_MASTER" "${HS_URL[master]}" "$(hs_token_file master admin)" $(exporter_source_flags master)
  # shellcheck disable=SC2046
  exporter_start split "$P_EXP_SPLIT" "${HS_URL[split]}" "$(hs_token_file split admin)" $(exporter_source_flags split)
  exporter_start forbidden "$P_EXP_FORBIDDEN" "${HS_URL[master]}" "$(hs_token_file master user)"
  exporter_start unauthorized "$P_EXP_UNAUTH" "${HS_URL[master]}" "$E2E_SECRETS/garbage.token"
  exporter_start notfound "$P_EXP_NOTFOUND" "${HS_URL[master]}/wrongprefix" "$(hs_token_file master admin)"
  # Issue 13's optional sources: Synapse's own metrics listener and its database(s), read-only. `plain` watches
  # master with the admin API alone, as every exporter did before them.
  exporter_start pg "$P_EXP_PG" "${HS_URL[pg]}" "$(hs_token_file pg admin)" $(exporter_source_flags pg) \
    --database.password-file "$E2E_SECRETS/pg-$E2E_PG_EXPORTER_ROLE.password"
  exporter_start plain "$P_EXP_PLAIN" "${HS_URL[master]}" "$(hs_token_file master admin)"
  for e in master split forbidden unauthorized notfound pg plain; do
    exporter_wait_healthy "$e" || fatal_with_logs "exporter $e did not start"
  done
  E2E_T_EXPORTERS=$(now)
  for e in master split pg; do
    python3 "$E2E_PY" record-metrics "${EXP_URL[$e]}/metrics" "$E2E_RUN/metrics-$e.jsonl" 0.25 &
    track "metrics-recorder-$e" $!
  done
  prom_wait_ready || fatal_with_logs "prometheus did not become ready"
  # Every checks/NN-*.sh file defines register_checks_<name>; they register in file order.
  for f in "$E2E_HOME"/checks/*.sh; do
    [ -f "$f" ] || continue
    r=$(basename "$f" .sh)
    declare -F "register_checks_${r#*-}" >/dev/null || fatal "$f defines no register_checks_${r#*-}"
    "register_checks_${r#*-}"
  done
fi
T_SETUP=$(python3 -c "import time; print(round(time.time() - $T_SETUP0, 1))")
log "setup done in ${T_SETUP}s; running checks"

run_checks
rc=$?
echo "timings: chroot ${T_CHROOT}s (built now: $E2E_CHROOT_BUILT), setup ${T_SETUP}s, total $(elapsed)s; Synapse $(synapse_version), $(prometheus_version)"
summary_line
exit $rc
