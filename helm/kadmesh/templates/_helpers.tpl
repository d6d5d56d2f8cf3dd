{{/* Name of the chart's objects. */}}
{{- define "kadmesh.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The headless service that gives each pod a stable DNS name for P2P. */}}
{{- define "kadmesh.p2pService" -}}
{{- printf "%s-p2p" (include "kadmesh.fullname" .) -}}
{{- end -}}

{{- define "kadmesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "kadmesh.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kadmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ default .Chart.Name .Values.nameOverride }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret holding the generated cluster secret and API token. */}}
{{- define "kadmesh.secretName" -}}
{{- include "kadmesh.fullname" . -}}
{{- end -}}

{{/* Bootnodes: host:port of the first pods, each on its stable DNS name. */}}
{{- define "kadmesh.bootnodeCount" -}}
{{- if lt (int .Values.bootstrap.bootnodes) 1 -}}
{{- fail "bootstrap.bootnodes must be at least 1: without bootnodes every pod would be a network of its own" -}}
{{- end -}}
{{- max 1 (min (int .Values.bootstrap.bootnodes) (int .Values.replicaCount)) -}}
{{- end -}}
