/* SPDX-License-Identifier: MIT */
/*
 * floor - user side of the cost-floor monitor (see floor.bpf.c): loads and
 * attaches the programs, drains the ring buffer counting records and nothing
 * else, until SIGTERM/SIGINT.
 *
 *   floor -m event    wakeup per event, epoll on the ring buffer
 *   floor -m batched  kernel wakes only when 256 KiB wait; a 10 ms timer drains
 *   -H tracepoint|fentry|lsm  the syscall hooks rtmon's bpf.hooks mode uses (default tracepoint)
 *
 * Prints "floor: monitoring" on stderr once attached, and at the end
 *   "floor stopped: events=N kernel_sent=S kernel_dropped=D"
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

#if defined(__x86_64__)
#define SYS_PREFIX "__x64_sys_"
#else
#define SYS_PREFIX "__arm64_sys_"
#endif

static volatile sig_atomic_t stop;
static uint64_t events;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_rec(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	events++;
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void counters(struct floor_bpf *s, uint64_t out[2])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[512];

	out[0] = out[1] = 0;
	if (ncpu <= 0 || ncpu > 512)
		return;
	for (uint32_t k = 0; k < 2; k++) {
		if (bpf_map_lookup_elem(bpf_map__fd(s->maps.counters), &k, vals) < 0)
			continue;
		for (int c = 0; c < ncpu; c++)
			out[k] += vals[c];
	}
}

/* -s PREFIXES: do not attach the programs whose section starts with one of
 * the comma-separated prefixes (e.g. -s tracepoint/syscalls/sys_exit). */
static void skip_programs(struct floor_bpf *s, const char *prefixes)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, s->obj)
	{
		const char *sec = bpf_program__section_name(p);
		const char *q = prefixes;

		while (*q) {
			size_t n = strcspn(q, ",");

			if (n && !strncmp(sec, q, n))
				bpf_program__set_autoload(p, false);
			q += n + (q[n] == ',');
		}
	}
}

int main(int argc, char **argv)
{
	struct itimerspec its = { .it_interval = { 0, 10 * 1000 * 1000 }, .it_value = { 0, 10 * 1000 * 1000 } };
	struct sigaction sa = { .sa_handler = on_signal };
	struct ring_buffer *rb = NULL;
	struct floor_bpf *s;
	int batched = -1, c, tfd = -1;
	const char *skip = NULL, *hooks = "tracepoint";
	uint64_t cnt[2];

	while ((c = getopt(argc, argv, "m:s:H:")) != -1) {
		if (c == 'm' && !strcmp(optarg, "event"))
			batched = 0;
		else if (c == 'm' && !strcmp(optarg, "batched"))
			batched = 1;
		else if (c == 's')
			skip = optarg;
		else if (c == 'H')
			hooks = optarg;
	}
	if (batched < 0) {
		fprintf(stderr, "usage: %s -m event|batched [-H tracepoint|fentry|lsm] [-s SECTION_PREFIX,...]\n",
			argv[0]);
		return 2;
	}
	libbpf_set_print(quiet);
	if (access("/sys/kernel/tracing/events", F_OK) != 0)
		mount("tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	s = floor_bpf__open();
	if (!s) {
		perror("floor: open");
		return 2;
	}
	s->rodata->batched = (uint32_t)batched;
	/* one set of syscall hooks, as rtmon's bpf.hooks loads one */
	if (!strcmp(hooks, "tracepoint"))
		skip_programs(s, "fentry/,fexit/,lsm/");
	else if (!strcmp(hooks, "fentry"))
		skip_programs(s, "tracepoint/syscalls/,lsm/");
	else if (!strcmp(hooks, "lsm"))
		skip_programs(s, "tracepoint/syscalls/,fentry/" SYS_PREFIX "connect,fentry/" SYS_PREFIX "socket,"
				 "fentry/" SYS_PREFIX "bpf");
	else {
		fprintf(stderr, "floor: -H %s: not tracepoint, fentry or lsm\n", hooks);
		return 2;
	}
	if (skip)
		skip_programs(s, skip);
	if (floor_bpf__load(s) < 0 || floor_bpf__attach(s) < 0) {
		fprintf(stderr, "floor: cannot load/attach: %s\n", strerror(errno));
		floor_bpf__destroy(s);
		return 2;
	}
	rb = ring_buffer__new(bpf_map__fd(s->maps.events), on_rec, NULL, NULL);
	if (!rb) {
		perror("floor: ring buffer");
		floor_bpf__destroy(s);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (batched) {
		tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
		if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0) {
			perror("floor: timerfd");
			return 2;
		}
	}
	fprintf(stderr, "floor: monitoring (%s wakeups)\n", batched ? "batched" : "per-event");
	while (!stop) {
		struct pollfd p[2] = { { .fd = ring_buffer__epoll_fd(rb), .events = POLLIN },
				       { .fd = tfd, .events = POLLIN } };
		int n = poll(p, batched ? 2 : 1, 1000);

		if (n < 0 && errno != EINTR)
			break;
		if (batched && n > 0 && (p[1].revents & POLLIN)) {
			uint64_t exp;

			if (read(tfd, &exp, sizeof(exp)) < 0 && errno != EAGAIN)
				break;
		}
		if (n > 0)
			ring_buffer__consume(rb);
	}
	ring_buffer__consume(rb);
	counters(s, cnt);
	fprintf(stderr, "floor stopped: events=%" PRIu64 " kernel_sent=%" PRIu64 " kernel_dropped=%" PRIu64 "\n",
		events, cnt[0], cnt[1]);
	ring_buffer__free(rb);
	floor_bpf__destroy(s);
	if (tfd >= 0)
		close(tfd);
	return 0;
}
