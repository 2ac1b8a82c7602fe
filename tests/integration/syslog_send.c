/* SPDX-License-Identifier: MIT */
/*
 * syslog_send - drives the real syslog sink (out_syslog.c + the real event
 * loop) with constructed alerts, for the rsyslog integration tests.
 *
 *   syslog_send -u URL [-u URL]... [-n COUNT] [-r PER_SECOND] [-R RULE]
 *               [--ca FILE] [--cert FILE] [--key FILE] [--server-name NAME]
 *               [--no-verify] [--spool DIR] [--queue N] [--udp-max N] [--bom]
 *               [--flush-ms N] [--reload-ca FILE] [--exe PATH] [--metrics FILE] [--run-ms N]
 *               [--spool-max BYTES]
 *
 * Alert i (1..COUNT) has id "T-<i>", event pid 100000+i, ppid 1, uid 1000,
 * MSG {"kind":"alert","id":"T-<i>","rule_id":RULE,"event":{"pid":100000+i}}.
 * SIGHUP: ca_file := the --reload-ca FILE, then reconfigure() every sink (as
 * the daemon does on a reload). After COUNT alerts and at least --run-ms of
 * running: flush(--flush-ms), metrics to
 * --metrics FILE (grouped, out_syslog_metrics_all) or stdout (each sink's
 * metrics()), exit 0.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "loop.h"
#include "out_syslog.h"

#define MAX_DEST 8

static volatile sig_atomic_t got_hup;

static void on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static int parse_url(const char *url, struct rtmon_syslog_conf *c)
{
	static const struct { const char *scheme; enum rtmon_syslog_proto p; } t[] = {
		{ "udp://", RTMON_SYSLOG_UDP }, { "tcp://", RTMON_SYSLOG_TCP },
		{ "tls://", RTMON_SYSLOG_TLS }, { "relp://", RTMON_SYSLOG_RELP },
	};
	const char *p = NULL, *colon;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strncmp(url, t[i].scheme, strlen(t[i].scheme)) == 0) {
			p = url + strlen(t[i].scheme);
			c->proto = t[i].p;
			break;
		}
	colon = p ? strrchr(p, ':') : NULL;
	if (!colon)
		return -EINVAL;
	c->url = strdup(url);
	c->host = strndup(p, (size_t)(colon - p));
	c->port = (uint16_t)atoi(colon + 1);
	return c->url && c->host && c->port ? 0 : -EINVAL;
}

static void make_alert(struct rtmon_alert *a, struct rtmon_event *ev, const char *rule, const char *exe,
		       unsigned i, char *json, size_t jsz)
{
	struct timespec ts;

	memset(a, 0, sizeof(*a));
	memset(ev, 0, sizeof(*ev));
	ev->type = RTMON_EV_EXEC;
	ev->pid = 100000 + i;
	ev->ppid = 1;
	ev->uid = 1000;
	ev->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_EXE;
	snprintf(ev->exe, sizeof(ev->exe), "%s", exe);
	snprintf(a->id, sizeof(a->id), "T-%u", i);
	a->seq = i;
	a->rule_id = rule;
	a->severity = RTMON_SEV_HIGH;
	a->risk_score = 70;
	clock_gettime(CLOCK_REALTIME, &ts);
	a->time_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	a->event = ev;
	snprintf(a->addr, sizeof(a->addr), "127.0.0.1:4444");
	snprintf(json, jsz, "{\"kind\":\"alert\",\"id\":\"T-%u\",\"rule_id\":\"%s\",\"event\":{\"pid\":%u}}", i,
		 rule, 100000 + i);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ca", 1, NULL, 'C' }, { "cert", 1, NULL, 'E' }, { "key", 1, NULL, 'K' },
		{ "server-name", 1, NULL, 'S' }, { "no-verify", 0, NULL, 'V' }, { "spool", 1, NULL, 'P' },
		{ "queue", 1, NULL, 'Q' }, { "udp-max", 1, NULL, 'U' }, { "bom", 0, NULL, 'B' },
		{ "flush-ms", 1, NULL, 'F' }, { "reload-ca", 1, NULL, 'L' }, { "exe", 1, NULL, 'X' },
		{ "metrics", 1, NULL, 'M' }, { "run-ms", 1, NULL, 'T' }, { "spool-max", 1, NULL, 'Z' }, { NULL, 0, NULL, 0 },
	};
	struct rtmon_syslog_conf conf[MAX_DEST];
	struct rtmon_sink *sinks[MAX_DEST];
	static struct rtmon_event ev;
	struct rtmon_alert a;
	struct rtmon_loop *loop = NULL;
	const char *rule = "suspicious_exec", *reload_ca = NULL, *exe = "/tmp/x", *metrics = NULL;
	const char *ca = "", *cert = "", *key = "", *sname = "", *spool = "";
	unsigned n = 10, rate = 100, queue = 10000, udp_max = 2048, sent = 0;
	int nd = 0, flush_ms = 10000, run_ms = 0, opt, r, d;
	bool verify = true, bom = false;
	const char *urls[MAX_DEST];
	uint64_t start, next_tick = 0, spool_max = 1 << 20;
	char json[512];
	FILE *mout = stdout;

	while ((opt = getopt_long(argc, argv, "u:n:r:R:", lo, NULL)) != -1) {
		switch (opt) {
		case 'u': if (nd < MAX_DEST) urls[nd++] = optarg; break;
		case 'n': n = (unsigned)atoi(optarg); break;
		case 'r': rate = (unsigned)atoi(optarg); break;
		case 'R': rule = optarg; break;
		case 'C': ca = optarg; break;
		case 'E': cert = optarg; break;
		case 'K': key = optarg; break;
		case 'S': sname = optarg; break;
		case 'V': verify = false; break;
		case 'P': spool = optarg; break;
		case 'Q': queue = (unsigned)atoi(optarg); break;
		case 'U': udp_max = (unsigned)atoi(optarg); break;
		case 'B': bom = true; break;
		case 'F': flush_ms = atoi(optarg); break;
		case 'L': reload_ca = optarg; break;
		case 'X': exe = optarg; break;
		case 'M': metrics = optarg; break;
		case 'T': run_ms = atoi(optarg); break;
		case 'Z': spool_max = strtoull(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	if (nd == 0 || rate == 0) {
		fprintf(stderr, "usage: syslog_send -u URL [options]\n");
		return 2;
	}
	log_init(RTMON_LOG_STDERR, getenv("SYSLOG_SEND_DEBUG") ? 1 : 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, on_hup);
	if ((r = loop_new(&loop)) < 0)
		fatalx("loop_new: %s", strerror(-r));
	for (d = 0; d < nd; d++) {
		struct rtmon_syslog_conf *c = &conf[d];

		memset(c, 0, sizeof(*c));
		if (parse_url(urls[d], c) < 0)
			fatalx("bad url %s", urls[d]);
		c->facility = 4;
		c->ca_file = (char *)ca;
		c->cert_file = (char *)cert;
		c->key_file = (char *)key;
		c->tls_server_name = (char *)sname;
		c->tls_verify_hostname = verify;
		c->pen = 32473;
		c->bom = bom;
		c->udp_max = udp_max;
		c->queue_max = queue;
		c->spool_dir = (char *)spool;
		c->spool_max_bytes = spool_max;
		r = out_syslog_new(&(struct rtmon_syslog_opts){ .conf = c, .loop = loop, .hostname = "testhost" },
				   &sinks[d]);
		if (r < 0)
			fatalx("out_syslog_new %s: %s", urls[d], strerror(-r));
	}
	start = loop_now_ms();
	while (sent < n || loop_now_ms() - start < (uint64_t)run_ms) {
		uint64_t now = loop_now_ms();

		if (got_hup) {
			got_hup = 0;
			for (d = 0; d < nd; d++) {
				if (reload_ca)
					conf[d].ca_file = (char *)reload_ca;
				r = sinks[d]->ops->reconfigure(sinks[d], &conf[d]);
				log_info("reloaded %s: %d", urls[d], r);
			}
		}
		while (sent < n && (now - start) * rate >= (uint64_t)sent * 1000u) {
			make_alert(&a, &ev, rule, exe, sent + 1, json, sizeof(json));
			for (d = 0; d < nd; d++)
				sinks[d]->ops->emit(sinks[d], &a, json);
			sent++;
		}
		if (now >= next_tick) {
			for (d = 0; d < nd; d++)
				sinks[d]->ops->tick(sinks[d], now);
			next_tick = now + 100;
		}
		loop_run_once(loop, 10);
	}
	for (d = 0; d < nd; d++)
		sinks[d]->ops->flush(sinks[d], flush_ms);
	if (metrics && !(mout = fopen(metrics, "w")))
		fatal("%s", metrics);
	if (metrics)   /* grouped, with HELP/TYPE, as the daemon's /metrics shows them */
		out_syslog_metrics_all(sinks, (size_t)nd, mout);
	for (d = 0; d < nd; d++) {
		if (!metrics)
			sinks[d]->ops->metrics(sinks[d], mout);
		sinks[d]->ops->free(sinks[d]);
		free(conf[d].url);
		free(conf[d].host);
	}
	if (mout != stdout)
		fclose(mout);
	loop_free(loop);
	return 0;
}
