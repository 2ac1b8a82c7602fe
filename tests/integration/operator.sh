#!/bin/bash
# operator.sh (issue 21): what rtmon tells an operator is true.
#  1. --check-config and the daemon agree: each bad value the issue found (sse.listen 127.0.0.1:80900,
#     localhost8090, 999.1.1.1:8090, 127.0.0.1:notaport; a syslog host with a space; a missing ca_file) makes
#     both exit 1 with the same FILE:LINE line.
#  2. One instance: a second daemon on the same lock exits 3 with one line naming the holder's pid;
#     --check-config and --replay run beside it.
#  3. A rejected reload changes nothing that runs: a config that adds a syslog sink (to a local listener) and
#     moves the SSE listener to a port someone else holds is refused; the listener receives no byte even
#     while alerts flow, /healthz keeps answering on the old port, /metrics says the last reload failed.
#     A bad sse.listen is refused the same way. Then a good reload adds the sink, and it receives alerts.
#  4. `rtmon --stdout | head -1`: rtmon exits 0 once head has gone.
#  5. Non-root: the first line names the missing capability, exit 2.
. "$(dirname "$0")/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"
chmod 0755 "$T"   # read by the non-root run in 5
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
memfd() { python3 -c 'import os; os.close(os.memfd_create("operator-'"$1"'", 1))'; }
wait_for() { # wait_for SECONDS CMD...: until CMD succeeds
	local n=$(($1 * 10)); shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}

# ---- 1. --check-config and start-up agree on every bad value ----
printf 'outputs = {\n  journal = false;\n  sse = { enabled = true; listen = "127.0.0.1:0"; };\n};\n' > "$T/base.conf"
n=0
for bad in 'outputs.sse.listen=127.0.0.1:80900' 'outputs.sse.listen=localhost8090' \
	'outputs.sse.listen=999.1.1.1:8090' 'outputs.sse.listen=127.0.0.1:notaport'; do
	rc=0; "$RTMON" --check-config -c "$T/base.conf" -o "$bad" > "$T/chk" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "--check-config accepted -o $bad: $(cat "$T/chk")"
	rc=0; timeout 20 "$RTMON" -c "$T/base.conf" -o "$bad" > /dev/null 2> "$T/start" || rc=$?
	[ "$rc" = 1 ] || fail "the daemon exited $rc for -o $bad, want 1"
	grep -qF -- "$(head -1 "$T/chk")" "$T/start" || fail "start-up and --check-config disagree: $(head -1 "$T/chk") / $(cat "$T/start")"
	n=$((n + 1))
done
for sys in 'url = "tcp://bad host:6514";' 'url = "tls://127.0.0.1:6514"; ca_file = "/nonexistent/ca.pem";'; do
	printf 'outputs = {\n  journal = false;\n  syslog = ( { %s } );\n};\n' "$sys" > "$T/bad.conf"
	rc=0; "$RTMON" --check-config -c "$T/bad.conf" > "$T/chk" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "--check-config accepted $sys: $(cat "$T/chk")"
	grep -q "^$T/bad.conf:3: outputs.syslog\[0\]" "$T/chk" || fail "no FILE:LINE for $sys: $(cat "$T/chk")"
	rc=0; timeout 20 "$RTMON" -c "$T/bad.conf" > /dev/null 2> "$T/start" || rc=$?
	[ "$rc" = 1 ] || fail "the daemon exited $rc for $sys, want 1"
	n=$((n + 1))
done
echo "ok: $n bad values: --check-config exit 1, the daemon exit 1, same line"

# ---- 2. one instance per lock ----
SSE=$(free_port)
SYSLOG_PORT=$(free_port)
BUSY=$(free_port)
cat > "$T/rtmon.conf" <<EOF
outputs = {
  journal = false;
  sse = { enabled = true; listen = "127.0.0.1:$SSE"; };
};
EOF
rtmon_start -c "$T/rtmon.conf" --stdout -o alerting.fold_window_s=0 -o alerting.rate_limit=0
rc=0; timeout 20 "$RTMON" -c "$T/rtmon.conf" -o outputs.sse.enabled=false > /dev/null 2> "$T/second" || rc=$?
[ "$rc" = 3 ] || fail "a second rtmon on the same lock exited $rc, want 3"
[ "$(wc -l < "$T/second")" = 1 ] || fail "the refusal is not one line: $(cat "$T/second")"
grep -q "another rtmon (pid $RPID) is already running" "$T/second" || fail "the refusal does not name pid $RPID: $(cat "$T/second")"
"$RTMON" --check-config -c "$T/rtmon.conf" > /dev/null || fail "--check-config refused beside a running daemon"
"$RTMON" --replay /dev/null -c "$T/rtmon.conf" > /dev/null || fail "--replay refused beside a running daemon"
echo "ok: second instance: exit 3, $(cat "$T/second")"

# ---- 3. a rejected reload changes nothing that runs ----
# the SIEM stand-in counts every byte it receives; another process holds port $BUSY
python3 - "$SYSLOG_PORT" "$T/siem" "$BUSY" <<'PY' &
import socket, sys, threading
port, out, busy = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
b = socket.socket(); b.bind(("127.0.0.1", busy)); b.listen(1)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen(8)
total = 0
open(out, "w").write("0\n")
def serve(c):
    global total
    while True:
        d = c.recv(65536)
        if not d:
            return
        total += len(d)
        open(out, "w").write("%d\n" % total)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
LPID=$!
trap 'kill $LPID 2> /dev/null || true; cleanup_default' EXIT
wait_for 5 test -s "$T/siem" || fail "the syslog stand-in did not start"
healthz() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SSE/healthz"; }
metric() { curl -s "http://127.0.0.1:$SSE/metrics" | awk -v k="$1" '$1 == k {print $2}'; }
[ "$(healthz)" = 200 ] || fail "/healthz before the reload: $(healthz)"
cat > "$T/rtmon.conf" <<EOF
outputs = {
  journal = false;
  syslog = ( { url = "tcp://127.0.0.1:$SYSLOG_PORT"; } );
  sse = { enabled = true; listen = "127.0.0.1:$BUSY"; };
};
EOF
"$RTMON" --check-config -c "$T/rtmon.conf" > /dev/null || fail "--check-config rejects a config only a busy port makes fail"
kill -HUP "$RPID"
wait_for 10 grep -q "reload of .* rejected .* keeping the previous configuration" "$T/err" || fail "the failed reload was not reported"
for i in 1 2 3; do memfd "rejected-$i"; done
sleep 1
[ "$(cat "$T/siem")" = 0 ] || fail "the syslog sink of a rejected config sent $(cat "$T/siem") bytes"
[ "$(healthz)" = 200 ] || fail "/healthz after the rejected reload: $(healthz)"
[ "$(metric rtmon_config_last_reload_successful)" = 0 ] || fail "/metrics: last reload successful = $(metric rtmon_config_last_reload_successful)"
[ "$(metric 'rtmon_reloads_total{result="failed"}')" = 1 ] || fail "/metrics: failed reloads = $(metric 'rtmon_reloads_total{result="failed"}')"
grep -q "operator-rejected-3" "$T/out" || fail "no alert after the rejected reload (the old outputs must still run)"
echo "ok: rejected reload (port in use): syslog stand-in got 0 bytes, /healthz 200, $(grep -m1 "reload of" "$T/err" | cut -c1-200)"
# a bad address: refused by the same checks as --check-config, the listener stays
sed -i "s|listen = \"127.0.0.1:$BUSY\"|listen = \"localhost$SSE\"|" "$T/rtmon.conf"
kill -HUP "$RPID"
wait_for 10 sh -c "[ \$(grep -c 'keeping the previous configuration' '$T/err') -ge 2 ]" || fail "the bad sse.listen reload was not refused"
[ "$(healthz)" = 200 ] || fail "/healthz after the bad sse.listen reload: $(healthz)"
[ "$(metric 'rtmon_reloads_total{result="failed"}')" = 2 ] || fail "failed reloads != 2"
# a good reload adds the sink: now the stand-in receives (what proves it would have seen a leak)
sed -i "s|listen = \"localhost$SSE\"|listen = \"127.0.0.1:$SSE\"|" "$T/rtmon.conf"
kill -HUP "$RPID"
wait_for 10 grep -q "configuration reloaded from" "$T/err" || fail "the good reload was not applied"
memfd accepted
wait_for 10 sh -c "[ \$(cat '$T/siem') -gt 0 ]" || fail "the syslog sink of the accepted config sent nothing"
[ "$(metric rtmon_config_last_reload_successful)" = 1 ] || fail "/metrics: last reload successful after a good reload"
[ "$(healthz)" = 200 ] || fail "/healthz after the good reload"
echo "ok: good reload: the new syslog sink delivered $(cat "$T/siem") bytes; /healthz 200"
# the listener moves to an address that overlaps its own (127.0.0.1:P -> 0.0.0.0:P, with a token): it is
# rebound, not refused, and no "cannot listen" is logged
sed -i "s|listen = \"127.0.0.1:$SSE\"; };|listen = \"0.0.0.0:$SSE\"; token = \"t-$RANDOM\"; };|" "$T/rtmon.conf"
kill -HUP "$RPID"
wait_for 10 sh -c "[ \$(grep -c 'configuration reloaded from' '$T/err') -ge 2 ]" || fail "the move to 0.0.0.0:$SSE was not applied"
grep -q "sse: listening on 0.0.0.0:$SSE" "$T/err" || fail "not listening on 0.0.0.0:$SSE"
! grep -q "cannot listen on 0.0.0.0" "$T/err" || fail "a rebind logged a failure: $(grep 'cannot listen on 0' "$T/err")"
[ "$(healthz)" = 200 ] || fail "/healthz after the move to 0.0.0.0"
echo "ok: listener moved 127.0.0.1:$SSE -> 0.0.0.0:$SSE in place"
rtmon_stop

# ---- 4. stdout closed by its reader: rtmon stops, exit 0 ----
( "$RTMON" -o outputs.journal=false -o alerting.fold_window_s=0 -o alerting.rate_limit=0 --stdout 2> "$T/pipe.err" < /dev/null |
	head -n 1 > "$T/head.out"; echo "${PIPESTATUS[0]}" > "$T/pipe.rc" ) &
wait_for 10 grep -q "monitoring:" "$T/pipe.err" || fail "rtmon | head did not start: $(cat "$T/pipe.err")"
for i in $(seq 30); do [ -s "$T/pipe.rc" ] && break; memfd "pipe-$i"; sleep 0.3; done
wait_for 10 test -s "$T/pipe.rc" || fail "rtmon --stdout | head: rtmon still runs after head exited"
[ "$(cat "$T/pipe.rc")" = 0 ] || fail "rtmon exited $(cat "$T/pipe.rc") after EPIPE, want 0"
grep -q '"kind":"alert"' "$T/head.out" || fail "head got no alert line"
echo "ok: rtmon --stdout | head -1: exit 0 ($(grep 'stdout was closed' "$T/pipe.err"))"

# ---- 5. non-root: the first line names the missing capability ----
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	"$RTMON" -c "$T/base.conf" > /dev/null 2> "$T/nonroot" < /dev/null || rc=$?
[ "$rc" = 2 ] || fail "non-root exited $rc, want 2: $(cat "$T/nonroot")"
head -1 "$T/nonroot" | grep -q "missing capability CAP_BPF and CAP_PERFMON (rtmon runs as uid 65534)" ||
	fail "the first line does not name the capability: $(head -3 "$T/nonroot")"
[ "$(wc -l < "$T/nonroot")" = 1 ] || fail "non-root: more than one line: $(cat "$T/nonroot")"
echo "ok: non-root: $(head -1 "$T/nonroot" | cut -c1-120)"
echo PASS
