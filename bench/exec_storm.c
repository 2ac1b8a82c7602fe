/* SPDX-License-Identifier: MIT */
/*
 * exec_storm - fork + exec /bin/true, one at a time, as fast as possible (or at -r).
 * -m PATH execs PATH instead (a program that exits 0 without arguments).
 */
#include <sys/wait.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o = { 0 };
	struct bench_clock c;
	uint64_t done = 0;
	const char *path;

	bench_parse(argc, argv, &o, " [-m PATH]");
	path = o.mode ? o.mode : "/bin/true";
	bench_start(&c, &o, 1);
	while (bench_more(&c, &o, done)) {
		int st;
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0) {
			execl(path, "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "exec_storm: %s failed\n", path);
			return 1;
		}
		done++;
	}
	bench_report(&c, done);
	return 0;
}
