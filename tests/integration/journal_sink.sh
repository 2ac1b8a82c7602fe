#!/bin/bash
# Proves the journald sink (src/out_journal.c) against a real private journald (RECIPES.md 1):
# entries arrive with the exact fields; emit never blocks when journald is stopped (SIGSTOP) and
# every alert is either delivered or counted as dropped; when journald is killed and started again,
# queued and later alerts arrive by themselves; the fault is reported once per outage.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
DRIVE=$top_builddir/tests/integration/journal_sink_drive
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (mount namespace for a private journald)"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: /lib/systemd/systemd-journald not installed"; exit 77; }
[ -x "$DRIVE" ] || { echo "FAIL: $DRIVE not built (make check builds it)"; exit 1; }

T=$(mktemp -d /tmp/rtmon-jsink.XXXXXX)
JPID= DPID=
cleanup() {
	[ -n "$JPID" ] && { kill -CONT "$JPID" 2> /dev/null || true; kill -TERM "$JPID" 2> /dev/null || true; wait "$JPID" 2> /dev/null || true; }
	[ -n "$DPID" ] && { kill -TERM "$DPID" 2> /dev/null || true; wait "$DPID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT
. "$top_srcdir/tests/integration/journald_private.sh"
journald_start "$T"

mkfifo "$T/in" "$T/out"
nsenter --mount=/proc/$JPID/ns/mnt -- "$DRIVE" < "$T/in" > "$T/out" 2> "$T/drive.err" &
DPID=$!
exec 3> "$T/in" 4< "$T/out"
# cmd LINE: sends one command, prints its output lines; the last is "done LINE MS"
cmd() {
	local l
	echo "$1" >&3
	while IFS= read -r -t 60 l <&4; do
		echo "$l"
		case $l in "done "*) return 0 ;; esac
	done
	echo "FAIL: no answer to '$1'"; cat "$T/drive.err"; exit 1
}
metric() { cmd metrics | awk -v m="$1" '$1 ~ "^"m"\\{" {print $2}'; }
entries() { journalctl -D "$T/runlog" --all -o json --no-pager RTMON_RULE_ID=drive_rule > "$T/j.json"; wc -l < "$T/j.json"; }

# 1. one alert, exact fields
cmd "emit drive_rule 1 1" > /dev/null
journald_sync
[ "$(entries)" = 1 ] || { echo "FAIL: expected 1 entry"; cat "$T/j.json"; exit 1; }
python3 - "$T/j.json" <<'PY'
import json, sys
e = json.loads(open(sys.argv[1]).readline())
def s(k):
    v = e[k]
    return bytes(v).decode() if isinstance(v, list) else v
want = {"MESSAGE": "rtmon: drive_rule (medium): drive alert 1\\nsecond line", "PRIORITY": "4",
        "SYSLOG_IDENTIFIER": "rtmon", "MESSAGE_ID": "6a70b9ad31bc4f2cb5cd6f96b77c84f1",
        "RTMON_RULE_ID": "drive_rule", "RTMON_REASON": "drive alert 1\nsecond line", "RTMON_SEVERITY": "medium",
        "RTMON_RISK_SCORE": "50", "RTMON_EVENT_PID": "1", "RTMON_EVENT_COMM": "drive", "RTMON_HOST": "drivehost",
        "RTMON_TIMESTAMP": "2025-11-29T14:36:40.000000Z", "RTMON_ID": "1-1", "RTMON_EVENT_TYPE": "exec"}
for k, v in want.items():
    assert s(k) == v, (k, s(k), v)
assert json.loads(s("RTMON_JSON")) == {"kind": "alert", "id": "1-1", "rule_id": "drive_rule"}
print("ok: entry fields exact (binary-safe RTMON_REASON with a newline, escaped MESSAGE)")
PY

# 2. journald frozen: 3000 alerts must not block; every one is delivered or counted as dropped
kill -STOP "$JPID"
out=$(cmd "emit drive_rule 3000 1000")
ms=${out##* }
echo "emit of 3000 alerts with journald stopped took ${ms} ms"
[ "$ms" -lt 3000 ] || { echo "FAIL: emit blocked (${ms} ms)"; exit 1; }
q=$(metric rtmon_output_queue_length); d=$(metric rtmon_output_dropped_total); e=$(metric rtmon_output_errors_total)
echo "queue=$q dropped=$d errors=$e"
[ "$q" = 1024 ] && [ "$d" -gt 0 ] && [ "$e" -gt 0 ] || { echo "FAIL: queue/drop accounting"; exit 1; }
kill -CONT "$JPID"
cmd "flush 5000" > /dev/null
journald_sync
sent=$(metric rtmon_output_sent_total); d=$(metric rtmon_output_dropped_total); q=$(metric rtmon_output_queue_length)
n=$(entries)
echo "after SIGCONT: sent=$sent dropped=$d queue=$q journal entries=$n"
[ "$q" = 0 ] && [ "$n" = "$sent" ] && [ $((sent + d)) = 3001 ] || { echo "FAIL: sent+dropped != emitted or journal != sent"; exit 1; }

# 3. journald killed: alerts queue; journald restarted in the same namespace: they arrive by themselves
kill -TERM "$JPID"; wait "$JPID" || true; JPID=
cmd "emit drive_rule 5 5001" > /dev/null
[ "$(metric rtmon_output_queue_length)" = 5 ] || { echo "FAIL: alerts not queued while journald is down"; exit 1; }
journald_restart_in "$DPID"
cmd tick > /dev/null
cmd "emit drive_rule 1 6001" > /dev/null
journald_sync
[ "$(metric rtmon_output_queue_length)" = 0 ] || { echo "FAIL: queue not drained after restart"; exit 1; }
journalctl -D "$T/runlog" --all -o json --no-pager RTMON_RULE_ID=drive_rule | python3 -c '
import json, sys
pids = sorted(int(json.loads(l)["RTMON_EVENT_PID"]) for l in sys.stdin if int(json.loads(l)["RTMON_EVENT_PID"]) > 5000)
assert pids == [5001, 5002, 5003, 5004, 5005, 6001], pids
print("ok: alerts queued during the outage and after the restart arrived:", pids)'
cat "$T/drive.err"
w=$(grep -cE 'journal: (cannot write to /run/systemd/journal/socket|journald is not keeping up)' "$T/drive.err" || true)
r=$(grep -c 'journal: writing to journald again' "$T/drive.err" || true)
[ "$w" = 2 ] && [ "$r" = 2 ] || { echo "FAIL: expected the fault reported once per outage (2 outages): warn=$w recovered=$r"; exit 1; }

# 4. an entry larger than a datagram (700 kB RTMON_JSON) goes through a sealed memfd, byte-exact
cmd "emitbig drive_rule 1 7001 700000" > /dev/null
journald_sync
journalctl -D "$T/runlog" --all -o json --no-pager RTMON_RULE_ID=drive_rule RTMON_EVENT_PID=7001 | python3 -c '
import json, sys
lines = sys.stdin.readlines()
assert len(lines) == 1, len(lines)
v = json.loads(lines[0])["RTMON_JSON"]
v = bytes(v).decode() if isinstance(v, list) else v
assert len(v) == 700000 and json.loads(v)["pad"] == "x" * (700000 - 25), len(v)
print("ok: 700000-byte RTMON_JSON arrived whole")'
[ "$(metric rtmon_output_queue_length)" = 0 ] || { echo "FAIL: big entry stuck in the queue"; exit 1; }
echo quit >&3; rc=0; wait "$DPID" || rc=$?; DPID=
[ "$rc" = 0 ] || { echo "FAIL: the driver exited with $rc"; cat "$T/drive.err"; exit 1; }
echo PASS
