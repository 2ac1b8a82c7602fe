#!/bin/bash
# syslog_docs: the rsyslog receiver configurations in docs/OPERATIONS.md ("Forwarding to a SIEM") work
# as written: each one (UDP, TCP, TLS, mutual TLS, RELP) runs in a real rsyslogd, receives alerts from
# the sink and writes the documented JSON lines (rule, parsed SD, alert); the imjournal one is valid.
set -u
. "$(dirname "$0")/syslog_lib.sh"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
syslog_need
rsyslog_setup   # for the PKI and the ports
DOC=$top_srcdir/docs/OPERATIONS.md
# client certificate for mutual TLS
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$T/pki/client.key" \
	-out "$T/pki/client.csr" -subj "/CN=rtmon-client" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > "$T/pki/client.ext"
openssl x509 -req -in "$T/pki/client.csr" -CA "$T/pki/ca.pem" -CAkey "$T/pki/ca.key" -CAcreateserial \
	-out "$T/pki/client.pem" -days 2 -extfile "$T/pki/client.ext" 2>/dev/null
fail=0
run() {   # run NAME URL [send options...]
	local name=$1 url=$2 port=${2##*:} conf
	shift 2
	conf=$T/docs-$name.conf
	mkdir -p "$T/work-$name"
	{
		echo "global(workDirectory=\"$T/work-$name\")"
		block common
		if [ "$name" = mtls ]; then
			block tls | awk -v m="$T/mtls_module" '/^module\(load="imtcp"/ { while ((getline l < m) > 0) print l; next } { print }'
		else
			block "$name"
		fi
	} | sed -e "s|port=\"514\"|port=\"$port\"|; s|port=\"6514\"|port=\"$port\"|; s|port=\"2514\"|port=\"$port\"|" \
		-e "s|/etc/rsyslog-tls/|$T/pki/|; s|/var/log/rtmon/alerts.json|$T/out/docs-$name.json|" > "$conf"
	rsyslogd -N1 -f "$conf" > "$T/n1-$name" 2>&1 || { echo "$name: config rejected"; cat "$T/n1-$name" "$conf"; fail=1; return; }
	rsyslogd -n -f "$conf" -i "$T/docs-$name.pid" > "$T/docs-$name.out" 2>&1 &
	RPID=$!
	for _ in $(seq 100); do ss -Hltun | grep -q "127.0.0.1:$port \|\*:$port \|0.0.0.0:$port " && break; sleep 0.05; done
	"$SEND" -n 5 -r 100 --metrics "$T/m-$name" -u "$url" "$@" 2> "$T/send-$name.err" || fail=1
	sleep 0.5
	rsyslog_stop
	python3 - "$T/out/docs-$name.json" "$name" <<'PY' || { cat "$T/docs-$name.out" "$T/send-$name.err"; fail=1; }
import json, sys
ids = set()
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    sd = r["sd"]["rtmon@32473"]
    assert r["rule"] == "suspicious_exec" and r["host"] == "testhost", r
    assert r["alert"]["id"] == sd["id"] and r["alert"]["event"]["pid"] == int(sd["pid"]), r
    ids.add(sd["id"])
assert ids == {f"T-{i}" for i in range(1, 6)}, ids
print(f"{sys.argv[2]}: the documented receiver got {len(ids)} alerts")
PY
}
# the mutual TLS variant replaces the TLS block's module() line with the documented one
awk '/StreamDriver.AuthMode="x509\/certvalid"/ { print prev; print; exit } { prev = $0 }' "$DOC" > "$T/mtls_module"
grep -q 'x509/certvalid' "$T/mtls_module" || { echo "mutual TLS module line not found"; fail=1; }
block() {   # the code block after <!-- rsyslog:NAME
	awk -v n="rsyslog:$1 " 'index($0, n) { f = 1; next } f && /^```/ { if (c++) exit; next } f && c { print }' "$DOC"
}
run udp "udp://127.0.0.1:$UDP_PORT"
run tcp "tcp://127.0.0.1:$TCP_PORT"
run tls "tls://127.0.0.1:$TLS_PORT" --ca "$T/pki/ca.pem"
run mtls "tls://127.0.0.1:$TLS_PORT" --ca "$T/pki/ca.pem" --cert "$T/pki/client.pem" --key "$T/pki/client.key"
run relp "relp://127.0.0.1:$RELP_PORT"
# imjournal path: the configuration is valid (journald itself is exercised by the journal tests)
{ echo "global(workDirectory=\"$T/work\")"; block journal; } > "$T/docs-journal.conf"
rsyslogd -N1 -f "$T/docs-journal.conf" > "$T/n1-journal" 2>&1 || { echo "journal: config rejected"; cat "$T/n1-journal"; fail=1; }
[ $fail = 0 ] && echo PASS
exit $fail
