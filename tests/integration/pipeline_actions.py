#!/usr/bin/env python3
"""Performs each action the kernel side must report, in processes with known pids, and writes
what it did as JSON (argv[1]) for pipeline_check.py. Local only, bounded, self-cleaning."""
import ctypes, json, mmap, os, shutil, signal, socket, sys, time

out_path, workdir = sys.argv[1], sys.argv[2]
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20
did = {"actor": os.getpid(), "parent": os.getppid()}

# 1. exec a binary copied to a unique path, with known argv
exe = os.path.join(workdir, "rtmon-probe-%d" % os.getpid())
shutil.copy("/bin/true", exe)
pid = os.fork()
if pid == 0:
    os.execv(exe, [exe, "--unique-arg", "x y"])
os.waitpid(pid, 0)
did["exec"] = {"pid": pid, "ppid": os.getpid(), "exe": exe, "args": [exe, "--unique-arg", "x y"]}

# 2. connect to a loopback port
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port)); c.close(); srv.close()
did["connect"] = {"pid": os.getpid(), "port": port}

# 2b. the other ways out: UDP connect(), an IPv4-mapped address on an IPv6 socket, TCP Fast Open
#     (sendto, no connect() at all), and a refused IPv6 connect
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4)
tport = srv.getsockname()[1]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
uport = u.getsockname()[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.connect(("127.0.0.1", uport)); s.close(); u.close()
s = socket.socket(socket.AF_INET6); s.connect(("::ffff:127.0.0.1", tport)); s.close()
s = socket.socket(); s.sendto(b"x", socket.MSG_FASTOPEN, ("127.0.0.1", tport)); s.close()
srv.close()
s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); rport = s.getsockname()[1]; s.close()
s = socket.socket(socket.AF_INET6)
try:
    s.connect(("::1", rport))
except ConnectionRefusedError:
    pass
s.close()
did["connect_more"] = {"pid": os.getpid(), "tcp_port": tport, "udp_port": uport, "refused_port": rport}

# 2c. a TCP connect through io_uring (IORING_OP_CONNECT): no connect() syscall at all
import subprocess
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
qport = srv.getsockname()[1]
out = subprocess.run([os.environ["URING_CONNECT"], str(qport)], capture_output=True, text=True, check=True).stdout
srv.close()
upid, ures = (int(kv.split("=")[1]) for kv in out.split())
did["uring"] = {"pid": upid, "port": qport, "res": ures}

# 3. ptrace-attach a child (not our own tracee by TRACEME: a real ATTACH)
child = os.fork()
if child == 0:
    time.sleep(5); os._exit(0)
r = libc.ptrace(16, child, None, None)          # PTRACE_ATTACH
os.waitpid(child, 0)
libc.ptrace(17, child, None, None)              # PTRACE_DETACH
os.kill(child, signal.SIGKILL); os.waitpid(child, 0)
did["ptrace"] = {"pid": os.getpid(), "target": child, "ret": r}

# 4. memfd_create with a unique name
name = "rtmon-memfd-%d" % os.getpid()
fd = os.memfd_create(name); os.close(fd)
did["memfd"] = {"pid": os.getpid(), "name": name}

# 5. mmap an anonymous PROT_EXEC page
addr = libc.mmap(None, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
did["mmap"] = {"pid": os.getpid(), "addr": addr}

# 6. mprotect a page to RWX (in a fresh process: folding is per process and kind)
pid = os.fork()
if pid == 0:
    a = libc.mmap(None, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    rc = libc.mprotect(a, 4096, PROT_READ | PROT_WRITE | PROT_EXEC)
    os._exit(0 if rc == 0 else 3)
_, st = os.waitpid(pid, 0)
did["mprotect"] = {"pid": pid, "status": st}

# 7. a PROT_READ-only mmap storm in its own process: must produce no mmap events
pid = os.fork()
if pid == 0:
    for _ in range(20000):
        a = libc.mmap(None, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        libc.munmap(ctypes.c_void_p(a), ctypes.c_size_t(4096))
    os._exit(0)
os.waitpid(pid, 0)
did["read_storm"] = {"pid": pid}

# 8. a 3-deep process chain: sh -> sh -> the leaf (exec of the copied binary)
leaf = exe + "-leaf"
shutil.copy("/bin/sleep", leaf)
chain = os.fork()
if chain == 0:
    os.execv("/bin/sh", ["sh", "-c", "/bin/sh -c '%s 0.2; true'; true" % leaf])
os.waitpid(chain, 0)
did["chain"] = {"top": chain, "leaf_exe": leaf}
os.unlink(exe); os.unlink(leaf)
json.dump(did, open(out_path, "w"))
