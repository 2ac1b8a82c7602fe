#!/bin/bash
# exceptions.sh: the default rules' exceptions key on what the kernel resolved (the exe path, the path
# execve ran), so the bypasses of the old comm / basename / glob exceptions alert, with the exact pid:
# a payload named conftest, a script run as .../configure, a symlink named pip and a copy of sh named go
# running payloads, prctl(PR_SET_NAME, "cloud-init") before a metadata connection, memfds passing
# MFD_ALLOW_SEALING or named runc_cloned:*, and programs run from /run/lock, /run/user/UID, /var/crash.
# (Legitimate runs stay quiet: container_runc.sh for runc, replay recordings for the rest.)
. "$(dirname "$0")/lib.sh"
require_root
PLAIN=$(mktemp -d /var/lib/rtmon-exc.XXXXXX)
trap 'rm -rf "$PLAIN"; cleanup_default' EXIT
rtmon_start --stdout -o alerting.fold_window_s=0 -o alerting.rate_limit=0
python3 "$top_srcdir/tests/integration/exceptions_actions.py" "$T/did.json" "$T" "$PLAIN" "$top_srcdir/scripts/sim_detach.py"
rtmon_stop
python3 - "$T/out" "$T/did.json" <<'PY' || fail "exception bypass checks"
import json, sys
alerts = [a for a in map(json.loads, (l for l in open(sys.argv[1]) if l.startswith("{"))) if a.get("kind") == "alert" and "event" in a]
did = json.load(open(sys.argv[2]))
errors = []
def alert(name, rule, check=lambda a: True):
    pid = did[name]["pid"]
    m = [a for a in alerts if a["rule_id"] == rule and a["event"]["pid"] == pid and check(a)]
    if not m:
        errors.append("%s: no %s alert for pid %d (alerts for it: %r)" % (name, rule, pid,
                      [(a["rule_id"], a["reason"][:80]) for a in alerts if a["event"]["pid"] == pid]))
    else:
        print("ok %-16s %s pid %d: %s" % (name, rule, pid, m[0]["reason"][:100]))
alert("conftest", "suspicious_exec", lambda a: a["event"]["exe"] == did["conftest"]["exe"])
alert("configure", "suspicious_exec", lambda a: a["event"]["filename"] == did["configure"]["filename"])
alert("pip_symlink", "suspicious_exec", lambda a: a["event"]["exe"] == did["pip_symlink"]["exe"])
alert("go_copy", "suspicious_exec", lambda a: a["event"]["exe"] == did["go_copy"]["exe"])
if did["cloud_prctl"]["connected"]:
    alert("cloud_prctl", "cloud_metadata_access", lambda a: a["event"]["comm"] == "cloud-init" and a["event"]["dst_port"] == 80)
else:
    print("skip cloud_prctl: no route to 169.254.169.254 here")
alert("memfd_sealing", "injection_attempt", lambda a: "MFD_ALLOW_SEALING" in a["event"].get("memfd_flags", []))
alert("memfd_runc_name", "injection_attempt", lambda a: a["event"].get("memfd_name") == "runc_cloned:/proc/self/exe")
for name in ("run_lock", "run_user", "var_crash"):
    alert(name, "suspicious_exec", lambda a, n=name: a["event"]["exe"] == did[n]["exe"])
if errors:
    print("\n".join(errors)); sys.exit(1)
PY
echo PASS
