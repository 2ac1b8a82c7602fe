#!/bin/bash
# file_access.sh: the kernel's file events with the shipped default rules: credentials read with python
# open() (sensitive_file_read), a cron.d file, a sudoers drop-in, a systemd unit, /etc/ld.so.preload,
# root's authorized_keys written and a file renamed into /etc/cron.d (persistence_write), another
# process's /proc/PID/mem opened for write (injection_attempt), a /var/log file truncated by open and by
# ftruncate and deleted (log_tampering): each its own alert with the exact pid and path. Near misses
# (appending to a log, reading /etc/passwd, writing /tmp, a process's own /proc/self/mem, reading a cron
# file) raise nothing.
. "$(dirname "$0")/lib.sh"
require_root
# the directories the rules watch for new files must exist when rtmon starts (sudo may not be installed)
MADE=
for d in /root/.ssh /etc/sudoers.d; do
	[ -d "$d" ] || { mkdir -m 750 "$d" && MADE="$MADE $d"; }
done
trap 'for d in $MADE; do rm -rf "$d"; done; cleanup_default' EXIT
rtmon_start --stdout -c "$top_srcdir/etc/rtmon/rtmon.conf"
grep -q "file watch: [1-9][0-9]* inodes" "$T/err" || fail "no file watch was set up"
python3 "$top_srcdir/tests/integration/file_access_actions.py" "$T/did.json" || fail "the actions failed"
sleep 1
rtmon_stop
python3 - "$T/out" "$T/did.json" <<'PY' || fail "file access checks (above)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
alerts = [a for a in lines if a.get("kind") == "alert" and "event" in a]
did = json.load(open(sys.argv[2]))
bad = 0
for d in did:
    mine = [a for a in alerts if a["event"]["pid"] == d["pid"]]
    if d["want"]:
        ok = [a for a in mine if a["rule_id"] == d["want"] and a["event"].get("path") == d["path"]]
        if ok:
            print("ok   %-20s pid %-7d %s: %s" % (d["want"], d["pid"], d["what"], ok[0]["reason"][:90]))
        else:
            bad += 1
            print("FAIL %-20s pid %-7d %s: alerts for it %r" % (d["want"], d["pid"], d["what"],
                  [(a["rule_id"], a["event"].get("path")) for a in mine]))
    elif mine:
        bad += 1
        print("FAIL near miss pid %d (%s) alerted: %r" % (d["pid"], d["what"], [a["reason"] for a in mine]))
    else:
        print("ok   quiet                pid %-7d %s" % (d["pid"], d["what"]))
sys.exit(1 if bad else 0)
PY
echo PASS
