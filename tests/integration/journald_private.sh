# Sourced by the journal tests: a private systemd-journald (RECIPES.md section 1).
# journald_start DIR: starts journald in a new mount namespace in which DIR/sock is
#   /run/systemd/journal and DIR/runlog is /run/log/journal; sets JPID.
#   Clients use the standard socket path inside: nsenter --mount=/proc/$JPID/ns/mnt -- CMD
#   Read the entries from the host with: journalctl -D DIR/runlog --all -o json
# journald_restart_in PID: starts a new journald in the mount namespace of PID (which must still
#   be in it), after the first one was stopped; sets JPID.
# journald_sync: flushes journald's buffers to its files (the same as journalctl --sync).
# tmpfs goes over /run/systemd and /run/log first: the mount points need not exist on the host
# (they do not on a host without systemd) and nothing is created outside the namespace.
JOURNALD=${JOURNALD:-/lib/systemd/systemd-journald}

journald_start() {
	local d=$1 i
	mkdir -p "$d/sock" "$d/runlog" /run/systemd /run/log
	printf '[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToKMsg=no\nForwardToConsole=no\nForwardToWall=no\nRateLimitIntervalSec=0\n' > "$d/journald.conf"
	unshare --mount --propagation private sh -c "
	  mount -t tmpfs -o mode=0755 tmpfs /run/systemd && mount -t tmpfs -o mode=0755 tmpfs /run/log &&
	  mkdir /run/systemd/journal /run/log/journal &&
	  mount --bind $d/sock /run/systemd/journal && mount --bind $d/runlog /run/log/journal &&
	  mount --bind $d/journald.conf /etc/systemd/journald.conf &&
	  exec $JOURNALD" > "$d/journald.out" 2>&1 &
	JPID=$!
	for i in $(seq 50); do [ -S "$d/sock/socket" ] && return 0; sleep 0.1; done
	echo "FAIL: journald did not start"; cat "$d/journald.out"; return 1
}

journald_restart_in() {
	local pid=$1 i
	nsenter --mount=/proc/$pid/ns/mnt -- "$JOURNALD" >> "$T/journald.out" 2>&1 &
	JPID=$!
	# the new journald binds the socket again; wait until it answers
	for i in $(seq 50); do
		nsenter --mount=/proc/$pid/ns/mnt -- logger --journald <<< "MESSAGE=ping" 2> /dev/null && sleep 0.2 && return 0
		sleep 0.1
	done
	echo "FAIL: journald did not restart"; return 1
}

journald_sync() {
	kill -s RTMIN+1 "$JPID"
	sleep 0.3
}
