#!/bin/bash
# One view of a cluster in a browser (issue 22): three rtmond nodes (node-a, node-b, node-c) feed
# rtmond --aggregate, which serves the built dashboard; one unsealed memfd_create raises injection_attempt on
# every node; headless Chromium (dashboard/e2e/aggregate.e2e.mjs) shows the three alerts with their host and
# exact id, a host column, and a host filter that keeps one host. Screenshots: $top_builddir/test-output/aggregate/.
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"
require_root
B=${top_builddir:-$top_srcdir}
D=$top_srcdir/dashboard
OUT=$B/test-output/aggregate
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
command -v curl > /dev/null || skip "needs curl"
command -v node > /dev/null || skip "node missing"
[ -x "$CHROMIUM" ] || skip "chromium missing ($CHROMIUM; apt-get install chromium)"
[ -d "$D/node_modules/playwright-core" ] && [ -x "$D/node_modules/.bin/vite" ] ||
	skip "dashboard npm dependencies not installed (run: dashboard/install.sh)"
. "$top_srcdir/tests/integration/aggregate_lib.sh"

# the dashboard: dashboard/dist when it is newer than every source, else a build into OUT
mkdir -p "$OUT"
DIST=$D/dist
if [ ! -f "$DIST/index.html" ] ||
	[ -n "$(find "$D/src" "$D/index.html" "$D/scripts" "$D/package-lock.json" "$D/vite.config.ts" -newer "$DIST/index.html" -print -quit)" ]; then
	DIST=$OUT/dist
	(cd "$D" && node_modules/.bin/tsc --noEmit -p tsconfig.json &&
		node_modules/.bin/vite build --logLevel warn --outDir "$DIST" --emptyOutDir &&
		node scripts/gzip-assets.mjs "$DIST" > /dev/null) || fail "dashboard build"
fi
chmod -R a+rX "$DIST"

nodes_start
agg_config "$DIST" "127.0.0.1:${NPORT[node-a]}" "127.0.0.1:${NPORT[node-b]}" "127.0.0.1:${NPORT[node-c]}"
agg_start 1 3
P=$(memfd agg-dash)
wait_all "$P" "$AGG/out.1" || fail "not every node's alert for pid $P reached the aggregator"
EXPECT=$(for n in $NODES; do printf '%s %s\n' "$n" "$(node_ids "$n" "$P")"; done | python3 -c '
import json, sys
d = dict(l.split() for l in sys.stdin if len(l.split()) == 2)
assert len(d) == 3, d
print(json.dumps(d))') || fail "a node has no single alert for pid $P"
echo "ok   alerts for pid $P: $EXPECT"
DASH_URL=http://127.0.0.1:$APORT/ TOKEN=$ATOKEN EXPECT=$EXPECT OUT_DIR=$OUT CHROMIUM=$CHROMIUM \
	timeout 180 node "$D/e2e/aggregate.e2e.mjs" || fail "the browser checks (above)"
agg_stop
