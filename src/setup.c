/* SPDX-License-Identifier: MIT */
/* setup.c - see setup.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "hist_journal.h"
#include "http_util.h"
#include "log.h"
#include "metrics.h"
#include "out_journal.h"
#include "listener.h"
#include "out_sse.h"
#include "out_stdout.h"
#include "out_syslog.h"
#include "setup.h"

#define EXIT_TTL_NS (30ull * 1000000000ull)

int setup_load_config(const struct rtmon_daemon_opts *opts, struct rtmon_config **ret, char *ret_err, size_t errlen)
{
	struct rtmon_diag *diag = calloc(1, sizeof(*diag));
	const char *path = opts->config_path ? opts->config_path : RTMON_DEFAULT_CONFIG;
	char line[600];
	bool first = true;
	int r;

	if (!diag)
		return -ENOMEM;
	r = config_load(path, opts->overrides, opts->n_overrides, ret, diag);
	for (size_t i = 0; i < diag->n; i++) {
		diag_format(&diag->items[i], line, sizeof(line));
		if (!diag->items[i].is_error) {
			log_warnx("%s", line);
			continue;
		}
		log_err("%s", line);
		if (first && ret_err)
			snprintf(ret_err, errlen, "%s", line);
		first = false;
	}
	if (diag->dropped)
		log_err("... and %zu more configuration problems", diag->dropped);
	free(diag);
	return r < 0 ? -EINVAL : 0;
}

void setup_hostname(struct rtmon_daemon *d)
{
	const char *h = d->cfg->process.hostname;

	if (h && h[0])
		snprintf(d->hostname, sizeof(d->hostname), "%s", h);
	else if (gethostname(d->hostname, sizeof(d->hostname) - 1) < 0)
		snprintf(d->hostname, sizeof(d->hostname), "localhost");
}

int setup_state(struct rtmon_daemon *d)
{
	struct rtmon_container_opts co = { 0 };
	int r;

	r = proctab_new(d->cfg->process.max_processes ? d->cfg->process.max_processes : 32768, EXIT_TTL_NS, &d->procs);
	if (r < 0)
		return r;
	if (d->live) {
		proctab_seed(d->procs, "/proc");
		co.cgroup_root = d->cfg->process.cgroup_root && d->cfg->process.cgroup_root[0] ?
					 d->cfg->process.cgroup_root :
					 NULL;
		co.pods_log_dir = d->cfg->process.pods_log_dir && d->cfg->process.pods_log_dir[0] ?
					  d->cfg->process.pods_log_dir :
					  NULL;
		r = container_cache_new(&co, &d->containers);
		if (r < 0) /* degraded, not failed: warning */
			log_warnx("container attribution is off: %s (no cgroup2 at /sys/fs/cgroup?)", strerror(-r));
	}
	if (d->opts.record_path) {
		mode_t old = umask(077);

		d->record = fopen(d->opts.record_path, "ae");
		umask(old);
		if (!d->record) {
			r = -errno;
			log_warn("cannot open the recording %s", d->opts.record_path);
			return r;
		}
		setvbuf(d->record, NULL, _IOLBF, 0);
	}
	return 0;
}

/* what /metrics and /healthz may read of the daemon */
static struct rtmon_metrics_src metrics_src(struct rtmon_daemon *d)
{
	return (struct rtmon_metrics_src){ .stats = &d->stats,
					   .bpf = d->bpf,
					   .procs = d->procs,
					   .containers = d->containers,
					   .incidents = d->incidents,
					   .outputs = &d->outputs,
					   .agg = d->agg };
}

static void metrics_cb(void *ctx, FILE *out)
{
	struct rtmon_metrics_src m = metrics_src(ctx);

	metrics_write(&m, out);
}

static int health_cb(void *ctx, FILE *out)
{
	struct rtmon_metrics_src m = metrics_src(ctx);

	return metrics_health(&m, out);
}

/*
 * A page of /api/alerts from the journal, when alerts go there. Small and
 * time-bounded: this runs in the monitor's loop. A journal that cannot be
 * read leaves the listener's ring to answer.
 */
static int history_cb(void *ctx, const struct hist_query *q, FILE *out, char *ret_cursor, size_t cursor_size)
{
	static const struct hist_page_limits lim = { .budget_us = 100000, .max_bytes = 512 * 1024 };
	struct rtmon_daemon *d = ctx;
	int r;

	if (!d->cfg->outputs.journal)
		return 0;
	r = hist_journal_page(q, &lim, out, ret_cursor, cursor_size);
	if (r == -EINVAL)
		return r;
	if (r < 0) {
		log_debug("sse: journal history unreadable (%s), the memory history answers", strerror(-r));
		return 0;
	}
	return 1;
}

/*
 * A reload is two-phase so that a rejected one changes nothing that runs:
 * prepare opens every new sink (the running ones keep running, untouched),
 * commit reconfigures the kept ones and frees the removed ones. A failed
 * prepare frees only what it opened.
 */
struct sink_plan {
	struct rtmon_outputs neu;		   /* the new set: kept and fresh sinks */
	struct rtmon_sink *fresh[RTMON_SINKS_MAX]; /* opened by this plan */
	size_t n_fresh;
	struct {
		struct rtmon_sink *s;
		const void *conf;
	} kept[RTMON_SINKS_MAX];
	size_t n_kept;
};

static bool in_set(const struct rtmon_outputs *o, const struct rtmon_sink *s)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->sinks[i] == s)
			return true;
	return false;
}

/* A running sink with this key that the plan does not hold yet (a url may be listed twice). */
static struct rtmon_sink *find_unplanned(struct rtmon_outputs *o, const char *key, const struct sink_plan *p)
{
	for (size_t i = 0; i < o->n; i++)
		if (strcmp(o->sinks[i]->key, key) == 0 && !in_set(&p->neu, o->sinks[i]))
			return o->sinks[i];
	return NULL;
}

static int plan_keep(struct sink_plan *p, struct rtmon_sink *s, const void *conf)
{
	if (outputs_add(&p->neu, s) < 0)
		return -ENOSPC;
	p->kept[p->n_kept].s = s;
	p->kept[p->n_kept++].conf = conf;
	return 0;
}

_Static_assert(RTMON_SYSLOG_MAX + 3 <= RTMON_SINKS_MAX, "stdout, journal, sse and every syslog entry fit");

/* The plan owns 's' from here on: freed with the plan's other fresh sinks when it is refused. */
static int plan_fresh(struct sink_plan *p, struct rtmon_sink *s)
{
	if (p->n_fresh >= RTMON_SINKS_MAX || outputs_add(&p->neu, s) < 0) {
		log_warnx("%s: more than %d outputs", s->key, RTMON_SINKS_MAX);
		s->ops->free(s);
		return -ENOSPC;
	}
	p->fresh[p->n_fresh++] = s;
	return 0;
}

static bool sse_needs_new(const struct rtmon_config *old, const struct rtmon_config *cfg)
{
	return old && old != cfg && strcmp(old->outputs.sse.listen, cfg->outputs.sse.listen) != 0;
}

static int open_sse(struct rtmon_daemon *d, const struct rtmon_sse_conf *conf, struct rtmon_sink **ret)
{
	struct rtmon_sse_opts so = { .conf = conf,
				     .loop = d->loop,
				     .metrics = metrics_cb,
				     .health = health_cb,
				     .history = history_cb,
				     .ctx = d,
				     .listen_fd = -1 };

	return listener_new(&so, ret);
}

static bool addr_any(const struct sockaddr_storage *a)
{
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr == htonl(INADDR_ANY);
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &any6, sizeof(any6)) == 0;
}

/* True when binding 'b' conflicts with a listener on 'a': same port, and the same or a wildcard address. */
static bool sse_overlaps(const char *a, const char *b)
{
	struct sockaddr_storage sa, sb;
	socklen_t la, lb;

	if (http_parse_listen(a, &sa, &la) < 0 || http_parse_listen(b, &sb, &lb) < 0)
		return false;
	if (((struct sockaddr_in *)&sa)->sin_port != ((struct sockaddr_in *)&sb)->sin_port ||
	    ((struct sockaddr_in *)&sa)->sin_port == 0)
		return false;
	return addr_any(&sa) || addr_any(&sb) || (la == lb && memcmp(&sa, &sb, la) == 0);
}

/*
 * The new listen address overlaps the running one (e.g. 127.0.0.1:8090 ->
 * 0.0.0.0:8090): free the running listener, bind the new one, and when that
 * fails too bring the old address back, so a failed reload leaves a listener.
 */
static int sse_swap(struct rtmon_daemon *d, const struct rtmon_config *cfg, struct rtmon_sink *old,
		    struct rtmon_sink **ret)
{
	struct rtmon_sink *again = NULL;
	int r, r2;

	for (size_t i = 0; i < d->outputs.n; i++)
		if (d->outputs.sinks[i] == old)
			outputs_take(&d->outputs, i);
	old->ops->free(old);
	r = open_sse(d, &cfg->outputs.sse, ret);
	if (r >= 0)
		return r;
	r2 = open_sse(d, &d->cfg->outputs.sse, &again);
	if (r2 < 0)
		log_errno(r2, "sse: cannot listen again on %s: /healthz and /metrics are down until a reload",
			  d->cfg->outputs.sse.listen);
	else
		outputs_add(&d->outputs, again);
	return r;
}

static int plan_sse(struct rtmon_daemon *d, const struct rtmon_config *cfg, struct sink_plan *p)
{
	struct rtmon_sink *cur = outputs_find(&d->outputs, "sse"), *s = NULL;
	int r;

	if (cur && !sse_needs_new(d->cfg, cfg))
		return plan_keep(p, cur, &cfg->outputs.sse);
	r = open_sse(d, &cfg->outputs.sse, &s);
	if (r == -EADDRINUSE && cur && sse_overlaps(d->cfg->outputs.sse.listen, cfg->outputs.sse.listen))
		r = sse_swap(d, cfg, cur, &s);
	if (r == -EADDRINUSE)
		log_errno(r, "sse: cannot listen on %s", cfg->outputs.sse.listen);
	return r < 0 ? r : plan_fresh(p, s);
}

static int plan_syslog(struct rtmon_daemon *d, const struct rtmon_syslog_conf *sc, struct sink_plan *p)
{
	struct rtmon_syslog_opts so = {
		.conf = sc, .loop = d->loop, .hostname = d->hostname, .state_dir = LOCALSTATEDIR "/lib/rtmon"
	};
	struct rtmon_sink *s;
	char key[300];
	int r;

	snprintf(key, sizeof(key), "syslog %s", sc->url);
	s = find_unplanned(&d->outputs, key, p);
	if (s)
		return plan_keep(p, s, sc);
	r = out_syslog_new(&so, &s);
	if (r < 0) {
		log_errno(r, "%s: cannot set up the output", sc->url);
		return r;
	}
	return plan_fresh(p, s);
}

static int plan_journal(struct rtmon_daemon *d, struct sink_plan *p)
{
	struct rtmon_sink *s = outputs_find(&d->outputs, "journal");
	int r;

	if (s)
		return plan_keep(p, s, NULL);
	if (!out_journal_available()) {
		/* on by default where journald runs; a journald that goes away later is the sink's business */
		if (!d->journal_absent_logged)
			log_warnx("no journald socket (/run/systemd/journal/socket): journal output is off");
		d->journal_absent_logged = true;
		return 0;
	}
	r = out_journal_new(&s);
	if (r < 0) {
		log_errno(r, "journal output is off");
		return 0;
	}
	return plan_fresh(p, s);
}

static int plan_sinks(struct rtmon_daemon *d, const struct rtmon_config *cfg, struct sink_plan *p)
{
	struct rtmon_sink *s;
	int r;

	if (cfg->outputs.stdout_json || d->opts.stdout_alerts) {
		s = outputs_find(&d->outputs, "stdout");
		if (s)
			r = plan_keep(p, s, NULL);
		else if ((r = out_stdout_new(stdout, &s)) >= 0)
			r = plan_fresh(p, s);
		if (r < 0)
			return r;
	}
	if (cfg->outputs.journal && (r = plan_journal(d, p)) < 0)
		return r;
	for (size_t i = 0; i < cfg->outputs.n_syslog; i++)
		if ((r = plan_syslog(d, &cfg->outputs.syslog[i], p)) < 0)
			return r;
	if (cfg->outputs.sse.enabled && (r = plan_sse(d, cfg, p)) < 0)
		return r;
	return 0;
}

static void plan_commit(struct rtmon_daemon *d, struct sink_plan *p)
{
	struct rtmon_outputs gone = { 0 };

	for (size_t i = 0; i < p->n_kept; i++) {
		struct rtmon_sink *s = p->kept[i].s;
		int r;

		if (!p->kept[i].conf || !s->ops->reconfigure)
			continue;
		r = s->ops->reconfigure(s, p->kept[i].conf);
		if (r < 0)
			log_errno(r, "reload: %s keeps its previous settings", s->key);
	}
	for (size_t i = 0; i < d->outputs.n; i++)
		if (!in_set(&p->neu, d->outputs.sinks[i]))
			outputs_add(&gone, d->outputs.sinks[i]);
	outputs_flush(&gone, 1000);
	outputs_free_all(&gone);
	d->outputs = p->neu;
}

int setup_outputs(struct rtmon_daemon *d, const struct rtmon_config *cfg)
{
	struct sink_plan *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return -ENOMEM;
	r = plan_sinks(d, cfg, p);
	if (r < 0) {
		/* nothing running was touched: free only what this plan opened */
		for (size_t i = 0; i < p->n_fresh; i++)
			p->fresh[i]->ops->free(p->fresh[i]);
	} else {
		plan_commit(d, p);
	}
	free(p);
	return r;
}

void setup_alerter(struct rtmon_daemon *d, const struct rtmon_config *cfg)
{
	struct rtmon_alerter *a = NULL;
	int r = alerter_new(&cfg->alerting, &a);

	if (r < 0) {
		log_errno(r, "alert folding is off");
		return;
	}
	alerter_free(d->alerter);
	d->alerter = a;
	/* incidents outlive a reload: their strings are their own */
	if (!d->incidents && (r = incidents_new(&cfg->incidents, &d->incidents)) < 0)
		log_errno(r, "incidents are off: every match is its own alert");
}

void setup_warn_restart_only(const struct rtmon_config *old, const struct rtmon_config *cur)
{
	if (old->bpf.ringbuf_kb != cur->bpf.ringbuf_kb || old->bpf.fold_window_ms != cur->bpf.fold_window_ms ||
	    old->bpf.file_exec_mmap != cur->bpf.file_exec_mmap || old->bpf.probe_connect != cur->bpf.probe_connect ||
	    old->bpf.probe_ptrace != cur->bpf.probe_ptrace || old->bpf.probe_memfd != cur->bpf.probe_memfd ||
	    old->bpf.probe_mmap != cur->bpf.probe_mmap || old->bpf.probe_mprotect != cur->bpf.probe_mprotect ||
	    old->bpf.probe_dup != cur->bpf.probe_dup || old->bpf.probe_vm_writev != cur->bpf.probe_vm_writev ||
	    old->bpf.probe_file != cur->bpf.probe_file || old->bpf.probe_module != cur->bpf.probe_module ||
	    old->bpf.probe_socket != cur->bpf.probe_socket || old->bpf.probe_namespace != cur->bpf.probe_namespace)
		log_warnx("reload: changes to the bpf section take effect at the next restart");
}

void setup_teardown(struct rtmon_daemon *d)
{
	outputs_free_all(&d->outputs);
	d->bpf = loader_free(d->bpf);
	watch_free(&d->watch);
	d->alerter = alerter_free(d->alerter);
	d->incidents = incidents_free(d->incidents);
	d->containers = container_cache_free(d->containers);
	d->procs = proctab_free(d->procs);
	if (d->record)
		fclose(d->record);
	d->record = NULL;
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->timerfd >= 0)
		close(d->timerfd);
	d->loop = loop_free(d->loop);
	d->cfg = config_free(d->cfg);
	jsonw_release(&d->json);
}

int setup_check_config(const struct rtmon_daemon_opts *opts)
{
	struct rtmon_diag *diag = calloc(1, sizeof(*diag));
	const char *path = opts->config_path ? opts->config_path : RTMON_DEFAULT_CONFIG;
	struct rtmon_config *cfg = NULL;
	char line[600];
	int r;

	if (!diag)
		return 1;
	r = config_load(path, opts->overrides, opts->n_overrides, &cfg, diag);
	for (size_t i = 0; i < diag->n; i++) {
		diag_format(&diag->items[i], line, sizeof(line));
		printf("%s\n", line);
	}
	if (diag->dropped)
		printf("... and %zu more\n", diag->dropped);
	if (r == 0)
		printf("%s: configuration OK (%zu rules)\n", cfg->path, cfg->rules ? ruleset_count(cfg->rules) : 0);
	config_free(cfg);
	free(diag);
	return r < 0 ? 1 : 0;
}
