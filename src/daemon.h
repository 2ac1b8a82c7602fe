/* SPDX-License-Identifier: MIT */
/*
 * daemon.h - the daemon's context: every piece of mutable state rtmon has
 * (besides the log level) lives here and is passed explicitly.
 */
#ifndef RTMON_DAEMON_H
#define RTMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "alerter.h"
#include "config.h"
#include "container.h"
#include "event.h"
#include "incident.h"
#include "jsonw.h"
#include "loader.h"
#include "loop.h"
#include "output.h"
#include "pipepeer.h"
#include "proctab.h"
#include "rules.h"
#include "watch.h"

#define RTMON_MATCHES_MAX 16
#define RTMON_RULE_STATS_MAX 256

struct rtmon_daemon_opts {
	const char *config_path;        /* NULL = default path */
	const char *const *overrides;   /* -o PATH=VALUE */
	size_t n_overrides;
	bool stdout_alerts;             /* --stdout */
	bool trace;                     /* --trace */
	const char *record_path;        /* --record FILE */
	const char *replay_path;        /* --replay FILE */
};

struct rtmon_aggregator;

struct rtmon_rule_stat {
	char id[64];
	uint64_t alerts, folded, held;
	uint64_t joined;                /* matches that joined an open incident instead of alerting */
};

struct rtmon_daemon {
	struct rtmon_daemon_opts opts;
	struct rtmon_config *cfg;
	struct rtmon_loop *loop;
	struct rtmon_loader *bpf;
	struct rtmon_proctab *procs;
	struct rtmon_watch watch;       /* the file watch compiled from the rules (live only) */
	struct rtmon_container_cache *containers;
	struct rtmon_alerter *alerter;
	struct rtmon_incidents *incidents; /* kept across reloads */
	struct rtmon_outputs outputs;
	FILE *record;
	int sigfd, timerfd;
	bool stop;
	bool live;
	bool journal_absent_logged;
	uint32_t self_pid;
	int64_t boot_to_real_ns;
	char hostname[256];
	uint64_t alert_seq;
	uint64_t start_mono_ns;

	/* counters */
	uint64_t events_by_type[RTMON_EV_MAX];
	uint64_t events_total, decode_errors, alerts_total, summaries_total, incident_updates_total;
	uint64_t sweep_errors;       /* failed kernel fold sweeps (logged once) */
	uint64_t kernel[RTMON_CNT_MAX];     /* last read of the kernel counters */
	uint64_t kernel_drops_reported;
	struct rtmon_rule_stat rule_stats[RTMON_RULE_STATS_MAX];
	size_t n_rule_stats;
	uint64_t reloads, reload_failures;
	bool reload_failed;                 /* the last reload was rejected */
	char reload_error[320];             /* its first error line */
	uint64_t reload_ok_time_s;          /* wall clock of the last good load (start or reload) */
	int lock_fd;                        /* the instance lock, held while running */
	uint64_t ticks, next_slow_ms;
	uint64_t status_events_mark, status_time_mark;
	double events_per_s;

	struct rtmon_pipepeers pipes;
	struct rtmon_aggregator *agg;       /* rtmond --aggregate (aggregate.c); NULL otherwise */

	/* scratch, reused for every event */
	struct rtmon_event ev;
	struct rtmon_match matches[RTMON_MATCHES_MAX];
	struct rtmon_jsonw json; /* alert and --trace lines */
};

/* Returns the process exit code: 0 clean stop, 1 config error, 2 BPF could not be loaded. */
int daemon_run(const struct rtmon_daemon_opts *opts);
/* --replay: rules over a recording, alerts on stdout. Returns the exit code. */
int daemon_replay(const struct rtmon_daemon_opts *opts);
/* --check-config. Returns the exit code. */
int daemon_check_config(const struct rtmon_daemon_opts *opts);

/* Shared by live mode and replay: one event through enrichment, trace/record, rules, alerts. */
void daemon_handle_event(struct rtmon_daemon *d, struct rtmon_event *ev, uint64_t now_ns);
/* What daemon_flush_summaries() reports. */
enum {
	RTMON_FLUSH_DUE = 0,      /* summaries whose window closed, incident updates due */
	RTMON_FLUSH_SUMMARIES,    /* every pending summary (reload); incidents go on */
	RTMON_FLUSH_FINAL,        /* every summary, and every incident closed with its final update (stop) */
};
void daemon_flush_summaries(struct rtmon_daemon *d, uint64_t now_ns, int how);

#endif
