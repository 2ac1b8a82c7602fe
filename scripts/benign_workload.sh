#!/bin/bash
# benign_workload.sh: ordinary developer and admin work that rtmon's default rules must not alert on:
# a parallel C build (make -j2 of a generated multi-file project, in a temp dir under /tmp, whose
# `make check` runs the freshly built binary), git init/commit/log, python3 scripts (json, re,
# subprocess), a shell pipeline (find | sort | uniq | wc, grep, sed, awk), curl to a local
# http.server on 127.0.0.1, tar/gzip, ssh-keygen (if installed); as root also the admin work of a
# server: a package installed and purged with dpkg (a unit, a cron.d file, a binary, a postinst that
# runs ldconfig and writes /var/log) and a real package reinstalled with apt-get, an ssh login (a
# private sshd on 127.0.0.1, key auth, a remote command), a cron job run by the real cron daemon
# (installed with crontab, restored after), a container started and run to completion with runc.
# Self-cleaning, bounded in time (the cron step waits for the next minute).
#
# Usage: benign_workload.sh [--list] [STEP...]
# Env: RTMON_SIM_ROOT=FILE  write this script's pid (the root of the workload's process tree)
set -u
STEPS=(c_build git_repo python_scripts shell_pipeline http_curl archive ssh_keygen pkg_install ssh_login cron_run
	runc_start)
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
CRONTAB_SAVED=
cleanup() {
	[ -z "$HPID" ] || { kill "$HPID" 2> /dev/null; wait "$HPID" 2> /dev/null; }
	[ -z "$CRONTAB_SAVED" ] || restore_crontab
	dpkg -s rtmon-benign-pkg > /dev/null 2>&1 && dpkg --purge rtmon-benign-pkg > /dev/null 2>&1
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

is_root() { [ "$(id -u)" = 0 ]; }

# A free TCP port on 127.0.0.1.
free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (10 s) until something listens on 127.0.0.1:$1.
wait_port() {
	local i
	for i in $(seq 100); do
		"$PY" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$1" \
			2> /dev/null && return 0
		sleep 0.1
	done
	return 1
}

s_pkg_install() {
	is_root && command -v dpkg-deb > /dev/null || { step "pkg_install skipped: needs root and dpkg"; return; }
	local d=$work/pkg/root
	mkdir -p "$d/DEBIAN" "$d/usr/bin" "$d/lib/systemd/system" "$d/etc/cron.d"
	cat > "$d/DEBIAN/control" << 'EOF'
Package: rtmon-benign-pkg
Version: 1.0
Architecture: all
Maintainer: rtmon tests <rtmon@example.invalid>
Description: rtmon benign workload package
 Ships a tool, a systemd unit and a cron.d entry, as ordinary packages do.
EOF
	printf '#!/bin/sh\necho benign-tool "$@"\n' > "$d/usr/bin/rtmon-benign-tool"
	printf '[Unit]\nDescription=rtmon benign\n[Service]\nExecStart=/usr/bin/rtmon-benign-tool\n[Install]\nWantedBy=multi-user.target\n' \
		> "$d/lib/systemd/system/rtmon-benign.service"
	printf '# rtmon benign\n17 3 * * * root /usr/bin/rtmon-benign-tool cron\n' > "$d/etc/cron.d/rtmon-benign"
	printf '#!/bin/sh\nset -e\nldconfig\nmkdir -p /var/log/rtmon-benign\necho installed >> /var/log/rtmon-benign/install.log\n' \
		> "$d/DEBIAN/postinst"
	printf '#!/bin/sh\nset -e\nif [ "$1" = purge ]; then rm -rf /var/log/rtmon-benign; fi\n' > "$d/DEBIAN/postrm"
	chmod 0755 "$d/usr/bin/rtmon-benign-tool" "$d/DEBIAN/postinst" "$d/DEBIAN/postrm"
	{ dpkg-deb --root-owner-group --build "$d" "$work/pkg/rtmon-benign-pkg.deb" > /dev/null &&
		dpkg -i "$work/pkg/rtmon-benign-pkg.deb" > /dev/null &&
		rtmon-benign-tool ok | grep -qx 'benign-tool ok' &&
		dpkg --purge rtmon-benign-pkg > /dev/null; } || { step "pkg_install FAILED (dpkg)"; failed=1; return; }
	# a real Debian package through apt (maintainer scripts, deb-systemd-helper, invoke-rc.d); needs
	# its .deb cached or the mirror reachable, otherwise only the dpkg half ran
	if dpkg -s cron > /dev/null 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 -qq install --reinstall -y cron \
			> "$work/apt.log" 2>&1; then
		step "pkg_install: dpkg -i / --purge of a package with a unit, a cron.d file and a postinst; apt-get reinstall of cron"
	else
		step "pkg_install: dpkg -i / --purge of a package with a unit, a cron.d file and a postinst (no apt-get reinstall of cron here)"
	fi
}

s_ssh_login() {
	is_root && [ -x /usr/sbin/sshd ] && command -v ssh > /dev/null && command -v ssh-keygen > /dev/null ||
		{ step "ssh_login skipped: needs root, sshd and ssh (openssh-server)"; return; }
	local d=$work/ssh port pid out=
	mkdir -p "$d" /run/sshd
	ssh-keygen -q -t ed25519 -N "" -f "$d/host" && ssh-keygen -q -t ed25519 -N "" -f "$d/user" &&
		cp "$d/user.pub" "$d/authorized_keys" || { step "ssh_login FAILED (keys)"; failed=1; return; }
	port=$(free_port)
	cat > "$d/sshd_config" << EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM yes
StrictModes no
PidFile $d/sshd.pid
EOF
	/usr/sbin/sshd -D -e -f "$d/sshd_config" 2> "$d/sshd.log" &
	pid=$!
	if wait_port "$port"; then
		out=$(ssh -q -i "$d/user" -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no \
			-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 'id -u; ls / | wc -l' < /dev/null)
	fi
	kill "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null
	[ "$(echo "$out" | head -1)" = 0 ] || { step "ssh_login FAILED: $(tail -3 "$d/sshd.log")"; failed=1; return; }
	step "ssh_login: sshd on 127.0.0.1:$port, key login as root, remote command"
}

restore_crontab() {
	if [ -s "$work/crontab.saved" ]; then crontab "$work/crontab.saved"; else crontab -r 2> /dev/null; fi
	CRONTAB_SAVED=
}

s_cron_run() {
	is_root && [ -x /usr/sbin/cron ] && command -v crontab > /dev/null ||
		{ step "cron_run skipped: needs root and cron"; return; }
	local pid= i
	crontab -l > "$work/crontab.saved" 2> /dev/null || : > "$work/crontab.saved"
	CRONTAB_SAVED=1
	{ cat "$work/crontab.saved"; echo "* * * * * date > $work/cron.tmp; id -u >> $work/cron.tmp; mv $work/cron.tmp $work/cron.out"; } |
		crontab - || { step "cron_run FAILED (crontab)"; failed=1; return; }
	pgrep -x cron > /dev/null || { /usr/sbin/cron -f -L 0 & pid=$!; }
	for i in $(seq 75); do [ -s "$work/cron.out" ] && break; sleep 1; done
	[ -z "$pid" ] || { kill "$pid" 2> /dev/null; wait "$pid" 2> /dev/null; }
	restore_crontab
	grep -qx 0 "$work/cron.out" 2> /dev/null || { step "cron_run FAILED: the job did not run in 75 s"; failed=1; return; }
	step "cron_run: a crontab job run by cron"
}

s_runc_start() {
	is_root && command -v runc > /dev/null || { step "runc_start skipped: needs root and runc"; return; }
	local d=$work/ctr bb= f id=rtmon-benign-$$ cg
	for f in /bin/busybox-static /usr/bin/busybox-static; do [ -x "$f" ] && bb=$f; done
	mkdir -p "$d/bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
	if [ -z "$bb" ]; then
		(cd "$d" && apt-get download -q busybox-static > /dev/null 2>&1 && dpkg-deb -x busybox-static_*.deb bb) ||
			{ step "runc_start skipped: cannot fetch busybox-static"; return; }
		bb=$d/bb/bin/busybox
	fi
	cp "$bb" "$d/bundle/rootfs/bin/busybox"
	for f in sh ls cat echo; do ln -s busybox "$d/bundle/rootfs/bin/$f"; done
	cg=/rtmon-benign-$$/docker/$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	(cd "$d/bundle" && runc spec) || { step "runc_start FAILED (runc spec)"; failed=1; return; }
	"$PY" - "$d/bundle/config.json" "$cg" << 'EOF'
import json, sys
p, cg = sys.argv[1], sys.argv[2]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sh", "-c", "echo hello from the container; ls / > /dev/null; cat /etc/hostname"]
c["linux"]["cgroupsPath"] = cg
c["hostname"] = "benign"
json.dump(c, open(p, "w"))
EOF
	echo benign > "$d/bundle/rootfs/etc/hostname"
	(cd "$d/bundle" && runc --root "$d/state" run "$id" < /dev/null > "$d/run.out" 2>&1)
	runc --root "$d/state" delete -f "$id" > /dev/null 2>&1
	for f in /sys/fs/cgroup/*/rtmon-benign-$$ /sys/fs/cgroup/rtmon-benign-$$; do
		[ -d "$f" ] && find "$f" -depth -type d -exec rmdir {} \; 2> /dev/null
	done
	grep -q "hello from the container" "$d/run.out" || { step "runc_start FAILED: $(tail -3 "$d/run.out")"; failed=1; return; }
	step "runc_start: a busybox container run to completion with runc ($cg)"
}

for s in "${STEPS[@]}"; do
	if [ ${#only[@]} -gt 0 ]; then
		case " ${only[*]} " in *" $s "*) ;; *) continue ;; esac
	fi
	"s_$s"
done
echo "benign_workload: done"
exit $failed
