/* SPDX-License-Identifier: MIT */
/*
 * syscall_loop - getppid() in a tight loop: no event rtmon reports, so this
 * shows only what attaching syscall tracepoints costs every syscall on the
 * host (the slow syscall entry/exit path).
 */
#include <sys/syscall.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_clock c;
	uint64_t done = 0;

	bench_parse(argc, argv, &o, NULL);
	bench_start(&c, &o, 4096);
	while (bench_more(&c, &o, done)) {
		syscall(SYS_getppid); /* glibc does not cache it, but be explicit */
		done++;
	}
	bench_report(&c, done);
	return 0;
}
