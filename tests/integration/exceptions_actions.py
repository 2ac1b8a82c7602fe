#!/usr/bin/env python3
"""Bypasses of rule exceptions that used to key on comm, a basename or a loose glob; each must now alert.
Writes what it did (acting pids and exes) to the JSON file argv[1]. argv[2] = a scratch dir under /tmp,
argv[3] = a scratch dir outside any temp dir, argv[4] = sim_detach.py. Local, bounded, self-cleaning."""
import ctypes, errno, json, os, shutil, socket, subprocess, sys

out, tmpdir, plaindir, detach = sys.argv[1:5]
did = {}
libc = ctypes.CDLL(None, use_errno=True)

def detached(argv, name):
    """Runs argv outside our process tree (no make above it); returns the pid that exec'd argv."""
    pidfile = os.path.join(plaindir, "pid." + name)
    subprocess.run([sys.executable, detach, "sh", "-c", 'echo $$ > "$0"; exec "$@"', pidfile] + argv, timeout=30)
    return int(open(pidfile).read())

def payload(d, name="payload"):
    p = os.path.join(d, name); shutil.copy("/bin/true", p); return p

# 1. a payload named conftest run by a shell (autoconf's old exception: exe */conftest under sh)
conftest = payload(tmpdir, "conftest")
did["conftest"] = {"pid": detached(["sh", "-c", 'cd "$0" && exec ./conftest', tmpdir], "conftest"), "exe": conftest}

# 2. a script run as .../configure from /tmp (autoconf's old exception: sh with filename */configure)
conf = os.path.join(tmpdir, "configure")
with open(conf, "w") as f:
    f.write("#!/bin/sh\nexit 0\n")
os.chmod(conf, 0o755)
did["configure"] = {"pid": detached([conf], "configure"), "filename": conf}

# 3. a symlink named pip to a shell runs a payload (build_tool_comms matched comm "pip")
pip = os.path.join(plaindir, "pip"); os.symlink("/bin/sh", pip)
p1 = payload(tmpdir, "p1")
did["pip_symlink"] = {"pid": detached([pip, "-c", 'exec "$0"', p1], "pip"), "exe": p1}

# 4. a copy of sh named go runs a payload (build_tool_exes matched exe_base "go")
go = os.path.join(plaindir, "go"); shutil.copy("/bin/dash", go)
p2 = payload(tmpdir, "p2")
did["go_copy"] = {"pid": detached([go, "-c", 'exec "$0"', p2], "go"), "exe": p2}

# 5. prctl(PR_SET_NAME, "cloud-init"), then a connection to the metadata service (cloud_agent_comms)
pid = os.fork()
if pid == 0:
    libc.prctl(15, b"cloud-init", 0, 0, 0)
    s = socket.socket(); s.setblocking(False)
    try:
        s.connect(("169.254.169.254", 80))
    except OSError as e:
        os._exit(0 if e.errno == errno.EINPROGRESS else 3)
    os._exit(0)
_, st = os.waitpid(pid, 0)
did["cloud_prctl"] = {"pid": pid, "connected": os.waitstatus_to_exitcode(st) == 0}

# 6. memfds with MFD_ALLOW_SEALING (2) never sealed, and one named like runc's, from python
pid = os.fork()
if pid == 0:
    os.close(os.memfd_create("stage", 1 | 2))
    os._exit(0)
os.waitpid(pid, 0)
did["memfd_sealing"] = {"pid": pid}
pid = os.fork()
if pid == 0:
    os.close(os.memfd_create("runc_cloned:/proc/self/exe", 1 | 2))
    os._exit(0)
os.waitpid(pid, 0)
did["memfd_runc_name"] = {"pid": pid}

# 7. temp-like dirs: /run/lock, /run/user/UID, /var/crash
for name, d in (("run_lock", "/run/lock"), ("run_user", "/run/user/4242"), ("var_crash", "/var/crash")):
    made = not os.path.isdir(d)
    os.makedirs(d, exist_ok=True)
    sub = os.path.join(d, "rtmon-exc-%d" % os.getpid()); os.makedirs(sub)
    try:
        p = payload(sub)
        did[name] = {"pid": detached([p], name), "exe": p}
    finally:
        shutil.rmtree(sub)
        if made:
            os.rmdir(d)

json.dump(did, open(out, "w"))
