#!/usr/bin/env python3
# file_access_actions.py OUT.json: the file-access techniques of tests/integration/file_access.sh, each in
# its own child process (its pid is the actor's), and their near misses. Writes a JSON list of
# {"want": RULE or "", "pid": N, "path": P, "what": ...}; restores every file it touched.
import json, os, subprocess, sys, time

did = []


def child(want, path, what, fn):
    """Runs fn() in a forked child; records its pid."""
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    did.append({"want": want, "pid": pid, "match": {"path": path} if want else {}, "what": what})
    time.sleep(0.05)


def read(path):
    with open(path, "rb") as f:
        f.read(64)


def append(path, data=b""):
    with open(path, "ab") as f:
        f.write(data)


def write_new(path, data, mode=0o644):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.write(fd, data)
    os.close(fd)


def main():
    out = sys.argv[1]
    tag = "rtmon-test-%d" % os.getpid()
    created = []
    # credentials read with python open(): no exec of a "reading tool" at all
    child("sensitive_file_read", "/etc/shadow", "python open /etc/shadow", lambda: read("/etc/shadow"))
    # persistence: a cron.d file, a sudoers drop-in, a systemd unit, the loader preload, root's authorized_keys
    for path, data in ((f"/etc/cron.d/{tag}", b"# rtmon test: never runs\n"),
                       (f"/etc/sudoers.d/{tag}", b"# rtmon test\n"),
                       (f"/etc/systemd/system/{tag}.service", b"[Unit]\nDescription=rtmon test\n")):
        created.append(path)
        child("persistence_write", path, "write " + path, lambda p=path, d=data: write_new(p, d, 0o440))
    preload = "/etc/ld.so.preload"
    if not os.path.exists(preload):
        created.append(preload)
        # opened for append and closed empty: the loader reads an empty preload list
        child("persistence_write", preload, "open for write " + preload, lambda: append(preload))
    keys = "/root/.ssh/authorized_keys"
    if not os.path.exists(keys):
        created.append(keys)
    child("persistence_write", keys, "append to " + keys, lambda: append(keys))
    # a file written elsewhere and moved into place (the destination of a rename)
    staged = f"/var/tmp/{tag}.cron"
    write_new(staged, b"# rtmon test\n")
    moved = f"/etc/cron.d/{tag}-mv"
    created.append(moved)
    child("persistence_write", moved, "rename into " + moved, lambda: os.rename(staged, moved))
    # another process's memory through /proc/PID/mem (its own child: still another process)
    victim = subprocess.Popen(["sleep", "30"])
    mem = f"/proc/{victim.pid}/mem"

    def poke():
        with open(mem, "r+b", buffering=0) as f:
            f.seek(0x10000)
    child("injection_attempt", mem, "open for write " + mem, poke)
    victim.kill()
    victim.wait()
    # logs: one truncated by a redirection-style open, one by ftruncate (truncate -s 0), one deleted
    logs = [f"/var/log/{tag}-{n}.log" for n in ("redirect", "ftruncate", "unlink")]
    for log in logs:
        write_new(log, b"line\n" * 10)
        created.append(log)
    child("log_tampering", logs[0], "open O_TRUNC " + logs[0], lambda: write_new(logs[0], b""))

    def ftrunc():
        fd = os.open(logs[1], os.O_WRONLY)
        os.ftruncate(fd, 0)
        os.close(fd)
    child("log_tampering", logs[1], "ftruncate " + logs[1], ftrunc)
    child("log_tampering", logs[2], "unlink " + logs[2], lambda: os.unlink(logs[2]))
    # near misses
    log2 = f"/var/log/{tag}-append.log"
    write_new(log2, b"")
    child("", log2, "append to a log", lambda: append(log2, b"entry\n"))
    os.unlink(log2)
    child("", "/etc/passwd", "read /etc/passwd", lambda: read("/etc/passwd"))
    child("", "/etc/ssh/ssh_config", "read a public config", lambda: read("/etc/ssh/ssh_config")
          if os.path.exists("/etc/ssh/ssh_config") else None)
    child("", f"/tmp/{tag}", "write /tmp", lambda: write_new(f"/tmp/{tag}", b"x"))
    os.unlink(f"/tmp/{tag}")
    child("", "/proc/self/mem", "open own /proc/self/mem for write",
          lambda: open("/proc/self/mem", "r+b", buffering=0).close())
    child("", f"/etc/cron.d/{tag}", "read a cron file", lambda: read(f"/etc/cron.d/{tag}"))
    for p in created:
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
    json.dump(did, open(out, "w"))


main()
