{{/* The name every object of a release shares: the release name, unless it already says kubewars. */}}
{{- define "kubewars.fullname" -}}
{{- if contains "kubewars" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-kubewars" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kubewars.selectorLabels" -}}
app.kubernetes.io/name: kubewars
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kubewars.labels" -}}
{{ include "kubewars.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kubewars.instructorSecret" -}}
{{- .Values.instructor.existingSecret | default (printf "%s-instructor" (include "kubewars.fullname" .)) -}}
{{- end -}}
