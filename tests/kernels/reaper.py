#!/usr/bin/env python3
# reaper.py CMD [ARGS...]: run CMD as a child subreaper that reaps every orphan below it, like an init.
# In a check-kernels guest PID 1 is a bash script; the simulations double-fork (scripts/sim_detach.py)
# and wait for their actors' pids to vanish, which needs a parent that reaps them at once.
import ctypes
import os
import signal
import sys

PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
child = os.fork()
if child == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
for s in (signal.SIGTERM, signal.SIGINT):
    signal.signal(s, lambda n, f: os.kill(child, n))
rc = 1
while True:
    try:
        pid, st = os.wait()
    except ChildProcessError:
        break
    except InterruptedError:
        continue
    if pid == child:
        rc = os.waitstatus_to_exitcode(st)
        rc = 128 - rc if rc < 0 else rc
        break  # leftovers (a test's stray background process) go on to PID 1
sys.exit(rc)
