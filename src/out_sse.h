/* SPDX-License-Identifier: MIT */
/*
 * out_sse.h - the HTTP listener (libmicrohttpd under rtmon's epoll loop):
 * GET /events (SSE), /api/alerts, /healthz, /metrics, and the dashboard files.
 */
#ifndef RTMON_OUT_SSE_H
#define RTMON_OUT_SSE_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "hist_query.h"
#include "loop.h"
#include "output.h"

struct rtmon_sse_opts {
	const struct rtmon_sse_conf *conf;
	struct rtmon_loop *loop;
	/* Writes the daemon's Prometheus metrics (all sinks included) to 'out'. */
	void (*metrics)(void *ctx, FILE *out);
	/* Fills a short health JSON object; returns 1 when healthy. */
	int (*health)(void *ctx, FILE *out);
	/*
	 * A page of the alert history from a store beyond the ring (the
	 * journal): writes the JSON array to 'out' and the next cursor ("" =
	 * none). Returns 1 when it answered, 0 when there is no such store (the
	 * ring answers), -EINVAL for a cursor it does not know, other -errno.
	 * NULL = the ring only.
	 */
	int (*history)(void *ctx, const struct hist_query *q, FILE *out, char *ret_cursor, size_t cursor_size);
	void *ctx;
	/* A socket already bound and listening (taken over, closed by the sink); -1 = bind conf->listen. */
	int listen_fd;
};

int out_sse_new(const struct rtmon_sse_opts *opts, struct rtmon_sink **ret);
/* The TCP port the listener is bound to (useful with listen "127.0.0.1:0"), or -errno. */
int out_sse_port(struct rtmon_sink *s);
/*
 * Binds and listens on 'listen_addr' (HOST:PORT), non-blocking and
 * close-on-exec. A non-loopback address without a token is refused
 * (-EPERM). Returns the fd or -errno; *ret_loopback tells the address kind.
 */
int out_sse_listen_socket(const char *listen_addr, bool have_token, bool *ret_loopback);

#endif
