/* SPDX-License-Identifier: MIT */
/*
 * aggregate.h - rtmond --aggregate: one view of a cluster. No BPF, no rules:
 * the aggregator subscribes to each node's GET /events (the SSE stream every
 * rtmond serves), resuming each with Last-Event-ID, drops (host, alert id)
 * pairs it already has, and hands each new alert, with the node's JSON byte
 * for byte, to its own outputs (the SSE dashboard, stdout, journald,
 * syslog). Nodes: aggregate.nodes (static) and aggregate.discover (a DNS
 * name, e.g. a headless Service, whose every address is a node).
 *
 * It parses network input, so it runs unprivileged: started as root it
 * becomes aggregate.user (default "rtmon", else nobody) once its outputs are
 * open, with no capabilities and no_new_privs.
 */
#ifndef RTMON_AGGREGATE_H
#define RTMON_AGGREGATE_H

#include <stdio.h>

#include "daemon.h"

/* Returns the exit code: 0 clean stop, 1 configuration or start-up error. */
int daemon_aggregate(const struct rtmon_daemon_opts *opts);

struct rtmon_aggregator;
/* Prometheus lines of the aggregator (rtmon_aggregate_*). */
void aggregate_metrics(struct rtmon_aggregator *g, FILE *out);
/* The /healthz object; returns 1 when at least one node is connected. */
int aggregate_health(struct rtmon_aggregator *g, FILE *out);

#endif
