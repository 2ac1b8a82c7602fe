#!/bin/bash
# loader_env.sh: what the dynamic loader is told and what it maps, with the shipped default rules. At exec
# the kernel scans the new program's whole environment and reports LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH
# and GLIBC_TUNABLES (event "env"); a PROT_EXEC mapping of a memfd, a deleted file or a file under a
# world-writable directory is reported with its path and map_file. loader_env_injection and
# untrusted_library_load fire with the exact pid, variable and path (loader_actions.py); the near misses
# raise nothing. A clone() into new namespaces is a namespace event (ns_op clone, ns_flags, child_pid).
. "$(dirname "$0")/lib.sh"
require_root
command -v cc > /dev/null || skip "needs cc (scripts/install-deps.sh)"
# the clone helper lives outside the temp dirs (suspicious_exec is not what this checks)
W=$(mktemp -d /var/lib/rtmon-loader.XXXXXX)
trap 'rm -rf "$W"; cleanup_default' EXIT
rtmon_start --stdout --trace -c "$top_srcdir/etc/rtmon/rtmon.conf"
cat > "$W/newns.c" <<'C'
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
static char stack[65536];
static int child(void *a) { (void)a; return 0; }
int main(void)
{
	int pid = clone(child, stack + sizeof(stack), CLONE_NEWUTS | SIGCHLD, NULL);

	if (pid < 0)
		return 1;
	printf("%d\n", pid);
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}
C
cc -o "$W/newns" "$W/newns.c" || fail "cannot build the clone helper"
rtmon_actions "loader" "$top_srcdir/tests/integration/loader_actions.py" "$T" "$W/newns"
python3 - "$T/out" "$W/newns" "$(cat "$T/newns.child")" <<'PY' || fail "the clone into new namespaces"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ev = [o for o in lines if o.get("kind") == "event"]
ex = [o for o in ev if o["type"] == "exec" and o.get("exe") == sys.argv[2]]
assert ex, "no exec of the clone helper"
ns = [o for o in ev if o["type"] == "namespace" and o["pid"] == ex[0]["pid"]]
assert ns and ns[0]["ns_op"] == "clone" and ns[0]["ns_flags"] == ["CLONE_NEWUTS"] \
    and ns[0]["child_pid"] == int(sys.argv[3]), ns
print("clone: pid %d ns_flags %s child_pid %d" % (ns[0]["pid"], ns[0]["ns_flags"], ns[0]["child_pid"]))
PY
echo PASS
