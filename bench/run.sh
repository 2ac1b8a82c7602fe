#!/bin/bash
# bench/run.sh - rtmon's performance bench (issue 9); `make bench` runs it.
#
# For each workload, K interleaved rounds: one run without any monitor and one
# with rtmon (default rules and outputs, journald off, alerts formatted to
# /dev/null via --stdout), and with --with-floor also the cost-floor monitor
# (bench/floor: same tracepoints, no parsing) with a wakeup per event and with
# batched wakeups. The order of the runs rotates from round to round. Per
# round, ratio = throughput with the monitor / throughput without; the table
# shows the median ratio and its min-max over the K rounds (with the floor,
# also rtmon / the batched floor of the same round: what rtmon costs beyond
# attaching the same tracepoints), the events rtmon
# lost (kernel_dropped of its stop line) and folded, its CPU (utime+stime from
# /proc while the workload ran) per 1,000 events, and its peak RSS (VmHWM).
# Then the alert latency (syscall -> alert line read from rtmon's stdout),
# p50/p99, at idle and during the connect storm, and rtmon's idle RSS.
#
# usage: bench/run.sh [-k K] [-d SECONDS] [-b BUILD_SECONDS] [-w LIST] [--with-floor]
#                     [--no-latency] [--keep]
# environment (flags win): RTMON (the daemon), BENCH_BIN (dir of the built bench
#   programs), BENCH_K (5), BENCH_DURATION (4 s per storm run), BENCH_BUILD_DURATION
#   (8 s), BENCH_WORKLOADS ("exec connect mmap_exec mmap_read syscall open clone build shell"),
#   BENCH_FLOOR (1 = --with-floor), BENCH_LAT_N (200 alerts), BENCH_LAT_RATE (50/s),
#   BENCH_RTMON_ARGS (extra rtmon arguments), BENCH_FLOOR_ARGS (extra floor arguments, e.g.
#   "-H lsm" beside BENCH_RTMON_ARGS="-o bpf.hooks=lsm"), BENCH_SETTLE (0.5 s after start),
#   BENCH_IDLE_WAIT (5 s before the idle RSS is read).
set -u

here=$(cd "$(dirname "$0")" && pwd)
RTMON=${RTMON:-}
BIN=${BENCH_BIN:-}
K=${BENCH_K:-5}
D=${BENCH_DURATION:-4}
DB=${BENCH_BUILD_DURATION:-8}
WORKLOADS=${BENCH_WORKLOADS:-"exec connect mmap_exec mmap_read syscall open clone build shell"}
FLOOR=${BENCH_FLOOR:-0}
LATENCY=1
KEEP=0
LAT_N=${BENCH_LAT_N:-200}
LAT_RATE=${BENCH_LAT_RATE:-50}
SETTLE=${BENCH_SETTLE:-0.5}
IDLE_WAIT=${BENCH_IDLE_WAIT:-5}
read -r -a EXTRA <<<"${BENCH_RTMON_ARGS:-}"
read -r -a FLOOR_EXTRA <<<"${BENCH_FLOOR_ARGS:-}"

while [ $# -gt 0 ]; do
	case $1 in
	-k) K=$2; shift ;;
	-d) D=$2; shift ;;
	-b) DB=$2; shift ;;
	-w) WORKLOADS=$2; shift ;;
	--with-floor) FLOOR=1 ;;
	--no-latency) LATENCY=0 ;;
	--keep) KEEP=1 ;;
	-h|--help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//;/^set -u/d'; exit 0 ;;
	*) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

die() { echo "run.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (BPF)" >&2; exit 77; }
[ -n "$RTMON" ] && [ -x "$RTMON" ] || die "set RTMON to the built src/rtmond"
[ -n "$BIN" ] || BIN=$(dirname "$(dirname "$RTMON")")/bench
for p in exec_storm connect_storm mmap_storm syscall_loop open_storm clone_storm alert_latency; do
	[ -x "$BIN/$p" ] || die "$BIN/$p is missing: run 'make bench' (or set BENCH_BIN)"
done
[ "$FLOOR" = 1 ] && { [ -x "$BIN/floor" ] || die "$BIN/floor is missing"; }
[ -e /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

work=$(mktemp -d /tmp/rtmon-bench.XXXXXX)
# a private instance lock: the bench runs beside a host rtmon service (or another bench) without refusal
export RTMON_LOCK_FILE=${RTMON_LOCK_FILE:-$work/rtmon.lock}
MON_PID=
cleanup() {
	[ -n "$MON_PID" ] && kill -TERM "$MON_PID" 2>/dev/null && wait "$MON_PID" 2>/dev/null
	[ -n "${STORM_PID:-}" ] && kill -TERM "$STORM_PID" 2>/dev/null && wait "$STORM_PID" 2>/dev/null
	if [ "$KEEP" = 1 ]; then echo "raw data kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


wl_label() {
	case $1 in
	exec) echo "exec storm (fork+exec /bin/true)" ;;
	connect) echo "connect storm (loopback TCP)" ;;
	mmap_exec) echo "anonymous PROT_EXEC mmap storm" ;;
	mmap_read) echo "PROT_READ-only mmap storm" ;;
	syscall) echo "syscall-bound loop (getppid)" ;;
	open) echo "open storm (openat+close, unwatched file)" ;;
	clone) echo "clone storm (fork+exit, no exec)" ;;
	build) echo "parallel C build (make -j2, 41 files)" ;;
	shell) echo "shell-script mix" ;;
	*) echo "$1" ;;
	esac
}

wl_run() { # workload -> its result line on stdout
	case $1 in
	exec) "$BIN/exec_storm" -d "$D" ;;
	connect) "$BIN/connect_storm" -d "$D" ;;
	mmap_exec) "$BIN/mmap_storm" -m exec -d "$D" ;;
	mmap_read) "$BIN/mmap_storm" -m read -d "$D" ;;
	syscall) "$BIN/syscall_loop" -d "$D" ;;
	open) "$BIN/open_storm" -d "$D" ;;
	clone) "$BIN/clone_storm" -d "$D" ;;
	build) bash "$here/build_mix.sh" -d "$DB" ;;
	shell) bash "$here/shell_mix.sh" -d "$D" ;;
	*) die "unknown workload $1" ;;
	esac
}

cpu_ns() { # pid -> CPU time of all its threads in ns (schedstat: exact, unlike the 10 ms ticks of stat)
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

status_kb() { # pid field -> kB
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# start_monitor KIND ERRFILE: rtmon | floor-event | floor-batched; sets MON_PID
start_monitor() {
	local kind=$1 err=$2 i
	case $kind in
	rtmon) "$RTMON" -o outputs.journal=false --stdout "${EXTRA[@]}" >/dev/null 2>"$err" & ;;
	floor-event) "$BIN/floor" -m event "${FLOOR_EXTRA[@]}" 2>"$err" & ;;
	floor-batched) "$BIN/floor" -m batched "${FLOOR_EXTRA[@]}" 2>"$err" & ;;
	esac
	MON_PID=$!
	for i in $(seq 1 600); do
		grep -q "monitoring" "$err" 2>/dev/null && break
		kill -0 "$MON_PID" 2>/dev/null || { cat "$err" >&2; die "$kind exited at start"; }
		sleep 0.1
	done
	grep -q "monitoring" "$err" || die "$kind did not start within 60 s"
	sleep "$SETTLE"
}

stop_monitor() {
	kill -TERM "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	MON_PID=
}

kv() { # key line -> value of key=value in line
	sed -En "s/(^|.*[ :])$1=([0-9.]+).*/\2/p" <<<"$2" | head -n1
}

# one_run WL KIND ROUND -> appends "kind round ops_per_s events dropped folded cpu_us hwm_kb elapsed_s" to $work/WL.runs
one_run() {
	local wl=$1 kind=$2 round=$3 err="$work/$1.$2.$3.err" out c0 c1 hwm=0 stop ev=0 dr=0 fo=0 cpu=0 rate el
	if [ "$kind" != none ]; then
		start_monitor "$kind" "$err"
		c0=$(cpu_ns "$MON_PID")
	fi
	out=$(wl_run "$wl") || die "workload $wl failed: $out"
	rate=$(kv ops_per_s "$out")
	el=$(kv elapsed_s "$out")
	if [ "$kind" != none ]; then
		c1=$(cpu_ns "$MON_PID")
		hwm=$(status_kb "$MON_PID" VmHWM)
		stop_monitor
		stop=$(grep "stopped:" "$err" | tail -n1)
		[ -n "$stop" ] || { cat "$err" >&2; die "$kind printed no stop line"; }
		ev=$(kv events "$stop")
		dr=$(kv kernel_dropped "$stop")
		fo=$(kv folded "$stop")
		fo=${fo:-0}
		cpu=$(((c1 - c0) / 1000))
	fi
	echo "$kind $round $rate $ev $dr $fo $cpu ${hwm:-0} $el" >>"$work/$wl.runs"
	printf '  %-10s round %d %-13s %12s ops/s%s\n' "$wl" "$round" "$kind" "$rate" \
		"$([ "$kind" = rtmon ] && echo "  events=$ev dropped=$dr folded=$fo cpu_us=$cpu hwm_kb=$hwm")" >&2
}

foreign_progs() { # BPF tracepoint programs loaded by anyone else right now
	command -v bpftool >/dev/null || { echo "?"; return; }
	bpftool prog show 2>/dev/null | grep -cE '^[0-9]+: (tracepoint|raw_tracepoint|kprobe|tracing)'
}

monitors=(rtmon)
[ "$FLOOR" = 1 ] && monitors=(floor-event floor-batched rtmon)

echo "rtmon bench: K=$K, ${D}s per storm run, ${DB}s per build run, workloads: $WORKLOADS," \
	"rtmon args: ${BENCH_RTMON_ARGS:-none}, floor args: ${BENCH_FLOOR_ARGS:-none}" >&2
echo "host: $(nproc) CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)," \
	"BPF tracing programs already loaded by others: $(foreign_progs)" >&2
t_start=$(date +%s)
for wl in $WORKLOADS; do
	: >"$work/$wl.runs"
	for r in $(seq 1 "$K"); do
		order=(none "${monitors[@]}")
		n=${#order[@]}
		rot=$(((r - 1) % n))
		for i in $(seq 0 $((n - 1))); do
			one_run "$wl" "${order[$(((i + rot) % n))]}" "$r"
		done
	done
done

# ---- the table ----
# ratio per round = monitor rate / none rate of the same round (or / the rate of kind $3)
summary() { # wl kind [base_kind] -> "median min max" of the ratios
	awk -v k="$2" -v b="${3:-none}" '
		$1 == b { base[$2] = $3 }
		$1 == k { m[$2] = $3 }
		END {
			n = 0
			for (r in m) if (base[r] > 0) v[++n] = m[r] / base[r]
			if (!n) { print "- - -"; exit }
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
			printf "%.2f %.2f %.2f\n", med, v[1], v[n]
		}' "$work/$1.runs"
}

cell() { # "med min max" -> "0.98 (0.95-1.01)"
	set -- $1
	[ "$1" = - ] && { echo "—"; return; }
	echo "$1 ($2–$3)"
}

base_median() {
	awk '$1 == "none" { v[++n] = $3 } END {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		if (!n) { print "-"; exit }
		med = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%.0f\n", med }' "$work/$1.runs"
}

rtmon_stats() { # wl -> "lost/sent folded cpu_per_1k cpu_pct rss_mib"
	awk '$1 == "rtmon" { ev += $4; dr += $5; fo += $6; cpu += $7; if ($8 > hwm) hwm = $8; el += $9 }
		END {
			printf "%d/%d %d ", dr, ev + dr, fo
			if (ev >= 1000) printf "%.2f ", cpu / 1000 / (ev / 1000); else printf "n/a "
			if (el > 0) printf "%.1f%% ", cpu / 1e6 / el * 100; else printf "n/a "
			printf "%.1f\n", hwm / 1024 }' "$work/$1.runs"
}

{
	echo
	echo "| workload | ops/s without | floor, wakeup per event | floor, batched wakeups | rtmon | rtmon / floor | lost | folded | CPU ms/1k ev | rtmon CPU | RSS MiB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	for wl in $WORKLOADS; do
		if [ "$FLOOR" = 1 ]; then
			fe=$(cell "$(summary "$wl" floor-event)")
			fb=$(cell "$(summary "$wl" floor-batched)")
			rf=$(cell "$(summary "$wl" rtmon floor-batched)")
		else
			fe="—"; fb="—"; rf="—"
		fi
		read -r lost folded cpu pct rss <<<"$(rtmon_stats "$wl")"
		echo "| $(wl_label "$wl") | $(base_median "$wl") | $fe | $fb | $(cell "$(summary "$wl" rtmon)") | $rf |" \
			"$lost | $folded | $cpu | $pct | $rss |"
	done
	echo
	echo "ratio = throughput with the monitor / without, median (min–max) of $K interleaved rounds;" \
		"rtmon / floor = rtmon's throughput / the batched floor's in the same round (1.00: rtmon costs what" \
		"merely attaching the same tracepoints costs);" \
		"lost = kernel_dropped/(events+dropped) summed over rtmon's $K runs; CPU/1k ev = rtmon CPU time (ms, /proc/PID/task/*/schedstat)" \
		"while the workload ran, per 1,000 events it handled (n/a under 1,000: the kernel filtered or folded" \
		"the storm); rtmon CPU = that CPU time / wall time (100% = one core); RSS = rtmon's peak VmHWM."
} >"$work/table.md"

# ---- alert latency and idle RSS ----
lat_line() { # label [storm] -> one line
	local label=$1 res
	res=$("$BIN/alert_latency" -n "$LAT_N" -r "$LAT_RATE" -- "$RTMON" -o outputs.journal=false \
		-o alerting.fold_window_s=0 -o alerting.rate_limit=0 --stdout "${EXTRA[@]}" 2>"$work/lat.err")
	local l s
	l=$(grep '^latency' <<<"$res")
	s=$(grep 'stopped:' <<<"$res")
	echo "- alert latency $label: p50 $(kv p50_ms "$l") ms, p99 $(kv p99_ms "$l") ms, max $(kv max_ms "$l") ms" \
		"($(kv seen "$l")/$LAT_N alerts seen, memfd_create at $LAT_RATE/s; rtmon events=$(kv events "$s")" \
		"kernel_dropped=$(kv kernel_dropped "$s"))"
}

if [ "$LATENCY" = 1 ]; then
	lat_line "at idle" >>"$work/table.md"
	lat_dur=$(awk -v n="$LAT_N" -v r="$LAT_RATE" 'BEGIN { printf "%d", n / r + 90 }')
	"$BIN/connect_storm" -d "$lat_dur" >"$work/storm.out" &
	STORM_PID=$!
	sleep 1
	lat_line "during the connect storm" >>"$work/table.md"
	kill -TERM "$STORM_PID" 2>/dev/null
	wait "$STORM_PID" 2>/dev/null
	STORM_PID=
fi

start_monitor rtmon "$work/idle.err"
sleep "$IDLE_WAIT"
echo "- rtmon RSS at idle (default config, $IDLE_WAIT s after start): VmRSS $(awk '{printf "%.1f", $1/1024}' \
	<<<"$(status_kb "$MON_PID" VmRSS)") MiB, VmHWM $(awk '{printf "%.1f", $1/1024}' \
	<<<"$(status_kb "$MON_PID" VmHWM)") MiB" >>"$work/table.md"
stop_monitor

echo "- run took $(($(date +%s) - t_start)) s; load at the end $(cut -d' ' -f1-3 /proc/loadavg);" \
	"BPF tracing programs loaded by others at the end: $(foreign_progs)" >>"$work/table.md"
cat "$work/table.md"
