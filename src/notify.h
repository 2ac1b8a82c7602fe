/* SPDX-License-Identifier: MIT */
/* notify.h - sd_notify readiness, status, reload and watchdog (no-ops without NOTIFY_SOCKET). */
#ifndef RTMON_NOTIFY_H
#define RTMON_NOTIFY_H

#include <stdint.h>

struct rtmon_notify_stats {
	double events_per_s;
	uint64_t events, alerts, drops;
	const char *note;  /* appended after "; " when set, e.g. a failed reload */
	const char *lost;  /* capabilities this kernel lacks, comma-separated; NULL or "" = none */
	const char *hooks; /* the hooks mode that runs (bpf.hooks); NULL = not said */
};

void notify_ready(void);
void notify_reloading(void); /* RELOADING=1 with MONOTONIC_USEC */
/* READY=1 after a reload, with its result in STATUS= ('failure' NULL: it worked). */
void notify_reloaded(const char *failure);
void notify_stopping(void);
void notify_status(const struct rtmon_notify_stats *s);
/* Watchdog interval in ms (half of WATCHDOG_USEC), 0 when not requested. */
uint64_t notify_watchdog_interval_ms(void);
void notify_watchdog(void);

#endif
