#!/bin/bash
# replay_rules.sh: every recording in tests/data through `rtmon --replay` (no root, no BPF) fires exactly
# the rules its "# expect:" line names (none for a near miss), and --check-config gives the exact
# FILE:LINE message for each bad config in tests/data/bad (exit 1) and accepts the shipped file (exit 0).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
RTMON=${RTMON:-$top_srcdir/src/rtmon}
if [ ! -x "$RTMON" ]; then
	echo "SKIP: rtmon not built at $RTMON"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 needed to parse alert JSON"; exit 77; }
tmp=$(mktemp -d /tmp/rtmon-replay-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
conf=$top_srcdir/etc/rtmon/rtmon.conf
fail=0
n=0

for rec in "$top_srcdir"/tests/data/*.jsonl; do
	n=$((n + 1))
	name=$(basename "$rec")
	want=$(sed -n 's/^# expect: *//p' "$rec" | head -n1 | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
	if ! timeout 30 "$RTMON" --replay "$rec" -c "$conf" >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL: $name: rtmon --replay exited $?"; cat "$tmp/err"; fail=1; continue
	fi
	# rule ids of the alerts (fold / rate-limit summaries included); every line must be alert or
	# incident-update JSON
	got=$(python3 - "$tmp/out" <<'PY'
import json, sys
ids = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert o["kind"] in ("alert", "incident"), line
    assert o["reason"] and o["mitre"] and o["severity"], line
    if o["kind"] == "incident":
        # an update belongs to an incident an alert opened, and names its timeline
        assert o["incident_id"] and o["incident"]["timeline"], line
        continue
    ids.add(o["rule_id"])
print(" ".join(sorted(ids)), end="")
PY
) || { echo "FAIL: $name: output is not alert JSON lines"; head -3 "$tmp/out"; fail=1; continue; }
	[ -n "$got" ] && got="$got "
	if [ "$got" != "$want" ]; then
		echo "FAIL: $name: fired [${got% }], expected [${want% }]"
		python3 -c 'import json,sys
for l in open(sys.argv[1]): o=json.loads(l); print("   ", o["rule_id"], "|", o["reason"])' "$tmp/out"
		fail=1
	else
		echo "ok: $name: [${want% }]"
	fi
done
[ "$n" -ge 30 ] || { echo "FAIL: only $n recordings"; fail=1; }

# pids: the reverse shell alerts name the processes that did it (bash 2301, which socat 2300 ran
# with exec:, joins socat's incident: it is in that incident's timeline, not alerted again)
pids=$("$RTMON" --replay "$top_srcdir/tests/data/reverse_shell.fire.jsonl" -c "$conf" 2>/dev/null |
	python3 -c 'import json,sys
print(" ".join(sorted({str(json.loads(l)["event"]["pid"]) for l in sys.stdin if "event" in json.loads(l)})))')
# incidents in a replay: deterministic (ids from the recording's times), and the socat exec:bash
# incident's timeline holds the bash 2301 it ran, with the rule it matched
"$RTMON" --replay "$top_srcdir/tests/data/reverse_shell.fire.jsonl" -c "$conf" > "$tmp/r1" 2>/dev/null
"$RTMON" --replay "$top_srcdir/tests/data/reverse_shell.fire.jsonl" -c "$conf" > "$tmp/r2" 2>/dev/null
if ! cmp -s "$tmp/r1" "$tmp/r2"; then
	echo "FAIL: two replays of reverse_shell.fire.jsonl differ"; fail=1
elif ! python3 - "$tmp/r1" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
socat = [o for o in lines if o["kind"] == "alert" and o.get("event", {}).get("pid") == 2300][0]
ups = [o for o in lines if o["kind"] == "incident" and o["incident_id"] == socat["incident_id"]]
tl = ups[-1]["incident"]["timeline"]
assert [(e["pid"], e["exe"], e.get("rules")) for e in tl if e["type"] == "exec"] == \
    [(2300, "/usr/bin/socat", ["reverse_shell"]), (2301, "/usr/bin/bash", ["reverse_shell"])], tl
assert ups[-1]["incident"]["state"] == "closed" and ups[-1]["incident"]["close_reason"] == "shutdown"
PY
then
	echo "FAIL: the socat incident's timeline"; fail=1
else
	echo "ok: replay is deterministic; socat 2300's incident holds bash 2301"
fi

if [ "$pids" != "2000 2100 2200 2300 2400 2500 2600 2700" ]; then
	echo "FAIL: reverse_shell alert pids [$pids]"; fail=1
else
	echo "ok: reverse_shell alert pids [$pids]"
fi

# --check-config
if ! out=$("$RTMON" --check-config -c "$conf" 2>&1); then
	echo "FAIL: --check-config rejects the shipped file: $out"; fail=1
fi
for bad in "$top_srcdir"/tests/data/bad/*.conf; do
	want="$bad$(sed -n 's/^# expect: *//p' "$bad" | head -n1)"
	out=$("$RTMON" --check-config -c "$bad" 2>&1)
	rc=$?
	if [ "$rc" -ne 1 ]; then
		echo "FAIL: --check-config $(basename "$bad") exited $rc"; fail=1
	elif ! grep -qxF -- "$want" <<<"$out"; then
		echo "FAIL: --check-config $(basename "$bad"): expected line"; echo "   $want"; echo "got:"; echo "$out"
		fail=1
	else
		echo "ok: --check-config $(basename "$bad")"
	fi
done
exit $fail
