#!/bin/bash
# Proves rtmond --aggregate (issue 22) with real daemons: three rtmond nodes on this machine (hostnames node-a,
# node-b, node-c; their own ports; a token) feed one aggregator started as root. The aggregator drops to an
# unprivileged uid (CapEff 0, NoNewPrivs 1), forwards each node's alerts once - byte-identical JSON, the node's
# host and id - even with one node listed twice (dedupe by host and id), and serves them from its own /events
# and /api/alerts. An unsealed memfd_create by a python process whose pid we know raises injection_attempt on
# all three nodes: the aggregator holds exactly the ids each node holds for that pid. Stopped, it misses a
# second memfd; restarted, it holds every alert the nodes still hold (exact ids per host), prints on stdout only
# what it had not forwarded before (state_file), and a node that restarts is picked up again.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"

. "$top_srcdir/tests/integration/aggregate_lib.sh"
nodes_start
echo "ok   three nodes: ${NPORT[node-a]} ${NPORT[node-b]} ${NPORT[node-c]}"
mkdir -p "$T/dash"
echo '<!doctype html><title>rtmon</title>' > "$T/dash/index.html"
chmod 755 "$T/dash"
chmod 644 "$T/dash/index.html"
# node-a twice (by address and by name): its alerts must still come out once
agg_config "$T/dash" "127.0.0.1:${NPORT[node-a]}" "localhost:${NPORT[node-a]}" "127.0.0.1:${NPORT[node-b]}" \
	"127.0.0.1:${NPORT[node-c]}"
agg_start 1 4

# unprivileged, from outside
ST=/proc/$APID/status
[ "$(awk '/^Uid:/ {print $2}' "$ST")" = "$(id -u "$AUSER")" ] || fail "the aggregator runs as uid $(awk '/^Uid:/ {print $2}' "$ST")"
[ "$(awk '/^CapEff:/ {print $2}' "$ST")" = 0000000000000000 ] || fail "the aggregator has capabilities: $(grep Cap "$ST")"
[ "$(awk '/^NoNewPrivs:/ {print $2}' "$ST")" = 1 ] || fail "no_new_privs is not set"
echo "ok   aggregator pid $APID runs as $AUSER, CapEff 0, NoNewPrivs 1"

P1=$(memfd agg-one)

agg_api() { # FILE: the aggregator's /api/alerts as JSON lines
	curl -s -H "Authorization: Bearer $ATOKEN" "http://127.0.0.1:$APORT/api/alerts?limit=8192" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d["alerts"] if isinstance(d, dict) else d
for a in d: print(json.dumps(a))' > "$1"
}
wait_all "$P1" "$AGG/out.1" || fail "not every node's alert for pid $P1 reached the aggregator: $(cat "$AGG/out.1" | head -5)"
for n in $NODES; do
	want=$(node_ids "$n" "$P1")
	[ -n "$want" ] || fail "$n has no injection_attempt for pid $P1"
	got=$(agg_ids "$n" "$P1" "$AGG/out.1")
	[ "$got" = "$want" ] || fail "$n: aggregator stdout has ids '$got', the node '$want'"
	# byte-identical: the aggregator's line is the node's --stdout line
	line=$(grep -F "\"id\":\"$want\"" "$AGG/out.1" | grep -F "\"host\":\"$n\"")
	grep -qxF "$line" "$T/$n.out" || fail "$n: the aggregator's JSON differs from the node's"
	echo "ok   $n alert $want for pid $P1 forwarded once, byte-identical"
done
# node-a is listed twice: every (host, id) came out once
python3 - "$AGG/out.1" <<'EOF' || fail "duplicates on the aggregator's stdout"
import collections, json, sys
c = collections.Counter((json.loads(l)["host"], json.loads(l)["id"]) for l in open(sys.argv[1]))
dup = [k for k, v in c.items() if v > 1]
assert not dup, dup[:5]
EOF
curl -s "http://127.0.0.1:$APORT/metrics" -H "Authorization: Bearer $ATOKEN" > "$T/metrics"
grep -q '^rtmon_aggregate_duplicates_total [1-9]' "$T/metrics" || fail "no duplicates counted: $(grep aggregate "$T/metrics")"
grep -q "^rtmon_aggregate_node_up{node=\"127.0.0.1:${NPORT[node-b]}\"} 1" "$T/metrics" || fail "node-b not up in /metrics"
curl -s "http://127.0.0.1:$APORT/healthz" | grep -q '"nodes_up":4' || fail "healthz: $(curl -s "http://127.0.0.1:$APORT/healthz")"
echo "ok   node-a listed twice: no duplicate; /metrics and /healthz report 4 node streams"

# restart: the aggregator misses a second memfd, then gets it from the nodes' history
agg_stop
[ -s "$AGG/state" ] || fail "no state file written"
P2=$(memfd agg-two)
for n in $NODES; do for _ in $(seq 30); do [ -n "$(node_ids "$n" "$P2")" ] && break; sleep 0.1; done; done
agg_start 2 4
wait_all "$P2" "$AGG/out.2" || fail "after the restart, the alerts for pid $P2 did not arrive"
sleep 0.5
agg_api "$T/api.2"
for n in $NODES; do
	for p in "$P1" "$P2"; do
		want=$(node_ids "$n" "$p")
		got=$(agg_ids "$n" "$p" "$T/api.2")
		[ "$got" = "$want" ] || fail "after the restart, $n pid $p: the aggregator holds '$got', the node '$want'"
	done
	# stdout (journald, syslog alike) gets what was not forwarded before: pid 2's alert, not pid 1's again
	[ -z "$(agg_ids "$n" "$P1" "$AGG/out.2")" ] || fail "$n: pid $P1's alert forwarded twice across the restart"
	[ "$(agg_ids "$n" "$P2" "$AGG/out.2")" = "$(node_ids "$n" "$P2")" ] || fail "$n: pid $P2's alert not forwarded"
	echo "ok   $n after an aggregator restart: $(node_ids "$n" "$P1") and $(node_ids "$n" "$P2") held, only the second re-sent"
done
# every alert every node still holds is in the aggregator (exact ids per host): the nodes first, then the
# aggregator a moment later (alerts raised in between are in both)
for n in $NODES; do
	curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${NPORT[$n]}/api/alerts?limit=1024" > "$T/$n.api"
done
sleep 1
agg_api "$T/api.3"
python3 - "$T/api.3" "$T/node-a.api" "$T/node-b.api" "$T/node-c.api" <<'EOF' || fail "the aggregator misses alerts the nodes hold"
import json, sys
have = set()
for l in open(sys.argv[1]):
    a = json.loads(l)
    have.add((a["host"], a["id"]))
for f in sys.argv[2:]:
    d = json.load(open(f))
    d = d["alerts"] if isinstance(d, dict) else d
    assert d, f + ": the node holds no alert"
    miss = [(a["host"], a["id"]) for a in d if (a["host"], a["id"]) not in have]
    assert not miss, miss[:5]
EOF
echo "ok   the aggregator holds every alert the three nodes hold"

# a node restart: the aggregator reconnects and takes its new alerts (new run, ids start again)
kill -TERM "${NPID[node-c]}"; wait "${NPID[node-c]}" || true
node_start node-c; node_wait node-c
P3=$(memfd agg-three)
for _ in $(seq 80); do [ -n "$(agg_ids node-c "$P3" "$AGG/out.2")" ] && break; sleep 0.1; done
[ "$(agg_ids node-c "$P3" "$AGG/out.2")" = "$(node_ids node-c "$P3")" ] || fail "node-c's alert after its restart did not arrive"
echo "ok   node-c restarted: its new alert $(node_ids node-c "$P3") arrived"

agg_stop
grep -q "rtmon aggregator stopped: alerts=" "$AGG/err.2" || fail "no final line"
echo "ok   aggregator stopped cleanly"
