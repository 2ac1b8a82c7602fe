/* SPDX-License-Identifier: MIT */
/*
 * open_storm - openat() + close() of an ordinary file in a tight loop (a file
 * no rule watches): what the file watch costs every open on the host (the
 * exit hook's fd lookup and up to four hash lookups, no record sent).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_clock c;
	char path[] = "/tmp/rtmon-open-storm.XXXXXX";
	uint64_t done = 0;
	int fd = mkstemp(path);

	if (fd < 0) {
		perror("open_storm: mkstemp");
		return 1;
	}
	close(fd);
	bench_parse(argc, argv, &o, NULL);
	bench_start(&c, &o, 1024);
	while (bench_more(&c, &o, done)) {
		fd = openat(AT_FDCWD, path, done & 1 ? O_RDONLY : O_WRONLY | O_APPEND);
		if (fd < 0) {
			perror("open_storm: openat");
			unlink(path);
			return 1;
		}
		close(fd);
		done++;
	}
	bench_report(&c, done);
	unlink(path);
	return 0;
}
