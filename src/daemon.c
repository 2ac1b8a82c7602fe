/* SPDX-License-Identifier: MIT */
/*
 * daemon.c - live mode: start-up order, the epoll loop (ring buffer,
 * signalfd, timerfd, the sinks' own fds), reload and stop.
 *
 * Start-up: config -> outputs -> BPF load+attach -> process table from
 * /proc -> READY=1. The ring buffer is drained on a short timer (batched
 * wakeups, see bpf/rtmon.bpf.c) and whenever the kernel forces a wakeup.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "decode.h"
#include "instance.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "out_journal.h"
#include "out_sse.h"
#include "out_stdout.h"
#include "out_syslog.h"
#include "pipeline.h"
#include "privs.h"
#include "replay.h"
#include "setup.h"

#define TICK_SLOW_MS 100

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int64_t boot_to_real(void)
{
	struct timespec b, r;

	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_REALTIME, &r);
	return ((int64_t)r.tv_sec - b.tv_sec) * 1000000000ll + ((int64_t)r.tv_nsec - b.tv_nsec);
}

static int on_record(void *ctx, const void *data, size_t size)
{
	struct rtmon_daemon *d = ctx;
	int r = decode_record(data, size, d->boot_to_real_ns, &d->ev);

	if (r < 0) {
		if (d->stats.decode_errors++ == 0)
			log_warnx("undecodable record from the kernel (%s), ignoring", strerror(-r));
		return 0;
	}
	watch_resolve(&d->watch, &d->ev);
	pipeline_handle_event(d, &d->ev, realtime_ns());
	return 0;
}

static int watch_add(void *ud, const char *pattern, uint32_t ops)
{
	int r = watch_add_pattern(ud, pattern, ops);

	if (r == -EINVAL)
		log_warnx("file rule path pattern '%s' is not an absolute path: the kernel cannot watch it", pattern);
	return r == -EINVAL ? 0 : r;
}

/*
 * Compiles the file watch from the rules and hands it to the kernel. On a
 * failure the kernel keeps the watch it had (file events may be missing: said
 * in the log) and so does the resolver.
 */
static void apply_watch(struct rtmon_daemon *d, const struct rtmon_config *cfg)
{
	struct rtmon_watch w = { 0 };
	int r;

	if (!d->bpf || !cfg->bpf.probe_file)
		return;
	r = ruleset_file_patterns(cfg->rules, watch_add, &w);
	if (r == 0)
		r = loader_set_watch(d->bpf, &d->watch, &w);
	if (r < 0) {
		log_errno(r, "the file watch could not be set up; file events may be missing");
		watch_free(&w);
		return;
	}
	if (w.dropped)
		log_warnx("the file watch is full: %zu paths are not watched", w.dropped);
	log_info("file watch: %zu inodes, %zu path prefixes", w.n, w.np);
	watch_free(&d->watch);
	d->watch = w;
}

static void drain(struct rtmon_daemon *d)
{
	int r = loader_consume(d->bpf);

	if (r < 0 && r != -EINTR)
		log_errno(r, "ring buffer consume failed");
}

static void on_ring(void *ctx, int fd, uint32_t events)
{
	(void)fd;
	(void)events;
	drain(ctx);
}

/* Kernel drop counters: a loss is never silent. */
static void check_kernel_counters(struct rtmon_daemon *d)
{
	uint64_t drops;

	loader_counters(d->bpf, d->stats.kernel);
	drops = d->stats.kernel[RTMON_CNT_DROP_RINGBUF] + d->stats.kernel[RTMON_CNT_DROP_SCRATCH];
	if (drops > d->stats.kernel_drops_reported) {
		log_warnx("the kernel dropped %" PRIu64 " events (ring buffer full: %" PRIu64 " in all); "
			  "raise bpf.ringbuf_kb",
			  drops - d->stats.kernel_drops_reported, d->stats.kernel[RTMON_CNT_DROP_RINGBUF]);
		d->stats.kernel_drops_reported = drops;
	}
}

static void second_tick(struct rtmon_daemon *d, uint64_t now_ms)
{
	struct rtmon_notify_stats st;
	uint64_t now_real = realtime_ns();
	char note[400];

	check_kernel_counters(d);
	pipeline_flush(d, now_real, 0);
	proctab_expire(d->procs, now_real);
	if (d->status_time_mark) {
		double dt = (double)(now_ms - d->status_time_mark) / 1000.0;

		d->stats.events_per_s = dt > 0 ? (double)(d->stats.events_total - d->status_events_mark) / dt : 0;
	}
	d->status_time_mark = now_ms;
	d->status_events_mark = d->stats.events_total;
	st.events_per_s = d->stats.events_per_s;
	st.events = d->stats.events_total;
	st.alerts = d->stats.alerts_total;
	st.drops = d->stats.kernel_drops_reported;
	st.note = d->stats.reload_failed ? note : NULL;
	snprintf(note, sizeof(note), "last reload failed, running the previous configuration: %s", d->reload_error);
	st.lost = d->bpf ? loader_lost(d->bpf) : NULL;
	st.hooks = d->bpf ? config_hooks_name(loader_hooks(d->bpf)) : NULL;
	notify_status(&st);
}

/* Kernel fold windows that closed become summary records (drained on the next tick). */
static void sweep_folds(struct rtmon_daemon *d, bool all)
{
	int r;

	if (!d->cfg || !d->cfg->bpf.fold_window_ms)
		return;
	r = loader_fold_sweep(d->bpf, all);
	if (r < 0 && d->sweep_errors++ == 0)
		log_errno(r, "kernel fold sweep failed, folded counts are reported at the next repeat only");
}

static void on_timer(void *ctx, int fd, uint32_t events)
{
	struct rtmon_daemon *d = ctx;
	uint64_t exp, now_ms = loop_now_ms();
	static const uint64_t per_second = 1000 / TICK_SLOW_MS;

	(void)events;
	if (read(fd, &exp, sizeof(exp)) != sizeof(exp))
		return;
	drain(d);
	if (now_ms < d->next_slow_ms)
		return;
	d->next_slow_ms = now_ms + TICK_SLOW_MS;
	d->ticks++;
	sweep_folds(d, false);
	outputs_tick(&d->outputs, now_ms);
	if (d->ticks % per_second == 0)
		second_tick(d, now_ms);
	if (notify_watchdog_interval_ms()) {
		uint64_t every = notify_watchdog_interval_ms() / TICK_SLOW_MS;

		if (d->ticks % (every ? every : 1) == 0)
			notify_watchdog();
	}
}

static void reload_failed(struct rtmon_daemon *d, const char *why)
{
	const char *path = d->opts.config_path ? d->opts.config_path : RTMON_DEFAULT_CONFIG;

	d->stats.reload_failures++;
	d->stats.reload_failed = true;
	snprintf(d->reload_error, sizeof(d->reload_error), "%s", why && why[0] ? why : path);
	log_err("reload of %s rejected (%s), keeping the previous configuration", path, d->reload_error);
	notify_reloaded(d->reload_error);
}

/* A rejected reload changes nothing that runs: no sink closed, none added, the old rules stay. */
static void reload(struct rtmon_daemon *d)
{
	struct rtmon_config *ncfg = NULL;
	char why[320] = "";
	int r;

	notify_reloading();
	r = setup_load_config(&d->opts, &ncfg, why, sizeof(why));
	if (r < 0) {
		reload_failed(d, why);
		return;
	}
	setup_warn_restart_only(d->cfg, ncfg);
	pipeline_flush(d, realtime_ns(), 1);
	r = setup_outputs(d, ncfg);
	if (r < 0) {
		snprintf(why, sizeof(why), "outputs could not be set up: %s", strerror(-r));
		config_free(ncfg);
		reload_failed(d, why);
		return;
	}
	setup_alerter(d, ncfg);
	apply_watch(d, ncfg);
	config_free(d->cfg);
	d->cfg = ncfg;
	d->stats.reloads++;
	d->stats.reload_failed = false;
	d->reload_error[0] = '\0';
	d->stats.reload_ok_time_s = realtime_ns() / 1000000000ull;
	log_info("configuration reloaded from %s (%zu rules)", d->cfg->path, ruleset_count(d->cfg->rules));
	notify_reloaded(NULL);
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct rtmon_daemon *d = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			reload(d);
			break;
		case SIGTERM:
		case SIGINT:
			log_info("stopping on signal %u from pid %u", si.ssi_signo, si.ssi_pid);
			d->stop = true;
			break;
		default:
			break;
		}
	}
}

static int setup_loop(struct rtmon_daemon *d)
{
	struct itimerspec its = { 0 };
	uint32_t poll_ms = d->cfg->bpf.poll_ms ? d->cfg->bpf.poll_ms : 10;
	sigset_t mask;
	int r;

	r = loop_new(&d->loop);
	if (r < 0)
		return r;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->sigfd < 0 || d->timerfd < 0)
		return -errno;
	if (poll_ms > TICK_SLOW_MS)
		poll_ms = TICK_SLOW_MS;
	its.it_interval.tv_nsec = (long)poll_ms * 1000000L;
	its.it_value = its.it_interval;
	if (timerfd_settime(d->timerfd, 0, &its, NULL) < 0)
		return -errno;
	r = loop_add(d->loop, d->sigfd, EPOLLIN, on_signal, d);
	if (r == 0)
		r = loop_add(d->loop, d->timerfd, EPOLLIN, on_timer, d);
	return r;
}

static int start_bpf(struct rtmon_daemon *d)
{
	const struct rtmon_config *c = d->cfg;
	struct rtmon_loader_opts lo = {
		.ringbuf_kb = c->bpf.ringbuf_kb,
		.wakeup_kb = c->bpf.wakeup_kb,
		.fold_window_ms = c->bpf.fold_window_ms,
		.file_exec_mmap = c->bpf.file_exec_mmap,
		.probe_connect = c->bpf.probe_connect,
		.probe_ptrace = c->bpf.probe_ptrace,
		.probe_memfd = c->bpf.probe_memfd,
		.probe_mmap = c->bpf.probe_mmap,
		.probe_mprotect = c->bpf.probe_mprotect,
		.probe_vm_writev = c->bpf.probe_vm_writev,
		.probe_dup = c->bpf.probe_dup,
		.probe_file = c->bpf.probe_file,
		.probe_module = c->bpf.probe_module,
		.probe_socket = c->bpf.probe_socket,
		.probe_namespace = c->bpf.probe_namespace,
		.self_pid = (uint32_t)getpid(),
		.btf_path = c->bpf.btf_path,
		.hooks = c->bpf.hooks,
	};
	char err[512];
	int r;

	r = loader_open(&lo, on_record, d, &d->bpf, err, sizeof(err));
	if (r < 0) {
		log_crit("%s", err);
		return r;
	}
	if (*loader_lost(d->bpf))
		log_warnx("capabilities lost on this kernel: %s (see /metrics rtmon_capability)", loader_lost(d->bpf));
	return loop_add(d->loop, loader_fd(d->bpf), EPOLLIN, on_ring, d);
}

static void final_report(struct rtmon_daemon *d)
{
	loader_counters(d->bpf, d->stats.kernel);
	log_notice("rtmon stopped: events=%" PRIu64 " alerts=%" PRIu64 " summaries=%" PRIu64 " kernel_sent=%" PRIu64
		   " kernel_dropped=%" PRIu64 " folded=%" PRIu64 " decode_errors=%" PRIu64,
		   d->stats.events_total, d->stats.alerts_total, d->stats.summaries_total,
		   d->stats.kernel[RTMON_CNT_SENT],
		   d->stats.kernel[RTMON_CNT_DROP_RINGBUF] + d->stats.kernel[RTMON_CNT_DROP_SCRATCH],
		   d->stats.kernel[RTMON_CNT_FOLDED], d->stats.decode_errors);
}

static void run_loop(struct rtmon_daemon *d)
{
	while (!d->stop) {
		int r = loop_run_once(d->loop, 1000);

		if (r < 0) {
			log_errno(r, "event loop failed");
			break;
		}
	}
	notify_stopping();
	loader_detach(d->bpf);
	sweep_folds(d, true);
	drain(d);
	check_kernel_counters(d);
	pipeline_flush(d, realtime_ns(), RTMON_FLUSH_FINAL);
	outputs_flush(&d->outputs, 5000);
	final_report(d);
}

/* stdout's reader went away (`rtmon --stdout | head`): stop when it was the only output, else carry on without it. */
static void on_stdout_closed(void *ctx, int fd, uint32_t events)
{
	struct rtmon_daemon *d = ctx;
	struct rtmon_sink *s;

	(void)events;
	loop_del(d->loop, fd);
	for (size_t i = 0; i < d->outputs.n; i++) {
		if (strcmp(d->outputs.sinks[i]->key, "stdout") != 0)
			continue;
		if (d->outputs.n == 1) {
			log_info("stdout was closed by its reader and is the only output: stopping");
			d->stop = true;
			return;
		}
		s = outputs_take(&d->outputs, i);
		s->ops->free(s);
		log_warnx("stdout was closed by its reader: the stdout output is off, the others go on");
		return;
	}
}

static void watch_stdout(struct rtmon_daemon *d)
{
	/* a pipe or socket reports EPOLLERR/EPOLLHUP once its reader is gone; files and ttys never fail here */
	if (outputs_find(&d->outputs, "stdout"))
		(void)loop_add(d->loop, STDOUT_FILENO, 0, on_stdout_closed, d);
}

/* Exit 2 with one line naming the cause and the fix, before anything else is tried. */
static int preflight(void)
{
	char err[768];
	int r = loader_preflight(err, sizeof(err));

	if (r < 0)
		log_crit("%s", err);
	return r;
}

/* One daemon per host (and per spool): a second one would send every alert twice. */
static int take_lock(struct rtmon_daemon *d)
{
	const char *path = instance_lock_path();
	pid_t holder = 0;
	int fd = instance_lock(path, &holder);

	if (fd == -EBUSY) {
		log_crit("another rtmon (pid %ld) is already running on this host (lock %s held): stop it first "
			 "(systemctl stop rtmon); --check-config and --replay need no lock",
			 (long)holder, path);
		return fd;
	}
	if (fd < 0) {
		log_crit("cannot take the instance lock %s: %s (set %s to another path)", path, strerror(-fd),
			 RTMON_LOCK_ENV);
		return fd;
	}
	d->lock_fd = fd;
	return 0;
}

int daemon_run(const struct rtmon_daemon_opts *opts)
{
	struct rtmon_daemon *d = calloc(1, sizeof(*d));
	int code = 1, r;

	if (!d) {
		log_warnx("out of memory");
		return 1;
	}
	d->opts = *opts;
	d->live = true;
	d->self_pid = (uint32_t)getpid();
	d->sigfd = d->timerfd = d->lock_fd = -1;
	d->stats.start_mono_ns = loop_now_ns();
	d->boot_to_real_ns = boot_to_real();
	if (setup_load_config(&d->opts, &d->cfg, NULL, 0) < 0)
		goto out;
	d->stats.reload_ok_time_s = realtime_ns() / 1000000000ull;
	code = 2;
	if (preflight() < 0)
		goto out;
	code = 3;
	if (take_lock(d) < 0)
		goto out;
	code = 1;
	setup_hostname(d);
	if ((r = setup_loop(d)) < 0 || (r = setup_state(d)) < 0) {
		log_errno(r, "cannot set up the daemon");
		goto out;
	}
	if ((r = setup_outputs(d, d->cfg)) < 0) {
		log_errno(r, "cannot open the outputs");
		goto out;
	}
	setup_alerter(d, d->cfg);
	if (start_bpf(d) < 0) {
		code = 2;
		goto out;
	}
	apply_watch(d, d->cfg); /* before the capabilities go: home directories are read with them */
	if ((r = privs_drop()) < 0)
		log_errno(r, "cannot drop capabilities, going on with them");
	watch_stdout(d);
	log_info("monitoring: %zu BPF programs attached, %zu processes known, %zu rules, hooks: %s",
		 loader_nprogs(d->bpf), proctab_size(d->procs), d->cfg->rules ? ruleset_count(d->cfg->rules) : 0,
		 config_hooks_name(loader_hooks(d->bpf)));
	notify_ready();
	run_loop(d);
	code = 0;
out:
	setup_teardown(d);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	free(d);
	return code;
}

/* --replay: the events' own time is the clock */
static void replay_one(void *ud, struct rtmon_event *ev)
{
	struct rtmon_daemon *d = ud;

	pipeline_handle_event(d, ev, ev->time_ns);
	pipeline_flush(d, ev->time_ns, RTMON_FLUSH_DUE);
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
	replay_read(f, opts->replay_path, &d->ev, replay_one, d);
	if (f != stdin)
		fclose(f);
	pipeline_flush(d, UINT64_MAX, RTMON_FLUSH_FINAL);
	outputs_flush(&d->outputs, 0);
	code = 0;
out:
	setup_teardown(d);
	free(d);
	return code;
}
