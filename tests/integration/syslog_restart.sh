#!/bin/bash
# syslog_restart: alerts keep coming over TCP and TLS while rsyslogd is stopped gracefully (SIGTERM)
# and started again: every alert arrives (duplicates allowed and reported), the sink counts the
# reconnect and drops nothing.
set -u
. "$(dirname "$0")/syslog_lib.sh"
syslog_need
rsyslog_setup
rsyslog_start
N=200
"$SEND" -n $N -r 50 --flush-ms 20000 --ca "$T/pki/ca.pem" --metrics "$T/metrics" \
	-u "tcp://127.0.0.1:$TCP_PORT" -u "tls://127.0.0.1:$TLS_PORT" 2> "$T/send.err" &
SPID=$!
sleep 1.2
rsyslog_stop
echo "rsyslogd stopped after $(grep -c . "$T/out/all.json") messages"
sleep 1.5
rsyslog_start
fail=0
wait $SPID || { echo "syslog_send failed"; fail=1; }
SPID=
sleep 0.3
check_received tcp $N || fail=1
check_received tls $N || fail=1
cat "$T/metrics"
for p in tcp:$TCP_PORT tls:$TLS_PORT; do
	grep -q "rtmon_syslog_reconnects_total{dest=\"${p%%:*}://127.0.0.1:${p#*:}\"} 1" "$T/metrics" || { echo "no reconnect counted for $p"; fail=1; }
	grep -q "rtmon_syslog_dropped_total{dest=\"${p%%:*}://127.0.0.1:${p#*:}\"} 0" "$T/metrics" || fail=1
done
grep -E 'closed by the peer|connect' "$T/send.err" | head -5
[ $fail = 0 ] && echo PASS || { cat "$T/send.err"; }
exit $fail
