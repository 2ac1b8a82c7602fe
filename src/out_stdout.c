/* SPDX-License-Identifier: MIT */
/*
 * out_stdout.c - alert JSON lines on stdout, flushed per line. stdout is a
 * terminal or a pipe the user chose, written like any CLI tool writes it;
 * production outputs (journal, syslog, SSE) are the non-blocking ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out_stdout.h"

struct stdout_sink {
	struct rtmon_sink base;
	FILE *f;
	uint64_t sent, dropped;
};

static void stdout_emit(struct rtmon_sink *s, const struct rtmon_alert *a, const char *json)
{
	struct stdout_sink *o = (struct stdout_sink *)s;

	(void)a;
	if (fprintf(o->f, "%s\n", json) < 0 || fflush(o->f) != 0) {
		o->dropped++;
		clearerr(o->f);
		return;
	}
	o->sent++;
}

static void stdout_metrics(struct rtmon_sink *s, FILE *out)
{
	struct stdout_sink *o = (struct stdout_sink *)s;

	fprintf(out, "rtmon_output_sent_total{output=\"stdout\"} %" PRIu64 "\n", o->sent);
	fprintf(out, "rtmon_output_dropped_total{output=\"stdout\"} %" PRIu64 "\n", o->dropped);
}

static void stdout_flush(struct rtmon_sink *s, int timeout_ms)
{
	(void)timeout_ms;
	fflush(((struct stdout_sink *)s)->f);
}

static void stdout_free(struct rtmon_sink *s)
{
	free(s);
}

static const struct rtmon_sink_ops stdout_ops = {
	.kind = "stdout",
	.emit = stdout_emit,
	.flush = stdout_flush,
	.metrics = stdout_metrics,
	.free = stdout_free,
};

int out_stdout_new(FILE *f, struct rtmon_sink **ret)
{
	struct stdout_sink *o = calloc(1, sizeof(*o));

	if (!o)
		return -ENOMEM;
	o->base.ops = &stdout_ops;
	snprintf(o->base.key, sizeof(o->base.key), "stdout");
	o->f = f;
	*ret = &o->base;
	return 0;
}
