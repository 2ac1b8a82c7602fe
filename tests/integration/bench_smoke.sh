#!/bin/bash
# bench_smoke.sh: the bench driver end to end, K=1 and tiny durations (no timing is asserted):
# it must print the Markdown table with one row per workload, ratios that parse, a 'lost' column
# of the form DROPPED/TOTAL with integers and TOTAL > 0, and both alert-latency lines with every alert seen.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${RTMON:=$top_builddir/src/rtmond}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to load BPF programs"; exit 77; }
[ -x "$RTMON" ] || { echo "FAIL: rtmon is not built: $RTMON"; exit 1; }
BENCH_BIN=$top_builddir/bench
[ -x "$BENCH_BIN/exec_storm" ] || { echo "FAIL: bench programs not built in $BENCH_BIN"; exit 1; }
out=$(mktemp /tmp/rtmon-bench-smoke.XXXXXX)
trap 'rm -f "$out"' EXIT
wls="exec connect mmap_exec shell"
RTMON=$RTMON BENCH_BIN=$BENCH_BIN BENCH_LAT_N=20 BENCH_LAT_RATE=40 BENCH_IDLE_WAIT=1 BENCH_SETTLE=0.2 \
	bash "$top_srcdir/bench/run.sh" -k 1 -d 0.5 -w "$wls" >"$out" 2>"$out.err" || {
	echo "FAIL: run.sh exited with $?"; cat "$out" "$out.err"; rm -f "$out.err"; exit 1; }
cat "$out"
rm -f "$out.err"
fail() { echo "FAIL: $*"; exit 1; }
header=$(grep '^| workload |' "$out") || fail "no table header"
# the column number of 'lost', from the header
col=$(awk -F'|' '{ for (i = 1; i <= NF; i++) if ($i ~ /^ *lost *$/) print i }' <<<"$header")
[ -n "$col" ] || fail "no 'lost' column in: $header"
rows=$(grep -c '^| .* storm\|^| shell' "$out" || true)
[ "$rows" = 4 ] || fail "expected 4 workload rows, got $rows"
while IFS= read -r row; do
	lost=$(awk -F'|' -v c="$col" '{ gsub(/ /, "", $c); print $c }' <<<"$row")
	[[ $lost =~ ^([0-9]+)/([0-9]+)$ ]] || fail "lost cell '$lost' does not parse in: $row"
	[ "${BASH_REMATCH[2]}" -gt 0 ] || fail "no events counted in: $row"
	ratio=$(awk -F'|' '{ print $6 }' <<<"$row")
	[[ $ratio =~ ^\ [0-9]+\.[0-9]{2}\ \([0-9]+\.[0-9]{2}–[0-9]+\.[0-9]{2}\)\ $ ]] || fail "rtmon ratio '$ratio' does not parse"
done < <(grep '^| .* storm\|^| shell' "$out")
for what in "at idle" "during the connect storm"; do
	line=$(grep -- "- alert latency $what:" "$out") || fail "no latency line '$what'"
	[[ $line =~ p50\ [0-9.]+\ ms,\ p99\ [0-9.]+\ ms ]] || fail "latency does not parse: $line"
	[[ $line == *"(20/20 alerts seen"* ]] || fail "alerts missing: $line"
done
grep -q -- "- rtmon RSS at idle" "$out" || fail "no idle RSS line"
echo "PASS"
