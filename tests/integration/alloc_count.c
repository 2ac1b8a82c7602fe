/* SPDX-License-Identifier: MIT */
/*
 * alloc_count.so - LD_PRELOAD shim for steady_alloc.sh: counts every call to
 * malloc, calloc and realloc in the process (glibc's own internal calls, as
 * from strdup or getline, come through here too). Whenever the file
 * $ALLOC_COUNT_FILE.req appears, a thread of its own writes the count so far
 * to $ALLOC_COUNT_FILE and removes the .req file: the test reads the count at
 * the moments it chooses, in one run of the daemon.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static atomic_ulong calls;

void *malloc(size_t size)
{
	atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
	return __libc_realloc(p, size);
}

static char count_path[4096], req_path[4100];

static void write_count(void)
{
	char line[32], tmp[4110];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", count_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "%lu\n", atomic_load(&calls));
	if (n > 0 && write(fd, line, (size_t)n) != n)
		n = -1;
	close(fd);
	if (n > 0)
		rename(tmp, count_path);
}

static void *watch(void *arg)
{
	const struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };

	(void)arg;
	for (;;) {
		if (access(req_path, F_OK) == 0) {
			write_count();
			unlink(req_path);
		}
		nanosleep(&tick, NULL);
	}
	return NULL;
}

__attribute__((constructor)) static void alloc_count_start(void)
{
	const char *path = getenv("ALLOC_COUNT_FILE");
	sigset_t all, old;
	pthread_attr_t a;
	pthread_t t;

	if (!path || snprintf(count_path, sizeof(count_path), "%s", path) >= (int)sizeof(count_path))
		return;
	snprintf(req_path, sizeof(req_path), "%s.req", count_path);
	/* the thread's own stack and start-up allocate: counted before the test asks anything */
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	/* signals are the daemon's (it takes them from a signalfd): the thread starts with all blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_create(&t, &a, watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
}
