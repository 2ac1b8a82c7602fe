/* SPDX-License-Identifier: MIT */
/*
 * replay.c - --replay FILE (a recording through the rules, alerts on stdout;
 * no root, no BPF, the events' own time is the clock) and --check-config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "diag.h"
#include "fmt_json.h"
#include "log.h"
#include "out_stdout.h"
#include "setup.h"

static int replay_stream(struct rtmon_daemon *d, FILE *f, const char *path)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int bad = 0;

	while ((n = getline(&line, &cap, f)) > 0) {
		int r;

		lineno++;
		if (n <= 1 || line[0] == '#')
			continue;
		r = fmt_event_from_json(line, &d->ev);
		if (r == -ENOMSG)
			continue; /* an alert line in a mixed recording */
		if (r < 0) {
			if (bad++ < 10)
				log_warnx("%s:%zu: not an event, skipped", path, lineno);
			continue;
		}
		daemon_handle_event(d, &d->ev, d->ev.time_ns);
		daemon_flush_summaries(d, d->ev.time_ns, 0);
	}
	free(line);
	return 0;
}

int daemon_replay(const struct rtmon_daemon_opts *opts)
{
	struct rtmon_daemon *d = calloc(1, sizeof(*d));
	struct rtmon_sink *s;
	FILE *f;
	int code = 1;

	if (!d)
		return 1;
	d->opts = *opts;
	d->opts.trace = opts->trace;
	d->sigfd = d->timerfd = -1;
	if (setup_load_config(&d->opts, &d->cfg, NULL, 0) < 0)
		goto out;
	setup_hostname(d);
	if (setup_state(d) < 0 || out_stdout_new(stdout, &s) < 0)
		goto out;
	if (outputs_add(&d->outputs, s) < 0) {
		s->ops->free(s);
		goto out;
	}
	setup_alerter(d, d->cfg);
	f = strcmp(opts->replay_path, "-") == 0 ? stdin : fopen(opts->replay_path, "re");
	if (!f) {
		log_warn("cannot open %s", opts->replay_path);
		goto out;
	}
	replay_stream(d, f, opts->replay_path);
	if (f != stdin)
		fclose(f);
	daemon_flush_summaries(d, UINT64_MAX, RTMON_FLUSH_FINAL);
	outputs_flush(&d->outputs, 0);
	code = 0;
out:
	setup_teardown(d);
	free(d);
	return code;
}

int daemon_check_config(const struct rtmon_daemon_opts *opts)
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
