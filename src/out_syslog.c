/* SPDX-License-Identifier: MIT */
/*
 * out_syslog.c - the syslog sink: one per destination URL (see out_syslog.h).
 *
 * emit() formats the alert (fmt_rfc5424.c) and appends it to a bounded queue
 * (syslog_queue.c); past the queue's cap, to the optional on-disk spool
 * (syslog_spool.c), which refills the queue as it drains; past both caps the
 * alert is dropped, counted and logged once per episode.  UDP, TCP and TLS
 * run on the event loop through syslog_transport.c, never waiting on the
 * network; RELP runs in a worker thread (syslog_relp.c, the reason is there).
 *
 * Stream delivery (TCP, TLS): syslog over TCP has no acknowledgments, so a
 * message written to the socket is kept until the peer's TCP stack has
 * acknowledged its last byte (SIOCOUTQ) and a linger of ACK_LINGER_MS has
 * passed.  We always watch the read side, so a peer's close is seen at once.
 * On an orderly close (FIN) what the peer acknowledged has been read by the
 * receiving process (one that closes with unread data sends a reset instead),
 * so only the unacknowledged rest is sent again on the next connection; on a
 * reset, a timeout or any other failure every message still kept is sent
 * again.  A relay that restarts may so receive a message twice but loses
 * none; the SD parameter id (the alert id) identifies duplicates.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, getaddrinfo_a, pthread_timedjoin_np */
#endif
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "fmt_rfc5424.h"
#include "log.h"
#include "out_syslog.h"
#include "sbuf.h"
#include "syslog_queue.h"
#include "syslog_relp.h"
#include "syslog_spool.h"
#include "syslog_transport.h"

#define BACKOFF_MIN_MS 100u
#define BACKOFF_MAX_MS 30000u
#define BACKOFF_RESET_MS 5000u	  /* a connection that lived this long resets the backoff */
#define CONNECT_TIMEOUT_MS 10000u /* resolve + connect + TLS handshake */
#define ACK_LINGER_MS 2000u
#define QUEUE_DEFAULT 10000u
#define SPOOL_DEFAULT_BYTES (64ull << 20)

struct syslog_sink {
	struct rtmon_sink base;
	struct rtmon_loop *loop;
	struct rtmon_syslog_conf c; /* own copy */
	char *hostname, *state_dir;
	uint32_t procid;

	struct squeue q;	 /* under relp.mu (only contended with RELP) */
	struct relp_shared relp; /* its lock guards q, spool and the counters for every proto */
	struct relp_worker *relp_worker;
	struct syslog_spool *spool;

	struct strans t; /* UDP, TCP, TLS */
	int watched_fd;
	uint32_t watched_events;
	size_t woff; /* bytes of the next entry already written */
	uint64_t attempt_ms, up_ms, next_try_ms;
	unsigned backoff_ms, fails;
	bool ever_up;

	uint64_t sent, dropped, reconnects, dropped_episode;
	bool dropping;
	uint32_t rng;
	/* the alert's message and its frame, reused from one alert to the next (emit: main thread only) */
	struct rtmon_sbuf msg, scratch, frame;
};

static const struct rtmon_sink_ops syslog_ops;

static uint32_t rng_next(struct syslog_sink *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return s->rng;
}

static bool is_stream(const struct syslog_sink *s)
{
	return s->c.proto == RTMON_SYSLOG_TCP || s->c.proto == RTMON_SYSLOG_TLS;
}

/* ---- configuration copy ---- */

static void conf_release(struct rtmon_syslog_conf *c)
{
	free(c->url);
	free(c->host);
	free(c->ca_file);
	free(c->cert_file);
	free(c->key_file);
	free(c->tls_server_name);
	free(c->spool_dir);
	memset(c, 0, sizeof(*c));
}

static int conf_copy(struct rtmon_syslog_conf *dst, const struct rtmon_syslog_conf *src)
{
	*dst = *src;
	dst->url = strdup(src->url ? src->url : "");
	dst->host = strdup(src->host ? src->host : "");
	dst->ca_file = strdup(src->ca_file ? src->ca_file : "");
	dst->cert_file = strdup(src->cert_file ? src->cert_file : "");
	dst->key_file = strdup(src->key_file ? src->key_file : "");
	dst->tls_server_name = strdup(src->tls_server_name ? src->tls_server_name : "");
	dst->spool_dir = strdup(src->spool_dir ? src->spool_dir : "");
	if (!dst->url || !dst->host || !dst->ca_file || !dst->cert_file || !dst->key_file || !dst->tls_server_name ||
	    !dst->spool_dir) {
		conf_release(dst);
		return -ENOMEM;
	}
	if (dst->queue_max == 0)
		dst->queue_max = QUEUE_DEFAULT;
	if (dst->spool_max_bytes == 0)
		dst->spool_max_bytes = SPOOL_DEFAULT_BYTES;
	return 0;
}

static bool str_differ(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

static bool tls_conf_differs(const struct rtmon_syslog_conf *a, const struct rtmon_syslog_conf *b)
{
	return str_differ(a->ca_file, b->ca_file) || str_differ(a->cert_file, b->cert_file) ||
	       str_differ(a->key_file, b->key_file) || str_differ(a->tls_server_name, b->tls_server_name) ||
	       a->tls_verify_hostname != b->tls_verify_hostname;
}

/* ---- spool ---- */

static void spool_reopen(struct syslog_sink *s)
{
	char name[200], *dir = NULL;
	size_t i, n = 0;
	int r;

	s->spool = spool_close(s->spool);
	if (!s->c.spool_dir[0])
		return;
	/* "tcp://127.0.0.1:6514" -> "tcp_127.0.0.1_6514.spool" */
	for (i = 0; s->c.url[i] && n + 7 < sizeof(name); i++) {
		char ch = s->c.url[i];

		if (ch == ':' && s->c.url[i + 1] == '/' && s->c.url[i + 2] == '/')
			i += 2;
		name[n++] = (ch == '.' || ch == '-' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
			     (ch >= 'A' && ch <= 'Z')) ?
				    ch :
				    '_';
	}
	snprintf(name + n, sizeof(name) - n, ".spool");
	if (s->c.spool_dir[0] != '/' && s->state_dir && s->state_dir[0]) {
		if (asprintf(&dir, "%s/%s", s->state_dir, s->c.spool_dir) < 0)
			dir = NULL;
	} else {
		dir = strdup(s->c.spool_dir);
	}
	r = dir ? spool_open(dir, name, s->c.spool_max_bytes, &s->spool) : -ENOMEM;
	if (r == -EBUSY)
		log_warnx("%s: the spool %s/%s is in use by another rtmon, continuing without it", s->c.url,
			  dir ? dir : "?", name);
	else if (r < 0)
		log_errno(r, "%s: cannot open the spool %s/%s, continuing without it", s->c.url, dir ? dir : "?", name);
	else if (spool_count(s->spool) > 0)
		log_info("%s: %llu alerts in the spool %s from an earlier run will be sent", s->c.url,
			 (unsigned long long)spool_count(s->spool), spool_path(s->spool));
	free(dir);
}

/* Moves spooled records into the queue while it has room. Under the lock. */
static void spool_refill(struct syslog_sink *s)
{
	while (s->spool && spool_count(s->spool) > 0 && squeue_len(&s->q) < s->q.cap) {
		char *data = NULL;
		size_t len = 0;
		int r = spool_peek(s->spool, &data, &len);

		if (r <= 0 || squeue_push(&s->q, data, len) < 0) {
			free(data);
			if (r < 0) {
				log_errno(r, "%s: spool %s unreadable, discarding it", s->c.url, spool_path(s->spool));
				s->spool = spool_close(s->spool);
			}
			return;
		}
		r = spool_consume(s->spool);
		if (r < 0) {
			log_errno(r, "%s: spool %s: cannot advance, closing it", s->c.url, spool_path(s->spool));
			s->spool = spool_close(s->spool);
			return;
		}
	}
}

/* ---- queueing and drops ---- */

static void count_drop(struct syslog_sink *s, const char *why)
{
	s->dropped++;
	s->dropped_episode++;
	if (!s->dropping) {
		s->dropping = true;
		log_warnx("%s: %s: dropping alerts until the destination catches up", s->c.url, why);
	}
}

static void end_drop_episode(struct syslog_sink *s)
{
	if (!s->dropping)
		return;
	log_warnx("%s: delivery resumed; %llu alerts were dropped", s->c.url, (unsigned long long)s->dropped_episode);
	s->dropping = false;
	s->dropped_episode = 0;
}

/* Queues a copy of data (the queue reuses its buffers), or spools it. Under the lock. */
static void enqueue(struct syslog_sink *s, const char *data, size_t len)
{
	int r = -ENOBUFS;

	if (!s->spool || spool_count(s->spool) == 0) /* behind spooled alerts, keep the order */
		r = squeue_push_copy(&s->q, data, len);
	if (r >= 0) {
		s->sent += (unsigned)r; /* an acknowledged entry made room */
		end_drop_episode(s);
		return;
	}
	if (s->spool) {
		r = spool_append(s->spool, data, len);
		if (r == 0) {
			end_drop_episode(s);
			return;
		}
		if (r == -ENOSPC)
			count_drop(s, "queue and spool full");
		else
			count_drop(s, "queue full and the spool cannot be written");
		return;
	}
	count_drop(s, r == -ENOMEM ? "out of memory" : "queue full (no spool configured)");
}

/* ---- the connection (UDP, TCP, TLS) ---- */

static void on_fd(void *ctx, int fd, uint32_t events);

/* Keeps the loop's watch in line with the connection's state. */
static void watch(struct syslog_sink *s)
{
	uint32_t want = strans_want(&s->t, squeue_pending(&s->q) > 0);
	int r = 0;

	if (s->watched_fd >= 0 && s->watched_fd != s->t.fd) {
		loop_del(s->loop, s->watched_fd);
		s->watched_fd = -1;
	}
	if (s->t.fd < 0 || !s->loop)
		return;
	if (s->watched_fd < 0) {
		r = loop_add(s->loop, s->t.fd, want, on_fd, s);
		if (r == 0)
			s->watched_fd = s->t.fd;
	} else if (want != s->watched_events) {
		r = loop_mod(s->loop, s->t.fd, want);
	}
	if (r < 0)
		log_errno(r, "%s: cannot watch the connection", s->c.url);
	else
		s->watched_events = want;
}

static void unwatch(struct syslog_sink *s)
{
	if (s->watched_fd >= 0 && s->loop)
		loop_del(s->loop, s->watched_fd);
	s->watched_fd = -1;
	s->watched_events = 0;
}

/* The connection failed or closed: everything unsure goes back to pending; retry later. */
static void conn_failed(struct syslog_sink *s, uint64_t now, const char *what)
{
	size_t unsure;
	unsigned delay;

	unwatch(s);
	strans_close(&s->t);
	unsure = squeue_rewind(&s->q);
	s->woff = 0;
	if (s->up_ms && now - s->up_ms >= BACKOFF_RESET_MS)
		s->backoff_ms = BACKOFF_MIN_MS;
	s->up_ms = 0;
	/* jitter: 50-100 % of the backoff, so that many rtmons do not reconnect in step */
	delay = s->backoff_ms / 2 + rng_next(s) % (s->backoff_ms / 2 + 1);
	s->next_try_ms = now + delay;
	if (s->fails++ == 0)
		log_warnx("%s: %s; retrying with backoff (up to %u s), %zu alerts queued (%zu to send again)", s->c.url,
			  what, BACKOFF_MAX_MS / 1000, squeue_len(&s->q), unsure);
	else
		log_debug("%s: %s; next attempt in %u ms", s->c.url, what, delay);
	s->backoff_ms = s->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : s->backoff_ms * 2;
}

static void conn_up(struct syslog_sink *s, uint64_t now)
{
	if (s->fails)
		log_info("%s: connected after %u failed attempts", s->c.url, s->fails);
	if (s->ever_up)
		s->reconnects++;
	s->ever_up = true;
	s->fails = 0;
	s->up_ms = now;
	s->woff = 0;
}

/* Writes what is pending until the socket would block. */
static void pump(struct syslog_sink *s, uint64_t now)
{
	struct squeue_msg *m;
	ssize_t r;

	while (s->t.state == STRANS_UP && (m = squeue_next(&s->q))) {
		r = strans_send(&s->t, m->data + s->woff, m->len - s->woff);
		if (r == -ECONNREFUSED && s->c.proto == RTMON_SYSLOG_UDP)
			/* an ICMP error for an earlier datagram: this one was not sent yet */
			r = strans_send(&s->t, m->data + s->woff, m->len - s->woff);
		if (r == -EAGAIN)
			break;
		if (r < 0) {
			conn_failed(s, now, s->t.err);
			return;
		}
		s->woff += (size_t)r;
		if (s->woff < m->len)
			continue;
		s->woff = 0;
		squeue_mark_sent(&s->q, s->t.wire);
		if (!is_stream(s)) { /* a datagram is gone once sent */
			squeue_release(&s->q, 1);
			s->sent++;
		}
	}
}

/* Stream: release what the peer acknowledged long enough ago. */
static void collect_acks(struct syslog_sink *s, uint64_t now, uint64_t linger)
{
	uint64_t acked;

	if (!is_stream(s) || s->t.state != STRANS_UP || strans_acked(&s->t, &acked) < 0)
		return;
	s->sent += squeue_ack(&s->q, acked, now, linger);
}

static void try_connect(struct syslog_sink *s, uint64_t now)
{
	int r;

	s->attempt_ms = now;
	r = strans_start(&s->t, &s->c);
	if (r < 0)
		conn_failed(s, now, s->t.err);
	else if (r == 1)
		conn_up(s, now);
}

static void progress(struct syslog_sink *s, uint64_t now)
{
	int r = strans_progress(&s->t, &s->c);

	if (r < 0)
		conn_failed(s, now, s->t.err);
	else if (r == 1)
		conn_up(s, now);
}

/* Under the lock: one readiness report of the connection's fd. */
static void handle_fd(struct syslog_sink *s, uint32_t events)
{
	uint64_t now = loop_now_ms();
	int r;

	if (s->t.state != STRANS_UP) {
		progress(s, now);
	} else if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		/* the peer never sends: readable means it closed (or reset) */
		collect_acks(s, now, ACK_LINGER_MS);
		r = strans_drain_input(&s->t);
		if (r == -EPIPE) {
			/*
			 * An orderly close (FIN): a peer that closes with unread data sends a
			 * reset instead, and data arriving after its close is reset too,
			 * never acknowledged. So everything acknowledged now was read by
			 * the receiver: release it, send the rest again.
			 */
			collect_acks(s, now, 0);
		}
		if (r < 0)
			conn_failed(s, now, s->t.err);
	}
	pump(s, now);
	watch(s);
}

static void on_fd(void *ctx, int fd, uint32_t events)
{
	struct syslog_sink *s = ctx;

	(void)fd;
	pthread_mutex_lock(&s->relp.mu);
	handle_fd(s, events);
	pthread_mutex_unlock(&s->relp.mu);
}

/* ---- sink operations ---- */

static void syslog_emit(struct rtmon_sink *base, const struct rtmon_alert *a, const char *json)
{
	struct syslog_sink *s = (struct syslog_sink *)base;
	struct rfc5424_opts o = {
		.facility = s->c.facility,
		.pen = s->c.pen,
		.bom = s->c.bom,
		.hostname = s->hostname,
		.procid = s->procid,
		.max_len = s->c.proto == RTMON_SYSLOG_UDP ? s->c.udp_max : 0,
	};
	const struct rtmon_sbuf *out = &s->msg;
	int r;

	r = rfc5424_format_buf(&o, a, json, &s->msg, &s->scratch, NULL);
	if (r == 0 && is_stream(s)) {
		/* RFC6587 octet counting: "LEN SP MSG" */
		sbuf_reset(&s->frame);
		sbuf_printf(&s->frame, "%zu ", s->msg.len);
		sbuf_put(&s->frame, s->msg.p, s->msg.len);
		r = s->frame.err;
		out = &s->frame;
	}
	pthread_mutex_lock(&s->relp.mu);
	if (r < 0) {
		count_drop(s, r == -EMSGSIZE ? "an alert's header and structured data exceed udp_max" :
					       "an alert could not be formatted");
		goto out;
	}
	enqueue(s, out->p, out->len);
	if (s->c.proto == RTMON_SYSLOG_RELP) {
		pthread_cond_broadcast(&s->relp.cv);
	} else {
		pump(s, loop_now_ms());
		watch(s);
	}
out:
	pthread_mutex_unlock(&s->relp.mu);
}

/* Under the lock: connection upkeep for UDP, TCP, TLS. */
static void upkeep(struct syslog_sink *s, uint64_t now)
{
	switch (s->t.state) {
	case STRANS_IDLE:
		if (now >= s->next_try_ms)
			try_connect(s, now);
		break;
	case STRANS_RESOLVING:
	case STRANS_CONNECTING:
	case STRANS_HANDSHAKE:
		if (now - s->attempt_ms >= CONNECT_TIMEOUT_MS)
			conn_failed(s, now,
				    s->t.state == STRANS_HANDSHAKE ? "TLS handshake timed out" : "connect timed out");
		else if (s->t.state == STRANS_RESOLVING)
			progress(s, now);
		break;
	case STRANS_UP:
		collect_acks(s, now, ACK_LINGER_MS);
		break;
	}
	spool_refill(s);
	pump(s, now);
	watch(s);
}

static void syslog_tick(struct rtmon_sink *base, uint64_t now)
{
	struct syslog_sink *s = (struct syslog_sink *)base;

	pthread_mutex_lock(&s->relp.mu);
	spool_refill(s);
	if (s->c.proto == RTMON_SYSLOG_RELP) {
		if (squeue_pending(&s->q) > 0)
			pthread_cond_broadcast(&s->relp.cv);
	} else {
		upkeep(s, now);
	}
	pthread_mutex_unlock(&s->relp.mu);
}

/* Under the lock: whatever is still queued at the end goes to the spool, or is counted as lost. */
static void save_leftovers(struct syslog_sink *s)
{
	size_t i, n = squeue_len(&s->q), lost = 0;

	for (i = 0; i < n; i++) {
		struct squeue_msg *m = squeue_at(&s->q, i);

		if (!s->spool || spool_append(s->spool, m->data, m->len) < 0)
			lost++;
	}
	squeue_release(&s->q, n);
	if (n > lost)
		log_info("%s: %zu undelivered alerts saved to %s for the next start", s->c.url, n - lost,
			 spool_path(s->spool));
	if (lost) {
		s->dropped += lost;
		log_warnx("%s: %zu alerts could not be delivered before the stop and are lost", s->c.url, lost);
	}
}

/* Under the lock: true when nothing is left to deliver (stream: every byte acknowledged). */
static bool flushed(struct syslog_sink *s)
{
	uint64_t acked;

	if (s->spool && spool_count(s->spool) > 0)
		return false;
	if (squeue_len(&s->q) == 0)
		return true;
	if (!is_stream(s) || squeue_pending(&s->q) > 0 || s->t.state != STRANS_UP)
		return false;
	if (strans_acked(&s->t, &acked) < 0 || acked < s->t.wire)
		return false;
	s->sent += squeue_release(&s->q, s->q.nsent);
	return true;
}

static void flush_net(struct syslog_sink *s, int timeout_ms)
{
	uint64_t deadline = loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		uint64_t now = loop_now_ms();
		struct pollfd p = { .fd = -1 };
		bool done;

		pthread_mutex_lock(&s->relp.mu);
		spool_refill(s);
		done = flushed(s);
		if (!done && now < deadline) {
			if (s->t.state == STRANS_IDLE && s->next_try_ms > now + 200)
				s->next_try_ms = now + 200; /* no long backoff while stopping */
			upkeep(s, now);
			p.fd = s->t.fd;
			p.events = (short)strans_want(&s->t, squeue_pending(&s->q) > 0);
		}
		pthread_mutex_unlock(&s->relp.mu);
		if (done || now >= deadline)
			break;
		if (p.fd >= 0 && p.events) {
			if (poll(&p, 1, (int)(deadline - now < 50 ? deadline - now : 50)) > 0)
				on_fd(s, p.fd, (uint32_t)p.revents);
		} else {
			nanosleep(&(struct timespec){ .tv_nsec = 20000000L }, NULL);
		}
	}
}

static void flush_relp(struct syslog_sink *s, int timeout_ms)
{
	uint64_t deadline = loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	bool more;

	/* hand everything to librelp; then closing the session waits for its acknowledgments */
	for (;;) {
		pthread_mutex_lock(&s->relp.mu);
		spool_refill(s);
		more = squeue_len(&s->q) > 0 || (s->spool && spool_count(s->spool) > 0);
		pthread_cond_broadcast(&s->relp.cv);
		pthread_mutex_unlock(&s->relp.mu);
		if (!more || loop_now_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 20000000L }, NULL);
	}
	/* what is left of the time, but at least 500 ms for librelp's close handshake */
	s->relp_worker = relp_worker_stop(s->relp_worker,
					  deadline > loop_now_ms() + 500 ? (int)(deadline - loop_now_ms()) : 500);
}

static void syslog_flush(struct rtmon_sink *base, int timeout_ms)
{
	struct syslog_sink *s = (struct syslog_sink *)base;

	if (s->c.proto == RTMON_SYSLOG_RELP)
		flush_relp(s, timeout_ms);
	else
		flush_net(s, timeout_ms);
	pthread_mutex_lock(&s->relp.mu);
	save_leftovers(s);
	unwatch(s);
	strans_close(&s->t);
	pthread_mutex_unlock(&s->relp.mu);
}

static void put_label(FILE *out, const char *metric, const char *url, unsigned long long v)
{
	size_t i;

	fprintf(out, "%s{dest=\"", metric);
	for (i = 0; url[i]; i++) {
		if (url[i] == '"' || url[i] == '\\')
			fputc('\\', out);
		if (url[i] == '\n')
			fputs("\\n", out);
		else
			fputc(url[i], out);
	}
	fprintf(out, "\"} %llu\n", v);
}

enum {
	M_SENT,
	M_DROPPED,
	M_DEPTH,
	M_CONNECTED,
	M_RECONNECTS,
	M_N
};

static const struct {
	const char *name, *type, *help;
} metric_info[M_N] = {
	{ "rtmon_syslog_sent_total", "counter", "Alerts delivered to the syslog destination." },
	{ "rtmon_syslog_dropped_total", "counter", "Alerts dropped past the queue and spool caps (or unformattable)." },
	{ "rtmon_syslog_queue_depth", "gauge", "Alerts waiting in memory and in the spool." },
	{ "rtmon_syslog_connected", "gauge", "1 while connected to the destination." },
	{ "rtmon_syslog_reconnects_total", "counter", "Connections made again after a loss." },
};

static void read_metrics(struct syslog_sink *s, unsigned long long v[M_N])
{
	bool relp = s->c.proto == RTMON_SYSLOG_RELP;

	pthread_mutex_lock(&s->relp.mu);
	v[M_SENT] = s->sent + (relp ? s->relp.sent : 0);
	v[M_DROPPED] = s->dropped;
	v[M_DEPTH] = squeue_len(&s->q) + spool_count(s->spool);
	v[M_CONNECTED] = relp ? s->relp.connected : s->t.state == STRANS_UP;
	v[M_RECONNECTS] = s->reconnects + (relp ? s->relp.reconnects : 0);
	pthread_mutex_unlock(&s->relp.mu);
}

/* Samples only: see out_syslog_metrics_all() for the HELP/TYPE lines. */
static void syslog_metrics(struct rtmon_sink *base, FILE *out)
{
	struct syslog_sink *s = (struct syslog_sink *)base;
	unsigned long long v[M_N];
	int i;

	read_metrics(s, v);
	for (i = 0; i < M_N; i++)
		put_label(out, metric_info[i].name, s->c.url, v[i]);
}

void out_syslog_metrics_all(struct rtmon_sink *const *sinks, size_t n, FILE *out)
{
	unsigned long long v[M_N];
	size_t k;
	int i;

	for (i = 0; i < M_N; i++) {
		bool any = false;

		for (k = 0; k < n; k++) {
			struct syslog_sink *s = (struct syslog_sink *)sinks[k];

			if (!sinks[k] || sinks[k]->ops != &syslog_ops)
				continue;
			if (!any)
				fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", metric_info[i].name, metric_info[i].help,
					metric_info[i].name, metric_info[i].type);
			any = true;
			read_metrics(s, v);
			put_label(out, metric_info[i].name, s->c.url, v[i]);
		}
	}
}

static int syslog_reconfigure(struct rtmon_sink *base, const void *conf)
{
	struct syslog_sink *s = (struct syslog_sink *)base;
	const struct rtmon_syslog_conf *nc = conf;
	struct rtmon_syslog_conf copy;
	bool tls_changed, spool_changed;
	uint64_t now = loop_now_ms();
	int r;

	if (!nc || str_differ(nc->url, s->c.url))
		return -EINVAL; /* another destination: a new sink */
	r = conf_copy(&copy, nc);
	if (r < 0)
		return r;
	pthread_mutex_lock(&s->relp.mu);
	tls_changed = tls_conf_differs(&copy, &s->c);
	spool_changed = str_differ(copy.spool_dir, s->c.spool_dir) || copy.spool_max_bytes != s->c.spool_max_bytes;
	conf_release(&s->c);
	s->c = copy;
	if (squeue_resize(&s->q, s->c.queue_max) < 0)
		log_warnx("%s: cannot grow the queue to %u, keeping %zu", s->c.url, s->c.queue_max, s->q.cap);
	if (spool_changed)
		spool_reopen(s);
	if (s->c.proto != RTMON_SYSLOG_RELP && s->c.proto != RTMON_SYSLOG_UDP) {
		/* certificate files may have changed on disk under the same names: always reload
		 * them; reconnect now unless a healthy connection uses unchanged settings */
		if (tls_changed || s->t.state != STRANS_UP) {
			if (s->t.state != STRANS_IDLE)
				conn_failed(s, now, "reloading the TLS settings");
			strans_fini(&s->t);
			s->fails = 0;
			s->backoff_ms = BACKOFF_MIN_MS;
			s->next_try_ms = now;
		} else if (s->t.cred) {
			/* the next connection reads the files again */
			gnutls_certificate_free_credentials(s->t.cred);
			s->t.cred = NULL;
		}
	}
	pthread_mutex_unlock(&s->relp.mu);
	return 0;
}

static void syslog_free(struct rtmon_sink *base)
{
	struct syslog_sink *s = (struct syslog_sink *)base;

	if (!s)
		return;
	if (s->relp_worker) {
		__atomic_store_n(&s->relp.shutdown_now, 1, __ATOMIC_SEQ_CST);
		s->relp_worker = relp_worker_stop(s->relp_worker, 0);
	}
	unwatch(s);
	strans_fini(&s->t);
	squeue_fini(&s->q);
	s->spool = spool_close(s->spool);
	relp_shared_fini(&s->relp);
	conf_release(&s->c);
	sbuf_release(&s->msg);
	sbuf_release(&s->scratch);
	sbuf_release(&s->frame);
	free(s->hostname);
	free(s->state_dir);
	free(s);
}

static const struct rtmon_sink_ops syslog_ops = {
	.kind = "syslog",
	.emit = syslog_emit,
	.tick = syslog_tick,
	.flush = syslog_flush,
	.metrics = syslog_metrics,
	.reconfigure = syslog_reconfigure,
	.free = syslog_free,
};

int out_syslog_new(const struct rtmon_syslog_opts *opts, struct rtmon_sink **ret)
{
	struct syslog_sink *s;
	int r;

	if (!opts || !opts->conf || !opts->conf->url || !ret)
		return -EINVAL;
	if (opts->conf->facility < 0 || opts->conf->facility > 23 || !opts->conf->host || !opts->conf->host[0])
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->base.ops = &syslog_ops;
	s->loop = opts->loop;
	s->watched_fd = -1;
	s->procid = (uint32_t)getpid();
	s->backoff_ms = BACKOFF_MIN_MS;
	s->rng = (uint32_t)(getpid() ^ loop_now_ns()) | 1u;
	strans_init(&s->t);
	r = conf_copy(&s->c, opts->conf);
	if (r < 0) {
		free(s);
		return r;
	}
	snprintf(s->base.key, sizeof(s->base.key), "syslog %s", s->c.url);
	s->hostname = strdup(opts->hostname ? opts->hostname : "");
	s->state_dir = opts->state_dir ? strdup(opts->state_dir) : NULL;
	if (!s->hostname || (opts->state_dir && !s->state_dir)) {
		r = -ENOMEM;
		goto fail_conf;
	}
	r = squeue_init(&s->q, s->c.queue_max);
	if (r < 0)
		goto fail_conf;
	r = relp_shared_init(&s->relp, &s->q);
	if (r < 0)
		goto fail_queue;
	spool_reopen(s);
	spool_refill(s);
	if (s->c.proto == RTMON_SYSLOG_RELP) {
		r = relp_worker_start(&s->c, &s->relp, &s->relp_worker);
		if (r < 0)
			goto fail_all;
	} else {
		upkeep(s, loop_now_ms()); /* connect now; numeric UDP is up at once */
	}
	*ret = &s->base;
	return 0;
fail_all:
	s->spool = spool_close(s->spool);
	relp_shared_fini(&s->relp);
fail_queue:
	squeue_fini(&s->q);
fail_conf:
	conf_release(&s->c);
	free(s->hostname);
	free(s->state_dir);
	free(s);
	return r;
}
