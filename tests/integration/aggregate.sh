#!/bin/bash
# Proves rtmond --aggregate (issue 22) with real daemons: three rtmond nodes on this machine (hostnames node-a,
# node-b, node-c; their own ports; a token) feed one aggregator started as root. The aggregator drops to an
# unprivileged uid (CapEff 0, NoNewPrivs 1), forwards each node's alerts once - byte-identical JSON, the node's
# host and id - even with one node listed twice (dedupe by host and id), and serves them from its own /events
# and /api/alerts. An unsealed memfd_create by a python process whose pid we know raises injection_attempt on
# all three nodes: the aggregator holds exactly the ids each node holds for that pid. Stopped, it misses a
# second memfd; restarted, it holds every alert the nodes still hold (exact ids per host), prints on stdout only
# what it had not forwarded before (state_file), and a node that restarts is picked up again.
# With AGG_KEEP=DIR, the three nodes and the aggregator keep running for the dashboard test (see the end).
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TOKEN=node-$RANDOM$RANDOM
ATOKEN=agg-$RANDOM$RANDOM
declare -A NPID NPORT
NODES="node-a node-b node-c"
APID=

cleanup() {
	for n in $NODES; do
		[ -n "${NPID[$n]:-}" ] && { kill "${NPID[$n]}" 2> /dev/null || true; wait "${NPID[$n]}" 2> /dev/null || true; }
	done
	[ -n "$APID" ] && { kill "$APID" 2> /dev/null || true; wait "$APID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap cleanup EXIT

node_start() {
	local n=$1
	RTMON_LOCK_FILE=$T/$n.lock "$RTMON" -o outputs.journal=false -o "process.hostname=$n" \
		-o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:${NPORT[$n]}" -o "outputs.sse.token=$TOKEN" \
		-o outputs.sse.keepalive_s=1 --stdout > "$T/$n.out" 2> "$T/$n.err" < /dev/null &
	NPID[$n]=$!
}
node_wait() {
	local n=$1
	for _ in $(seq 300); do
		kill -0 "${NPID[$n]}" 2> /dev/null || { tail "$T/$n.err"; fail "$n exited at start"; }
		grep -q "monitoring:" "$T/$n.err" 2> /dev/null && return 0
		sleep 0.05
	done
	fail "$n did not attach in 15 s"
}
for n in $NODES; do NPORT[$n]=$(free_port); node_start "$n"; done
for n in $NODES; do node_wait "$n"; done
echo "ok   three nodes: ${NPORT[node-a]} ${NPORT[node-b]} ${NPORT[node-c]}"

APORT=$(free_port)
AGG=$T/agg
mkdir -p "$AGG" "$T/dash"
echo '<!doctype html><title>rtmon</title>' > "$T/dash/index.html"
chmod 755 "$T" "$T/dash"
chmod 644 "$T/dash/index.html"
AUSER=rtmon
getent passwd rtmon > /dev/null || AUSER=nobody
chown "$AUSER" "$AGG"
cat > "$AGG/agg.conf" <<EOF
outputs = {
  journal = false;
  sse = { enabled = true; listen = "127.0.0.1:$APORT"; token = "$ATOKEN"; history = 8192;
          dashboard_dir = "$T/dash"; keepalive_s = 1; };
};
aggregate = {
  # node-a twice (by address and by name): its alerts must still come out once
  nodes = [ "127.0.0.1:${NPORT[node-a]}", "localhost:${NPORT[node-a]}", "127.0.0.1:${NPORT[node-b]}",
            "127.0.0.1:${NPORT[node-c]}" ];
  token = "$TOKEN";
  user = "$AUSER";
  state_file = "$AGG/state";
  reconnect_max_s = 1;
};
EOF
"$RTMON" --check-config -c "$AGG/agg.conf" > "$T/check" 2>&1 || { cat "$T/check"; fail "the aggregator config is refused"; }

agg_start() {
	"$RTMON" --aggregate -c "$AGG/agg.conf" --stdout > "$AGG/out.$1" 2> "$AGG/err.$1" < /dev/null &
	APID=$!
	for _ in $(seq 100); do
		kill -0 "$APID" 2> /dev/null || { cat "$AGG/err.$1"; fail "the aggregator exited at start"; }
		[ "$(grep -c "streaming" "$AGG/err.$1")" -ge 4 ] && return 0
		sleep 0.1
	done
	cat "$AGG/err.$1"
	fail "the aggregator did not stream all four node entries in 10 s"
}
agg_stop() {
	local rc=0
	kill -TERM "$APID"
	wait "$APID" || rc=$?
	APID=
	[ "$rc" = 0 ] || fail "the aggregator exited with $rc"
}
agg_start 1

# unprivileged, from outside
ST=/proc/$APID/status
[ "$(awk '/^Uid:/ {print $2}' "$ST")" = "$(id -u "$AUSER")" ] || fail "the aggregator runs as uid $(awk '/^Uid:/ {print $2}' "$ST")"
[ "$(awk '/^CapEff:/ {print $2}' "$ST")" = 0000000000000000 ] || fail "the aggregator has capabilities: $(grep Cap "$ST")"
[ "$(awk '/^NoNewPrivs:/ {print $2}' "$ST")" = 1 ] || fail "no_new_privs is not set"
echo "ok   aggregator pid $APID runs as $AUSER, CapEff 0, NoNewPrivs 1"

memfd() { python3 -c 'import os, sys, time; print(os.getpid(), flush=True); os.close(os.memfd_create(sys.argv[1])); time.sleep(0.2)' "$1"; }
P1=$(memfd agg-one)

# the nodes' alerts for a pid (id list, from their own /api/alerts) and the aggregator's, by host
node_ids() { # NODE PID
	curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${NPORT[$1]}/api/alerts?limit=1024" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d["alerts"] if isinstance(d, dict) else d
print(" ".join(a["id"] for a in d if a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == int(sys.argv[1])))' "$2"
}
agg_ids() { # HOST PID FILE (alert JSON lines)
	python3 -c '
import json, sys
ids = []
for l in open(sys.argv[3]):
    a = json.loads(l)
    if a.get("host") == sys.argv[1] and a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == int(sys.argv[2]):
        ids.append(a["id"])
print(" ".join(ids))' "$1" "$2" "$3"
}
agg_api() { # FILE: the aggregator's /api/alerts as JSON lines
	curl -s -H "Authorization: Bearer $ATOKEN" "http://127.0.0.1:$APORT/api/alerts?limit=8192" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d["alerts"] if isinstance(d, dict) else d
for a in d: print(json.dumps(a))' > "$1"
}
wait_all() { # PID FILE-GETTER...: until every node's alert for PID is in the aggregator's stdout
	for _ in $(seq 50); do
		local ok=1
		for n in $NODES; do [ -n "$(agg_ids "$n" "$1" "$2")" ] || ok=0; done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	return 1
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
agg_start 2
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

if [ -n "${AGG_KEEP:-}" ]; then
	# hand the running setup to the dashboard test (it stops everything through the pids)
	{ echo "APORT=$APORT"; echo "ATOKEN=$ATOKEN"; echo "APID=$APID"; echo "NPIDS='${NPID[*]}'"; } > "$AGG_KEEP/env"
	trap - EXIT
	exit 0
fi
agg_stop
grep -q "rtmon aggregator stopped: alerts=" "$AGG/err.2" || fail "no final line"
echo "ok   aggregator stopped cleanly"
