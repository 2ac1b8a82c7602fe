/* SPDX-License-Identifier: MIT */
/*
 * output.h - the sink interface and the fan-out of alerts to every sink.
 *
 * A sink is a struct of function pointers (OpenSMTPD style).  emit() must
 * never block the event loop: a sink that cannot deliver now queues (bounded)
 * and counts what it has to drop.  Sinks register their own fds with the
 * loop and get tick() about every 100 ms for retries and keep-alives.
 */
#ifndef RTMON_OUTPUT_H
#define RTMON_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "alert.h"

struct rtmon_sink;

struct rtmon_sink_ops {
	const char *kind; /* "stdout", "journal", "syslog", "sse" */
	/* One alert: 'json' is the alert JSON, one line without newline. Never blocks. */
	void (*emit)(struct rtmon_sink *s, const struct rtmon_alert *a, const char *json);
	/* About every 100 ms (may be NULL). */
	void (*tick)(struct rtmon_sink *s, uint64_t now_ms);
	/* At stop: deliver what is queued, waiting at most timeout_ms (may be NULL). */
	void (*flush)(struct rtmon_sink *s, int timeout_ms);
	/* Prometheus text lines for the sink's own metrics (may be NULL). */
	void (*metrics)(struct rtmon_sink *s, FILE *out);
	/*
	 * On SIGHUP: take the new settings (a pointer to the sink's own config
	 * struct) keeping the queue. Returns 0, or -errno to have the sink
	 * replaced by a new one (may be NULL: always replaced).
	 */
	int (*reconfigure)(struct rtmon_sink *s, const void *conf);
	void (*free)(struct rtmon_sink *s);
};

struct rtmon_sink {
	const struct rtmon_sink_ops *ops;
	char key[256]; /* identity across reloads, e.g. "syslog tcp://127.0.0.1:6514" */
};

#define RTMON_SINKS_MAX 32

struct rtmon_outputs {
	struct rtmon_sink *sinks[RTMON_SINKS_MAX];
	size_t n;
};

/* Adds a sink (the fan-out owns it afterwards). -ENOSPC when full. */
int outputs_add(struct rtmon_outputs *o, struct rtmon_sink *s);
/* Finds a sink by key, NULL when absent. */
struct rtmon_sink *outputs_find(struct rtmon_outputs *o, const char *key);
/* Removes (without freeing) the sink at index i. */
struct rtmon_sink *outputs_take(struct rtmon_outputs *o, size_t i);
void outputs_emit(struct rtmon_outputs *o, const struct rtmon_alert *a, const char *json);
void outputs_tick(struct rtmon_outputs *o, uint64_t now_ms);
void outputs_flush(struct rtmon_outputs *o, int timeout_ms);
void outputs_free_all(struct rtmon_outputs *o);

#endif
