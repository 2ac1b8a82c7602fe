#!/usr/bin/env python3
"""Asserts every event of pipeline_actions.py arrived with exact values. argv: rtmon output, actions JSON."""
import json, sys

events = []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        events.append(json.loads(line))
did = json.load(open(sys.argv[2]))
ev = [e for e in events if e.get("kind") == "event"]
errors = []

def find(desc, pred):
    m = [e for e in ev if pred(e)]
    if not m:
        errors.append("missing: " + desc)
        return None
    return m[0]

x = did["exec"]
e = find("exec of the copied binary", lambda e: e["type"] == "exec" and e["pid"] == x["pid"])
if e:
    for k, want in (("ppid", x["ppid"]), ("exe", x["exe"]), ("filename", x["exe"]), ("args", x["args"]),
                    ("comm", x["exe"].rsplit("/", 1)[1][:15]), ("stdin_socket", False)):
        if e.get(k) != want:
            errors.append("exec %s: %r != %r" % (k, e.get(k), want))
    if e.get("uid") != 0 or e.get("auid") is None or "cgroup_id" not in e or "cwd" not in e:
        errors.append("exec identity fields: %r" % e)
find("fork of the exec child", lambda e: e["type"] == "fork" and e["pid"] == x["pid"] and e["ppid"] == x["ppid"])
find("exit of the exec child", lambda e: e["type"] == "exit" and e["pid"] == x["pid"] and e.get("exit_code") == 0)

c = did["connect"]
e = find("connect", lambda e: e["type"] == "connect" and e["pid"] == c["pid"] and e.get("dst_port") == c["port"])
if e and (e.get("dst_addr") != "127.0.0.1" or e.get("family") != "inet" or e.get("protocol") != "tcp"):
    errors.append("connect fields: %r" % e)

cm = did["connect_more"]
def conns(port, proto):
    return [e for e in ev if e["type"] == "connect" and e["pid"] == cm["pid"] and e.get("dst_port") == port
            and e.get("protocol") == proto]
u = conns(cm["udp_port"], "udp")
if len(u) != 1 or u[0].get("dst_addr") != "127.0.0.1" or u[0].get("family") != "inet":
    errors.append("UDP connect: want one inet event to 127.0.0.1:%d, got %r" % (cm["udp_port"], u))
t = conns(cm["tcp_port"], "tcp")
# the IPv4-mapped connect (reported as inet) and the Fast Open sendto: two, both IPv4
if len(t) != 2 or any(e.get("family") != "inet" or e.get("dst_addr") != "127.0.0.1" for e in t):
    errors.append("v4-mapped connect + TCP Fast Open: want 2 inet events to 127.0.0.1:%d, got %r" % (cm["tcp_port"], t))
q = did["uring"]
find("io_uring connect", lambda e: e["type"] == "connect" and e["pid"] == q["pid"] and e.get("dst_port") == q["port"]
     and e.get("protocol") == "tcp" and e.get("dst_addr") == "127.0.0.1")
if q["res"] != 0:
    errors.append("io_uring connect itself failed: res=%d" % q["res"])
r = conns(cm["refused_port"], "tcp")
if len(r) != 1 or r[0].get("family") != "inet6" or r[0].get("dst_addr") != "::1":
    errors.append("refused IPv6 connect: want one inet6 event to ::1:%d, got %r" % (cm["refused_port"], r))

p = did["ptrace"]
find("ptrace attach", lambda e: e["type"] == "ptrace" and e["pid"] == p["pid"] and
     e.get("ptrace_request") == "PTRACE_ATTACH" and e.get("target_pid") == p["target"] and
     e.get("target_ppid") == p["pid"])

m = did["memfd"]
find("memfd_create", lambda e: e["type"] == "memfd_create" and e["pid"] == m["pid"] and
     e.get("memfd_name") == m["name"])

mm = did["mmap"]
e = find("anonymous PROT_EXEC mmap", lambda e: e["type"] == "mmap" and e["pid"] == mm["pid"] and
         "PROT_EXEC" in e.get("prot", []))
if e and (e.get("prot") != ["PROT_READ", "PROT_EXEC"] or e.get("fd") != -1 or "MAP_ANONYMOUS" not in e.get("flags", [])):
    errors.append("mmap fields: %r" % e)

mp = did["mprotect"]
e = find("mprotect to RWX", lambda e: e["type"] == "mprotect" and e["pid"] == mp["pid"])
if e and (e.get("prot") != ["PROT_READ", "PROT_WRITE", "PROT_EXEC"] or e.get("vma_anon") is not True or
          e.get("vma_write") is not True):
    errors.append("mprotect fields: %r" % e)

rs = did["read_storm"]["pid"]
n = [e for e in ev if e["pid"] == rs and e["type"] in ("mmap", "mprotect")]
if n:
    errors.append("PROT_READ-only mmap storm produced %d events" % len(n))

ch = did["chain"]
leaf = find("exec of the chain's leaf", lambda e: e["type"] == "exec" and e.get("exe") == ch["leaf_exe"])
if leaf:
    # walk the ppid chain through the events: leaf -> sh -> sh(top)
    execs = {e["pid"]: e for e in ev if e["type"] == "exec"}
    forks = {e["pid"]: e["ppid"] for e in ev if e["type"] == "fork"}
    mid = leaf["ppid"]
    if execs.get(mid, {}).get("exe") not in ("/usr/bin/dash", "/bin/dash", "/usr/bin/sh", "/bin/sh", "/usr/bin/bash"):
        errors.append("leaf's parent %r is not the inner sh: %r" % (mid, execs.get(mid)))
    if forks.get(mid) != ch["top"]:
        errors.append("inner sh %r was not forked by the top sh %r (forks: %r)" % (mid, ch["top"], forks.get(mid)))
    alerts = [a for a in events if a.get("kind") == "alert" and a.get("event", {}).get("pid") == leaf["pid"]]
    for a in alerts:
        lin = [l["pid"] for l in a.get("lineage", [])]
        if lin[:3] != [mid, ch["top"], did["actor"]]:
            errors.append("alert lineage %r != [%r, %r, %r]" % (lin, mid, ch["top"], did["actor"]))
    if not alerts:
        print("note: no alert on the leaf (exec from %s); lineage checked through events only" % ch["leaf_exe"])
    else:
        print("lineage of %d alert(s) checked" % len(alerts))

if errors:
    print("\n".join(errors))
    sys.exit(1)
print("all %d pipeline checks passed over %d events" % (14, len(ev)))
