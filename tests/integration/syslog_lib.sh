# shellcheck shell=bash
# syslog_lib.sh - a real rsyslogd on loopback as the SIEM stand-in, for the syslog tests.
# Sourced by tests/integration/syslog*.sh. Needs: rsyslog rsyslog-gnutls rsyslog-relp, openssl, python3.
#
# rsyslog_setup          throwaway PKI, random free ports, an rsyslog.conf with UDP, TCP, TLS (gtls)
#                        and RELP inputs; every message goes through mmpstrucdata to $T/out/all.json,
#                        one JSON object a line (input, msgid, procid, hostname, pri, sd, msg).
# rsyslog_start / rsyslog_stop (SIGTERM, waits) / rsyslog_kill9
# SEND                   the syslog_send driver (the real sink, the real loop)
# check_received INPUT N [min_dups]  every alert T-1..T-N arrived on INPUT; prints duplicates
set -u

: "${top_builddir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SEND=$top_builddir/tests/integration/syslog_send

syslog_need() {
	local m
	command -v rsyslogd >/dev/null || { echo "SKIP: rsyslogd not installed (apt-get install rsyslog)"; exit 77; }
	for m in imudp imtcp imrelp mmpstrucdata lmnsd_gtls; do
		ls /usr/lib/*/rsyslog/$m.so >/dev/null 2>&1 ||
			{ echo "SKIP: rsyslog module $m missing (apt-get install rsyslog rsyslog-gnutls rsyslog-relp)"; exit 77; }
	done
	command -v python3 >/dev/null || { echo "SKIP: python3 missing"; exit 77; }
	[ -x "$SEND" ] || { echo "SKIP: $SEND not built (make check builds it)"; exit 77; }
}

# a free TCP+UDP port on 127.0.0.1
free_port() {
	python3 - <<'EOF'
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        u.close(); t.close()
EOF
}

RPID=
T=
cleanup() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null
	[ -n "$RPID" ] && kill -TERM "$RPID" 2>/dev/null && wait "$RPID" 2>/dev/null
	[ -n "$T" ] && [ -z "${KEEP:-}" ] && rm -rf "$T"
	return 0
}
trap cleanup EXIT

pki() {
	local d=$1 cn=$2
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/ca.key" \
		-out "$d/ca.pem" -days 2 -subj "/CN=$cn" 2>/dev/null
}

rsyslog_setup() {
	T=$(mktemp -d /tmp/rtmon-syslog.XXXXXX)
	mkdir -p "$T/work" "$T/out" "$T/pki" "$T/other"
	pki "$T/pki" rtmon-test-ca
	pki "$T/other" some-other-ca          # the wrong CA for the verification test
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/pki/server.key" \
		-out "$T/pki/server.csr" -subj "/CN=localhost" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$T/pki/server.ext"
	openssl x509 -req -in "$T/pki/server.csr" -CA "$T/pki/ca.pem" -CAkey "$T/pki/ca.key" -CAcreateserial \
		-out "$T/pki/server.pem" -days 2 -extfile "$T/pki/server.ext" 2>/dev/null
	UDP_PORT=$(free_port); TCP_PORT=$(free_port); TLS_PORT=$(free_port); RELP_PORT=$(free_port)
	# Direct main queue: a message is in the file before rsyslog reads (TCP) or acknowledges
	# (RELP) the next one, so a kill -9 loses nothing rsyslog acknowledged.
	cat > "$T/rsyslog.conf" <<EOF
global(workDirectory="$T/work"
       DefaultNetstreamDriverCAFile="$T/pki/ca.pem"
       DefaultNetstreamDriverCertFile="$T/pki/server.pem"
       DefaultNetstreamDriverKeyFile="$T/pki/server.key"
       maxMessageSize="64k")
main_queue(queue.type="Direct")
module(load="imudp")
module(load="imtcp" MaxSessions="100")
module(load="imrelp")
module(load="mmpstrucdata")
template(name="sdjson" type="list") {
  constant(value="{\"input\":\"")    property(name="inputname")
  constant(value="\",\"msgid\":\"")  property(name="msgid" format="json")
  constant(value="\",\"procid\":\"") property(name="procid" format="json")
  constant(value="\",\"host\":\"")   property(name="hostname" format="json")
  constant(value="\",\"app\":\"")    property(name="app-name" format="json")
  constant(value="\",\"pri\":\"")    property(name="pri")
  constant(value="\",\"ts\":\"")     property(name="timereported" dateFormat="rfc3339" format="json")
  constant(value="\",\"rawsd\":\"")  property(name="structured-data" format="json")
  constant(value="\",\"sd\":")       property(name="\$!rfc5424-sd")
  constant(value=",\"msg\":\"")      property(name="msg" format="json")
  constant(value="\"}\n")
}
ruleset(name="siem") {
  action(type="mmpstrucdata")
  action(type="omfile" file="$T/out/all.json" template="sdjson" flushOnTXEnd="on" asyncWriting="off")
}
input(type="imudp" address="127.0.0.1" port="$UDP_PORT" ruleset="siem" name="udp")
input(type="imtcp" address="127.0.0.1" port="$TCP_PORT" ruleset="siem" name="tcp")
input(type="imtcp" address="127.0.0.1" port="$TLS_PORT" ruleset="siem" name="tls"
      StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
input(type="imrelp" address="127.0.0.1" port="$RELP_PORT" ruleset="siem" name="relp")
EOF
	rsyslogd -N1 -f "$T/rsyslog.conf" > "$T/check.out" 2>&1 || { cat "$T/check.out"; exit 1; }
}

rsyslog_start() {
	local i n
	rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslogd.pid" >> "$T/rsyslogd.out" 2>&1 &
	RPID=$!
	for i in $(seq 100); do
		n=$(ss -Hltun | grep -cE "127\.0\.0\.1:($UDP_PORT|$TCP_PORT|$TLS_PORT|$RELP_PORT) " || true)
		[ "$n" -ge 4 ] && return 0
		sleep 0.05
	done
	echo "rsyslogd did not open its ports"; cat "$T/rsyslogd.out"; exit 1
}

rsyslog_stop() {
	kill -TERM "$RPID"; wait "$RPID" 2>/dev/null; RPID=
}

rsyslog_kill9() {
	kill -KILL "$RPID"; wait "$RPID" 2>/dev/null; RPID=
}

# check_received INPUT N: every T-1..T-N arrived on INPUT with the right fields.
check_received() {
	python3 - "$T/out/all.json" "$1" "$2" <<'EOF'
import json, sys, collections
path, inp, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = collections.Counter()
for line in open(path, encoding="utf-8", errors="strict"):
    r = json.loads(line)
    if r["input"] != inp:
        continue
    sd = r["sd"]["rtmon@32473"]
    m = json.loads(r["msg"].lstrip("\ufeff"))
    i = int(sd["id"][2:])
    assert r["msgid"] == "suspicious_exec", r
    assert r["app"] == "rtmon" and r["host"] == "testhost", r
    assert r["pri"] == "35", r                 # auth (4) * 8 + err (3) for "high"
    assert sd["rule_id"] == "suspicious_exec" and sd["severity"] == "high" and sd["risk_score"] == "70", sd
    assert sd["pid"] == str(100000 + i) and sd["ppid"] == "1" and sd["uid"] == "1000", sd
    assert sd["addr"] == "127.0.0.1:4444", sd
    assert m["id"] == sd["id"] and m["event"]["pid"] == 100000 + i, (m, sd)
    seen[i] += 1
missing = [i for i in range(1, n + 1) if seen[i] == 0]
dups = sum(c - 1 for c in seen.values() if c > 1)
print(f"{inp}: {len(seen)} of {n} distinct alerts, {dups} duplicates, missing {missing[:20]}")
sys.exit(1 if missing or len(seen) != n else 0)
EOF
}
