#!/usr/bin/env python3
"""kernel_evasion_actions.py OUT.json: the evasions of issue 16 that need the kernel side, each run for real
in a process of its own, whose pid (and what it did) goes into OUT.json for kernel_evasion.sh to check:
  ld_so        /lib64/ld-linux-x86-64.so.2 /bin/bash with stdin on a TCP socket       (reverse_shell, program)
  ld_so_true   the loader running /bin/true with stdin on a TCP socket                (quiet: not a shell)
  bb_applet    busybox as "sh" (argv[0], as a link to it runs) on a TCP socket         (reverse_shell)
  bb_cmd       "busybox sh" on a TCP socket                                            (reverse_shell)
  rename       a parent renames itself (prctl PR_SET_NAME) after forking; its child's alert shows the new
               name in its lineage, and the parent's own later event carries it
  argv_many / argv_long / argv_short: args_truncated set for too many args, for one too-long arg, not else
  decoy_mprotect  a file-backed mprotect the rule ignores, then within the fold window a real anonymous
               RW->RX one: the real one arrives as its own event
  decoy_mmap   a file-backed RWX mmap, then an anonymous RX one: both arrive, each with its own details
  fold_close   5 identical RW->RX flips, then the process stays alive: the fold summary (fold_count 4)
               arrives before its exit
  poke_child   ATTACH own child (quiet), POKEDATA + SETREGS into it (injection_attempt)
  seize_child  SEIZE own child and detach (quiet)
  double_fork  A forks B, B forks C and exits (C goes to init); A attaches C (injection_attempt,
               target_is_child false)
  adopted      A is a child subreaper; A forks B, B forks C and exits (C is adopted by A); A attaches C
               (quiet: the kernel's real_parent is A, though A never forked C)
Safe: every traced or written process is our own sleeping child; writes put back what was there.
"""
import ctypes
import ctypes.util
import json
import os
import signal
import socket
import sys
import time

libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20
PTRACE_PEEKDATA, PTRACE_POKEDATA, PTRACE_GETREGS, PTRACE_SETREGS = 2, 5, 12, 13
PTRACE_ATTACH, PTRACE_DETACH, PTRACE_SEIZE = 16, 17, 0x4206
PR_SET_NAME, PR_SET_CHILD_SUBREAPER = 15, 36
LD_SO = "/lib64/ld-linux-x86-64.so.2"
did = {}


def die(what):
    raise RuntimeError("%s: %s" % (what, os.strerror(ctypes.get_errno())))


def run(name, body, *args):
    """body(*args) in a fresh process (it may exec); returns its pid once it has exited."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            body(*args)
        except Exception as e:
            sys.stderr.write("%s: %s\n" % (name, e))
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0,):
        raise SystemExit("%s: exit %d" % (name, os.waitstatus_to_exitcode(status)))
    return pid


def on_socket(argv0, path, args):
    """Connects to a listener of ours, puts the socket on stdin only, execs path."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    c = socket.create_connection(srv.getsockname())
    os.dup2(c.fileno(), 0)
    os.execv(path, [argv0] + args)


def sleeper():
    pid = os.fork()
    if pid == 0:
        signal.alarm(20)
        while True:
            time.sleep(1)
    time.sleep(0.05)
    return pid


def kill(pid):
    os.kill(pid, signal.SIGKILL)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def writable_addr(pid):
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            rng, perms = line.split()[:2]
            if perms.startswith("rw") and perms[3] == "p":
                return int(rng.split("-")[0], 16)
    raise RuntimeError("no writable mapping")


# ---- indirection ----

def indirection():
    did["ld_so"] = {"pid": run("ld_so", on_socket, LD_SO, LD_SO, ["/bin/bash", "-c", "exit 0"])}
    did["ld_so_true"] = {"pid": run("ld_so_true", on_socket, LD_SO, LD_SO, ["/bin/true"])}
    bb = "/usr/bin/busybox"
    did["bb_applet"] = {"pid": run("bb_applet", on_socket, "sh", bb, ["-c", "exit 0"])}
    did["bb_cmd"] = {"pid": run("bb_cmd", on_socket, "busybox", bb, ["sh", "-c", "exit 0"])}


def do_rename(name):
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(w)
        os.read(r, 1)  # until the parent has renamed itself
        p = libc.mmap(None, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        libc.munmap(p, 4096)
        os._exit(0)
    os.close(r)
    buf = ctypes.create_string_buffer(name.encode())
    if libc.prctl(PR_SET_NAME, ctypes.addressof(buf), 0, 0, 0):
        die("prctl")
    os.write(w, b"x")
    os.waitpid(child, 0)
    with open(os.environ["KE_OUT"] + ".rename", "w") as f:
        f.write(str(child))
    # the renamed process's own event carries its current name
    p = libc.mmap(None, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    libc.munmap(p, 4096)


def rename():
    name = "kworker/7:%d" % (os.getpid() % 100)
    pid = run("rename", do_rename, name)
    with open(os.environ["KE_OUT"] + ".rename") as f:
        child = int(f.read())
    os.unlink(os.environ["KE_OUT"] + ".rename")
    did["rename"] = {"pid": pid, "child": child, "name": name}


def argv():
    for name, args in (("argv_many", ["ab"] * 3000), ("argv_long", ["x" * 6000]), ("argv_short", ["a", "b"])):
        did[name] = {"pid": run(name, os.execv, "/bin/true", ["true"] + args)}


# ---- memory ----

def file_map(prot):
    fd = os.open("/bin/true", os.O_RDONLY)
    p = libc.mmap(None, 4096, prot, MAP_PRIVATE, fd, 0)
    os.close(fd)
    if p in (None, ctypes.c_void_p(-1).value):
        die("mmap file")
    return p


def anon_rw():
    p = libc.mmap(None, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if p in (None, ctypes.c_void_p(-1).value):
        die("mmap")
    return p


def do_decoy_mprotect():
    d = file_map(PROT_READ)
    if libc.mprotect(d, 4096, PROT_READ | PROT_WRITE | PROT_EXEC):  # file-backed, never writable: no rule
        die("mprotect decoy")
    p = anon_rw()
    if libc.mprotect(p, 4096, PROT_READ | PROT_EXEC):  # the real RW -> RX, within the fold window
        die("mprotect")
    time.sleep(1.5)


def do_decoy_mmap():
    file_map(PROT_READ | PROT_WRITE | PROT_EXEC)
    p = libc.mmap(None, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    if p in (None, ctypes.c_void_p(-1).value):
        die("mmap")


def do_fold_close():
    for _ in range(5):
        p = anon_rw()
        if libc.mprotect(p, 4096, PROT_READ | PROT_EXEC):
            die("mprotect")
    time.sleep(2.0)  # alive well past the window: the summary must not wait for the exit


def memory():
    did["decoy_mprotect"] = {"pid": run("decoy_mprotect", do_decoy_mprotect)}
    did["decoy_mmap"] = {"pid": run("decoy_mmap", do_decoy_mmap)}
    did["fold_close"] = {"pid": run("fold_close", do_fold_close)}


# ---- ptrace ----

def do_poke_child():
    t = sleeper()
    try:
        if libc.ptrace(PTRACE_ATTACH, t, None, None):
            die("PTRACE_ATTACH")
        os.waitpid(t, 0)
        addr = writable_addr(t)
        ctypes.set_errno(0)
        word = libc.ptrace(PTRACE_PEEKDATA, t, ctypes.c_void_p(addr), None)
        if ctypes.get_errno():
            die("PEEKDATA")
        if libc.ptrace(PTRACE_POKEDATA, t, ctypes.c_void_p(addr), ctypes.c_void_p(word)):
            die("POKEDATA")
        regs = ctypes.create_string_buffer(27 * 8)  # struct user_regs_struct
        if libc.ptrace(PTRACE_GETREGS, t, None, ctypes.cast(regs, ctypes.c_void_p)):
            die("GETREGS")
        if libc.ptrace(PTRACE_SETREGS, t, None, ctypes.cast(regs, ctypes.c_void_p)):
            die("SETREGS")
        libc.ptrace(PTRACE_DETACH, t, None, None)
    finally:
        kill(t)
    with open(os.environ["KE_OUT"] + ".t", "w") as f:
        f.write(str(t))


def do_seize_child():
    t = sleeper()
    try:
        if libc.ptrace(PTRACE_SEIZE, t, None, None):
            die("PTRACE_SEIZE")
        libc.ptrace(PTRACE_DETACH, t, None, None)
    finally:
        kill(t)
    with open(os.environ["KE_OUT"] + ".t", "w") as f:
        f.write(str(t))


def grandchild(subreaper):
    """A forks B, B forks C (sleeping) and exits: C goes to init, or to A when A is a subreaper."""
    if subreaper and libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0):
        die("PR_SET_CHILD_SUBREAPER")
    r, w = os.pipe()
    b = os.fork()
    if b == 0:
        c = os.fork()
        if c == 0:
            signal.alarm(20)
            while True:
                time.sleep(1)
        os.write(w, str(c).encode())
        os._exit(0)
    os.waitpid(b, 0)
    c = int(os.read(r, 32))
    time.sleep(0.1)
    return c


def attach_grandchild(subreaper):
    c = grandchild(subreaper)
    try:
        if libc.ptrace(PTRACE_ATTACH, c, None, None):
            die("PTRACE_ATTACH")
        os.waitpid(c, 0) if subreaper else time.sleep(0.05)
        libc.ptrace(PTRACE_DETACH, c, None, None)
    finally:
        os.kill(c, signal.SIGKILL)
        if subreaper:
            os.waitpid(c, 0)
    with open(os.environ["KE_OUT"] + ".t", "w") as f:
        f.write(str(c))


def with_target(name, body, *args):
    pid = run(name, body, *args)
    with open(os.environ["KE_OUT"] + ".t") as f:
        t = int(f.read())
    os.unlink(os.environ["KE_OUT"] + ".t")
    did[name] = {"pid": pid, "target": t}


def ptrace():
    with_target("poke_child", do_poke_child)
    with_target("seize_child", do_seize_child)
    with_target("double_fork", attach_grandchild, False)
    with_target("adopted", attach_grandchild, True)


def main():
    os.environ["KE_OUT"] = sys.argv[1]
    indirection()
    rename()
    argv()
    memory()
    ptrace()
    with open(sys.argv[1], "w") as f:
        json.dump(did, f)


if __name__ == "__main__":
    main()
