#!/usr/bin/env python3
"""Makes a live rtmon raise alerts for the dashboard end-to-end test (default rules).

Prints one line per probe: "EXPECT <rule_id> <pid>" when the default rules must fire,
"MAYBE <rule_id> <pid>" when a default exception may legitimately hold it back
(e.g. suspicious_exec under make, a build tool ancestor).
  trigger.py main   injection_attempt (memfd_create under a comm with markup in it),
                    injection_attempt under a comm with U+202E, whose process then runs commands
                    (an incident with a timeline),
                    reverse_shell (a shell exec'd with stdin/stdout on a TCP socket),
                    suspicious_exec (a binary run from /tmp)
  trigger.py more   one more injection_attempt (for the pause test)
"""
import ctypes
import os
import shutil
import socket
import sys
import tempfile

PR_SET_NAME = 15
libc = ctypes.CDLL(None, use_errno=True)


def in_child(fn):
    pid = os.fork()
    if pid == 0:
        try:
            fn()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return pid


def memfd(comm):
    def run():
        libc.prctl(PR_SET_NAME, comm.encode(), 0, 0, 0)
        os.close(os.memfd_create("rtmon-e2e"))  # no MFD_ALLOW_SEALING: injection_attempt
    return run


def memfd_then_commands(comm):
    """injection_attempt, then the same process runs commands: an incident with a timeline."""
    def run():
        libc.prctl(PR_SET_NAME, comm.encode(), 0, 0, 0)
        os.close(os.memfd_create("rtmon-e2e"))
        os.execv("/bin/sh", ["sh", "-c", "/bin/true rtmon-e2e-step1; /bin/echo rtmon-e2e-step2 >/dev/null"])
    return run


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "main"
    if mode == "more":
        print("EXPECT injection_attempt", in_child(memfd("rtmon-e2e-2")), flush=True)
        return
    # attacker-controlled text: the dashboard must show it literally
    print("EXPECT injection_attempt", in_child(memfd("<i>rtmon</i>")), flush=True)
    # a RIGHT-TO-LEFT OVERRIDE in the name, and an incident whose timeline holds the commands run after
    print("EXPECT injection_attempt", in_child(memfd_then_commands("e2e\u202eexe")), flush=True)

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]

    def shell_on_socket():
        s = socket.create_connection(("127.0.0.1", port))
        os.dup2(s.fileno(), 0)
        os.dup2(s.fileno(), 1)
        os.execv("/bin/sh", ["sh", "-c", "exit 0"])

    print("MAYBE reverse_shell", in_child(shell_on_socket), flush=True)
    srv.close()

    d = tempfile.mkdtemp(prefix="rtmon-e2e-", dir="/tmp")
    try:
        exe = os.path.join(d, "e2e-true")
        shutil.copy("/bin/true", exe)
        print("MAYBE suspicious_exec", in_child(lambda: os.execv(exe, [exe])), flush=True)
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
