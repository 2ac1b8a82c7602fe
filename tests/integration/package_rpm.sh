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
for f in /usr/sbin/rtmond /etc/rtmon /etc/rtmon/rtmon.conf /usr/lib/systemd/system/rtmon.service \
	/usr/lib/systemd/catalog/rtmon.catalog /var/lib/rtmon; do
	grep -qxF "$f" "$T/files" || fail "$f missing from the rpm"
done
# Debian's rpm neither compresses man pages nor names the doc dir without the version, as Fedora's does
for re in '/usr/share/man/man8/rtmond\.8(\.gz)?' '/usr/share/man/man5/rtmon\.conf\.5(\.gz)?' \
	'/usr/share/doc/rtmon(-[0-9.]+)?/README\.md' '/usr/share/doc/rtmon(-[0-9.]+)?/OPERATIONS\.md'; do
	grep -qxE "$re" "$T/files" || fail "$re missing from the rpm"
done
# Fedora's iproute owns /usr/sbin/rtmon (= /sbin/rtmon) and rtmon(8): none of those names here
if grep -xE '(/usr)?/sbin/rtmon|/usr/share/man/man8/rtmon\.8(\.gz)?' "$T/files"; then fail "the rpm ships iproute's names"; fi
echo "== rpm -qip"
rpm -qip "$P" 2> /dev/null | tee "$T/info"
for k in 'Name        : rtmon' "Version     : $VERSION" 'License     : MIT' 'URL         : ' 'Summary     : '; do
	grep -q "^$k" "$T/info" || fail "rpm -qip lacks '$k'"
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
[ "$("$RR/usr/sbin/rtmond" --version)" = "rtmon $VERSION" ] || fail "installed rtmond --version"
"$RR/usr/sbin/rtmond" --version
"$RR/usr/sbin/rtmond" --check-config -c "$RR/etc/rtmon/rtmon.conf" || fail "installed config does not check"
[ "$(stat -c %a "$RR/etc/rtmon/rtmon.conf")" = 640 ] || fail "rtmon.conf mode $(stat -c %a "$RR/etc/rtmon/rtmon.conf"), want 640"
[ "$(stat -c %a "$RR/var/lib/rtmon")" = 750 ] || fail "/var/lib/rtmon mode $(stat -c %a "$RR/var/lib/rtmon")"
rpm --root "$RR" -e --nodeps --noscripts rtmon
[ ! -e "$RR/usr/sbin/rtmond" ] || fail "rpm -e left the binary"

echo "== beside iproute: rpm -i --test in a scratch db that holds an iproute with /usr/sbin/rtmon and rtmon(8)"
# No Fedora package can be fetched here: a stand-in iproute rpm owning exactly the paths Fedora's does.
I=$T/ipr; mkdir -p "$I/SPECS"
cat > "$I/SPECS/iproute.spec" <<'SPEC'
Name: %{pname}
Version: 6.4.0
Release: 1
Summary: stand-in for Fedora's iproute (owns rtmon)
License: GPL-2.0-or-later
BuildArch: noarch
%description
Owns /usr/sbin/rtmon and rtmon(8) as Fedora's iproute does.
%install
mkdir -p %{buildroot}/usr/sbin %{buildroot}/usr/share/man/man8
printf '#!/bin/sh\necho route monitor\n' > %{buildroot}/usr/sbin/%{fname}
chmod 755 %{buildroot}/usr/sbin/%{fname}
echo '.TH RTMON 8' | gzip -n > %{buildroot}/usr/share/man/man8/rtmon.8.gz
%files
/usr/sbin/%{fname}
/usr/share/man/man8/rtmon.8.gz
SPEC
for pf in iproute:rtmon clash:rtmond; do   # clash: owns /usr/sbin/rtmond, to show that the check can fail
	rpmbuild --define "_topdir $I" --define "pname ${pf%:*}" --define "fname ${pf#*:}" --nodeps \
		-bb "$I/SPECS/iproute.spec" > "$T/ipr-build.log" 2>&1 || { tail -20 "$T/ipr-build.log"; fail "stand-in rpm $pf"; }
done
DB=$T/scratch; rpm --root "$DB" --initdb
rpm --root "$DB" -i --nodeps --noscripts "$I"/RPMS/noarch/iproute-*.rpm
rpm --root "$DB" -i --test --nodeps "$P" > "$T/test.log" 2>&1 || { cat "$T/test.log"; fail "rpm -i --test: conflicts with iproute"; }
rpm --root "$DB" -i --nodeps --noscripts "$P"
[ "$(cat "$DB/usr/sbin/rtmon")" = "$(printf '#!/bin/sh\necho route monitor')" ] || fail "iproute's rtmon changed"
[ -x "$DB/usr/sbin/rtmond" ] || fail "no rtmond beside iproute's rtmon"
echo "rpm -i --test: no conflict; rtmond installed beside iproute's /usr/sbin/rtmon"
# the check can fail: with a package owning /usr/sbin/rtmond in the db, rpm -i --test reports the conflict
DB2=$T/scratch2; rpm --root "$DB2" --initdb
rpm --root "$DB2" -i --nodeps --noscripts "$I"/RPMS/noarch/clash-*.rpm
if rpm --root "$DB2" -i --test --nodeps "$P" > "$T/test2.log" 2>&1; then fail "rpm -i --test does not see file conflicts"; fi
grep -q 'conflicts with file from package clash' "$T/test2.log" || { cat "$T/test2.log"; fail "unexpected rpm --test output"; }
echo "== dnf repository (scripts/make-repo.sh: createrepo_c, signed rpm and repomd.xml) and a dnf dry run"
if command -v dnf > /dev/null && command -v createrepo_c > /dev/null && command -v apt-ftparchive > /dev/null; then
	REPO=$T/repo top_srcdir=$top_srcdir bash "$top_srcdir/scripts/make-repo.sh" "$P" > "$T/repo.log" 2>&1 ||
		{ cat "$T/repo.log"; fail "make-repo.sh"; }
	rpm -qpi "$T/repo/rpm/packages/$(basename "$P")" 2> /dev/null | grep -E '^Signature +: [^(]' || fail "the repo's rpm is not signed"
	mkdir -p "$T/dnf/repos.d" "$T/dnf/root"
	printf '[main]\ngpgcheck=1\n' > "$T/dnf/dnf.conf"
	printf '[rtmon]\nname=rtmon\nbaseurl=file://%s\ngpgcheck=1\nrepo_gpgcheck=1\ngpgkey=file://%s\n' \
		"$T/repo/rpm" "$T/repo/rpm/RPM-GPG-KEY-rtmon" > "$T/dnf/repos.d/rtmon.repo"
	DNF="dnf -y --installroot=$T/dnf/root --releasever=40 --setopt=reposdir=$T/dnf/repos.d --config=$T/dnf/dnf.conf --setopt=cachedir=$T/dnf/cache"
	$DNF repoquery --qf '%{name} %{version}-%{release}' rtmon > "$T/dnf.q" 2> "$T/dnf.err" || { cat "$T/dnf.err"; fail "dnf repoquery"; }
	grep -qx "rtmon $VERSION-1" "$T/dnf.q" || { cat "$T/dnf.q" "$T/dnf.err"; fail "dnf does not see rtmon $VERSION-1"; }
	# no Fedora base repository can be reached from here: the dry run gets as far as the libraries Fedora provides
	$DNF install --assumeno rtmon > "$T/dnf.install" 2>&1 || true
	grep -q 'nothing provides lib.* needed by rtmon-'"$VERSION" "$T/dnf.install" || { cat "$T/dnf.install"; fail "dnf install dry run"; }
	grep 'nothing provides' "$T/dnf.install" | head -2
	# repo_gpgcheck is real: a repomd.xml without its signature is refused
	rm "$T/repo/rpm/repodata/repomd.xml.asc"; rm -rf "$T/dnf/cache"
	if $DNF repoquery rtmon > "$T/dnf.nosig" 2>&1; then cat "$T/dnf.nosig"; fail "dnf accepted an unsigned repomd.xml"; fi
	echo "dnf: repoquery sees rtmon $VERSION-1 (signed metadata checked), install stops only at Fedora's libraries"
else
	echo "note: dnf/createrepo_c/apt-ftparchive missing (scripts/install-deps.sh): dnf part skipped"
fi
echo "PASS: rpm built from make dist, rpmlint clean of errors, installed and ran in a throwaway root"
