#!/bin/bash
# Proves rtmon's journald output end to end: the real daemon with journal = true in the mount
# namespace of a private journald; a real reverse shell (non-root sh with stdin on a loopback TCP
# socket) and a real memfd_create raise alerts, read back with journalctl -o json: PRIORITY,
# MESSAGE_ID, SYSLOG_IDENTIFIER, RTMON_RULE_ID, RTMON_EVENT_PID == the triggering pid, RTMON_JSON
# == the alert on --stdout. Then journald is killed and started again while rtmon runs: an alert
# raised during the outage and one after it both arrive, and rtmon keeps running.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${RTMON:=$top_builddir/src/rtmon}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (BPF, mount namespace)"; exit 77; }
[ -x /lib/systemd/systemd-journald ] || { echo "SKIP: systemd-journald not installed"; exit 77; }
[ -x "$RTMON" ] || { echo "FAIL: $RTMON not built"; exit 1; }

T=$(mktemp -d /tmp/rtmon-journal.XXXXXX)
chmod 755 "$T"
JPID= RPID= LPID=
cleanup() {
	[ -n "$RPID" ] && { kill -TERM "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; }
	[ -n "$LPID" ] && { kill "$LPID" 2> /dev/null || true; wait "$LPID" 2> /dev/null || true; }
	[ -n "$JPID" ] && { kill -TERM "$JPID" 2> /dev/null || true; wait "$JPID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT
. "$top_srcdir/tests/integration/journald_private.sh"
journald_start "$T"
IN="nsenter --mount=/proc/$JPID/ns/mnt --"

# a file with only outputs: the default rules stay in force (SPEC "Configuration")
cat > "$T/rtmon.conf" <<'CONF'
outputs = {
  stdout  = true;
  journal = true;
  syslog  = ( );
  sse     = { enabled = false; };
};
CONF
$IN "$RTMON" -c "$T/rtmon.conf" > "$T/alerts.jsonl" 2> "$T/rtmon.err" &
RPID=$!
for i in $(seq 100); do
	grep -q 'monitoring:' "$T/rtmon.err" && break
	kill -0 "$RPID" 2> /dev/null || { echo "FAIL: rtmon exited"; cat "$T/rtmon.err"; RPID=; exit 1; }
	sleep 0.1
done
grep -q 'monitoring:' "$T/rtmon.err" || { echo "FAIL: rtmon not monitoring after 10 s"; cat "$T/rtmon.err"; exit 1; }

# wait_alert RULE PID: waits for that alert on rtmon's stdout, prints it
wait_alert() {
	local i
	for i in $(seq 100); do
		python3 - "$T/alerts.jsonl" "$1" "$2" <<'PY' && return 0
import json, sys
for l in open(sys.argv[1]):
    try:
        a = json.loads(l)
    except ValueError:
        continue
    if a.get("kind") == "alert" and a.get("rule_id") == sys.argv[2] and str(a.get("event", {}).get("pid")) == sys.argv[3]:
        print(l.strip()); sys.exit(0)
sys.exit(1)
PY
		sleep 0.1
	done
	echo "FAIL: no $1 alert for pid $2 on stdout"; tail -5 "$T/alerts.jsonl"; cat "$T/rtmon.err"; return 1
}

# check_entry ALERT_JSON_LINE: the journal entry of that alert has the exact fields
check_entry() {
	journald_sync
	journalctl -D "$T/runlog" --all -o json --no-pager SYSLOG_IDENTIFIER=rtmon > "$T/j.json"
	python3 - "$T/j.json" "$1" <<'PY'
import json, sys
alert = json.loads(sys.argv[2])
ids = {"reverse_shell": "a3b90cea1ff84171a4ba7a045377f637", "injection_attempt": "cbcc861e00b74b44a72294b3958f495e",
       "suspicious_exec": "0d41b85229ec413b95cc0c24da13348a"}
prio = {"critical": "2", "high": "3", "medium": "4", "low": "5", "info": "6"}
def s(e, k):
    v = e.get(k)
    return bytes(v).decode() if isinstance(v, list) else v
found = [e for e in map(json.loads, open(sys.argv[1])) if s(e, "RTMON_ID") == alert["id"]]
assert len(found) == 1, ("entries with RTMON_ID", alert["id"], len(found))
e = found[0]
want = {"PRIORITY": prio[alert["severity"]], "MESSAGE_ID": ids[alert["rule_id"]], "SYSLOG_IDENTIFIER": "rtmon",
        "RTMON_RULE_ID": alert["rule_id"], "RTMON_SEVERITY": alert["severity"],
        "RTMON_RISK_SCORE": str(alert["risk_score"]), "RTMON_EVENT_PID": str(alert["event"]["pid"]),
        "RTMON_EVENT_TYPE": alert["event"]["type"], "RTMON_TIMESTAMP": alert["timestamp"],
        "RTMON_REASON": alert["reason"]}
for k, v in want.items():
    assert s(e, k) == v, (k, s(e, k), v)
assert s(e, "MESSAGE").startswith("rtmon: %s (%s): " % (alert["rule_id"], alert["severity"])), s(e, "MESSAGE")
assert json.loads(s(e, "RTMON_JSON")) == alert, "RTMON_JSON differs from the --stdout alert"
if "uid" in alert["event"]:
    assert s(e, "RTMON_EVENT_UID") == str(alert["event"]["uid"])
if alert.get("lineage"):
    assert s(e, "RTMON_LINEAGE").split(" ")[0].split(":")[0] == str(alert["lineage"][0]["pid"])
print("ok: %s pid %s: PRIORITY=%s MESSAGE_ID=%s %s" % (alert["rule_id"], s(e, "RTMON_EVENT_PID"), s(e, "PRIORITY"),
      s(e, "MESSAGE_ID"), s(e, "MESSAGE")))
PY
}

# memfd_create by python3 (injection_attempt); prints the pid. Repeats of a rule by the same exe
# are folded into one summary (alerter.h), so each trigger runs under its own copy of python3.
PY3=$(readlink -f /usr/bin/python3)
memfd_trigger() {
	local exe=$PY3
	if [ -n "${1:-}" ]; then exe=$T/$1; cp "$PY3" "$exe"; fi
	"$exe" -c 'import os; os.memfd_create("rtmon-journal-test"); print(os.getpid())'
}

# 1. a reverse shell: sh as nobody, stdin on a loopback TCP socket
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); time.sleep(1); c.close()' > "$T/port" &
LPID=$!
for i in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
PORT=$(cat "$T/port")
setpriv --reuid=65534 --regid=65534 --clear-groups bash -c "exec sh -c 'sleep 0.3' < /dev/tcp/127.0.0.1/$PORT" &
SHPID=$!
wait "$SHPID"
A=$(wait_alert reverse_shell "$SHPID")
check_entry "$A"
# ... it opened an incident: its final update (the shell ran sleep, then exited) carries the same
# RTMON_INCIDENT_ID, so journalctl RTMON_INCIDENT_ID=... gives the alert and the update
INC=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["incident_id"])' "$A")
for i in $(seq 100); do
	grep -q "\"kind\":\"incident\",.*\"incident_id\":\"$INC\".*\"state\":\"closed\"" "$T/alerts.jsonl" && break
	sleep 0.1
done
journald_sync
journalctl -D "$T/runlog" --all -o json --no-pager "RTMON_INCIDENT_ID=$INC" > "$T/inc.json"
python3 - "$T/inc.json" "$A" << 'PY' || { echo "FAIL: journalctl RTMON_INCIDENT_ID does not give the incident"; exit 1; }
import json, sys
alert = json.loads(sys.argv[2])
def s(e, k):
    v = e.get(k)
    return bytes(v).decode() if isinstance(v, list) else v
es = [json.loads(l) for l in open(sys.argv[1])]
assert [s(e, "RTMON_ID") for e in es][0] == alert["id"], [s(e, "RTMON_ID") for e in es]
upd = [e for e in es if s(e, "RTMON_KIND") == "incident"]
assert len(es) == 2 and len(upd) == 1, (len(es), len(upd))
u = upd[0]
assert s(u, "RTMON_INCIDENT_STATE") == "closed", s(u, "RTMON_INCIDENT_STATE")
assert s(u, "RTMON_INCIDENT_ROOT_PID") == str(alert["event"]["pid"])
assert "/usr/bin/sleep sleep 0.3" in s(u, "RTMON_INCIDENT_COMMANDS"), s(u, "RTMON_INCIDENT_COMMANDS")
j = json.loads(s(u, "RTMON_JSON"))
assert j["kind"] == "incident" and j["incident_id"] == alert["id"]
print("ok: journalctl RTMON_INCIDENT_ID=%s: the alert and its closed incident (%s)"
      % (alert["id"], s(u, "RTMON_INCIDENT_COMMANDS").splitlines()[-1]))
PY

# 2. memfd_create (injection_attempt)
MPID=$(memfd_trigger)
A=$(wait_alert injection_attempt "$MPID")
check_entry "$A"

# 3. journald killed while rtmon runs: an alert during the outage and one after both arrive
kill -TERM "$JPID"; wait "$JPID" || true; JPID=
MPID1=$(memfd_trigger pymemfd-outage)
A1=$(wait_alert injection_attempt "$MPID1")
journald_restart_in "$RPID"
MPID2=$(memfd_trigger pymemfd-after)
A2=$(wait_alert injection_attempt "$MPID2")
sleep 0.5     # the queued one goes out on rtmon's next tick (100 ms)
check_entry "$A1"
check_entry "$A2"
kill -0 "$RPID" || { echo "FAIL: rtmon died while journald was away"; exit 1; }
grep 'journal:' "$T/rtmon.err" || true

kill -TERM "$RPID"; rc=0; wait "$RPID" || rc=$?; RPID=
[ "$rc" = 0 ] || { echo "FAIL: rtmon exit status $rc"; cat "$T/rtmon.err"; exit 1; }
echo PASS
