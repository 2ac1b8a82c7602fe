#!/bin/bash
# drops.sh: with a small ring buffer and rtmon stopped (SIGSTOP) so nothing drains, an exec flood loses
# events in the kernel; every loss
# is counted and reported: the drop count is non-zero, every record the kernel sent was decoded, and
# sent + dropped covers at least the execs made.
. "$(dirname "$0")/lib.sh"
require_root
N=${RTMON_DROPS_N:-3000}   # check-kernels guests (TCG) use fewer
rtmon_start -o bpf.ringbuf_kb=64
kill -STOP "$RPID"
python3 - "$N" <<'PY'
import os, sys
n = int(sys.argv[1])
for _ in range(n):
    pid = os.fork()
    if pid == 0:
        os.execv("/bin/true", ["/bin/true"])
    os.waitpid(pid, 0)
PY
kill -CONT "$RPID"
RTMON_SETTLE=0.5 rtmon_stop
line=$(grep "rtmon stopped:" "$T/err") || fail "no final counters"
echo "$line"
python3 - "$line" "$N" <<'PY' || fail "drop accounting"
import re, sys
kv = dict(re.findall(r"(\w+)=(\d+)", sys.argv[1])); n = int(sys.argv[2])
ev, sent, dropped = int(kv["events"]), int(kv["kernel_sent"]), int(kv["kernel_dropped"])
assert dropped > 0, "expected drops with a 64 KiB ring, got none"
assert ev == sent, "user space decoded %d of %d records sent" % (ev, sent)
# each exec makes fork + exec + exit records
assert sent + dropped >= 3 * n, "sent %d + dropped %d < %d records made" % (sent, dropped, 3 * n)
print("ok: %d events seen + %d dropped (all counted) for %d execs" % (ev, dropped, n))
PY
grep -q "the kernel dropped" "$T/err" || fail "drops were not logged"
echo PASS
