#!/usr/bin/env bash
# Checks the files operators deploy with, using the real tools (scripts/deploy/install-tools.sh):
#   - alert rules: promtool check rules, promtool test rules (alerts/tests/*.yml);
#   - dashboard: every panel query, variables substituted, parses as PromQL (promtool check rules);
#   - Helm chart: helm lint --strict and helm template with the default values, every ci/*-values.yaml
#     and the variants below (fleet, sharded, with and without the operator's objects); EVERY rendered
#     manifest passes the Kubernetes API and prometheus-operator CRD schemas (k8s-schemas/validate.mjs),
#     and the validator first shows that it rejects broken manifests; the rendered PrometheusRule
#     passes promtool check rules.
# The Java tests under src/test/java/.../deploy assert on the content; this script is the quick CLI pass.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
helm="${HELM_BIN:-helm}"
promtool="${PROMTOOL_BIN:-promtool}"
validate=(node scripts/deploy/k8s-schemas/validate.mjs)
chart=helm/synapse-bgu-exporter
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== alert rules"
"$promtool" check rules alerts/synapse-bgu-exporter.rules.yml
"$promtool" test rules alerts/tests/*.yml

echo "== dashboard queries parse as PromQL"
{
  echo "groups:"
  echo "  - name: dashboard-queries"
  echo "    rules:"
  n=0
  while IFS= read -r query; do
    n=$((n + 1))
    printf '      - record: dashboard:query_%d\n        expr: %s\n' "$n" "$(jq -Rn --arg q "$query" '$q')"
  done < <(scripts/deploy/dashboard-queries.sh)
} >"$work/dashboard-queries.rules.yml"
"$promtool" check rules "$work/dashboard-queries.rules.yml"

echo "== helm chart"
[[ -d scripts/deploy/k8s-schemas/node_modules ]] \
  || { echo "scripts/deploy/k8s-schemas/node_modules missing: run scripts/deploy/install-tools.sh" >&2; exit 1; }

# The validator must be able to fail: broken copies of a real rendering, each with one defect a
# cluster or the operator would reject, must all be refused.
echo "-- the schema check rejects broken manifests"
"$helm" template check "$chart" --values "$chart/ci/fleet-sharded-values.yaml" >"$work/good.yaml" 2>/dev/null
"${validate[@]}" "$work/good.yaml" >/dev/null
broken=(
  's/containerPort: 9657/containerPort: "9657x"/'
  's/^      containers:/      contianers:/'
  's/scrapeInterval: 1m/scrapeInterval: 1 minute/'
  's/targetLabel: __param_target/targetLabel: [__param_target]/'
  's/clusterIP: None/clusterIP: [None]/'
  's/^kind: StatefulSet$/kind: StatefulSets/'
  's/^  name: bgu-shards$/  name:/'
)
for defect in "${broken[@]}"; do
  sed "$defect" "$work/good.yaml" >"$work/broken.yaml"
  if cmp -s "$work/good.yaml" "$work/broken.yaml"; then
    echo "self-test: '$defect' changed nothing in the rendering: update the list" >&2
    exit 1
  fi
  if out=$("${validate[@]}" "$work/broken.yaml"); then
    echo "self-test: the schema check accepted a broken manifest ($defect)" >&2
    exit 1
  fi
  echo "   refused ($defect): $(grep -m1 '^INVALID' <<<"$out")"
done

# Every values file, plus variants no file covers: a fleet without the operator's objects, a small
# sharded fleet from the chart's own ConfigMap and Secret.
variants=(
  ""
  "$chart"/ci/*-values.yaml
  "$chart/ci/fleet-values.yaml --set fleet.scrapeConfig.enabled=false --set serviceMonitor.enabled=false"
  "$chart/ci/fleet-values.yaml --set fleet.shards=2 --set fleet.checkConfig=false"
)
# helm notes each symlink in files/ on stderr; they are expected (see the chart README).
for variant in "${variants[@]}"; do
  args=()
  if [[ -n "$variant" ]]; then
    read -r -a words <<<"$variant"
    args=(--values "${words[@]}")
  fi
  echo "-- values: ${variant:-chart defaults}"
  "$helm" lint --strict "$chart" "${args[@]}" 2> >(grep -v 'found symbolic link' >&2)
  "$helm" template check "$chart" "${args[@]}" >"$work/rendered.yaml" 2> >(grep -v 'found symbolic link' >&2)
  "${validate[@]}" "$work/rendered.yaml" | sed 's/^/   /'
done

echo "-- rendered PrometheusRule"
"$helm" template check "$chart" --set prometheusRule.enabled=true --show-only templates/prometheusrule.yaml 2>/dev/null \
  | sed -n '/^spec:$/,$p' | sed '1d; s/^  //' >"$work/rendered.rules.yml"
"$promtool" check rules "$work/rendered.rules.yml"

echo "deploy checks passed"
