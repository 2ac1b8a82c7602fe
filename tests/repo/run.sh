#!/bin/bash
# Install from the apt repository the way users do (make check-repo; root; 3-6 minutes: two package builds, and
# the first run debootstraps a Debian 12 rootfs into $top_builddir/repo-rootfs, about a minute).
# Builds the .deb, then a second one with a bumped version (the same tree, debian/changelog +repotest1);
# `scripts/make-repo.sh` makes a signed apt repository of the first, served by python3 -m http.server on
# 127.0.0.1. In a clean Debian 12 booted with systemd-nspawn (real systemd as PID 1, --volatile=overlay: the
# cached rootfs stays pristine), with only the repo's .list and key added:
#  0. without the key, apt-get update refuses the repository (the signature is checked);
#  1. apt-get update && apt-get install rtmon;
#  2. the service is active under systemd and a reverse shell shows up in journalctl -u rtmon -o json;
#  3. the repo gets the bumped version: apt-get upgrade keeps a locally changed conffile, restarts the service;
#  4. apt-get purge rtmon leaves nothing behind.
# Usage: make check-repo  (or top_srcdir=... top_builddir=... bash tests/repo/run.sh); RTMON_DEB=PATH reuses a
# .deb already built from this tree as the first version.
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir/build}"
R=${ROOTFS:-$top_builddir/repo-rootfs}
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
for c in systemd-nspawn debootstrap nsenter python3 apt-ftparchive gpg createrepo_c dpkg-buildpackage; do
	command -v $c > /dev/null || { echo "SKIP: $c not installed (scripts/install-deps.sh)"; exit 77; }
done
T=$(mktemp -d /tmp/rtmon-repo-test.XXXXXX)
START=$(date +%s)
CG=rtmon-repo-$$
CGH=
for h in unified systemd; do [ -d /sys/fs/cgroup/$h ] && CGH="$CGH $h"; done
NSPID= HPID= LPID=
cleanup() {
	for p in $LPID $HPID; do kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; done
	if [ -n "$NSPID" ]; then kill -TERM "$NSPID" 2> /dev/null || true; wait "$NSPID" 2> /dev/null || true; fi
	for h in $CGH; do find /sys/fs/cgroup/$h/$CG -depth -type d -exec rmdir {} \; 2> /dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT

# ---- two packages: the version of the tree, and the same with a bumped version ----
VERSION=$(sed -n 's/^AC_INIT(\[rtmon\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
V2=$VERSION+repotest1
S=$T/b/rtmon-$VERSION
bash "$top_srcdir/tests/packaging/copy-tree.sh" "$top_srcdir" "$S"
mkdir "$T/v1" "$T/v2"
if [ -n "${RTMON_DEB:-}" ]; then   # the first package already built from this tree
	cp "$RTMON_DEB" "$T/v1/"; NC=
else
	echo "== dpkg-buildpackage rtmon $VERSION"
	(cd "$S" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) > "$T/build1.log" 2>&1 ||
		{ tail -30 "$T/build1.log"; fail "dpkg-buildpackage"; }
	mv "$T"/b/rtmon_*.deb "$T/v1/"; rm -f "$T"/b/rtmon_*; NC=-nc
fi
echo "== dpkg-buildpackage rtmon $V2 (debian/changelog bumped${NC:+; the compiled tree is reused: -nc})"
{ printf 'rtmon (%s) unstable; urgency=medium\n\n  * Test upgrade (tests/repo/run.sh).\n\n' "$V2"
  printf ' -- rtmon developers <security@rtmon.invalid>  %s\n\n' "$(date -R)"; cat "$S/debian/changelog"; } > "$T/cl"
mv "$T/cl" "$S/debian/changelog"
(cd "$S" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b $NC) > "$T/build2.log" 2>&1 ||
	{ tail -30 "$T/build2.log"; fail "dpkg-buildpackage (bumped)"; }
mv "$T"/b/rtmon_*.deb "$T/v2/"
DEB1=$(ls "$T"/v1/rtmon_*.deb) DEB2=$(ls "$T"/v2/rtmon_*.deb)
[ "$(dpkg-deb -f "$DEB2" Version)" = "$V2" ] || fail "bumped package version $(dpkg-deb -f "$DEB2" Version)"

# ---- the repository, served over HTTP on 127.0.0.1 ----
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REPO=$T/repo
REPO=$REPO REPO_URL=http://127.0.0.1:$PORT top_srcdir=$top_srcdir bash "$top_srcdir/scripts/make-repo.sh" "$DEB1"
python3 -m http.server --bind 127.0.0.1 --directory "$REPO" "$PORT" > "$T/http.log" 2>&1 &
HPID=$!
for i in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/apt/dists/stable/InRelease')" 2> /dev/null && break; sleep 0.1; done

# ---- a clean Debian 12: debootstrap once into the cache, then booted read-only-backed (--volatile=overlay) ----
if [ ! -x "$R/lib/systemd/systemd" ]; then
	MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null ||
		grep -m1 -oE 'https?://[^ ]+' /etc/apt/sources.list)
	echo "== debootstrap bookworm into $R (about a minute, once)"
	rm -rf "$R.tmp"
	debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,procps bookworm "$R.tmp" "$MIRROR" > "$T/debootstrap.log" ||
		{ tail -20 "$T/debootstrap.log"; fail debootstrap; }
	echo rtmon-repo-test > "$R.tmp/etc/hostname"; : > "$R.tmp/etc/machine-id"
	mv "$R.tmp" "$R"
fi
for h in $CGH; do mkdir -p /sys/fs/cgroup/$h/$CG; done
ENTER=""
for h in $CGH; do ENTER="$ENTER echo \$\$ > /sys/fs/cgroup/$h/$CG/cgroup.procs;"; done
sh -c "$ENTER exec systemd-nspawn -q -b -D $R -M rtmonrepo --register=no --keep-unit --volatile=overlay \
	--console=read-only \
	--capability=CAP_BPF,CAP_PERFMON,CAP_SYS_ADMIN,CAP_SYS_RESOURCE,CAP_SYS_PTRACE,CAP_DAC_READ_SEARCH \
	--system-call-filter='bpf perf_event_open' \
	--bind-ro=/sys/kernel/tracing --bind-ro=/sys/kernel/btf" > "$T/boot.log" 2>&1 &
NSPID=$!
LEADER=
for i in $(seq 150); do
	LEADER=$(pgrep -P $NSPID || true)
	[ -n "$LEADER" ] && nsenter -t "$LEADER" -a systemctl is-system-running 2> /dev/null | grep -qE '^(running|degraded)$' && break
	sleep 0.2
done
[ -n "$LEADER" ] || { cat "$T/boot.log"; fail "container did not boot"; }
IN="nsenter -t $LEADER -a"
ROOT=/proc/$LEADER/root
APT="$IN env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=120"
echo "booted: $($IN systemctl is-system-running || true)"
$IN dpkg -s rtmon > /dev/null 2>&1 && fail "the clean rootfs already has rtmon"

# ---- 0: the signature is checked (no key: refused) ----
echo "deb [signed-by=/usr/share/keyrings/rtmon-archive-keyring.gpg] http://127.0.0.1:$PORT/apt stable main" \
	> "$ROOT/etc/apt/sources.list.d/rtmon.list"
if $APT update > "$T/update0.log" 2>&1 && ! grep -q 'NO_PUBKEY\|not signed\|keyring' "$T/update0.log"; then
	cat "$T/update0.log"; fail "apt-get update accepted the repository without its key"
fi
grep -E 'NO_PUBKEY|not signed|keyring' "$T/update0.log" | head -2
echo "ok 0: without the key the repository is refused"

# ---- 1: the key, apt-get update, apt-get install rtmon ----
install -m 0644 "$REPO/apt/rtmon-archive-keyring.gpg" "$ROOT/usr/share/keyrings/rtmon-archive-keyring.gpg"
$APT update > "$T/update1.log" 2>&1 || { cat "$T/update1.log"; fail "apt-get update"; }
grep -E '^(W|E):' "$T/update1.log" && fail "apt-get update warned"
$APT install -y rtmon > "$T/install.log" 2>&1 || { tail -30 "$T/install.log"; fail "apt-get install rtmon"; }
[ "$($IN dpkg-query -W -f '${Version}' rtmon)" = "$VERSION" ] || fail "installed version"
$IN apt-cache policy rtmon | sed -n 1,6p
echo "ok 1: apt-get install rtmon ($VERSION from http://127.0.0.1:$PORT/apt)"

# ---- 2: started by the postinst under systemd; an alert in journalctl -u rtmon -o json ----
for i in $(seq 50); do [ "$($IN systemctl is-active rtmon || true)" = active ] && break; sleep 0.2; done
[ "$($IN systemctl is-active rtmon || true)" = active ] || { $IN journalctl -u rtmon --no-pager | tail -20; fail "rtmon not active after install"; }
[ "$($IN systemctl is-enabled rtmon)" = enabled ] || fail "rtmon not enabled"
python3 -c '
import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); time.sleep(3); c.close()' > "$T/port" &
LPID=$!
for i in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
$IN setpriv --reuid=65534 --regid=65534 --clear-groups \
	bash -c "exec sh -c 'sleep 1' < /dev/tcp/127.0.0.1/$(cat "$T/port")" || true
ok=
for i in $(seq 50); do
	$IN journalctl -u rtmon --all -o json --no-pager RTMON_RULE_ID=reverse_shell > "$T/j.json" 2> /dev/null || true
	[ -s "$T/j.json" ] && { ok=1; break; }
	sleep 0.2
done
[ -n "$ok" ] || { $IN journalctl -u rtmon --no-pager | tail -20; fail "no alert in journalctl -u rtmon -o json"; }
python3 -c '
import json, sys
e = json.loads(open(sys.argv[1]).readline())
assert e["_SYSTEMD_UNIT"] == "rtmon.service" and e["SYSLOG_IDENTIFIER"] == "rtmon", e
print("ok 2: rtmon active under systemd; journalctl -u rtmon -o json:", e["MESSAGE"])' "$T/j.json"
[ "$($IN readlink /proc/"$($IN systemctl show -p MainPID --value rtmon)"/exe)" = /usr/sbin/rtmond ] || fail "MainPID is not /usr/sbin/rtmond"

# ---- 3: upgrade: a locally changed conffile is kept, the service restarted ----
echo '# local change kept across upgrades' >> "$ROOT/etc/rtmon/rtmon.conf"
PID1=$($IN systemctl show -p MainPID --value rtmon)
REPO=$REPO REPO_URL=http://127.0.0.1:$PORT top_srcdir=$top_srcdir bash "$top_srcdir/scripts/make-repo.sh" "$DEB1" "$DEB2"
$APT update > "$T/update2.log" 2>&1 || { cat "$T/update2.log"; fail "apt-get update (2)"; }
$APT upgrade -y > "$T/upgrade.log" 2>&1 || { tail -30 "$T/upgrade.log"; fail "apt-get upgrade"; }
[ "$($IN dpkg-query -W -f '${Version}' rtmon)" = "$V2" ] || { tail -20 "$T/upgrade.log"; fail "not upgraded to $V2"; }
grep -qx '# local change kept across upgrades' "$ROOT/etc/rtmon/rtmon.conf" || fail "the changed conffile was replaced"
[ ! -e "$ROOT/etc/rtmon/rtmon.conf.dpkg-new" ] && [ ! -e "$ROOT/etc/rtmon/rtmon.conf.dpkg-old" ] || fail "dpkg-new/old left"
for i in $(seq 50); do [ "$($IN systemctl is-active rtmon || true)" = active ] && break; sleep 0.2; done
PID2=$($IN systemctl show -p MainPID --value rtmon)
[ "$($IN systemctl is-active rtmon || true)" = active ] || fail "rtmon not active after the upgrade"
[ "$PID2" != "$PID1" ] && [ "$PID2" != 0 ] || fail "rtmon not restarted by the upgrade (MainPID $PID1 -> $PID2)"
echo "ok 3: upgraded $VERSION -> $V2; changed conffile kept; restarted (MainPID $PID1 -> $PID2)"

# ---- 4: purge leaves nothing behind ----
$APT purge -y rtmon > "$T/purge.log" 2>&1 || { tail -30 "$T/purge.log"; fail "apt-get purge"; }
$APT clean
$IN dpkg-query -W rtmon > /dev/null 2>&1 && fail "dpkg still knows rtmon"
# what remains may only be what the user added: the .list, the key and apt's lists of the repository
$IN find / -xdev \( -path /proc -o -path /sys -o -path /dev \) -prune -o -name '*rtmon*' -print |
	grep -vxE '/etc/apt/sources.list.d/rtmon.list|/usr/share/keyrings/rtmon-archive-keyring.gpg|/var/lib/apt/lists/127\.0\.0\.1_.*' |
	grep -vE '^/var/log/journal/' > "$T/left" || true
[ ! -s "$T/left" ] || { cat "$T/left"; fail "files left after apt-get purge"; }
$IN systemctl list-unit-files rtmon.service --no-legend | grep -q rtmon && fail "unit still known"
echo "ok 4: apt-get purge rtmon left nothing behind"
echo "took $(($(date +%s) - START)) s"
echo PASS
