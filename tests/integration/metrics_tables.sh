#!/bin/bash
# metrics_tables.sh: the process table's and the cgroup cache's statistics reach /metrics. With
# process.max_processes at its minimum (64), 300 short processes from this test's cgroup must evict
# entries (the table stays within its bound), the start-up /proc scan counts as reads, and the
# cgroup cache answers the repeated lookups of one cgroup from the cache.
. "$(dirname "$0")/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"
PORT=$((20000 + $$ % 20000))
rtmon_start -o process.max_processes=64 -o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT"
curl -sf "http://127.0.0.1:$PORT/metrics" > "$T/before" || fail "GET /metrics"
for _ in $(seq 300); do /bin/true; done
sleep 0.5
curl -sf "http://127.0.0.1:$PORT/metrics" > "$T/after" || fail "GET /metrics"
rtmon_stop
m() { # FILE NAME{LABELS}: the value, or fail
	local v
	v=$(awk -v k="$2" '$1 == k { print $2 }' "$1")
	[ -n "$v" ] || fail "/metrics has no $2"
	echo "$v"
}
for k in 'rtmon_process_evictions_total{state="live"}' 'rtmon_process_evictions_total{state="exited"}' \
	rtmon_process_expired_total 'rtmon_process_proc_reads_total{result="ok"}' \
	'rtmon_process_proc_reads_total{result="gone"}' rtmon_cgroup_cache_entries \
	'rtmon_cgroup_cache_lookups_total{result="hit"}' 'rtmon_cgroup_cache_lookups_total{result="miss"}' \
	'rtmon_cgroup_cache_resolves_total{how="handle"}' 'rtmon_cgroup_cache_resolves_total{how="walk"}' \
	'rtmon_cgroup_cache_resolves_total{how="pod_scan"}' rtmon_cgroup_cache_evictions_total \
	rtmon_cgroup_cache_unresolved_total; do
	echo "$k $(m "$T/before" "$k") -> $(m "$T/after" "$k")"
done
procs=$(m "$T/after" rtmon_processes)
[ "$procs" -le 64 ] || fail "rtmon_processes $procs over process.max_processes 64"
ev0=$(($(m "$T/before" 'rtmon_process_evictions_total{state="live"}') + $(m "$T/before" 'rtmon_process_evictions_total{state="exited"}')))
ev1=$(($(m "$T/after" 'rtmon_process_evictions_total{state="live"}') + $(m "$T/after" 'rtmon_process_evictions_total{state="exited"}')))
[ $((ev1 - ev0)) -ge 236 ] || fail "300 new processes in a table of 64 evicted only $((ev1 - ev0)) entries"
[ "$(m "$T/before" 'rtmon_process_proc_reads_total{result="ok"}')" -ge 1 ] || fail "the start-up /proc scan read no process"
hits0=$(m "$T/before" 'rtmon_cgroup_cache_lookups_total{result="hit"}')
hits1=$(m "$T/after" 'rtmon_cgroup_cache_lookups_total{result="hit"}')
[ $((hits1 - hits0)) -ge 300 ] || fail "300 processes of one cgroup: only $((hits1 - hits0)) cgroup cache hits"
echo PASS
