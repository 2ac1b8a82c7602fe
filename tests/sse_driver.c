/* SPDX-License-Identifier: MIT */
/*
 * sse_driver - the HTTP listener (out_sse.c) alone under rtmon's real epoll
 * loop, fed constructed alerts, for tests/integration/sse_listener.sh.
 *
 *   sse_driver [--listen A] [--token T] [--origin O]... [--max-clients N] [--history N]
 *              [--buffer-kb N] [--keepalive S] [--dashboard DIR] [--alerts N]
 *              [--interval-ms M] [--pad BYTES] [--usec U] [--unhealthy]
 *
 * Prints "PORT <port>" once listening and "EMITTED <id>" per alert; stdin
 * takes "emit N [PAD]" and "reconf KEY=VALUE..." lines (see reconf()).  SIGTERM/SIGINT: flush, free, exit 0.
 * Alert ids are "<usec>-<seq>" with seq 1, 2, ...; the JSON is
 * {"kind":"alert","id":"<id>","rule_id":"test_rule","seq":<seq>,"pad":"x..."}.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* signalfd */
#endif
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "out_sse.h"

struct driver {
	struct rtmon_loop *loop;
	struct rtmon_sink *sink;
	struct rtmon_sse_conf *conf;
	char token[128], listen[128];
	uint64_t seq, usec;
	size_t pad;
	bool unhealthy, stop;
	char line[256];
	size_t line_len;
};

static void emit_one(struct driver *d, size_t pad)
{
	struct rtmon_alert a;
	char *json, *p;
	struct timespec ts;
	uint64_t usec = d->usec;

	if (!usec) {
		clock_gettime(CLOCK_REALTIME, &ts);
		usec = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	}
	memset(&a, 0, sizeof(a));
	a.seq = ++d->seq;
	snprintf(a.id, sizeof(a.id), "%llu-%llu", (unsigned long long)usec, (unsigned long long)a.seq);
	a.rule_id = "test_rule";
	json = malloc(pad + 200);
	if (!json)
		fatalx("out of memory");
	p = json + sprintf(json, "{\"kind\":\"alert\",\"id\":\"%s\",\"rule_id\":\"test_rule\",\"seq\":%llu,\"pad\":\"",
			   a.id, (unsigned long long)a.seq);
	memset(p, 'x', pad);
	strcpy(p + pad, "\"}");
	d->sink->ops->emit(d->sink, &a, json);
	free(json);
	printf("EMITTED %s\n", a.id);
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct driver *d = ctx;
	struct signalfd_siginfo si;

	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		d->stop = true;
}

static void metrics(void *ctx, FILE *out);
static int health(void *ctx, FILE *out);

/*
 * "reconf token=T history=N listen=A": what the daemon does on SIGHUP:
 * reconfigure(), and when that fails, free the sink and make a new one.
 * Prints "RECONF <r>" and, when replaced, "REPLACED <r> PORT <port>".
 */
static void reconf(struct driver *d, const char *l)
{
	char key[32], val[128];
	int r, n;

	for (l += 6; sscanf(l, " %31[a-z_]=%127s%n", key, val, &n) == 2; l += n) {
		if (strcmp(key, "token") == 0) {
			snprintf(d->token, sizeof(d->token), "%s", strcmp(val, "-") ? val : "");
			d->conf->token = d->token;
		} else if (strcmp(key, "listen") == 0) {
			snprintf(d->listen, sizeof(d->listen), "%s", val);
			d->conf->listen = d->listen;
		} else if (strcmp(key, "history") == 0) {
			d->conf->history = (uint32_t)strtoul(val, NULL, 10);
		}
	}
	r = d->sink->ops->reconfigure(d->sink, d->conf);
	printf("RECONF %d\n", r);
	if (r == 0)
		return;
	d->sink->ops->free(d->sink);
	d->sink = NULL;
	r = out_sse_new(&(struct rtmon_sse_opts){ .listen_fd = -1, .conf = d->conf, .loop = d->loop, .metrics = metrics,
						  .health = health, .ctx = d },
			&d->sink);
	if (r < 0)
		fatalx("replacement: %s", strerror(-r));
	printf("REPLACED %d PORT %d\n", r, out_sse_port(d->sink));
}

static void on_line(struct driver *d, const char *l)
{
	unsigned long n = 0, pad = d->pad;

	if (sscanf(l, "emit %lu %lu", &n, &pad) >= 1)
		for (unsigned long i = 0; i < n; i++)
			emit_one(d, pad);
	if (strncmp(l, "reconf", 6) == 0)
		reconf(d, l);
}

static void on_stdin(void *ctx, int fd, uint32_t events)
{
	struct driver *d = ctx;
	char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0) {
		loop_del(d->loop, fd);
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || d->line_len == sizeof(d->line) - 1) {
			d->line[d->line_len] = '\0';
			on_line(d, d->line);
			d->line_len = 0;
		} else {
			d->line[d->line_len++] = buf[i];
		}
	}
}

static void metrics(void *ctx, FILE *out)
{
	struct driver *d = ctx;

	fprintf(out, "# HELP rtmon_driver_alerts_total Alerts the driver emitted.\n"
		     "# TYPE rtmon_driver_alerts_total counter\nrtmon_driver_alerts_total %llu\n",
		(unsigned long long)d->seq);
	d->sink->ops->metrics(d->sink, out);
}

static int health(void *ctx, FILE *out)
{
	struct driver *d = ctx;

	if (d->unhealthy) {
		fputs("{\"status\":\"degraded\",\"reason\":\"test\"}", out);
		return 0;
	}
	fprintf(out, "{\"status\":\"ok\",\"alerts\":%llu}", (unsigned long long)d->seq);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },   { "token", required_argument, NULL, 't' },
		{ "origin", required_argument, NULL, 'o' },   { "max-clients", required_argument, NULL, 'm' },
		{ "history", required_argument, NULL, 'H' },  { "buffer-kb", required_argument, NULL, 'b' },
		{ "keepalive", required_argument, NULL, 'k' }, { "dashboard", required_argument, NULL, 'd' },
		{ "alerts", required_argument, NULL, 'n' },   { "interval-ms", required_argument, NULL, 'i' },
		{ "pad", required_argument, NULL, 'p' },      { "usec", required_argument, NULL, 'u' },
		{ "unhealthy", no_argument, NULL, 'U' },      { NULL, 0, NULL, 0 },
	};
	char *origins[9] = { NULL };
	size_t n_origins = 0;
	char def_listen[] = "127.0.0.1:0", empty[] = "";
	struct rtmon_sse_conf conf = { .enabled = true, .listen = def_listen, .token = empty,
				       .dashboard_dir = empty, .allowed_origins = origins };
	struct driver d = { .conf = &conf };
	unsigned long alerts = 0, interval = 0;
	uint64_t next_tick, next_emit;
	sigset_t mask;
	int c, r, sfd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': conf.listen = optarg; break;
		case 't': conf.token = optarg; break;
		case 'o':
			if (n_origins < 8)
				origins[n_origins++] = optarg;
			break;
		case 'm': conf.max_clients = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'H': conf.history = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'b': conf.client_buffer_kb = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'k': conf.keepalive_s = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'd': conf.dashboard_dir = optarg; break;
		case 'n': alerts = strtoul(optarg, NULL, 10); break;
		case 'i': interval = strtoul(optarg, NULL, 10); break;
		case 'p': d.pad = strtoul(optarg, NULL, 10); break;
		case 'u': d.usec = strtoull(optarg, NULL, 10); break;
		case 'U': d.unhealthy = true; break;
		default: return 2;
		}
	}
	log_init(RTMON_LOG_STDERR, getenv("SSE_DRIVER_DEBUG") != NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		fatal("signalfd");
	r = loop_new(&d.loop);
	if (r < 0)
		fatalx("loop_new: %s", strerror(-r));
	loop_add(d.loop, sfd, EPOLLIN, on_signal, &d);
	if (loop_add(d.loop, STDIN_FILENO, EPOLLIN, on_stdin, &d) < 0)
		log_debug("stdin is not pollable, no commands");
	r = out_sse_new(&(struct rtmon_sse_opts){ .listen_fd = -1, .conf = &conf, .loop = d.loop, .metrics = metrics,
						  .health = health, .ctx = &d },
			&d.sink);
	if (r < 0)
		fatalx("out_sse_new: %s", strerror(-r));
	printf("PORT %d\n", out_sse_port(d.sink));

	next_tick = next_emit = loop_now_ms();
	while (!d.stop) {
		uint64_t now = loop_now_ms();

		while (alerts && now >= next_emit) {
			emit_one(&d, d.pad);
			alerts--;
			next_emit += interval;
			if (interval)
				break;
		}
		if (now >= next_tick) {
			d.sink->ops->tick(d.sink, now);
			next_tick = now + 100;
		}
		r = loop_run_once(d.loop, 20);
		if (r < 0 && r != -EINTR)
			fatalx("loop: %s", strerror(-r));
	}
	d.sink->ops->flush(d.sink, 500);
	d.sink->ops->free(d.sink);
	loop_free(d.loop);
	close(sfd);
	return 0;
}
