/* SPDX-License-Identifier: MIT */
/* setup.h - building and tearing down the daemon's parts (live mode and replay). */
#ifndef RTMON_SETUP_H
#define RTMON_SETUP_H

#include "daemon.h"

/*
 * Loads and validates the configuration, logging every diagnostic (errors at
 * err, warnings at warning). 0 or -EINVAL; the first error line goes to
 * ret_err when not NULL.
 */
int setup_load_config(const struct rtmon_daemon_opts *opts, struct rtmon_config **ret, char *ret_err, size_t errlen);
/* --check-config: the same load as start-up, every diagnostic on stdout. Returns the exit code. */
int setup_check_config(const struct rtmon_daemon_opts *opts);
void setup_hostname(struct rtmon_daemon *d);
/* Process table (seeded from /proc in live mode), container cache, --record file. */
int setup_state(struct rtmon_daemon *d);
/*
 * Makes d->outputs match cfg: sinks whose key is unchanged are kept (and
 * reconfigured, keeping their queues), new ones opened, removed ones flushed
 * and freed.
 */
int setup_outputs(struct rtmon_daemon *d, const struct rtmon_config *cfg);
void setup_alerter(struct rtmon_daemon *d, const struct rtmon_config *cfg);
/* Logs the settings a reload cannot change (BPF sizes, probes). */
void setup_warn_restart_only(const struct rtmon_config *old, const struct rtmon_config *cur);
void setup_teardown(struct rtmon_daemon *d);

#endif
