#!/bin/bash
# Dashboard end-to-end: rtmon (live BPF, as root) serves the built dashboard itself
# (outputs.sse.dashboard_dir) and its SSE stream on one 127.0.0.1 port; real alerts are raised
# (dashboard/e2e/trigger.py); headless Debian Chromium driven by playwright-core checks every view
# (dashboard/e2e/dashboard.e2e.mjs) and saves screenshots to $top_builddir/test-output/dashboard/.
# No fallback to a fixture server: without root, BPF, rtmon, node, the npm deps or chromium: SKIP (77).
set -u
S=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${top_builddir:-$S}
RTMON=${RTMON:-$B/src/rtmond}
D=$S/dashboard
OUT=$B/test-output/dashboard
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (rtmon loads BPF programs)"
[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (/sys/kernel/btf/vmlinux): rtmon's BPF cannot load"
[ -x "$RTMON" ] || skip "rtmon not built: $RTMON"
command -v node >/dev/null || skip "node missing"
command -v python3 >/dev/null || skip "python3 missing"
command -v curl >/dev/null || skip "curl missing"
[ -x "$CHROMIUM" ] || skip "chromium missing ($CHROMIUM; apt-get install chromium)"
[ -d "$D/node_modules/playwright-core" ] && [ -x "$D/node_modules/.bin/vite" ] ||
	skip "dashboard npm dependencies not installed (run: cd dashboard && npm ci)"

mkdir -p "$OUT"
T=$(mktemp -d /tmp/rtmon-dash-e2e.XXXXXX)
RPID=
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT

# ---- the dashboard: use dashboard/dist when it is newer than every source, else build into OUT ----
DIST=$D/dist
if [ ! -f "$DIST/index.html" ] ||
	[ -n "$(find "$D/src" "$D/index.html" "$D/scripts" "$D/package-lock.json" "$D/vite.config.ts" -newer "$DIST/index.html" -print -quit)" ]; then
	DIST=$OUT/dist
	echo "# building the dashboard into $DIST"
	(cd "$D" && node_modules/.bin/tsc --noEmit -p tsconfig.json &&
		node_modules/.bin/vite build --logLevel warn --outDir "$DIST" --emptyOutDir &&
		node scripts/gzip-assets.mjs "$DIST" >/dev/null) || { echo "FAIL: dashboard build"; exit 1; }
fi
[ -f "$DIST/index.html" ] || { echo "FAIL: no $DIST/index.html"; exit 1; }

# ---- rtmon with the listener on a free loopback port (extra -o options as arguments) ----
start_rtmon() {
	PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	U=http://127.0.0.1:$PORT
	"$RTMON" -c "${RTMON_CONF:-$S/etc/rtmon/rtmon.conf}" \
		-o outputs.journal=false -o outputs.stdout=false \
		-o outputs.sse.enabled=true -o "outputs.sse.listen=127.0.0.1:$PORT" -o "outputs.sse.dashboard_dir=$DIST" \
		-o alerting.fold_window_s=0 -o alerting.rate_limit=0 "$@" \
		> "$T/rtmon.out" 2> "$T/rtmon.err" &
	RPID=$!
	up=0
	for _ in $(seq 150); do
		kill -0 "$RPID" 2>/dev/null || break
		curl -fsS -o /dev/null "$U/healthz" 2>/dev/null && { up=1; break; }
		sleep 0.1
	done
	if [ "$up" != 1 ]; then
		echo "FAIL: rtmon's listener did not come up on $U"
		tail -n 30 "$T/rtmon.err"
		exit 1
	fi
	curl -fsS "$U/" | grep -q '<div id="root">' || { echo "FAIL: rtmon does not serve the dashboard at $U/"; exit 1; }
	echo "# rtmon pid $RPID serving the dashboard and /events on $U"
}
start_rtmon

# ---- the browser test ----
DASH_URL=$U/ EVENTS_URL=$U/events OUT_DIR=$OUT CHROMIUM=$CHROMIUM \
	TRIGGER="python3 '$D/e2e/trigger.py' main" TRIGGER2="python3 '$D/e2e/trigger.py' more" \
	timeout 240 node "$D/e2e/dashboard.e2e.mjs"
rc=$?
if [ "$rc" != 0 ]; then
	echo "# rtmon stderr (tail):"
	tail -n 20 "$T/rtmon.err"
	echo "FAIL: dashboard e2e (rc $rc)"
	exit 1
fi
kill -0 "$RPID" 2>/dev/null || { echo "FAIL: rtmon died during the test"; tail -n 20 "$T/rtmon.err"; exit 1; }
kill "$RPID"; wait "$RPID" 2>/dev/null; RPID=

# ---- the token prompt: a listener with outputs.sse.token, the page opened without it ----
TOKEN=e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
start_rtmon -o "outputs.sse.token=$TOKEN"
DASH_URL=$U/ TOKEN=$TOKEN CHROMIUM=$CHROMIUM timeout 120 node "$D/e2e/token.e2e.mjs" || {
	echo "# rtmon stderr (tail):"; tail -n 20 "$T/rtmon.err"; echo "FAIL: dashboard token e2e"; exit 1; }
echo "PASS: dashboard e2e against rtmon; screenshots in $OUT"
exit 0
