#!/bin/bash
# check-kernels.sh: rtmon's core integration checks on Debian's 6.1 and 6.12 cloud kernels (each booted in
# QEMU, TCG, on the host's root shared read-only over virtiofs under a tmpfs overlay) and on the host's
# own kernel; prints a matrix kernel x check -> pass / FAIL / skip (reason). Exit 0 when nothing failed.
# Env: RTK_KERNELS (default "6.1 6.12 host"), RTK_TESTS (checks, see guest-run.sh), RTK_CACHE (kernel
# cache, default $top_builddir/kernels), RTK_MEM (guest MiB, 2048), RTK_TIMEOUT (s per check: 600 on
# the host, 2400 in a guest, whose simulations get 900 s each; RTK_TIMEOUT_6_1, RTK_TIMEOUT_6_12,
# RTK_TIMEOUT_host for one kernel),
# RTK_GUEST_TIMEOUT (s per guest, default: every check's timeout plus 900), RTK_MODES (bpf.hooks modes to
# run the checks in, e.g. "auto tracepoint", or MODE:check+check for a subset in that mode;
# default "auto tracepoint:pipeline+detect_attacks"; "" runs the daemon's default only), RTK_APPEND (extra
# guest kernel command line; default enables the BPF LSM as a distribution would: lsm=...,bpf).
# The check "bench" (not in the default list) runs bench/run.sh in the guest for each of RTK_BENCH_MODES
# (default "lsm tracepoint"; RTK_BENCH_K rounds, 3; RTK_BENCH_WORKLOADS; RTK_BENCH_TIMEOUT s per mode).
set -uo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/build}"
top_srcdir=$(cd "$top_srcdir" && pwd); top_builddir=$(cd "$top_builddir" && pwd)
K=$top_srcdir/tests/kernels
: "${RTK_KERNELS:=6.1 6.12 host}"
: "${RTK_TESTS:=pipeline detect_attacks drops benign_quiet check_config container_runc kernel_actions file_access hooks_mode}"
: "${RTK_CACHE:=$top_builddir/kernels}"
: "${RTK_MEM:=2048}"
: "${RTK_MODES=auto tracepoint:pipeline+detect_attacks}"
: "${RTK_APPEND:=lsm=lockdown,capability,landlock,yama,apparmor,bpf}"
export RTK_TESTS RTK_MODES
# the per-check timeout of kernel $1 (series, or "host")
check_timeout() {
	local v=RTK_TIMEOUT_${1//./_} def=2400
	[ "$1" = host ] && def=600
	echo "${!v:-${RTK_TIMEOUT:-$def}}"
}
# the whole guest's: every check in every mode, plus boot and measurements
guest_timeout() {
	local n m
	n=$(echo $RTK_TESTS | wc -w); m=$(echo ${RTK_MODES:-default} | wc -w)
	echo "${RTK_GUEST_TIMEOUT:-$(( n * m * $(check_timeout "$1") + 900 ))}"
}
[ "$(id -u)" = 0 ] || { echo "SKIP: check-kernels needs root (BPF)"; exit 77; }
[ -x "$top_builddir/src/rtmond" ] || { echo "rtmond is not built: $top_builddir/src/rtmond" >&2; exit 1; }
W=$(mktemp -d /tmp/rtmon-kernels.XXXXXX); trap 'rm -rf "$W"' EXIT
mkdir -p "$RTK_CACHE"
T0=$(date +%s)

# static busybox for the initramfs, fetched (busybox-static conflicts with busybox, so never installed)
busybox_static() {
	local bb=$RTK_CACHE/busybox
	if [ ! -x "$bb" ]; then
		if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
			cp /bin/busybox "$bb"
		else
			(cd "$W" && chmod 755 . && apt-get download -q busybox-static >/dev/null 2>&1 &&
				dpkg-deb -x busybox-static_*.deb bbx && cp bbx/bin/busybox "$bb") || return 1
		fi
	fi
	echo "$bb"
}

# initramfs for the kernel unpacked in $1: busybox, the modules 9p+overlay need (with their deps), init
make_initrd() {
	local kd=$1 out=$2 r=$W/initrd mdir rel
	rm -rf "$r"; mkdir -p "$r"/{bin,proc,sys,dev,mod,lower,rw,newroot}
	cp "$(busybox_static)" "$r/bin/busybox" || return 1
	ln -s busybox "$r/bin/sh"
	mdir=$(ls -d "$kd"/lib/modules/* | head -1); rel=${mdir##*/}
	local f
	# what is built in is not in the package; what is a module is loaded by init in dependency passes
	for f in $(cd "$mdir" && find kernel -regextype egrep -regex \
		'.*/(virtio|virtio_ring|virtio_pci|virtio_pci_legacy_dev|virtio_pci_modern_dev|fuse|virtiofs|overlay)\.ko(\.(xz|zst|gz))?'); do
		case $f in
		*.xz) xz -dc "$mdir/$f" >"$r/mod/$(basename "${f%.xz}")" ;;
		*.zst) zstd -qdc "$mdir/$f" >"$r/mod/$(basename "${f%.zst}")" ;;
		*.gz) gzip -dc "$mdir/$f" >"$r/mod/$(basename "${f%.gz}")" ;;
		*) cp "$mdir/$f" "$r/mod/" ;;
		esac
	done
	cp "$K/initramfs-init" "$r/init"; chmod +x "$r/init"
	(cd "$r" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$out"
}

declare -A RES
COLS=()
run_guest() {
	local series=$1 kd vmlinuz log=$W/guest-$1.log
	kd=$("$K/fetch-kernel.sh" "$series" "$RTK_CACHE" 2>"$W/fetch.err") || {
		COLS+=("$series"); RES[$series,_note]="kernel not available: $(tail -1 "$W/fetch.err")"; return; }
	vmlinuz=$(ls "$kd"/boot/vmlinuz-* | head -1)
	make_initrd "$kd" "$W/initrd-$series.gz" || { COLS+=("$series"); RES[$series,_note]="initramfs failed"; return; }
	local s0; s0=$(date +%s)
	# the host's root, shared read-only (the guest mounts it ro, under a tmpfs overlay)
	/usr/lib/qemu/virtiofsd --socket-path="$W/vfs.sock" -o source=/ -o cache=auto -o sandbox=chroot \
		-o log_level=err >"$W/virtiofsd.log" 2>&1 &
	local vpid=$!
	for _ in $(seq 50); do [ -S "$W/vfs.sock" ] && break; sleep 0.1; done
	local gt; gt=$(guest_timeout "$series")
	timeout "$gt" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$RTK_MEM" -nographic \
		-no-reboot -nic none \
		-kernel "$vmlinuz" -initrd "$W/initrd-$series.gz" \
		-object memory-backend-memfd,id=mem,size="${RTK_MEM}M",share=on -numa node,memdev=mem \
		-chardev socket,id=vfs,path="$W/vfs.sock" -device vhost-user-fs-pci,chardev=vfs,tag=hostroot \
		-append "console=ttyS0 panic=-1 quiet loglevel=3 RTK_SCRIPT=$K/guest-run.sh RTK_SRC=$top_srcdir RTK_BUILD=$top_builddir RTK_TESTS=${RTK_TESTS// /,} RTK_MODES=${RTK_MODES// /,} RTK_TIMEOUT=$(check_timeout "$series") RTK_BUSYBOX=$(busybox_static) $RTK_APPEND" \
		</dev/null 2>&1 | sed -u 's/\r$//' >"$log"
	local qrc=${PIPESTATUS[0]}
	kill "$vpid" 2>/dev/null; wait "$vpid" 2>/dev/null
	[ "$qrc" = 124 ] && echo "RTK-NOTE guest $series killed after ${gt}s (RTK_GUEST_TIMEOUT)" >>"$log"
	collect "$log" "$(grep -ao "RTK-KERNEL [^ ]*" "$log" | head -1 | cut -d" " -f2)" "$(( $(date +%s) - s0 ))"
}
collect() {
	local log=$1 col=${2:-?} secs=$3 name rc dur reason
	[ "$col" = "?" ] && col="boot-failed-$RANDOM"
	COLS+=("$col")
	RES[$col,_note]="$(grep -ao "RTK-STARTUP .*" "$log" | cut -d" " -f2- | paste -sd";" -); wall ${secs}s"
	RES[$col,_hooks]=$(grep -ao "RTK-HOOKS .*" "$log" | cut -d" " -f2- | tr '\n' ' ')
	RES[$col,_caps]=$(grep '^RTK-CAPS' "$log" | cut -d' ' -f2- | tr '\n' ' ')
	while read -r _ name rc dur reason; do
		case $rc in
		0) RES[$col,$name]="pass ($dur)" ;;
		77) RES[$col,$name]="skip: $reason" ;;
		*) RES[$col,$name]="FAIL rc=$rc: $reason" ;;
		esac
	done < <(grep -ao "RTK-RESULT .*" "$log")
	grep -q '^RTK-DONE' "$log" || RES[$col,_note]+=" (guest did not finish: see below)"
	grep -E '^RTK-(LOG|ERROR|NOTE)' "$log" | head -60 >>"$W/details"
	grep -E '^RTK-BENCH' "$log" | sed "s/^RTK-BENCH /[$col] /" >>"$W/bench"
	[ -s "$log" ] && ! grep -q '^RTK-DONE' "$log" && tail -30 "$log" >>"$W/details"
}

command -v qemu-system-x86_64 >/dev/null || QEMU_MISSING=1
for k in $RTK_KERNELS; do
	echo "== kernel $k" >&2
	if [ "$k" = host ]; then
		s0=$(date +%s)
		RTK_HOST=1 RTK_SRC=$top_srcdir RTK_BUILD=$top_builddir RTK_TIMEOUT=$(check_timeout host) \
			bash "$K/guest-run.sh" >"$W/host.log" 2>&1
		collect "$W/host.log" "$(uname -r) (host)" "$(( $(date +%s) - s0 ))"
	elif [ -n "${QEMU_MISSING:-}" ]; then
		COLS+=("$k"); RES[$k,_note]="skipped: qemu-system-x86_64 is not installed"
	else
		run_guest "$k"
	fi
done

FAILED=0
echo
echo "rtmon check-kernels matrix ($(date -u +%F), wall $(( $(date +%s) - T0 ))s)"
for c in "${COLS[@]}"; do
	echo
	echo "kernel $c: ${RES[$c,_note]}"
	[ -n "${RES[$c,_caps]:-}" ] && echo "  lost capabilities: ${RES[$c,_caps]}"
	[ -n "${RES[$c,_hooks]:-}" ] && echo "  hooks: ${RES[$c,_hooks]}"
	for spec in ${RTK_MODES:-default}; do
		m=${spec%%:*}; tests=$RTK_TESTS
		[ "$spec" != "$m" ] && tests=${spec#*:} && tests=${tests//+/ }
		for t in $tests; do
			k=$t; [ "$m" = default ] || k="$t[$m]"
			v=${RES[$c,$k]:-not run}
			printf '  %-26s %s\n' "$k" "$v"
			case $v in FAIL*|"not run") FAILED=1 ;; esac
		done
	done
done
if [ -s "$W/bench" ]; then echo; echo "bench (ratios to no monitor; under TCG compare only within one guest):"; cat "$W/bench"; fi
if [ -s "$W/details" ]; then echo; echo "details:"; cat "$W/details"; fi
exit $FAILED
