/* SPDX-License-Identifier: MIT */
/*
 * incident.h - one attack, one story (pure; the clock is passed in).
 *
 * The first alert of an attack opens an incident, named after that alert's
 * id.  The process that raised it and every descendant it forks afterwards
 * are the incident's members: what they do next (each command they run,
 * each connection, each further rule match) is appended to the incident's
 * timeline instead of raising a new alert for every child of a reverse
 * shell.  A member's match of another rule, or of the same rule against
 * another peer, target or file, is a new finding: the caller still raises a
 * full alert for it, carrying the same incident id.
 *
 * The timeline is bounded (the first max_entries entries, plus counts of
 * everything) and reported as incident updates: at most one per
 * update_interval per incident while it grows, and a final one when every
 * member has exited (or the incident went idle, was evicted to make room,
 * or the daemon stops).  An incident whose opening alert said everything
 * (nothing joined it) sends no update at all.
 *
 * Memory: member pids live in one fixed open-addressing table; incident
 * records and their timelines come from a pool that grows to the peak
 * number of incidents open at once and is reused after, so a storm of
 * short-lived alerting processes allocates nothing in steady state.
 */
#ifndef RTMON_INCIDENT_H
#define RTMON_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "container.h"
#include "event.h"
#include "rules.h"

#define RTMON_INCIDENT_ARGS_MAX 256    /* argv bytes kept per timeline entry */
#define RTMON_INCIDENT_RULES_MAX 8     /* distinct rule ids named per entry / per incident */
#define RTMON_INCIDENT_FINDINGS_MAX 32 /* (rule, object) pairs that raised a full alert */

struct rtmon_incident_opts {
	uint64_t update_interval_ns; /* at most one update per incident per interval (default 5 s) */
	uint64_t idle_ns;	     /* close an incident with no activity for this long (default 600 s) */
	size_t max_open;	     /* incidents open at once; the least recently active is closed early */
	size_t max_entries;	     /* timeline entries kept per incident (default 64) */
	size_t max_members;	     /* member pids tracked at once, all incidents together (default 4096) */
};

/* One thing a member did. Strings are NUL-terminated, cut to fit. */
struct rtmon_incident_entry {
	uint64_t time_ns;
	uint16_t type;	     /* enum rtmon_event_type */
	uint16_t args_len;   /* bytes of args used (exec) */
	bool args_truncated; /* argv longer than kept (or than the kernel captured) */
	uint32_t pid, ppid, uid;
	uint32_t target_pid;	/* ptrace / process_vm_writev, 0 = none */
	int64_t ptrace_request; /* ptrace only */
	char exe[256];
	char args[RTMON_INCIDENT_ARGS_MAX];	  /* argv strings, each NUL-terminated (exec); the path (file) */
	char addr[RTMON_ADDR_STR + 8];		  /* peer "addr:port" (connect, dup, socket stdio), or memfd name */
	char rules[RTMON_INCIDENT_RULES_MAX][64]; /* rules this event matched */
	uint8_t n_rules;
	char alert_id[48]; /* the full alert this event raised, "" = none */
};

enum rtmon_incident_state {
	RTMON_INCIDENT_OPEN = 0,
	RTMON_INCIDENT_CLOSED,
};

/* Why an incident was closed. */
enum rtmon_incident_close {
	RTMON_INCIDENT_EXITED = 0, /* every member process exited */
	RTMON_INCIDENT_IDLE,	   /* no activity for idle_ns */
	RTMON_INCIDENT_EVICTED,	   /* closed early to make room (max_open) */
	RTMON_INCIDENT_SHUTDOWN,   /* the daemon stopped */
};

/* Counts by what joined the timeline (kept or not). */
struct rtmon_incident_counts {
	uint32_t execs, connects, others; /* events of members */
	uint32_t matches;		  /* rule matches by members (alerts included) */
	uint32_t alerts;		  /* full alerts raised in this incident */
	uint32_t processes;		  /* member pids ever */
	uint32_t live;			  /* member pids not yet exited */
};

struct rtmon_incident {
	char id[48]; /* the opening alert's id */
	enum rtmon_incident_state state;
	enum rtmon_incident_close close_reason;
	uint64_t opened_ns, last_ns; /* opening alert, latest activity */
	uint32_t root_pid;
	char root_exe[256];
	/* the incident's rules, first one first; severity and risk are the highest seen */
	char rules[RTMON_INCIDENT_RULES_MAX][64];
	size_t n_rules;
	enum rtmon_severity severity;
	int risk_score;
	char mitre[RTMON_MITRE_MAX][24];
	size_t n_mitre;
	bool has_container;
	struct rtmon_container container;
	struct rtmon_incident_counts counts;
	uint32_t entries_total; /* entries ever appended (kept or not) */
	size_t n_entries;	/* kept: min(entries_total, max_entries) */
	struct rtmon_incident_entry *entries;
	uint32_t updates; /* updates reported so far */
	/* private to incident.c */
	uint64_t last_update_ns;
	uint32_t reported_total; /* entries_total + counts at the last report */
	struct {
		uint64_t rule, object;
		uint32_t pid;
		bool peer;
	} findings[RTMON_INCIDENT_FINDINGS_MAX];
	size_t n_findings;
	size_t slot;
	bool in_use;
};

struct rtmon_incidents;

int incidents_new(const struct rtmon_incident_opts *opts, struct rtmon_incidents **ret);
struct rtmon_incidents *incidents_free(struct rtmon_incidents *t);

/* The open incident 'pid' belongs to, or NULL. */
struct rtmon_incident *incidents_of(struct rtmon_incidents *t, uint32_t pid);
/*
 * The open incident of 'pid' or, failing that, of the nearest of its
 * ancestors that is a member (a fork rtmon did not see): 'pid' then joins
 * it. NULL when none.
 */
struct rtmon_incident *incidents_find(struct rtmon_incidents *t, uint32_t pid, const struct rtmon_ancestor *lineage,
				      size_t n_lineage);

/*
 * Opens an incident for the alert 'alert_id' that 'rule' raised on 'ev' by
 * process ev->pid (its first member). NULL when out of memory (the alert
 * still goes out, without an incident).
 */
struct rtmon_incident *incidents_open(struct rtmon_incidents *t, const char *alert_id,
				      const struct rtmon_rule_info *rule, const struct rtmon_event *ev,
				      const struct rtmon_container *c, uint64_t now_ns);

/*
 * Member 'pid' (child of 'ppid') matched 'rule' about 'object' (incident_object():
 * the peer, target, memfd or file: what makes one finding distinct from
 * another). Returns true when the finding is new in the incident (the
 * caller raises a full alert, then calls incidents_alerted()), false when it
 * only joins the timeline:
 * - the same (rule, object) is not new;
 * - a rule that already alerted for this process or its parent is not new
 *   about a file (socat exec:bash: the bash socat runs; a payload that
 *   re-executes itself); another file run elsewhere in the tree is;
 * - the first peer of a rule whose alerts so far named none (nc -e, known by
 *   its arguments, then the shell it became, on the socket) completes that
 *   finding and is not new; another peer after it is.
 */
bool incidents_is_new_finding(struct rtmon_incident *inc, const char *rule_id, const char *object, uint32_t pid,
			      uint32_t ppid);
/* Records that a full alert was raised in 'inc' for (rule, object) by process 'pid'. */
void incidents_alerted(struct rtmon_incident *inc, const struct rtmon_rule_info *rule, const char *object,
		       uint32_t pid);

/*
 * After the rules ran on 'ev': appends the event to the timeline of the
 * incident of ev->pid (when it is a member and the event is worth telling:
 * an exec, a connection, any matched event, ...), naming the rules it
 * matched and the full alert it raised ("" none). Then tracks membership:
 * a fork by a member adds the child; the exit of the last member closes
 * the incident.
 */
void incidents_observe(struct rtmon_incidents *t, const struct rtmon_event *ev, const char *const *rule_ids,
		       size_t n_rule_ids, const char *alert_id, uint64_t now_ns);

/*
 * Incidents that have something to report by now_ns ('all': at shutdown,
 * every incident with unreported entries, closed as SHUTDOWN). Calls 'report'
 * for each; a closed incident is recycled after its report.
 */
typedef void (*rtmon_incident_report_fn)(void *arg, const struct rtmon_incident *inc);
size_t incidents_due(struct rtmon_incidents *t, uint64_t now_ns, bool all, rtmon_incident_report_fn report, void *arg);

/* Statistics for /metrics. */
struct rtmon_incident_stats {
	uint64_t opened, closed, updates;
	uint64_t open;		    /* open now */
	uint64_t members_untracked; /* member pids not tracked (member table full) */
};
void incidents_stats(const struct rtmon_incidents *t, struct rtmon_incident_stats *ret);

/* What makes a finding distinct: the peer, the target, the file ("" when only the process). */
void incident_object(const struct rtmon_event *ev, const char *addr, char *out, size_t len);

#endif
