#!/bin/bash
# syslog: the sink delivers constructed alerts over UDP, TCP (octet counting), TLS and RELP to a real
# rsyslogd at once; rsyslog's RFC5424 parser and mmpstrucdata yield the MSGID, every SD value (with
# escaping and non-ASCII), and the MSG is the alert JSON; UDP trims MSG to udp_max, never the SD.
set -u
. "$(dirname "$0")/syslog_lib.sh"
syslog_need
rsyslog_setup
rsyslog_start
fail=0
EXE='/tmp/we"ird]\pa th/é'
timeout 30 "$SEND" -n 20 -r 200 --exe "$EXE" --ca "$T/pki/ca.pem" --metrics "$T/metrics" \
	-u "udp://127.0.0.1:$UDP_PORT" -u "tcp://127.0.0.1:$TCP_PORT" -u "tls://127.0.0.1:$TLS_PORT" \
	-u "relp://127.0.0.1:$RELP_PORT" 2> "$T/send.err" || { echo "syslog_send failed"; cat "$T/send.err"; fail=1; }
sleep 0.3
for i in udp tcp tls relp; do check_received $i 20 || fail=1; done
# exact SD value after unescaping, exact wire form
python3 - "$T/out/all.json" "$EXE" <<'PY' || fail=1
import json, sys
want = sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    assert r["sd"]["rtmon@32473"]["exe"] == want, (r["sd"], want)
    assert 'exe="/tmp/we\\"ird\\]\\\\pa th/\u00e9"' in r["rawsd"], r["rawsd"]
print("escaping: ok")
PY
grep -q 'rtmon_syslog_sent_total{dest="tcp://127.0.0.1:'"$TCP_PORT"'"} 20' "$T/metrics" || { echo "metrics:"; cat "$T/metrics"; fail=1; }
grep -q 'rtmon_syslog_dropped_total{dest="relp://127.0.0.1:'"$RELP_PORT"'"} 0' "$T/metrics" || fail=1
grep -q 'rtmon_syslog_queue_depth{dest="tls://127.0.0.1:'"$TLS_PORT"'"} 0' "$T/metrics" || fail=1
# one HELP/TYPE per family, then one sample per destination, families not interleaved
python3 - "$T/metrics" <<'PY' || { cat "$T/metrics"; fail=1; }
import sys
lines = open(sys.argv[1]).read().splitlines()
fams = [l.split()[2] for l in lines if l.startswith("# TYPE ")]
assert fams == ["rtmon_syslog_sent_total", "rtmon_syslog_dropped_total", "rtmon_syslog_queue_depth",
                "rtmon_syslog_connected", "rtmon_syslog_reconnects_total"], fams
for i, f in enumerate(fams):
    block = lines[i * 6 + 2:i * 6 + 6]
    assert all(l.startswith(f + '{dest="') for l in block), block
print("metrics: grouped")
PY

# a host name instead of an IP literal: resolved asynchronously (getaddrinfo_a), every address tried
# (localhost may be ::1 first, rsyslog listens on 127.0.0.1 only), TLS verifies the DNS SAN and sends SNI
: > "$T/out/all.json"
timeout 20 "$SEND" -n 3 -r 100 --ca "$T/pki/ca.pem" --metrics "$T/metrics-name" \
	-u "tcp://localhost:$TCP_PORT" -u "tls://localhost:$TLS_PORT" 2> "$T/send-name.err" || fail=1
sleep 0.3
check_received tcp 3 || { cat "$T/send-name.err"; fail=1; }
check_received tls 3 || { cat "$T/send-name.err"; fail=1; }

# UDP size limit: udp_max 480 cuts MSG, header and SD arrive whole
: > "$T/out/all.json"
timeout 20 "$SEND" -n 3 -r 100 --udp-max 480 --exe "/usr/bin/$(printf "é%.0s" $(seq 100))" \
	--metrics "$T/metrics2" -u "udp://127.0.0.1:$UDP_PORT" 2> "$T/send2.err" || fail=1
sleep 0.3
python3 - "$T/out/all.json" <<'PY' || fail=1
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8", errors="strict"):
    r = json.loads(line)
    sd = r["sd"]["rtmon@32473"]
    assert sd["exe"] == "/usr/bin/" + "é" * 100 and sd["pid"].startswith("1000"), sd
    full = '{"kind":"alert","id":"%s","rule_id":"suspicious_exec","event":{"pid":%s}}' % (sd["id"], sd["pid"])
    assert r["msg"] != full and full.startswith(r["msg"]) and len(r["msg"]) > 0, r["msg"]
    n += 1
assert n == 3, n
print("udp trimming: ok")
PY
[ $fail = 0 ] && echo PASS
exit $fail
