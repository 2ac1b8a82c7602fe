#!/bin/bash
# log_priority.sh (issue 21): rtmon's own messages reach journald with priorities an operator can filter on
# (`journalctl -p err`): rtmon's stderr is the journal stream (JOURNAL_STREAM, as under systemd), a private
# journald (RECIPES.md section 1) stores them, journalctl -o json reads PRIORITY back.
#  - no /etc/rtmon/rtmon.conf: warning (4) naming the outputs that are off (no SIEM forwarding); as non-root the
#    next line is crit (2) and names the missing capability; exit 2
#  - a config error at start: err (3) with FILE:LINE; exit 1
#  - a rejected reload: err (3); the start and an accepted reload: info (6)
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${RTMON:=$top_builddir/src/rtmon}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (BPF, mount namespace)"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: systemd-journald not installed"; exit 77; }
[ -x "$RTMON" ] || { echo "FAIL: $RTMON not built"; exit 1; }
command -v setpriv > /dev/null || { echo "SKIP: setpriv missing"; exit 77; }

T=$(mktemp -d /tmp/rtmon-logprio.XXXXXX)
chmod 755 "$T"
export RTMON_LOCK_FILE=$T/rtmon.lock
JPID= RPID=
cleanup() {
	[ -n "$RPID" ] && { kill -TERM "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; }
	[ -n "$JPID" ] && { kill -TERM "$JPID" 2> /dev/null || true; wait "$JPID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$top_srcdir/tests/integration/journald_private.sh"
journald_start "$T"
IN="nsenter --mount=/proc/$JPID/ns/mnt --"
# entries: "PRIORITY<TAB>MESSAGE" of every rtmon entry so far (only this test's processes can reach this
# journald: its socket exists only in its mount namespace); since N: the ones after the first N
entries() {
	journald_sync
	journalctl -D "$T/runlog" --all -o json SYSLOG_IDENTIFIER=rtmon 2> /dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    print("%s\t%s" % (e["PRIORITY"], e["MESSAGE"]))'
}
since() { entries | tail -n +$(($1 + 1)); }
# run_journal OUT ARGS...: ARGS with stderr as the journal stream (as systemd sets it); sets RUN_RC
run_journal() {
	local out=$1; shift
	: > "$out"
	RUN_RC=0
	# shellcheck disable=SC2016
	$IN sh -c 'export JOURNAL_STREAM=$(stat -c %d:%i "$0"); exec "$@" 2>> "$0"' "$out" "$@" \
		> /dev/null < /dev/null || RUN_RC=$?
}

# ---- 1. no default config, non-root: warning naming the outputs off, then crit naming the capability ----
HIDE=()
[ -d /etc/rtmon ] && HIDE=(unshare --mount --propagation private sh -c 'mount -t tmpfs tmpfs /etc/rtmon && exec "$0" "$@"')
run_journal "$T/e1" "${HIDE[@]}" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	--bounding-set=-all "$RTMON"
[ "$RUN_RC" = 2 ] || { cat "$T/e1"; fail "non-root without a config exited $RUN_RC, want 2"; }
entries > "$T/j1"
N=$(wc -l < "$T/j1")
python3 - "$T/j1" <<'PY' || { cat "$T/j1"; fail "priorities without a config, as non-root"; }
import sys
e = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1])]
assert len(e) == 2, e
assert e[0][0] == "4" and "not found, running the built-in default configuration" in e[0][1] \
    and "syslog (no SIEM forwarding)" in e[0][1], e[0]
assert e[1][0] == "2" and "missing capability CAP_BPF and CAP_PERFMON" in e[1][1], e[1]
print("ok: missing config at warning (4) naming the outputs off; then the missing capability at crit (2)")
PY

# ---- 2. a config error at start: err ----
printf 'outputs = {\n  journal = false;\n  sse = { listen = "localhost8090"; };\n};\n' > "$T/bad.conf"
run_journal "$T/e2" "$RTMON" -c "$T/bad.conf"
[ "$RUN_RC" = 1 ] || fail "a bad config exited $RUN_RC, want 1"
since "$N" > "$T/j2"
N=$((N + $(wc -l < "$T/j2")))
grep -qP "^3\t$T/bad.conf:3: outputs.sse.listen: 'localhost8090'" "$T/j2" || { cat "$T/j2"; fail "the config error is not at err (3)"; }
echo "ok: config error at err (3): $(head -1 "$T/j2" | cut -c1-120)"

# ---- 3. a running daemon: start and accepted reload at info, a rejected reload at err ----
printf 'outputs = {\n  journal = false;\n};\n' > "$T/good.conf"
: > "$T/e3"
$IN sh -c 'export JOURNAL_STREAM=$(stat -c %d:%i "$0"); exec "$@" 2>> "$0"' "$T/e3" "$RTMON" -c "$T/good.conf" \
	> /dev/null < /dev/null &
RPID=$!
for _ in $(seq 200); do
	since "$N" | grep -q "monitoring:" && break
	kill -0 "$RPID" 2> /dev/null || fail "rtmon exited at start"
	sleep 0.1
done
printf 'outputs = {\n  journal = false;\n  sse = { listen = "127.0.0.1:notaport"; };\n};\n' > "$T/good.conf.new"
cp "$T/good.conf" "$T/good.conf.keep"; mv "$T/good.conf.new" "$T/good.conf"
kill -HUP "$RPID"
for _ in $(seq 50); do since "$N" | grep -q "rejected" && break; sleep 0.1; done
cp "$T/good.conf.keep" "$T/good.conf"
kill -HUP "$RPID"
for _ in $(seq 50); do since "$N" | grep -q "configuration reloaded" && break; sleep 0.1; done
kill -TERM "$RPID"; wait "$RPID" || fail "rtmon did not stop cleanly"
since "$N" > "$T/j3"
RPID=
python3 - "$T/j3" <<'PY' || { cat "$T/j3"; fail "priorities of a running daemon"; }
import sys
e = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1])]
def prio(sub):
    m = [p for p, t in e if sub in t]
    assert m, "no entry with %r" % sub
    return m[0]
assert prio("monitoring:") == "6", prio("monitoring:")
assert prio("outputs.sse.listen: '127.0.0.1:notaport'") == "3"
assert prio("rejected") == "3", prio("rejected")
assert prio("configuration reloaded") == "6"
# nothing else at warning or worse in a clean run
bad = [(p, t) for p, t in e if int(p) <= 4 and "notaport" not in t and "rejected" not in t]
assert not bad, bad
print("ok: start and accepted reload at info (6); the rejected reload at err (3); nothing else <= warning")
PY
echo PASS
