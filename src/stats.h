/* SPDX-License-Identifier: MIT */
/*
 * stats.h - the daemon's counters: written by the event pipeline and the
 * loop (daemon.c), read by metrics.c. Plain data, no functions.
 */
#ifndef RTMON_STATS_H
#define RTMON_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "rtmon_abi.h"

#define RTMON_RULE_STATS_MAX 256

struct rtmon_rule_stat {
	char id[64];
	uint64_t alerts, folded, held;
	uint64_t joined; /* matches that joined an open incident instead of alerting */
};

struct rtmon_stats {
	uint64_t events_by_type[RTMON_EV_MAX];
	uint64_t events_total, decode_errors, alerts_total, summaries_total, incident_updates_total;
	uint64_t kernel[RTMON_CNT_MAX]; /* last read of the kernel counters */
	uint64_t kernel_drops_reported;
	struct rtmon_rule_stat rule_stats[RTMON_RULE_STATS_MAX];
	size_t n_rule_stats;
	uint64_t reloads, reload_failures;
	bool reload_failed;	   /* the last reload was rejected */
	uint64_t reload_ok_time_s; /* wall clock of the last good load (start or reload) */
	uint64_t start_mono_ns;
	double events_per_s;
};

#endif
