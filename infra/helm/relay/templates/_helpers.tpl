{{/* Names and labels. */}}
{{- define "relay.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "relay.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{- define "relay.labels" -}}
{{ include "relay.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* RELAY_NATS_URL: the NATS chart's client Service or the external servers. */}}
{{- define "relay.natsUrl" -}}
{{- if eq .Values.nats.mode "external" -}}
{{- required "nats.url: the external NATS servers (nats.mode is external)" .Values.nats.url -}}
{{- else if eq .Values.nats.mode "chart" -}}
{{- $ns := default .Release.Namespace .Values.nats.chart.namespace -}}
{{- printf "nats://%s.%s.svc:%v" .Values.nats.chart.service $ns .Values.nats.chart.port -}}
{{- else -}}
{{- fail (printf "nats.mode must be chart or external (got %q)" .Values.nats.mode) -}}
{{- end -}}
{{- end -}}

{{/* The named container port the probes and the ServiceMonitor use. */}}
{{- define "relay.opsPortName" -}}
{{- if .Values.ops.enabled -}}ops{{- else -}}http{{- end -}}
{{- end -}}
