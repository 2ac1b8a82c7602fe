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
#include "stats.h"
#include "watch.h"

#define RTMON_MATCHES_MAX 16

struct rtmon_daemon_opts {
	const char *config_path;      /* NULL = default path */
	const char *const *overrides; /* -o PATH=VALUE */
	size_t n_overrides;
	bool stdout_alerts;	 /* --stdout */
	bool trace;		 /* --trace */
	const char *record_path; /* --record FILE */
	const char *replay_path; /* --replay FILE */
};

struct rtmon_aggregator;

struct rtmon_daemon {
	struct rtmon_daemon_opts opts;
	struct rtmon_config *cfg;
	struct rtmon_loop *loop;
	struct rtmon_loader *bpf;
	struct rtmon_proctab *procs;
	struct rtmon_watch watch; /* the file watch compiled from the rules (live only) */
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

	struct rtmon_stats stats; /* counters: the pipeline and the loop write, metrics.c reads */
	uint64_t sweep_errors;	  /* failed kernel fold sweeps (logged once) */
	char reload_error[320];	  /* the first error line of the last rejected reload */
	int lock_fd;		  /* the instance lock, held while running */
	uint64_t ticks, next_slow_ms;
	uint64_t status_events_mark, status_time_mark;

	struct rtmon_pipepeers pipes;
	struct rtmon_aggregator *agg; /* rtmond --aggregate (aggregate.c); NULL otherwise */

	/* scratch, reused for every event */
	struct rtmon_event ev;
	struct rtmon_match matches[RTMON_MATCHES_MAX];
	struct rtmon_jsonw json; /* alert and --trace lines */
};

/* Returns the process exit code: 0 clean stop, 1 config error, 2 BPF could not be loaded. */
int daemon_run(const struct rtmon_daemon_opts *opts);
/* --replay: rules over a recording (replay.c reads it), alerts on stdout. Returns the exit code. */
int daemon_replay(const struct rtmon_daemon_opts *opts);

#endif
