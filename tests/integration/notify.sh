#!/bin/bash
# Proves rtmon's sd_notify protocol on a NOTIFY_SOCKET this test binds (RECIPES.md 1b):
# READY=1 comes only after the BPF programs are attached (a program exec'd the instant READY=1
# arrives is in rtmon's --trace output); STATUS= carries live counters and is updated; WATCHDOG=1
# pings arrive at about half of WATCHDOG_USEC (never a full period apart) when WATCHDOG_PID is
# rtmon; SIGHUP gives RELOADING=1 + MONOTONIC_USEC then READY=1; SIGTERM gives STOPPING=1, exit 0.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${RTMON:=$top_builddir/src/rtmond}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (BPF)"; exit 77; }
[ -x "$RTMON" ] || { echo "FAIL: $RTMON not built"; exit 1; }

T=$(mktemp -d /tmp/rtmon-notify.XXXXXX)
RPID= NPID=
cleanup() {
	[ -n "$RPID" ] && { kill -TERM "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; }
	[ -n "$NPID" ] && { kill "$NPID" 2> /dev/null || true; wait "$NPID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT
MARK="rtmon-ready-probe-$$-$RANDOM"

# the listener: logs "<monotonic s> <msg with | for newlines>"; on the first READY=1 it execs a probe
cat > "$T/listen.py" <<'PY'
import os, socket, subprocess, sys, time
path, log, mark = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path)
out = open(log, "a", buffering=1)
out.write("%.6f BOUND\n" % time.monotonic())
probed = False
while True:
    msg = s.recv(65536).decode(errors="replace")
    t = time.monotonic()
    if not probed and "READY=1" in msg.split("\n"):
        p = subprocess.Popen(["/bin/echo", mark], stdout=subprocess.DEVNULL)
        out.write("%.6f PROBE %d\n" % (t, p.pid)); p.wait(); probed = True
    out.write("%.6f %s\n" % (t, msg.replace("\n", "|")))
PY
python3 "$T/listen.py" "$T/notify.sock" "$T/notify.log" "$MARK" &
NPID=$!
for i in $(seq 50); do grep -q BOUND "$T/notify.log" 2> /dev/null && break; sleep 0.1; done

printf 'outputs = { stdout = false; journal = false; syslog = ( ); sse = { enabled = false; }; };\n' > "$T/rtmon.conf"
# exec keeps the pid, so WATCHDOG_PID is rtmon's own
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=2000000 \
	bash -c 'export WATCHDOG_PID=$$; exec "$0" -c "$1" --trace' "$RTMON" "$T/rtmon.conf" > "$T/trace.jsonl" 2> "$T/rtmon.err" &
RPID=$!
for i in $(seq 150); do grep -q 'READY=1' "$T/notify.log" && break; sleep 0.1; done
grep -q 'READY=1' "$T/notify.log" || { echo "FAIL: no READY=1"; cat "$T/notify.log" "$T/rtmon.err"; exit 1; }
sleep 4.5
kill -HUP "$RPID"
sleep 1.5
kill -TERM "$RPID"; rc=0; wait "$RPID" || rc=$?; RPID=
sleep 0.2
cat "$T/notify.log"
[ "$rc" = 0 ] || { echo "FAIL: rtmon exit status $rc"; cat "$T/rtmon.err"; exit 1; }

python3 - "$T/notify.log" "$T/trace.jsonl" "$MARK" <<'PY'
import json, sys
log, trace, mark = sys.argv[1:4]
msgs, probe = [], None
for l in open(log):
    t, m = l.rstrip("\n").split(" ", 1)
    if m.startswith("PROBE "):
        probe = int(m.split()[1])
    elif m != "BOUND":
        msgs.append((float(t), m.split("|")))
def idx(pred, start=0):
    for i in range(start, len(msgs)):
        if pred(msgs[i][1]):
            return i
    raise AssertionError("missing: " + pred.__doc__)
def ready(f): "READY=1"; return "READY=1" in f
i_ready = idx(ready)
assert not any("WATCHDOG=1" in f or "STOPPING=1" in f for _, f in msgs[:i_ready]), "messages before READY=1"

# READY=1 only after attach: the probe exec'd at READY=1 is in the --trace output
seen = False
for l in open(trace):
    try:
        e = json.loads(l)
    except ValueError:
        continue
    if e.get("kind") == "event" and e.get("type") == "exec" and mark in (e.get("args") or []):
        assert e.get("pid") == probe, ("probe pid", e.get("pid"), probe)
        seen = True
assert seen, "the program exec'd right at READY=1 is not in --trace: READY came before attach"
print("ok: READY=1 after attach (probe pid %d traced)" % probe)

# STATUS= with counters, updated
st = [(t, x) for t, f in msgs for x in f if x.startswith("STATUS=monitoring:")]
assert len(st) >= 3, st
import re
nums = [re.match(r"STATUS=monitoring: [0-9.]+ events/s, (\d+) events, (\d+) alerts, (\d+) drops; hooks: (lsm|fentry|kprobe|tracepoint)$", x) for _, x in st]
assert all(nums), st
ev = [int(n.group(1)) for n in nums]
assert ev == sorted(ev) and ev[-1] > ev[0], ("events counter not increasing", ev)
print("ok: %d STATUS updates, events %d -> %d: %s" % (len(st), ev[0], ev[-1], st[-1][1]))

# WATCHDOG=1 at about half of WATCHDOG_USEC=2 s
wd = [t for t, f in msgs if "WATCHDOG=1" in f]
gaps = [b - a for a, b in zip(wd, wd[1:])]
assert len(wd) >= 3, ("watchdog pings", wd)
assert all(0.8 <= g <= 1.5 for g in gaps), ("ping gaps (s), want ~1 s and never the full 2 s", gaps)
print("ok: %d WATCHDOG=1 pings, gaps %s s" % (len(wd), ", ".join("%.2f" % g for g in gaps)))

# SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1
def reloading(f): "RELOADING=1"; return "RELOADING=1" in f
i_rel = idx(reloading, i_ready + 1)
f = msgs[i_rel][1]
assert any(re.match(r"MONOTONIC_USEC=\d+$", x) for x in f), f
i_ready2 = idx(ready, i_rel + 1)
print("ok: RELOADING=1 (%s) then READY=1" % [x for x in f if x.startswith("MONOTONIC_USEC")][0])

# SIGTERM: STOPPING=1 last
def stopping(f): "STOPPING=1"; return "STOPPING=1" in f
i_stop = idx(stopping, i_ready2 + 1)
assert not any("READY=1" in f or "WATCHDOG=1" in f for _, f in msgs[i_stop + 1:]), "messages after STOPPING=1"
print("ok: STOPPING=1 on SIGTERM")
PY

# WATCHDOG_PID of another process: no pings (sd_watchdog_enabled semantics)
: > "$T/notify.log"
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=2000000 WATCHDOG_PID=1 "$RTMON" -c "$T/rtmon.conf" > /dev/null 2> "$T/rtmon2.err" &
RPID=$!
for i in $(seq 150); do grep -q 'READY=1' "$T/notify.log" && break; sleep 0.1; done
sleep 2.5
kill -TERM "$RPID"; wait "$RPID" || true; RPID=
if grep -q 'WATCHDOG=1' "$T/notify.log"; then echo "FAIL: watchdog pings for WATCHDOG_PID=1"; exit 1; fi
echo "ok: no pings when WATCHDOG_PID is another process"
echo PASS
