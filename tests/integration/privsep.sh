#!/bin/bash
# Issue 19, privilege separation (root, real BPF): the HTTP listener runs in its own process, a child of rtmond
# ("rtmond --listener-child") with CapEff/CapPrm/CapBnd 0, Seccomp 2 (filter), NoNewPrivs 1, a non-root uid,
# no bpf-map/bpf-prog fds (only the socketpair, the listening socket and its own), its root in dashboard_dir
# (no /etc/shadow, no /proc there; /proc/1/mem refused to its uid) while still serving the dashboard files.
# kill -9 of the listener: the monitor logs it, a new listener appears, alerts keep flowing on stdout, and an
# SSE client resuming with Last-Event-ID gets the alerts raised before and during the outage.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=tok-$RANDOM$RANDOM
U=http://127.0.0.1:$PORT
AUTH=(-H "Authorization: Bearer $TOKEN")
mkdir -p "$T/dash"
echo "<title>privsep-dashboard-$RANDOM</title>" > "$T/dash/index.html"
chmod 755 "$T" "$T/dash"
chmod 644 "$T/dash/index.html"
rtmon_start -o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT" -o "outputs.sse.token=$TOKEN" \
	-o "outputs.sse.dashboard_dir=$T/dash" --stdout

listener() { pgrep -P "$RPID" -f -- '--listener-child' | head -1; }
field() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$2/status"; }
LPID=$(listener)
[ -n "$LPID" ] || fail "no listener process under rtmond $RPID"
# it confines itself right after exec: wait until it has
for _ in $(seq 50); do [ "$(field Seccomp "$LPID")" = 2 ] && break; sleep 0.1; done
[ "$(field CapEff "$LPID")" = 0000000000000000 ] || fail "CapEff $(field CapEff "$LPID")"
[ "$(field CapPrm "$LPID")" = 0000000000000000 ] || fail "CapPrm $(field CapPrm "$LPID")"
[ "$(field CapBnd "$LPID")" = 0000000000000000 ] || fail "CapBnd $(field CapBnd "$LPID")"
[ "$(field Seccomp "$LPID")" = 2 ] || fail "Seccomp $(field Seccomp "$LPID"), want 2"
[ "$(field NoNewPrivs "$LPID")" = 1 ] || fail "NoNewPrivs $(field NoNewPrivs "$LPID")"
LUID=$(field Uid "$LPID")
WANT_UID=$(id -u rtmon 2> /dev/null || echo 65534)
[ "$LUID" = "$WANT_UID" ] || fail "listener uid $LUID, want $WANT_UID"
[ "$(awk '$1 == "Groups:" {print NF}' "/proc/$LPID/status")" = 1 ] || fail "supplementary groups left"
echo "ok   listener $LPID: uid $LUID, no capabilities, seccomp filter, no_new_privs"

ls -l "/proc/$LPID/fd" > "$T/fds"
grep -q 'bpf' "$T/fds" && fail "bpf fds in the listener: $(grep bpf "$T/fds")"
ls -l "/proc/$RPID/fd" > "$T/monitor-fds"
grep -q 'anon_inode:bpf-map' "$T/monitor-fds" || fail "the monitor holds no bpf-map fd (test is blind)"
NFD=$(grep -c -- '->' "$T/fds")
[ "$NFD" -le 9 ] || fail "the listener holds $NFD fds: $(cat "$T/fds")"
echo "ok   no bpf-map/bpf-prog fds ($NFD fds in all)"

[ "$(readlink "/proc/$LPID/root")" = "$T/dash" ] || fail "listener root $(readlink "/proc/$LPID/root"), want $T/dash"
[ ! -e "/proc/$LPID/root/etc/shadow" ] || fail "/etc/shadow visible to the listener"
[ ! -e "/proc/$LPID/root/proc/1/mem" ] || fail "/proc visible to the listener"
# with the listener's uid (outside any chroot) /proc/1/mem and /etc/shadow are refused too
if command -v setpriv > /dev/null; then
	setpriv --reuid "$LUID" --regid "$LUID" --clear-groups cat /etc/shadow > /dev/null 2>&1 &&
		fail "/etc/shadow readable by uid $LUID"
	setpriv --reuid "$LUID" --regid "$LUID" --clear-groups head -c1 /proc/1/mem > /dev/null 2>&1 &&
		fail "/proc/1/mem readable by uid $LUID"
fi
curl -sf "$U/index.html" > "$T/index" || fail "GET /index.html failed"
grep -q "privsep-dashboard" "$T/index" || fail "the dashboard file is not served from the chroot"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")" = 200 ] || fail "/healthz not 200"
curl -sf "${AUTH[@]}" "$U/metrics" > "$T/metrics" || fail "/metrics failed"
grep -q '^rtmon_events_total' "$T/metrics" && grep -q '^rtmon_sse_clients ' "$T/metrics" &&
	grep -q '^rtmon_listener_up 1' "$T/metrics" || fail "/metrics lacks the monitor's or the listener's metrics"
echo "ok   filesystem view is dashboard_dir; files, /healthz and /metrics served"

# an alert before the kill, one during the outage, one after the restart
trigger() {
	python3 -c 'import os, sys; print(os.getpid(), flush=True); os.close(os.memfd_create("rtmon-privsep-" + sys.argv[1]))' "$1"
}
alert_id() { # pid -> id of its injection_attempt on stdout
	for _ in $(seq 50); do
		python3 - "$T/out" "$1" <<'EOF' && return 0
import json, sys
for l in open(sys.argv[1]):
    a = json.loads(l)
    if a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == int(sys.argv[2]):
        print(a["id"]); sys.exit(0)
sys.exit(1)
EOF
		sleep 0.1
	done
	fail "no injection_attempt for pid $1 on stdout"
}
P1=$(trigger before)
ID1=$(alert_id "$P1")
for _ in $(seq 50); do curl -s "${AUTH[@]}" "$U/api/alerts?limit=1000" | grep -q "\"$ID1\"" && break; sleep 0.1; done
curl -s "${AUTH[@]}" "$U/api/alerts?limit=1000" | grep -q "\"$ID1\"" || fail "alert $ID1 not in /api/alerts"

kill -9 "$LPID"
P2=$(trigger during)
ID2=$(alert_id "$P2")
for _ in $(seq 100); do
	NEW=$(listener)
	[ -n "$NEW" ] && [ "$NEW" != "$LPID" ] && break
	sleep 0.1
done
[ -n "$NEW" ] && [ "$NEW" != "$LPID" ] || fail "no new listener after kill -9 of $LPID"
kill -0 "$RPID" || fail "the monitor died with its listener"
grep -q "sse: listener process $LPID killed by signal 9" "$T/err" || fail "the death of $LPID is not logged"
for _ in $(seq 50); do [ "$(field Seccomp "$NEW")" = 2 ] && break; sleep 0.1; done
[ "$(field CapEff "$NEW")" = 0000000000000000 ] && [ "$(field Seccomp "$NEW")" = 2 ] &&
	[ "$(field Uid "$NEW")" = "$LUID" ] || fail "the new listener $NEW is not confined"
echo "ok   kill -9 $LPID logged, new listener $NEW confined"

P3=$(trigger after)
ID3=$(alert_id "$P3")
# resume after the alert before ID1: ID1, ID2 (raised during the outage) and ID3, in order
curl -s "${AUTH[@]}" "$U/api/alerts?limit=1000" > "$T/api.json"
PREV=$(python3 - "$T/api.json" "$ID1" <<'EOF'
import json, sys
ids = [a["id"] for a in json.load(open(sys.argv[1]))]
i = ids.index(sys.argv[2])
print(ids[i - 1] if i > 0 else "0-0")
EOF
) || fail "alert $ID1 lost across the restart"
curl -s -N --max-time 3 "${AUTH[@]}" -H "Last-Event-ID: $PREV" "$U/events" > "$T/resume" || true
python3 - "$T/resume" "$ID1" "$ID2" "$ID3" <<'EOF' || fail "resume after $PREV: $(head -c 600 "$T/resume")"
import sys
ids = [l[4:].strip() for l in open(sys.argv[1]) if l.startswith("id: ")]
want = sys.argv[2:]
pos = [ids.index(w) for w in want]
assert ids[0] == want[0], (ids[:3], want)
assert pos == sorted(pos), (pos, want)
EOF
curl -sf "${AUTH[@]}" "$U/metrics" > "$T/metrics" || fail "/metrics failed after the restart"
grep -qx 'rtmon_listener_restarts_total 1' "$T/metrics" || fail "rtmon_listener_restarts_total is not 1"
echo "ok   $ID1 (before), $ID2 (during the outage), $ID3 (after) on stdout and resumed over SSE"

rtmon_stop
kill -0 "$NEW" 2> /dev/null && fail "the listener $NEW outlived rtmond"
echo "ok   the listener exits with rtmond"
