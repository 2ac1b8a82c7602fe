/* SPDX-License-Identifier: MIT */
/* metrics.h - the daemon's Prometheus metrics and health. */
#ifndef RTMON_METRICS_H
#define RTMON_METRICS_H

#include <stdio.h>

struct rtmon_daemon;

/* Prometheus text format (version 0.0.4), every sink's metrics included. */
void metrics_write(struct rtmon_daemon *d, FILE *out);
/* A small JSON object; returns 1 when healthy (BPF attached, no fresh drops). */
int metrics_health(struct rtmon_daemon *d, FILE *out);

#endif
