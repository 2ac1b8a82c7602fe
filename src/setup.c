/* SPDX-License-Identifier: MIT */
/* setup.c - see setup.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "out_journal.h"
#include "out_sse.h"
#include "out_stdout.h"
#include "out_syslog.h"
#include "setup.h"

#define EXIT_TTL_NS (30ull * 1000000000ull)

int setup_load_config(const struct rtmon_daemon_opts *opts, struct rtmon_config **ret)
{
	struct rtmon_diag *diag = calloc(1, sizeof(*diag));
	const char *path = opts->config_path ? opts->config_path : RTMON_DEFAULT_CONFIG;
	char line[600];
	int r;

	if (!diag)
		return -ENOMEM;
	r = config_load(path, opts->overrides, opts->n_overrides, ret, diag);
	for (size_t i = 0; i < diag->n; i++) {
		diag_format(&diag->items[i], line, sizeof(line));
		if (diag->items[i].is_error)
			log_warnx("%s", line);
		else
			log_info("%s", line);
	}
	if (diag->dropped)
		log_warnx("... and %zu more configuration problems", diag->dropped);
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

	r = proctab_new(d->cfg->process.max_processes ? d->cfg->process.max_processes : 32768, EXIT_TTL_NS,
			&d->procs);
	if (r < 0)
		return r;
	if (d->live) {
		proctab_seed(d->procs, "/proc");
		co.cgroup_root = d->cfg->process.cgroup_root && d->cfg->process.cgroup_root[0]
					 ? d->cfg->process.cgroup_root : NULL;
		co.pods_log_dir = d->cfg->process.pods_log_dir && d->cfg->process.pods_log_dir[0]
					  ? d->cfg->process.pods_log_dir : NULL;
		r = container_cache_new(&co, &d->containers);
		if (r < 0)
			log_errno(r, "container attribution is off");
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

static void metrics_cb(void *ctx, FILE *out)
{
	metrics_write(ctx, out);
}

static int health_cb(void *ctx, FILE *out)
{
	return metrics_health(ctx, out);
}

static int want_sink(struct rtmon_outputs *old, const char *key, const void *conf, struct rtmon_sink **ret)
{
	for (size_t i = 0; i < old->n; i++) {
		struct rtmon_sink *s = old->sinks[i];

		if (strcmp(s->key, key) != 0)
			continue;
		if (conf && s->ops->reconfigure && s->ops->reconfigure(s, conf) < 0) {
			/*
			 * Replace it: the old one goes first, so a listener can bind the
			 * address it held (what it had queued is flushed, briefly).
			 */
			outputs_take(old, i);
			if (s->ops->flush)
				s->ops->flush(s, 500);
			s->ops->free(s);
			return 0;
		}
		*ret = outputs_take(old, i);
		return 1;
	}
	return 0;
}

static int open_sinks(struct rtmon_daemon *d, const struct rtmon_config *cfg, struct rtmon_outputs *old,
		      struct rtmon_outputs *neu)
{
	struct rtmon_sink *s;
	char key[300];
	int r = 0;

	if (cfg->outputs.stdout_json || d->opts.stdout_alerts) {
		if (!want_sink(old, "stdout", NULL, &s) && (r = out_stdout_new(stdout, &s)) < 0)
			return r;
		outputs_add(neu, s);
	}
	if (cfg->outputs.journal && !outputs_find(old, "journal") && !out_journal_available()) {
		/* on by default where journald runs; a journald that goes away later is the sink's business */
		if (!d->journal_absent_logged)
			log_info("no journald socket (/run/systemd/journal/socket): journal output is off");
		d->journal_absent_logged = true;
	} else if (cfg->outputs.journal) {
		if (want_sink(old, "journal", NULL, &s) || (r = out_journal_new(&s)) >= 0)
			outputs_add(neu, s);
		else
			log_errno(r, "journal output is off");
	}
	for (size_t i = 0; i < cfg->outputs.n_syslog; i++) {
		const struct rtmon_syslog_conf *sc = &cfg->outputs.syslog[i];
		struct rtmon_syslog_opts so = { .conf = sc, .loop = d->loop, .hostname = d->hostname,
						.state_dir = LOCALSTATEDIR "/lib/rtmon" };

		snprintf(key, sizeof(key), "syslog %s", sc->url);
		if (!want_sink(old, key, sc, &s) && (r = out_syslog_new(&so, &s)) < 0)
			return r;
		outputs_add(neu, s);
	}
	if (cfg->outputs.sse.enabled) {
		struct rtmon_sse_opts so = { .conf = &cfg->outputs.sse, .loop = d->loop, .metrics = metrics_cb,
					     .health = health_cb, .ctx = d };

		if (!want_sink(old, "sse", &cfg->outputs.sse, &s) && (r = out_sse_new(&so, &s)) < 0)
			return r;
		outputs_add(neu, s);
	}
	return 0;
}

int setup_outputs(struct rtmon_daemon *d, const struct rtmon_config *cfg)
{
	struct rtmon_outputs old = d->outputs, neu = { 0 };
	int r;

	memset(&d->outputs, 0, sizeof(d->outputs));
	r = open_sinks(d, cfg, &old, &neu);
	if (r < 0) {
		/* put back what was taken from the old set; drop what was new */
		for (size_t i = 0; i < neu.n; i++) {
			bool was_old = false;

			for (size_t j = 0; j < old.n; j++)
				was_old = was_old || old.sinks[j] == neu.sinks[i];
			if (!was_old)
				outputs_add(&old, neu.sinks[i]);
		}
		d->outputs = old;
		return r;
	}
	outputs_flush(&old, 1000);
	outputs_free_all(&old);
	d->outputs = neu;
	return 0;
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
	    old->bpf.probe_dup != cur->bpf.probe_dup || old->bpf.probe_vm_writev != cur->bpf.probe_vm_writev)
		log_warnx("reload: changes to the bpf section take effect at the next restart");
}

void setup_teardown(struct rtmon_daemon *d)
{
	outputs_free_all(&d->outputs);
	d->bpf = loader_free(d->bpf);
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
