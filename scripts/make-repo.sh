#!/bin/bash
# make-repo.sh: build a signed apt repository and a dnf repository from the rtmon packages, the way users install.
# Usage: make repo   (or: top_srcdir=... REPO=build/repo bash scripts/make-repo.sh [PKG.deb|PKG.rpm ...])
# With no package arguments it builds the .deb (dpkg-buildpackage) and the .rpm (make dist + rpmbuild) from the
# source tree first. Output, all under $REPO (default build/repo, never committed):
#   gnupg/                   a throwaway signing key, generated here on first use (no passphrase: test key only)
#   apt/                     dists/stable/{Release,InRelease,Release.gpg}, dists/stable/main/binary-ARCH/Packages,
#                            pool/main/r/rtmon/*.deb, rtmon-archive-keyring.gpg, rtmon.list.example
#   rpm/                     repodata/ (createrepo_c; repomd.xml.asc), the signed *.rpm, RPM-GPG-KEY-rtmon,
#                            rtmon.repo.example
# Env: REPO_URL (default http://127.0.0.1:8080) is only written into the example .list/.repo files.
# Needs: apt-utils (apt-ftparchive), gnupg, createrepo-c, rpm (scripts/install-deps.sh).
set -euo pipefail
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${REPO:=${top_builddir:-$top_srcdir/build}/repo}"
: "${REPO_URL:=http://127.0.0.1:8080}"
die() { echo "make-repo: $*" >&2; exit 1; }
for t in apt-ftparchive gpg createrepo_c rpmsign dpkg-buildpackage rpmbuild; do
	command -v $t > /dev/null || die "$t missing (scripts/install-deps.sh installs it)"
done
mkdir -p "$REPO"; REPO=$(cd "$REPO" && pwd)
VERSION=$(sed -n 's/^AC_INIT(\[rtmon\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")
W=$(mktemp -d /tmp/rtmon-repo.XXXXXX)
trap 'rm -rf "$W"' EXIT

DEBS=() RPMS=()
for p in "$@"; do
	case $p in
	*.deb) DEBS+=("$(realpath "$p")") ;;
	*.rpm) RPMS+=("$(realpath "$p")") ;;
	*) die "not a package: $p" ;;
	esac
done
if [ $# = 0 ]; then
	echo "== building rtmon $VERSION: .deb"
	bash "$top_srcdir/tests/packaging/copy-tree.sh" "$top_srcdir" "$W/deb/rtmon-$VERSION"
	(cd "$W/deb/rtmon-$VERSION" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) > "$W/deb.log" 2>&1 ||
		{ tail -30 "$W/deb.log"; die "dpkg-buildpackage failed"; }
	DEBS=("$W"/deb/rtmon_*.deb)
	echo "== building rtmon $VERSION: .rpm"
	bash "$top_srcdir/tests/packaging/copy-tree.sh" "$top_srcdir" "$W/src"
	(cd "$W/src" && autoreconf -fi && mkdir b && cd b && ../configure -q && make -s dist) > "$W/dist.log" 2>&1 ||
		{ tail -30 "$W/dist.log"; die "make dist failed"; }
	mkdir -p "$W/rb/SOURCES" "$W/rb/SPECS"
	cp "$W/src/b/rtmon-$VERSION.tar.gz" "$W/rb/SOURCES/"; cp "$top_srcdir/rpm/rtmon.spec" "$W/rb/SPECS/"
	rpmbuild --define "_topdir $W/rb" --define "packager rtmon developers <security@rtmon.invalid>" \
		--nodeps -bb "$W/rb/SPECS/rtmon.spec" > "$W/rpm.log" 2>&1 || { tail -30 "$W/rpm.log"; die "rpmbuild failed"; }
	RPMS=("$W"/rb/RPMS/*/rtmon-*.rpm)
fi

# ---- the signing key: generated once into $REPO/gnupg, a test key (no passphrase) that is never committed ----
export GNUPGHOME=$REPO/gnupg
if [ ! -s "$GNUPGHOME/keyid" ]; then
	rm -rf "$GNUPGHOME"; mkdir -m 0700 "$GNUPGHOME"
	gpg --batch -q --pinentry-mode loopback --passphrase '' \
		--quick-gen-key 'rtmon test repository (make repo; not for production) <repo@rtmon.invalid>' ed25519 sign 1y
	gpg --batch --list-keys --with-colons | awk -F: '$1 == "fpr" {print $10; exit}' > "$GNUPGHOME/keyid"
fi
KEY=$(cat "$GNUPGHOME/keyid")

# ---- apt: pool + Packages + Release signed inline (InRelease) and detached (Release.gpg) ----
# (each repository only when packages of its kind were given: package_rpm.sh passes only its .rpm)
make_apt() {
A=$REPO/apt; rm -rf "$A"; mkdir -p "$A/pool/main/r/rtmon"
for d in "${DEBS[@]}"; do cp "$d" "$A/pool/main/r/rtmon/"; done
ARCHS=$(for d in "${DEBS[@]}"; do dpkg-deb -f "$d" Architecture; done | sort -u | xargs)
for arch in $ARCHS; do
	mkdir -p "$A/dists/stable/main/binary-$arch"
	(cd "$A" && apt-ftparchive --arch "$arch" packages pool) > "$A/dists/stable/main/binary-$arch/Packages"
	gzip -9nk "$A/dists/stable/main/binary-$arch/Packages"
done
(cd "$A" && apt-ftparchive -o APT::FTPArchive::Release::Origin=rtmon -o APT::FTPArchive::Release::Label=rtmon \
	-o APT::FTPArchive::Release::Suite=stable -o APT::FTPArchive::Release::Codename=stable \
	-o APT::FTPArchive::Release::Architectures="$ARCHS" -o APT::FTPArchive::Release::Components=main \
	release dists/stable) > "$W/Release"
mv "$W/Release" "$A/dists/stable/Release"
gpg --batch -q --yes -u "$KEY" --clearsign -o "$A/dists/stable/InRelease" "$A/dists/stable/Release"
gpg --batch -q --yes -u "$KEY" -abs -o "$A/dists/stable/Release.gpg" "$A/dists/stable/Release"
gpg --batch -q --export "$KEY" > "$A/rtmon-archive-keyring.gpg"
echo "deb [signed-by=/usr/share/keyrings/rtmon-archive-keyring.gpg] $REPO_URL/apt stable main" > "$A/rtmon.list.example"
echo "apt repository: $A (${#DEBS[@]} package(s), signed by $KEY)"
}
[ ${#DEBS[@]} -eq 0 ] || make_apt
[ ${#RPMS[@]} -gt 0 ] || exit 0

# ---- dnf: the rpm signed (rpmsign), createrepo_c metadata, repomd.xml signed ----
D=$REPO/rpm; rm -rf "$D"; mkdir -p "$D/packages"
gpg --batch -q --armor --export "$KEY" > "$D/RPM-GPG-KEY-rtmon"
for r in "${RPMS[@]}"; do
	cp "$r" "$D/packages/"
	rpmsign --define "_gpg_name $KEY" --define "_gpg_path $GNUPGHOME" \
		--define "__gpg $(command -v gpg)" --define "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback --passphrase ''" \
		--addsign "$D/packages/$(basename "$r")" > "$W/rpmsign.log" 2>&1 || { cat "$W/rpmsign.log"; die "rpmsign failed"; }
done
createrepo_c -q "$D" > /dev/null
gpg --batch -q --yes -u "$KEY" --armor --detach-sign -o "$D/repodata/repomd.xml.asc" "$D/repodata/repomd.xml"
cat > "$D/rtmon.repo.example" <<EOF
[rtmon]
name=rtmon
baseurl=$REPO_URL/rpm
enabled=1
gpgcheck=1
repo_gpgcheck=1
gpgkey=$REPO_URL/rpm/RPM-GPG-KEY-rtmon
EOF
echo "dnf repository: $D (${#RPMS[@]} package(s))"
