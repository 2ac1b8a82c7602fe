#!/bin/bash
# valgrind.sh: the live daemon under valgrind memcheck for a few thousand real events (execs, connects,
# memfd alerts): zero errors, zero definite or indirect leaks (libbpf's bpf() argument false positives
# are suppressed in tests/valgrind/rtmon.supp).
. "$(dirname "$0")/lib.sh"
require_root
command -v valgrind > /dev/null || skip "valgrind is not installed"
if ldd "$RTMON" 2> /dev/null | grep -q libasan; then skip "rtmon is an AddressSanitizer build (valgrind and ASan exclude each other)"; fi
VG=(valgrind --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
    --error-exitcode=9 --suppressions="$top_srcdir/tests/valgrind/rtmon.supp" --log-file="$T/vg.log")
"${VG[@]}" "$RTMON" -o outputs.journal=false --stdout > "$T/out" 2> "$T/err" < /dev/null &
RPID=$!
for _ in $(seq 600); do
	grep -q "monitoring:" "$T/err" 2> /dev/null && break
	kill -0 "$RPID" 2> /dev/null || fail "rtmon under valgrind exited at start"
	sleep 0.1
done
grep -q "monitoring:" "$T/err" || fail "rtmon did not attach under valgrind in 60 s"
python3 - <<'PY'
import os, socket
for _ in range(600):
    pid = os.fork()
    if pid == 0:
        os.execv("/bin/true", ["/bin/true"])
    os.waitpid(pid, 0)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(64)
for _ in range(300):
    c = socket.create_connection(srv.getsockname()); a, _ = srv.accept(); a.close(); c.close()
for i in range(5):
    os.close(os.memfd_create("vg-%d" % i))
PY
sleep 2
kill -TERM "$RPID"
rc=0; wait "$RPID" || rc=$?
RPID=
grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$T/vg.log" || true
line=$(grep "rtmon stopped:" "$T/err") || fail "no final counters"
echo "$line"
events=$(echo "$line" | sed -n 's/.*events=\([0-9]*\).*/\1/p')
[ "$events" -ge 2000 ] || fail "only $events events under valgrind"
[ "$rc" = 0 ] || { grep -A20 -E "Invalid|uninitialised|definitely lost" "$T/vg.log" | head -60; fail "valgrind reported errors (exit $rc)"; }
grep -q "ERROR SUMMARY: 0 errors" "$T/vg.log" || fail "valgrind error summary not clean"
echo PASS
