/* SPDX-License-Identifier: MIT */
/*
 * out_sse.h - the HTTP listener (libmicrohttpd under rtmon's epoll loop):
 * GET /events (SSE), /api/alerts, /healthz, /metrics, and the dashboard files.
 */
#ifndef RTMON_OUT_SSE_H
#define RTMON_OUT_SSE_H

#include <stdio.h>

#include "config.h"
#include "loop.h"
#include "output.h"

struct rtmon_sse_opts {
	const struct rtmon_sse_conf *conf;
	struct rtmon_loop *loop;
	/* Writes the daemon's Prometheus metrics (all sinks included) to 'out'. */
	void (*metrics)(void *ctx, FILE *out);
	/* Fills a short health JSON object; returns 1 when healthy. */
	int (*health)(void *ctx, FILE *out);
	void *ctx;
};

int out_sse_new(const struct rtmon_sse_opts *opts, struct rtmon_sink **ret);
/* The TCP port the listener is bound to (useful with listen "127.0.0.1:0"), or -errno. */
int out_sse_port(struct rtmon_sink *s);

#endif
