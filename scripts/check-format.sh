#!/bin/bash
# check-format.sh: does the C code follow .clang-format? Prints each file that clang-format would
# change and how many lines, the total at the end; exits 1 on any unformatted file, 0 when nothing
# would change, 2 without clang-format (scripts/install-deps.sh installs it). Nothing is rewritten.
# Files: src/, bpf/ (but the generated vmlinux.h), tests/unit, tests/fuzz, bench/*.c.
# Reformat them all: scripts/check-format.sh --fix   (clang-format -i on the same list)
# Usage: scripts/check-format.sh [--fix] [FILE...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
CLANG_FORMAT=${CLANG_FORMAT:-$(command -v clang-format || command -v clang-format-16 || command -v clang-format-14 || true)}
[ -n "$CLANG_FORMAT" ] || { echo "check-format: clang-format not found (apt-get install clang-format)" >&2; exit 2; }
cd "$top"
fix=0
[ "${1:-}" = --fix ] && { fix=1; shift; }
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(git ls-files 'src/*.[ch]' 'bpf/*.[ch]' 'tests/unit/*.[ch]' 'tests/fuzz/*.[ch]' 'bench/*.c' |
		grep -v '^bpf/vmlinux.h$')
fi
[ ${#files[@]} -gt 0 ] || { echo "check-format: no files" >&2; exit 2; }
if [ "$fix" = 1 ]; then
	"$CLANG_FORMAT" --style=file -i "${files[@]}"
	echo "check-format: reformatted ${#files[@]} files"
	exit 0
fi
total=0 nfiles=0
for f in "${files[@]}"; do
	# lines removed or added by the reformat (a changed line counts once on each side, as diff -U0 shows it)
	n=$("$CLANG_FORMAT" --style=file "$f" | diff -U0 "$f" - | grep -c '^[-+][^-+]' || true)
	if [ "$n" -gt 0 ]; then
		echo "$f: $n"
		total=$((total + n))
		nfiles=$((nfiles + 1))
	fi
done
echo "check-format: $nfiles of ${#files[@]} files would change, $total diff lines"
[ "$total" = 0 ]
