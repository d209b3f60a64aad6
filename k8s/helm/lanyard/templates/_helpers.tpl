{{/* The release's name for every object. */}}
{{- define "lanyard.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "lanyard.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "lanyard.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lanyard.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lanyard.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret with the KEK: the one given, or the chart's. */}}
{{- define "lanyard.kekSecret" -}}
{{- if .Values.kek.existingSecret -}}{{ .Values.kek.existingSecret }}{{- else -}}{{ include "lanyard.fullname" . }}-kek{{- end -}}
{{- end -}}

{{- define "lanyard.clientSecrets" -}}
{{- if .Values.clientSecrets.existingSecret -}}{{ .Values.clientSecrets.existingSecret }}{{- else -}}{{ include "lanyard.fullname" . }}-client-secrets{{- end -}}
{{- end -}}

{{/* Refusals: a chart that cannot work stops at helm install with the reason. */}}
{{- define "lanyard.validate" -}}
{{- if not .Values.issuer -}}
{{- fail "issuer is required: the https URL clients and kube-apiserver use, e.g. --set issuer=https://id.example.com" -}}
{{- end -}}
{{- if not (hasPrefix "https://" .Values.issuer) -}}
{{- fail "issuer must be an https URL (kube-apiserver and browsers need it)" -}}
{{- end -}}
{{- if and (not .Values.kek.existingSecret) (not .Values.kek.value) -}}
{{- fail "kek.existingSecret (or kek.value) is required: kubectl create secret generic lanyard-kek --from-literal=kek=\"$(openssl rand -base64 32)\"" -}}
{{- end -}}
{{- if not (has .Values.database.mode (list "external" "bundled")) -}}
{{- fail "database.mode must be external or bundled" -}}
{{- end -}}
{{- if and (eq .Values.database.mode "external") (or (not .Values.database.external.url) (not .Values.database.external.existingSecret)) -}}
{{- fail "database.mode external needs database.external.url and database.external.existingSecret (or database.mode=bundled for a trial)" -}}
{{- end -}}
{{- if and .Values.ingress.enabled (not .Values.ingress.host) -}}
{{- fail "ingress.host is required with ingress.enabled" -}}
{{- end -}}
{{- if and .Values.certificate.enabled (or (not .Values.certificate.issuerRef.name) (not .Values.certificate.dnsNames)) -}}
{{- fail "certificate.issuerRef.name and certificate.dnsNames are required with certificate.enabled" -}}
{{- end -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) -}}
{{- fail "httpRoute.parentRefs is required with httpRoute.enabled" -}}
{{- end -}}
{{- end -}}
