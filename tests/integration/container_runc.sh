#!/bin/bash
# A real container (runc, static busybox rootfs, docker-style cgroupsPath "/rtmon-test-PID/docker/<64hex>"):
# rtmon attributes the events from inside it to the container (container_id, runtime docker) and an exec
# of a binary under /tmp inside it raises an alert carrying the container.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/rtmon-ctrrunc.XXXXXX)
. "$HERE/container_lib.sh"
CG2=$(cg2_mount)
RS="runc --root $T/state"
CTR=rtmon-ctr-$$
STARTED=
cleanup() {
	stop_rtmon
	if [ -n "$STARTED" ]; then
		$RS kill "$CTR" KILL > /dev/null 2>&1 || true
		for _ in $(seq 20); do $RS state "$CTR" 2> /dev/null | grep -q '"running"' || break; sleep 0.1; done
		$RS delete -f "$CTR" > /dev/null 2>&1 || true
	fi
	for d in /sys/fs/cgroup/*/rtmon-test-$$ /sys/fs/cgroup/rtmon-test-$$; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2> /dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
container_require_root
[ -n "$CG2" ] || skip "no cgroup2 mount"
command -v runc > /dev/null || skip "runc is not installed (apt-get install runc)"

# static busybox, fetched (not installed: it conflicts with 'busybox')
BB=
# (RTMON_BUSYBOX_STATIC: one already fetched; check-kernels guests have no network)
for f in /bin/busybox-static /usr/bin/busybox-static ${RTMON_BUSYBOX_STATIC:-}; do [ -x "$f" ] && BB=$f; done
if [ -z "$BB" ]; then
	(cd "$T" && apt-get download -q busybox-static > /dev/null 2>&1 && dpkg-deb -x busybox-static_*.deb bb) ||
		skip "cannot fetch busybox-static with apt-get download"
	BB=$T/bb/bin/busybox
fi
R=$T/bundle/rootfs
mkdir -p "$R"/{bin,proc,sys,dev,tmp,etc}
cp "$BB" "$R/bin/busybox"
for a in sh sleep true; do ln -s busybox "$R/bin/$a"; done
cp "$BB" "$R/tmp/busybox-probe"     # busybox runs as itself for names starting with "busybox"

CID=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
CGPATH=/rtmon-test-$$/docker/$CID
(cd "$T/bundle" && runc spec) || fail "runc spec"
python3 - "$T/bundle/config.json" "$CGPATH" <<'PY'
import json, sys
p, cg = sys.argv[1], sys.argv[2]
c = json.load(open(p))
c['process']['terminal'] = False
c['process']['args'] = ['/bin/sleep', '300']
c['linux']['cgroupsPath'] = cg
c['hostname'] = 'rtmon-ctr'
json.dump(c, open(p, 'w'), indent=2)
PY

start_rtmon
(cd "$T/bundle" && $RS run -d "$CTR" > "$T/runc.out" 2>&1 < /dev/null) || { cat "$T/runc.out"; fail "runc run"; }
STARTED=1
INIT=$($RS state "$CTR" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
grep -q "^0::$CGPATH\$" "/proc/$INIT/cgroup" || fail "container init is not in $CGPATH: $(cat /proc/$INIT/cgroup)"

# the container's init exec (sleep) is an event from inside the container
wait_json "$HERE/container_check.py" event "$INIT" type=exec "container_id=$CID" "cgroup=$CGPATH" ||
	fail "no exec event of the container init $INIT with container_id"

# an exec of a binary under /tmp, inside the container
$RS exec "$CTR" /bin/sh -c 'exec /tmp/busybox-probe true' || fail "runc exec"
# the pid as the host sees it (the container has its own pid namespace): from the exec event
wait_json "$HERE/container_check.py" exec-pid "$CID" busybox-probe || true
EPID=$(cat "$T/check.out" 2> /dev/null | sed -n 's/^pid //p')
[ -n "$EPID" ] || fail "no exec event of /tmp/busybox-probe with container_id $CID"
wait_json "$HERE/container_check.py" alert "$EPID" "id=$CID" runtime=docker ||
	fail "alert for the exec of /tmp/busybox-probe lacks container id $CID"
# runc's own execs (runc, runc init via /proc/self/exe, and, for runc builds that clone themselves, the
# memfd:runc_cloned re-exec) raise no alert; Debian 12's runc 1.1.5+ds1 does not clone, so 0 memfd execs
# namespace and mount system calls from inside the container, whatever program makes them (attempts
# count: the container has no CAP_SYS_ADMIN), each container_escape with its pid; runc's own stay quiet
$RS exec "$CTR" /bin/busybox unshare -U /bin/busybox true > /dev/null 2>&1
$RS exec "$CTR" /bin/busybox mount -t tmpfs none /tmp > /dev/null 2>&1
sleep 1
python3 - "$T/out" "$CID" <<'PY' || fail "namespace / mount system calls in the container"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
cid = sys.argv[2]
bad = 0
for applet, etype in (("unshare", "namespace"), ("mount", "mount")):
    pids = [o["pid"] for o in lines if o.get("kind") == "event" and o.get("type") == "exec"
            and o.get("container_id") == cid and o.get("args", [""])[1:2] == [applet]]
    hits = [a for a in lines if a.get("kind") == "alert" and a["rule_id"] == "container_escape"
            and a.get("event", {}).get("type") == etype and a["event"]["pid"] in pids]
    print("%s: exec pids %s, container_escape on its %s event: %s" % (applet, pids, etype,
          [a["reason"][:90] for a in hits]))
    bad += not hits
sys.exit(1 if bad else 0)
PY
python3 - "$T/out" <<'PY' || fail "an alert on runc's own execs"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
own = lambda e: e.get("exe", "").endswith("/runc") or "runc_cloned" in e.get("exe", "")
# runc's own events of every kind (its init makes the container's namespaces and mounts)
ev = [o for o in lines if o.get("kind") == "event" and o.get("type") == "exec" and own(o)]
al = [o for o in lines if o.get("kind") == "alert" and own(o.get("event", {}))]
ns = [o for o in lines if o.get("kind") == "event" and o.get("type") in ("namespace", "mount") and own(o)]
print("runc namespace/mount events: %d" % len(ns))
print("runc execs seen: %d (memfd re-execs: %d), alerts on them: %d" %
      (len(ev), sum("runc_cloned" in o["exe"] for o in ev), len(al)))
for o in al:
    print("  unexpected:", o["rule_id"], o["reason"][:120])
sys.exit(1 if al or not ev else 0)
PY
echo PASS
