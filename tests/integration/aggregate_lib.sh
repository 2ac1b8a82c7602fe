# aggregate_lib.sh: three rtmond nodes and an aggregator for aggregate.sh and aggregate_dashboard.sh (sourced
# after lib.sh). Nodes are named node-a, node-b, node-c (process.hostname), each with its own port, instance
# lock and output files in $T; they share the token $TOKEN. The aggregator's config is $AGG/agg.conf.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
TOKEN=node-$RANDOM$RANDOM
ATOKEN=agg-$RANDOM$RANDOM
declare -A NPID NPORT
NODES="node-a node-b node-c"
APID=
AGG=$T/agg

agg_cleanup() {
	for n in $NODES; do
		[ -n "${NPID[$n]:-}" ] && { kill "${NPID[$n]}" 2> /dev/null || true; wait "${NPID[$n]}" 2> /dev/null || true; }
	done
	[ -n "$APID" ] && { kill "$APID" 2> /dev/null || true; wait "$APID" 2> /dev/null || true; }
	rm -rf "$T"
}
trap agg_cleanup EXIT

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
nodes_start() {
	for n in $NODES; do NPORT[$n]=$(free_port); node_start "$n"; done
	for n in $NODES; do node_wait "$n"; done
}

# agg_config DASHBOARD_DIR NODE-ENTRIES...: the aggregator's config (its own listener on $APORT, token $ATOKEN)
agg_config() {
	local dash=$1 entries="" e
	shift
	for e in "$@"; do entries="$entries${entries:+, }\"$e\""; done
	APORT=$(free_port)
	mkdir -p "$AGG"
	chmod 755 "$T"
	AUSER=rtmon
	getent passwd rtmon > /dev/null || AUSER=nobody
	chown "$AUSER" "$AGG"
	cat > "$AGG/agg.conf" <<CONF
outputs = {
  journal = false;
  sse = { enabled = true; listen = "127.0.0.1:$APORT"; token = "$ATOKEN"; history = 8192;
          dashboard_dir = "$dash"; keepalive_s = 1; };
};
aggregate = {
  nodes = [ $entries ];
  token = "$TOKEN";
  user = "$AUSER";
  state_file = "$AGG/state";
  reconnect_max_s = 1;
};
CONF
	"$RTMON" --check-config -c "$AGG/agg.conf" > "$T/check" 2>&1 || { cat "$T/check"; fail "the aggregator config is refused"; }
}
# agg_start RUN STREAMS: the aggregator, stdout to $AGG/out.RUN; returns once STREAMS node entries stream
agg_start() {
	"$RTMON" --aggregate -c "$AGG/agg.conf" --stdout > "$AGG/out.$1" 2> "$AGG/err.$1" < /dev/null &
	APID=$!
	for _ in $(seq 100); do
		kill -0 "$APID" 2> /dev/null || { cat "$AGG/err.$1"; fail "the aggregator exited at start"; }
		[ "$(grep -c "streaming" "$AGG/err.$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	cat "$AGG/err.$1"
	fail "the aggregator did not stream $2 node entries in 10 s"
}
agg_stop() {
	local rc=0
	kill -TERM "$APID"
	wait "$APID" || rc=$?
	APID=
	[ "$rc" = 0 ] || fail "the aggregator exited with $rc"
}
# memfd NAME: an unsealed memfd_create (injection_attempt on every node); prints the pid
memfd() { python3 -c 'import os, sys, time; print(os.getpid(), flush=True); os.close(os.memfd_create(sys.argv[1])); time.sleep(0.2)' "$1"; }
# node_ids NODE PID: the ids of the node's injection_attempt alerts for PID (its own /api/alerts)
node_ids() {
	curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:${NPORT[$1]}/api/alerts?limit=1024" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
d = d["alerts"] if isinstance(d, dict) else d
print(" ".join(a["id"] for a in d if a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == int(sys.argv[1])))' "$2"
}
# agg_ids HOST PID FILE: the same from a file of alert JSON lines
agg_ids() {
	python3 -c '
import json, sys
ids = []
for l in open(sys.argv[3]):
    a = json.loads(l)
    if a.get("host") == sys.argv[1] and a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == int(sys.argv[2]):
        ids.append(a["id"])
print(" ".join(ids))' "$1" "$2" "$3"
}
# wait_all PID FILE: until each node's alert for PID is in FILE
wait_all() {
	for _ in $(seq 50); do
		local ok=1
		for n in $NODES; do [ -n "$(agg_ids "$n" "$1" "$2")" ] || ok=0; done
		[ $ok = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
