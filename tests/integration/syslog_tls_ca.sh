#!/bin/bash
# syslog_tls_ca: TLS with the wrong CA fails with a clear "certificate verify failed" line and sends
# nothing; once the CA is fixed and the sink reloaded (SIGHUP -> reconfigure), every queued alert
# arrives. A certificate whose name does not match is refused the same way, and what could not be
# delivered by the stop is counted as dropped.
set -u
. "$(dirname "$0")/syslog_lib.sh"
syslog_need
rsyslog_setup
rsyslog_start
fail=0
URL="tls://127.0.0.1:$TLS_PORT"
"$SEND" -n 30 -r 20 --run-ms 4000 --flush-ms 10000 --ca "$T/other/ca.pem" --reload-ca "$T/pki/ca.pem" \
	--metrics "$T/metrics" -u "$URL" 2> "$T/send.err" &
SPID=$!
sleep 2
grep -F "rtmon: $URL: certificate verify failed: " "$T/send.err" || { echo "no clear TLS error"; fail=1; }
[ "$(grep -c '"input":"tls"' "$T/out/all.json" 2>/dev/null)" = 0 ] 2>/dev/null || [ ! -s "$T/out/all.json" ] ||
	{ echo "delivered despite the wrong CA"; fail=1; }
[ "$(grep -c 'certificate verify failed' "$T/send.err")" = 1 ] || { echo "logged more than once per episode"; fail=1; }
kill -HUP $SPID
wait $SPID || { echo "syslog_send failed"; fail=1; }
SPID=
sleep 0.3
check_received tls 30 || fail=1
grep -q "rtmon_syslog_dropped_total{dest=\"$URL\"} 0" "$T/metrics" || { cat "$T/metrics"; fail=1; }

# hostname verification: the server certificate is for localhost / 127.0.0.1, not this name
: > "$T/out/all.json"
"$SEND" -n 1 --flush-ms 1500 --ca "$T/pki/ca.pem" --server-name not-the-server.invalid \
	--metrics "$T/metrics2" -u "$URL" 2> "$T/send2.err" || fail=1
grep -F "rtmon: $URL: certificate verify failed: " "$T/send2.err" | grep -i 'name' ||
	{ echo "no hostname error:"; cat "$T/send2.err"; fail=1; }
grep -q "rtmon_syslog_dropped_total{dest=\"$URL\"} 1" "$T/metrics2" || { cat "$T/metrics2"; fail=1; }
[ ! -s "$T/out/all.json" ] || { echo "delivered to a server with the wrong name"; fail=1; }
# ... and --no-verify (tls_verify_hostname = false) accepts it, the chain still checked
"$SEND" -n 1 --ca "$T/pki/ca.pem" --server-name not-the-server.invalid --no-verify \
	--metrics "$T/metrics3" -u "$URL" 2> "$T/send3.err" || fail=1
sleep 0.3
check_received tls 1 || fail=1
[ $fail = 0 ] && echo PASS || cat "$T/send.err"
exit $fail
