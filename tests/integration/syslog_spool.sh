#!/bin/bash
# syslog_spool: with the relay down, alerts past the in-memory queue (queue_max 10) go to the on-disk
# spool and all arrive, in order of the queue then the spool, once rsyslogd is up; alerts still
# undelivered at a stop are saved to the spool and sent by the next run; past the spool's cap alerts
# are dropped, counted in rtmon_syslog_dropped_total and logged once for the episode; a full disk
# under the spool behaves the same.
set -u
. "$(dirname "$0")/syslog_lib.sh"
syslog_need
rsyslog_setup
fail=0
URL="tcp://127.0.0.1:$TCP_PORT"
SP=$T/spool
# 1) outage: 60 alerts, queue of 10, the rest in the spool; rsyslog comes up after 2 s
"$SEND" -n 60 -r 40 --queue 10 --spool "$SP" --flush-ms 15000 --metrics "$T/m1" -u "$URL" 2> "$T/e1" &
SPID=$!
sleep 1.6
ls -l "$SP"
[ -s "$SP/tcp_127.0.0.1_$TCP_PORT.spool" ] || { echo "nothing spooled"; fail=1; }
rsyslog_start
wait $SPID || fail=1
SPID=
sleep 0.3
check_received tcp 60 || fail=1
grep -q "rtmon_syslog_dropped_total{dest=\"$URL\"} 0" "$T/m1" || { cat "$T/m1"; fail=1; }
[ "$(stat -c %s "$SP/tcp_127.0.0.1_$TCP_PORT.spool")" = 8 ] || { echo "spool not emptied"; fail=1; }

# 2) a stop during an outage: the undelivered alerts wait in the spool for the next run
rsyslog_stop
: > "$T/out/all.json"
"$SEND" -n 25 -r 100 --queue 10 --spool "$SP" --flush-ms 300 --metrics "$T/m2" -u "$URL" 2> "$T/e2" || fail=1
grep -F "undelivered alerts saved to" "$T/e2" || { echo "no leftovers saved"; cat "$T/e2"; fail=1; }
grep -q "rtmon_syslog_queue_depth{dest=\"$URL\"} 25" "$T/m2" || { cat "$T/m2"; fail=1; }
rsyslog_start
"$SEND" -n 0 --spool "$SP" --flush-ms 10000 --metrics "$T/m3" -u "$URL" 2> "$T/e3" || fail=1
grep -F "alerts in the spool" "$T/e3" || fail=1
sleep 0.3
check_received tcp 25 || fail=1

# 3) past both caps: counted and logged once
rsyslog_stop
"$SEND" -n 40 -r 400 --queue 5 --spool "$T/tiny" --spool-max 2000 --flush-ms 200 --metrics "$T/m4" \
	-u "$URL" 2> "$T/e4" || fail=1
python3 - "$T/m4" "$URL" <<'PY' || fail=1
import sys, re
m = dict(re.findall(r'^(\w+)\{dest="[^"]*"\} (\d+)$', open(sys.argv[1]).read(), re.M))
dropped, depth = int(m["rtmon_syslog_dropped_total"]), int(m["rtmon_syslog_queue_depth"])
assert dropped > 20 and depth > 0 and dropped + depth == 40, m
print(f"caps: {depth} kept in the spool, {dropped} dropped and counted")
PY
[ "$(grep -c 'dropping alerts until' "$T/e4")" = 1 ] || { echo "drop episode not logged exactly once"; cat "$T/e4"; fail=1; }

# 4) the disk under the spool full (an 8 KiB tmpfs, far below the spool's cap): the write fails
# with ENOSPC, the spool stays whole, every alert is either kept or dropped and counted, no crash
mkdir -p "$T/full"
if mount -t tmpfs -o size=8k tmpfs "$T/full" 2> /dev/null; then
	"$SEND" -n 40 -r 400 --queue 5 --spool "$T/full" --spool-max 1048576 --flush-ms 200 --metrics "$T/m5" \
		-u "$URL" 2> "$T/e5" || { echo "the sink failed on a full disk"; cat "$T/e5"; fail=1; }
	python3 - "$T/m5" <<'PY' || fail=1
import sys, re
m = dict(re.findall(r'^(\w+)\{dest="[^"]*"\} (\d+)$', open(sys.argv[1]).read(), re.M))
dropped, depth = int(m["rtmon_syslog_dropped_total"]), int(m["rtmon_syslog_queue_depth"])
assert dropped > 0 and dropped + depth == 40, m
print(f"disk full: {depth} kept, {dropped} dropped and counted")
PY
	grep -qiE "no space|dropping alerts until" "$T/e5" || { echo "the full disk was not reported"; cat "$T/e5"; fail=1; }
	umount "$T/full"
else
	echo "note: cannot mount a tmpfs here, disk-full case skipped"
fi
[ $fail = 0 ] && echo PASS
exit $fail
