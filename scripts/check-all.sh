#!/bin/bash
# check-all.sh: the whole test suite on a fresh Debian 12 machine, as root (CI runs exactly this).
# Installs the dependencies, builds with warnings as errors, runs every unit and integration test
# (real daemon, real BPF, real journald/rsyslog/Chromium), then the same suite again built with
# AddressSanitizer + UBSan, then every fuzz target briefly. Build trees: build/, build-asan/, build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
[ "$(id -u)" = 0 ] || { echo "check-all.sh: run as root (BPF, journald, cgroups)" >&2; exit 1; }
bash scripts/install-deps.sh
# the layout: every C and BPF source as .clang-format has it (scripts/check-format.sh --fix formats them)
bash scripts/check-format.sh
autoreconf -fi
show_failures() {
	echo "---- failing test logs ($1) ----"
	grep -l -E '^(:test-result: (FAIL|ERROR))' "$1"/tests/*/*.trs 2>/dev/null | while read -r trs; do
		echo "==== ${trs%.trs}.log"; tail -60 "${trs%.trs}.log"
	done
}
# the dashboard: npm dependencies from the lock file, unit tests, production build (its browser test is in make check)
bash dashboard/install.sh
(cd dashboard && npm test && npm run build)
mkdir -p build && cd build
"$SRC/configure" --enable-werror > configure.out || { cat configure.out; exit 1; }
make -j"$(nproc)"
make check || { show_failures .; exit 1; }
cd "$SRC"
# Sanitizers: the unit and integration suite again, rtmon and the tests built with ASan+UBSan
# (less the packaging tests, which build their own packages: see check-sanitized in Makefile.am)
mkdir -p build-asan && cd build-asan
"$SRC/configure" --enable-werror --enable-asan CFLAGS="-O1 -g" > configure.out || { cat configure.out; exit 1; }
make -j"$(nproc)"
make check-sanitized || { show_failures .; exit 1; }
cd "$SRC"
# Fuzzing: every libFuzzer target for a short bounded run (make fuzz runs them longer)
mkdir -p build-fuzz && cd build-fuzz
"$SRC/configure" --enable-fuzzing CC=clang > configure.out || { cat configure.out; exit 1; }
make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
echo "check-all: every test suite passed"
