#!/usr/bin/env python3
# setuid_actions.py WORKDIR OUT.json: set-user-ID bits and file capabilities put on files, each by its own
# process (whose pid is recorded), for tests/integration/setuid_set.sh, and the near misses:
#   chmod u+s on a relative path (coreutils: fchmodat(AT_FDCWD, ...)), os.chmod 04755 on an absolute path,
#   fchmod 02755 on an open file, setcap cap_setuid+ep (setxattr security.capability): setuid_set with the
#   exact path and file_op;
#   near misses: chmod 0755 (no set-ID bit), chmod u+s run by make (a build installing its programs).
import json, os, shutil, subprocess, sys

work, out = sys.argv[1], sys.argv[2]   # WORKDIR: outside the temp dirs
did = []
# one file per action: the same file set-ID again by the same process tree is the same finding
files = {}


def new_file(name):
    files[name] = os.path.join(work, name)
    shutil.copy("/bin/true", files[name])
    return files[name]


def act(want, argv, what, op=None, path=None, cwd=None):
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rc = p.wait()
    d = {"want": want, "pid": p.pid, "type": "file" if want else "", "what": what, "ran": rc == 0}
    if want:
        d["match"] = {"path": path, "file_op": [op]}
    did.append(d)


def forked(want, fn, what, op, path):
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    did.append({"want": want, "pid": pid, "type": "file", "what": what, "ran": True,
                "match": {"path": path, "file_op": [op]}})


act("setuid_set", ["chmod", "u+s", "rel"], "chmod u+s rel (relative, in its directory)", "setuid",
    new_file("rel"), cwd=work)
f = new_file("abs")
forked("setuid_set", lambda: os.chmod(f, 0o4755), "chmod(%s, 04755)" % f, "setuid", f)
g = new_file("byfd")


def by_fd():
    fd = os.open(g, os.O_RDONLY)
    os.fchmod(fd, 0o2755)


forked("setuid_set", by_fd, "fchmod 02755", "setuid", g)
if shutil.which("setcap"):
    h = new_file("caps")
    act("setuid_set", ["setcap", "cap_setuid+ep", h], "setcap cap_setuid+ep", "setcap", h)
# near misses
act("", ["chmod", "0755", new_file("plain")], "chmod 0755")
mk = os.path.join(work, "Makefile")
open(mk, "w").write("install:\n\techo $$$$ > %s/make.pid; exec chmod u+s %s\n" % (work, new_file("built")))
p = subprocess.Popen(["make", "-s", "-f", mk], cwd=work, stdout=subprocess.DEVNULL)
rc = p.wait()
did.append({"want": "", "pid": int(open(os.path.join(work, "make.pid")).read()), "what": "chmod u+s by make",
            "ran": rc == 0})
json.dump(did, open(out, "w"))
