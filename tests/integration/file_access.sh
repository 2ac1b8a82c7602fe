#!/bin/bash
# file_access.sh: the kernel's file events with the shipped default rules: credentials read with python
# open() (sensitive_file_read), a cron.d file, a sudoers drop-in, a systemd unit, /etc/ld.so.preload,
# root's authorized_keys written and a file renamed into /etc/cron.d (persistence_write), another
# process's /proc/PID/mem opened for write (injection_attempt), a /var/log file truncated by open and by
# ftruncate and deleted (log_tampering): each its own alert with the exact pid and path. Near misses
# (appending to a log, reading /etc/passwd, writing /tmp, a process's own /proc/self/mem, reading a cron
# file) raise nothing.
. "$(dirname "$0")/lib.sh"
require_root
# the directories the rules watch for new files must exist when rtmon starts (sudo may not be installed)
MADE=
for d in /root/.ssh /etc/sudoers.d; do
	[ -d "$d" ] || { mkdir -m 750 "$d" && MADE="$MADE $d"; }
done
trap 'for d in $MADE; do rm -rf "$d"; done; cleanup_default' EXIT
rtmon_start --stdout -c "$top_srcdir/etc/rtmon/rtmon.conf"
grep -q "file watch: [1-9][0-9]* inodes" "$T/err" || fail "no file watch was set up"
rtmon_actions "file access" "$top_srcdir/tests/integration/file_access_actions.py"
echo PASS
