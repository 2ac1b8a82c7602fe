#!/bin/bash
# guest-run.sh: PID 1 of a check-kernels guest, on the host's root seen through 9p under a tmpfs overlay.
# Mounts what a systemd host would (cgroup2 only, tracefs, bpffs), runs each check and prints one
# "RTK-RESULT name rc reason" line per check on the console, then powers off.
# Also usable on the host itself (RTK_HOST=1): then it mounts nothing and does not power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
: "${RTK_SRC:?}" "${RTK_BUILD:?}"
: "${RTK_TESTS:=pipeline detect_attacks drops benign_quiet check_config container_runc}"
: "${RTK_TIMEOUT:=600}"
RTK_TESTS=${RTK_TESTS//,/ }
RTK_MODES=${RTK_MODES:-}; RTK_MODES=${RTK_MODES//,/ }
if [ -z "${RTK_HOST:-}" ]; then
	mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev 2>/dev/null
	mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs tmpfs /run; mount -t tmpfs tmpfs /tmp; chmod 1777 /tmp
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	mount -t tracefs tracefs /sys/kernel/tracing; mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	mount -t bpf bpf /sys/fs/bpf; mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	ip link set lo up; hostname rtmon-guest
	exec </dev/console >/dev/console 2>&1
fi
echo "RTK-KERNEL $(uname -r)"
echo "RTK-CGROUP $(awk '$3 ~ /^cgroup/ {print $3":"$2}' /proc/mounts | tr '\n' ' ')"
echo "RTK-BTF $([ -e /sys/kernel/btf/vmlinux ] && echo yes || echo no)"
RTMON=$RTK_BUILD/src/rtmond
export top_srcdir=$RTK_SRC top_builddir=$RTK_BUILD RTMON
export RTMON_LOCK_FILE=/tmp/rtmon-check-kernels.lock

# startup time (until the "monitoring:" line) and idle RSS after 3 s
measure() {
	local d; d=$(mktemp -d); local t0 t1 pid
	t0=$(date +%s%N)
	"$RTMON" -o outputs.journal=false ${1:+-o bpf.hooks=$1} >"$d/out" 2>"$d/err" </dev/null &
	pid=$!
	for _ in $(seq 1200); do
		grep -q "monitoring:" "$d/err" && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	t1=$(date +%s%N)
	if grep -q "monitoring:" "$d/err"; then
		sleep 3
		echo "RTK-STARTUP ${1:-default}: startup $(( (t1 - t0) / 1000000 )) ms, idle RSS $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
		sed -n "s/.*monitoring:.*hooks: \([a-z]*\).*/RTK-HOOKS ${1:-default}->\1/p" "$d/err"
	else
		echo "RTK-STARTUP failed: $(tail -2 "$d/err" | tr '\n' ' ')"
	fi
	grep -iE "capabilit|not available|not in this kernel" "$d/err" | grep -v "hooks" | head -5 | sed 's/^/RTK-CAPS /'
	grep -E "hooks.*(not available|falling back)" "$d/err" | head -5 | sed "s/^/RTK-NOTE ${1:-default}: /"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null
	rm -rf "$d"
}
# PID 1 here is this script: run the checks under a subreaper that reaps the simulations at once
REAP=; [ -z "${RTK_HOST:-}" ] && REAP="python3 $RTK_SRC/tests/kernels/reaper.py"
# TCG runs a simulation 10-20x slower than the host: give sim_detach.py more than its 120 s
# and rtmond more than lib.sh's 10 s to attach
[ -z "${RTK_HOST:-}" ] && export RTMON_SIM_TIMEOUT=${RTMON_SIM_TIMEOUT:-900} RTMON_DROPS_N=${RTMON_DROPS_N:-600} \
	RTMON_START_WAIT=${RTMON_START_WAIT:-120} RTMON_BUSYBOX_STATIC=${RTK_BUSYBOX:-}
cd "$RTK_BUILD"   # as make check does (the guest starts in /)
echo "RTK-LSM $(cat /sys/kernel/security/lsm 2>/dev/null)"
if [ -z "$RTK_MODES" ]; then measure; else for m in $RTK_MODES; do measure "${m%%:*}"; done; fi

run_check() {
	local name=$1 key=$1 log=/tmp/rtk-$1.log rc=0 reason=
	[ -n "$RTK_MODE" ] && key="$name[$RTK_MODE]"
	local t0=$(date +%s)
	case $name in
	check_config)
		timeout "$RTK_TIMEOUT" bash -c '
			set -e
			"$RTMON" --check-config -c "$top_srcdir/etc/rtmon/rtmon.conf" | grep -q "configuration OK"
			printf "outputs = {\n" > /tmp/rtk-bad.conf
			if "$RTMON" --check-config -c /tmp/rtk-bad.conf; then exit 1; else [ $? = 1 ]; fi
		' >"$log" 2>&1 || rc=$? ;;
	bench)
		# bench/run.sh per hooks mode, the floor monitor on the same hooks; the tables go to the console
		local m
		# (each mode's table goes out as soon as it is done: a guest that runs out of time keeps the first)
		for m in ${RTK_BENCH_MODES:-lsm tracepoint}; do
			echo "RTK-BENCH --- rtmon -o bpf.hooks=$m, floor -H $m"
			BENCH_RTMON_ARGS="-o bpf.hooks=$m" BENCH_FLOOR_ARGS="-H $m" BENCH_BIN=$RTK_BUILD/bench \
				RTMON=$RTMON timeout "${RTK_BENCH_TIMEOUT:-3600}" bash "$RTK_SRC/bench/run.sh" \
				-k "${RTK_BENCH_K:-3}" -d "${RTK_BENCH_D:-4}" \
				-w "${RTK_BENCH_WORKLOADS:-syscall connect mmap_read mmap_exec exec shell}" \
				--with-floor --no-latency >"$log.$m" 2>&1 || rc=$?
			grep -E "^(\||- |rtmon bench|host:)" "$log.$m" | sed "s/^/RTK-BENCH /"
			cat "$log.$m" >>"$log"
		done ;;
	*)
		$REAP timeout "$RTK_TIMEOUT" bash "$RTK_SRC/tests/integration/$name.sh" >"$log" 2>&1 || rc=$? ;;
	esac
	[ $rc = 77 ] && reason=$(grep -m1 '^SKIP' "$log" | cut -c7-)
	[ $rc = 124 ] && reason="timed out after ${RTK_TIMEOUT}s"
	if [ $rc != 0 ] && [ $rc != 77 ]; then
		[ -n "$reason" ] || reason=$(grep -m1 '^FAIL' "$log" | cut -c7- | cut -c1-160)
		grep -E "FAIL|Error|error|expected|missing|mismatch|assert" "$log" | head -30 | sed "s/^/RTK-LOG $name: /"; tail -20 "$log" | sed "s/^/RTK-LOG $name: /"
	fi
	echo "RTK-RESULT $key $rc $(( $(date +%s) - t0 ))s ${reason}"
}
RTK_MODE=
if [ -z "$RTK_MODES" ]; then
	for t in $RTK_TESTS; do run_check "$t"; done
else
	# MODE or MODE:check+check (that mode runs only those checks)
	for spec in $RTK_MODES; do
		RTK_MODE=${spec%%:*}; tests=$RTK_TESTS
		[ "$spec" != "$RTK_MODE" ] && tests=${spec#*:} && tests=${tests//+/ }
		export RTMON_TEST_ARGS="-o bpf.hooks=$RTK_MODE"
		for t in $tests; do run_check "$t"; done
	done
fi
echo "RTK-DONE"
if [ -z "${RTK_HOST:-}" ]; then
	sync; echo o > /proc/sysrq-trigger; sleep 5
fi
