#!/bin/bash
# build-context.sh RTMON_BINARY SRCDIR OUTDIR: make the build context of the top-level Containerfile.
#
# The image is FROM scratch: rtmon, the shared libraries it links against (the exact closure that ldd reports,
# copied from this Debian host's packages), its configuration, the CA bundle for TLS syslog, and the built
# dashboard when dashboard/dist exists. Why not fully static: Debian ships no static libsystemd, gnutls,
# librelp or libmicrohttpd, so a static link is impossible with Debian packages; a debootstrap base would
# take a minute to build and carry ~100 MB of a distribution rtmon never uses.
#
# Usage: deploy/container/build-context.sh build/src/rtmond . /tmp/ctx && podman build -f Containerfile /tmp/ctx
set -euo pipefail
bin=$1 src=$2 out=$3
[ -x "$bin" ] || { echo "build-context.sh: $bin is not an executable" >&2; exit 1; }
root=$out/rootfs
rm -rf "$root"; mkdir -p "$root"/usr/sbin "$root"/etc/rtmon "$root"/var/lib/rtmon "$root"/tmp \
	"$root"/proc "$root"/sys "$root"/dev "$root"/run
chmod 1777 "$root/tmp"; chmod 0750 "$root/var/lib/rtmon"

install -m 0755 "$bin" "$root/usr/sbin/rtmond"
strip --strip-unneeded "$root/usr/sbin/rtmond" 2> /dev/null || true

# the shared-library closure, each at its own path (the dynamic loader included); ldd resolves it recursively
copy_lib() {
	local f=$1
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
	strip --strip-unneeded "$root$f" 2> /dev/null || true
}
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u > "$out/libs"
# glibc loads libgcc_s at run time for thread cancellation (not in ldd's list)
for f in /lib/*/libgcc_s.so.1 /usr/lib/*/libgcc_s.so.1; do [ -f "$f" ] && echo "$f" >> "$out/libs" && break; done
while read -r f; do copy_lib "$f"; done < "$out/libs"
# merged /usr: keep the loader's /lib64 path valid
[ -e /lib64 ] && [ ! -e "$root/lib64" ] && ln -s usr/lib64 "$root/lib64" 2> /dev/null || true
if [ -d "$root/usr/lib64" ] && [ ! -e "$root/lib64" ]; then ln -s usr/lib64 "$root/lib64"; fi

# configuration: alerts on stdout (the container log), no journald in a container
install -m 0644 "$src/deploy/container/rtmon.conf" "$root/etc/rtmon/rtmon.conf"
printf 'root:x:0:0:root:/:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
# the system trust store gnutls reads by default (tls:// syslog without ca_file)
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
	mkdir -p "$root/etc/ssl/certs"; cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi
# the dashboard, served by rtmon itself when outputs.sse.dashboard_dir points here
if [ -f "$src/dashboard/dist/index.html" ]; then
	mkdir -p "$root/usr/share/rtmon/dashboard"; cp -r "$src/dashboard/dist/." "$root/usr/share/rtmon/dashboard/"
else
	echo "build-context.sh: dashboard/dist not built (dashboard/install.sh && npm run build): image without dashboard" >&2
fi
cp "$src/Containerfile" "$out/Containerfile"
du -sh "$root" | awk '{print "build-context.sh: rootfs " $1}'
