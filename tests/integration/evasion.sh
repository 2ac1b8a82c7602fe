#!/bin/bash
# evasion.sh: rules key on the executable and the kernel's view, not on what a process can rename:
# prctl(PR_SET_NAME), argv[0] rewriting, a symlink and a relative path into temp dirs, fexecve of a memfd
# (execveat AT_EMPTY_PATH), a copied and renamed shell, argv longer than the capture limit, and the mkfifo
# reverse shell whose own fds are only pipes. Each must raise its alert with the exact pid.
. "$(dirname "$0")/lib.sh"
require_root
command -v nc > /dev/null || skip "needs nc (netcat-openbsd) for the mkfifo reverse shell"
PLAIN=$(mktemp -d /var/lib/rtmon-evasion.XXXXXX)
trap 'rm -rf "$PLAIN"; cleanup_default' EXIT
rtmon_start --stdout -o alerting.fold_window_s=0 -o alerting.rate_limit=0
python3 "$top_srcdir/tests/integration/evasion_actions.py" "$T/did.json" "$T" "$PLAIN" "$top_srcdir/scripts/sim_detach.py"
rtmon_stop
python3 - "$T/out" "$T/did.json" <<'PY' || fail "evasion checks"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
alerts = [a for a in lines if a.get("kind") == "alert" and "event" in a]
# A process that already raised an alert (python connected, then exec'd the shell on the socket) is in
# an incident: the shell's exec matching the same rule joins its timeline instead of alerting again.
# Such a timeline entry names the rules the exec matched; it counts, seen as an event.
for u in lines:
    if u.get("kind") != "incident":
        continue
    for e in u["incident"]["timeline"]:
        for r in e.get("rules", []):
            alerts.append({"rule_id": r, "reason": "joined incident %s" % u["incident_id"], "lineage": [],
                           "event": dict(e, comm=e.get("comm", ""), args=e.get("args", [""]))})
did = json.load(open(sys.argv[2]))
errors = []
def alert(name, rule, pid, check=lambda a: True):
    m = [a for a in alerts if a["rule_id"] == rule and a["event"]["pid"] == pid and check(a)]
    if not m:
        errors.append("%s: no %s alert for pid %d (alerts for it: %r)" % (name, rule, pid,
                      [(a["rule_id"], a["reason"][:80]) for a in alerts if a["event"]["pid"] == pid]))
    else:
        print("ok %-14s %s pid %d: %s" % (name, rule, pid, m[0]["reason"][:100]))
alert("prctl", "injection_attempt", did["prctl"]["pid"], lambda a: a["event"]["comm"] == "kworker/0:1" and "python" in a["event"]["exe"])
alert("argv0", "reverse_shell", did["argv0"]["pid"], lambda a: a["event"]["args"][0] == "[kthreadd]" and a["event"]["exe"].endswith("dash"))
alert("symlink", "suspicious_exec", did["symlink"]["pid"], lambda a: a["event"]["exe"] == did["symlink"]["exe"])
alert("relative", "suspicious_exec", did["relative"]["pid"], lambda a: a["event"]["exe"] == did["relative"]["exe"] and a["event"]["filename"] == "./payload")
alert("memfd_exec", "suspicious_exec", did["memfd_exec"]["pid"], lambda a: a["event"].get("exe_memfd") is True)
alert("renamed_shell", "reverse_shell", did["renamed_shell"]["pid"], lambda a: a["event"]["exe"] == did["renamed_shell"]["exe"])
alert("long_argv", "reverse_shell", did["long_argv"]["pid"], lambda a: a["event"].get("args_truncated") is True)
mk = [a for a in alerts if a["rule_id"] == "reverse_shell" and any(l["pid"] == did["mkfifo"]["bash"] for l in a["lineage"][:1])
      and (a["event"].get("stdin_pipe_peer") or a["event"].get("stdout_pipe_peer"))]
if not mk:
    errors.append("mkfifo: no reverse_shell alert through pipe peers for a child of bash %d" % did["mkfifo"]["bash"])
else:
    print("ok mkfifo         reverse_shell pid %d: %s" % (mk[0]["event"]["pid"], mk[0]["reason"][:100]))
if errors:
    print("\n".join(errors)); sys.exit(1)
PY
echo PASS
