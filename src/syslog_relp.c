/* SPDX-License-Identifier: MIT */
/* syslog_relp.c - see syslog_relp.h. The only thread in rtmon's outputs (RELP only). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, getaddrinfo_a, pthread_timedjoin_np */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <librelp.h>

#include "log.h"
#include "syslog_relp.h"

#define RELP_TIMEOUT_S 5 /* librelp's wait for acknowledgments / window */
#define RELP_BACKOFF_MIN_MS 100
#define RELP_BACKOFF_MAX_MS 30000

struct relp_worker {
	pthread_t thread;
	struct relp_shared *sh;
	char *url, *host;
	char port[8];
	relpEngine_t *eng;
	relpClt_t *clt;
	bool session; /* relpCltConnect() succeeded once: reconnect keeps its window */
	unsigned fails;
	char err[256]; /* librelp's last error text, for our log line */
};

/* librelp reports details through callbacks; keep the last one for the failure's log line. */
static void relp_on_err(void *usr, char *objinfo, char *errmsg, relpRetVal code)
{
	struct relp_worker *w = usr;

	if (w)
		snprintf(w->err, sizeof(w->err), "%s (%s, code %d)", errmsg ? errmsg : "error", objinfo ? objinfo : "-",
			 (int)code);
}

static void relp_on_generic_err(char *objinfo, char *errmsg, relpRetVal code)
{
	log_debug("librelp: %s: %s (code %d)", objinfo ? objinfo : "-", errmsg ? errmsg : "-", (int)code);
}

/* librelp calls its debug printer unconditionally: it must be set */
static void relp_dbgprint(char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void relp_dbgprint(char *fmt, ...)
{
	(void)fmt;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void cond_wait_ms(struct relp_shared *sh, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&sh->cv, &sh->mu, &ts);
}

/* Called without the lock. 0 when the session is usable. */
static int relp_connect(struct relp_worker *w)
{
	relpRetVal r;

	w->err[0] = '\0';
	if (w->session)
		return relpCltReconnect(w->clt) == RELP_RET_OK ? 0 : -ECONNREFUSED;
	if (!w->clt) {
		if (relpEngineCltConstruct(w->eng, &w->clt) != RELP_RET_OK)
			return -ENOMEM;
		relpCltSetUsrPtr(w->clt, w);
		relpCltSetTimeout(w->clt, RELP_TIMEOUT_S);
		relpCltSetConnTimeout(w->clt, RELP_TIMEOUT_S); /* a black-holed relay must not hold a stop */
	}
	r = relpCltConnect(w->clt, AF_UNSPEC, (unsigned char *)w->port, (unsigned char *)w->host);
	if (r == RELP_RET_OK) {
		w->session = true;
		return 0;
	}
	/* nothing was sent on it: a fresh client next time */
	relpEngineCltDestruct(w->eng, &w->clt);
	w->clt = NULL;
	return -ECONNREFUSED;
}

static void relp_connect_failed(struct relp_worker *w, unsigned *backoff)
{
	struct relp_shared *sh = w->sh;
	unsigned delay = *backoff / 2 + (unsigned)rand() % (*backoff / 2 + 1);

	sh->connected = false;
	if (w->fails++ == 0)
		log_warnx("%s: RELP connection failed%s%s; retrying with backoff, alerts stay queued", w->url,
			  w->err[0] ? ": " : "", w->err);
	*backoff = *backoff * 2 > RELP_BACKOFF_MAX_MS ? RELP_BACKOFF_MAX_MS : *backoff * 2;
	/* new alerts wake the cv: sleep out the whole delay unless stopping */
	for (uint64_t end = now_ms() + delay, t; !sh->stop && (t = now_ms()) < end;)
		cond_wait_ms(sh, (unsigned)(end - t));
}

static void *relp_main(void *arg)
{
	struct relp_worker *w = arg;
	struct relp_shared *sh = w->sh;
	unsigned backoff = RELP_BACKOFF_MIN_MS;
	bool up = false, was_up = false;

	pthread_mutex_lock(&sh->mu);
	while (!sh->stop) {
		struct squeue_msg *m;
		unsigned char *data;
		size_t len;
		relpRetVal r;

		if (!up) {
			pthread_mutex_unlock(&sh->mu);
			up = relp_connect(w) == 0;
			pthread_mutex_lock(&sh->mu);
			if (!up) {
				relp_connect_failed(w, &backoff);
				continue;
			}
			if (w->fails)
				log_info("%s: RELP connected after %u failed attempts", w->url, w->fails);
			if (was_up)
				sh->reconnects++;
			was_up = true;
			w->fails = 0;
			backoff = RELP_BACKOFF_MIN_MS;
			sh->connected = true;
		}
		m = squeue_next(sh->q);
		if (!m) {
			cond_wait_ms(sh, 200);
			continue;
		}
		/* the entry stays in the queue (and owned by it) until librelp took it;
		 * the loop thread never frees an entry that is not acknowledged */
		data = (unsigned char *)m->data;
		len = m->len;
		squeue_mark_sent(sh->q, 0);
		pthread_mutex_unlock(&sh->mu);
		w->err[0] = '\0';
		r = relpCltSendSyslog(w->clt, data, len);
		pthread_mutex_lock(&sh->mu);
		if (r == RELP_RET_OK) {
			squeue_release(sh->q, 1);
			sh->sent++;
			pthread_cond_broadcast(&sh->cv);
			continue;
		}
		squeue_rewind(sh->q);
		up = false;
		sh->connected = false;
		log_warnx("%s: RELP send failed (code %d)%s%s; reconnecting", w->url, (int)r, w->err[0] ? ": " : "",
			  w->err);
	}
	sh->connected = false;
	pthread_mutex_unlock(&sh->mu);
	/* closes the session: librelp sends "close" and waits for the server's answer,
	 * which comes after the acknowledgments of everything sent before it */
	if (w->clt)
		relpEngineCltDestruct(w->eng, &w->clt);
	return NULL;
}

int relp_shared_init(struct relp_shared *sh, struct squeue *q)
{
	pthread_condattr_t ca;
	int r;

	memset(sh, 0, sizeof(*sh));
	sh->q = q;
	r = pthread_mutex_init(&sh->mu, NULL);
	if (r)
		return -r;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	r = pthread_cond_init(&sh->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (r) {
		pthread_mutex_destroy(&sh->mu);
		return -r;
	}
	return 0;
}

void relp_shared_fini(struct relp_shared *sh)
{
	pthread_cond_destroy(&sh->cv);
	pthread_mutex_destroy(&sh->mu);
}

static void worker_free(struct relp_worker *w)
{
	if (!w)
		return;
	if (w->eng)
		relpEngineDestruct(&w->eng);
	free(w->url);
	free(w->host);
	free(w);
}

int relp_worker_start(const struct rtmon_syslog_conf *c, struct relp_shared *sh, struct relp_worker **ret)
{
	struct relp_worker *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	w->sh = sh;
	w->url = strdup(c->url ? c->url : "relp://");
	w->host = strdup(c->host ? c->host : "");
	snprintf(w->port, sizeof(w->port), "%u", (unsigned)c->port);
	if (!w->url || !w->host || relpEngineConstruct(&w->eng) != RELP_RET_OK) {
		r = -ENOMEM;
		goto fail;
	}
	relpEngineSetDbgprint(w->eng, relp_dbgprint);
	relpEngineSetDnsLookupMode(w->eng, 0);
	relpEngineSetEnableCmd(w->eng, (unsigned char *)"syslog", eRelpCmdState_Required);
	relpEngineSetOnErr(w->eng, relp_on_err);
	relpEngineSetOnGenericErr(w->eng, relp_on_generic_err);
	relpEngineSetShutdownImmdtPtr(w->eng, &sh->shutdown_now);
	r = -pthread_create(&w->thread, NULL, relp_main, w);
	if (r < 0)
		goto fail;
	*ret = w;
	return 0;
fail:
	worker_free(w);
	return r;
}

struct relp_worker *relp_worker_stop(struct relp_worker *w, int timeout_ms)
{
	struct relp_shared *sh;
	struct timespec deadline;

	if (!w)
		return NULL;
	sh = w->sh;
	clock_gettime(CLOCK_REALTIME, &deadline); /* pthread_timedjoin_np takes CLOCK_REALTIME */
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&sh->mu);
	while (squeue_len(sh->q) > 0 && sh->connected) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
			break;
		pthread_mutex_unlock(&sh->mu);
		/* the cv waits on CLOCK_MONOTONIC: poll in short steps instead of converting */
		nanosleep(&(struct timespec){ .tv_nsec = 20000000L }, NULL);
		pthread_mutex_lock(&sh->mu);
	}
	sh->stop = true;
	pthread_cond_broadcast(&sh->cv);
	pthread_mutex_unlock(&sh->mu);
	if (pthread_timedjoin_np(w->thread, NULL, &deadline) != 0) {
		__atomic_store_n(&sh->shutdown_now, 1, __ATOMIC_SEQ_CST);
		pthread_join(w->thread, NULL);
	}
	worker_free(w);
	return NULL;
}
