/* SPDX-License-Identifier: MIT */
/*
 * alert_latency - syscall-to-alert latency of rtmon.
 *
 *   alert_latency [-n COUNT] [-r RATE] -- RTMON [ARGS...]
 *
 * Starts RTMON (which must print alerts on stdout: --stdout) with its stdout
 * and stderr on pipes, waits for "monitoring:" on its stderr, then calls
 * memfd_create(2) COUNT times at RATE per second, each with a unique name and
 * without MFD_ALLOW_SEALING (the default rule injection_attempt fires on it),
 * noting CLOCK_REALTIME just before each call. Each alert line read from
 * rtmon's stdout is matched to its call by the memfd name; the latency is the
 * time the line was read minus the time of the call. Run rtmon with alert
 * folding and rate limiting off (-o alerting.fold_window_s=0
 * -o alerting.rate_limit=0), or repeats are folded into summaries.
 * At the end rtmon gets SIGTERM; prints
 *   latency n=N seen=S p50_ms=.. p90_ms=.. p99_ms=.. max_ms=..
 * and rtmon's own stop line. Exit 0 when every alert was seen.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TAG "rtmonlat-"

static double *sent_at; /* CLOCK_REALTIME of each call, 0 until made */
static double *seen_at; /* when its alert line was read */
static unsigned count = 200;
static double rate = 50;
static volatile int trig_done;

static double realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *trigger(void *arg)
{
	double start = realtime();
	char name[64];

	(void)arg;
	for (unsigned i = 0; i < count; i++) {
		double due = start + (double)i / rate, now = realtime();
		int fd;

		if (due > now) {
			struct timespec ts = { (time_t)(due - now),
					       (long)(((due - now) - (double)(time_t)(due - now)) * 1e9) };

			nanosleep(&ts, NULL);
		}
		snprintf(name, sizeof(name), TAG "%d-%u", (int)getpid(), i);
		sent_at[i] = realtime();
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
	trig_done = 1;
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(const double *v, unsigned n, double p)
{
	unsigned i;

	if (!n)
		return 0;
	i = (unsigned)(p / 100.0 * (double)n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return v[i - 1];
}

/* Reads what is available on fd into buf (line-assembled); calls fn on each complete line. */
struct linebuf {
	char buf[1 << 16];
	size_t len;
};

static int read_lines(int fd, struct linebuf *lb, void (*fn)(const char *line, double t, void *ctx), void *ctx)
{
	ssize_t n = read(fd, lb->buf + lb->len, sizeof(lb->buf) - 1 - lb->len);
	double t = realtime();
	char *p, *nl;

	if (n <= 0)
		return n == 0 ? 0 : (errno == EAGAIN || errno == EINTR ? 1 : -1);
	lb->len += (size_t)n;
	lb->buf[lb->len] = 0;
	p = lb->buf;
	while ((nl = strchr(p, '\n'))) {
		*nl = 0;
		fn(p, t, ctx);
		p = nl + 1;
	}
	lb->len -= (size_t)(p - lb->buf);
	memmove(lb->buf, p, lb->len);
	if (lb->len == sizeof(lb->buf) - 1)
		lb->len = 0; /* an overlong line: drop it */
	return 1;
}

static void on_alert(const char *line, double t, void *ctx)
{
	char want[32];
	const char *m;
	unsigned i;

	snprintf(want, sizeof(want), TAG "%d-", *(int *)ctx);
	m = strstr(line, want);
	if (!m)
		return;
	i = (unsigned)strtoul(m + strlen(want), NULL, 10);
	if (i < count && sent_at[i] > 0 && seen_at[i] == 0)
		seen_at[i] = t;
}

static char stop_line[512];
static int monitoring;

static void on_err(const char *line, double t, void *ctx)
{
	(void)t;
	(void)ctx;
	if (strstr(line, "monitoring:"))
		monitoring = 1;
	if (strstr(line, "stopped:"))
		snprintf(stop_line, sizeof(stop_line), "%s", line);
	else if (strstr(line, "error") || strstr(line, "cannot") || strstr(line, "dropped"))
		fprintf(stderr, "%s\n", line);
}

int main(int argc, char **argv)
{
	static struct linebuf lout, lerr;
	int po[2], pe[2], c, me = (int)getpid(), st;
	unsigned seen = 0;
	double *lat, deadline = 0, start_wait;
	pthread_t th;
	pid_t child;

	while ((c = getopt(argc, argv, "+n:r:")) != -1) {
		if (c == 'n')
			count = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'r')
			rate = strtod(optarg, NULL);
		else
			return 2;
	}
	if (optind >= argc || !count || rate <= 0) {
		fprintf(stderr, "usage: %s [-n COUNT] [-r RATE] -- RTMON [ARGS...]\n", argv[0]);
		return 2;
	}
	sent_at = calloc(count, sizeof(double));
	seen_at = calloc(count, sizeof(double));
	lat = calloc(count, sizeof(double));
	if (!sent_at || !seen_at || !lat || pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0)
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	fcntl(po[0], F_SETFL, O_NONBLOCK);
	fcntl(pe[0], F_SETFL, O_NONBLOCK);

	start_wait = realtime();
	while (!monitoring) {
		struct pollfd p = { .fd = pe[0], .events = POLLIN };

		if (realtime() - start_wait > 60 || poll(&p, 1, 1000) < 0 || waitpid(child, &st, WNOHANG) == child) {
			fprintf(stderr, "alert_latency: rtmon did not start\n");
			kill(child, SIGTERM);
			return 1;
		}
		if (p.revents && read_lines(pe[0], &lerr, on_err, NULL) <= 0)
			break;
	}
	if (pthread_create(&th, NULL, trigger, NULL) != 0)
		return 2;
	for (;;) {
		struct pollfd p[2] = { { .fd = po[0], .events = POLLIN }, { .fd = pe[0], .events = POLLIN } };

		poll(p, 2, 100);
		if (p[0].revents)
			read_lines(po[0], &lout, on_alert, &me);
		if (p[1].revents)
			read_lines(pe[0], &lerr, on_err, NULL);
		seen = 0;
		for (unsigned i = 0; i < count; i++)
			seen += seen_at[i] > 0;
		if (seen == count)
			break;
		if (trig_done && deadline == 0)
			deadline = realtime() + 5;
		if (deadline && realtime() > deadline)
			break;
	}
	pthread_join(th, NULL);
	kill(child, SIGTERM);
	/* drain until rtmon closes its pipes */
	for (;;) {
		struct pollfd p[2] = { { .fd = po[0], .events = POLLIN }, { .fd = pe[0], .events = POLLIN } };
		int a = 1, b = 1;

		if (poll(p, 2, 10000) <= 0)
			break;
		if (p[0].revents)
			a = read_lines(po[0], &lout, on_alert, &me);
		if (p[1].revents)
			b = read_lines(pe[0], &lerr, on_err, NULL);
		if (a <= 0 && b <= 0)
			break;
		if (b <= 0 && !p[0].revents)
			break;
	}
	waitpid(child, &st, 0);
	seen = 0;
	for (unsigned i = 0; i < count; i++)
		if (seen_at[i] > 0)
			lat[seen++] = (seen_at[i] - sent_at[i]) * 1000.0;
	qsort(lat, seen, sizeof(double), cmp_double);
	printf("latency n=%u seen=%u p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", count, seen,
	       pct(lat, seen, 50), pct(lat, seen, 90), pct(lat, seen, 99), seen ? lat[seen - 1] : 0.0);
	printf("%s\n", stop_line[0] ? stop_line : "rtmon stop line: missing");
	return seen == count ? 0 : 1;
}
