/* SPDX-License-Identifier: MIT */
/*
 * pipeline.h - one event's way through rtmon, shared by live mode and
 * --replay: enrichment, --trace/--record, rules, incidents and noise control,
 * alert formatting, fan-out. It is the daemon's per-event step and works on
 * the daemon's context (the parts setup.c built, the counters in d->stats).
 */
#ifndef RTMON_PIPELINE_H
#define RTMON_PIPELINE_H

#include <stdint.h>

#include "event.h"

struct rtmon_daemon;

/* One event through enrichment, trace/record, rules, alerts. */
void pipeline_handle_event(struct rtmon_daemon *d, struct rtmon_event *ev, uint64_t now_ns);
/* What pipeline_flush() reports. */
enum {
	RTMON_FLUSH_DUE = 0,   /* summaries whose window closed, incident updates due */
	RTMON_FLUSH_SUMMARIES, /* every pending summary (reload); incidents go on */
	RTMON_FLUSH_FINAL,     /* every summary, and every incident closed with its final update (stop) */
};
void pipeline_flush(struct rtmon_daemon *d, uint64_t now_ns, int how);

#endif
