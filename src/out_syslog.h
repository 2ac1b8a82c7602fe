/* SPDX-License-Identifier: MIT */
/* out_syslog.h - RFC5424 over UDP, TCP (RFC6587 octet counting), TLS (RFC5425), RELP. */
#ifndef RTMON_OUT_SYSLOG_H
#define RTMON_OUT_SYSLOG_H

#include "config.h"
#include "loop.h"
#include "output.h"

struct rtmon_syslog_opts {
	const struct rtmon_syslog_conf *conf;
	struct rtmon_loop *loop;
	const char *hostname;
	const char *state_dir; /* for the spool when conf->spool_dir is relative; may be NULL */
};

int out_syslog_new(const struct rtmon_syslog_opts *opts, struct rtmon_sink **ret);

/*
 * Prometheus text for every syslog sink among sinks[0..n) (other kinds are
 * skipped): each family once, with its HELP and TYPE lines, one sample per
 * destination. A sink's own ops->metrics() writes its samples without
 * HELP/TYPE (several destinations would repeat them); call this instead of it
 * for syslog sinks to get a strictly valid exposition.
 */
void out_syslog_metrics_all(struct rtmon_sink *const *sinks, size_t n, FILE *out);

#endif
