/* SPDX-License-Identifier: MIT */
/*
 * clone_storm - fork() + _exit() + waitpid() in a tight loop, no exec: what
 * the fork and exit hooks cost process creation (every fork and exit is an
 * event rtmon reports).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_clock c;
	uint64_t done = 0;

	bench_parse(argc, argv, &o, NULL);
	bench_start(&c, &o, 64);
	while (bench_more(&c, &o, done)) {
		pid_t p = fork();

		if (p < 0) {
			perror("clone_storm: fork");
			return 1;
		}
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
		done++;
	}
	bench_report(&c, done);
	return 0;
}
