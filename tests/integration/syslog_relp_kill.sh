#!/bin/bash
# syslog_relp_kill: alerts keep coming over RELP while rsyslogd is killed with SIGKILL and started
# again: every alert arrives (librelp resends what the server had not acknowledged; duplicates are
# reported), and the sink counts the reconnect.
set -u
. "$(dirname "$0")/syslog_lib.sh"
syslog_need
rsyslog_setup
rsyslog_start
N=200
# (sanitizer builds: librelp's own leak on the killed session, see the suppression file)
LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan_librelp_kill.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
	"$SEND" -n $N -r 50 --flush-ms 20000 --metrics "$T/metrics" -u "relp://127.0.0.1:$RELP_PORT" 2> "$T/send.err" &
SPID=$!
sleep 1.2
rsyslog_kill9
echo "rsyslogd killed after $(grep -c . "$T/out/all.json") messages"
sleep 1.5
rsyslog_start
fail=0
wait $SPID || { echo "syslog_send failed"; fail=1; }
SPID=
sleep 0.3
check_received relp $N || fail=1
cat "$T/metrics"
grep -q "rtmon_syslog_reconnects_total{dest=\"relp://127.0.0.1:$RELP_PORT\"} 1" "$T/metrics" || { echo "no reconnect counted"; fail=1; }
grep -q "rtmon_syslog_dropped_total{dest=\"relp://127.0.0.1:$RELP_PORT\"} 0" "$T/metrics" || fail=1
head -5 "$T/send.err"
[ $fail = 0 ] && echo PASS || cat "$T/send.err"
exit $fail
