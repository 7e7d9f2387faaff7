# shellcheck shell=bash
# The Debian sid chroot that holds the real Synapse (package matrix-synapse) and Prometheus (package prometheus,
# with promtool). Built once with debootstrap and cached outside the clone; every run checks it is intact and
# rebuilds it when it is not. Recipe: docs/real-synapse.md.

E2E_CACHE_DIR=${E2E_CACHE_DIR:-/var/cache/synapse-bgu-exporter}
E2E_CHROOT=${E2E_CHROOT:-$E2E_CACHE_DIR/chroot}
E2E_DEBIAN_MIRROR=${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}
E2E_CHROOT_PACKAGES="matrix-synapse python3-cffi-backend prometheus ca-certificates"
# Bump when the recipe changes: a cached chroot with another recipe is rebuilt.
E2E_CHROOT_RECIPE="recipe-1 sid minbase: $E2E_CHROOT_PACKAGES"
E2E_CHROOT_MARKER=.synapse-bgu-exporter-e2e
# Packages added since recipe-1, each with a probe: a cached chroot that lacks one gets it installed in place (a few
# seconds) instead of a rebuild, and the recipe line stays, so that checkouts of the older harness sharing the cache
# neither reject the chroot nor rebuild it back without them. A fresh build installs them with the others.
E2E_CHROOT_EXTRAS=(
  "python3-psycopg2|/usr/bin/python3 -c 'import psycopg2'" # Synapse on PostgreSQL (database: name: psycopg2)
)

# Mounts under DIR (bind-mounted /proc of a run that died): never rm -rf through them.
mounts_under() { awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts; }

safe_rm_tree() {
  local dir=$1 m
  [ -e "$dir" ] || return 0
  for m in $(mounts_under "$dir" | sort -r); do umount -l "$m" || fatal "cannot unmount $m"; done
  [ -z "$(mounts_under "$dir")" ] || fatal "still mounted under $dir"
  rm -rf --one-file-system "$dir"
}

# lock_or_wait -s|-x FD: takes the lock, saying so when another run makes us wait.
lock_or_wait() {
  flock "$1" -n "$2" && return 0
  log "waiting for $E2E_CACHE_DIR/chroot.lock: another e2e run is using or building the chroot"
  flock "$1" -w 1800 "$2" || fatal "could not lock $E2E_CACHE_DIR/chroot.lock within 30 min"
}

# chroot_problem: prints why the cached chroot cannot be used, nothing when it is intact. The probes run in
# parallel: each starts a program of the chroot, and Python's imports dominate a warm run's start-up.
chroot_problem() {
  local root=$1 dir i
  [ -d "$root" ] || { echo "absent"; return; }
  [ -f "$root/$E2E_CHROOT_MARKER" ] || { echo "no completion marker (build interrupted?)"; return; }
  [ "$(head -n 1 "$root/$E2E_CHROOT_MARKER")" = "$E2E_CHROOT_RECIPE" ] || { echo "built by another recipe"; return; }
  dir=$(mktemp -d)
  local probes=(
    "synapse does not import|/usr/bin/python3 -c 'import synapse, yaml, synapse.app.homeserver'"
    "prometheus does not run|/usr/bin/prometheus --version"
    "promtool does not run|/usr/bin/promtool --version"
    "synapse_register_new_matrix_user does not run|/usr/bin/synapse_register_new_matrix_user --help"
    "dpkg --audit reports broken packages|test -z \"\$(dpkg --audit 2>&1)\""
  )
  for i in "${!probes[@]}"; do
    (chroot "$root" /bin/sh -c "${probes[$i]#*|}" >"$dir/$i.out" 2>&1 || echo "${probes[$i]%%|*}" >"$dir/$i.fail") &
  done
  wait
  for i in "${!probes[@]}"; do
    if [ -f "$dir/$i.fail" ]; then
      echo "$(cat "$dir/$i.fail"): $(tail -n 1 "$dir/$i.out")"
      break
    fi
  done
  rm -rf "$dir"
}

chroot_build() {
  local new=$1 logf=$2
  safe_rm_tree "$new"
  require_cmds debootstrap
  log "debootstrap sid (minbase) into $new from $E2E_DEBIAN_MIRROR (log: $logf)"
  debootstrap --variant=minbase sid "$new" "$E2E_DEBIAN_MIRROR" >"$logf" 2>&1 || {
    tail -n 20 "$logf" >&2
    fatal "debootstrap failed: Debian's package mirrors ($E2E_DEBIAN_MIRROR) are needed"
  }
  # Nothing may start services inside the chroot while packages install (prometheus ships a service).
  printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
  chmod 755 "$new/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$new/etc/resolv.conf"
  log "apt-get install $E2E_CHROOT_PACKAGES inside the chroot"
  # Valid-Until: the mirror's unstable Release file can be past its date (recipe, step 2).
  chroot "$new" /bin/bash -c "
    set -e
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o Acquire::Check-Valid-Until=false update
    apt-get install -y -f
    apt-get install -y --no-install-recommends $E2E_CHROOT_PACKAGES $(chroot_extra_names)
    apt-get clean
  " >>"$logf" 2>&1 || {
    tail -n 30 "$logf" >&2
    fatal "installing $E2E_CHROOT_PACKAGES in the chroot failed: Debian's package mirrors are needed"
  }
  {
    echo "$E2E_CHROOT_RECIPE"
    echo "built $(date -u +%FT%TZ)"
    chroot "$new" dpkg-query -W matrix-synapse prometheus python3
    echo "extras: $(chroot_extra_names)"
  } >"$new/$E2E_CHROOT_MARKER"
}

chroot_extra_names() { local e; for e in "${E2E_CHROOT_EXTRAS[@]}"; do printf '%s ' "${e%%|*}"; done; }

# chroot_missing_extras ROOT: the extra packages whose probe fails in ROOT (nothing when all are there).
chroot_missing_extras() {
  local e
  for e in "${E2E_CHROOT_EXTRAS[@]}"; do
    chroot "$1" /bin/sh -c "${e#*|}" >/dev/null 2>&1 || printf '%s ' "${e%%|*}"
  done
}

# chroot_add_extras ROOT PACKAGES: installs them into the cached chroot (holding the exclusive lock).
chroot_add_extras() {
  local root=$1 pkgs=$2 logf=$E2E_CACHE_DIR/extras.log
  log "chroot $root lacks $pkgs: installing them in place (log: $logf)"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" /bin/bash -c "
    set -e
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o Acquire::Check-Valid-Until=false update
    apt-get install -y --no-install-recommends $pkgs
    apt-get clean
  " >"$logf" 2>&1 || {
    tail -n 30 "$logf" >&2
    fatal "installing $pkgs in the chroot failed: Debian's package mirrors are needed"
  }
  echo "extras added $(date -u +%FT%TZ): $pkgs" >>"$root/$E2E_CHROOT_MARKER"
  [ -z "$(chroot_missing_extras "$root")" ] || fatal "still missing in the chroot after apt-get install: $(chroot_missing_extras "$root")"
}

# chroot_ready: leaves E2E_CHROOT intact and holds a shared lock on it for the rest of the process, so that
# concurrent runs can share it but none rebuilds it underneath another. Sets E2E_CHROOT_BUILT=1 when it built it.
E2E_CHROOT_BUILT=0
chroot_ready() {
  local problem t0 fd missing
  mkdir -p "$E2E_CACHE_DIR"
  exec {fd}>"$E2E_CACHE_DIR/chroot.lock"
  lock_or_wait -s "$fd"
  problem=$(chroot_problem "$E2E_CHROOT")
  if [ -n "$problem" ]; then
    flock -u "$fd"
    lock_or_wait -x "$fd"
    problem=$(chroot_problem "$E2E_CHROOT") # another run may have rebuilt it meanwhile
  fi
  if [ -n "$problem" ]; then
    log "chroot $E2E_CHROOT unusable ($problem): building it"
    t0=$(date +%s)
    chroot_build "$E2E_CHROOT.new" "$E2E_CACHE_DIR/build.log"
    problem=$(chroot_problem "$E2E_CHROOT.new")
    [ -z "$problem" ] || fatal "freshly built chroot is unusable: $problem (log: $E2E_CACHE_DIR/build.log)"
    safe_rm_tree "$E2E_CHROOT"
    mv "$E2E_CHROOT.new" "$E2E_CHROOT"
    E2E_CHROOT_BUILT=1
    log "chroot built in $(($(date +%s) - t0)) s"
  fi
  if [ -n "$(chroot_missing_extras "$E2E_CHROOT")" ]; then
    flock -u "$fd"
    lock_or_wait -x "$fd"
    missing=$(chroot_missing_extras "$E2E_CHROOT") # another run may have added them meanwhile
    [ -z "$missing" ] || chroot_add_extras "$E2E_CHROOT" "$missing"
  fi
  flock -s "$fd" # (a no-op when already shared; downgrades after a build)
  # Leftovers of runs that were killed hard (their pid is gone): remove them.
  local d pid
  for d in "$E2E_CHROOT"/e2e-runs/*/; do
    [ -f "$d/owner.pid" ] || continue
    pid=$(cat "$d/owner.pid")
    kill -0 "$pid" 2>/dev/null || safe_rm_tree "${d%/}"
  done
  return 0
}

synapse_version() { chroot "$E2E_CHROOT" /usr/bin/python3 -c 'import synapse; print(synapse.__version__)'; }
prometheus_version() { chroot "$E2E_CHROOT" /usr/bin/prometheus --version 2>&1 | head -n 1; }
