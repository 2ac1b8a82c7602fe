#!/bin/bash
# Proves the HTTP listener (src/out_sse.c) under rtmon's real epoll loop against real clients (curl, a C SSE
# client, python): SSE delivery with exact ids and data, Last-Event-ID resume, 40 concurrent clients, a client
# that never reads (dropped, others fine, memory bounded), keep-alives, malformed requests, 404/405/401/503,
# CORS, /metrics format, /api/alerts, /healthz, dashboard files (no traversal, no symlinks), bind policy,
# one thread only, clean stop.  Uses tests/sse_driver (the sink fed constructed alerts), no root needed.
set -u
B=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
DRIVER=$B/tests/sse_driver
CLIENT=$B/tests/sse_client
for p in "$DRIVER" "$CLIENT"; do
	[ -x "$p" ] || { echo "SKIP: $p not built (make check builds it)"; exit 77; }
done
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }

T=$(mktemp -d /tmp/rtmon-sse.XXXXXX)
PIDS=()
cleanup() {
	exec 3>&- 4>&- 5>&- 2>/dev/null
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
FAILS=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
check() { # check NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: want [$2] got [$3]"; fi
}
wait_for() { # wait_for FILE PATTERN [tenths]
	for _ in $(seq "${3:-50}"); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
TOKEN=s3cret
AUTH=(-H "Authorization: Bearer $TOKEN")

# the dashboard tree: files, a hidden file, a symlink out, a directory
D=$T/dash
mkdir -p "$D/assets" "$T/outside"
echo '<!doctype html><title>rtmon</title>' > "$D/index.html"
echo 'console.log("rtmon")' > "$D/assets/app-1a2b.js"
echo 'secret' > "$T/outside/secret.txt"
echo 'hidden' > "$D/.env"
ln -s "$T/outside/secret.txt" "$D/leak.txt"
ln -s "$T/outside" "$D/out"

# ---- driver 1: token, CORS origin, dashboard, fixed ids "1000-<seq>" ----
mkfifo "$T/ctl1"
"$DRIVER" --usec 1000 --token "$TOKEN" --origin http://dash.example --dashboard "$D" --keepalive 1 \
	--history 400 --buffer-kb 64 --max-clients 60 < "$T/ctl1" > "$T/d1.out" 2> "$T/d1.err" &
D1=$!
PIDS+=("$D1")
exec 3> "$T/ctl1"
wait_for "$T/d1.out" '^PORT ' || { cat "$T/d1.err"; echo "FAIL driver did not start"; exit 1; }
P=$(awk '/^PORT/{print $2}' "$T/d1.out")
U=http://127.0.0.1:$P
emit() { echo "emit $1 ${2:-0}" >&3; wait_for "$T/d1.out" "^EMITTED 1000-$3\$" || bad "driver did not emit up to $3"; }
metric() { curl -s "${AUTH[@]}" "$U/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
wait_metric() { # wait_metric NAME VALUE
	for _ in $(seq 100); do [ "$(metric "$1")" = "$2" ] && return 0; sleep 0.1; done
	return 1
}
json() { printf '{"kind":"alert","id":"1000-%s","rule_id":"test_rule","seq":%s,"pad":""}' "$1" "$1"; }

check "one thread (no hidden MHD thread)" 1 "$(ls /proc/$D1/task | wc -l)"

# SSE delivery: a client waiting for 3 alerts gets exactly them, after "retry: 2000"
"$CLIENT" -p "$P" -t "$TOKEN" -n 3 -T 10 > "$T/c1.out" &
C1=$!
wait_metric rtmon_sse_clients 1 || bad "client 1 not connected"
emit 3 0 3
wait "$C1"; check "sse client exit" 0 $?
check "sse exact stream" "STATUS 200
RETRY 2000
EVENT alert ID 1000-1 DATA $(json 1)
EVENT alert ID 1000-2 DATA $(json 2)
EVENT alert ID 1000-3 DATA $(json 3)
IDS 1000-1,1000-2,1000-3" "$(cat "$T/c1.out")"

# raw wire format with curl
curl -s -N --max-time 1 "${AUTH[@]}" -H 'Last-Event-ID: 1000-2' "$U/events" > "$T/raw.txt"
check "raw frame" "$(printf 'retry: 2000\n\nid: 1000-3\nevent: alert\ndata: %s\n' "$(json 3)")" "$(cat "$T/raw.txt")"
curl -s -o /dev/null -D "$T/h.txt" --max-time 1 "${AUTH[@]}" "$U/events"
grep -qi '^content-type: text/event-stream' "$T/h.txt" && ok "event-stream content type" || bad "event-stream content type: $(cat "$T/h.txt")"
grep -qi '^cache-control: no-cache' "$T/h.txt" && ok "no-cache" || bad "no-cache"

# resume with Last-Event-ID: exactly the missed ones (header, query, bare sequence, aged-out/unknown id)
"$CLIENT" -p "$P" -t "$TOKEN" -l 1000-1 -n 2 -T 5 > "$T/r1.out"
check "resume header" "IDS 1000-2,1000-3" "$(grep IDS "$T/r1.out")"
"$CLIENT" -p "$P" -P "/events?last_event_id=1000-2&token=$TOKEN" -n 1 -T 5 > "$T/r2.out"
check "resume query" "IDS 1000-3" "$(grep IDS "$T/r2.out")"
"$CLIENT" -p "$P" -t "$TOKEN" -l 1 -n 2 -T 5 > "$T/r3.out"
check "resume bare seq" "IDS 1000-2,1000-3" "$(grep IDS "$T/r3.out")"
"$CLIENT" -p "$P" -t "$TOKEN" -l 999-77 -n 3 -T 5 > "$T/r4.out"
check "resume unknown id: whole history" "IDS 1000-1,1000-2,1000-3" "$(grep IDS "$T/r4.out")"
"$CLIENT" -p "$P" -t "$TOKEN" -l 1000-3 -n 1 -T 10 > "$T/r5.out" &
C5=$!
wait_metric rtmon_sse_clients 1 || bad "resumed client not connected"
emit 1 0 4
wait "$C5"; check "resume at head then live" "IDS 1000-4" "$(grep IDS "$T/r5.out")"

# keep-alive comments every keepalive_s (1 s here) while idle
curl -s -N --max-time 2.6 "${AUTH[@]}" -H 'Last-Event-ID: 1000-4' "$U/events" > "$T/ka.txt"
n=$(grep -c '^: keepalive$' "$T/ka.txt")
[ "$n" -ge 2 ] && [ "$n" -le 3 ] && ok "keep-alives ($n in 2.6 s)" || bad "keep-alives: $n in 2.6 s: $(cat "$T/ka.txt")"

# 40 concurrent clients all get every alert, in order
wait_metric rtmon_sse_clients 0 || bad "clients left over: $(metric rtmon_sse_clients)"
"$CLIENT" -p "$P" -t "$TOKEN" -c 40 -n 5 -T 20 > "$T/c40.out" &
C40=$!
wait_metric rtmon_sse_clients 40 || bad "40 clients not connected: $(metric rtmon_sse_clients)"
emit 5 0 9
wait "$C40"; check "40 clients exit" 0 $?
check "40 clients all" "ALL 40/40 SAME yes" "$(grep ALL "$T/c40.out")"
check "40 clients ids" "IDS 1000-5,1000-6,1000-7,1000-8,1000-9" "$(grep IDS "$T/c40.out")"

# a client that never reads is dropped at the buffer cap; a reading client gets all; memory stays bounded
wait_metric rtmon_sse_clients 0 || bad "clients left over after 40"
rss0=$(awk '/VmRSS/{print $2}' /proc/$D1/status)
"$CLIENT" -p "$P" -t "$TOKEN" -x > "$T/slow.out" &
SLOW=$!
PIDS+=("$SLOW")
"$CLIENT" -p "$P" -t "$TOKEN" -n 300 -T 30 > "$T/fast.out" &
FAST=$!
wait_metric rtmon_sse_clients 2 || bad "slow+fast not connected"
emit 300 8000 309
wait "$FAST"; check "reader beside a stalled client gets all 300" 0 $?
check "reader ids" "IDS $(seq -s, -f '1000-%g' 10 309)" "$(grep IDS "$T/fast.out")"
wait_metric rtmon_sse_clients_dropped_total 1 || bad "stalled client not dropped: $(metric rtmon_sse_clients_dropped_total)"
wait_metric rtmon_sse_clients 0 || bad "stalled client still connected"
grep -q 'dropping a client (127.0.0.1:[0-9]*): its buffer reached client_buffer_kb' "$T/d1.err" && ok "drop logged" || bad "drop not logged"
rss1=$(awk '/VmRSS/{print $2}' /proc/$D1/status)
[ $((rss1 - rss0)) -lt 20000 ] && ok "memory bounded (+$((rss1 - rss0)) kB)" || bad "memory grew $rss0 -> $rss1 kB"
kill "$SLOW"
# a resume that replays the whole history (2.4 MB, far beyond client_buffer_kb) is not a stall: all arrive
"$CLIENT" -p "$P" -t "$TOKEN" -l 1000-0 -n 309 -T 20 > "$T/replay.out"
check "big replay" "IDS $(seq -s, -f '1000-%g' 1 309)" "$(grep IDS "$T/replay.out")"

# /api/alerts
curl -s "${AUTH[@]}" "$U/api/alerts?limit=2" > "$T/api.json"
check "api limit=2" "1000-308,1000-309" "$(python3 -c 'import json,sys; print(",".join(a["id"] for a in json.load(open(sys.argv[1]))))' "$T/api.json")"
check "api default 100" 100 "$(curl -s "${AUTH[@]}" "$U/api/alerts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "api limit clamped to history" 309 "$(curl -s "${AUTH[@]}" "$U/api/alerts?limit=999999" | python3 -c 'import json,sys; a=json.load(sys.stdin); print(len(a) if a[-1]["id"]=="1000-309" and a[0]["id"]=="1000-1" else -1)')"
check "api limit=0" "[]" "$(curl -s "${AUTH[@]}" "$U/api/alerts?limit=0")"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "api bad limit" 400 "$(code "${AUTH[@]}" "$U/api/alerts?limit=-1")"

# tokens: data endpoints need it, healthz and files do not
check "events no token" 401 "$(code --max-time 1 "$U/events")"
check "events wrong token" 401 "$(code --max-time 1 -H 'Authorization: Bearer nope' "$U/events")"
check "events ?token" 200 "$(code --max-time 1 "$U/events?token=$TOKEN")"
check "api no token" 401 "$(code "$U/api/alerts")"
check "metrics no token" 401 "$(code "$U/metrics")"
check "metrics basic auth" 401 "$(code -u "x:$TOKEN" "$U/metrics")"
check "healthz open" 200 "$(code "$U/healthz")"
check "healthz body" '{"status":"ok","alerts":309}' "$(curl -s "$U/healthz")"
curl -s -D "$T/h401.txt" -o /dev/null "$U/metrics"
grep -qi '^www-authenticate: Bearer realm="rtmon"' "$T/h401.txt" && ok "WWW-Authenticate" || bad "WWW-Authenticate"

# methods, paths, malformed requests
check "POST events" 405 "$(code -X POST -d x "${AUTH[@]}" "$U/events")"
check "PUT api" 405 "$(code -X PUT "${AUTH[@]}" "$U/api/alerts")"
check "DELETE /" 405 "$(code -X DELETE "$U/")"
curl -s -D "$T/h405.txt" -o /dev/null -X POST "$U/healthz"
grep -qi '^allow: GET, HEAD, OPTIONS' "$T/h405.txt" && ok "Allow header" || bad "Allow header"
check "unknown path" 404 "$(code "${AUTH[@]}" "$U/nope")"
check "GET with a body" 400 "$(code -X GET -d abc "$U/healthz")"
raw() { python3 - "$P" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin1"))
s.settimeout(3)
d = b""
try:
    while True:
        x = s.recv(65536)
        if not x:
            break
        d += x
except Exception:
    pass
print(d.decode("latin1").split("\r\n")[0] or "CLOSED")
EOF
}
check "HTTP/1.1 without Host" "HTTP/1.1 400 Bad Request" "$(raw 'GET /healthz HTTP/1.1\r\n\r\n')"
check "header without colon" "HTTP/1.1 400 Bad Request" "$(raw 'GET /healthz HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n')"
check "bad version" "HTTP/1.1 505 HTTP Version Not Supported" "$(raw 'GET /healthz HTTP/7.0\r\nHost: a\r\n\r\n')"
big=$(head -c 70000 /dev/zero | tr '\0' a)
r=$(raw "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: $big\r\n\r\n")
case "$r" in "HTTP/1.1 431"*|"HTTP/1.1 413"*|CLOSED) ok "oversized header refused ($r)";; *) bad "oversized header: $r";; esac
check "still serving" 200 "$(code "$U/healthz")"

# CORS
curl -s -D "$T/cors.txt" -o /dev/null -H 'Origin: http://dash.example' "$U/healthz"
check "CORS allowed origin" "access-control-allow-origin: http://dash.example" \
	"$(grep -i '^access-control-allow-origin' "$T/cors.txt" | tr -d '\r' | tr 'A-Z' 'a-z')"
curl -s -D "$T/cors2.txt" -o /dev/null -H 'Origin: http://evil.example' "$U/healthz"
check "CORS other origin" 0 "$(grep -ci '^access-control-allow-origin' "$T/cors2.txt")"
curl -s -D "$T/pre.txt" -o /dev/null -X OPTIONS -H 'Origin: http://dash.example' \
	-H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: authorization' "$U/events"
check "preflight status" 204 "$(awk 'NR==1{print $2}' "$T/pre.txt")"
grep -qi '^access-control-allow-headers: Authorization, Last-Event-ID' "$T/pre.txt" && ok "preflight headers" || bad "preflight headers"
check "preflight other origin" 403 "$(code -X OPTIONS -H 'Origin: http://evil.example' "$U/events")"
curl -s -D "$T/cors3.txt" -o /dev/null --max-time 1 -H 'Origin: http://dash.example' "$U/events?token=$TOKEN"
grep -qi '^access-control-allow-origin: http://dash.example' "$T/cors3.txt" && ok "CORS on the stream" || bad "CORS on the stream"

# dashboard files
check "GET /" '<!doctype html><title>rtmon</title>' "$(curl -s "$U/")"
check "index type" "text/html; charset=utf-8" "$(curl -s -o /dev/null -w '%{content_type}' "$U/")"
check "asset" 'console.log("rtmon")' "$(curl -s "$U/assets/app-1a2b.js")"
check "asset type" "text/javascript; charset=utf-8" "$(curl -s -o /dev/null -w '%{content_type}' "$U/assets/app-1a2b.js")"
check "HEAD /" 200 "$(code -I "$U/")"
for p in /.env /leak.txt /out/secret.txt /assets /assets/ /../../etc/passwd /assets/..%2f..%2fetc%2fpasswd \
	/%2e%2e/%2e%2e/etc/passwd '/assets/%2e%2e/index.html' /missing.js; do
	check "refused $p" 404 "$(code --path-as-is "$U$p")"
done

# /metrics: Prometheus text format (after the streams above are gone: a parked stream is reaped within ~1 s)
wait_metric rtmon_sse_clients 0 || bad "streams left over before /metrics"
curl -s -D "$T/mh.txt" "${AUTH[@]}" "$U/metrics" > "$T/metrics.txt"
grep -qi '^content-type: text/plain; version=0.0.4' "$T/mh.txt" && ok "metrics content type" || bad "metrics content type"
python3 - "$T/metrics.txt" <<'EOF' && ok "metrics parse" || bad "metrics parse"
import re, sys
types, seen = {}, {}
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$')
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("# TYPE "):
        _, _, name, t = l.split(" ", 3)
        assert t in ("counter", "gauge", "histogram", "summary", "untyped"), l
        types[name] = t
        continue
    if l.startswith("#") or not l:
        continue
    m = line_re.match(l)
    assert m, "bad line: " + l
    assert m.group(1) in types, "no TYPE for " + l
    seen[m.group(1) + (m.group(2) or "")] = float(m.group(4))
assert seen["rtmon_sse_clients"] == 0, seen
assert seen["rtmon_sse_clients_dropped_total"] == 1, seen
assert seen['rtmon_sse_requests_total{code="401"}'] >= 6, seen
assert seen['rtmon_sse_requests_total{code="405"}'] == 4, seen
assert seen["rtmon_driver_alerts_total"] == 309, seen
assert types["rtmon_sse_clients"] == "gauge" and types["rtmon_sse_requests_total"] == "counter"
EOF

check "still one thread" 1 "$(ls /proc/$D1/task | wc -l)"
# clean stop with a stream open
"$CLIENT" -p "$P" -t "$TOKEN" -n 1000 -T 30 > /dev/null &
CL=$!
wait_metric rtmon_sse_clients 1 || bad "last client"
kill -TERM "$D1"; wait "$D1"; check "driver stops cleanly with a client" 0 $?
wait "$CL"; check "client sees the end" 1 $?
grep -v 'dropping a client\|listening on' "$T/d1.err" && bad "driver stderr not clean" || ok "driver stderr clean"

# ---- driver 2: max_clients 2 -> 503, unhealthy -> 503, no dashboard, no token ----
mkfifo "$T/ctl2"
"$DRIVER" --max-clients 2 --unhealthy < "$T/ctl2" > "$T/d2.out" 2> "$T/d2.err" &
D2=$!
PIDS+=("$D2")
exec 4> "$T/ctl2"
wait_for "$T/d2.out" '^PORT ' || bad "driver 2 did not start"
P2=$(awk '/^PORT/{print $2}' "$T/d2.out")
"$CLIENT" -p "$P2" -c 2 -n 1 -T 10 > "$T/two.out" &
TWO=$!
for _ in $(seq 50); do
	[ "$(curl -s "http://127.0.0.1:$P2/metrics" | awk '$1=="rtmon_sse_clients"{print $2}')" = 2 ] && break; sleep 0.1
done
"$CLIENT" -p "$P2" -n 1 -T 3 > "$T/third.out"; rc=$?
check "beyond max_clients" "3 STATUS 503" "$rc $(grep STATUS "$T/third.out")"
echo "emit 1" >&4
wait "$TWO"; check "the two clients still served" 0 $?
for _ in $(seq 50); do
	[ "$(curl -s "http://127.0.0.1:$P2/metrics" | awk '$1=="rtmon_sse_clients"{print $2}')" = 0 ] && break; sleep 0.1
done
# clients that come and go faster than a tick never find the slots held by their closed predecessors
n=0
for _ in $(seq 20); do "$CLIENT" -p "$P2" -l 0 -n 1 -T 3 > /dev/null && n=$((n + 1)); done
check "20 quick reconnects with max_clients 2" 20 "$n"
for _ in $(seq 50); do
	[ "$(curl -s "http://127.0.0.1:$P2/metrics" | awk '$1=="rtmon_sse_clients"{print $2}')" = 0 ] && break; sleep 0.1
done
check "unhealthy" 503 "$(code "http://127.0.0.1:$P2/healthz")"
check "unhealthy body" '{"status":"degraded","reason":"test"}' "$(curl -s "http://127.0.0.1:$P2/healthz")"
check "no token set: events open" 200 "$(code --max-time 1 "http://127.0.0.1:$P2/events")"
check "no dashboard: /" 404 "$(code "http://127.0.0.1:$P2/")"
# the hard connection cap (max_clients + 16 = 18): idle sockets beyond it wait unaccepted, and are served once
# slots free up (first let the streams above be reaped)
for _ in $(seq 50); do
	[ "$(curl -s "http://127.0.0.1:$P2/metrics" | awk '$1=="rtmon_sse_clients"{print $2}')" = 0 ] && break; sleep 0.1
done
sleep 0.2
python3 - "$P2" "$D2" > "$T/cap.out" <<'EOF'
import os, socket, subprocess, sys, time
port, pid = int(sys.argv[1]), sys.argv[2]
def code():
    return subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1",
                           "http://127.0.0.1:%d/metrics" % port], capture_output=True, text=True).stdout
fds0 = len(os.listdir("/proc/%s/fd" % pid))
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(25)]
time.sleep(0.5)
print("accepted", len(os.listdir("/proc/%s/fd" % pid)) - fds0, "full", code())
for s in socks[:10]:
    s.close()
time.sleep(0.3)
print("freed", code())
EOF
check "connection cap" "accepted 18 full 000
freed 200" "$(cat "$T/cap.out")"

# reload (what SIGHUP does): a token and a history size take effect in place, a new address replaces the sink
U2=http://127.0.0.1:$P2
echo "emit 3" >&4
wait_for "$T/d2.out" "^EMITTED .*-4\$" || bad "driver 2 emit"
echo "reconf token=newtok" >&4
wait_for "$T/d2.out" '^RECONF 0$' || bad "reconf token: $(tail -2 "$T/d2.out")"
check "reload: token now needed" 401 "$(code --max-time 1 "$U2/events")"
check "reload: new token works" 200 "$(code --max-time 1 -H 'Authorization: Bearer newtok' "$U2/events")"
check "reload: history kept" 4 "$(curl -s -H 'Authorization: Bearer newtok' "$U2/api/alerts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
echo "reconf history=2" >&4
for _ in $(seq 50); do [ "$(grep -c '^RECONF 0$' "$T/d2.out")" = 2 ] && break; sleep 0.1; done
check "reload: history shrunk, newest kept" "3,4" "$(curl -s -H 'Authorization: Bearer newtok' "$U2/api/alerts" | python3 -c 'import json,sys; print(",".join(str(a["seq"]) for a in json.load(sys.stdin)))')"
echo "reconf listen=localhost:0" >&4
wait_for "$T/d2.out" '^REPLACED 0 PORT ' || bad "reconf listen: $(tail -2 "$T/d2.out")"
check "reload: new address is -EAGAIN" 1 "$(grep -c '^RECONF -11$' "$T/d2.out")"
P3=$(awk '/^REPLACED/{print $4}' "$T/d2.out")
check "reload: new listener (driver 2 is unhealthy)" 503 "$(code "http://127.0.0.1:$P3/healthz")"
[ "$P3" != "$P2" ] && [ "$(code --max-time 1 "$U2/healthz")" = 000 ] && ok "reload: old listener closed" || bad "old listener still open"
check "still one thread after a replacement" 1 "$(ls /proc/$D2/task | wc -l)"
kill -TERM "$D2"; wait "$D2"; check "driver 2 stops" 0 $?

# ---- bind policy and address forms ----
"$DRIVER" --listen 0.0.0.0:0 < /dev/null > "$T/d3.out" 2> "$T/d3.err"; rc=$?
[ $rc -ne 0 ] && grep -q 'refusing to listen on 0.0.0.0:0 without a token' "$T/d3.err" \
	&& ok "non-loopback without token refused" || bad "non-loopback without token: rc=$rc $(cat "$T/d3.err")"
"$DRIVER" --listen 127.0.0.1:x < /dev/null > /dev/null 2> "$T/d4.err"; rc=$?
[ $rc -ne 0 ] && grep -q 'is not HOST:PORT' "$T/d4.err" && ok "bad listen refused" || bad "bad listen: $rc"
"$DRIVER" --listen '[::1]:0' < /dev/null > "$T/d5.out" 2> "$T/d5.err" &
D5=$!
PIDS+=("$D5")
if wait_for "$T/d5.out" '^PORT '; then
	check "IPv6 loopback" 200 "$(code -g "http://[::1]:$(awk '/^PORT/{print $2}' "$T/d5.out")/healthz")"
else
	bad "IPv6 driver: $(cat "$T/d5.err")"
fi
kill -TERM "$D5"; wait "$D5"
"$DRIVER" --listen 0.0.0.0:0 --token t < /dev/null > "$T/d6.out" 2> "$T/d6.err" &
D6=$!
PIDS+=("$D6")
wait_for "$T/d6.out" '^PORT ' && ok "non-loopback with token starts" || bad "non-loopback with token: $(cat "$T/d6.err")"
kill -TERM "$D6"; wait "$D6"
# reloading away the token of a non-loopback listener is refused (-EPERM, and so is its replacement)
mkfifo "$T/ctl7"
"$DRIVER" --listen 0.0.0.0:0 --token t < "$T/ctl7" > "$T/d7.out" 2> "$T/d7.err" &
D7=$!
PIDS+=("$D7")
exec 5> "$T/ctl7"
wait_for "$T/d7.out" '^PORT ' || bad "driver 7"
echo "reconf token=-" >&5
wait "$D7"; rc=$?
[ $rc -ne 0 ] && grep -q '^RECONF -1$' "$T/d7.out" && grep -q 'refusing to listen on 0.0.0.0:0 without a token' "$T/d7.err" \
	&& ok "reload dropping the token off loopback refused" || bad "token drop reload: rc=$rc $(cat "$T/d7.out" "$T/d7.err")"
exec 5>&-

if [ "$FAILS" -ne 0 ]; then
	echo "FAILED: $FAILS check(s)"
	exit 1
fi
echo PASS
