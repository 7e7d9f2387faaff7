#!/usr/bin/env bash
# The cached Debian sid chroot with Synapse and Prometheus that the end-to-end suite runs in.
#
#   bash scripts/e2e/synapse-chroot.sh            # build it if missing or broken, else just check it
#   bash scripts/e2e/synapse-chroot.sh --check    # only say whether it is usable (exit 1 if not)
#   bash scripts/e2e/synapse-chroot.sh --rebuild  # throw it away and build it again (~1-2 min)
#
# Location: $E2E_CACHE_DIR/chroot (default /var/cache/synapse-bgu-exporter/chroot). Needs root and Debian's mirrors.
set -uo pipefail
E2E_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
. "$E2E_HOME/lib/common.sh"
. "$E2E_HOME/lib/chroot.sh"

mode=${1:-ensure}
require_root
require_cmds python3 flock
case "$mode" in
  --check)
    problem=$(chroot_problem "$E2E_CHROOT")
    if [ -n "$problem" ]; then
      echo "chroot $E2E_CHROOT unusable: $problem"
      exit 1
    fi
    echo "chroot $E2E_CHROOT usable: Synapse $(synapse_version), $(prometheus_version)"
    sed -n '2,$p' "$E2E_CHROOT/$E2E_CHROOT_MARKER"
    ;;
  --rebuild)
    mkdir -p "$E2E_CACHE_DIR"
    exec {fd}>"$E2E_CACHE_DIR/chroot.lock"
    flock -x -w 1800 "$fd" || fatal "could not lock $E2E_CACHE_DIR/chroot.lock"
    safe_rm_tree "$E2E_CHROOT"
    flock -u "$fd"
    chroot_ready
    echo "rebuilt $E2E_CHROOT: Synapse $(synapse_version), $(prometheus_version)"
    ;;
  ensure)
    chroot_ready
    echo "chroot $E2E_CHROOT ready (built now: $E2E_CHROOT_BUILT): Synapse $(synapse_version), $(prometheus_version)"
    ;;
  -h | --help) sed -n '2,9p' "$0" ;;
  *) echo "synapse-chroot.sh: unknown argument $mode" >&2; exit 2 ;;
esac
