#!/usr/bin/env python3
# account_actions.py WORKDIR OUT.json: local account changes for tests/integration/account_change.sh, each by its
# own process (whose pid is recorded), and the near misses:
#   useradd of a new account, usermod -o -u 0 (root's uid), an append to /etc/passwd by a shell, sed -i on
#   /etc/group (a rename over it): account_change with the exact pid (and path for the file writes);
#   near misses: id, getent passwd (reads), a useradd run by dpkg-shaped ancestry is not tested here (see
#   the recordings), usermod -c (a comment).
import json, os, shutil, subprocess, sys

work, out = sys.argv[1], sys.argv[2]
user = "rtmon-acct-%d" % os.getpid()
did = []
backup = {f: open(f, "rb").read() for f in ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow")
          if os.path.exists(f)}


def act(want, argv, what, match=None, shell=False):
    p = subprocess.Popen(argv, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rc = p.wait()
    d = {"want": want, "pid": p.pid, "what": what, "ran": rc == 0}
    if match:
        d["match"] = match
    did.append(d)


try:
    act("account_change", ["useradd", "-M", "-N", "-s", "/bin/bash", user], "useradd " + user,
        {"type": "exec", "exe": "/usr/sbin/useradd"})
    act("account_change", ["usermod", "-o", "-u", "0", user], "usermod -o -u 0 " + user,
        {"type": "exec", "exe": "/usr/sbin/usermod"})
    act("", ["usermod", "-c", "a comment", user], "usermod -c (a comment)")
    act("account_change", "exec /bin/sh -c 'echo %s2:x:0:0::/root:/bin/sh >> /etc/passwd'" % user,
        "echo >> /etc/passwd", {"type": "file", "path": "/etc/passwd", "file_op": ["write"]}, shell=True)
    act("account_change", ["sed", "-i", "$a %s3:x:4242:" % user, "/etc/group"], "sed -i /etc/group",
        {"type": "file", "path": "/etc/group"})
    act("", ["id", "root"], "id root")
    act("", ["getent", "passwd", "root"], "getent passwd root")
finally:
    for f, data in backup.items():
        with open(f, "wb") as fh:
            fh.write(data)
json.dump(did, open(out, "w"))
