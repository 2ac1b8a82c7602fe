#!/usr/bin/env python3
# sim_check.py: checks rtmon's JSON-lines output against what the simulations expected or did.
#
#   sim_check.py expect OUT PIDS [--latency S] [--span S]
#                                  every "RULE PID VARIANT" line of PIDS has an alert of RULE whose
#                                  event.pid is PID (PID "A|B": A or B), a full alert of its own (a
#                                  summary has no event); lists SKIP lines; prints the alerts it
#                                  matched. --latency: each such alert was raised at most S seconds
#                                  after its kernel event. --span: prints the time from the first to
#                                  the last matched event and fails past S seconds
#   sim_check.py quiet OUT ROOTPID no alert belongs to the process tree under ROOTPID (the event's
#                                  pid is a descendant by the fork/exec events of --trace, or ROOTPID
#                                  is in its lineage, or a fold/rate summary names one of its pids);
#                                  prints every such alert
import datetime
import json
import sys


def load(path):
    alerts, events = [], []
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except ValueError:
                sys.exit("%s:%d: not JSON: %s" % (path, n, line[:200]))
            (alerts if o.get("kind") == "alert" else events).append(o)
    return alerts, events


def short(a):
    ev = a.get("event") or {}
    return "%s pid=%s comm=%s exe=%s reason=%s" % (a.get("rule_id"), ev.get("pid"), ev.get("comm"),
                                                   ev.get("exe"), a.get("reason"))


def ts(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def latency(a):
    return ts(a["timestamp"]) - ts(a["event"]["time"])


def expect(out, pids, max_latency=None, max_span=None):
    alerts, _ = load(out)
    slow, times = [], []
    by = {}
    for a in alerts:
        ev = a.get("event") or {}
        by.setdefault((a.get("rule_id"), ev.get("pid")), []).append(a)
    missing, ok, skipped = [], 0, []
    with open(pids) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "SKIP":
                skipped.append(" ".join(parts[2:]))
                continue
            rule, variant = parts[0], parts[2]
            pids = [int(p) for p in parts[1].split("|")]  # "A|B": either process may raise it
            hit = None
            for pid in pids:
                hit = hit or by.get((rule, pid))
            if hit:
                ok += 1
                lat = latency(hit[0])
                times.append(ts(hit[0]["event"]["time"]))
                print("ok   %-22s %.3f s %s" % (variant, lat, short(hit[0])))
                if max_latency is not None and lat > max_latency:
                    slow.append((variant, lat))
            else:
                missing.append((variant, rule, parts[1]))
                others = [short(a) for a in alerts if (a.get("event") or {}).get("pid") in pids]
                print("MISS %-22s no %s alert for pid %s%s" % (variant, rule, parts[1],
                      (": that pid raised " + "; ".join(others)) if others else ""))
    for s in skipped:
        print("SKIP %s" % s)
    print("%d expected alerts seen, %d missing, %d variants skipped" % (ok, len(missing), len(skipped)))
    if ok == 0 and not missing:
        print("nothing was expected: did the simulations run?")
        return 1
    for variant, lat in slow:
        print("SLOW %-22s alert %.3f s after its event (limit %.3f s)" % (variant, lat, max_latency))
    span = max(times) - min(times) if times else 0
    if max_span is not None:
        print("the %d attacks ran within %.2f s" % (len(times), span))
    return 1 if missing or slow or (max_span is not None and span > max_span) else 0


def quiet(out, root):
    alerts, events = load(out)
    tree = {root}
    # fork events: pid = child, ppid = parent; exec keeps the pid. Events come in kernel order.
    for e in events:
        if e.get("type") in ("fork", "exec") and e.get("ppid") in tree:
            tree.add(e.get("pid"))
    bad = []
    for a in alerts:
        ev = a.get("event") or {}
        lineage = [x.get("pid") for x in a.get("lineage") or []]
        # fold / rate-limit summaries have no event: they count when a pid they name is the workload's
        summ = a.get("summary") or {}
        named = set(summ.get("pids") or []) | set(summ.get("ppids") or [])
        if ev.get("pid") in tree or root in lineage or named & tree:
            bad.append(a)
    print("workload tree: %d processes, %d events traced, %d alerts in all (host noise included)"
          % (len(tree), len(events), len(alerts)))
    for a in bad:
        print("UNEXPECTED ALERT: " + json.dumps(a, sort_keys=True))
    return 1 if bad else 0


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("expect", "quiet"):
        sys.exit("usage: sim_check.py expect OUT PIDS [--latency S] [--span S] | quiet OUT ROOTPID")
    if sys.argv[1] == "expect":
        opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
        return expect(sys.argv[2], sys.argv[3],
                      float(opts["--latency"]) if "--latency" in opts else None,
                      float(opts["--span"]) if "--span" in opts else None)
    return quiet(sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    sys.exit(main())
