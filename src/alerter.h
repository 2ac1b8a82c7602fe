/* SPDX-License-Identifier: MIT */
/*
 * alerter.h - noise control without silent loss (pure, the clock is passed in).
 *
 * Repeats of an alert (same rule, same exe, same container) within the fold
 * window are folded: the first one is emitted, the rest counted, and when the
 * window closes one summary alert says how many were folded and over what
 * span.  A per-rule rate limit holds alerts back past N per window, and
 * reports what it held back the same way.
 */
#ifndef RTMON_ALERTER_H
#define RTMON_ALERTER_H

#include <stdint.h>

#include "alert.h"
#include "rules.h"

struct rtmon_alerter;

struct rtmon_alerter_opts {
	uint64_t fold_window_ns;   /* 0 = no folding */
	uint32_t rate_limit;       /* alerts per rule per window, 0 = unlimited */
	uint64_t rate_window_ns;
	size_t max_keys;           /* bound on tracked fold keys */
};

/* Verdict for one match. */
enum rtmon_alerter_verdict {
	RTMON_ALERT_EMIT = 0,   /* emit it now */
	RTMON_ALERT_FOLDED,     /* counted into a pending summary */
	RTMON_ALERT_HELD,       /* rate-limited, counted into a pending summary */
};

int alerter_new(const struct rtmon_alerter_opts *opts, struct rtmon_alerter **ret);
struct rtmon_alerter *alerter_free(struct rtmon_alerter *a);

/* Decides what to do with a match of 'rule' for process exe 'exe' in container 'cid' ("" = host). */
enum rtmon_alerter_verdict alerter_check(struct rtmon_alerter *a, const struct rtmon_rule_info *rule,
					 const char *exe, const char *cid, uint64_t now_ns);

/* A summary due: the fold/rate window closed with repeats counted. */
struct rtmon_alert_summary {
	char rule_id[64];
	char exe[256];
	char container_id[72];
	const char *kind;          /* "fold" or "rate_limit" */
	uint32_t count;
	uint64_t first_ns, last_ns;
	const struct rtmon_rule_info *rule; /* may be NULL if the rule went away on reload */
};

/*
 * Pops summaries whose window closed by now_ns (or all of them when 'all').
 * Returns the number written to out (at most max); call again until 0.
 */
size_t alerter_due(struct rtmon_alerter *a, uint64_t now_ns, int all, struct rtmon_alert_summary *out,
		   size_t max);

/*
 * Before the rules the alerter saw are freed (SIGHUP reload), drops its
 * pointers to them: pending summaries keep their rule_id, with rule = NULL.
 */
void alerter_forget_rules(struct rtmon_alerter *a);

#endif
