{{/* The name of every object: the release name, unless it already says notebook-gallery. */}}
{{- define "notebook-gallery.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select this release's pods; they never change, as a Deployment's selector cannot. */}}
{{- define "notebook-gallery.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "notebook-gallery.labels" -}}
{{ include "notebook-gallery.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "notebook-gallery.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "notebook-gallery.fullname" .)) -}}
{{- end -}}
