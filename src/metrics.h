/* SPDX-License-Identifier: MIT */
/* metrics.h - the daemon's Prometheus metrics and health. */
#ifndef RTMON_METRICS_H
#define RTMON_METRICS_H

#include <stdio.h>

#include "stats.h"

struct rtmon_loader;
struct rtmon_proctab;
struct rtmon_container_cache;
struct rtmon_incidents;
struct rtmon_outputs;
struct rtmon_aggregator;

/* What the metrics read: the counters and the parts whose own statistics they show. Any part may be NULL. */
struct rtmon_metrics_src {
	struct rtmon_stats *stats; /* stats->kernel is refreshed from bpf on each write */
	const struct rtmon_loader *bpf;
	const struct rtmon_proctab *procs;
	const struct rtmon_container_cache *containers;
	const struct rtmon_incidents *incidents;
	const struct rtmon_outputs *outputs;
	struct rtmon_aggregator *agg; /* rtmond --aggregate: its own metrics first */
};

/* Prometheus text format (version 0.0.4), every sink's metrics included. */
void metrics_write(const struct rtmon_metrics_src *m, FILE *out);
/* A small JSON object; returns 1 when healthy (BPF attached, no fresh drops). */
int metrics_health(const struct rtmon_metrics_src *m, FILE *out);

#endif
