#!/usr/bin/env python3
# container_check.py OUT MODE PID [KEY=VALUE ...]
# MODE alert: an alert whose event.pid == PID has container.KEY == VALUE for each pair
#             (container=none: the alert has no container object).
# MODE event: an event with pid == PID has KEY == VALUE for each pair.
# container_check.py OUT exec-pid CONTAINER_ID SUFFIX: prints "pid N" of the first exec event in that
#             container whose filename ends with SUFFIX.
import json
import sys


def records(path):
    for line in open(path, errors="replace"):
        try:
            yield json.loads(line)
        except ValueError:
            continue


if sys.argv[2] == "exec-pid":
    for o in records(sys.argv[1]):
        if o.get("kind") == "event" and o.get("type") == "exec" and o.get("container_id") == sys.argv[3] \
                and str(o.get("filename", "")).endswith(sys.argv[4]):
            print("pid", o["pid"])
            sys.exit(0)
    print("no exec event in container %s of *%s" % (sys.argv[3], sys.argv[4]))
    sys.exit(1)

out, mode, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
want = dict(a.split("=", 1) for a in sys.argv[4:])
seen = []
for o in records(out):
    if mode == "alert" and o.get("kind") == "alert" and o.get("event", {}).get("pid") == pid:
        c = o.get("container")
        if want.get("container") == "none":
            ok = c is None
        else:
            ok = c is not None and all(str(c.get(k)) == v for k, v in want.items())
        seen.append(o)
    elif mode == "event" and o.get("kind") == "event" and o.get("pid") == pid:
        ok = all(str(o.get(k)) == v for k, v in want.items())
        seen.append(o)
    else:
        continue
    if ok:
        if mode == "alert":
            print("ok: alert %s pid %d container %s" % (o.get("rule_id"), pid, json.dumps(o.get("container"))))
        else:
            print("ok: event %s pid %d cgroup %s container_id %s" % (o.get("type"), pid, o.get("cgroup"),
                                                                      o.get("container_id")))
        sys.exit(0)
print("no %s for pid %d with %s; seen %d:" % (mode, pid, want, len(seen)))
for o in seen[-3:]:
    print(json.dumps(o)[:600])
sys.exit(1)
