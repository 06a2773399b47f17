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

{{/* What the game does, cluster-wide: the game-only role's rules, and part of the room's. */}}
{{- define "kubewars.gameRules" -}}
- apiGroups: ['']
  resources: ['pods']
  verbs: ['get', 'list', 'watch', 'delete']
- apiGroups: ['']
  resources: ['pods/eviction']
  verbs: ['create']
- apiGroups: ['']
  resources: ['namespaces']
  verbs: ['list']
{{- if .Values.game.capitalShips }}
- apiGroups: ['apps']
  resources: ['deployments', 'replicasets', 'statefulsets']
  verbs: ['get', 'delete']
- apiGroups: ['']
  resources: ['replicationcontrollers']
  verbs: ['get', 'delete']
{{- end }}
{{- end -}}
