/* SPDX-License-Identifier: MIT */
/*
 * alert.h - an alert: a rule that matched an event, with its context.
 *
 * Strings and the event are borrowed: an alert lives only for the call that
 * formats and emits it.  fmt_json.c turns it into the SPEC alert JSON.
 */
#ifndef RTMON_ALERT_H
#define RTMON_ALERT_H

#include "container.h"
#include "event.h"

struct rtmon_incident;
struct rtmon_alert_summary;

#define RTMON_LINEAGE_MAX 8
#define RTMON_REASON_MAX 512
#define RTMON_MITRE_MAX 8

enum rtmon_severity {
	RTMON_SEV_INFO = 0,
	RTMON_SEV_LOW,
	RTMON_SEV_MEDIUM,
	RTMON_SEV_HIGH,
	RTMON_SEV_CRITICAL,
};

const char *severity_name(enum rtmon_severity s);     /* "info" ... "critical" */
int severity_from_name(const char *name);	      /* -EINVAL when unknown */
int severity_journal_priority(enum rtmon_severity s); /* critical 2 ... info 6 */

struct rtmon_alert;
/*
 * Whether a history that must evict should keep this alert in preference:
 * incident updates and high/critical alerts, not summaries of repeats.
 */
int alert_keep_first(const struct rtmon_alert *a);

struct rtmon_alert {
	uint64_t seq; /* increasing per host */
	char id[48];  /* "<unix usec>-<seq>", the SSE event id */
	const char *rule_id;
	const char *description; /* rule description, may be NULL */
	enum rtmon_severity severity;
	int risk_score; /* 0-100 */
	char reason[RTMON_REASON_MAX];
	const char *mitre[RTMON_MITRE_MAX];
	size_t n_mitre;
	uint64_t time_ns; /* when the alert was raised (realtime) */
	const char *host;
	const struct rtmon_event *event;		  /* the event that matched (or the last folded one) */
	struct rtmon_ancestor lineage[RTMON_LINEAGE_MAX]; /* nearest ancestor first */
	size_t n_lineage;
	const struct rtmon_container *container; /* NULL for host processes */
	char addr[RTMON_ADDR_STR + 8];		 /* "addr:port" for network alerts, "" = absent */
	/* noise control: a summary alert for repeats folded or held back */
	uint32_t folded;			   /* 0 = a normal alert */
	uint64_t first_ns, last_ns;		   /* span of the folded repeats */
	const char *summary_kind;		   /* "fold" or "rate_limit" for summaries, else NULL */
	const struct rtmon_alert_summary *summary; /* summaries: pids and distinct values seen */
	/* incidents: the attack this alert belongs to ("" = none) */
	char incident_id[48];
	const struct rtmon_incident *incident; /* non-NULL: this is an incident update, not an alert */
};

#endif
