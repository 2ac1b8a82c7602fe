#!/bin/bash
# alert_storm.sh: a 60 s storm of 5,000 identical matches (the same /tmp program run again and
# again by the same parent process with the same arguments) with the shipped configuration stays
# bounded: one full alert per fold window, fold summaries that count every other repeat and name
# the first pids, and rtmon's memory does not grow with the storm. Nothing is lost: alerts plus
# folded counts add up to the 5,000 execs.
. "$(dirname "$0")/lib.sh"
require_root
BENCH_BIN=${top_builddir:-$top_srcdir}/bench
[ -x "$BENCH_BIN/exec_storm" ] || fail "bench programs not built in $BENCH_BIN"
DURATION=${RTMON_STORM_SECONDS:-60}
TOTAL=5000
cp /bin/true "$T/payload" # under /tmp: each exec is a suspicious_exec match
rtmon_start --stdout -c "$top_srcdir/etc/rtmon/rtmon.conf"
hwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$RPID/status"; }
# warm-up: one alert and its fold window open; the process table sees the storm's shape
"$BENCH_BIN/exec_storm" -m "$T/payload" -n 50 > /dev/null
sleep 0.5
HWM0=$(hwm)
# one process runs the payload 4,950 times, paced over DURATION seconds
"$BENCH_BIN/exec_storm" -m "$T/payload" -n $((TOTAL - 50)) -r "$(((TOTAL - 50) / DURATION))" > /dev/null
HWM1=$(hwm)
rtmon_stop
python3 - "$T/out" "$TOTAL" "$HWM0" "$HWM1" "$DURATION" << 'PY' || fail "the storm was not bounded (above)"
import json, sys
out, total, hwm0, hwm1, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
payload = None
alerts, summaries = [], []
for l in open(out):
    o = json.loads(l)
    if o["kind"] != "alert" or o["rule_id"] != "suspicious_exec":
        continue
    s = o.get("summary")
    ev = o.get("event") or {}
    if s and s.get("exe", "").endswith("/payload"):
        summaries.append(o)
    elif ev.get("exe", "").endswith("/payload"):
        alerts.append(o)
folded = sum(s["summary"]["count"] for s in summaries)
print("storm: %d execs over %d s -> %d full alerts, %d fold summaries counting %d repeats; VmHWM %d -> %d kB"
      % (total, duration, len(alerts), len(summaries), folded, hwm0, hwm1))
# one alert per 60 s fold window and parent process (the storm spans one or two windows; the warm-up is another parent)
assert 1 <= len(alerts) <= 4, len(alerts)
assert 1 <= len(summaries) <= 4, len(summaries)
assert len(alerts) + folded == total, ("lost", total - len(alerts) - folded)
for s in summaries:
    sm = s["summary"]
    assert sm["kind"] == "fold" and sm["pids"] and len(sm["pids"]) <= 8, sm
    assert sm["parent_exe"].endswith("/exec_storm"), sm["parent_exe"]
    assert sm["count"] > len(sm["pids"]) and sm["first"] <= sm["last"], sm
# bounded memory: the storm adds no more than 4 MiB to the peak (the fold key and summary are fixed size)
assert hwm1 - hwm0 <= 4096, ("VmHWM grew by %d kB" % (hwm1 - hwm0))
print("ok")
PY
echo PASS
