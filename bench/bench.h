/* SPDX-License-Identifier: MIT */
/*
 * bench.h - what every bench workload shares: a monotonic clock, the common
 * options (-d seconds, -r target rate, -n count) and the one result line the
 * driver parses:  ops_per_s=<rate> ops=<count> elapsed_s=<seconds>
 */
#ifndef RTMON_BENCH_H
#define RTMON_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct bench_opts {
	double duration_s; /* run this long ... */
	uint64_t count;    /* ... or this many operations (0 = by duration) */
	double rate;       /* operations per second to aim at (0 = as fast as possible) */
	const char *mode;  /* -m: workload-specific */
};

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void bench_usage(const char *prog, const char *extra)
{
	fprintf(stderr, "usage: %s [-d SECONDS] [-n COUNT] [-r OPS_PER_S]%s\n", prog, extra ? extra : "");
	exit(2);
}

static inline void bench_parse(int argc, char **argv, struct bench_opts *o, const char *extra)
{
	int c;

	o->duration_s = 5;
	o->count = 0;
	o->rate = 0;
	while ((c = getopt(argc, argv, "d:n:r:m:h")) != -1) {
		switch (c) {
		case 'd':
			o->duration_s = strtod(optarg, NULL);
			break;
		case 'n':
			o->count = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			o->rate = strtod(optarg, NULL);
			break;
		case 'm':
			o->mode = optarg;
			break;
		default:
			bench_usage(argv[0], extra);
		}
	}
	if (o->duration_s <= 0 && !o->count)
		bench_usage(argv[0], extra);
}

/*
 * Loop control: call with the number of operations done so far; returns 0 when
 * the run is over. Checks the clock only every 'every' operations (cheap loops)
 * and paces to o->rate when one is set.
 */
struct bench_clock {
	double start, end, next_check;
	uint64_t every;
};

static inline void bench_start(struct bench_clock *c, const struct bench_opts *o, uint64_t every)
{
	c->start = bench_now();
	c->end = c->start + o->duration_s;
	c->every = every && o->rate <= 0 ? every : 1;
	c->next_check = 0;
}

static inline int bench_more(struct bench_clock *c, const struct bench_opts *o, uint64_t done)
{
	double now;

	if (o->count)
		return done < o->count;
	if (done % c->every)
		return 1;
	now = bench_now();
	if (now >= c->end)
		return 0;
	if (o->rate > 0) {
		double due = c->start + (double)done / o->rate;

		if (due > now) {
			struct timespec ts;
			double wait = due - now;

			if (due > c->end)
				wait = c->end - now;
			ts.tv_sec = (time_t)wait;
			ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
			return bench_now() < c->end;
		}
	}
	return 1;
}

static inline void bench_report(const struct bench_clock *c, uint64_t done)
{
	double el = bench_now() - c->start;

	printf("ops_per_s=%.1f ops=%llu elapsed_s=%.3f\n", el > 0 ? (double)done / el : 0.0,
	       (unsigned long long)done, el);
	fflush(stdout);
}

#endif
