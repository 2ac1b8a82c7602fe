#!/bin/bash
# Development only: the same browser test against the fixture server (e2e/fixture-server.mjs)
# instead of rtmon. The real test is tests/integration/dashboard_e2e.sh. Usage: npm run e2e:fixture
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.html ] || npm run build
T=$(mktemp -d /tmp/rtmon-dash-fx.XXXXXX)
node e2e/fixture-server.mjs --dist dist --seed "${SEED:-40}" > "$T/server.log" 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null || true; wait $SP 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 50); do grep -q LISTENING "$T/server.log" && break; sleep 0.1; done
P=$(awk '/LISTENING/{print $2}' "$T/server.log")
DASH_URL=http://127.0.0.1:$P/ OUT_DIR=${OUT_DIR:-$PWD/e2e/out} \
	TRIGGER="curl -fsS -X POST http://127.0.0.1:$P/trigger" \
	TRIGGER2="curl -fsS -X POST 'http://127.0.0.1:$P/trigger?scenario=more'" \
	node e2e/dashboard.e2e.mjs
