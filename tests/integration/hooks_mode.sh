#!/bin/bash
# hooks_mode.sh: bpf.hooks forces a mode; a mode this kernel refuses falls back to the next (lsm -> fentry ->
# kprobe -> tracepoint) with one line naming the mode, the reason and where it goes. In every mode the
# startup line, STATUS= and /metrics (rtmon_hooks_mode{mode}) name the mode that runs, and a syscall hook
# still reports exact values (memfd_create: pid and name; a UDP connect: pid, address, port). A bad value
# is a configuration error naming the choices. (On this build host only tracepoint loads; the QEMU guests
# of make check-kernels run it with lsm and fentry.)
. "$(dirname "$0")/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"
PORT=$((20000 + $$ % 20000))
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

ran=
for want in lsm fentry kprobe tracepoint; do
	: > "$T/notify.log"
	NOTIFY_SOCKET=$T/notify.sock rtmon_start --trace -o "bpf.hooks=$want" -o outputs.sse.enabled=true \
		-o "outputs.sse.listen=127.0.0.1:$PORT"
	mode=$(sed -n 's/.*monitoring:.*, hooks: \([a-z]*\)$/\1/p' "$T/err")
	[ -n "$mode" ] || fail "bpf.hooks=$want: the monitoring line does not name the hooks mode"
	if [ "$mode" != "$want" ]; then
		# the forced mode could not run: one line says which, why, and where it went
		grep -Eq "bpf.hooks = \"$want\": $want hooks are not available on this kernel \(.+\), falling back to [a-z]+$" "$T/err" ||
			{ cat "$T/err"; fail "bpf.hooks=$want runs $mode without a line saying why"; }
	fi
	grep -q "falling back to tracepoint" "$T/err" && [ "$mode" != tracepoint ] && fail "fell back to tracepoint but runs $mode"
	curl -sf "http://127.0.0.1:$PORT/metrics" > "$T/metrics" || fail "GET /metrics"
	for m in lsm fentry kprobe tracepoint; do
		v=0; [ "$m" = "$mode" ] && v=1
		grep -qx "rtmon_hooks_mode{mode=\"$m\"} $v" "$T/metrics" || fail "rtmon_hooks_mode $m is not $v (mode $mode)"
	done
	python3 - "$T/did.json" "$want" <<'PY' || fail "the actions failed"
import json, os, socket, sys
name = "rtmon-hooks-" + sys.argv[2]
fd = os.memfd_create(name, 0); os.close(fd)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", 9)); u.close()
json.dump({"pid": os.getpid(), "name": name}, open(sys.argv[1], "w"))
PY
	for _ in $(seq 40); do grep -q "STATUS=monitoring:.*; hooks: $mode" "$T/notify.log" && break; sleep 0.1; done
	grep -q "STATUS=monitoring:.*; hooks: $mode" "$T/notify.log" || fail "STATUS= lacks '; hooks: $mode'"
	rtmon_stop
	python3 - "$T/out" "$T/did.json" <<'PY' || fail "bpf.hooks=$want (running $mode): events not exact"
import json, sys
did = json.load(open(sys.argv[2]))
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ev = [e for e in ev if e.get("pid") == did["pid"]]
m = [e for e in ev if e.get("type") == "memfd_create" and e.get("memfd_name") == did["name"]]
c = [e for e in ev if e.get("type") == "connect" and e.get("dst_port") == 9 and e.get("dst_addr") == "127.0.0.1"]
assert len(m) == 1, ("memfd_create", m)
assert len(c) == 1, ("udp connect", c, [e for e in ev if e.get("type") == "connect"])
PY
	echo "ok: bpf.hooks=$want runs $mode"
	ran="$ran $want->$mode"
done

rc=0; "$RTMON" --check-config -o bpf.hooks=fast > "$T/err2" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "bpf.hooks=fast: exit $rc, not 1"
grep -q 'bpf.hooks must be one of "auto", "lsm", "fentry", "kprobe", "tracepoint"' "$T/err2" || fail "no clear bpf.hooks error"
echo "PASS:$ran; a bad bpf.hooks is a config error"
