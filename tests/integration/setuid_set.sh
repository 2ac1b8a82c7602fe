#!/bin/bash
# setuid_set.sh: set-user-ID / set-group-ID bits and file capabilities put on any file (chmod, fchmod,
# fchmodat with S_ISUID/S_ISGID; setxattr of security.capability) are file events with the path resolved
# (relative paths against the caller's working directory) and raise setuid_set with the exact pid, path
# and file_op, with the shipped default rules; chmod 0755 and a make install raise nothing.
. "$(dirname "$0")/lib.sh"
require_root
command -v make > /dev/null || skip "needs make (scripts/install-deps.sh)"
W=$(mktemp -d /var/lib/rtmon-setuid.XXXXXX)
trap 'rm -rf "$W"; cleanup_default' EXIT
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
rtmon_actions "setuid" "$top_srcdir/tests/integration/setuid_actions.py" "$W"
echo PASS
