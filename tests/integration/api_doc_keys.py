#!/usr/bin/env python3
# api_doc_keys.py API.md FILE...: every JSON key in the events and alerts of FILE... (rtmon's JSON
# lines: --trace/--replay/--stdout output), nested keys included, is documented in API.md.
#
# Documented means:
#   an event key (top level of an event, or of alert.event)  -> named in backticks in the first
#       column of a table row in the "Event JSON" section;
#   a key nested in an event object (stdin_peer.family, ...) -> named in backticks (or as "key"
#       inside a backticked JSON example) anywhere in the "Event JSON" section;
#   an alert key, and keys nested in alert objects other than the event (lineage[].pid,
#       container.runtime, summary.count, ...) -> named in backticks in the "Alert JSON" section;
#       incident updates (kind "incident") are checked as alerts (incident.timeline[].exe, ...).
# Prints each undocumented key with one example line; exit 1 when there is any, 2 on bad input.
import json
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sections(md):
    out, cur = {}, None
    for line in md.splitlines():
        m = re.match(r"^(#{2,3})\s+(.*)", line)
        if m and m.group(1) == "##":
            cur = m.group(2).strip()
            out[cur] = []
            continue
        if cur is not None:
            out[cur].append(line)
    return out


def find_section(secs, word):
    for title, lines in secs.items():
        if word.lower() in title.lower():
            return lines
    sys.stderr.write("api_doc_keys: API.md has no '## ... %s ...' section\n" % word)
    sys.exit(2)


def code_idents(text):
    ids = set()
    for span in re.findall(r"`([^`]*)`", text):
        ids.update(IDENT.findall(span))
    return ids


def first_column_idents(lines):
    ids = set()
    for line in lines:
        if line.startswith("|"):
            cells = line.split("|")
            if len(cells) > 2:
                ids.update(code_idents(cells[1]))
    return ids


def walk(obj, path, out, where):
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = path + (k,)
            out.setdefault(p, where)
            walk(v, p, out, where)
    elif isinstance(obj, list):
        for v in obj:
            walk(v, path + ("[]",), out, where)


def main():
    if len(sys.argv) < 3:
        sys.stderr.write("usage: api_doc_keys.py API.md FILE...\n")
        return 2
    secs = sections(open(sys.argv[1], encoding="utf-8").read())
    ev_lines = find_section(secs, "Event JSON")
    al_lines = find_section(secs, "Alert JSON")
    ev_top = first_column_idents(ev_lines)
    ev_any = code_idents("\n".join(ev_lines))
    al_any = code_idents("\n".join(al_lines))

    keys, n = {}, 0
    for fn in sys.argv[2:]:
        with open(fn, errors="replace") as f:
            for i, line in enumerate(f, 1):
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    o = json.loads(line)
                except ValueError:
                    sys.stderr.write("%s:%d: not JSON\n" % (fn, i))
                    return 2
                kind = o.get("kind")
                if kind not in ("event", "alert", "incident"):
                    sys.stderr.write("%s:%d: kind is %r, not event/alert/incident\n" % (fn, i, kind))
                    return 2
                n += 1
                # an incident update is documented with the alerts (same top-level keys, plus "incident")
                walk(o, ("alert" if kind == "incident" else kind,), keys, "%s:%d" % (fn, i))
    if n == 0:
        sys.stderr.write("api_doc_keys: no events or alerts in the input\n")
        return 2

    missing = []
    for path, where in sorted(keys.items()):
        names = [p for p in path[1:] if p != "[]"]
        if path[0] == "event" or (len(path) > 2 and path[1] == "event"):
            rel = names if path[0] == "event" else names[1:]
            if not rel:
                continue  # "alert.event" itself: an alert key, checked below
            ok = rel[0] in ev_top and all(k in ev_any for k in rel[1:])
        else:
            ok = all(k in al_any for k in names)
        if path[0] == "alert" and len(names) == 1:
            ok = names[0] in al_any
        if not ok:
            missing.append((".".join(path), where))
    print("api_doc_keys: %d JSON objects, %d distinct key paths, %d undocumented" % (n, len(keys), len(missing)))
    for p, where in missing:
        print("UNDOCUMENTED: %s (e.g. %s)" % (p, where))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
