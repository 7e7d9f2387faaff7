#!/usr/bin/env bash
# Checks the files operators deploy with, using the real tools (scripts/deploy/install-tools.sh):
#   - alert rules: promtool check rules, promtool test rules (alerts/tests/*.yml);
#   - dashboard: every panel query, variables substituted, parses as PromQL (promtool check rules);
#   - Helm chart: helm lint --strict and helm template with the default values and every ci/*-values.yaml,
#     and the rendered PrometheusRule passes promtool check rules.
# The Java tests under src/test/java/.../deploy assert on the content; this script is the quick CLI pass.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
helm="${HELM_BIN:-helm}"
promtool="${PROMTOOL_BIN:-promtool}"
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
# helm notes each symlink in files/ on stderr; they are expected (see the chart README).
for values in "" "$chart"/ci/*-values.yaml; do
  args=()
  [[ -n "$values" ]] && args=(--values "$values")
  echo "-- values: ${values:-chart defaults}"
  "$helm" lint --strict "$chart" "${args[@]}" 2> >(grep -v 'found symbolic link' >&2)
  "$helm" template check "$chart" "${args[@]}" >"$work/rendered.yaml" 2> >(grep -v 'found symbolic link' >&2)
done

echo "-- rendered PrometheusRule"
"$helm" template check "$chart" --set prometheusRule.enabled=true --show-only templates/prometheusrule.yaml 2>/dev/null \
  | sed -n '/^spec:$/,$p' | sed '1d; s/^  //' >"$work/rendered.rules.yml"
"$promtool" check rules "$work/rendered.rules.yml"

echo "deploy checks passed"
