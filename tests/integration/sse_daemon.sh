#!/bin/bash
# Proves the real daemon's listener end to end (root, real BPF): with outputs.sse on, an unsealed memfd_create
# by a python process raises injection_attempt, which arrives over SSE (C client, token in the header) with the
# process's pid and the very JSON line --stdout printed; /api/alerts holds it, Last-Event-ID resumes after it,
# /metrics carries the daemon's and the listener's metrics, /healthz answers, a request without the token gets
# 401, and rtmon still stops with exit 0 while a stream is open. SIGHUP: a new token applies in place (an open
# stream survives), a new address moves the listener.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
CLIENT=${top_builddir:-$top_srcdir}/tests/sse_client
[ -x "$CLIENT" ] || skip "tests/sse_client is not built (make check builds it)"
command -v curl > /dev/null || skip "needs curl"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=tok-$RANDOM$RANDOM
U=http://127.0.0.1:$PORT
AUTH=(-H "Authorization: Bearer $TOKEN")
rtmon_start -o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT" -o "outputs.sse.token=$TOKEN" \
	-o outputs.sse.keepalive_s=1 --stdout
grep -q "sse: listening on 127.0.0.1:$PORT (token required)" "$T/err" || fail "no listening line"

clients() { curl -s "${AUTH[@]}" "$U/metrics" | awk '$1 == "rtmon_sse_clients" {print $2}'; }
"$CLIENT" -p "$PORT" -t "$TOKEN" -n 100000 -T 8 > "$T/sse.out" &
CPID=$!
for _ in $(seq 50); do [ "$(clients)" = 1 ] && break; sleep 0.1; done
[ "$(clients)" = 1 ] || fail "the SSE client did not connect"

# the trigger: an unsealed memfd from a process whose pid we know
python3 -c 'import os, time; print(os.getpid(), flush=True); os.close(os.memfd_create("rtmon-sse-test")); time.sleep(0.2)' \
	> "$T/pid"
TPID=$(cat "$T/pid")
wait "$CPID" || true   # -T 8: collects for 8 s (keep-alives included)

python3 - "$T/sse.out" "$T/out" "$TPID" > "$T/match" <<'EOF' || fail "SSE check: $(cat "$T/match")"
import json, sys
sse, stdout, pid = open(sys.argv[1]).read().splitlines(), open(sys.argv[2]).read().splitlines(), int(sys.argv[3])
assert sse[0] == "STATUS 200", sse[:3]
assert sse[1] == "RETRY 2000", sse[:3]
assert any(l == "COMMENT keepalive" for l in sse), "no keep-alive in 8 s"
events = [l.split(" ", 5) for l in sse if l.startswith("EVENT ")]
mine = [e for e in events if json.loads(e[5])["rule_id"] == "injection_attempt" and json.loads(e[5]).get("event", {}).get("pid") == pid]
assert mine, "no injection_attempt for pid %d over SSE (%d events)" % (pid, len(events))
e = mine[0]
assert e[1] == "alert", e[:4]
a = json.loads(e[5])
assert e[3] == a["id"], (e[3], a["id"])
assert a["event"]["type"] == "memfd_create" and a["event"]["memfd_name"] == "rtmon-sse-test", a["event"]
assert e[5] in stdout, "the SSE data is not the --stdout line"
print(a["id"])
EOF
ID=$(cat "$T/match")
echo "ok   alert $ID for pid $TPID over SSE"

# /api/alerts has it; resuming after the alert before it replays it first
curl -s "${AUTH[@]}" "$U/api/alerts?limit=1000" > "$T/api.json"
PREV=$(python3 - "$T/api.json" "$ID" <<'EOF'
import json, sys
ids = [a["id"] for a in json.load(open(sys.argv[1]))]
i = ids.index(sys.argv[2])
print(ids[i - 1] if i > 0 else "")
EOF
) || fail "alert $ID not in /api/alerts"
# (ours was the first alert: resume after the sequence before it, which the ring never held)
[ -n "$PREV" ] || PREV="${ID%-*}-$((${ID#*-} - 1))"
"$CLIENT" -p "$PORT" -t "$TOKEN" -l "$PREV" -n 1 -T 5 > "$T/resume.out" || fail "resume client after $PREV: $(cat "$T/resume.out" "$T/api.json")"
grep -qx "IDS $ID" "$T/resume.out" || fail "resume after $PREV: $(cat "$T/resume.out")"
echo "ok   Last-Event-ID $PREV replays $ID"

# metrics: the daemon's and the listener's; health; the token
curl -s "${AUTH[@]}" "$U/metrics" > "$T/metrics"
for m in rtmon_sse_clients rtmon_sse_clients_dropped_total 'rtmon_sse_requests_total{code="200"}' rtmon_processes; do
	grep -q "^$m " "$T/metrics" || fail "metric $m missing"
done
echo "ok   /metrics"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" = 200 ] || fail "/healthz not 200: $(curl -s "$U/healthz")"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$U/events")" = 401 ] || fail "no 401 without the token"
echo "ok   /healthz, 401"

# stop with a stream open
"$CLIENT" -p "$PORT" -t "$TOKEN" -n 100000 -T 20 > /dev/null &
CPID=$!
for _ in $(seq 50); do [ "$(clients)" = 1 ] && break; sleep 0.1; done
rtmon_stop
wait "$CPID" || true

# SIGHUP: a new token takes effect and an open stream survives; then a new address moves the listener
conf() { # conf PORT TOKEN
	printf 'outputs = { stdout = false; journal = false; syslog = ( );\n  sse = { enabled = true; listen = "127.0.0.1:%s"; token = "%s"; history = 16; keepalive_s = 1; };\n};\n' "$1" "$2" > "$T/rtmon.conf"
}
PORT2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
conf "$PORT" one
rtmon_start -c "$T/rtmon.conf"
AUTH=(-H "Authorization: Bearer one")
"$CLIENT" -p "$PORT" -t one -n 100000 -T 6 > "$T/hup.out" &
CPID=$!
for _ in $(seq 50); do [ "$(clients)" = 1 ] && break; sleep 0.1; done
[ "$(clients)" = 1 ] || fail "stream before reload"
conf "$PORT" two
N0=$(wc -l < "$T/hup.out")
kill -HUP "$RPID"
for _ in $(seq 50); do grep -q "configuration reloaded" "$T/err" && break; sleep 0.1; done
grep -q "configuration reloaded" "$T/err" || fail "no reload"
AUTH=(-H "Authorization: Bearer two")
[ "$(clients)" = 1 ] || fail "the stream did not survive the reload (or token two refused)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer one' "$U/api/alerts")" = 401 ] || fail "old token still works"
sleep 1.5
# (a keep-alive, or alerts if any came)
[ "$(wc -l < "$T/hup.out")" -gt "$N0" ] || fail "the stream got nothing after the reload: $(cat "$T/hup.out")"
echo "ok   SIGHUP: token changed in place, stream kept"
conf "$PORT2" two
kill -HUP "$RPID"
for _ in $(seq 50); do [ "$(grep -c "configuration reloaded" "$T/err")" = 2 ] && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer two' "http://127.0.0.1:$PORT2/api/alerts")" = 200 ] \
	|| fail "new address not serving: $(tail -3 "$T/err")"
[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$U/healthz")" = 000 ] || fail "old address still open"
wait "$CPID" || true
echo "ok   SIGHUP: new address, old one closed"
rtmon_stop
echo PASS
