#!/bin/bash
# End to end under a real systemd (PID 1 in systemd-nspawn -b, RECIPES.md section 2): installs the
# built rtmon, systemd/rtmon.service as shipped (hardening included), the journal catalog and the
# config; `systemctl start rtmon` must reach active (Type=notify: READY=1 after attach); a real
# reverse shell inside the container must appear in `journalctl -u rtmon -o json` with the exact
# fields and the pid of the triggering process; `journalctl -x` shows the catalog text; a reload with a
# broken config fails (the reason in `systemctl status`, /healthz still up), a second rtmon is refused
# (exit 3, naming the service's pid); a good reload keeps it active; stop is clean. Prints `systemd-analyze security` for the unit.
# Usage: make check-systemd  (or RTMON=... top_srcdir=... bash tests/systemd/run.sh)
# ROOTFS: a debootstrap tree to reuse; default /var/tmp/rtmon-nspawn-rootfs (built once, ~60 s,
# then kept pristine: the container runs with --volatile=overlay, its changes vanish with it).
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RTMON:=$top_srcdir/src/rtmon}"
R=${ROOTFS:-/var/tmp/rtmon-nspawn-rootfs}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for c in systemd-nspawn debootstrap nsenter python3; do
	command -v $c > /dev/null || { echo "SKIP: $c not installed (apt-get install systemd-container debootstrap)"; exit 77; }
done
[ -x "$RTMON" ] || { echo "FAIL: $RTMON not built"; exit 1; }
[ -d /sys/fs/cgroup/unified ] || [ -f /sys/fs/cgroup/cgroup.procs ] || { echo "SKIP: no cgroup2"; exit 77; }

T=$(mktemp -d /tmp/rtmon-systemd.XXXXXX)
START=$(date +%s)

# ---- the rootfs: debootstrap once, then add the shared libraries rtmon links ----
if [ ! -x "$R/lib/systemd/systemd" ]; then
	MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null ||
		grep -m1 -oE 'https?://[^ ]+' /etc/apt/sources.list)
	echo "bootstrapping $R from $MIRROR (about a minute)"
	rm -rf "$R.tmp"
	debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,procps bookworm "$R.tmp" "$MIRROR" > "$T/debootstrap.log" ||
		{ tail -20 "$T/debootstrap.log"; exit 1; }
	echo rtmon-test > "$R.tmp/etc/hostname"; : > "$R.tmp/etc/machine-id"
	mv "$R.tmp" "$R"
fi
PKGS=$(ldd "$RTMON" | awk '$3 ~ /^\// {print $3}' | while read -r lib; do
	dpkg -S "$(readlink -f "$lib")" 2> /dev/null || dpkg -S "$lib" 2> /dev/null || true
done | cut -d: -f1 | sort -u)
MISSING=
for p in $PKGS; do chroot "$R" dpkg -s "$p" > /dev/null 2>&1 || MISSING="$MISSING $p"; done
if [ -n "$MISSING" ]; then
	echo "installing into the rootfs:$MISSING"
	chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get -qq update > /dev/null
	chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends $MISSING > /dev/null
	chroot "$R" apt-get clean
fi

# ---- boot: nspawn from its own cgroup, BPF allowed, tracefs and BTF visible ----
CG=rtmon-nspawn-$$
CGH=
for h in unified systemd; do [ -d /sys/fs/cgroup/$h ] && CGH="$CGH $h"; done
NSPID= LPID=
cleanup() {
	[ -n "$LPID" ] && { kill "$LPID" 2> /dev/null || true; wait "$LPID" 2> /dev/null || true; }
	if [ -n "$NSPID" ]; then kill -TERM "$NSPID" 2> /dev/null || true; wait "$NSPID" 2> /dev/null || true; fi
	for h in $CGH; do find /sys/fs/cgroup/$h/$CG -depth -type d -exec rmdir {} \; 2> /dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
for h in $CGH; do mkdir -p /sys/fs/cgroup/$h/$CG; done
ENTER=""
for h in $CGH; do ENTER="$ENTER echo \$\$ > /sys/fs/cgroup/$h/$CG/cgroup.procs;"; done
sh -c "$ENTER exec systemd-nspawn -q -b -D $R -M rtmontest --register=no --keep-unit --volatile=overlay \
	--console=read-only \
	--capability=CAP_BPF,CAP_PERFMON,CAP_SYS_ADMIN,CAP_SYS_RESOURCE,CAP_SYS_PTRACE,CAP_DAC_READ_SEARCH \
	--system-call-filter='bpf perf_event_open' \
	--bind-ro=/sys/kernel/tracing --bind-ro=/sys/kernel/btf" > "$T/boot.log" 2>&1 &
NSPID=$!
LEADER=
for i in $(seq 150); do
	LEADER=$(pgrep -P $NSPID || true)
	[ -n "$LEADER" ] && nsenter -t "$LEADER" -a systemctl is-system-running 2> /dev/null | grep -qE '^(running|degraded)$' && break
	sleep 0.2
done
[ -n "$LEADER" ] || { echo "FAIL: container did not boot"; cat "$T/boot.log"; exit 1; }
IN="nsenter -t $LEADER -a"
echo "booted: $($IN systemctl is-system-running || true)"

# ---- install, as `make install` and the packages do ----
ROOT=/proc/$LEADER/root
install -m 0755 "$RTMON" "$ROOT/usr/sbin/rtmon"
install -m 0644 "$top_srcdir/systemd/rtmon.service" "$ROOT/lib/systemd/system/rtmon.service"
install -D -m 0644 "$top_srcdir/systemd/rtmon.catalog" "$ROOT/lib/systemd/catalog/rtmon.catalog"
# a file with only outputs keeps the default rules; the listener (host network) for /healthz
SSE_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$ROOT/etc/rtmon"
printf 'outputs = {\n  journal = true;\n  sse = { enabled = true; listen = "127.0.0.1:%s"; };\n};\n' "$SSE_PORT" > "$T/good.conf"
install -D -m 0640 "$T/good.conf" "$ROOT/etc/rtmon/rtmon.conf"
$IN journalctl --update-catalog
$IN systemctl daemon-reload

# ---- start: active only after READY=1 ----
t0=$(date +%s.%N)
if ! $IN systemctl start rtmon; then
	$IN systemctl status --no-pager rtmon || true
	$IN journalctl -u rtmon --no-pager -o short-precise | tail -30
	echo "FAIL: systemctl start rtmon"; exit 1
fi
echo "systemctl start returned after $(awk -v a="$(date +%s.%N)" -v b="$t0" "BEGIN{printf \"%.2f\", a-b}") s: $($IN systemctl is-active rtmon)"
$IN systemctl show -p ActiveState,SubState,StatusText,MainPID,NRestarts rtmon
[ "$($IN systemctl is-active rtmon)" = active ] || { echo "FAIL: rtmon not active"; exit 1; }
$IN journalctl -u rtmon --no-pager -o short-precise | tail -5
MAINPID=$($IN systemctl show -p MainPID --value rtmon)
echo "rtmon capabilities after start: $($IN grep -E '^Cap(Eff|Bnd)' /proc/$MAINPID/status | tr '\n\t' '  ')"

# ---- trigger a reverse shell inside the container (host network: the listener is here) ----
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); time.sleep(3); c.close()' > "$T/port" &
LPID=$!
for i in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port")
# the shell records its pid (as the container sees it), then lives 2 s so the host can map it
$IN setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c "exec sh -c 'echo \$\$ > /dev/shm/trigger.pid; sleep 2' < /dev/tcp/127.0.0.1/$PORT" &
TRIG=$!
for i in $(seq 50); do [ -s "$ROOT/dev/shm/trigger.pid" ] && break; sleep 0.05; done
CPID=$(cat "$ROOT/dev/shm/trigger.pid")
# the same process as the host sees it: NSpid "<host pid> <container pid>", in the container's pid ns
HPID=
for st in /proc/[0-9]*/status; do
	p=${st#/proc/}; p=${p%/status}
	[ "$(readlink /proc/$p/ns/pid 2> /dev/null)" = "$(readlink /proc/$LEADER/ns/pid)" ] || continue
	awk -v c="$CPID" '/^NSpid:/ { exit !($NF == c) }' "$st" 2> /dev/null && { HPID=$p; break; }
done
wait "$TRIG" || true
echo "trigger: pid $CPID in the container, $HPID on the host"

ok=
for i in $(seq 50); do
	$IN journalctl -u rtmon --all -o json --no-pager RTMON_RULE_ID=reverse_shell > "$T/j.json" 2> /dev/null || true
	[ -s "$T/j.json" ] && { ok=1; break; }
	sleep 0.2
done
[ -n "$ok" ] || { echo "FAIL: no reverse_shell entry in journalctl -u rtmon"; $IN journalctl -u rtmon --no-pager | tail -20; exit 1; }
python3 - "$T/j.json" "$CPID" "$HPID" <<'PY'
import json, sys
cpid, hpid = sys.argv[2], sys.argv[3]
def s(e, k):
    v = e.get(k)
    return bytes(v).decode() if isinstance(v, list) else v
es = [json.loads(l) for l in open(sys.argv[1])]
mine = [e for e in es if s(e, "RTMON_EVENT_PID") in (cpid, hpid)]
assert mine, ("no entry for pid", cpid, hpid, [s(e, "RTMON_EVENT_PID") for e in es])
e = mine[0]
a = json.loads(s(e, "RTMON_JSON"))
want = {"_SYSTEMD_UNIT": "rtmon.service", "SYSLOG_IDENTIFIER": "rtmon", "PRIORITY": {"critical": "2", "high": "3",
        "medium": "4", "low": "5", "info": "6"}[a["severity"]], "MESSAGE_ID": "a3b90cea1ff84171a4ba7a045377f637",
        "RTMON_RULE_ID": "reverse_shell", "RTMON_EVENT_UID": "65534", "RTMON_ID": a["id"],
        "RTMON_EVENT_PID": str(a["event"]["pid"])}
for k, v in want.items():
    assert s(e, k) == v, (k, s(e, k), v)
which = "the host pid" if s(e, "RTMON_EVENT_PID") == hpid else "the container pid"
print("ok: journalctl -u rtmon: %s (RTMON_EVENT_PID=%s = %s of the trigger)" % (s(e, "MESSAGE"), s(e, "RTMON_EVENT_PID"), which))
PY
$IN journalctl -x -u rtmon --no-pager MESSAGE_ID=a3b90cea1ff84171a4ba7a045377f637 > "$T/x.txt"
grep -q 'Subject: possible reverse shell by' "$T/x.txt" || { echo "FAIL: journalctl -x shows no catalog text"; cat "$T/x.txt"; exit 1; }
echo "ok: journalctl -x: $(grep -m1 'Subject:' "$T/x.txt")"

# ---- issue 21: a broken config makes `systemctl reload` fail, with the reason in `systemctl status`;
# nothing that runs changes (/healthz answers); a second rtmon is refused naming the service's pid ----
healthz() { python3 -c 'import sys, urllib.request
try: print(urllib.request.urlopen("http://127.0.0.1:%s/healthz" % sys.argv[1], timeout=3).status)
except Exception as e: print(e)' "$SSE_PORT"; }
[ "$(healthz)" = 200 ] || { echo "FAIL: /healthz before the reload: $(healthz)"; exit 1; }
printf 'outputs = {\n  journal = true;\n  sse = { enabled = true; listen = "localhost%s"; };\n};\n' "$SSE_PORT" > "$ROOT/etc/rtmon/rtmon.conf"
if $IN systemctl reload rtmon 2> "$T/reload.err"; then
	echo "FAIL: systemctl reload succeeded with a broken config"; exit 1
fi
$IN systemctl status --no-pager -n 20 rtmon > "$T/status.txt" 2>&1 || true
grep -q "/etc/rtmon/rtmon.conf:3: outputs.sse.listen: 'localhost$SSE_PORT'" "$T/status.txt" ||
	{ cat "$T/status.txt"; echo "FAIL: systemctl status does not show the reason"; exit 1; }
[ "$($IN systemctl is-active rtmon)" = active ] || { echo "FAIL: not active after the failed reload"; exit 1; }
[ "$($IN systemctl show -p MainPID --value rtmon)" = "$MAINPID" ] || { echo "FAIL: the main process changed"; exit 1; }
[ "$(healthz)" = 200 ] || { echo "FAIL: /healthz after the failed reload: $(healthz)"; exit 1; }
echo "ok: broken-config reload failed ($(head -1 "$T/reload.err")); status shows $(grep -o "rtmon.conf:3: outputs.sse.listen[^(]*" "$T/status.txt" | head -1); /healthz 200"
install -m 0640 "$T/good.conf" "$ROOT/etc/rtmon/rtmon.conf"
rc=0
$IN /usr/sbin/rtmon -o outputs.journal=false > /dev/null 2> "$T/second.err" || rc=$?
[ "$rc" = 3 ] || { cat "$T/second.err"; echo "FAIL: a second rtmon exited $rc, want 3"; exit 1; }
grep -q "another rtmon (pid $MAINPID) is already running" "$T/second.err" ||
	{ cat "$T/second.err"; echo "FAIL: the refusal does not name the service's pid $MAINPID"; exit 1; }
echo "ok: second instance refused: $(cat "$T/second.err")"

# ---- reload (RELOADING=1 ... READY=1) keeps it active; stop is clean ----
$IN systemctl reload rtmon
[ "$($IN systemctl is-active rtmon)" = active ] || { echo "FAIL: not active after reload"; exit 1; }
[ "$(healthz)" = 200 ] || { echo "FAIL: /healthz after the good reload"; exit 1; }
$IN journalctl -u rtmon --no-pager -o cat | grep -q 'configuration reloaded' || { echo "FAIL: no reload in the journal"; exit 1; }
echo "ok: reload; $($IN systemctl show -p StatusText rtmon)"
$IN systemd-analyze security --no-pager rtmon.service > "$T/security.txt" 2>&1 || true
grep -E 'Overall exposure level' "$T/security.txt" || tail -3 "$T/security.txt"
[ -n "${SECURITY_OUT:-}" ] && cp "$T/security.txt" "$SECURITY_OUT"
$IN systemctl stop rtmon
# rtmon's own warnings (not alerts): the hardening must not have broken anything
$IN journalctl -u rtmon -p warning --all -o json --no-pager | python3 -c '
import json, sys
bad = 0
for l in sys.stdin:
    e = json.loads(l)
    if "RTMON_RULE_ID" in e or e.get("SYSLOG_IDENTIFIER") != "rtmon":
        continue
    m = e.get("MESSAGE")
    print("rtmon warning:", m)
    bad += any(w in str(m) for w in ("not permitted", "Permission denied", "EPERM", "EACCES"))
sys.exit(1 if bad else 0)' || { echo "FAIL: permission errors under the unit hardening"; exit 1; }
$IN systemctl show -p ActiveState,Result,ExecMainStatus rtmon
[ "$($IN systemctl show -p ExecMainStatus --value rtmon)" = 0 ] || { echo "FAIL: unclean stop"; exit 1; }
echo "took $(($(date +%s) - START)) s"
echo PASS
