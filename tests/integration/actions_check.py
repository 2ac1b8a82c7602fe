#!/usr/bin/env python3
# actions_check.py OUT DID.json: rtmon's JSON output (--stdout [--trace]) against the actions a test did.
# DID.json is a list of {"want": RULE or "", "pid": N, "what": text, ...}; for each action with a rule, an
# alert of that rule whose event.pid is the pid (and whose event has the same value for every key of
# "match", e.g. {"path": "/etc/shadow"}); for a near miss (want ""), no alert for its pid (of its event
# "type" when given). An action may give "exe" instead of a pid: the pid of the exec event of that exe.
# An action with "ran": false fails. Prints one line per action; exit 1 when any fails.
import json
import sys


def main():
    lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
    alerts = [a for a in lines if a.get("kind") == "alert" and "event" in a]
    execs = [e for e in lines if e.get("kind") == "event" and e.get("type") == "exec"]
    bad = 0
    for d in json.load(open(sys.argv[2])):
        if not d.get("ran", True):
            bad += 1
            print("FAIL the action did not run: %s" % d["what"])
            continue
        if d.get("exe"):
            pids = [e["pid"] for e in execs if e.get("exe") == d["exe"]]
            d["pid"] = pids[0] if pids else -1
        mine = [a for a in alerts if a["event"]["pid"] == d["pid"]
                and (not d.get("type") or a["event"]["type"] == d["type"])]
        match = d.get("match", {})
        if d["want"]:
            ok = [a for a in mine if a["rule_id"] == d["want"]
                  and all(a["event"].get(k) == v for k, v in match.items())]
            if ok:
                print("ok   %-20s pid %-7d %s: %s" % (d["want"], d["pid"], d["what"], ok[0]["reason"][:90]))
            else:
                bad += 1
                print("FAIL %-20s pid %-7d %s: alerts for it %r" % (d["want"], d["pid"], d["what"],
                      [(a["rule_id"], a["reason"][:80]) for a in mine]))
        elif mine:
            bad += 1
            print("FAIL near miss pid %d (%s) alerted: %r" % (d["pid"], d["what"], [a["reason"] for a in mine]))
        else:
            print("ok   quiet                pid %-7d %s" % (d["pid"], d["what"]))
    return 1 if bad else 0


sys.exit(main())
