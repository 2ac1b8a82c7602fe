#!/bin/bash
# kernel_probe.sh: rtmon probes what the kernel offers instead of failing. A tracepoint made to look
# absent (RTMON_TEST_HIDE_TRACEPOINTS, test-only) loses its capability, not the daemon: one startup line
# names it, /metrics has rtmon_capability{name} 0 for it and 1 for the rest, STATUS= ends in "; lost:",
# and the other hooks still report exact events. bpf.btf_path loads with a copy of the kernel's BTF, and
# a missing btf_path is exit 2 naming it. An object of another ABI version is refused, naming both.
. "$(dirname "$0")/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"
[ -r /sys/kernel/btf/vmlinux ] || skip "this kernel has no /sys/kernel/btf/vmlinux to copy"
PORT=$((20000 + $$ % 20000))

# 1. ptrace and memfd hidden: rtmon starts, says so once, and the exec pipeline still works
cat > "$T/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
out = open(sys.argv[2], "a", buffering=1)
while True:
    out.write(s.recv(65536).decode(errors="replace").replace("\n", "|") + "\n")
PY
python3 "$T/listen.py" "$T/notify.sock" "$T/notify.log" &
NPID=$!
trap 'kill $NPID 2>/dev/null; cleanup_default' EXIT
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.05; done
NOTIFY_SOCKET=$T/notify.sock RTMON_TEST_HIDE_TRACEPOINTS=syscalls/sys_enter_ptrace,syscalls/sys_enter_memfd_create \
	rtmon_start --trace -o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT"
[ "$(grep -c "capabilities lost on this kernel" "$T/err")" = 1 ] || fail "no single 'capabilities lost' line"
# (a kernel without modules also loses "module": the line may go on after memfd)
grep -Eq "capabilities lost on this kernel: ptrace,memfd[ ,]" "$T/err" || fail "the lost line does not name ptrace,memfd"
curl -sf "http://127.0.0.1:$PORT/metrics" > "$T/metrics" || fail "GET /metrics"
for c in ptrace memfd; do
	grep -qx "rtmon_capability{name=\"$c\"} 0" "$T/metrics" || fail "rtmon_capability $c is not 0"
done
for c in core connect mmap mprotect vm_writev dup bpf signal file socket namespace; do
	grep -qx "rtmon_capability{name=\"$c\"} 1" "$T/metrics" || fail "rtmon_capability $c is not 1"
done
/bin/true & TP=$!; wait $TP
for _ in $(seq 40); do grep -q "STATUS=monitoring.*; lost: ptrace,memfd" "$T/notify.log" && break; sleep 0.1; done
grep -q "STATUS=monitoring.*; lost: ptrace,memfd" "$T/notify.log" || fail "STATUS= lacks '; lost: ptrace,memfd'"
rtmon_stop
python3 - "$T/out" "$TP" <<'PY' || fail "the exec of /bin/true (pid $TP) was not reported exactly"
import json, os, sys
ok = any(e.get("type") == "exec" and e.get("pid") == int(sys.argv[2]) and e.get("exe") == os.path.realpath("/bin/true")
         for e in (json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")))
sys.exit(0 if ok else 1)
PY

# 2. bpf.btf_path: a copy of the kernel's BTF loads; a missing file is exit 2 naming the key
cp /sys/kernel/btf/vmlinux "$T/vmlinux.btf"
rtmon_start -o "bpf.btf_path=$T/vmlinux.btf"
rtmon_stop
rc=0; "$RTMON" -o outputs.journal=false -o "bpf.btf_path=$T/nope.btf" > /dev/null 2> "$T/err2" < /dev/null || rc=$?
[ "$rc" = 2 ] || fail "a missing bpf.btf_path exited $rc, not 2"
grep -q "bpf.btf_path $T/nope.btf: No such file or directory" "$T/err2" || fail "the error does not name bpf.btf_path"

# 3. the loader reads the ABI version back from the object's .rodata: an object of another version
# (RTMON_TEST_OBJECT_ABI stands in for it, test-only) is refused before anything is loaded
rc=0; RTMON_TEST_OBJECT_ABI=4 timeout 10 "$RTMON" -o outputs.journal=false > /dev/null 2> "$T/err3" < /dev/null || rc=$?
[ "$rc" != 0 ] || fail "an object of ABI version 4 was accepted"
grep -q "the BPF object has ABI version 4, this rtmon reads version [0-9]*: the object was built from another bpf/rtmon_abi.h (rebuild rtmon)" "$T/err3" ||
	{ cat "$T/err3"; fail "no clear ABI mismatch message"; }
grep -q "monitoring:" "$T/err3" && fail "rtmon monitored with a mismatched object"
echo "PASS: lost capabilities named (line, STATUS=, /metrics), exec still exact; bpf.btf_path loads, a bad one is exit 2;" \
	"an object of another ABI version is refused"
