#!/bin/bash
# pipeline.sh: the real daemon with real BPF sees each action with exact values (exec, fork, exit, connect
# over TCP, UDP, an IPv4-mapped address, TCP Fast Open and io_uring,
# ptrace, memfd_create, PROT_EXEC mmap, RWX mprotect), no event for a PROT_READ-only mmap storm, and the
# lineage of a 3-deep process chain.
. "$(dirname "$0")/lib.sh"
require_root
rtmon_start --trace --stdout
URING_CONNECT=$top_builddir/tests/integration/uring_connect \
	python3 "$top_srcdir/tests/integration/pipeline_actions.py" "$T/did.json" "$T"
rtmon_stop
grep -q "rtmon stopped: events=" "$T/err" || fail "no final counters line"
python3 "$top_srcdir/tests/integration/pipeline_check.py" "$T/out" "$T/did.json" || fail "pipeline checks"
echo PASS
