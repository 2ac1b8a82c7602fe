#!/bin/bash
# Proves the history's retention through the real daemon and the listener process (root, real BPF): with
# history = 128, one high alert (injection_attempt: an unsealed memfd from a python process whose pid we know)
# followed by 300 medium alerts (hidden_exec: distinct execs from a dot directory, folding and rate limit off)
# is still in /api/alerts, which holds 128 alerts in increasing id order; the newest medium alerts are there too.
# The old ring (oldest first) lost the high alert after the 128th medium one. (Other high alerts raised on the
# host meanwhile, by other tests, could evict it only beyond 112 of them.)
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
command -v curl > /dev/null || skip "needs curl"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TOKEN=tok-$RANDOM$RANDOM
U=http://127.0.0.1:$PORT
DOT=/root/.rtmon-retention-$$
trap 'rm -rf "$DOT"; cleanup_default' EXIT
mkdir -p "$DOT" && cp /bin/true "$DOT/true"
rtmon_start -o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT" -o "outputs.sse.token=$TOKEN" \
	-o outputs.sse.history=128 -o alerting.fold_window_s=0 -o alerting.rate_limit=0 --stdout

python3 -c 'import os, time; print(os.getpid(), flush=True); os.close(os.memfd_create("rtmon-retention")); time.sleep(0.2)' \
	> "$T/pid"
TPID=$(cat "$T/pid")
python3 - "$DOT/true" > "$T/low" <<'PY'
import os, subprocess, sys
pids = []
for i in range(300):
    p = subprocess.Popen([sys.argv[1], "run-%d" % i])
    pids.append(p.pid)
    p.wait()
print(" ".join(map(str, pids)))
PY
sleep 1
curl -s -H "Authorization: Bearer $TOKEN" "$U/api/alerts?limit=1000" > "$T/api.json"
rtmon_stop
python3 - "$T/api.json" "$T/out" "$TPID" "$T/low" <<'PY' || fail "retention (above)"
import json, sys
api = json.load(open(sys.argv[1]))
out = [json.loads(l) for l in open(sys.argv[2]) if l.startswith("{")]
tpid, low = int(sys.argv[3]), [int(p) for p in open(sys.argv[4]).read().split()]
mine = [a for a in out if a.get("rule_id") == "hidden_exec" and a.get("event", {}).get("pid") in low]
assert len(mine) == 300, "hidden_exec alerts on stdout: %d of 300" % len(mine)
high = [a for a in out if a.get("rule_id") == "injection_attempt" and a.get("event", {}).get("pid") == tpid]
assert len(high) == 1, "injection_attempt for pid %d on stdout: %d" % (tpid, len(high))
ids = [a["id"] for a in api]
assert len(api) == 128, "/api/alerts holds %d, not 128" % len(api)
seqs = [int(i.split("-")[1]) for i in ids]
assert seqs == sorted(seqs) and len(set(seqs)) == 128, ids
assert high[0]["id"] in ids, "the high alert %s was evicted: %s" % (high[0]["id"], ids)
assert mine[-1]["id"] in ids, "the newest medium alert is missing"
print("ok   injection_attempt %s kept among %d alerts, %d of them hidden_exec" % (high[0]["id"], len(api), sum(a["rule_id"] == "hidden_exec" for a in api)))
PY
