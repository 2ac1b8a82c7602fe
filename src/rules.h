/* SPDX-License-Identifier: MIT */
/*
 * rules.h - the pure detection engine: compile rules from the libconfig
 * 'rules' list, evaluate them over one event and its context.
 * No I/O, no clock, no logging: errors go into a struct rtmon_diag.
 * The rule language is documented in docs/RULES.md.
 */
#ifndef RTMON_RULES_H
#define RTMON_RULES_H

#include <libconfig.h>

#include "alert.h"
#include "container.h"
#include "diag.h"
#include "event.h"

struct rtmon_ruleset;

struct rtmon_rule_info {
	const char *id;
	const char *description;
	enum rtmon_severity severity;
	int risk_score;
	const char *mitre[RTMON_MITRE_MAX];
	size_t n_mitre;
};

/* Everything a condition may look at. */
struct rtmon_eval_ctx {
	const struct rtmon_event *ev;
	const struct rtmon_ancestor *lineage; /* nearest first: [0] is the parent */
	size_t n_lineage;
	const struct rtmon_container *container; /* NULL for host processes */
	const char *prev_exe;			 /* exec: what the process ran before this execve (NULL when unknown) */
	int64_t prev_uid;  /* the process's real uid at its previous event (process table); -1 unknown */
	bool setuid_image; /* the process's image before this event was set-user/group-ID */
};

struct rtmon_match {
	const struct rtmon_rule_info *rule; /* owned by the ruleset */
	char reason[RTMON_REASON_MAX];	    /* names the values that matched */
	char addr[RTMON_ADDR_STR + 8];	    /* "addr:port" when the rule is about a peer, else "" */
};

/*
 * Compiles the 'rules' setting (a libconfig list of groups). 'file' names the
 * config file for diagnostics. Returns 0 and sets *ret, or -EINVAL with every
 * problem in diag (FILE:LINE: message).
 */
int ruleset_compile(const config_setting_t *rules, const char *file, struct rtmon_ruleset **ret,
		    struct rtmon_diag *diag);
struct rtmon_ruleset *ruleset_free(struct rtmon_ruleset *rs);
size_t ruleset_count(const struct rtmon_ruleset *rs);
/* Rule info by index (0 <= i < ruleset_count), for metrics and docs. */
const struct rtmon_rule_info *ruleset_rule(const struct rtmon_ruleset *rs, size_t i);
/*
 * Evaluates every enabled rule; writes up to 'max' matches. Returns how many
 * matched. Pure and fast: called for every event.
 */
size_t ruleset_eval(const struct rtmon_ruleset *rs, const struct rtmon_eval_ctx *ctx, struct rtmon_match *out,
		    size_t max);
/*
 * Bitmask of event types (1u << RTMON_EV_*) any enabled rule looks at, so
 * the daemon can skip evaluation for the rest.
 */
uint32_t ruleset_event_mask(const struct rtmon_ruleset *rs);

/*
 * The file watch the rules need: calls fn once for every path pattern an
 * enabled file rule's condition compares `path` with (=, in, glob,
 * startswith; not under a 'not'), with the accesses (RTMON_FILE_*) its
 * `file_op = / in` comparisons name, all of them when it names none. Stops
 * at fn's first negative return and returns it.
 */
typedef int (*rtmon_watch_fn)(void *ud, const char *pattern, uint32_t ops);
int ruleset_file_patterns(const struct rtmon_ruleset *rs, rtmon_watch_fn fn, void *ud);

/*
 * Where named lists and out-of-rule exceptions come from.  config.c takes
 * each top-level section from the user's file or from the built-in default,
 * so they may live in two libconfig trees: lists[0] is searched before
 * lists[1] (the user's list of a name replaces the default's).
 * 'exceptions' is a group: rule id = ( "condition", ... ), added to that
 * rule's own 'except' conditions.  Any member may be NULL.
 */
struct rtmon_rules_env {
	const config_setting_t *lists[2];
	const config_setting_t *exceptions;
};
/* ruleset_compile() with an explicit env; ruleset_compile() takes 'lists' and
 * 'exceptions' from the root of the tree that holds 'rules'. */
int ruleset_compile_env(const config_setting_t *rules, const char *file, const struct rtmon_rules_env *env,
			struct rtmon_ruleset **ret, struct rtmon_diag *diag);

#endif
