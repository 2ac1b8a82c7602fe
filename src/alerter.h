/* SPDX-License-Identifier: MIT */
/*
 * alerter.h - noise control without silent loss (pure, the clock is passed in).
 *
 * Only exact repeats fold: the same rule, exe, parent process (pid and
 * exe), object (peer, target or file), command line and container, within
 * the fold window: one process doing the same thing again and again (a loop,
 * a storm).  The first one is emitted, the rest counted, and when the window
 * closes one summary alert names the first pids, the distinct uids and the
 * span.  Another process tree (another parent), or the same thing with other
 * arguments, another peer or another target, is not a repeat: it gets its
 * own alert (the per-rule rate limit still bounds them).  A per-rule rate limit holds alerts back past N per window,
 * and reports what it held back the same way (pids and distinct exes).
 */
#ifndef RTMON_ALERTER_H
#define RTMON_ALERTER_H

#include <stdint.h>

#include "alert.h"
#include "rules.h"

struct rtmon_alerter;

struct rtmon_alerter_opts {
	uint64_t fold_window_ns; /* 0 = no folding */
	uint32_t rate_limit;	 /* alerts per rule per window, 0 = unlimited */
	uint64_t rate_window_ns;
	size_t max_keys; /* bound on tracked fold keys */
};

/* Verdict for one match. */
enum rtmon_alerter_verdict {
	RTMON_ALERT_EMIT = 0, /* emit it now */
	RTMON_ALERT_FOLDED,   /* counted into a pending summary */
	RTMON_ALERT_HELD,     /* rate-limited, counted into a pending summary */
};

int alerter_new(const struct rtmon_alerter_opts *opts, struct rtmon_alerter **ret);
struct rtmon_alerter *alerter_free(struct rtmon_alerter *a);

/* What makes a match an exact repeat of another (strings may be NULL: ""). */
struct rtmon_alert_key {
	const char *exe; /* resolved exe (or comm) */
	const char *parent_exe;
	const char *object;  /* peer, target or file: incident_object() */
	const char *cmdline; /* argv joined by spaces, "" when none */
	const char *cid;     /* container id, "" = host */
	uint32_t ppid;	     /* part of the key: the same parent process */
	uint32_t pid, uid;   /* not part of the key: the summary names them */
};

/* Decides what to do with a match of 'rule' described by 'k'. */
enum rtmon_alerter_verdict alerter_check(struct rtmon_alerter *a, const struct rtmon_rule_info *rule,
					 const struct rtmon_alert_key *k, uint64_t now_ns);

#define RTMON_SUMMARY_PIDS 8
#define RTMON_SUMMARY_VALUES 4

/* What a summary names besides the count: the first distinct pids, and the first distinct values seen. */
struct rtmon_summary_seen {
	uint32_t pids[RTMON_SUMMARY_PIDS];
	uint8_t n_pids;
	uint32_t ppids[RTMON_SUMMARY_VALUES];
	uint8_t n_ppids;
	uint32_t uids[RTMON_SUMMARY_VALUES];
	uint8_t n_uids;
};

/* A summary due: the fold/rate window closed with repeats counted. */
struct rtmon_alert_summary {
	char rule_id[64];
	char exe[256];	      /* fold: the key's exe; rate_limit: "" */
	char parent_exe[256]; /* fold only */
	char object[160];     /* fold only */
	char cmdline[256];    /* fold only */
	char container_id[72];
	const char *kind; /* "fold" or "rate_limit" */
	uint32_t count;
	uint64_t first_ns, last_ns;
	struct rtmon_summary_seen seen;
	char exes[RTMON_SUMMARY_VALUES][256]; /* rate_limit: the exes held back */
	uint8_t n_exes;
	const struct rtmon_rule_info *rule; /* may be NULL if the rule went away on reload */
};

/*
 * Pops summaries whose window closed by now_ns (or all of them when 'all').
 * Returns the number written to out (at most max); call again until 0.
 */
size_t alerter_due(struct rtmon_alerter *a, uint64_t now_ns, int all, struct rtmon_alert_summary *out, size_t max);

/*
 * Before the rules the alerter saw are freed (SIGHUP reload), drops its
 * pointers to them: pending summaries keep their rule_id, with rule = NULL.
 */
void alerter_forget_rules(struct rtmon_alerter *a);

#endif
