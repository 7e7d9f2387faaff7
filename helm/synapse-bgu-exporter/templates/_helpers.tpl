{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "synapse-bgu-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synapse-bgu-exporter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{- define "synapse-bgu-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synapse-bgu-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "synapse-bgu-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "synapse-bgu-exporter.labels" -}}
helm.sh/chart: {{ include "synapse-bgu-exporter.chart" . }}
{{ include "synapse-bgu-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: metrics
app.kubernetes.io/part-of: {{ include "synapse-bgu-exporter.name" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "synapse-bgu-exporter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.image" -}}
{{- $repo := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repo = printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Secret with the Synapse token: the user's existing one, or the chart's when a token is given. */}}
{{- define "synapse-bgu-exporter.tokenSecretName" -}}
{{- if .Values.synapse.existingSecret }}
{{- .Values.synapse.existingSecret }}
{{- else if .Values.synapse.token }}
{{- printf "%s-synapse-token" (include "synapse-bgu-exporter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.tokenSecretKey" -}}
{{- if .Values.synapse.existingSecret }}{{ .Values.synapse.existingSecretKey }}{{ else }}token{{ end }}
{{- end }}

{{- define "synapse-bgu-exporter.adminTokenSecretName" -}}
{{- if .Values.admin.existingSecret }}
{{- .Values.admin.existingSecret }}
{{- else if .Values.admin.token }}
{{- printf "%s-admin-token" (include "synapse-bgu-exporter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.adminTokenSecretKey" -}}
{{- if .Values.admin.existingSecret }}{{ .Values.admin.existingSecretKey }}{{ else }}token{{ end }}
{{- end }}

{{/* Settings that cannot work, caught at install time rather than as a crash-looping pod. */}}
{{- define "synapse-bgu-exporter.validate" -}}
{{- include "synapse-bgu-exporter.validateFleet" . }}
{{- if and .Values.synapse.tls.ca.configMap .Values.synapse.tls.ca.secret }}
{{- fail "synapse.tls.ca: set configMap or secret, not both" }}
{{- end }}
{{- if .Values.admin.enabled }}
{{- if not (include "synapse-bgu-exporter.adminTokenSecretName" .) }}
{{- fail "admin.enabled needs admin.token or admin.existingSecret: the admin API refuses to run without a token" }}
{{- end }}
{{- if and .Values.admin.service.enabled (or (hasPrefix "127." .Values.admin.listenAddress) (hasPrefix "localhost:" .Values.admin.listenAddress) (hasPrefix "[::1]:" .Values.admin.listenAddress)) }}
{{- fail "admin.service.enabled needs admin.listenAddress on all interfaces (for example \":9658\"): a loopback address is unreachable through a Service" }}
{{- end }}
{{- else if .Values.admin.service.enabled }}
{{- fail "admin.service.enabled needs admin.enabled" }}
{{- end }}
{{- end }}

{{/* ---- fleet mode (--config.file) ---- */}}

{{/* Non-empty when the fleet is split over a StatefulSet's pods (fleet.shards > 1). */}}
{{- define "synapse-bgu-exporter.sharded" -}}
{{- if and .Values.fleet.enabled (gt (int .Values.fleet.shards) 1) }}true{{ end }}
{{- end }}

{{- define "synapse-bgu-exporter.fleetConfigMapName" -}}
{{- if .Values.fleet.existingConfigMap }}
{{- .Values.fleet.existingConfigMap }}
{{- else }}
{{- printf "%s-fleet" (include "synapse-bgu-exporter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.fleetConfigKey" -}}
{{- if .Values.fleet.existingConfigMap }}{{ .Values.fleet.existingConfigMapKey }}{{ else }}fleet.yml{{ end }}
{{- end }}

{{- define "synapse-bgu-exporter.fleetConfigFlag" -}}
{{- printf "--config.file=/etc/synapse-bgu-exporter/fleet/%s" (include "synapse-bgu-exporter.fleetConfigKey" .) }}
{{- end }}

{{/* The Secret with one key per homeserver token: the user's, or the chart's from fleet.tokens. */}}
{{- define "synapse-bgu-exporter.fleetTokenSecretName" -}}
{{- if .Values.fleet.existingSecret }}
{{- .Values.fleet.existingSecret }}
{{- else if .Values.fleet.tokens }}
{{- printf "%s-fleet-tokens" (include "synapse-bgu-exporter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "synapse-bgu-exporter.fleetVolumeMounts" -}}
- name: fleet-config
  mountPath: /etc/synapse-bgu-exporter/fleet
  readOnly: true
{{- if include "synapse-bgu-exporter.fleetTokenSecretName" . }}
- name: fleet-tokens
  mountPath: /etc/synapse-bgu-exporter/tokens
  readOnly: true
{{- end }}
{{- end }}

{{/*
The fleet file of fleet.config, where a homeserver without token_file gets the file of its key in the
token Secret: /etc/synapse-bgu-exporter/tokens/NAME.
*/}}
{{- define "synapse-bgu-exporter.fleetConfig" -}}
{{- $config := deepCopy .Values.fleet.config }}
{{- $homeservers := dict }}
{{- range $name, $hs := .Values.fleet.config.homeservers }}
{{- $copy := deepCopy (default dict $hs) }}
{{- if not (hasKey $copy "token_file") }}
{{- $_ := set $copy "token_file" (printf "/etc/synapse-bgu-exporter/tokens/%s" $name) }}
{{- end }}
{{- $_ := set $homeservers $name $copy }}
{{- end }}
{{- $_ := set $config "homeservers" $homeservers }}
{{- if not $config.defaults }}
{{- $_ := unset $config "defaults" }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/* The service-discovery URLs of the fleet: one per shard, each pod by its name in the headless Service. */}}
{{- define "synapse-bgu-exporter.fleetTargetsUrls" -}}
{{- $fullname := include "synapse-bgu-exporter.fullname" . }}
{{- $ns := include "synapse-bgu-exporter.namespace" . }}
{{- $scheme := .Values.fleet.scrapeConfig.scheme | default "http" | lower }}
{{- if include "synapse-bgu-exporter.sharded" . }}
{{- range $k := until (int .Values.fleet.shards) }}
- {{ printf "%s://%s-%d.%s-shards.%s.svc:9657/targets" $scheme $fullname $k $fullname $ns }}
{{- end }}
{{- else }}
- {{ printf "%s://%s.%s.svc:%v/targets" $scheme $fullname $ns $.Values.service.port }}
{{- end }}
{{- end }}

{{/* Fleet settings that cannot work, caught at install time. */}}
{{- define "synapse-bgu-exporter.validateFleet" -}}
{{- if .Values.fleet.enabled }}
{{- if or .Values.synapse.token .Values.synapse.existingSecret }}
{{- fail "fleet.enabled: synapse.token and synapse.existingSecret are for one homeserver; give the fleet's tokens in fleet.tokens or fleet.existingSecret (one key per homeserver)" }}
{{- end }}
{{- if .Values.fleet.existingConfigMap }}
{{- if .Values.fleet.config.homeservers }}
{{- fail "fleet: set fleet.config or fleet.existingConfigMap, not both" }}
{{- end }}
{{- else }}
{{- if not .Values.fleet.config.homeservers }}
{{- fail "fleet.enabled needs fleet.config.homeservers (or fleet.existingConfigMap)" }}
{{- end }}
{{- range $name, $hs := .Values.fleet.config.homeservers }}
{{- if not (regexMatch "^[a-zA-Z0-9_.-]+$" $name) }}
{{- fail (printf "fleet.config.homeservers: %q is not a homeserver name ([a-zA-Z0-9_.-]+)" $name) }}
{{- end }}
{{- if and (not (hasKey (default dict $hs) "token_file")) (not $.Values.fleet.existingSecret) (not (hasKey $.Values.fleet.tokens $name)) }}
{{- fail (printf "fleet.config.homeservers.%s has no token: give fleet.tokens.%s, fleet.existingSecret with a key %s, or its own token_file" $name $name $name) }}
{{- end }}
{{- end }}
{{- range $name, $_ := .Values.fleet.tokens }}
{{- if not (hasKey $.Values.fleet.config.homeservers $name) }}
{{- fail (printf "fleet.tokens.%s: no homeserver %s in fleet.config.homeservers" $name $name) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.fleet.existingSecret .Values.fleet.tokens }}
{{- fail "fleet: set fleet.tokens or fleet.existingSecret, not both" }}
{{- end }}
{{- else }}
{{- if or .Values.fleet.scrapeConfig.enabled (gt (int .Values.fleet.shards) 1) }}
{{- fail "fleet.scrapeConfig.enabled and fleet.shards need fleet.enabled" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The container's resources: fleet.resources in fleet mode (a heap per homeserver), else resources. */}}
{{- define "synapse-bgu-exporter.resources" -}}
{{- if and .Values.fleet.enabled .Values.fleet.resources }}
{{- toYaml .Values.fleet.resources }}
{{- else }}
{{- toYaml .Values.resources }}
{{- end }}
{{- end }}
