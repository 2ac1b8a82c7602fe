#!/bin/bash
# syslog_daemon: the real rtmon (real BPF) forwards real alerts to a real rsyslogd over TCP, TLS, RELP
# and UDP at once (outputs.syslog in the config file): rsyslog parses MSGID, the SD values match the
# alert rtmon printed on stdout, MSG is that alert's JSON, PROCID is rtmon's pid. Then the TLS
# destination gets the wrong CA: a clear error and nothing delivered; the config is fixed, rtmon gets
# SIGHUP, and the alert raised meanwhile arrives.
set -u
. "$(dirname "$0")/syslog_lib.sh"
: "${RTMON:=$top_builddir/src/rtmond}"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to load BPF programs"; exit 77; }
[ -x "$RTMON" ] || { echo "SKIP: rtmon is not built: $RTMON"; exit 77; }
syslog_need
rsyslog_setup
rsyslog_start
DPID=
stop_daemon() { [ -n "$DPID" ] && kill -TERM "$DPID" 2>/dev/null && wait "$DPID"; DPID=; }
trap 'stop_daemon; cleanup' EXIT

write_conf() {   # write_conf CA_FILE
	cat > "$T/rtmon.conf" <<EOF
outputs = {
  stdout = true;
  journal = false;
  syslog = (
    { url = "tcp://127.0.0.1:$TCP_PORT"; facility = "auth"; },
    { url = "tls://127.0.0.1:$TLS_PORT"; facility = "auth"; ca_file = "$1"; },
    { url = "relp://127.0.0.1:$RELP_PORT"; facility = "auth"; },
    { url = "udp://127.0.0.1:$UDP_PORT"; facility = "auth"; }
  );
};
EOF
}
write_conf "$T/pki/ca.pem"
"$RTMON" -c "$T/rtmon.conf" > "$T/alerts.json" 2> "$T/rtmon.err" < /dev/null &
DPID=$!
for _ in $(seq 200); do
	grep -q "monitoring:" "$T/rtmon.err" 2>/dev/null && break
	kill -0 $DPID 2>/dev/null || { echo "rtmon exited"; cat "$T/rtmon.err"; exit 1; }
	sleep 0.05
done
mkdir -p "$T/bin"
# suspicious_exec: a program run from /tmp. Detached (reparented before it runs), so that no build
# tool (make check) is among its ancestors: the default rules make an exception for those.
detached() { setsid -f sh -c 'sleep 0.3; exec "$0"' "$1"; }
for i in 1 2 3; do cp /bin/true "$T/bin/evil$i"; detached "$T/bin/evil$i"; done
sleep 1.5
fail=0
python3 - "$T/out/all.json" "$T/alerts.json" "$DPID" "$T/bin" <<'EOF' || fail=1
import json, sys
recv, alerts, pid, bindir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
want = {}
for line in open(alerts):
    a = json.loads(line)
    if a.get("rule_id") == "suspicious_exec" and a.get("event", {}).get("exe", "").startswith(bindir):
        want[a["id"]] = a
assert len(want) >= 3, f"rtmon raised {len(want)} alerts for {bindir}"
got = {}
for line in open(recv, encoding="utf-8"):
    r = json.loads(line)
    sd = r["sd"].get("rtmon@32473", {})
    if sd.get("id") not in want:
        continue
    a = want[sd["id"]]
    m = json.loads(r["msg"])
    assert r["msgid"] == "suspicious_exec" and r["app"] == "rtmon" and r["procid"] == pid, r
    assert r["pri"] == "35", r          # auth * 8 + err (high)
    assert m == a, (m, a)               # MSG is exactly the alert rtmon printed
    assert sd["rule_id"] == a["rule_id"] and sd["severity"] == a["severity"], sd
    assert sd["risk_score"] == str(a["risk_score"]) and sd["pid"] == str(a["event"]["pid"]), sd
    assert sd["exe"] == a["event"]["exe"] and sd["uid"] == str(a["event"]["uid"]), sd
    got.setdefault(r["input"], set()).add(sd["id"])
for inp in ("tcp", "tls", "relp", "udp"):
    assert got.get(inp) == set(want), f"{inp}: {sorted(got.get(inp, []))} != {sorted(want)}"
print(f"daemon: {len(want)} alerts arrived over tcp, tls, relp and udp with matching MSGID, SD and MSG")
EOF

# the wrong CA, then fixed by a reload
write_conf "$T/other/ca.pem"
kill -HUP $DPID
sleep 1
cp /bin/true "$T/bin/late"; detached "$T/bin/late"
sleep 1.5
grep -F "tls://127.0.0.1:$TLS_PORT: certificate verify failed: " "$T/rtmon.err" || { echo "no clear TLS error"; fail=1; }
LATE=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    a = json.loads(l)
    if a.get("event", {}).get("exe") == sys.argv[2]: print(a["id"]); break' "$T/alerts.json" "$T/bin/late")
[ -n "$LATE" ] || { echo "no alert for $T/bin/late"; fail=1; }
grep -q "\"input\":\"tls\".*\"id\": \"$LATE\"" "$T/out/all.json" && { echo "delivered despite the wrong CA"; fail=1; }
write_conf "$T/pki/ca.pem"
kill -HUP $DPID
for _ in $(seq 50); do grep -q "\"input\":\"tls\".*\"id\": \"$LATE\"" "$T/out/all.json" && break; sleep 0.1; done
grep -q "\"input\":\"tls\".*\"id\": \"$LATE\"" "$T/out/all.json" || { echo "alert $LATE lost after the CA fix"; fail=1; }
stop_daemon
[ $fail = 0 ] && echo PASS || { echo "--- rtmon stderr"; tail -30 "$T/rtmon.err"; }
exit $fail
