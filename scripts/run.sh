#!/bin/bash
# run.sh: install the dependencies, build rtmon (in build/), and run it with live alerts as JSON lines
# in this terminal. Extra arguments go to rtmon (e.g. --trace for every raw event). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (apt-get, and rtmon loads BPF programs)" >&2; exit 1; }
mkdir -p build
echo "installing dependencies (log: build/install-deps.log) ..." >&2
bash scripts/install-deps.sh > build/install-deps.log 2>&1 || { tail -30 build/install-deps.log; exit 1; }
echo "building ..." >&2
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi > build/autoreconf.log 2>&1
cd build
[ -f Makefile ] || "$SRC/configure" > configure.out
make -j"$(nproc)" src/rtmond > make.out 2>&1 || { tail -40 make.out; exit 1; }
echo "rtmon built: $SRC/build/src/rtmond; alerts follow (try: bash $SRC/scripts/simulate_reverse_shell.sh)" >&2
CONF=()
[ -f /etc/rtmon/rtmon.conf ] || CONF=(-c "$SRC/etc/rtmon/rtmon.conf")
exec ./src/rtmond "${CONF[@]}" -o outputs.journal=false --stdout "$@"
