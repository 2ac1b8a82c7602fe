#!/bin/bash
# install-deps.sh: every package rtmon needs to build, run and test, from Debian 12's apt.
# Run as root on a fresh machine; safe to run again. One apt-get line per area.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
APT="apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends"
if [ "$(id -u)" != 0 ]; then echo "install-deps.sh: run as root (apt-get)" >&2; exit 1; fi
apt-get -o DPkg::Lock::Timeout=600 update -qq
# core: build (autotools, BPF toolchain, libraries) and unit tests
$APT build-essential autoconf automake libtool pkg-config clang llvm bpftool \
  libbpf-dev libelf-dev zlib1g-dev libjson-c-dev libconfig-dev libsystemd-dev libcmocka-dev \
  libgnutls28-dev libssl-dev librelp-dev libmicrohttpd-dev curl python3 iproute2 procps util-linux
# journald tests: a private systemd-journald; real systemd end-to-end in a container
$APT systemd systemd-container debootstrap
# SIEM tests: rsyslog with TLS and RELP inputs
$APT rsyslog rsyslog-gnutls rsyslog-openssl rsyslog-relp gnutls-bin openssl
# dashboard: Debian's Chromium for the end-to-end test; Node.js + npm for Vite/Vitest (the machine
# image ships Node 20 with npm; Debian's own nodejs/npm only where none is installed)
$APT chromium fonts-dejavu-core
command -v npm >/dev/null || $APT nodejs npm
# fuzzing and sanitizers (clang's runtime); clang-format for scripts/check-format.sh
$APT libclang-rt-14-dev valgrind clang-format
# container: runc runs the real container of tests/integration/container_runc.sh (busybox-static is fetched there with apt-get download); python3 reads the JSON in the container tests
$APT runc python3
# dist: .deb (debhelper, lintian), .rpm (Debian's rpm + rpmlint), the container image (rootful podman/buildah with
# runc; tests/integration/container_image.sh); the Helm test fetches helm from npm (see tests/integration/helm_chart.sh)
$APT debhelper dh-autoreconf lintian rpm rpmlint podman buildah runc uidmap fuse-overlayfs containernetworking-plugins catatonit python3-yaml
# repositories (make repo, make check-repo): apt-ftparchive (apt-utils), gpg, createrepo_c, dnf for the dry run;
# the repo test boots a debootstrap rootfs with systemd-nspawn
$APT apt-utils gnupg createrepo-c dnf systemd-container debootstrap
# benign workload (scripts/benign_workload.sh, tests/integration/benign_quiet.sh): an ssh login to a private sshd, a
# crontab job run by cron
$APT openssh-server openssh-client cron
# setuid_set.sh: setcap (file capabilities by setxattr)
$APT libcap2-bin
# simulations (scripts/simulate_reverse_shell.sh): the relay and interpreter variants of a reverse shell
$APT ncat socat gawk netcat-traditional perl php-cli
# indirection evasions (tests/integration/kernel_evasion.sh): a shell run as a busybox applet
$APT busybox
# kernels (make check-kernels, tests/integration/kernel_smoke.sh): QEMU (TCG) boots Debian's 6.1/6.12 cloud kernels,
# fetched by tests/kernels/fetch-kernel.sh with apt-get download; qemu's virtiofsd shares the root; busybox-static is
# fetched there (it conflicts with busybox), xz-utils unpacks the 6.12 modules
$APT qemu-system-x86 qemu-system-common xz-utils cpio
