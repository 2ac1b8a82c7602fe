/* SPDX-License-Identifier: MIT */
/*
 * pipeline.c - one event's way through rtmon, shared by live mode and
 * --replay: enrichment (process table, container), --trace/--record,
 * rules, noise control, alert formatting, fan-out to the sinks.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "fmt_json.h"
#include "log.h"
#include "tamper.h"

static struct rtmon_rule_stat *rule_stat(struct rtmon_daemon *d, const char *id)
{
	for (size_t i = 0; i < d->n_rule_stats; i++)
		if (strcmp(d->rule_stats[i].id, id) == 0)
			return &d->rule_stats[i];
	if (d->n_rule_stats >= RTMON_RULE_STATS_MAX)
		return NULL;
	snprintf(d->rule_stats[d->n_rule_stats].id, sizeof(d->rule_stats[0].id), "%s", id);
	return &d->rule_stats[d->n_rule_stats++];
}

static void emit_alert(struct rtmon_daemon *d, struct rtmon_alert *a)
{
	struct rtmon_rule_stat *st;
	const char *line;

	a->seq = ++d->alert_seq;
	snprintf(a->id, sizeof(a->id), "%" PRIu64 "-%" PRIu64, a->time_ns / 1000, a->seq);
	a->host = d->hostname;
	line = fmt_alert_json(&d->json, a);
	if (!line) {
		log_warnx("out of memory formatting an alert of rule %s, dropped", a->rule_id);
		return;
	}
	outputs_emit(&d->outputs, a, line);
	if (a->summary_kind)
		d->summaries_total++;
	else
		d->alerts_total++;
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

static void raise_match(struct rtmon_daemon *d, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
			uint64_t now_ns);

static void on_match(struct rtmon_daemon *d, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
		     uint64_t now_ns)
{
	const struct rtmon_event *ev = ctx->ev;
	const char *cid = ctx->container ? ctx->container->id : "";
	enum rtmon_alerter_verdict v = RTMON_ALERT_EMIT;
	struct rtmon_rule_stat *st;

	if (d->alerter)
		v = alerter_check(d->alerter, m->rule, (ev->has & RTMON_HAS_EXE) ? ev->exe : ev->comm, cid, now_ns);
	if (v != RTMON_ALERT_EMIT) {
		st = rule_stat(d, m->rule->id);
		if (st && v == RTMON_ALERT_FOLDED)
			st->folded++;
		else if (st)
			st->held++;
		return;
	}
	raise_match(d, m, ctx, now_ns);
}

static void raise_match(struct rtmon_daemon *d, const struct rtmon_match *m, const struct rtmon_eval_ctx *ctx,
			uint64_t now_ns)
{
	const struct rtmon_event *ev = ctx->ev;
	struct rtmon_alert a;

	memset(&a, 0, sizeof(a));
	fill_rule(&a, m->rule);
	snprintf(a.reason, sizeof(a.reason), "%s", m->reason);
	snprintf(a.addr, sizeof(a.addr), "%s", m->addr);
	a.time_ns = d->live ? now_ns : ev->time_ns;
	a.event = ev;
	a.n_lineage = ctx->n_lineage < RTMON_LINEAGE_MAX ? ctx->n_lineage : RTMON_LINEAGE_MAX;
	memcpy(a.lineage, ctx->lineage, a.n_lineage * sizeof(a.lineage[0]));
	a.container = ctx->container;
	emit_alert(d, &a);
}

void daemon_flush_summaries(struct rtmon_daemon *d, uint64_t now_ns, int all)
{
	struct rtmon_alert_summary s[16];
	size_t n;

	if (!d->alerter)
		return;
	while ((n = alerter_due(d->alerter, now_ns, all, s, 16)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct rtmon_rule_info fallback = { .id = s[i].rule_id, .severity = RTMON_SEV_INFO };
			struct rtmon_container c;
			struct rtmon_alert a;

			memset(&a, 0, sizeof(a));
			fill_rule(&a, s[i].rule ? s[i].rule : &fallback);
			a.rule_id = s[i].rule_id;
			snprintf(a.reason, sizeof(a.reason), "%s: %u more alert%s of rule %s for %s%s%s %s",
				 s[i].kind, s[i].count, s[i].count == 1 ? "" : "s", s[i].rule_id, s[i].exe,
				 s[i].container_id[0] ? " in container " : "", s[i].container_id,
				 strcmp(s[i].kind, "fold") == 0 ? "folded" : "held back by the rate limit");
			a.time_ns = d->live ? now_ns : s[i].last_ns;
			a.folded = s[i].count;
			a.first_ns = s[i].first_ns;
			a.last_ns = s[i].last_ns;
			a.summary_kind = s[i].kind;
			if (s[i].container_id[0]) {
				memset(&c, 0, sizeof(c));
				snprintf(c.id, sizeof(c.id), "%s", s[i].container_id);
				a.container = &c;
			}
			emit_alert(d, &a);
		}
	}
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

void daemon_handle_event(struct rtmon_daemon *d, struct rtmon_event *ev, uint64_t now_ns)
{
	struct rtmon_ancestor lineage[RTMON_LINEAGE_MAX];
	struct rtmon_container replay_c;
	struct rtmon_eval_ctx ctx = { .ev = ev };
	size_t n;

	d->events_total++;
	if ((unsigned)ev->type < RTMON_EV_MAX)
		d->events_by_type[ev->type]++;
	proctab_enrich(d->procs, ev, d->live ? "/proc" : NULL);
	pipepeer_exec(&d->pipes, ev);
	ctx.container = event_container(d, ev, &replay_c);
	trace_event(d, ev);

	if (d->live && tamper_check(ev, d->self_pid, d->bpf, &d->matches[0])) {
		ctx.n_lineage = proctab_lineage(d->procs, ev->ppid, lineage, RTMON_LINEAGE_MAX);
		ctx.lineage = lineage;
		/* each signal, ptrace or detach is its own alert; bpftool listing rtmon's objects folds like any rule */
		if (ev->type == RTMON_EV_BPF && d->matches[0].rule->severity < RTMON_SEV_CRITICAL)
			on_match(d, &d->matches[0], &ctx, now_ns);
		else
			raise_match(d, &d->matches[0], &ctx, now_ns);
	}
	if (d->cfg && d->cfg->rules && (ruleset_event_mask(d->cfg->rules) & (1u << ev->type))) {
		const struct rtmon_proc *self = ev->type == RTMON_EV_EXEC ? proctab_get(d->procs, ev->pid) : NULL;

		/* the table is updated after the rules: for an exec it still holds the image being replaced */
		ctx.prev_exe = self && self->exe && self->exe[0] ? self->exe : NULL;
		ctx.n_lineage = proctab_lineage(d->procs, ev->ppid, lineage, RTMON_LINEAGE_MAX);
		ctx.lineage = lineage;
		n = ruleset_eval(d->cfg->rules, &ctx, d->matches, RTMON_MATCHES_MAX);
		for (size_t i = 0; i < n; i++)
			on_match(d, &d->matches[i], &ctx, d->live ? now_ns : ev->time_ns);
	}
	proctab_update(d->procs, ev);
}
