/* SPDX-License-Identifier: MIT */
/*
 * mmap_storm - mmap + munmap of one anonymous page in a loop.
 *   -m exec (default): PROT_READ|PROT_EXEC - every call is an event rtmon cares about
 *   -m read:           PROT_READ only      - rtmon filters these in the kernel
 */
#include <sys/mman.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o = { 0 };
	struct bench_clock c;
	uint64_t done = 0;
	int prot;

	bench_parse(argc, argv, &o, " [-m exec|read]");
	if (!o.mode || !strcmp(o.mode, "exec"))
		prot = PROT_READ | PROT_EXEC;
	else if (!strcmp(o.mode, "read"))
		prot = PROT_READ;
	else
		bench_usage(argv[0], " [-m exec|read]");
	bench_start(&c, &o, 256);
	while (bench_more(&c, &o, done)) {
		void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap_storm: mmap");
			return 1;
		}
		munmap(p, 4096);
		done++;
	}
	bench_report(&c, done);
	return 0;
}
