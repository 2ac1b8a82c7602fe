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
	const char *state_dir;   /* for the spool when conf->spool_dir is relative; may be NULL */
};

int out_syslog_new(const struct rtmon_syslog_opts *opts, struct rtmon_sink **ret);

#endif
