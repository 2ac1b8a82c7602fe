#!/bin/bash
# tamper.sh: rtmon drops to its minimal capabilities with no_new_privs after attaching, and reports
# tampering with itself: bpftool reaching its programs, a ptrace attach, SIGSTOP, SIGHUP and SIGTERM -
# each an rtmon_tamper alert naming the exact pid that did it.
. "$(dirname "$0")/lib.sh"
require_root
BPFTOOL=$(command -v bpftool || echo /usr/sbin/bpftool)
rtmon_start --stdout
# least privilege: CAP_DAC_READ_SEARCH (2), CAP_NET_BIND_SERVICE (10), CAP_SYS_PTRACE (19) only effective;
# CAP_SETGID (6), CAP_SETUID (7), CAP_SETPCAP (8), CAP_SYS_CHROOT (18) permitted (never effective) for
# starting the HTTP listener's process (listener.h), which drops them all
eff=$(awk '/^CapEff:/ {print $2}' /proc/$RPID/status)
bnd=$(awk '/^CapBnd:/ {print $2}' /proc/$RPID/status)
nnp=$(awk '/^NoNewPrivs:/ {print $2}' /proc/$RPID/status)
[ "$eff" = 0000000000080404 ] || fail "CapEff $eff, want 0000000000080404"
[ "$bnd" = 00000000000c05c4 ] || fail "CapBnd $bnd, want 00000000000c05c4"
prm=$(awk '/^CapPrm:/ {print $2}' /proc/$RPID/status)
[ "$prm" = 00000000000c05c4 ] || fail "CapPrm $prm, want 00000000000c05c4"
[ "$nnp" = 1 ] || fail "NoNewPrivs $nnp"
"$BPFTOOL" prog show > "$T/bpftool.out" 2>&1 & BT=$!; wait $BT
python3 - "$RPID" > "$T/ptrace.pid" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
t = int(sys.argv[1])
if libc.ptrace(16, t, None, None) != 0:          # PTRACE_ATTACH
    sys.exit("attach failed: %d" % ctypes.get_errno())
os.waitpid(t, 0)
libc.ptrace(17, t, None, None)                   # PTRACE_DETACH
print(os.getpid())
PY
PT=$(cat "$T/ptrace.pid")
kill -STOP "$RPID"; sleep 0.2; kill -CONT "$RPID"
kill -HUP "$RPID"; sleep 0.5
rtmon_stop
python3 - "$T/out" "$BT" "$PT" "$$" <<'PY' || fail "tamper alerts"
import json, sys
out, bt, pt, sh = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
al = [a for a in map(json.loads, open(out)) if a.get("kind") == "alert" and a["rule_id"] == "rtmon_tamper" and "summary" not in a]
def has(pid, sev, text):
    m = [a for a in al if a["event"]["pid"] == pid and a["severity"] == sev and text in a["reason"]]
    assert m, "no %s tamper alert for pid %d with %r; got %r" % (sev, pid, text, [(a["event"]["pid"], a["severity"], a["reason"]) for a in al])
    return m[0]
a = has(bt, "medium", "bpf(BPF_PROG_GET_FD_BY_ID) on rtmon's program")
assert a["event"]["exe"].endswith("bpftool"), a["event"]
has(pt, "critical", "ptraced rtmon")
has(sh, "critical", "sent SIGSTOP to rtmon")
has(sh, "low", "sent SIGHUP to rtmon")
has(sh, "low", "sent SIGTERM to rtmon")
assert all(a["mitre"][0] == "T1562.001" for a in al)
print("ok: %d tamper alerts, exact pids" % len(al))
PY
echo PASS
