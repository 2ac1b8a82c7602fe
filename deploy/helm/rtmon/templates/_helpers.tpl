{{/* rtmon chart helpers */}}
{{- define "rtmon.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rtmon.fullname" -}}
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

{{- define "rtmon.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rtmon.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rtmon.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "rtmon.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: monitor
{{- end -}}

{{- define "rtmon.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "rtmon.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "rtmon.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "rtmon.sseSecretName" -}}
{{- default (printf "%s-sse" (include "rtmon.fullname" .)) .Values.sse.existingSecret -}}
{{- end -}}

{{/* a libconfig scalar: strings quoted (Go escapes are libconfig's for \" \\ \n \t), numbers and booleans as is */}}
{{- define "rtmon.scalar" -}}
{{- if kindIs "string" . -}}{{ . | quote }}{{- else if kindIs "float64" . -}}{{ . | int64 }}{{- else -}}{{ . }}{{- end -}}
{{- end -}}

{{/* rtmon.conf */}}
{{- define "rtmon.conf" -}}
# rtmon.conf rendered by the Helm chart {{ .Chart.Name }}-{{ .Chart.Version }} (release {{ .Release.Name }}).
# Sections not written here keep rtmon's built-in defaults (the default rules and lists).
outputs = {
  stdout = {{ .Values.config.stdout }};
  journal = {{ .Values.config.journal }};
  syslog = (
{{- range $i, $d := .Values.config.syslog }}
    {{ if $i }}, {{ end }}{ url = {{ $d.url | quote }}; facility = {{ default "auth" $d.facility | quote }};
{{- with $d.caFile }} ca_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.certFile }} cert_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.keyFile }} key_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.tlsServerName }} tls_server_name = {{ . | quote }};{{ end }}
{{- if hasKey $d "tlsVerifyHostname" }} tls_verify_hostname = {{ $d.tlsVerifyHostname }};{{ end }}
{{- with $d.pen }} pen = {{ . | int64 }};{{ end }}
{{- with $d.queueMax }} queue_max = {{ . | int64 }};{{ end }} }
{{- end }}
  );
  sse = {
    enabled = true;
    listen = "0.0.0.0:{{ .Values.sse.port }}";      # the pod IP: kubelet probes /healthz there
    dashboard_dir = {{ ternary .Values.dashboard.dir "" .Values.dashboard.enabled | quote }};
    max_clients = {{ .Values.sse.maxClients | int64 }};
    @include "/etc/rtmon/secrets/token.conf"
  };
};

process = {
  pods_log_dir = {{ .Values.podLogsDir | quote }};
};

alerting = {
  fold_window_s = {{ .Values.config.alerting.foldWindowSeconds | int64 }};
  rate_limit = {{ .Values.config.alerting.rateLimit | int64 }};
  rate_window_s = {{ .Values.config.alerting.rateWindowSeconds | int64 }};
};
{{- with .Values.config.lists }}

lists = {
{{- range $name, $items := . }}
  {{ $name }} = [ {{ range $i, $v := $items }}{{ if $i }}, {{ end }}{{ include "rtmon.scalar" $v }}{{ end }} ];
{{- end }}
};
{{- end }}
{{- with .Values.config.exceptions }}

exceptions = {
{{- range $rule, $conds := . }}
  {{ $rule }} = ( {{ range $i, $c := $conds }}{{ if $i }}, {{ end }}{{ $c | quote }}{{ end }} );
{{- end }}
};
{{- end }}
{{- with .Values.config.rules }}

{{ . }}
{{- end }}
{{- with .Values.config.extra }}

{{ . }}
{{- end }}
{{ end -}}

{{- define "rtmon.aggregatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "rtmon.name" . }}-aggregator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "rtmon.aggregatorLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "rtmon.aggregatorSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: aggregator
{{- end -}}

{{/* aggregate.conf: rtmond --aggregate over the DaemonSet's headless Service; the nodes' token is its own too */}}
{{- define "rtmon.aggregateConf" -}}
# aggregate.conf rendered by the Helm chart {{ .Chart.Name }}-{{ .Chart.Version }} (release {{ .Release.Name }}).
outputs = {
  stdout = {{ .Values.config.stdout }};
  journal = false;
  syslog = (
{{- range $i, $d := .Values.config.syslog }}
    {{ if $i }}, {{ end }}{ url = {{ $d.url | quote }}; facility = {{ default "auth" $d.facility | quote }};
{{- with $d.caFile }} ca_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.certFile }} cert_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.keyFile }} key_file = {{ printf "/etc/rtmon/tls/%s" . | quote }};{{ end }}
{{- with $d.tlsServerName }} tls_server_name = {{ . | quote }};{{ end }}
{{- if hasKey $d "tlsVerifyHostname" }} tls_verify_hostname = {{ $d.tlsVerifyHostname }};{{ end }}
{{- with $d.pen }} pen = {{ . | int64 }};{{ end }}
{{- with $d.queueMax }} queue_max = {{ . | int64 }};{{ end }} }
{{- end }}
  );
  sse = {
    enabled = true;
    listen = "0.0.0.0:{{ .Values.sse.port }}";
    dashboard_dir = {{ .Values.dashboard.dir | quote }};
    history = {{ .Values.aggregator.history | int64 }};
    max_clients = {{ .Values.sse.maxClients | int64 }};
    @include "/etc/rtmon/secrets/token.conf"
  };
};

aggregate = {
  discover = "{{ include "rtmon.fullname" . }}-nodes.{{ .Release.Namespace }}.svc:{{ .Values.sse.port }}";
  discover_interval_s = {{ .Values.aggregator.discoverIntervalSeconds | int64 }};
  state_file = "/var/lib/rtmon/aggregate.state";
  @include "/etc/rtmon/secrets/token.conf"
};
{{ end -}}
