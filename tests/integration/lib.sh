# lib.sh: helpers for rtmon's integration tests (sourced). Each test runs the real daemon with real BPF as
# root; without root it exits 77 (SKIP) with the reason. Needs: RTMON (the built binary).
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RTMON:=${top_builddir:-$top_srcdir}/src/rtmond}"
T=$(mktemp -d /tmp/rtmon-it.XXXXXX)
# every daemon this test starts takes its own instance lock, never the host's /run/rtmon/rtmon.lock
# (a test that checks the lock itself sets RTMON_LOCK_FILE per command)
export RTMON_LOCK_FILE=$T/rtmon.lock
RPID=
skip() { echo "SKIP: $*"; exit 77; }
fail() {
	echo "FAIL: $*"
	[ -f "$T/err" ] && { echo "--- rtmon stderr (tail)"; tail -20 "$T/err"; }
	exit 1
}
cleanup_default() {
	if [ -n "$RPID" ]; then kill "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; fi
	rm -rf "$T"
}
trap cleanup_default EXIT
require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root to load BPF programs"
	[ -x "$RTMON" ] || fail "rtmon is not built: $RTMON"
	command -v python3 > /dev/null || skip "needs python3"
}
# rtmon_start ARGS...: rtmon in the background, stdout to $T/out, stderr to $T/err; returns once it is attached
# (its "monitoring:" line), so every action after this is seen.
# RTMON_TEST_ARGS: extra daemon arguments for every start (check-kernels: -o bpf.hooks=MODE);
# RTMON_START_WAIT: seconds to wait for "monitoring:" (10; emulated guests take longer).
rtmon_start() {
	# shellcheck disable=SC2086 # RTMON_TEST_ARGS is a list of words
	"$RTMON" -o outputs.journal=false ${RTMON_TEST_ARGS:-} "$@" > "$T/out" 2> "$T/err" < /dev/null &
	RPID=$!
	for _ in $(seq $(( ${RTMON_START_WAIT:-10} * 20 ))); do
		kill -0 "$RPID" 2> /dev/null || fail "rtmon exited at start"
		grep -q "monitoring:" "$T/err" 2> /dev/null && return 0
		sleep 0.05
	done
	fail "rtmon did not attach in ${RTMON_START_WAIT:-10} s"
}
# rtmon_actions WHAT ACTIONS.py [ARGS...]: runs the actions script (its last argument is where it writes what it
# did), stops rtmon and checks its output against what was done (tests/integration/actions_check.py).
rtmon_actions() {
	local what=$1
	shift
	python3 "$@" "$T/did.json" || fail "the actions failed"
	sleep 1
	rtmon_stop
	python3 "$top_srcdir/tests/integration/actions_check.py" "$T/out" "$T/did.json" || fail "$what checks (above)"
}
# rtmon_stop: SIGTERM and wait; the exit code must be 0.
rtmon_stop() {
	local rc=0
	[ -n "$RPID" ] || return 0
	sleep "${RTMON_SETTLE:-0.3}"   # let the last records drain (the ring is drained every 10 ms)
	kill -TERM "$RPID"
	wait "$RPID" || rc=$?
	RPID=
	[ "$rc" = 0 ] || fail "rtmon exited with $rc"
}
