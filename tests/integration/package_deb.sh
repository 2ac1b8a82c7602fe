#!/bin/bash
# package_deb.sh: build the .deb with dpkg-buildpackage from a copy of the source tree, check its contents and
# lintian (no errors), install it with dpkg -i, run the installed rtmon, remove and purge it, and check that
# nothing is left behind. Root; about 1-2 minutes. 77 (SKIP) without root, without the packaging tools, or when
# an rtmon is already installed on this machine (the test would replace it).
set -euo pipefail
# run from `make check`: the package build must not inherit its make flags (jobserver, TESTS= overrides)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root (dpkg -i)"
for t in dpkg-buildpackage dh lintian dh_autoreconf; do
	command -v $t > /dev/null || skip "$t missing (scripts/install-deps.sh installs debhelper dh-autoreconf lintian)"
done
if dpkg-query -W -f '${Status}' rtmon 2> /dev/null | grep -q 'installed\|config-files'; then
	skip "an rtmon package is installed on this machine: not touching it"
fi
[ ! -e /etc/rtmon ] || skip "/etc/rtmon exists: not touching it"
# iproute2 ships another rtmon (a route monitor) as /sbin/rtmon = /usr/sbin/rtmon on merged /usr: the package
# diverts it aside while installed and must give it back on removal, byte for byte.
IPR_SUM= IPR_MAN=
if [ -e /usr/sbin/rtmon ]; then
	dpkg -S /sbin/rtmon 2> /dev/null | grep -q '^iproute2:' || skip "/usr/sbin/rtmon exists and is not iproute2's"
	IPR_SUM=$(sha256sum < /usr/sbin/rtmon)
	if [ -e /usr/share/man/man8/rtmon.8.gz ]; then IPR_MAN=$(sha256sum < /usr/share/man/man8/rtmon.8.gz); fi
fi

VERSION=$(sed -n 's/^AC_INIT(\[rtmon\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
[ -n "$VERSION" ] || fail "no version in configure.ac"
T=$(mktemp -d /tmp/rtmon-deb.XXXXXX)
installed=
cleanup() {
	if [ -n "$installed" ]; then dpkg --purge rtmon > /dev/null 2>&1 || true; fi
	rm -rf "$T"
}
trap cleanup EXIT

S=$T/rtmon-$VERSION
bash "$top_srcdir/tests/packaging/copy-tree.sh" "$top_srcdir" "$S"
echo "== dpkg-buildpackage -us -uc -b (rtmon $VERSION)"
start=$(date +%s)
# Under `make check`, MAKEFLAGS carries the outer make's TESTS=...: it must not reach the package's own
# make (that re-ran this test inside the build, recursively). The unit tests run elsewhere in CI: nocheck.
if ! (cd "$S" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES DEB_BUILD_OPTIONS=nocheck \
	dpkg-buildpackage -us -uc -b) > "$T/build.log" 2>&1; then
	tail -40 "$T/build.log"; fail "dpkg-buildpackage failed"
fi
echo "built in $(( $(date +%s) - start )) s"
ARCH=$(dpkg --print-architecture)
DEB=$T/rtmon_${VERSION}_$ARCH.deb
[ -f "$DEB" ] || fail "no $DEB"
grep -E '^(PASS|FAIL|# (TOTAL|PASS|FAIL|SKIP|ERROR)):?' "$T/build.log" | tail -8 || true

echo "== contents"
dpkg-deb -c "$DEB" | awk '{print $6}' > "$T/files"
for f in ./usr/sbin/rtmon ./etc/rtmon/rtmon.conf ./lib/systemd/system/rtmon.service \
	./usr/lib/systemd/catalog/rtmon.catalog ./usr/share/man/man8/rtmon.8.gz ./usr/share/man/man5/rtmon.conf.5.gz \
	./usr/share/doc/rtmon/README.md ./usr/share/doc/rtmon/copyright ./usr/share/doc/rtmon/changelog.gz; do
	grep -qxF "$f" "$T/files" || fail "$f missing from the package"
	echo "  $f"
done
dpkg-deb -f "$DEB" Depends | tee "$T/depends"
for lib in libbpf1 libconfig9 libjson-c5 libsystemd0 libgnutls30 librelp0 libmicrohttpd12; do
	grep -q "$lib" "$T/depends" || fail "Depends lacks $lib"
done
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles > "$T/conffiles"
[ "$(cat "$T/conffiles")" = /etc/rtmon/rtmon.conf ] || fail "conffiles: $(cat "$T/conffiles")"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./postinst > "$T/postinst"
grep -q 'deb-systemd-helper' "$T/postinst" || fail "postinst does not enable the unit"
grep -q 'journalctl --update-catalog' "$T/postinst" || fail "postinst does not update the catalog"
cmp -s <(dpkg-deb --fsys-tarfile "$DEB" | tar -xO ./etc/rtmon/rtmon.conf) "$top_srcdir/etc/rtmon/rtmon.conf" ||
	fail "packaged rtmon.conf differs from etc/rtmon/rtmon.conf"

echo "== lintian"
lintian --allow-root --tag-display-limit 0 "$T"/rtmon_${VERSION}_$ARCH.changes > "$T/lintian" 2>&1 || true
cat "$T/lintian"
if grep -q '^E: ' "$T/lintian"; then fail "lintian reports errors"; fi

echo "== dpkg -i"
installed=1
dpkg -i "$DEB" > "$T/install.log" 2>&1 || { cat "$T/install.log"; fail "dpkg -i failed"; }
[ "$(/usr/sbin/rtmon --version)" = "rtmon $VERSION" ] || fail "rtmon --version: $(/usr/sbin/rtmon --version)"
/usr/sbin/rtmon --version
/usr/sbin/rtmon --check-config > "$T/check" 2>&1 || { cat "$T/check"; fail "rtmon --check-config failed"; }
cat "$T/check"
grep -q '^/etc/rtmon/rtmon.conf: configuration OK' "$T/check" || fail "check-config did not read /etc/rtmon/rtmon.conf"
[ -f /lib/systemd/system/rtmon.service ] || fail "unit not installed"
grep -qx 'ExecStart=/usr/sbin/rtmon' /lib/systemd/system/rtmon.service || fail "unit ExecStart"
[ -L /etc/systemd/system/multi-user.target.wants/rtmon.service ] || fail "unit not enabled by the postinst"
echo "unit enabled: $(readlink /etc/systemd/system/multi-user.target.wants/rtmon.service)"
[ -f /etc/rtmon/rtmon.conf ] || fail "no conffile"
[ "$(stat -c %a /etc/rtmon/rtmon.conf)" = 640 ] || fail "rtmon.conf installed $(stat -c %a /etc/rtmon/rtmon.conf), want 640 (it may hold the SSE token)"
dpkg-query -W -f '${Conffiles}\n' rtmon | grep -q '/etc/rtmon/rtmon.conf [0-9a-f]\{32\}' || fail "not registered as a conffile"
man -w rtmon.conf > /dev/null 2>&1 || [ -f /usr/share/man/man5/rtmon.conf.5.gz ] || fail "man page missing"
[ -d /var/lib/rtmon ] || fail "state directory not created"

if [ -n "$IPR_SUM" ]; then
	[ "$(sha256sum < /usr/sbin/rtmon.iproute2)" = "$IPR_SUM" ] || fail "iproute2's rtmon not diverted to /sbin/rtmon.iproute2"
	dpkg-divert --list | grep 'by rtmon'
fi
echo "== dpkg -r"
echo '# local change' >> /etc/rtmon/rtmon.conf   # a modified conffile must survive remove, and go on purge
dpkg -r rtmon > "$T/remove.log" 2>&1 || { cat "$T/remove.log"; fail "dpkg -r failed"; }
if [ -n "$IPR_SUM" ]; then
	[ "$(sha256sum < /usr/sbin/rtmon)" = "$IPR_SUM" ] || fail "after remove /usr/sbin/rtmon is not iproute2's again"
else
	[ ! -e /usr/sbin/rtmon ] || fail "/usr/sbin/rtmon left after remove"
fi
[ ! -e /lib/systemd/system/rtmon.service ] || fail "unit left after remove"
[ -f /etc/rtmon/rtmon.conf ] || fail "conffile removed by dpkg -r (must stay until purge)"
[ "$(dpkg-query -W -f '${db:Status-Abbrev}' rtmon)" = "rc " ] || fail "state after remove: $(dpkg-query -W -f '${db:Status-Abbrev}' rtmon)"

echo "== dpkg --purge"
dpkg --purge rtmon > "$T/purge.log" 2>&1 || { cat "$T/purge.log"; fail "dpkg --purge failed"; }
installed=
for p in /etc/rtmon /var/lib/rtmon /etc/systemd/system/multi-user.target.wants/rtmon.service \
	/usr/lib/systemd/catalog/rtmon.catalog /usr/share/doc/rtmon /usr/share/man/man5/rtmon.conf.5.gz \
	/var/lib/systemd/deb-systemd-helper-enabled/rtmon.service.dsh-also; do
	[ ! -e "$p" ] && [ ! -L "$p" ] || fail "$p left after purge"
done
if dpkg-query -W rtmon > /dev/null 2>&1; then fail "dpkg still knows rtmon after purge"; fi
if [ -n "$IPR_SUM" ]; then
	[ "$(sha256sum < /usr/sbin/rtmon)" = "$IPR_SUM" ] || fail "iproute2's /sbin/rtmon not restored"
	[ -z "$IPR_MAN" ] || [ "$(sha256sum < /usr/share/man/man8/rtmon.8.gz)" = "$IPR_MAN" ] || fail "iproute2's rtmon(8) not restored"
	[ ! -e /usr/sbin/rtmon.iproute2 ] || fail "/usr/sbin/rtmon.iproute2 left"
	echo "iproute2's rtmon and rtmon(8) restored"
else
	[ ! -e /usr/sbin/rtmon ] || fail "/usr/sbin/rtmon left after purge"
fi
[ -z "$(dpkg-divert --list 'rtmon*' | grep 'by rtmon')" ] || fail "diversions left: $(dpkg-divert --list | grep 'by rtmon')"
if find /etc /lib/systemd /usr/lib/systemd /var/lib/systemd -name '*rtmon*' 2> /dev/null | grep .; then
	fail "files named rtmon left after purge"
fi
echo "PASS: .deb built, installed, ran, removed and purged without leftovers"
