#!/bin/bash
# shell_mix.sh - a bash loop of small pipelines (echo | grep | sed | wc, and a
# command substitution), for -d SECONDS. Prints the result line the driver
# parses: ops_per_s=<iterations per second> ops=<iterations> elapsed_s=<s>
set -u
dur=5
while getopts d: o; do
	case $o in
	d) dur=$OPTARG ;;
	*) echo "usage: $0 [-d SECONDS]" >&2; exit 2 ;;
	esac
done
start=$EPOCHREALTIME
end=$(awk -v s="$start" -v d="$dur" 'BEGIN { printf "%.6f", s + d }')
end_us=${end/./}
n=0
while :; do
	now=${EPOCHREALTIME/./}
	((now >= end_us)) && break
	echo "alpha beta gamma $n" | grep -v zeta | sed -e 's/beta/delta/' | wc -c >/dev/null
	x=$(printf '%s\n' one two three | sort | head -n 1)
	[ "$x" = one ] || { echo "shell_mix: unexpected output '$x'" >&2; exit 1; }
	n=$((n + 1))
done
now=$EPOCHREALTIME
awk -v n="$n" -v s="$start" -v e="$now" 'BEGIN { el = e - s; printf "ops_per_s=%.1f ops=%d elapsed_s=%.3f\n", n / el, n, el }'
