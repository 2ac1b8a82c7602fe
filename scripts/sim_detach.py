#!/usr/bin/env python3
# sim_detach.py CMD [ARGS...]: run CMD outside the caller's process tree and wait for it.
#
# Why: rules such as suspicious_exec and hidden_exec make an exception for processes whose
# ancestors are build tools (make, ninja, ...), because builds run what they just compiled from
# trees under /tmp.  `make check` is such an ancestor, so a simulation started from a test under
# make would be excused and prove nothing.  This helper double-forks: the middle process exits,
# the kernel reparents the runner to init (or the nearest child subreaper), and only then does the
# runner start CMD.  CMD's lineage is then [runner, init]: no build tool in it.
#
# stdin/stdout/stderr are inherited; the exit status of CMD comes back over a pipe.  Bounded:
# RTMON_SIM_TIMEOUT seconds (default 120), then CMD's process group is killed.
import os
import signal
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: sim_detach.py CMD [ARGS...]\n")
        return 2
    timeout = float(os.environ.get("RTMON_SIM_TIMEOUT", "120"))
    rd, wr = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(rd)
        if os.fork() != 0:
            os._exit(0)  # the runner is orphaned now
        # runner: wait until the middle process is gone and we are reparented
        parent = os.getppid()
        deadline = time.monotonic() + 5
        while os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.005)
        rc = 125
        try:
            p = subprocess.Popen(sys.argv[1:], start_new_session=True)
            try:
                rc = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                sys.stderr.write("sim_detach: %s timed out after %gs, killed\n" % (sys.argv[1], timeout))
                rc = 124
            if rc < 0:
                rc = 128 - rc
        except OSError as e:
            sys.stderr.write("sim_detach: cannot run %s: %s\n" % (sys.argv[1], e))
            rc = 127
        os.write(wr, b"%d\n" % rc)
        os._exit(0)
    os.close(wr)
    os.waitpid(middle, 0)
    with os.fdopen(rd, "rb") as f:
        data = f.read().strip()
    return int(data) if data else 125


if __name__ == "__main__":
    sys.exit(main())
