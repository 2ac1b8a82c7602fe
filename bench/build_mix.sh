#!/bin/bash
# build_mix.sh - a parallel C build: generates 40 small C files and a Makefile
# in a temporary directory, then runs `make -j2` clean builds for -d SECONDS.
# ops = C files compiled; prints: ops_per_s=<files per second> ops=<files> elapsed_s=<s>
# (the rate counts only complete builds, over the time those builds took).
set -eu
dur=10
nfiles=40
jobs=2
while getopts d:f:j: o; do
	case $o in
	d) dur=$OPTARG ;;
	f) nfiles=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) echo "usage: $0 [-d SECONDS] [-f FILES] [-j JOBS]" >&2; exit 2 ;;
	esac
done
dir=$(mktemp -d /tmp/rtmon-bench-build.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$nfiles"); do
	cat >"$dir/f$i.c" <<C
#include <stdio.h>
#include <string.h>
struct rec$i { int a; double b; char name[32]; };
static int cmp$i(const void *x, const void *y) { return memcmp(x, y, sizeof(struct rec$i)); }
int f$i(int n);
int f$i(int n)
{
	struct rec$i r[8];
	int s = 0;
	for (int k = 0; k < 8; k++) {
		r[k].a = n * k + $i;
		r[k].b = r[k].a / 3.0;
		snprintf(r[k].name, sizeof(r[k].name), "rec-%d-%d", $i, k);
		s += cmp$i(&r[k], &r[0]) > 0;
	}
	return s + (int)r[7].b;
}
C
done
{
	printf 'int main(void)\n{\n\tint s = 0;\n'
	for i in $(seq 1 "$nfiles"); do printf '\textern int f%d(int);\n\ts += f%d(%d);\n' "$i" "$i" "$i"; done
	printf '\treturn s == -1;\n}\n'
} >"$dir/main.c"
{
	printf 'OBJS = main.o'
	for i in $(seq 1 "$nfiles"); do printf ' f%d.o' "$i"; done
	printf '\nprog: $(OBJS)\n\tcc -o $@ $(OBJS)\n%%.o: %%.c\n\tcc -O2 -c -o $@ $<\nclean:\n\trm -f prog *.o\n'
} >"$dir/Makefile"
start=$EPOCHREALTIME
end_us=$(awk -v s="$start" -v d="$dur" 'BEGIN { printf "%.0f", (s + d) * 1e6 }')
builds=0
last=$start
while :; do
	make -s -C "$dir" clean >/dev/null
	make -s -C "$dir" -j"$jobs" prog >/dev/null
	"$dir/prog" || { echo "build_mix: the built program failed" >&2; exit 1; }
	builds=$((builds + 1))
	last=$EPOCHREALTIME
	((${last/./} >= end_us)) && break
done
awk -v b="$builds" -v f="$((nfiles + 1))" -v s="$start" -v e="$last" \
	'BEGIN { el = e - s; printf "ops_per_s=%.2f ops=%d elapsed_s=%.3f\n", b * f / el, b * f, el }'
