#!/bin/bash
# steady_alloc.sh: no allocation per event in steady state (issue 9). The live daemon runs with an
# allocation-counting shim (alloc_count.so, LD_PRELOAD) that reports its count on request. After a
# warm-up, a storm: execs from /tmp that each raise an alert (folding and rate limiting off, so
# every one is formatted and written to stdout and to the SSE history), TCP connects and anonymous
# PROT_EXEC mmaps. The process table and the SSE history are kept small (256) so that the warm-up
# fills them and the storm recycles their entries. The
# storm's thousands of alerts and tens of thousands of events must cost (almost) no
# malloc/calloc/realloc call.
. "$(dirname "$0")/lib.sh"
require_root
SHIM=${top_builddir:-$top_srcdir}/tests/integration/alloc_count.so
BENCH_BIN=${top_builddir:-$top_srcdir}/bench
if ldd "$RTMON" 2> /dev/null | grep -q libasan; then skip "rtmon is an AddressSanitizer build (it owns malloc)"; fi
[ -f "$SHIM" ] || fail "the shim is not built: $SHIM"
[ -x "$BENCH_BIN/exec_storm" ] || fail "bench programs not built in $BENCH_BIN"
cp /bin/true "$T/true" # T is under /tmp: each exec is a suspicious_exec alert
PORT=$((20000 + RANDOM % 20000))

storm() { # N: N alerting execs, 4N connects, N PROT_EXEC mmaps (folded in the kernel)
	"$BENCH_BIN/exec_storm" -m "$T/true" -n "$1" > /dev/null
	"$BENCH_BIN/connect_storm" -n $(($1 * 4)) > /dev/null
	"$BENCH_BIN/mmap_storm" -m exec -n "$1" > /dev/null
}

count() { # -> "allocations alerts" at this moment (alerts: lines on rtmon's stdout)
	local i
	sleep 0.5 # the ring is drained every 10 ms: let the storm's last records through
	touch "$T/allocs.req"
	for i in $(seq 100); do [ -e "$T/allocs.req" ] || break; sleep 0.05; done
	[ -e "$T/allocs.req" ] && fail "the shim did not answer"
	echo "$(cat "$T/allocs") $(grep -c '"kind":"alert"' "$T/out")"
}

ALLOC_COUNT_FILE=$T/allocs LD_PRELOAD=$SHIM rtmon_start --stdout -o process.max_processes=256 \
	-o alerting.fold_window_s=0 -o alerting.rate_limit=0 \
	-o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT" -o outputs.sse.history=256
storm 1000 # the same command lines as the storm's: recycled entries see the same lengths
read -r a_allocs a_alerts <<< "$(count)"
storm 3000
read -r b_allocs b_alerts <<< "$(count)"
rtmon_stop
line=$(grep "rtmon stopped:" "$T/err") || fail "no final counters"
events=$(sed -n 's/.*events=\([0-9]*\).*/\1/p' <<< "$line")
extra_alerts=$((b_alerts - a_alerts))
extra_allocs=$((b_allocs - a_allocs))
echo "after the warm-up: $a_allocs allocations, $a_alerts alerts"
echo "after the storm:   $b_allocs allocations, $b_alerts alerts ($events events in all)"
echo "the storm:         $extra_allocs allocations for $extra_alerts alerts and about $((events * 3 / 4)) events"
[ "$extra_alerts" -ge 3000 ] || fail "the storm raised only $extra_alerts alerts (expected one per exec from /tmp)"
[ "$(grep -c '"rule_id":"suspicious_exec"' "$T/out")" -ge 4000 ] || fail "the alerts are not suspicious_exec"
[ "$events" -ge 28000 ] || fail "only $events events in all (expected 3 per exec and 1 per connect)"
# Allowed: what the host does meanwhile (timers, a new process's longer path), never one per event
# or per alert.
[ "$extra_allocs" -le $((extra_alerts / 50)) ] ||
	fail "$extra_allocs allocations for $extra_alerts alerts and their events: something allocates per event"
echo PASS
