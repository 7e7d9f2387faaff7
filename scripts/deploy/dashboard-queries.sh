#!/usr/bin/env bash
# Prints the PromQL of every panel query of the Grafana dashboard, one per line, with the dashboard's
# variables substituted so that each line can be sent to Prometheus as is:
#   - every multi-value variable with "All" (job, instance) becomes its allValue (.+), i.e. "all of them";
#   - $__rate_interval and $__interval become $RATE_INTERVAL (default 1m), $__range becomes $RANGE (1h).
# The end-to-end suite evaluates each line against a real Prometheus.
#
# Usage: scripts/deploy/dashboard-queries.sh [--tsv] [DASHBOARD_JSON]
#   --tsv   print "panel id <TAB> panel title <TAB> refId <TAB> query" instead of the query alone
# Needs jq.
set -euo pipefail

format=plain
if [[ "${1:-}" == "--tsv" ]]; then
  format=tsv
  shift
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dashboard="${1:-$repo_root/grafana/synapse-bgu-exporter.json}"

jq -r --arg rate "${RATE_INTERVAL:-1m}" --arg range "${RANGE:-1h}" --arg format "$format" '
  # Values for "All": the variable allValue, or Grafana regex-all when it has none.
  ([.templating.list[] | select(.includeAll == true) | {key: .name, value: (.allValue // ".+")}]
    | from_entries) as $all
  | def subst:
      reduce ($all | to_entries[]) as $v (.;
          gsub("\\$\\{" + $v.key + "(:[a-z]+)?\\}"; $v.value)
        | gsub("\\[\\[" + $v.key + "\\]\\]"; $v.value)
        | gsub("\\$" + $v.key + "\\b"; $v.value))
      | gsub("\\$\\{?__rate_interval\\}?"; $rate)
      | gsub("\\$\\{?__interval\\}?"; $rate)
      | gsub("\\$\\{?__range\\}?"; $range)
      | gsub("\\s*\\n\\s*"; " ");
  [.panels[] | ., (.panels // [])[]] | .[]
  | select(.targets != null) | . as $p
  | .targets[] | select((.hide // false) | not) | select(.expr != null and .expr != "")
  | (.expr | subst) as $q
  | if $format == "tsv" then [($p.id | tostring), $p.title, .refId, $q] | join("\t") else $q end
' "$dashboard"
