/* SPDX-License-Identifier: MIT */
/* exec_storm - fork + exec /bin/true, one at a time, as fast as possible (or at -r). */
#include <sys/wait.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_clock c;
	uint64_t done = 0;

	bench_parse(argc, argv, &o, NULL);
	bench_start(&c, &o, 1);
	while (bench_more(&c, &o, done)) {
		int st;
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			return 1;
		}
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "exec_storm: /bin/true failed\n");
			return 1;
		}
		done++;
	}
	bench_report(&c, done);
	return 0;
}
