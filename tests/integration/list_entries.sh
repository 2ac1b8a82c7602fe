#!/bin/bash
# list_entries.sh: every entry of the exe_base lists in the shipped rtmon.conf names a resolved executable
# basename that Debian 12 really ships (tests/data/debian12_exe_names.tsv), so no entry is dead (awk, sh, nc,
# python3, iptables are symlinks or alternatives: exe_base never shows them). What it checks, honestly:
# (1) each entry (a glob) matches a row of the table; (2) each row whose path is installed here resolves
# (readlink -f) to that basename; rows not installed are counted as documented-only; (3) names known to be
# links on Debian 12 are in no list, and resolve elsewhere when installed here. No network, no root.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v python3 > /dev/null || { echo "SKIP: needs python3"; exit 77; }
exec python3 - "$top_srcdir/etc/rtmon/rtmon.conf" "$top_srcdir/tests/data/debian12_exe_names.tsv" <<'PY'
import fnmatch, os, re, sys
conf, table = open(sys.argv[1]).read(), sys.argv[2]
# lists of system programs matched on exe_base (miner_names and scanners name third-party tools by their
# upstream release names and are not checked; security_services is matched against args)
CHECKED = ["shell_interpreters", "connecting_shells", "net_relays", "exec_relays", "web_db_servers", "recon_tools"]
# links on Debian 12 that are no busybox applet either (sh, awk, nc, telnet, insmod, modprobe are applets)
DEAD = ["nawk", "rbash", "ksh", "csh", "netcat", "python3", "iptables", "ip6tables",
        "nodejs", "mysqld", "uwsgi", "sg", "run0"]
rows = [l.rstrip("\n").split("\t") for l in open(table) if l.strip() and not l.startswith("#")]
names = {r[0] for r in rows}
errors, verified, documented = [], 0, 0
applets = 0
for name, pkg, path in rows:
    if path == "-":
        applets += 1
    elif os.path.exists(path):
        real = os.path.basename(os.path.realpath(path))
        if real != name:
            errors.append("table: %s (%s) resolves to %s here, not %s" % (path, pkg, real, name))
        verified += 1
    else:
        documented += 1
for lst in CHECKED:
    m = re.search(r"^\s*%s\s*=\s*\[(.*?)\];" % lst, conf, re.S | re.M)
    if not m:
        errors.append("list %s not found in rtmon.conf" % lst); continue
    body = re.sub(r"#[^\n]*", "", m.group(1))
    for e in re.findall(r'"([^"]*)"', body):
        if e.startswith("@"):
            continue
        if not any(fnmatch.fnmatchcase(n, e) for n in names):
            errors.append("%s: entry %r matches no executable Debian 12 ships (dead entry)" % (lst, e))
        if e in DEAD:
            errors.append("%s: entry %r is a symlink/alternative on Debian 12, never an exe_base" % (lst, e))
for d in DEAD:
    for bindir in ("/usr/bin", "/usr/sbin"):
        p = os.path.join(bindir, d)
        if os.path.exists(p) and os.path.basename(os.path.realpath(p)) == d and d in ("python3", "iptables"):
            print("note: %s is a real file on this host (not Debian 12's layout)" % p)
print("table rows verified on this host: %d, documented only (not installed here): %d, busybox applets: %d" %
      (verified, documented, applets))
if errors:
    print("\n".join("FAIL: " + e for e in errors)); sys.exit(1)
print("PASS: every checked list entry names a real Debian 12 executable")
PY
