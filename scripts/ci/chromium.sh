#!/usr/bin/env bash
# Installs Debian's Chromium for the status page's browser tests (StatusPageBrowserTest), which
# fail under CI=true when it is missing. Idempotent: does nothing when it is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
