/* SPDX-License-Identifier: MIT */
/*
 * pipeline.c - one event's way through rtmon, shared by live mode and
 * --replay: enrichment (process table, container), --trace/--record,
 * rules, incidents and noise control, alert formatting, fan-out to the sinks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "fmt_json.h"
#include "log.h"
#include "pipeline.h"
#include "tamper.h"
#include "watch.h"

static struct rtmon_rule_stat *rule_stat(struct rtmon_daemon *d, const char *id)
{
	for (size_t i = 0; i < d->stats.n_rule_stats; i++)
		if (strcmp(d->stats.rule_stats[i].id, id) == 0)
			return &d->stats.rule_stats[i];
	if (d->stats.n_rule_stats >= RTMON_RULE_STATS_MAX)
		return NULL;
	snprintf(d->stats.rule_stats[d->stats.n_rule_stats].id, sizeof(d->stats.rule_stats[0].id), "%s", id);
	return &d->stats.rule_stats[d->stats.n_rule_stats++];
}

/* Gives the alert its id (unique, increasing per host) before it is formatted. */
static void alert_assign_id(struct rtmon_daemon *d, struct rtmon_alert *a)
{
	a->seq = ++d->alert_seq;
	snprintf(a->id, sizeof(a->id), "%" PRIu64 "-%" PRIu64, a->time_ns / 1000, a->seq);
	a->host = d->hostname;
}

static void emit_alert(struct rtmon_daemon *d, struct rtmon_alert *a)
{
	struct rtmon_rule_stat *st;
	const char *line;

	if (!a->id[0])
		alert_assign_id(d, a);
	line = fmt_alert_json(&d->json, a);
	if (!line) {
		log_warnx("out of memory formatting an alert of rule %s, dropped", a->rule_id);
		return;
	}
	outputs_emit(&d->outputs, a, line);
	if (a->incident) {
		d->stats.incident_updates_total++;
		return;
	}
	if (a->summary_kind)
		d->stats.summaries_total++;
	else
		d->stats.alerts_total++;
	st = rule_stat(d, a->rule_id);
	if (st && !a->summary_kind)
		st->alerts++;
}

static void fill_rule(struct rtmon_alert *a, const struct rtmon_rule_info *r)
{
	a->rule_id = r->id;
	a->description = r->description;
	a->severity = r->severity;
	a->risk_score = r->risk_score;
	a->n_mitre = r->n_mitre < RTMON_MITRE_MAX ? r->n_mitre : RTMON_MITRE_MAX;
	for (size_t i = 0; i < a->n_mitre; i++)
		a->mitre[i] = r->mitre[i];
}

/* What one event did to the incidents: the rules it matched, the first full alert it raised. */
struct event_story {
	const char *rule_ids[RTMON_MATCHES_MAX];
	size_t n;
	char alert_id[48];
};

static void match_alert(struct rtmon_alert *a, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
			uint64_t time_ns)
{
	memset(a, 0, sizeof(*a));
	fill_rule(a, m->rule);
	snprintf(a->reason, sizeof(a->reason), "%s", m->reason);
	snprintf(a->addr, sizeof(a->addr), "%s", m->addr);
	a->time_ns = time_ns;
	a->event = ctx->ev;
	a->n_lineage = ctx->n_lineage < RTMON_LINEAGE_MAX ? ctx->n_lineage : RTMON_LINEAGE_MAX;
	memcpy(a->lineage, ctx->lineage, a->n_lineage * sizeof(a->lineage[0]));
	a->container = ctx->container;
}

/*
 * A full alert for 'm': inside 'inc' when given, else (when 'story' is given: not a tamper alert) it opens
 * a new incident. The story keeps the id of the event's first alert.
 */
static void raise_match(struct rtmon_daemon *d, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
			uint64_t now_ns, struct rtmon_incident *inc, const char *object, struct event_story *story)
{
	struct rtmon_alert a;

	match_alert(&a, m, ctx, d->live ? now_ns : ctx->ev->time_ns);
	alert_assign_id(d, &a);
	if (!inc && d->incidents && story)
		inc = incidents_open(d->incidents, a.id, m->rule, ctx->ev, ctx->container, now_ns);
	if (inc) {
		snprintf(a.incident_id, sizeof(a.incident_id), "%s", inc->id);
		incidents_alerted(inc, m->rule, object, ctx->ev->pid);
	}
	if (story && !story->alert_id[0])
		snprintf(story->alert_id, sizeof(story->alert_id), "%s", a.id);
	emit_alert(d, &a);
}

static enum rtmon_alerter_verdict noise_check(struct rtmon_daemon *d, const struct rtmon_match *m,
					      const struct rtmon_eval_ctx *ctx, const char *object, uint64_t now_ns)
{
	const struct rtmon_event *ev = ctx->ev;
	char cmdline[256];
	struct rtmon_alert_key k = {
		.exe = (ev->has & RTMON_HAS_EXE) ? ev->exe : ev->comm,
		.parent_exe = ctx->n_lineage && ctx->lineage[0].exe ? ctx->lineage[0].exe : "",
		.object = object,
		.cmdline = cmdline,
		.cid = ctx->container ? ctx->container->id : "",
		.pid = ev->pid,
		.ppid = ev->ppid,
		.uid = (ev->has & RTMON_HAS_UID) ? ev->uid : RTMON_UID_UNSET,
	};

	if (!d->alerter)
		return RTMON_ALERT_EMIT;
	cmdline[0] = '\0';
	if (ev->has & RTMON_HAS_ARGS)
		event_cmdline(ev, cmdline, sizeof(cmdline));
	return alerter_check(d->alerter, m->rule, &k, now_ns);
}

/*
 * One match: inside an open incident of the process (or of an ancestor) it
 * is a new finding (full alert, same incident id) or joins the timeline;
 * outside, exact repeats fold and the rest raise a full alert that opens an
 * incident.
 */
static void on_match(struct rtmon_daemon *d, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
		     uint64_t now_ns, struct event_story *story)
{
	const struct rtmon_event *ev = ctx->ev;
	struct rtmon_incident *inc;
	struct rtmon_rule_stat *st;
	enum rtmon_alerter_verdict v;
	char object[256];

	incident_object(ev, m->addr, object, sizeof(object));
	if (story->n < RTMON_MATCHES_MAX)
		story->rule_ids[story->n++] = m->rule->id;
	inc = incidents_find(d->incidents, ev->pid, ctx->lineage, ctx->n_lineage);
	if (inc && !incidents_is_new_finding(inc, m->rule->id, object, ev->pid, ev->ppid)) {
		st = rule_stat(d, m->rule->id);
		if (st)
			st->joined++;
		return;
	}
	if (!inc) {
		v = noise_check(d, m, ctx, object, now_ns);
		if (v != RTMON_ALERT_EMIT) {
			st = rule_stat(d, m->rule->id);
			if (st && v == RTMON_ALERT_FOLDED)
				st->folded++;
			else if (st)
				st->held++;
			return;
		}
	}
	raise_match(d, m, ctx, now_ns, inc, object, story);
}

/* "fold: 3 more alerts of rule x for /tmp/a (parent /usr/bin/bash, ...)": what a summary says in one line. */
static void summary_reason(const struct rtmon_alert_summary *s, char *out, size_t len)
{
	int o;

	if (strcmp(s->kind, "fold") == 0)
		o = snprintf(out, len, "fold: %u more alert%s of rule %s for %s (parent %s%s%s%s%s) folded", s->count,
			     s->count == 1 ? "" : "s", s->rule_id, s->exe[0] ? s->exe : "?",
			     s->parent_exe[0] ? s->parent_exe : "?", s->object[0] ? ", " : "", s->object,
			     s->container_id[0] ? ", container " : "", s->container_id);
	else
		o = snprintf(out, len, "rate_limit: %u alert%s of rule %s held back by the rate limit", s->count,
			     s->count == 1 ? "" : "s", s->rule_id);
	for (size_t i = 0; i < s->seen.n_pids && o > 0 && (size_t)o < len; i++)
		o += snprintf(out + o, len - (size_t)o, "%s%u", i ? ", " : "; pids ", s->seen.pids[i]);
	if (s->seen.n_pids && s->count > s->seen.n_pids && o > 0 && (size_t)o < len)
		snprintf(out + o, len - (size_t)o, ", ...");
}

static void emit_summary(struct rtmon_daemon *d, const struct rtmon_alert_summary *s, uint64_t now_ns)
{
	struct rtmon_rule_info fallback = { .id = s->rule_id, .severity = RTMON_SEV_INFO };
	struct rtmon_container c;
	struct rtmon_alert a;

	memset(&a, 0, sizeof(a));
	fill_rule(&a, s->rule ? s->rule : &fallback);
	a.rule_id = s->rule_id;
	summary_reason(s, a.reason, sizeof(a.reason));
	a.time_ns = d->live ? now_ns : s->last_ns;
	a.folded = s->count;
	a.first_ns = s->first_ns;
	a.last_ns = s->last_ns;
	a.summary_kind = s->kind;
	a.summary = s;
	if (s->container_id[0]) {
		memset(&c, 0, sizeof(c));
		snprintf(c.id, sizeof(c.id), "%s", s->container_id);
		a.container = &c;
	}
	emit_alert(d, &a);
}

struct report_ctx {
	struct rtmon_daemon *d;
	uint64_t now_ns;
};

static const char *close_reason_text(const struct rtmon_incident *inc)
{
	if (inc->state == RTMON_INCIDENT_OPEN)
		return "open";
	switch (inc->close_reason) {
	case RTMON_INCIDENT_IDLE:
		return "closed: idle";
	case RTMON_INCIDENT_EVICTED:
		return "closed early: too many open incidents";
	case RTMON_INCIDENT_SHUTDOWN:
		return "closed: rtmon stopped";
	default:
		return "closed: every process exited";
	}
}

static void incident_reason(const struct rtmon_incident *inc, char *out, size_t len)
{
	const char *base = strrchr(inc->root_exe, '/');

	snprintf(out, len,
		 "incident %s: %s by %s (pid %u): %u command%s, %u connection%s, %u rule match%s, %u alert%s, "
		 "%u process%s; %s",
		 inc->id, inc->rules[0], base ? base + 1 : inc->root_exe, inc->root_pid, inc->counts.execs,
		 inc->counts.execs == 1 ? "" : "s", inc->counts.connects, inc->counts.connects == 1 ? "" : "s",
		 inc->counts.matches, inc->counts.matches == 1 ? "" : "es", inc->counts.alerts,
		 inc->counts.alerts == 1 ? "" : "s", inc->counts.processes, inc->counts.processes == 1 ? "" : "es",
		 close_reason_text(inc));
}

/* An incident update: the incident's id, rules and timeline as one message to every output. */
static void report_incident(void *arg, const struct rtmon_incident *inc)
{
	const struct report_ctx *rc = arg;
	struct rtmon_alert a;

	memset(&a, 0, sizeof(a));
	a.rule_id = inc->rules[0];
	a.severity = inc->severity;
	a.risk_score = inc->risk_score;
	a.n_mitre = inc->n_mitre;
	for (size_t i = 0; i < inc->n_mitre; i++)
		a.mitre[i] = inc->mitre[i];
	incident_reason(inc, a.reason, sizeof(a.reason));
	a.time_ns = rc->d->live ? rc->now_ns : inc->last_ns;
	snprintf(a.incident_id, sizeof(a.incident_id), "%s", inc->id);
	a.incident = inc;
	a.container = inc->has_container ? &inc->container : NULL;
	emit_alert(rc->d, &a);
}

void pipeline_flush(struct rtmon_daemon *d, uint64_t now_ns, int how)
{
	struct rtmon_alert_summary s[16];
	struct report_ctx rc = { .d = d, .now_ns = now_ns };
	size_t n;

	if (d->incidents)
		incidents_due(d->incidents, now_ns, how == RTMON_FLUSH_FINAL, report_incident, &rc);
	if (!d->alerter)
		return;
	while ((n = alerter_due(d->alerter, now_ns, how != RTMON_FLUSH_DUE, s, 16)) > 0)
		for (size_t i = 0; i < n; i++)
			emit_summary(d, &s[i], now_ns);
}

static const struct rtmon_container *event_container(struct rtmon_daemon *d, struct rtmon_event *ev,
						     struct rtmon_container *replay_c)
{
	const struct rtmon_container *c = NULL;
	const char *path;

	if (d->containers && (ev->has & RTMON_HAS_CGROUP)) {
		path = container_cache_cgroup_path(d->containers, ev->cgroup_id);
		if (path) {
			snprintf(ev->cgroup_path, sizeof(ev->cgroup_path), "%s", path);
			ev->has |= RTMON_HAS_CGROUP_PATH;
		}
		c = container_cache_lookup(d->containers, ev->cgroup_id);
		if (c) {
			snprintf(ev->container_id, sizeof(ev->container_id), "%s", c->id);
			ev->has |= RTMON_HAS_CONTAINER;
		}
		return c;
	}
	if (ev->has & RTMON_HAS_CONTAINER) {
		/* replay: what the recording says */
		memset(replay_c, 0, sizeof(*replay_c));
		if (!container_parse_cgroup_path(ev->cgroup_path, replay_c) ||
		    strcmp(replay_c->id, ev->container_id) != 0) {
			memset(replay_c, 0, sizeof(*replay_c));
			snprintf(replay_c->id, sizeof(replay_c->id), "%s", ev->container_id);
		}
		return replay_c;
	}
	return NULL;
}

static void trace_event(struct rtmon_daemon *d, const struct rtmon_event *ev)
{
	const char *line;

	if (!d->opts.trace && !d->record)
		return;
	line = fmt_event_json(&d->json, ev, 1);
	if (!line)
		return;
	if (d->opts.trace) {
		fputs(line, stdout);
		fputc('\n', stdout);
		fflush(stdout);
	}
	if (d->record) {
		fputs(line, d->record);
		fputc('\n', d->record);
	}
}

void pipeline_handle_event(struct rtmon_daemon *d, struct rtmon_event *ev, uint64_t now_ns)
{
	struct rtmon_ancestor lineage[RTMON_LINEAGE_MAX];
	struct rtmon_container replay_c;
	struct rtmon_eval_ctx ctx = { .ev = ev };
	struct event_story story = { .n = 0 };
	uint64_t t = d->live ? now_ns : ev->time_ns;
	size_t n;

	d->stats.events_total++;
	if ((unsigned)ev->type < RTMON_EV_MAX)
		d->stats.events_by_type[ev->type]++;
	proctab_enrich(d->procs, ev, d->live ? "/proc" : NULL);
	watch_resolve_cwd(ev);
	pipepeer_exec(&d->pipes, ev);
	ctx.container = event_container(d, ev, &replay_c);
	trace_event(d, ev);

	if (d->live && tamper_check(ev, d->self_pid, d->bpf, &d->matches[0])) {
		ctx.n_lineage = proctab_lineage(d->procs, ev->ppid, lineage, RTMON_LINEAGE_MAX);
		ctx.lineage = lineage;
		/* each signal, ptrace or detach is its own alert; bpftool listing rtmon's objects folds like any rule */
		if (ev->type == RTMON_EV_BPF && d->matches[0].rule->severity < RTMON_SEV_CRITICAL)
			on_match(d, &d->matches[0], &ctx, now_ns, &story);
		else
			raise_match(d, &d->matches[0], &ctx, now_ns, NULL, "", NULL);
	}
	if (d->cfg && d->cfg->rules && (ruleset_event_mask(d->cfg->rules) & (1u << ev->type))) {
		const struct rtmon_proc *self = proctab_get(d->procs, ev->pid);

		/* the table is updated after the rules: it still holds what the process was before this event */
		ctx.prev_exe = ev->type == RTMON_EV_EXEC && self && self->exe && self->exe[0] ? self->exe : NULL;
		ctx.prev_uid = self && ev->type != RTMON_EV_FORK ? (int64_t)self->uid : -1;
		ctx.setuid_image = self && self->setuid_image;
		ctx.n_lineage = proctab_lineage(d->procs, ev->ppid, lineage, RTMON_LINEAGE_MAX);
		ctx.lineage = lineage;
		n = ruleset_eval(d->cfg->rules, &ctx, d->matches, RTMON_MATCHES_MAX);
		for (size_t i = 0; i < n; i++)
			on_match(d, &d->matches[i], &ctx, t, &story);
	}
	incidents_observe(d->incidents, ev, story.rule_ids, story.n, story.alert_id, t);
	proctab_update(d->procs, ev);
}
