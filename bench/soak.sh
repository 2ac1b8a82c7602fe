#!/bin/bash
# bench/soak.sh - rtmon under a sustained, moderate event rate for a long time
# (issue 10): is its memory bounded, does it keep up, does it lose anything?
#
# Runs rtmon (default rules and outputs, journald off, alerts to /dev/null via
# --stdout) and, for DURATION, a mix at fixed rates: fork+exec (EXEC_RATE/s),
# loopback connects (CONNECT_RATE/s), anonymous PROT_EXEC mmaps (MMAP_RATE/s,
# folded in the kernel), PROT_READ mmaps (filtered in the kernel), a shell
# pipeline burst every 5 s, and one exec from /tmp every 2 s (fires
# suspicious_exec, so alerts and summaries flow too). Every INTERVAL seconds
# it samples rtmon's VmRSS, VmHWM, CPU time, open fds; at the end it stops
# rtmon and reports its stop line (events, alerts, summaries, kernel drops,
# folded) and the RSS over time.
#
# usage: bench/soak.sh [-d DURATION_S] [-i INTERVAL_S]
# environment: RTMON, BENCH_BIN (as for run.sh), SOAK_DURATION (1800),
#   SOAK_INTERVAL (30), EXEC_RATE (100), CONNECT_RATE (2000), MMAP_RATE (1000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
RTMON=${RTMON:-}
BIN=${BENCH_BIN:-}
DUR=${SOAK_DURATION:-1800}
INT=${SOAK_INTERVAL:-30}
EXEC_RATE=${EXEC_RATE:-100}
CONNECT_RATE=${CONNECT_RATE:-2000}
MMAP_RATE=${MMAP_RATE:-1000}
while [ $# -gt 0 ]; do
	case $1 in
	-d) DUR=$2; shift ;;
	-i) INT=$2; shift ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//;/^set -u/d'; exit 0 ;;
	*) echo "soak.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "soak.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "soak.sh: needs root (BPF)" >&2; exit 77; }
[ -n "$RTMON" ] && [ -x "$RTMON" ] || die "set RTMON to the built src/rtmon"
[ -n "$BIN" ] || BIN=$(dirname "$(dirname "$RTMON")")/bench
for p in exec_storm connect_storm mmap_storm; do [ -x "$BIN/$p" ] || die "$BIN/$p is missing (make bench-soak)"; done

work=$(mktemp -d /tmp/rtmon-soak.XXXXXX)
# a private instance lock: the bench runs beside a host rtmon service (or another bench) without refusal
export RTMON_LOCK_FILE=${RTMON_LOCK_FILE:-$work/rtmon.lock}
RPID=
LOADS=()
cleanup() {
	for p in "${LOADS[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${LOADS[@]}"; do wait "$p" 2>/dev/null; done
	[ -n "$RPID" ] && kill -TERM "$RPID" 2>/dev/null && wait "$RPID" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$RTMON" -o outputs.journal=false --stdout >/dev/null 2>"$work/err" &
RPID=$!
for _ in $(seq 1 600); do
	grep -q "monitoring:" "$work/err" 2>/dev/null && break
	kill -0 "$RPID" 2>/dev/null || { cat "$work/err" >&2; die "rtmon exited at start"; }
	sleep 0.1
done
grep -q "monitoring:" "$work/err" || die "rtmon did not start"

sample() { # elapsed -> one row
	local s rss hwm cpu fds
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$RPID/status")
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$RPID/status")
	cpu=$(cat /proc/"$RPID"/task/*/schedstat | awk '{ s += $1 } END { printf "%.1f", s / 1e9 }')
	fds=$(ls "/proc/$RPID/fd" | wc -l)
	printf '| %6d | %6.1f | %6.1f | %7s | %3d |\n' "$1" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
		"$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$cpu" "$fds"
}

cp /bin/true "$work/soak-true"
"$BIN/exec_storm" -r "$EXEC_RATE" -d "$DUR" >"$work/exec.out" & LOADS+=($!)
"$BIN/connect_storm" -r "$CONNECT_RATE" -d "$DUR" >"$work/connect.out" & LOADS+=($!)
"$BIN/mmap_storm" -m exec -r "$MMAP_RATE" -d "$DUR" >"$work/mmap_exec.out" & LOADS+=($!)
"$BIN/mmap_storm" -m read -r "$MMAP_RATE" -d "$DUR" >"$work/mmap_read.out" & LOADS+=($!)
(
	end=$((SECONDS + DUR))
	n=0
	while [ $SECONDS -lt "$end" ]; do
		"$work/soak-true"
		n=$((n + 1))
		[ $((n % 3)) = 0 ] && bash "$here/shell_mix.sh" -d 0.5 >/dev/null
		sleep 2
	done
) & LOADS+=($!)

echo "soak: rtmon pid $RPID for ${DUR}s; exec $EXEC_RATE/s, connect $CONNECT_RATE/s, PROT_EXEC mmap $MMAP_RATE/s," \
	"PROT_READ mmap $MMAP_RATE/s, a /tmp exec every 2 s, shell bursts" >&2
{
	echo "| t (s) | VmRSS MiB | VmHWM MiB | CPU s | fds |"
	echo "| ---: | ---: | ---: | ---: | ---: |"
} >"$work/samples"
t0=$SECONDS
sample 0 >>"$work/samples"
next=$INT
while :; do
	now=$((SECONDS - t0))
	[ "$now" -ge "$DUR" ] && break
	kill -0 "$RPID" 2>/dev/null || { cat "$work/err" >&2; die "rtmon died during the soak"; }
	if [ "$now" -ge "$next" ]; then
		sample "$now" | tee -a "$work/samples" >&2
		next=$((next + INT))
	fi
	sleep 1
done
for p in "${LOADS[@]}"; do wait "$p" 2>/dev/null; done
LOADS=()
sample "$((SECONDS - t0))" >>"$work/samples"
kill -TERM "$RPID"
wait "$RPID"
rc=$?
RPID=
stop=$(grep "stopped:" "$work/err" | tail -n1)
cat "$work/samples"
echo
for f in exec connect mmap_exec mmap_read; do echo "- load $f: $(cat "$work/$f.out")"; done
echo "- $stop (exit $rc)"
awk -F'|' 'NR > 2 { r[++n] = $3 + 0 } END {
	if (n < 2) exit
	q = int(n / 4) + 1; if (q >= n) q = 1
	printf "- VmRSS: %.1f MiB at start, %.1f MiB after a quarter of the run, %.1f MiB at the end (growth over the last three quarters: %+.1f MiB)\n", r[1], r[q], r[n], r[n] - r[q] }' "$work/samples"
grep -i "warn\|drop" "$work/err" | grep -v "stopped:" | sed 's/^/- rtmon said: /' | head -5
