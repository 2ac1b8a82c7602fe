#!/bin/bash
# reload.sh: SIGHUP reloads atomically. A broken file is reported with FILE:LINE and the old rules stay in
# force (proved by an alert after the failed reload); a deleted file likewise; a valid new file takes effect
# (a rule switched off stops alerting, and --check-config agrees with the daemon at every step).
. "$(dirname "$0")/lib.sh"
require_root
CONF=$T/rtmon.conf
cp "$top_srcdir/etc/rtmon/rtmon.conf" "$CONF"
rtmon_start -c "$CONF" --stdout -o alerting.fold_window_s=0 -o alerting.rate_limit=0
memfd() { python3 -c 'import os; os.close(os.memfd_create("reload-'"$1"'", 1)); print(os.getpid())'; }
wait_line() { # wait_line FILE PATTERN
	for _ in $(seq 100); do grep -q "$2" "$1" 2> /dev/null && return 0; sleep 0.1; done
	return 1
}
P1=$(memfd one)
# 1. a syntax error: reported with file and line, the old rules stay
printf 'rules = ( { id = "x"; \n' >> "$CONF"
"$RTMON" --check-config -c "$CONF" > "$T/check.out" 2>&1 && fail "--check-config accepted a broken file"
kill -HUP "$RPID"
wait_line "$T/err" "keeping the previous configuration" || fail "no 'keeping the previous configuration' after a broken reload"
grep -q "$CONF:[0-9]*: " "$T/err" || fail "the reload error does not name FILE:LINE"
P2=$(memfd two)
# 2. the file deleted: the same
rm -f "$CONF"
kill -HUP "$RPID"
for _ in $(seq 50); do [ "$(grep -c 'keeping the previous configuration' "$T/err")" -ge 2 ] && break; sleep 0.1; done
[ "$(grep -c 'keeping the previous configuration' "$T/err")" -ge 2 ] || fail "a deleted config did not keep the old one"
P3=$(memfd three)
# 3. a valid file that switches injection_attempt off: no alert afterwards
cat > "$CONF" <<'CFG'
outputs = { journal = false; };
exceptions = { injection_attempt = ( "memfd_name glob 'reload-*'" ); };
CFG
"$RTMON" --check-config -c "$CONF" > "$T/check2.out" 2>&1 || { cat "$T/check2.out"; fail "--check-config rejected a valid file"; }
kill -HUP "$RPID"
wait_line "$T/err" "configuration reloaded from $CONF" || fail "valid reload not reported"
P4=$(memfd four)
rtmon_stop
python3 - "$T/out" "$P1" "$P2" "$P3" "$P4" <<'PY' || fail "alerts across reloads"
import json, sys
al = [a for a in map(json.loads, (l for l in open(sys.argv[1]) if l.startswith("{")))
      if a.get("kind") == "alert" and a["rule_id"] == "injection_attempt" and "event" in a]
pids = {a["event"]["pid"] for a in al}
p1, p2, p3, p4 = map(int, sys.argv[2:])
for p, n in ((p1, "before"), (p2, "after the broken reload"), (p3, "after the deleted file")):
    assert p in pids, "no injection_attempt alert %s (pid %d); alerts for %r" % (n, p, sorted(pids))
assert p4 not in pids, "the new exception did not take effect: pid %d still alerted" % p4
print("ok: old rules kept through a broken and a deleted file; the valid reload took effect")
PY
echo PASS
