#!/bin/bash
# api_doc_keys.sh: every JSON key rtmon emits in events and alerts (nested keys too) is documented in
# docs/API.md. The JSON comes from `rtmon --replay --trace` over every recording in tests/data (no
# root needed: events as the code formats them, alerts, fold summaries) and, as root with BPF, from
# a live `rtmon --trace --stdout` during the injection and reverse-shell simulations (the keys only
# the kernel side fills: stdin_peer, vma_*, fd/flags, protocol, ...). Fails naming each key.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${RTMON:=${top_builddir:-$top_srcdir}/src/rtmond}"
[ -x "$RTMON" ] || { echo "SKIP: rtmon is not built: $RTMON"; exit 77; }
command -v python3 > /dev/null || { echo "SKIP: needs python3"; exit 77; }
T=$(mktemp -d /tmp/rtmon-apikeys.XXXXXX)
RPID=
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2> /dev/null || true; wait "$RPID" 2> /dev/null || true; fi
	rm -rf "$T"
}
trap cleanup EXIT
conf=$top_srcdir/etc/rtmon/rtmon.conf
n=0
for rec in "$top_srcdir"/tests/data/*.jsonl; do
	"$RTMON" --replay "$rec" --trace -c "$conf" >> "$T/replay.jsonl" 2>> "$T/err" ||
		{ echo "FAIL: rtmon --replay $rec exited $?"; tail "$T/err"; exit 1; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "FAIL: no recordings in tests/data"; exit 1; }
inputs=("$T/replay.jsonl")
echo "replayed $n recordings: $(wc -l < "$T/replay.jsonl") JSON lines"

if [ "$(id -u)" = 0 ] && [ "${RTMON_API_LIVE:-1}" = 1 ]; then
	"$RTMON" --trace --stdout -c "$conf" -o outputs.journal=false -o alerting.fold_window_s=0 \
		> "$T/live.jsonl" 2> "$T/live.err" < /dev/null &
	RPID=$!
	for _ in $(seq 200); do
		grep -q "monitoring:" "$T/live.err" 2> /dev/null && break
		kill -0 "$RPID" 2> /dev/null || break
		sleep 0.05
	done
	if grep -q "monitoring:" "$T/live.err"; then
		python3 "$top_srcdir/scripts/simulate_injection.py" > /dev/null
		bash "$top_srcdir/scripts/simulate_reverse_shell.sh" bash_tcp python_dup_sh > /dev/null
		sleep 0.3
		kill -TERM "$RPID"
		wait "$RPID" || { echo "FAIL: live rtmon exited $?"; tail "$T/live.err"; exit 1; }
		RPID=
		inputs+=("$T/live.jsonl")
		echo "live run: $(wc -l < "$T/live.jsonl") JSON lines"
	else
		echo "note: live rtmon did not start (no BPF here?); replay only:"
		tail -3 "$T/live.err"
	fi
else
	echo "note: not root: replay only (the keys only live events carry are not checked)"
fi
python3 "$top_srcdir/tests/integration/api_doc_keys.py" "$top_srcdir/docs/API.md" "${inputs[@]}" ||
	{ echo "FAIL: keys the code emits are missing from docs/API.md (above)"; exit 1; }
echo PASS
