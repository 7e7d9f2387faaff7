{{/*
The pod template of the Deployment (single mode, or an unsharded fleet) and of the StatefulSet (a sharded
fleet), indented for its place under spec.template.
*/}}
{{- define "synapse-bgu-exporter.podTemplate" -}}
{{- $tokenSecret := include "synapse-bgu-exporter.tokenSecretName" . }}
{{- $adminSecret := include "synapse-bgu-exporter.adminTokenSecretName" . }}
{{- $adminPort := regexFind "[0-9]+$" .Values.admin.listenAddress | int }}
{{- $fleetTokens := include "synapse-bgu-exporter.fleetTokenSecretName" . }}
    metadata:
      {{- if or .Values.podAnnotations .Values.jvmOptions .Values.fleet.enabled }}
      annotations:
        {{- if or .Values.jvmOptions .Values.fleet.enabled }}
        # The JVM reads its options only at start: restart the pod when they change.
        checksum/jvm-options: {{ include (print $.Template.BasePath "/jvm-options-configmap.yaml") . | sha256sum }}
        {{- end }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- end }}
      labels:
        {{- include "synapse-bgu-exporter.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "synapse-bgu-exporter.serviceAccountName" . }}
      # The exporter never talks to the Kubernetes API.
      automountServiceAccountToken: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      {{- if and .Values.fleet.enabled .Values.fleet.checkConfig }}
      initContainers:
        # A fleet file that cannot work (a typo, a token file missing) stops the pod here with every
        # problem listed, rather than starting an exporter with nothing to poll. Later edits of the
        # ConfigMap are reloaded by the running exporter, which keeps its last good set on errors.
        - name: config-check
          image: {{ include "synapse-bgu-exporter.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          args:
            - --config.check
            - {{ include "synapse-bgu-exporter.fleetConfigFlag" . | quote }}
          {{- with include "synapse-bgu-exporter.resources" . | fromYaml }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: jvm-options
              mountPath: /app/jvm.options
              subPath: jvm.options
              readOnly: true
            {{- include "synapse-bgu-exporter.fleetVolumeMounts" . | nindent 12 }}
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      {{- end }}
      containers:
        - name: exporter
          image: {{ include "synapse-bgu-exporter.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          # No command: the image's entrypoint runs java with the JVM flags of deploy/jvm.options.
          args:
            {{- if .Values.fleet.enabled }}
            - {{ include "synapse-bgu-exporter.fleetConfigFlag" . | quote }}
            {{- if include "synapse-bgu-exporter.sharded" . }}
            # K/N: K, this pod's ordinal, from the label the StatefulSet controller sets on each pod.
            - {{ printf "--fleet.shard=$(FLEET_SHARD_INDEX)/%d" (int .Values.fleet.shards) | quote }}
            {{- end }}
            {{- if .Values.fleet.enableLifecycle }}
            - --web.enable-lifecycle
            {{- end }}
            {{- else }}
            - {{ printf "--synapse.url=%v" .Values.synapse.url | quote }}
            {{- if $tokenSecret }}
            - --synapse.token-file=/etc/synapse-bgu-exporter/synapse-token/token
            {{- end }}
            - {{ printf "--synapse.timeout=%v" .Values.synapse.timeout | quote }}
            {{- if or .Values.synapse.tls.ca.configMap .Values.synapse.tls.ca.secret }}
            - {{ printf "--synapse.tls.ca-file=/etc/synapse-bgu-exporter/synapse-ca/%s" .Values.synapse.tls.ca.key | quote }}
            {{- end }}
            {{- if .Values.synapse.tls.insecureSkipVerify }}
            - --synapse.tls.insecure-skip-verify
            {{- end }}
            - {{ printf "--poll.interval=%v" .Values.poll.interval | quote }}
            - {{ printf "--poll.stale-after=%v" .Values.poll.staleAfter | quote }}
            {{- end }}
            - --web.listen-address=:9657
            - {{ printf "--web.telemetry-path=%v" .Values.web.telemetryPath | quote }}
            {{- if .Values.web.disableExporterMetrics }}
            - --web.disable-exporter-metrics
            {{- end }}
            {{- if .Values.webConfig.existingSecret }}
            - {{ printf "--web.config.file=/etc/synapse-bgu-exporter/web-config/%s" .Values.webConfig.key | quote }}
            {{- end }}
            - {{ printf "--log.level=%v" .Values.log.level | quote }}
            - {{ printf "--log.format=%v" .Values.log.format | quote }}
            {{- if .Values.admin.enabled }}
            - --admin.enabled
            - {{ printf "--admin.listen-address=%v" .Values.admin.listenAddress | quote }}
            - --admin.token-file=/etc/synapse-bgu-exporter/admin-token/token
            - {{ printf "--admin.max-pause=%v" .Values.admin.maxPause | quote }}
            {{- if .Values.admin.webConfig.existingSecret }}
            - {{ printf "--admin.web.config.file=/etc/synapse-bgu-exporter/admin-web-config/%s" .Values.admin.webConfig.key | quote }}
            {{- end }}
            {{- end }}
            {{- range .Values.extraArgs }}
            - {{ . | quote }}
            {{- end }}
          {{- if or .Values.extraEnv (include "synapse-bgu-exporter.sharded" .) }}
          env:
            {{- if include "synapse-bgu-exporter.sharded" . }}
            - name: FLEET_SHARD_INDEX
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          ports:
            - name: http
              containerPort: 9657
              protocol: TCP
            {{- if .Values.admin.enabled }}
            - name: admin
              containerPort: {{ $adminPort }}
              protocol: TCP
            {{- end }}
          {{- range $name := list "livenessProbe" "readinessProbe" }}
          {{- with index $.Values $name }}
          {{- $probe := deepCopy . }}
          {{- if and $probe.httpGet $.Values.webConfig.existingSecret }}
          {{- $_ := set $probe.httpGet "scheme" $.Values.webConfig.scheme }}
          {{- end }}
          {{ $name }}:
            {{- toYaml $probe | nindent 12 }}
          {{- end }}
          {{- end }}
          {{- with include "synapse-bgu-exporter.resources" . | fromYaml }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          volumeMounts:
            # The root filesystem is read-only; the JVM still wants a writable /tmp.
            - name: tmp
              mountPath: /tmp
            {{- if .Values.fleet.enabled }}
            {{- include "synapse-bgu-exporter.fleetVolumeMounts" . | nindent 12 }}
            {{- else if $tokenSecret }}
            - name: synapse-token
              mountPath: /etc/synapse-bgu-exporter/synapse-token
              readOnly: true
            {{- end }}
            {{- if or .Values.synapse.tls.ca.configMap .Values.synapse.tls.ca.secret }}
            - name: synapse-ca
              mountPath: /etc/synapse-bgu-exporter/synapse-ca
              readOnly: true
            {{- end }}
            {{- if .Values.webConfig.existingSecret }}
            - name: web-config
              mountPath: /etc/synapse-bgu-exporter/web-config
              readOnly: true
            {{- end }}
            {{- if .Values.admin.enabled }}
            - name: admin-token
              mountPath: /etc/synapse-bgu-exporter/admin-token
              readOnly: true
            {{- if .Values.admin.webConfig.existingSecret }}
            - name: admin-web-config
              mountPath: /etc/synapse-bgu-exporter/admin-web-config
              readOnly: true
            {{- end }}
            {{- end }}
            {{- if or .Values.jvmOptions .Values.fleet.enabled }}
            - name: jvm-options
              mountPath: /app/jvm.options
              subPath: jvm.options
              readOnly: true
            {{- end }}
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if .Values.fleet.enabled }}
        # Both mounted as directories, not with subPath, so that an edited fleet file or a rotated
        # token reaches the exporter, which re-reads both when they change.
        - name: fleet-config
          configMap:
            name: {{ include "synapse-bgu-exporter.fleetConfigMapName" . }}
        {{- if $fleetTokens }}
        - name: fleet-tokens
          secret:
            secretName: {{ $fleetTokens }}
            defaultMode: 0440
        {{- end }}
        {{- else if $tokenSecret }}
        # Mounted as a directory, not with subPath, so that a rotated token reaches the exporter,
        # which re-reads the file when it changes.
        - name: synapse-token
          secret:
            secretName: {{ $tokenSecret }}
            defaultMode: 0440
            items:
              - key: {{ include "synapse-bgu-exporter.tokenSecretKey" . }}
                path: token
        {{- end }}
        {{- if .Values.synapse.tls.ca.configMap }}
        - name: synapse-ca
          configMap:
            name: {{ .Values.synapse.tls.ca.configMap }}
        {{- else if .Values.synapse.tls.ca.secret }}
        - name: synapse-ca
          secret:
            secretName: {{ .Values.synapse.tls.ca.secret }}
        {{- end }}
        {{- if .Values.webConfig.existingSecret }}
        - name: web-config
          secret:
            secretName: {{ .Values.webConfig.existingSecret }}
            defaultMode: 0440
        {{- end }}
        {{- if .Values.admin.enabled }}
        - name: admin-token
          secret:
            secretName: {{ $adminSecret }}
            defaultMode: 0440
            items:
              - key: {{ include "synapse-bgu-exporter.adminTokenSecretKey" . }}
                path: token
        {{- if .Values.admin.webConfig.existingSecret }}
        - name: admin-web-config
          secret:
            secretName: {{ .Values.admin.webConfig.existingSecret }}
            defaultMode: 0440
        {{- end }}
        {{- end }}
        {{- if or .Values.jvmOptions .Values.fleet.enabled }}
        - name: jvm-options
          configMap:
            name: {{ include "synapse-bgu-exporter.fullname" . }}-jvm-options
        {{- end }}
        {{- with .Values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
