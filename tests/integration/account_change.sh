#!/bin/bash
# account_change.sh: local account changes with the shipped default rules - useradd, usermod -o -u 0, a shell
# appending to /etc/passwd, sed -i rewriting /etc/group - each raise account_change with the exact pid (the
# file writes with the path); usermod -c, id and getent raise nothing. The account files are restored.
. "$(dirname "$0")/lib.sh"
require_root
for t in useradd usermod sed; do command -v $t > /dev/null || skip "needs $t"; done
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
rtmon_actions "account" "$top_srcdir/tests/integration/account_actions.py" "$T"
echo PASS
