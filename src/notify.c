/* SPDX-License-Identifier: MIT */
/*
 * notify.c - sd_notify(3) for Type=notify: readiness, status, reload, stop and
 * watchdog. Every call is a no-op when NOTIFY_SOCKET is unset (sd_notify
 * returns 0 then), so the daemon calls them unconditionally. NOTIFY_SOCKET is
 * kept in the environment (unset_environment = 0) so reloads can notify again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "log.h"
#include "notify.h"

static void notify_send(const char *msg)
{
	int r = sd_notify(0, msg);

	if (r < 0)
		log_errno(r, "sd_notify(%s) failed, ignoring", msg);
}

void notify_ready(void)
{
	notify_send("READY=1\nSTATUS=monitoring");
}

void notify_reloading(void)
{
	struct timespec ts;
	char msg[96];

	/* systemd >= 253 wants MONOTONIC_USEC with RELOADING=1 (Type=notify-reload); older ones ignore it */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nSTATUS=reloading configuration\nMONOTONIC_USEC=%" PRIu64,
		 (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
	notify_send(msg);
}

void notify_reloaded(const char *failure)
{
	char msg[400];

	if (!failure)
		snprintf(msg, sizeof(msg), "READY=1\nSTATUS=monitoring (configuration reloaded)");
	else
		snprintf(msg, sizeof(msg),
			 "READY=1\nSTATUS=monitoring with the previous configuration: reload failed: %s", failure);
	notify_send(msg);
}

void notify_stopping(void)
{
	notify_send("STOPPING=1\nSTATUS=stopping");
}

void notify_status(const struct rtmon_notify_stats *s)
{
	char msg[512];

	snprintf(msg, sizeof(msg),
		 "STATUS=monitoring: %.1f events/s, %" PRIu64 " events, %" PRIu64 " alerts, %" PRIu64
		 " drops%s%s%s%s%s%s",
		 s->events_per_s, s->events, s->alerts, s->drops, s->hooks ? "; hooks: " : "", s->hooks ? s->hooks : "",
		 s->lost && *s->lost ? "; lost: " : "", s->lost && *s->lost ? s->lost : "", s->note ? "; " : "",
		 s->note ? s->note : "");
	notify_send(msg);
}

uint64_t notify_watchdog_interval_ms(void)
{
	uint64_t usec = 0;

	/* > 0 only when WATCHDOG_USEC is set and WATCHDOG_PID (if set) is us */
	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
		return 0;
	return usec / 2000u ? usec / 2000u : 1;
}

void notify_watchdog(void)
{
	notify_send("WATCHDOG=1");
}
