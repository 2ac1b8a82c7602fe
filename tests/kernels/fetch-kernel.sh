#!/bin/bash
# fetch-kernel.sh SERIES CACHE: print the directory of Debian's newest cloud-amd64-unsigned kernel of SERIES
# (6.1 or 6.12), downloading it with apt-get download and unpacking it with dpkg-deb -x into CACHE on first use.
set -euo pipefail
S=${1:?series}; C=${2:?cache dir}
case $S in
6.1) re='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' ;;
*) re="^linux-image-${S//./\\.}\\.[0-9]+\\+deb[0-9]+-cloud-amd64-unsigned\$" ;;
esac
names() { apt-cache search --names-only "$re" 2>/dev/null | cut -d' ' -f1 | sort -V; }
PKG=$(names | tail -1)
if [ -z "$PKG" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	PKG=$(names | tail -1)
fi
if [ -z "$PKG" ]; then
	# offline: the newest one already cached
	PKG=$(ls -d "$C"/linux-image-"$S"[.-]*cloud-amd64-unsigned 2>/dev/null | xargs -rn1 basename | sort -V | tail -1)
fi
[ -n "$PKG" ] || { echo "no Debian package for kernel $S" >&2; exit 1; }
mkdir -p "$C"
if [ ! -d "$C/$PKG/boot" ]; then
	W=$(mktemp -d); chmod 755 "$W"; trap 'rm -rf "$W"' EXIT
	(cd "$W" && apt-get download -q "$PKG" >/dev/null) || { echo "apt-get download $PKG failed" >&2; exit 1; }
	rm -rf "$C/$PKG.part"; dpkg-deb -x "$W"/*.deb "$C/$PKG.part" && mv "$C/$PKG.part" "$C/$PKG"
fi
echo "$C/$PKG"
