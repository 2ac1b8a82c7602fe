#!/bin/bash
# benign_quiet.sh: the real daemon with real BPF and the shipped default rules raises ZERO alerts for
# ordinary work (scripts/benign_workload.sh: a parallel C build under /tmp, git, python scripts, a
# shell pipeline, curl to a local http server, tar/gzip, ssh-keygen). An alert counts as the
# workload's when its event pid is in the workload's process tree (from the fork/exec events of
# --trace) or the workload's root pid is in its lineage; other host activity is ignored. Every
# unexpected alert is printed in full. The workload runs detached (scripts/sim_detach.py) so that
# `make check` is not among its ancestors: the build-tool exceptions must be earned by the
# workload's own make, not by the test harness's.
. "$(dirname "$0")/lib.sh"
require_root
export RTMON_SIM_ROOT=$T/root
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
RTMON_SIM_TIMEOUT=${RTMON_SIM_TIMEOUT:-240} python3 "$top_srcdir/scripts/sim_detach.py" bash "$top_srcdir/scripts/benign_workload.sh" ||
	fail "the workload failed (exit $?)"
rtmon_stop
[ -s "$RTMON_SIM_ROOT" ] || fail "the workload did not record its pid"
root=$(cat "$RTMON_SIM_ROOT")
grep -q "\"pid\":$root," "$T/out" || fail "no event of the workload's root pid $root was traced"
python3 "$top_srcdir/tests/integration/sim_check.py" quiet "$T/out" "$root" ||
	fail "the benign workload raised alerts (above)"
echo PASS
