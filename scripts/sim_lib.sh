# sim_lib.sh: helpers shared by scripts/simulate_*.sh (sourced, bash).
#
# Every simulation prints, per variant, the alert rtmon should raise:
#   expect: RULE_ID pid=PID (variant NAME)
# and, when the environment names a file in RTMON_SIM_PIDS, appends one line per expectation:
#   RULE_ID PID VARIANT
# (PID may be "A|B" when the alert may name either of two processes), or, for a variant that could not run here:
#   SKIP - VARIANT reason...
# Tests read that file to assert the exact alerts (rule and pid).

SIM_NAME=${SIM_NAME:-$(basename "$0")}
SIM_PIDS=${RTMON_SIM_PIDS:-}

sim_expect() { # RULE PID VARIANT
	echo "expect: $1 pid=$2 (variant $3)"
	[ -z "$SIM_PIDS" ] || echo "$1 $2 $3" >> "$SIM_PIDS"
}

sim_skip() { # VARIANT REASON...
	local v=$1
	shift
	echo "skip: $v: $*"
	[ -z "$SIM_PIDS" ] || echo "SKIP - $v $*" >> "$SIM_PIDS"
}

sim_note() { echo "$SIM_NAME: $*" >&2; }

# sim_selected VARIANT: true when no variant was named on the command line, or this one was.
sim_selected() {
	local v
	[ "${#SIM_ONLY[@]}" -eq 0 ] && return 0
	for v in "${SIM_ONLY[@]}"; do [ "$v" = "$1" ] && return 0; done
	return 1
}

# sim_check_names KNOWN...: every variant named on the command line must be one of KNOWN.
sim_check_names() {
	local v k ok
	for v in "${SIM_ONLY[@]}"; do
		ok=0
		for k in "$@"; do [ "$v" = "$k" ] && ok=1; done
		[ "$ok" = 1 ] || { echo "$SIM_NAME: unknown variant '$v' (known: $*)" >&2; exit 2; }
	done
}

# sim_wait_pid PID SECONDS: waits for a child; kills it (and reports) past the deadline.
sim_wait_pid() {
	local pid=$1 secs=$2 i
	for ((i = 0; i < secs * 20; i++)); do
		kill -0 "$pid" 2> /dev/null || { wait "$pid" 2> /dev/null; return 0; }
		sleep 0.05
	done
	sim_note "pid $pid still running after ${secs}s, killing it"
	kill -KILL "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	return 1
}

# The real interpreter behind a shim (pyenv): its pid is the one that acts.
sim_python() {
	python3 -c 'import sys; print(sys.executable)'
}
