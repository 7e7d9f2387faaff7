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
