#!/bin/bash
# detect_attacks.sh: the real daemon with real BPF and the shipped default rules catches every
# simulated attack (scripts/simulate_*): for each variant that ran, an alert with the exact rule id
# and the exact pid of the acting process. Skipped variants (tool not installed) are listed.
# With the shipped configuration as users run it (folding and rate limits on): each variant must
# still get its own full alert, never only a count in a summary.
# The simulations run detached from this test's process tree (scripts/sim_detach.py): under
# `make check`, make is an ancestor, and the build-tool exception would excuse suspicious_exec.
. "$(dirname "$0")/lib.sh"
require_root
sims=${RTMON_SIMS:-"simulate_reverse_shell.sh simulate_injection.py simulate_suspicious_exec.sh"}
export RTMON_SIM_PIDS=$T/pids
: > "$RTMON_SIM_PIDS"
rtmon_start --stdout -c "$top_srcdir/etc/rtmon/rtmon.conf"
for s in $sims; do
	echo "--- $s"
	case $s in *.py) interp=python3 ;; *) interp=bash ;; esac
	RTMON_SIM_TIMEOUT=${RTMON_SIM_TIMEOUT:-90} python3 "$top_srcdir/scripts/sim_detach.py" "$interp" "$top_srcdir/scripts/$s" ||
		fail "$s exited with $?"
done
rtmon_stop
echo "--- alerts"
python3 "$top_srcdir/tests/integration/sim_check.py" expect "$T/out" "$RTMON_SIM_PIDS" ||
	fail "missing alerts (above)"
echo PASS
