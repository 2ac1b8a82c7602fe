#!/bin/bash
# container_image.sh: build the rtmon image (Containerfile, FROM scratch, context from
# deploy/container/build-context.sh) with podman and no registry, run it privileged in the host PID namespace
# with tracefs bind-mounted, make a host process call memfd_create, and find the injection_attempt alert with
# that host pid in the container's stdout. Root; about 15 s. 77 (SKIP) without podman.
# Host quirks (RECIPES.md section 5): no systemd (cgroupfs, file events), hybrid cgroups (runc, not crun), no
# CAP_SYS_RESOURCE (lower the default rlimits); private storage under the test's temp dir.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RTMON:=${top_builddir:-$top_srcdir}/src/rtmond}"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; [ -n "${P:-}" ] && $P logs "$NAME" 2>&1 | tail -20; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root (rootful podman, BPF)"
command -v podman > /dev/null || skip "podman missing (scripts/install-deps.sh installs podman buildah)"
command -v runc > /dev/null || skip "runc missing"
command -v python3 > /dev/null || skip "python3 missing"
[ -x "$RTMON" ] || fail "rtmon is not built: $RTMON"
[ -d /sys/kernel/tracing/events ] || skip "tracefs is not mounted at /sys/kernel/tracing"

T=$(mktemp -d /tmp/rtmon-ctr.XXXXXX)
NAME=rtmon-image-test-$$
IMAGE=localhost/rtmon-test:$$
cat > "$T/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
export CONTAINERS_CONF=$T/containers.conf
P="podman --root $T/storage --runroot $T/run --storage-driver overlay"
TRIG=
cleanup() {
	[ -n "$TRIG" ] && { kill "$TRIG" 2> /dev/null || true; wait "$TRIG" 2> /dev/null || true; }
	$P rm -f -t 0 "$NAME" > /dev/null 2>&1 || true
	$P rmi -f "$IMAGE" > /dev/null 2>&1 || true
	# podman's cgroupfs parent in every hierarchy; rmdir removes only what is empty (not other users' containers)
	for d in /sys/fs/cgroup/*/libpod_parent /sys/fs/cgroup/libpod_parent; do
		[ -d "$d" ] && find "$d" -depth -type d -name "libpod-*" -exec rmdir {} \; 2> /dev/null
		[ -d "$d" ] && { find "$d" -depth -type d -exec rmdir {} \; 2> /dev/null || true; }
	done
	rm -rf "$T"
}
trap cleanup EXIT

echo "== build"
bash "$top_srcdir/deploy/container/build-context.sh" "$RTMON" "$top_srcdir" "$T/ctx"
start=$(date +%s)
EPOCH=$(cat "$T/ctx/source-date-epoch")
$P build -q --timestamp "$EPOCH" -t "$IMAGE" -f "$T/ctx/Containerfile" "$T/ctx" > "$T/build.log" 2>&1 ||
	{ cat "$T/build.log"; fail "podman build"; }
SIZE=$($P image inspect -f '{{.Size}}' "$IMAGE")
echo "image $IMAGE built in $(( $(date +%s) - start )) s, size $(( SIZE / 1024 / 1024 )) MiB ($SIZE bytes)"
[ "$SIZE" -lt $(( 64 * 1024 * 1024 )) ] || fail "image larger than 64 MiB"
$P image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE" | grep -qx '\["/usr/sbin/rtmond"\]' || fail "entrypoint"
# OCI labels
$P image inspect -f '{{json .Labels}}' "$IMAGE" > "$T/labels.json"
python3 - "$T/labels.json" "$("$RTMON" --version | awk '{print $2}')" "$EPOCH" <<'PY' || fail "OCI labels"
import json, sys, datetime
l = json.load(open(sys.argv[1])); p = "org.opencontainers.image."
want = {p + "version": sys.argv[2], p + "title": "rtmon", p + "base.name": "scratch",
        p + "created": datetime.datetime.fromtimestamp(int(sys.argv[3]), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
for k, v in want.items():
    assert l.get(k) == v, (k, l.get(k), v)
for k in ("source", "licenses", "revision", "url", "documentation", "vendor", "authors"):
    assert l.get(p + k), ("missing label", p + k)
print("OCI labels:", ", ".join("%s=%s" % (k[len(p):], v) for k, v in sorted(l.items()) if k.startswith(p)))
PY
# SBOM: shipped in the image and next to it, the same; every package at the version installed on the build host
$P create --name "$NAME-sbom" "$IMAGE" > /dev/null
$P cp "$NAME-sbom:/usr/share/doc/rtmon/sbom.tsv" "$T/sbom-image.tsv"; $P rm -f "$NAME-sbom" > /dev/null
cmp "$T/sbom-image.tsv" "$T/ctx/sbom.tsv" || fail "the SBOM in the image differs from the one next to it"
grep -v '^#' "$T/ctx/sbom.tsv" | while IFS=$'\t' read -r pkg ver arch files; do
	[ "$pkg" = rtmon ] && continue
	[ "$(dpkg-query -W -f '${Version}' "$pkg")" = "$ver" ] || fail "SBOM: $pkg $ver is not the installed version"
	[ -n "$files" ] || fail "SBOM: $pkg without files"
done
for lib in libc6 libbpf1 libsystemd0 libgnutls30 libconfig9; do grep -q "^$lib	" "$T/ctx/sbom.tsv" || fail "SBOM lacks $lib"; done
echo "SBOM: $(grep -vc '^#' "$T/ctx/sbom.tsv") packages, e.g. $(grep '^libbpf1' "$T/ctx/sbom.tsv" | cut -f1,2)"
# reproducible: a second context and build from the same tree give the same image ID (config digest: layers + labels)
bash "$top_srcdir/deploy/container/build-context.sh" "$RTMON" "$top_srcdir" "$T/ctx2" > /dev/null 2>&1
$P build -q --timestamp "$EPOCH" -t "$IMAGE-2" -f "$T/ctx2/Containerfile" "$T/ctx2" > "$T/build2.log" 2>&1 ||
	{ cat "$T/build2.log"; fail "podman build (2)"; }
ID1=$($P image inspect -f '{{.Id}}' "$IMAGE") ID2=$($P image inspect -f '{{.Id}}' "$IMAGE-2")
$P rmi "$IMAGE-2" > /dev/null 2>&1 || true
[ "$ID1" = "$ID2" ] || fail "two builds differ: $ID1 $ID2"
echo "reproducible: two builds, same image ID $ID1"
# the image's own binary and config, without BPF
out=$($P run --rm --network=none "$IMAGE" --version) || fail "rtmon --version in the image"
[ "$out" = "$("$RTMON" --version)" ] || fail "version in the image: $out"
$P run --rm --network=none "$IMAGE" --check-config > "$T/check" 2>&1 || { cat "$T/check"; fail "--check-config in the image"; }
grep -q '^/etc/rtmon/rtmon.conf: configuration OK' "$T/check" || fail "check-config: $(cat "$T/check")"
echo "in the image: $out; $(cat "$T/check")"

echo "== run privileged, host PID namespace, tracefs"
# folding and rate limits off: alerts of other tests running on this host must not absorb ours
$P run -d --name "$NAME" --privileged --pid=host --uts=host --network=none \
	-v /sys/kernel/tracing:/sys/kernel/tracing -v /sys/fs/cgroup:/sys/fs/cgroup:ro \
	"$IMAGE" -c /etc/rtmon/rtmon.conf -o alerting.fold_window_s=0 -o alerting.rate_limit=0 > /dev/null ||
	fail "podman run"
for _ in $(seq 200); do
	$P logs "$NAME" 2>&1 | grep -c "monitoring:" > /dev/null && break
	[ "$($P inspect -f '{{.State.Running}}' "$NAME")" = true ] || fail "rtmon exited in the container"
	sleep 0.05
done
$P logs "$NAME" 2>&1 | grep -c "monitoring:" > /dev/null || fail "rtmon did not attach within 10 s"

echo "== trigger on the host"
MEMFD=rtmon-ctr-$$
python3 -c "import os,sys,time; print(os.getpid(), flush=True); os.memfd_create(sys.argv[1]); time.sleep(0.5)" \
	"$MEMFD" > "$T/trigger.pid" &
TRIG=$!
wait "$TRIG"; TRIG=
HPID=$(cat "$T/trigger.pid")
echo "host pid $HPID called memfd_create(\"$MEMFD\")"
found=
for _ in $(seq 100); do
	$P logs "$NAME" > "$T/out" 2> /dev/null || true
	if python3 - "$T/out" "$HPID" "$MEMFD" "$(hostname)" <<'PY'
import json, sys
path, pid, name, host = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for line in open(path, errors="replace"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    try:
        a = json.loads(line)
    except ValueError:
        continue
    e = a.get("event", {})
    if a.get("kind") == "alert" and a.get("rule_id") == "injection_attempt" and e.get("pid") == pid:
        assert e.get("type") == "memfd_create", e
        assert e.get("memfd_name") == name, e
        assert a.get("host") == host, (a.get("host"), host)
        assert "container" not in a, a.get("container")   # a host process
        print("alert:", json.dumps({k: a[k] for k in ("id", "rule_id", "severity", "host")}), "event.pid", pid)
        sys.exit(0)
sys.exit(1)
PY
	then found=1; break; fi
	sleep 0.1
done
[ -n "$found" ] || { tail -5 "$T/out"; fail "no injection_attempt alert for host pid $HPID in the container's stdout"; }

echo "== stop"
$P stop -t 10 "$NAME" > /dev/null
rc=$($P inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$rc" = 0 ] || fail "rtmon in the container exited with $rc on SIGTERM"
$P rm -f -t 0 "$NAME" > /dev/null

# The Helm chart's securityContext, not privileged: capabilities dropped but for BPF PERFMON SYS_PTRACE
# DAC_READ_SEARCH (SYS_RESOURCE too in the chart; this host's bounding set lacks it and kernels >= 5.11 do not
# need it), seccomp unconfined, read-only root and read-only tracefs. And that the runtime's default seccomp
# profile blocks bpf() without CAP_SYS_ADMIN (why the chart defaults to Unconfined): exit 2, BPF not loaded.
echo "== least privilege (the Helm chart's securityContext)"
LEAST="--cap-drop=all --cap-add=CAP_BPF,CAP_PERFMON,CAP_SYS_PTRACE,CAP_DAC_READ_SEARCH,CAP_SETUID,CAP_SETGID,CAP_SYS_CHROOT,CAP_SETPCAP --read-only --tmpfs /tmp
	--pid=host --uts=host --network=none -v /sys/kernel/tracing:/sys/kernel/tracing:ro -v /sys/fs/cgroup:/sys/fs/cgroup:ro"
rc=0
timeout 60 $P run --rm $LEAST "$IMAGE" -o alerting.rate_limit=0 > "$T/seccomp.out" 2> "$T/seccomp.err" || rc=$?
[ "$rc" = 2 ] || { cat "$T/seccomp.err"; fail "with the default seccomp profile rtmon exited $rc, expected 2"; }
echo "default seccomp profile: exit 2 ($(tail -1 "$T/seccomp.err"))"
$P run -d --name "$NAME" $LEAST --security-opt seccomp=unconfined "$IMAGE" \
	-o alerting.fold_window_s=0 -o alerting.rate_limit=0 > /dev/null || fail "podman run (least privilege)"
for _ in $(seq 200); do
	$P logs "$NAME" 2>&1 | grep -c "monitoring:" > /dev/null && break
	[ "$($P inspect -f '{{.State.Running}}' "$NAME")" = true ] || fail "rtmon exited (least privilege)"
	sleep 0.05
done
$P logs "$NAME" 2>&1 | grep -c "monitoring:" > /dev/null || fail "rtmon did not attach within 10 s (least privilege)"
MEMFD2=rtmon-ctr2-$$
python3 -c "import os,sys; print(os.getpid(), flush=True); os.memfd_create(sys.argv[1])" "$MEMFD2" > "$T/trigger2.pid"
HPID2=$(cat "$T/trigger2.pid")
found=
for _ in $(seq 100); do
	$P logs "$NAME" 2> /dev/null | grep '"rule_id":"injection_attempt"' | grep "\"memfd_name\":\"$MEMFD2\"" |
		grep -c "\"pid\":$HPID2[,}]" > /dev/null && { found=1; break; }
	sleep 0.1
done
[ -n "$found" ] || fail "least privilege: no alert for host pid $HPID2"
echo "least privilege: alert for host pid $HPID2 (memfd $MEMFD2)"
$P stop -t 10 "$NAME" > /dev/null
rc=$($P inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$rc" = 0 ] || fail "rtmon (least privilege) exited with $rc on SIGTERM"
echo "PASS: image built without a registry; rtmon in a container (privileged, and with the chart's least privilege) saw host pids $HPID $HPID2"
