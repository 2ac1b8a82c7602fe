#!/bin/bash
# check-format.sh: does the C code follow .clang-format? Prints each file that clang-format would
# change and how many lines, the total at the end; exit 0 when nothing would change, 1 otherwise,
# 2 without clang-format. Nothing is rewritten (the tree's one-time reformat is a separate step:
# clang-format -i on the same files). Not part of CI yet.
# Usage: scripts/check-format.sh [FILE...]   (default: src/, bpf/ but vmlinux.h, tests/, bench/)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
CLANG_FORMAT=${CLANG_FORMAT:-$(command -v clang-format || command -v clang-format-16 || command -v clang-format-14 || true)}
[ -n "$CLANG_FORMAT" ] || { echo "check-format: clang-format not found (apt-get install clang-format)" >&2; exit 2; }
cd "$top"
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(git ls-files 'src/*.[ch]' 'bpf/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]' | grep -v '^bpf/vmlinux.h$')
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
