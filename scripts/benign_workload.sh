#!/bin/bash
# benign_workload.sh: ordinary developer and admin work that rtmon's default rules must not alert on:
# a parallel C build (make -j2 of a generated multi-file project, in a temp dir under /tmp, whose
# `make check` runs the freshly built binary), git init/commit/log, python3 scripts (json, re,
# subprocess), a shell pipeline (find | sort | uniq | wc, grep, sed, awk), curl to a local
# http.server on 127.0.0.1, tar/gzip, ssh-keygen (if installed). Self-cleaning, bounded in time.
#
# Usage: benign_workload.sh [--list] [STEP...]
# Env: RTMON_SIM_ROOT=FILE  write this script's pid (the root of the workload's process tree)
set -u
STEPS=(c_build git_repo python_scripts shell_pipeline http_curl archive ssh_keygen)
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--list) printf '%s\n' "${STEPS[@]}"; exit 0 ;;
	-h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "benign_workload: unknown option $1" >&2; exit 2 ;;
	*) only+=("$1"); shift ;;
	esac
done
[ -z "${RTMON_SIM_ROOT:-}" ] || echo $$ > "$RTMON_SIM_ROOT"
work=$(mktemp -d /tmp/rtmon-benign.XXXXXX)
HPID=
cleanup() {
	[ -z "$HPID" ] || { kill "$HPID" 2> /dev/null; wait "$HPID" 2> /dev/null; }
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
PY=$(python3 -c 'import sys; print(sys.executable)')
failed=0
step() { echo "benign: $*"; }

s_c_build() {
	command -v make > /dev/null && command -v cc > /dev/null || { step "c_build skipped: no make/cc"; return; }
	local d=$work/proj i
	mkdir -p "$d/src"
	for i in 1 2 3 4 5 6; do
		printf '#include "mod.h"\nint mod%d(int x) { return x * %d + 1; }\n' "$i" "$i" > "$d/src/mod$i.c"
		printf 'int mod%d(int x);\n' "$i" >> "$d/src/mod.h"
	done
	printf '#include <stdio.h>\n#include "mod.h"\nint main(void) { int s = 0;\n' > "$d/src/main.c"
	for i in 1 2 3 4 5 6; do printf '  s += mod%d(%d);\n' "$i" "$i" >> "$d/src/main.c"; done
	printf '  printf("%%d\\n", s); return s == 97 ? 0 : 1; }\n' >> "$d/src/main.c"
	cat > "$d/Makefile" << 'EOF'
SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=build/%.o)
CFLAGS ?= -O2 -Wall
all: build/app
build/%.o: src/%.c src/mod.h
	@mkdir -p build
	$(CC) $(CFLAGS) -Isrc -c $< -o $@
build/app: $(OBJS)
	$(CC) $(OBJS) -o $@
check: build/app
	./build/app
	./build/app | grep -qx 97
.PHONY: all check
EOF
	make -s -C "$d" -j2 all > /dev/null && make -s -C "$d" check > /dev/null || { step "c_build FAILED"; failed=1; }
	step "c_build: make -j2 of $(ls "$d"/src/*.c | wc -l) files, make check ran the binary from $d"
}

s_git_repo() {
	command -v git > /dev/null || { step "git_repo skipped: no git"; return; }
	local d=$work/repo
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		export GIT_CONFIG_NOSYSTEM=1 HOME=$work GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@example.invalid \
			GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@example.invalid
		git init -q -b main . && echo hello > a.txt && git add a.txt && git commit -qm first &&
			echo world >> a.txt && git commit -qam second && git log --oneline | wc -l | grep -qx 2 &&
			git diff HEAD~1 --stat > /dev/null && git status --short > /dev/null
	) || { step "git_repo FAILED"; failed=1; }
	step "git_repo: init, 2 commits, log, diff"
}

s_python_scripts() {
	"$PY" - "$work" << 'EOF' || { step "python_scripts FAILED"; failed=1; }
import json, os, re, subprocess, sys
work = sys.argv[1]
data = {"items": [{"n": i, "name": "item-%d" % i} for i in range(200)]}
p = os.path.join(work, "data.json")
with open(p, "w") as f:
    json.dump(data, f)
with open(p) as f:
    back = json.load(f)
assert len([x for x in back["items"] if re.fullmatch(r"item-\d*7", x["name"])]) == 20
out = subprocess.run(["ls", "-l", work], capture_output=True, text=True, check=True).stdout
assert "data.json" in out
out = subprocess.run(["sh", "-c", "echo $((6 * 7))"], capture_output=True, text=True, check=True).stdout
assert out.strip() == "42"
EOF
	step "python_scripts: json, re, subprocess (ls, sh -c)"
}

s_shell_pipeline() {
	local n
	n=$(find /usr/share/doc -maxdepth 2 -name '*.gz' 2> /dev/null | sed 's,.*/,,' | sort | uniq -c | awk '{s += $1} END {print s + 0}')
	grep -c root /etc/passwd > /dev/null
	printf 'b\na\nb\n' | sort | uniq | wc -l | grep -qx 2 || { step "shell_pipeline FAILED"; failed=1; }
	step "shell_pipeline: find | sed | sort | uniq | awk ($n files), grep, wc"
}

s_http_curl() {
	command -v curl > /dev/null || { step "http_curl skipped: no curl"; return; }
	mkdir -p "$work/www"
	echo "benign page" > "$work/www/index.html"
	(cd "$work/www" && exec "$PY" -m http.server --bind 127.0.0.1 0 > "$work/http.log" 2>&1) &
	HPID=$!
	local port="" i
	for i in $(seq 100); do
		port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/http.log" 2> /dev/null | head -1)
		[ -n "$port" ] && break
		sleep 0.05
	done
	if [ -z "$port" ]; then
		# older http.server prints nothing until the first request: ask the kernel
		port=$(ss -ltnpH 2> /dev/null | awk -v p="pid=$HPID," '$0 ~ p {sub(/.*:/, "", $4); print $4; exit}')
	fi
	curl -fsS "http://127.0.0.1:$port/index.html" | grep -qx "benign page" || { step "http_curl FAILED"; failed=1; }
	kill "$HPID" 2> /dev/null
	wait "$HPID" 2> /dev/null
	HPID=
	step "http_curl: curl http://127.0.0.1:$port/ (python3 -m http.server)"
}

s_archive() {
	tar -C "$work" -czf "$work/a.tar.gz" proj repo 2> /dev/null || tar -C /etc -czf "$work/a.tar.gz" hostname
	mkdir -p "$work/x" && tar -C "$work/x" -xzf "$work/a.tar.gz" && gzip -t "$work/a.tar.gz" ||
		{ step "archive FAILED"; failed=1; }
	step "archive: tar czf / xzf, gzip -t"
}

s_ssh_keygen() {
	command -v ssh-keygen > /dev/null || { step "ssh_keygen skipped: not installed"; return; }
	ssh-keygen -q -t ed25519 -N "" -C benign -f "$work/id_test" && ssh-keygen -l -f "$work/id_test.pub" > /dev/null ||
		{ step "ssh_keygen FAILED"; failed=1; }
	step "ssh_keygen: ed25519 key generated and fingerprinted"
}

for s in "${STEPS[@]}"; do
	if [ ${#only[@]} -gt 0 ]; then
		case " ${only[*]} " in *" $s "*) ;; *) continue ;; esac
	fi
	"s_$s"
done
echo "benign_workload: done"
exit $failed
