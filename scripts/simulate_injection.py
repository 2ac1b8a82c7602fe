#!/usr/bin/env python3
"""simulate_injection.py: real process-injection techniques, each against a process this script
spawns itself. Safe: the only process ever traced or written is a sleeping dummy of ours, and every
write puts back the bytes that were there; executable memory is mapped but never jumped to; the
fileless exec runs a copy of /bin/true. Every step is bounded in time; nothing is left behind.

Usage: simulate_injection.py [--list] [VARIANT...]
Env:   RTMON_SIM_PIDS=FILE  append "RULE PID VARIANT" (and "SKIP - VARIANT why") lines

Each variant runs in a fresh process, so each expected alert names its own pid:
  ptrace_attach    PTRACE_ATTACH + PEEKDATA/POKEDATA (same word back) on a sibling  injection_attempt
  ptrace_seize     PTRACE_SEIZE of a sibling                                        injection_attempt
  vm_writev        process_vm_writev into a sibling (same bytes back)               injection_attempt
  poke_child       PTRACE_ATTACH of its own child (not an alert by itself), then
                   POKEDATA (same word back) into it: writing into a child is      injection_attempt
  rwx_mmap         anonymous mmap with PROT_READ|PROT_WRITE|PROT_EXEC               injection_attempt
  mprotect_rx      anonymous RW mapping flipped to PROT_READ|PROT_EXEC              injection_attempt
  memfd_exec       memfd_create, copy /bin/true in, execve /proc/self/fd/N          injection_attempt,
                                                                                    suspicious_exec
The tracer is never the target's parent: the target is a sibling (both are children of this
script), so the "debugger on its own child" exception does not apply.
"""
import ctypes
import ctypes.util
import mmap
import os
import shutil
import signal
import sys
import time

PTRACE_PEEKDATA, PTRACE_POKEDATA, PTRACE_ATTACH, PTRACE_DETACH, PTRACE_SEIZE = 2, 5, 16, 17, 0x4206
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]


class IoVec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


libc.process_vm_readv.restype = ctypes.c_ssize_t
libc.process_vm_readv.argtypes = [ctypes.c_int, ctypes.POINTER(IoVec), ctypes.c_ulong,
                                  ctypes.POINTER(IoVec), ctypes.c_ulong, ctypes.c_ulong]
libc.process_vm_writev.restype = ctypes.c_ssize_t
libc.process_vm_writev.argtypes = libc.process_vm_readv.argtypes

PIDS = os.environ.get("RTMON_SIM_PIDS", "")


def expect(rule, pid, variant):
    print("expect: %s pid=%d (variant %s)" % (rule, pid, variant), flush=True)
    if PIDS:
        with open(PIDS, "a") as f:
            f.write("%s %d %s\n" % (rule, pid, variant))


def skip(variant, why):
    print("skip: %s: %s" % (variant, why), flush=True)
    if PIDS:
        with open(PIDS, "a") as f:
            f.write("SKIP - %s %s\n" % (variant, why))


def err(what):
    e = ctypes.get_errno()
    return "%s: %s" % (what, os.strerror(e))


def dummy():
    """A sleeping target, a child of this script; killed by the caller. Bounded: 30 s at most."""
    pid = os.fork()
    if pid == 0:
        signal.alarm(30)
        while True:
            time.sleep(1)
    return pid


def writable_addr(pid):
    """The start of the target's first writable private mapping (its data segment or heap)."""
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            rng, perms = line.split()[:2]
            if perms.startswith("rw") and perms[3] == "p":
                return int(rng.split("-")[0], 16)
    raise RuntimeError("no writable mapping in pid %d" % pid)


def in_child(variant, body, *args):
    """Runs body(*args) in a fresh process; returns (pid, exit status). The child reports failure
    as exit 3 with its message on stderr, and skips as exit 4 with its reason."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            body(*args)
        except SkipVariant as e:
            os.write(w, str(e).encode())
            code = 4
        except Exception as e:  # report and exit: never fall back into the parent's code
            sys.stderr.write("%s: %s\n" % (variant, e))
            code = 3
        os._exit(code)
    os.close(w)
    deadline = time.monotonic() + 20
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.01)
    with os.fdopen(r, "rb") as f:
        why = f.read().decode(errors="replace")
    return pid, os.waitstatus_to_exitcode(status), why


class SkipVariant(Exception):
    pass


def do_ptrace(target, request):
    if libc.ptrace(request, target, None, None) != 0:
        if ctypes.get_errno() == 1:  # EPERM: Yama ptrace_scope 3, or no CAP_SYS_PTRACE across users
            raise SkipVariant(err("ptrace not permitted here"))
        raise RuntimeError(err("ptrace"))
    if request == PTRACE_ATTACH:
        os.waitpid(target, 0)  # the target stops
        addr = writable_addr(target)
        ctypes.set_errno(0)
        word = libc.ptrace(PTRACE_PEEKDATA, target, ctypes.c_void_p(addr), None)
        if ctypes.get_errno():
            raise RuntimeError(err("PTRACE_PEEKDATA"))
        if libc.ptrace(PTRACE_POKEDATA, target, ctypes.c_void_p(addr), ctypes.c_void_p(word)) != 0:
            raise RuntimeError(err("PTRACE_POKEDATA"))
    libc.ptrace(PTRACE_DETACH, target, None, None)


def do_vm_writev(target):
    addr = writable_addr(target)
    buf = ctypes.create_string_buffer(16)
    local = IoVec(ctypes.cast(buf, ctypes.c_void_p), 16)
    remote = IoVec(addr, 16)
    if libc.process_vm_readv(target, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) != 16:
        raise RuntimeError(err("process_vm_readv"))
    if libc.process_vm_writev(target, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0) != 16:
        raise RuntimeError(err("process_vm_writev"))


def do_rwx_mmap():
    p = libc.mmap(None, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if p in (None, ctypes.c_void_p(-1).value):
        raise RuntimeError(err("mmap"))
    libc.munmap(p, 4096)


def do_mprotect_rx():
    p = libc.mmap(None, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if p in (None, ctypes.c_void_p(-1).value):
        raise RuntimeError(err("mmap"))
    ctypes.memset(p, 0xc3, 4096)  # "ret": what a loader would copy in before flipping the page
    if libc.mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0:
        raise RuntimeError(err("mprotect"))
    libc.munmap(p, 4096)


def do_memfd_exec():
    if not hasattr(os, "memfd_create"):
        raise SkipVariant("this python has no os.memfd_create")
    fd = os.memfd_create("rtmon-sim", 0)  # no MFD_CLOEXEC: the fd must survive into the exec
    with open(shutil.which("true") or "/bin/true", "rb") as src:
        os.write(fd, src.read())
    os.execve("/proc/self/fd/%d" % fd, ["true"], {})


def with_sibling(variant, rule, body):
    target = dummy()
    try:
        time.sleep(0.05)
        pid, code, why = in_child(variant, body, target)
    finally:
        os.kill(target, signal.SIGKILL)
        os.waitpid(target, 0)
    report(variant, [rule], pid, code, why)


def report(variant, rules, pid, code, why):
    if code == 4:
        skip(variant, why)
    elif code != 0:
        print("%s: FAILED (exit %d): the technique did not run" % (variant, code), flush=True)
        if PIDS:
            with open(PIDS, "a") as f:
                f.write("SKIP - %s failed to run (exit %d)\n" % (variant, code))
    else:
        for r in rules:
            expect(r, pid, variant)


def v_ptrace_attach():
    with_sibling("ptrace_attach", "injection_attempt", lambda t: do_ptrace(t, PTRACE_ATTACH))


def v_ptrace_seize():
    with_sibling("ptrace_seize", "injection_attempt", lambda t: do_ptrace(t, PTRACE_SEIZE))


def do_poke_own_child():
    target = dummy()  # a child of this variant's process: the "debugger on its own child" case
    try:
        time.sleep(0.05)
        do_ptrace(target, PTRACE_ATTACH)
    finally:
        os.kill(target, signal.SIGKILL)
        os.waitpid(target, 0)


def v_poke_child():
    pid, code, why = in_child("poke_child", do_poke_own_child)
    report("poke_child", ["injection_attempt"], pid, code, why)


def v_vm_writev():
    with_sibling("vm_writev", "injection_attempt", do_vm_writev)


def v_rwx_mmap():
    pid, code, why = in_child("rwx_mmap", do_rwx_mmap)
    report("rwx_mmap", ["injection_attempt"], pid, code, why)


def v_mprotect_rx():
    pid, code, why = in_child("mprotect_rx", do_mprotect_rx)
    report("mprotect_rx", ["injection_attempt"], pid, code, why)


def v_memfd_exec():
    pid, code, why = in_child("memfd_exec", do_memfd_exec)
    report("memfd_exec", ["injection_attempt", "suspicious_exec"], pid, code, why)


VARIANTS = ["ptrace_attach", "ptrace_seize", "poke_child", "vm_writev", "rwx_mmap", "mprotect_rx", "memfd_exec"]


def main():
    args = sys.argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    if "--list" in args:
        print("\n".join(VARIANTS))
        return 0
    for a in args:
        if a not in VARIANTS:
            sys.stderr.write("simulate_injection: unknown variant '%s' (known: %s)\n" % (a, " ".join(VARIANTS)))
            return 2
    for v in VARIANTS:
        if not args or v in args:
            globals()["v_" + v]()
    print("simulate_injection: done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
