# Shared helpers of the container integration tests (sourced, not run).
# Needs: T (a mktemp -d dir), RTMON.

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; [ -f "$T/err" ] && { echo "--- rtmon stderr"; tail -20 "$T/err"; }; exit 1; }

container_require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root (BPF and cgroup creation)"
	[ -n "${RTMON:-}" ] && [ -x "$RTMON" ] || skip "RTMON is not set to a built rtmon binary"
	command -v python3 > /dev/null || skip "needs python3 to read the JSON output"
}

# The cgroup2 mount point: /sys/fs/cgroup (pure v2) or /sys/fs/cgroup/unified (hybrid).
cg2_mount() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") { print $5; exit } break } }' \
		/proc/self/mountinfo
}

# Moves every process of the cgroup tree under $1 back to the root and removes it, depth first.
cg_remove_tree() {
	local dir=$1 root=$2 p
	[ -d "$dir" ] || return 0
	find "$dir" -depth -type d | while read -r d; do
		while read -r p; do echo "$p" > "$root/cgroup.procs" 2> /dev/null || true; done < "$d/cgroup.procs" 2> /dev/null
		rmdir "$d" 2> /dev/null || true
	done
}

# Starts rtmon (alerts and events as JSON lines in $T/out) and waits until it reports events.
RPID=
start_rtmon() {
	"$RTMON" --stdout --trace -o outputs.journal=false "$@" > "$T/out" 2> "$T/err" < /dev/null &
	RPID=$!
	for _ in $(seq 150); do
		kill -0 "$RPID" 2> /dev/null || fail "rtmon exited at start"
		/bin/true
		grep -q '"kind": *"event"' "$T/out" 2> /dev/null && return 0
		sleep 0.1
	done
	fail "rtmon reported no event in 15 s"
}

stop_rtmon() {
	[ -n "$RPID" ] || return 0
	kill "$RPID" 2> /dev/null || true
	wait "$RPID" 2> /dev/null || true
	RPID=
}

# Waits (10 s) until the python predicate file $1, given $T/out and the remaining args, exits 0.
wait_json() {
	local check=$1; shift
	for _ in $(seq 100); do
		python3 "$check" "$T/out" "$@" > "$T/check.out" 2>&1 && { cat "$T/check.out"; return 0; }
		sleep 0.1
	done
	cat "$T/check.out"
	return 1
}
