{{- define "grafana.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "grafana.adminSecret" -}}
{{- default (printf "%s-admin" (include "grafana.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{- define "grafana.apiSecret" -}}
{{- default (printf "%s-api" (include "grafana.fullname" .)) .Values.provisioner.api.existingSecret -}}
{{- end -}}

{{/* Labels of every object, as k8s/grafana's kustomization adds them. */}}
{{- define "grafana.labels" -}}
app.kubernetes.io/part-of: flagger
{{- end -}}
