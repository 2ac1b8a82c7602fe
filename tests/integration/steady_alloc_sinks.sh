#!/bin/bash
# steady_alloc_sinks.sh: steady_alloc.sh's storm with the other sinks on: syslog over UDP and over TCP
# (to local receivers that read and discard) and journald (a private one, journald_private.sh). After
# a warm-up, thousands of alerts formatted for stdout, journald and two syslog destinations must cost
# (almost) no malloc/calloc/realloc call: no sink allocates per alert.
. "$(dirname "$0")/lib.sh"
require_root
SHIM=${top_builddir:-$top_srcdir}/tests/integration/alloc_count.so
BENCH_BIN=${top_builddir:-$top_srcdir}/bench
if ldd "$RTMON" 2> /dev/null | grep -q libasan; then skip "rtmon is an AddressSanitizer build (it owns malloc)"; fi
[ -x /lib/systemd/systemd-journald ] || skip "systemd-journald not installed"
[ -f "$SHIM" ] || fail "the shim is not built: $SHIM"
[ -x "$BENCH_BIN/exec_storm" ] || fail "bench programs not built in $BENCH_BIN"
JPID= SPID=
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; fi
	[ -n "$SPID" ] && { kill "$SPID" 2> /dev/null || true; wait "$SPID" 2> /dev/null || true; }
	[ -n "$JPID" ] && { kill -TERM "$JPID" 2> /dev/null || true; wait "$JPID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"
. "$top_srcdir/tests/integration/journald_private.sh"
journald_start "$T/j"
cp /bin/true "$T/true" # T is under /tmp: each exec is a suspicious_exec alert

# the syslog receivers: one UDP and one TCP socket, everything read and counted, nothing kept
python3 - "$T/ports" "$T/received" <<'PY' &
import selectors, socket, sys, signal
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("127.0.0.1", 0)); l.listen()
sel = selectors.DefaultSelector()
sel.register(u, selectors.EVENT_READ, "udp"); sel.register(l, selectors.EVENT_READ, "listen")
n = {"udp": 0, "tcp": 0}
def done(*_):
    open(sys.argv[2], "w").write(f"{n['udp']} {n['tcp']}\n"); sys.exit(0)
signal.signal(signal.SIGTERM, done)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(f"{u.getsockname()[1]} {l.getsockname()[1]}\n")
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    for k, _ in sel.select():
        if k.data == "listen":
            c, _ = l.accept(); sel.register(c, selectors.EVENT_READ, "tcp")
        elif k.data == "udp":
            u.recv(65536); n["udp"] += 1
        else:
            b = k.fileobj.recv(1 << 20)
            if not b:
                sel.unregister(k.fileobj); k.fileobj.close()
            n["tcp"] += b.count(b' <')
PY
SPID=$!
for _ in $(seq 50); do [ -s "$T/ports" ] && break; sleep 0.1; done
read -r UDP_PORT TCP_PORT < "$T/ports" || fail "the receivers did not start"
cat > "$T/rtmon.conf" <<CONF
outputs = {
  stdout = true;
  journal = true;
  syslog = (
    { url = "udp://127.0.0.1:$UDP_PORT"; },
    { url = "tcp://127.0.0.1:$TCP_PORT"; }
  );
};
CONF
# rtmon runs in the private journald's mount namespace (nsenter, then env, exec it: the pid is rtmon's);
# the shim is preloaded past nsenter (its thread would make setns fail)
printf '#!/bin/sh\nexec nsenter --mount=/proc/%s/ns/mnt -- env LD_PRELOAD=%s %s "$@"\n' "$JPID" "$SHIM" "$RTMON" > "$T/rtmond"
chmod 755 "$T/rtmond"

storm() { # N: N alerting execs, 4N connects
	"$BENCH_BIN/exec_storm" -m "$T/true" -n "$1" > /dev/null
	"$BENCH_BIN/connect_storm" -n $(($1 * 4)) > /dev/null
}
count() { # -> "allocations alerts" at this moment (alerts: lines on rtmon's stdout)
	local i
	sleep 0.5
	touch "$T/allocs.req"
	for i in $(seq 100); do [ -e "$T/allocs.req" ] || break; sleep 0.05; done
	[ -e "$T/allocs.req" ] && fail "the shim did not answer"
	echo "$(cat "$T/allocs") $(grep -c '"kind":"alert"' "$T/out")"
}

RTMON=$T/rtmond ALLOC_COUNT_FILE=$T/allocs rtmon_start -c "$T/rtmon.conf" \
	-o outputs.journal=true -o process.max_processes=256 -o alerting.fold_window_s=0 -o alerting.rate_limit=0
storm 1000
read -r a_allocs a_alerts <<< "$(count)"
storm 3000
read -r b_allocs b_alerts <<< "$(count)"
rtmon_stop
kill -TERM "$SPID"; wait "$SPID" || true; SPID=
read -r got_udp got_tcp < "$T/received" || fail "the receivers did not report"
journald_sync
got_journal=$(journalctl -D "$T/j/runlog" --all -o json RTMON_RULE_ID=suspicious_exec | wc -l)
extra_alerts=$((b_alerts - a_alerts))
extra_allocs=$((b_allocs - a_allocs))
echo "after the warm-up: $a_allocs allocations, $a_alerts alerts"
echo "after the storm:   $b_allocs allocations, $b_alerts alerts"
echo "delivered: udp $got_udp, tcp $got_tcp, journald $got_journal (suspicious_exec)"
echo "the storm:         $extra_allocs allocations for $extra_alerts alerts"
[ "$extra_alerts" -ge 3000 ] || fail "the storm raised only $extra_alerts alerts (expected one per exec from /tmp)"
[ "$got_udp" -ge "$b_alerts" ] || fail "udp receiver got $got_udp of $b_alerts alerts"
[ "$got_tcp" -ge "$b_alerts" ] || fail "tcp receiver got $got_tcp of $b_alerts alerts"
[ "$got_journal" -ge 4000 ] || fail "journald holds $got_journal suspicious_exec alerts (expected >= 4000)"
# One allocation per alert in any sink costs >= 3000 here (the asprintf'ed frames cost 12 per alert);
# what the host does meanwhile (other builds' processes entering the table) costs a few hundred on a
# busy machine, so the bound is one per 5 alerts.
[ "$extra_allocs" -le $((extra_alerts / 5)) ] ||
	fail "$extra_allocs allocations for $extra_alerts alerts: a sink allocates per alert"
echo PASS
