#!/bin/bash
# simulate_suspicious_exec.sh: programs started the ways droppers start them: from world-writable
# temp dirs, through a symlink or a relative path into /tmp, from a file deleted before it ran, a
# renamed copy of a shell, and an orphaned non-root process. Safe: every payload is a copy of
# /bin/true (or a shell that runs `exit 0`); all copies live in directories this script creates and
# removes. Expected alerts are printed per variant.
#
# Usage: simulate_suspicious_exec.sh [--list] [VARIANT...]
# Env: RTMON_SIM_PIDS=FILE  append "RULE PID VARIANT" (and "SKIP - VARIANT why") lines
#
# Run it from a build (make check) through scripts/sim_detach.py: suspicious_exec excuses processes
# with a build tool among their ancestors, so under make nothing here would fire.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SIM_NAME=simulate_suspicious_exec
# shellcheck source=sim_lib.sh
. "$here/sim_lib.sh"

VARIANTS=(tmp_exec devshm_exec vartmp_exec symlink_exec relative_exec deleted_exec renamed_shell orphan_nonroot)
SIM_ONLY=()
while [ $# -gt 0 ]; do
	case $1 in
	--list) printf '%s\n' "${VARIANTS[@]}"; exit 0 ;;
	-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "$SIM_NAME: unknown option $1" >&2; exit 2 ;;
	*) SIM_ONLY+=("$1"); shift ;;
	esac
done
sim_check_names "${VARIANTS[@]}"
TRUE=$(command -v true 2> /dev/null || echo /bin/true)
[ -x "$TRUE" ] || TRUE=/bin/true
SH=$(command -v bash)

dirs=()
cleanup() { [ ${#dirs[@]} -eq 0 ] || rm -rf "${dirs[@]}"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
newdir() { # BASE: a fresh private dir under BASE, removed at exit
	local d
	d=$(mktemp -d "$1/rtmon-sim-exec.XXXXXX") || return 1
	dirs+=("$d")
	echo "$d"
}
# noexec DIR: true when DIR's file system is mounted noexec (run once, not probed: a probe run would
# raise the alert itself and the recorded run would be folded into it)
noexec() { findmnt -no OPTIONS -T "$1" 2> /dev/null | tr ',' '\n' | grep -qx noexec; }
# A directory outside the temp dirs, for the payloads that must not fire by their path alone.
safe_base() {
	local b
	for b in /run /var/lib "$HOME"; do
		[ -d "$b" ] && [ -w "$b" ] && { echo "$b"; return; }
	done
	echo "$PWD"
}

# run_payload VARIANT PATH [ARGS...]: runs PATH in the background, records its pid, waits.
run_payload() {
	local v=$1 rule=${RULE:-suspicious_exec}
	shift
	"$@" < /dev/null > /dev/null 2>&1 &
	local pid=$!
	sim_expect "$rule" "$pid" "$v"
	sim_wait_pid "$pid" 10 || true
}

in_tmpdir() { # VARIANT BASE
	local d
	[ -d "$2" ] || { sim_skip "$1" "$2 does not exist"; return; }
	d=$(newdir "$2") || { sim_skip "$1" "cannot create a directory in $2"; return; }
	noexec "$d" && { sim_skip "$1" "$2 is mounted noexec"; return; }
	cp "$TRUE" "$d/update-check"
	run_payload "$1" "$d/update-check"
}

v_tmp_exec() { in_tmpdir tmp_exec /tmp; }
v_devshm_exec() { in_tmpdir devshm_exec /dev/shm; }
v_vartmp_exec() { in_tmpdir vartmp_exec /var/tmp; }

# The command line names a harmless-looking path; the kernel resolves the symlink to /tmp.
v_symlink_exec() {
	local d s
	d=$(newdir /tmp) && s=$(newdir "$(safe_base)") || { sim_skip symlink_exec "cannot create dirs"; return; }
	cp "$TRUE" "$d/payload"
	ln -s "$d/payload" "$s/systemd-helper"
	run_payload symlink_exec "$s/systemd-helper"
}

# ./payload from a cwd in /tmp: filename is relative, exe is the resolved /tmp path.
v_relative_exec() {
	local d
	d=$(newdir /tmp) || { sim_skip relative_exec "cannot create a dir in /tmp"; return; }
	cp "$TRUE" "$d/payload"
	(cd "$d" && exec ./payload) < /dev/null > /dev/null 2>&1 &
	local pid=$!
	sim_expect suspicious_exec "$pid" relative_exec
	sim_wait_pid "$pid" 10 || true
}

# A payload outside the temp dirs, opened, deleted, then executed through /proc/self/fd: the
# process runs a file with no links left (how droppers hide what they ran).
v_deleted_exec() {
	local d
	d=$(newdir "$(safe_base)") || { sim_skip deleted_exec "cannot create a dir"; return; }
	cp "$TRUE" "$d/payload"
	(exec 3< "$d/payload" && rm -f "$d/payload" && exec /proc/self/fd/3) < /dev/null > /dev/null 2>&1 &
	local pid=$!
	sim_expect suspicious_exec "$pid" deleted_exec
	sim_wait_pid "$pid" 10 || true
}

# A copy of bash renamed to look like a kernel thread, run from /dev/shm: the shell lists do not
# know the name, the temp-dir path gives it away.
v_renamed_shell() {
	local d
	[ -n "$SH" ] || { sim_skip renamed_shell "bash is not installed"; return; }
	d=$(newdir /dev/shm) || { sim_skip renamed_shell "cannot create a dir in /dev/shm"; return; }
	noexec "$d" && { sim_skip renamed_shell "/dev/shm is mounted noexec"; return; }
	cp "$SH" "$d/kworker"
	run_payload renamed_shell "$d/kworker" -c 'exit 0'
}

# A non-root process whose parent died (reparented to init) starts a program outside any service:
# the shape of a payload that detached itself from the exploited process.
v_orphan_nonroot() {
	local d
	[ "$(id -u)" = 0 ] || { sim_skip orphan_nonroot "needs root to switch to the nobody user"; return; }
	grep -Eq '^0::.*(\.service|/init\.scope)(/|$)' /proc/self/cgroup &&
		{ sim_skip orphan_nonroot "this shell runs inside a systemd service cgroup (excused by the rule)"; return; }
	d=$(newdir /tmp) || { sim_skip orphan_nonroot "cannot create a dir"; return; }
	chmod 0755 "$d"
	"$(sim_python)" - "$d/pid" "$TRUE" << 'EOF'
import os, sys, time
pidfile, prog = sys.argv[1], sys.argv[2]
r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    if os.fork() != 0:
        os._exit(0)
    parent = os.getppid()
    deadline = time.monotonic() + 5
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.005)
    ok = os.getppid() == 1
    os.write(w, b"%d %d\n" % (os.getpid(), 1 if ok else 0))
    os.close(w)
    if not ok:
        os._exit(0)
    time.sleep(0.05)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    os.execv(prog, [prog])
os.close(w)
os.wait()
pid, ok = os.read(r, 64).split()
with open(pidfile, "w") as f:
    f.write(pid.decode() if ok == b"1" else "subreaper")
EOF
	local got
	got=$(cat "$d/pid" 2> /dev/null)
	case $got in
	'' ) sim_skip orphan_nonroot "the orphan did not start" ;;
	subreaper) sim_skip orphan_nonroot "a child subreaper adopted the orphan (its parent is not pid 1)" ;;
	*) sim_expect suspicious_exec "$got" orphan_nonroot; sleep 0.1 ;;
	esac
}

for v in "${VARIANTS[@]}"; do
	sim_selected "$v" || continue
	"v_$v"
done
echo "$SIM_NAME: done"
