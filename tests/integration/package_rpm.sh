#!/bin/bash
# package_rpm.sh: `make dist` from a copy of the source tree, `rpmbuild -ba rpm/rtmon.spec` with Debian's rpm,
# check the package (files, %config(noreplace), scriptlets, dependencies), rpmlint (no errors), then install it
# into a throwaway --root and run the installed binary. 77 (SKIP) without rpmbuild/rpmlint.
# Debian's rpm: --nodeps (BuildRequires are checked against the empty rpm database, not dpkg's), and
# --noscripts for the throwaway root (it has no /bin/sh). See RECIPES.md section 4.
set -euo pipefail
# run from `make check`: the package build must not inherit its make flags (jobserver, TESTS= overrides)
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
for t in rpmbuild rpmlint rpm autoreconf; do
	command -v $t > /dev/null || skip "$t missing (scripts/install-deps.sh installs rpm rpmlint)"
done
VERSION=$(sed -n 's/^AC_INIT(\[rtmon\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
SPEC_VERSION=$(awk '$1 == "Version:" {print $2}' "$top_srcdir/rpm/rtmon.spec")
[ "$VERSION" = "$SPEC_VERSION" ] || fail "configure.ac version $VERSION != rpm/rtmon.spec Version $SPEC_VERSION"
T=$(mktemp -d /tmp/rtmon-rpm.XXXXXX)
trap 'rm -rf "$T"' EXIT

echo "== make dist (rtmon $VERSION)"
bash "$top_srcdir/tests/packaging/copy-tree.sh" "$top_srcdir" "$T/src"
(cd "$T/src" && autoreconf -fi && mkdir b && cd b && ../configure -q && make -s dist) > "$T/dist.log" 2>&1 ||
	{ tail -30 "$T/dist.log"; fail "make dist failed"; }
TARBALL=$T/src/b/rtmon-$VERSION.tar.gz
[ -f "$TARBALL" ] || fail "no $TARBALL"
tar tzf "$TARBALL" > "$T/tarball.list"
grep -qx "rtmon-$VERSION/rpm/rtmon.spec" "$T/tarball.list" || fail "the tarball lacks rpm/rtmon.spec"

echo "== rpmbuild -ba --nodeps"
R=$T/rpmbuild; mkdir -p "$R/SOURCES" "$R/SPECS"
cp "$TARBALL" "$R/SOURCES/"; cp "$top_srcdir/rpm/rtmon.spec" "$R/SPECS/"
start=$(date +%s)
rpmbuild --define "_topdir $R" --define "packager rtmon developers <security@rtmon.invalid>" \
	--nodeps -ba "$R/SPECS/rtmon.spec" > "$T/rpmbuild.log" 2>&1 || { tail -40 "$T/rpmbuild.log"; fail "rpmbuild failed"; }
echo "built in $(( $(date +%s) - start )) s"
grep -E '^# (TOTAL|PASS|FAIL):' "$T/rpmbuild.log" || true
P=$(ls "$R"/RPMS/*/rtmon-$VERSION-1*.rpm); SRPM=$(ls "$R"/SRPMS/rtmon-$VERSION-1*.src.rpm)

echo "== rpm -qpl"
rpm -qpl "$P" 2> /dev/null | tee "$T/files"
for f in /usr/sbin/rtmon /etc/rtmon /etc/rtmon/rtmon.conf /usr/lib/systemd/system/rtmon.service \
	/usr/lib/systemd/catalog/rtmon.catalog /var/lib/rtmon; do
	grep -qxF "$f" "$T/files" || fail "$f missing from the rpm"
done
# Debian's rpm neither compresses man pages nor names the doc dir without the version, as Fedora's does
for re in '/usr/share/man/man8/rtmon\.8(\.gz)?' '/usr/share/man/man5/rtmon\.conf\.5(\.gz)?' \
	'/usr/share/doc/rtmon(-[0-9.]+)?/README\.md' '/usr/share/doc/rtmon(-[0-9.]+)?/OPERATIONS\.md'; do
	grep -qxE "$re" "$T/files" || fail "$re missing from the rpm"
done
# %config(noreplace): flags c (config) and n (noreplace)
rpm -qp --qf '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$P" 2> /dev/null | grep -qx '/etc/rtmon/rtmon.conf cn' ||
	fail "rtmon.conf is not %config(noreplace)"
rpm -qp --scripts "$P" 2> /dev/null > "$T/scripts"
grep -q 'systemctl --no-reload preset rtmon.service' "$T/scripts" || fail "no preset in %post"
grep -q 'systemctl --no-reload disable --now rtmon.service' "$T/scripts" || fail "no disable in %preun"
grep -q 'systemctl try-restart rtmon.service' "$T/scripts" || fail "no try-restart in %postun"
rpm -qpR "$P" 2> /dev/null > "$T/requires"
for lib in libbpf.so libconfig.so libjson-c.so libsystemd.so libgnutls.so librelp.so libmicrohttpd.so; do
	grep -q "^$lib" "$T/requires" || fail "Requires lacks $lib"
done

echo "== rpmlint"
rc=0
rpmlint -r "$top_srcdir/rpm/rtmon.rpmlintrc" "$P" "$SRPM" "$R/SPECS/rtmon.spec" > "$T/rpmlint" 2>&1 || rc=$?
cat "$T/rpmlint"
if grep -q ': E: ' "$T/rpmlint" || [ $rc != 0 ]; then fail "rpmlint reports errors (exit $rc)"; fi

echo "== install into a throwaway root"
RR=$T/root; rpm --root "$RR" --initdb
rpm --root "$RR" -ivh --nodeps --noscripts "$P" > "$T/install.log" 2>&1 || { cat "$T/install.log"; fail "rpm -i failed"; }
[ "$(rpm --root "$RR" -qa)" = "rtmon-$VERSION-1.$(uname -m)" ] || fail "rpm -qa: $(rpm --root "$RR" -qa)"
[ "$("$RR/usr/sbin/rtmon" --version)" = "rtmon $VERSION" ] || fail "installed rtmon --version"
"$RR/usr/sbin/rtmon" --version
"$RR/usr/sbin/rtmon" --check-config -c "$RR/etc/rtmon/rtmon.conf" || fail "installed config does not check"
[ "$(stat -c %a "$RR/etc/rtmon/rtmon.conf")" = 640 ] || fail "rtmon.conf mode $(stat -c %a "$RR/etc/rtmon/rtmon.conf"), want 640"
[ "$(stat -c %a "$RR/var/lib/rtmon")" = 750 ] || fail "/var/lib/rtmon mode $(stat -c %a "$RR/var/lib/rtmon")"
rpm --root "$RR" -e --nodeps --noscripts rtmon
[ ! -e "$RR/usr/sbin/rtmon" ] || fail "rpm -e left the binary"
echo "PASS: rpm built from make dist, rpmlint clean of errors, installed and ran in a throwaway root"
