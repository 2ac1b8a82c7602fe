#!/bin/bash
# kernel_actions.sh: the kernel's socket, listen and bpf events with the shipped default rules: a packet
# socket opened by a sniffer run from a temp directory (packet_socket), a BPF program loaded with
# bpf(BPF_PROG_LOAD) (foreign_bpf_load, with the program's type and name), bind shells seen when they
# listen - socat TCP-LISTEN ... EXEC:, nc.traditional -l -e (bind_shell, with the port) - each its own alert
# with the exact pid; python3 -m http.server listening and a UDP socket raise nothing.
. "$(dirname "$0")/lib.sh"
require_root
for t in cc socat nc.traditional; do
	command -v $t > /dev/null || skip "needs $t (scripts/install-deps.sh)"
done
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
python3 "$top_srcdir/tests/integration/kernel_actions.py" "$T" "$T/did.json" || fail "the actions failed"
sleep 1
rtmon_stop
python3 - "$T/out" "$T/did.json" <<'PY' || fail "kernel action checks (above)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
alerts = [a for a in lines if a.get("kind") == "alert" and "event" in a]
execs = [e for e in lines if e.get("kind") == "event" and e.get("type") == "exec"]
did = json.load(open(sys.argv[2]))
bad = 0
for d in did:
    if not d["ran"]:
        bad += 1
        print("FAIL the action did not run: %s" % d["what"])
        continue
    if d.get("exe"):  # the sniffer: its pid from its exec event
        pids = [e["pid"] for e in execs if e.get("exe") == d["exe"]]
        d["pid"] = pids[0] if pids else -1
    mine = [a for a in alerts if a["event"]["pid"] == d["pid"] and (not d["type"] or a["event"]["type"] == d["type"])]
    if d["want"]:
        ok = [a for a in mine if a["rule_id"] == d["want"]
              and all(a["event"].get(k) == d[k] for k in ("local_port", "bpf_prog_name") if k in d)]
        if ok:
            print("ok   %-17s pid %-7d %s: %s" % (d["want"], d["pid"], d["what"], ok[0]["reason"][:90]))
        else:
            bad += 1
            print("FAIL %-17s pid %-7d %s: alerts for it %r" % (d["want"], d["pid"], d["what"],
                  [(a["rule_id"], a["reason"][:80]) for a in mine]))
    elif mine:
        bad += 1
        print("FAIL near miss pid %d (%s) alerted: %r" % (d["pid"], d["what"], [a["reason"] for a in mine]))
    else:
        print("ok   quiet             pid %-7d %s" % (d["pid"], d["what"]))
sys.exit(1 if bad else 0)
PY
echo PASS
