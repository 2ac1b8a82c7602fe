#!/usr/bin/env python3
# loader_actions.py WORKDIR NEWNS OUT.json: the dynamic loader techniques of tests/integration/loader_env.sh, each by
# its own process (whose pid is recorded), and their near misses:
#   LD_PRELOAD naming a library in a temp dir (loader_env_injection at exec, untrusted_library_load when
#   ld.so maps it), LD_AUDIT naming a library in a hidden directory, a set-user-ID program started by
#   nobody with GLIBC_TUNABLES (CVE-2023-4911's shape), dlopen() of a library in /tmp, of a memfd and of a
#   deleted file (untrusted_library_load, with the exact path and map_file);
#   near misses: LD_PRELOAD of a system library by absolute path and by bare name, LD_LIBRARY_PATH of a
#   temp dir for an ordinary program, a library dlopen()ed from a system directory, a set-user-ID program
#   started by root with GLIBC_TUNABLES, a clone() into new namespaces on the host (ns_op clone is seen:
#   checked by the shell script).
import ctypes, json, os, shutil, subprocess, sys

work, newns, out = sys.argv[1], sys.argv[2], sys.argv[3]
did = []
src = os.path.join(work, "lib.c")
open(src, "w").write("int rtmon_probe(void) { return 42; }\n")
tmplib = os.path.join(work, "libprobe.so")          # WORKDIR is under /tmp
subprocess.run(["cc", "-shared", "-fPIC", "-o", tmplib, src], check=True)
hidden = "/var/lib/.rtmon-loader-%d" % os.getpid()  # a hidden directory outside the temp dirs
os.makedirs(hidden, exist_ok=True)
audit = os.path.join(hidden, "libaudit.so")
open(os.path.join(work, "audit.c"), "w").write("unsigned int la_version(unsigned int v) { return v; }\n")
subprocess.run(["cc", "-shared", "-fPIC", "-o", audit, os.path.join(work, "audit.c")], check=True)
syslib = "/var/lib/rtmon-loader-%d.so" % os.getpid()  # not world-writable, not hidden
shutil.copy(tmplib, syslib)
libc = "/lib/x86_64-linux-gnu/libc.so.6"


def run(want, env, what, match=None, argv=("/bin/true",), typ="exec"):
    p = subprocess.Popen(list(argv), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.wait()
    d = {"want": want, "pid": p.pid, "type": typ, "what": what, "ran": True}
    if match:
        d["match"] = match
    did.append(d)
    return p.pid


def child(want, fn, what, match=None, typ=None):
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    d = {"want": want, "pid": pid, "what": what, "ran": True}
    if typ:
        d["type"] = typ
    if match:
        d["match"] = match
    did.append(d)


pid = run("loader_env_injection", {"LD_PRELOAD": tmplib}, "LD_PRELOAD=" + tmplib,
          {"env": ["LD_PRELOAD=" + tmplib]})
did.append({"want": "untrusted_library_load", "pid": pid, "type": "mmap", "what": "ld.so maps the preloaded " + tmplib,
            "ran": True, "match": {"path": tmplib, "map_file": ["shared_dir"]}})
run("loader_env_injection", {"LD_AUDIT": audit}, "LD_AUDIT=" + audit, {"env": ["LD_AUDIT=" + audit]})


def tunables():
    os.setgid(65534)
    os.setuid(65534)
    os.execve("/usr/bin/passwd", ["passwd", "--help"],
              {"GLIBC_TUNABLES": "glibc.malloc.mxfast=glibc.malloc.mxfast=AAAA"})


child("loader_env_injection", tunables, "nobody runs set-user-ID passwd with GLIBC_TUNABLES",
      {"exe": "/usr/bin/passwd", "uid": 65534}, "exec")


def dl_tmp():
    ctypes.CDLL(tmplib)


child("untrusted_library_load", dl_tmp, "dlopen " + tmplib, {"path": tmplib, "map_file": ["shared_dir"]}, "mmap")


def dl_memfd():
    fd = os.memfd_create("rtmon-probe", os.MFD_CLOEXEC)
    os.write(fd, open(tmplib, "rb").read())
    ctypes.CDLL("/proc/self/fd/%d" % fd)


child("untrusted_library_load", dl_memfd, "dlopen a memfd", {"path": "/memfd:rtmon-probe (deleted)",
                                                              "map_file": ["memfd"]}, "mmap")
gone = "/var/lib/rtmon-loader-gone-%d.so" % os.getpid()


def dl_deleted():
    fd = os.open(gone, os.O_RDONLY)
    os.unlink(gone)
    ctypes.CDLL("/proc/self/fd/%d" % fd)


shutil.copy(tmplib, gone)
child("untrusted_library_load", dl_deleted, "dlopen a deleted file", {"path": gone, "map_file": ["deleted"]}, "mmap")

# near misses
run("", {"LD_PRELOAD": libc}, "LD_PRELOAD=" + libc)
run("", {"LD_PRELOAD": "libc.so.6"}, "LD_PRELOAD=libc.so.6")
run("", {"LD_LIBRARY_PATH": work}, "LD_LIBRARY_PATH=" + work + " for /bin/true")
child("", lambda: ctypes.CDLL(syslib), "dlopen " + syslib)


def root_tunables():
    os.execve("/usr/bin/passwd", ["passwd", "--help"], {"GLIBC_TUNABLES": "glibc.malloc.check=3"})


child("", root_tunables, "root runs set-user-ID passwd with GLIBC_TUNABLES")
ns = subprocess.run([newns], capture_output=True, text=True)
did.append({"want": "", "pid": None, "exe": newns, "what": "clone(CLONE_NEWUTS) on the host",
            "ran": ns.returncode == 0})
open(os.path.join(work, "newns.child"), "w").write(ns.stdout.strip())
os.unlink(syslib)
shutil.rmtree(hidden)
json.dump(did, open(out, "w"))
