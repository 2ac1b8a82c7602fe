#!/bin/bash
# privilege_gain.sh: the credentials in every event (euid, fsuid, cap_eff; exe_setuid at exec) and the
# rule privilege_gain with the shipped defaults: a process whose real uid goes from nobody to 0 without a
# set-user-ID program raises it with the exact pid; a set-user-ID root program switching to uid 0 (as
# sudo and su do) raises nothing.
. "$(dirname "$0")/lib.sh"
require_root
command -v cc > /dev/null || skip "needs cc (scripts/install-deps.sh)"
# a directory outside the temp dirs (suspicious_exec) on a filesystem that honours set-user-ID bits
W=$(mktemp -d /var/lib/rtmon-priv.XXXXXX)
trap 'rm -rf "$W"; cleanup_default' EXIT
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
rtmon_actions "privilege" "$top_srcdir/tests/integration/privilege_actions.py" "$W"
python3 - "$T/out" "$W/suid" <<'PY' || fail "credentials in the events"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ev = [o for o in lines if o.get("kind") == "event"]
assert all("euid" in o and "fsuid" in o and "cap_eff" in o for o in ev), "an event without credentials"
s = [o for o in ev if o["type"] == "exec" and o.get("exe") == sys.argv[2]]
assert s and s[0].get("exe_setuid") is True and s[0]["uid"] == 65534 and s[0]["euid"] == 0, s
root = [o for o in ev if o["uid"] == 0 and o["euid"] == 0]
assert root and all(o["cap_eff"] != 0 for o in root if o["type"] == "exec"), "root without capabilities"
print("credentials: %d events; the set-user-ID exec: uid %d euid %d exe_setuid" % (len(ev), s[0]["uid"], s[0]["euid"]))
PY
echo PASS
