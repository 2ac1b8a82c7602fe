/* SPDX-License-Identifier: MIT */
/*
 * out_sse.c - the HTTP listener: libmicrohttpd driven by rtmon's epoll loop.
 *
 * MHD runs with MHD_USE_EPOLL and no internal thread: its epoll fd is
 * watched by rtmon's loop (MHD_run when it is readable) and tick() runs it
 * every ~100 ms for timeouts and keep-alives.  An SSE client is a cursor
 * into the ring of recent alerts (sse_ring.h); when it has caught up its
 * connection is suspended, and emit() resumes it.  A client whose unsent
 * backlog exceeds client_buffer_kb while it takes nothing for a tick (or
 * that fell out of the ring) is dropped: its socket is shut down so MHD
 * closes it at once.  Nothing here
 * blocks: reading a dashboard file is a local regular-file read.
 *
 * Access: /healthz and the dashboard files are open (probes and the browser's
 * first page load carry no token; neither reveals alerts); /events,
 * /api/alerts and /metrics need the token when one is set, as
 * "Authorization: Bearer T" or "?token=T" (EventSource cannot set headers).
 * At most max_clients SSE streams (503 beyond); MHD accepts at most
 * max_clients + RTMON_SSE_EXTRA_CONNS connections in all (the next wait in
 * the kernel's listen backlog until one closes or times out).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_PATH, open_memstream */
#endif
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <syslog.h>
#include <unistd.h>

#include "hist_ring.h"
#include "http_util.h"
#include "log.h"
#include "out_sse.h"
#include "sse_ring.h"

#define RTMON_SSE_EXTRA_CONNS 16	   /* connections beyond the SSE streams (API, metrics, files) */
#define RTMON_SSE_MEMORY_LIMIT (64 * 1024) /* per connection: request headers + write buffer */
#define RTMON_SSE_TIMEOUT_S 10		   /* idle or trickling non-SSE connections */
#define RTMON_SSE_BLOCK 16384
#define RTMON_SSE_SNDBUF (64 * 1024) /* kernel send buffer of a stream (the kernel doubles it) */
#define RTMON_SSE_API_DEFAULT 100    /* /api/alerts without ?limit */

static const char sse_hello[] = "retry: 2000\n\n";
static const char sse_keepalive[] = ": keepalive\n\n";

struct sse_settings {
	char *listen, *token, *dashboard_dir;
	char **origins; /* NULL-terminated */
	uint32_t max_clients, history, client_buffer_kb, keepalive_s;
};

struct sse_client {
	struct sse_sink *s;
	struct MHD_Connection *conn;
	struct sse_client *prev, *next;
	uint64_t idx;  /* next ring entry to send */
	size_t off;    /* bytes of it already sent */
	char head[32]; /* "retry:" or a keep-alive, sent before the next entry */
	size_t head_len, head_off;
	uint64_t last_send_ms;
	uint64_t sent, sent_prev; /* bytes handed to MHD: in all, at the previous tick */
	bool suspended, dropped;
};

struct sse_code_count {
	unsigned code;
	uint64_t n;
};

struct sse_sink {
	struct rtmon_sink sink; /* first: the fan-out sees this */
	struct sse_settings set;
	struct rtmon_loop *loop;
	void (*metrics)(void *ctx, FILE *out);
	int (*health)(void *ctx, FILE *out);
	int (*history)(void *ctx, const struct hist_query *q, FILE *out, char *ret_cursor, size_t cursor_size);
	void *ctx;
	struct MHD_Daemon *mhd;
	int epoll_fd; /* MHD's, watched by the loop */
	int dir_fd;   /* dashboard_dir, -1 = none */
	bool loopback;
	struct sse_ring *ring;
	struct sse_client *clients;
	uint32_t n_clients;
	uint64_t dropped;
	uint64_t emit_errors;
	struct sse_code_count codes[16];
};

/* ---- settings ---- */

static void settings_clear(struct sse_settings *t)
{
	free(t->listen);
	free(t->token);
	free(t->dashboard_dir);
	for (size_t i = 0; t->origins && t->origins[i]; i++)
		free(t->origins[i]);
	free(t->origins);
	memset(t, 0, sizeof(*t));
}

static int settings_copy(struct sse_settings *t, const struct rtmon_sse_conf *c)
{
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	while (c->allowed_origins && c->allowed_origins[n])
		n++;
	t->listen = strdup(c->listen ? c->listen : "127.0.0.1:8090");
	t->token = strdup(c->token ? c->token : "");
	t->dashboard_dir = strdup(c->dashboard_dir ? c->dashboard_dir : "");
	t->origins = calloc(n + 1, sizeof(*t->origins));
	if (!t->listen || !t->token || !t->dashboard_dir || !t->origins)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (!(t->origins[i] = strdup(c->allowed_origins[i])))
			goto nomem;
	t->max_clients = c->max_clients ? c->max_clients : 64;
	t->history = c->history ? c->history : 1024;
	t->client_buffer_kb = c->client_buffer_kb ? c->client_buffer_kb : 1024;
	t->keepalive_s = c->keepalive_s ? c->keepalive_s : 15;
	return 0;
nomem:
	settings_clear(t);
	return -ENOMEM;
}

static int open_dashboard(const char *dir)
{
	int fd;

	if (!dir[0])
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		log_warn("sse: dashboard_dir %s, not serving files", dir);
	return fd;
}

/* ---- requests: helpers ---- */

static void count_code(struct sse_sink *s, unsigned code)
{
	size_t n = sizeof(s->codes) / sizeof(s->codes[0]);

	for (size_t i = 0; i < n; i++) {
		if (s->codes[i].code == code || s->codes[i].code == 0) {
			s->codes[i].code = code;
			s->codes[i].n++;
			return;
		}
	}
}

static void add_common_headers(struct MHD_Response *r, const char *type, const char *cors)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (cors) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, cors);
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Origin");
	}
}

/* Queues a response; takes 'r' (NULL = out of memory: 500 is all we can try). */
static enum MHD_Result queue(struct sse_sink *s, struct MHD_Connection *conn, unsigned code, struct MHD_Response *r)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO; /* MHD closes the connection */
	count_code(s, code);
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* A short in-memory body: 'body' is copied. */
static enum MHD_Result reply(struct sse_sink *s, struct MHD_Connection *conn, unsigned code, const char *type,
			     const char *cors, const char *body)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r) {
		add_common_headers(r, type, cors);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
		if (code == MHD_HTTP_UNAUTHORIZED)
			MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"rtmon\"");
		if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
		if (code == MHD_HTTP_SERVICE_UNAVAILABLE)
			MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	}
	return queue(s, conn, code, r);
}

/* A body built in a memstream: 'buf' (malloc'd) is taken. */
static enum MHD_Result reply_take(struct sse_sink *s, struct MHD_Connection *conn, unsigned code, const char *type,
				  const char *cors, char *buf, size_t len)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	add_common_headers(r, type, cors);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return queue(s, conn, code, r);
}

static bool authorized(struct sse_sink *s, struct MHD_Connection *conn)
{
	const char *t;

	if (!s->set.token[0])
		return true;
	t = http_bearer_token(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
	if (!t)
		t = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
	return t && http_token_equal(t, s->set.token);
}

/* ---- SSE streams ---- */

static void client_resume(struct sse_client *c)
{
	if (c->suspended) {
		c->suspended = false;
		MHD_resume_connection(c->conn);
	}
}

/* "addr:port" of a peer, numeric. */
static void peer_name(const struct sockaddr *sa, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN], port[8];
	socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(buf, size, "%s:%s", host, port);
}

/* Drops a client: MHD closes it on its next run (suspended: the reader fails; else the socket is shut). */
static void client_drop(struct sse_sink *s, struct sse_client *c, const char *why)
{
	const union MHD_ConnectionInfo *ci;

	if (c->dropped)
		return;
	c->dropped = true;
	if (why) {
		char peer[INET6_ADDRSTRLEN + 8] = "?";

		s->dropped++;
		ci = MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr)
			peer_name(ci->client_addr, peer, sizeof(peer));
		log_info("sse: dropping a client (%s): %s", peer, why);
	}
	if (c->suspended) {
		client_resume(c);
		return;
	}
	ci = MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci)
		shutdown(ci->connect_fd, SHUT_RDWR);
}

static ssize_t client_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	struct sse_sink *s = c->s;
	size_t n = 0;

	if (c->dropped)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (c->head_off < c->head_len) {
		n = c->head_len - c->head_off;
		n = n > max ? max : n;
		memcpy(buf, c->head + c->head_off, n);
		c->head_off += n;
	}
	while (n < max && c->idx < s->ring->head) {
		const struct sse_entry *e = sse_ring_at(s->ring, c->idx);
		size_t k;

		if (!e) { /* evicted before it was sent */
			client_drop(s, c, "fell behind the alert history");
			return n ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
		}
		k = e->frame_len - c->off;
		k = k > max - n ? max - n : k;
		memcpy(buf + n, e->frame + c->off, k);
		n += k;
		c->off += k;
		if (c->off == e->frame_len) {
			c->idx = sse_ring_next(s->ring, c->idx + 1); /* over gaps left by evictions */
			c->off = 0;
		}
	}
	if (n) {
		c->sent += n;
		c->last_send_ms = loop_now_ms();
		return (ssize_t)n;
	}
	/* Caught up: park the connection until emit() or a keep-alive resumes it. */
	c->suspended = true;
	MHD_suspend_connection(c->conn);
	return 0;
}

static void client_free(void *cls)
{
	struct sse_client *c = cls;
	struct sse_sink *s = c->s;

	if (c->prev)
		c->prev->next = c->next;
	else
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->n_clients--;
	free(c);
}

/* The replay start for Last-Event-ID (header, or ?last_event_id=): the ring head when absent or invalid. */
static uint64_t client_start(struct sse_sink *s, struct MHD_Connection *conn)
{
	const char *v;
	uint64_t usec, seq;

	v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Last-Event-ID");
	if (!v)
		v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "last_event_id");
	if (!v || http_parse_event_id(v, &usec, &seq) < 0)
		return s->ring->head;
	return sse_ring_resume(s->ring, usec, seq);
}

static uint32_t reap_closed(struct sse_sink *s);

static enum MHD_Result sse_start(struct sse_sink *s, struct MHD_Connection *conn, const char *cors)
{
	const union MHD_ConnectionInfo *ci;
	struct MHD_Response *r;
	struct sse_client *c;
	int sndbuf = RTMON_SSE_SNDBUF;
	unsigned timeout;

	/* n_clients counts streams MHD has not closed yet: dropped ones, and dead ones not yet noticed. */
	if (s->n_clients >= s->set.max_clients && reap_closed(s) >= s->set.max_clients)
		return reply(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", cors,
			     "too many event stream clients\n");
	c = calloc(1, sizeof(*c));
	if (!c)
		return MHD_NO;
	c->s = s;
	c->conn = conn;
	c->idx = client_start(s, conn);
	c->head_len = sizeof(sse_hello) - 1;
	memcpy(c->head, sse_hello, c->head_len);
	c->last_send_ms = loop_now_ms();
	c->next = s->clients;
	if (s->clients)
		s->clients->prev = c;
	s->clients = c;
	s->n_clients++;

	/* From here the response owns c: client_free runs when MHD is done with it. */
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, RTMON_SSE_BLOCK, client_read, c, client_free);
	if (!r) {
		client_free(c);
		return MHD_NO;
	}
	add_common_headers(r, "text/event-stream; charset=utf-8", cors);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	/*
	 * The kernel would grow a stalled stream's send buffer to tcp_wmem's
	 * maximum (megabytes per client): cap it, so that a client that stops
	 * reading shows up in its backlog, which client_buffer_kb bounds.
	 */
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	/* Keep-alives are the activity: a stream that cannot take one for 3 periods is dead. */
	timeout = s->set.keepalive_s * 3 > 60 ? s->set.keepalive_s * 3 : 60;
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, timeout);
	return queue(s, conn, MHD_HTTP_OK, r);
}

/* ---- the other endpoints ---- */

struct api_args {
	struct sse_sink *s;
	struct hist_query q;
	const char *bad; /* the first parameter with a bad value */
	bool none;	 /* limit=0 */
};

static enum MHD_Result api_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct api_args *a = cls;
	uint32_t limit;

	if (a->bad)
		return MHD_NO;
	if (strcmp(key, "limit") == 0) {
		/* clamped to a page, as it was to the history kept (the ring holds no more) */
		if (!value || http_parse_count(value, HIST_LIMIT_MAX, &limit) < 0)
			a->bad = key;
		else if (limit == 0)
			a->none = true;
		else
			a->q.limit = limit;
	} else if (hist_query_set(&a->q, key, value ? value : "") == -EINVAL) {
		a->bad = key;
	}
	return a->bad ? MHD_NO : MHD_YES;
}

/*
 * GET /api/alerts: a page of history, newest alerts first in pages, each
 * page oldest first; from the journal when the monitor has one (answered
 * over the socketpair), else from the ring. Headers: Rtmon-History
 * (journal|memory), Rtmon-Next-Cursor when older alerts remain.
 */
static enum MHD_Result api_alerts(struct sse_sink *s, struct MHD_Connection *conn, const char *cors)
{
	struct api_args a = { .s = s };
	char cursor[HIST_CURSOR_MAX], msg[64];
	struct MHD_Response *resp;
	const char *source = "journal";
	int r = 0;
	size_t len;
	char *buf;
	FILE *f;

	hist_query_init(&a.q);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, api_arg, &a);
	if (!a.bad && hist_query_check(&a.q) < 0)
		a.bad = "since";
	if (a.bad) {
		snprintf(msg, sizeof(msg), "bad %s\n", a.bad);
		return reply(s, conn, MHD_HTTP_BAD_REQUEST, "text/plain", cors, msg);
	}
	if (a.none)
		return reply(s, conn, MHD_HTTP_OK, "application/json", cors, "[]\n");
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	if (s->history)
		r = s->history(s->ctx, &a.q, f, cursor, sizeof(cursor));
	if (r == 0) {
		source = "memory";
		rewind(f);
		r = hist_ring_page(s->ring, &a.q, f, cursor, sizeof(cursor));
	}
	if (fclose(f) != 0) {
		free(buf);
		return MHD_NO;
	}
	if (r < 0) {
		free(buf);
		if (r == -EINVAL)
			return reply(s, conn, MHD_HTTP_BAD_REQUEST, "text/plain", cors, "bad cursor\n");
		return reply(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", cors, "history unavailable\n");
	}
	resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(buf);
		return MHD_NO;
	}
	add_common_headers(resp, "application/json", cors);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "Rtmon-History", source);
	if (cursor[0])
		MHD_add_response_header(resp, "Rtmon-Next-Cursor", cursor);
	if (cors)
		MHD_add_response_header(resp, "Access-Control-Expose-Headers", "Rtmon-History, Rtmon-Next-Cursor");
	return queue(s, conn, MHD_HTTP_OK, resp);
}

static void sse_metrics(struct rtmon_sink *sink, FILE *out);

static enum MHD_Result health_or_metrics(struct sse_sink *s, struct MHD_Connection *conn, const char *cors, bool health)
{
	unsigned code = MHD_HTTP_OK;
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	if (health) {
		if (s->health)
			code = s->health(s->ctx, f) == 1 ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
		else
			fputs("{\"status\":\"ok\"}", f);
		fputc('\n', f);
	} else if (s->metrics) {
		s->metrics(s->ctx, f);
	} else {
		sse_metrics(&s->sink, f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return MHD_NO;
	}
	return reply_take(s, conn, code, health ? "application/json" : "text/plain; version=0.0.4; charset=utf-8", cors,
			  buf, len);
}

/* Opens path (checked by http_static_path) under dir_fd without following any symlink. */
static int open_beneath(int dir_fd, char *path)
{
	int fd = dup(dir_fd), next;
	char *save = NULL, *comp, *rest;

	if (fd < 0)
		return -errno;
	for (comp = strtok_r(path, "/", &save); comp; comp = rest) {
		rest = strtok_r(NULL, "/", &save);
		next = openat(fd, comp, (rest ? O_PATH | O_DIRECTORY : O_RDONLY | O_NONBLOCK) | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return -errno;
		fd = next;
	}
	return fd;
}

#define RTMON_STATIC_BUFFER_MAX (32 * 1024 * 1024) /* larger files are sent from their fd */

/*
 * Opens the dashboard file 'path' (checked), or its precompressed 'path.gz' when
 * gzip is true and one exists; sets *st.  Returns the fd or -errno.
 */
static int static_open(int dir_fd, const char *path, bool gzip, struct stat *st)
{
	char tmp[HTTP_PATH_MAX + 4];
	int fd;

	if (gzip) {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.gz", path) >= sizeof(tmp))
			return -ENAMETOOLONG;
	} else {
		snprintf(tmp, sizeof(tmp), "%s", path);
	}
	fd = open_beneath(dir_fd, tmp);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -ENOENT;
	}
	return fd;
}

/*
 * The whole file as an MHD response: from a buffer (sent as fast as the socket
 * takes it) up to RTMON_STATIC_BUFFER_MAX, else from the fd.  Takes fd.
 */
static struct MHD_Response *static_body(int fd, const struct stat *st)
{
	size_t size = (size_t)st->st_size, got = 0;
	struct MHD_Response *r;
	char *buf;

	if (size > RTMON_STATIC_BUFFER_MAX) {
		r = MHD_create_response_from_fd(size, fd); /* takes fd */
		if (!r)
			close(fd);
		return r;
	}
	buf = malloc(size ? size : 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	while (got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != size) {
		free(buf);
		return NULL;
	}
	r = MHD_create_response_from_buffer(size, buf, MHD_RESPMEM_MUST_FREE);
	if (!r)
		free(buf);
	return r;
}

/*
 * GET a dashboard file.  A precompressed NAME.gz (made by `npm run build`) is sent
 * with Content-Encoding: gzip when the client accepts it (Vary: Accept-Encoding).
 * Hashed assets/ are immutable for a year; the rest (index.html) carry an ETag
 * (size, mtime, encoding) and are revalidated: If-None-Match answers 304.
 */
static enum MHD_Result static_file(struct sse_sink *s, struct MHD_Connection *conn, const char *url, const char *cors)
{
	char path[HTTP_PATH_MAX], etag[96];
	struct MHD_Response *r;
	struct stat st;
	const char *type, *inm;
	bool gz = false, immutable;
	unsigned code = MHD_HTTP_OK;
	int fd = -ENOENT;

	if (s->dir_fd < 0 || http_static_path(url, path, sizeof(path)) < 0)
		return reply(s, conn, MHD_HTTP_NOT_FOUND, "text/plain", cors, "not found\n");
	type = http_content_type(path);
	immutable = strncmp(path, "assets/", 7) == 0;
	if (http_accepts_gzip(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
		fd = static_open(s->dir_fd, path, true, &st);
		gz = fd >= 0;
	}
	if (fd < 0)
		fd = static_open(s->dir_fd, path, false, &st);
	if (fd < 0)
		return reply(s, conn, MHD_HTTP_NOT_FOUND, "text/plain", cors, "not found\n");
	snprintf(etag, sizeof(etag), "\"%llx-%llx.%lx%s\"", (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec, (unsigned long)st.st_mtim.tv_nsec, gz ? "-gz" : "");
	inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (http_etag_match(inm, etag)) {
		close(fd);
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		code = MHD_HTTP_NOT_MODIFIED;
	} else {
		r = static_body(fd, &st); /* takes fd */
	}
	if (!r)
		return MHD_NO;
	add_common_headers(r, type, cors);
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	/* Vite names assets by content hash; index.html must be revalidated. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
				immutable ? "public, max-age=31536000, immutable" : "no-cache");
	return queue(s, conn, code, r);
}

enum route {
	ROUTE_EVENTS,
	ROUTE_ALERTS,
	ROUTE_HEALTH,
	ROUTE_METRICS,
	ROUTE_STATIC
};

static enum route route_of(const char *url)
{
	if (strcmp(url, "/events") == 0)
		return ROUTE_EVENTS;
	if (strcmp(url, "/api/alerts") == 0)
		return ROUTE_ALERTS;
	if (strcmp(url, "/healthz") == 0)
		return ROUTE_HEALTH;
	if (strcmp(url, "/metrics") == 0)
		return ROUTE_METRICS;
	return ROUTE_STATIC;
}

static enum MHD_Result preflight(struct sse_sink *s, struct MHD_Connection *conn, const char *cors)
{
	struct MHD_Response *r;

	if (!cors)
		return reply(s, conn, MHD_HTTP_FORBIDDEN, "text/plain", NULL, "origin not allowed\n");
	r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, cors);
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Origin");
	MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
	MHD_add_response_header(r, "Access-Control-Allow-Headers", "Authorization, Last-Event-ID, Cache-Control");
	MHD_add_response_header(r, "Access-Control-Max-Age", "600");
	return queue(s, conn, MHD_HTTP_NO_CONTENT, r);
}

static bool has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (cl && strcmp(cl, "0") != 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct sse_sink *s = cls;
	const char *cors;
	enum route rt = route_of(url);
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;

	/*
	 * Methods without a body of ours are answered at once (MHD then closes
	 * instead of reading a body). GET and HEAD are answered on the second
	 * call, once MHD knows the request is complete, so the connection can
	 * be kept alive; a GET that carries a body gets 400.
	 */
	if (get || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0) {
		if (!*con_cls) {
			if (has_body(conn))
				return reply(s, conn, MHD_HTTP_BAD_REQUEST, "text/plain", NULL,
					     "a GET carries no body\n");
			*con_cls = s;
			return MHD_YES;
		}
		*upload_data_size = 0; /* not reached: has_body() refused bodies */
	}
	cors = http_cors_origin(s->set.origins,
				MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN));
	if (strcmp(method, MHD_HTTP_METHOD_OPTIONS) == 0)
		return preflight(s, conn, cors);
	if (!get && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", cors, "method not allowed\n");
	if (rt == ROUTE_STATIC)
		return static_file(s, conn, url, cors);
	if (rt == ROUTE_HEALTH)
		return health_or_metrics(s, conn, cors, true);
	if (!authorized(s, conn))
		return reply(s, conn, MHD_HTTP_UNAUTHORIZED, "text/plain", cors, "unauthorized\n");
	switch (rt) {
	case ROUTE_EVENTS:
		if (!get) /* HEAD: the headers of a stream, no stream */
			return reply(s, conn, MHD_HTTP_OK, "text/event-stream; charset=utf-8", cors, "");
		return sse_start(s, conn, cors);
	case ROUTE_ALERTS:
		return api_alerts(s, conn, cors);
	default:
		return health_or_metrics(s, conn, cors, false);
	}
}

/* ---- the loop ---- */

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	/* MHD reports client misbehaviour here too: debug level, so clients cannot flood the log. */
	log_vmsg(LOG_DEBUG, fmt, ap);
}

static void on_mhd_ready(void *ctx, int fd, uint32_t events)
{
	struct sse_sink *s = ctx;

	MHD_run(s->mhd);
}

static void sse_emit(struct rtmon_sink *sink, const struct rtmon_alert *a, const char *json)
{
	struct sse_sink *s = (struct sse_sink *)sink;
	struct sse_client *c, *next;
	int r;

	r = sse_ring_push(s->ring, a->id, a->seq, alert_keep_first(a) ? SSE_CLASS_KEEP : SSE_CLASS_LOW, json);
	if (r < 0) {
		s->emit_errors++;
		return;
	}
	for (c = s->clients; c; c = next) {
		next = c->next;
		if (c->dropped)
			continue;
		if (!sse_ring_at(s->ring, c->idx)) /* its next alert was evicted */
			client_drop(s, c, "fell behind the alert history");
		else
			client_resume(c);
	}
}

/*
 * MHD does not watch a suspended connection, so a client that went away
 * would hold its slot until the next alert or keep-alive: every tick, and
 * before refusing a stream for max_clients, peek at the sockets of parked
 * streams and let MHD close the dead ones. Returns the streams still live.
 */
static uint32_t reap_closed(struct sse_sink *s)
{
	uint32_t live = 0;

	for (struct sse_client *c = s->clients; c; c = c->next) {
		const union MHD_ConnectionInfo *ci;
		char b;
		ssize_t n;

		if (!c->dropped && c->suspended &&
		    (ci = MHD_get_connection_info(c->conn, MHD_CONNECTION_INFO_CONNECTION_FD))) {
			n = recv(ci->connect_fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
				client_drop(s, c, NULL);
		}
		live += !c->dropped;
	}
	return live;
}

/*
 * The backlog cap, checked every tick (after MHD ran) rather than at emit():
 * a burst of alerts puts every client behind at once, and a client that is
 * reading must not pay for it. A client is dropped when its unsent backlog
 * exceeds client_buffer_kb and it took nothing since the previous tick
 * (it stopped reading). A client that reads, however slowly, stays until it
 * falls out of the ring: its backlog costs no memory of its own (it is the
 * shared ring), so the ring's 'history' bounds memory either way.
 */
static void drop_stalled(struct sse_sink *s)
{
	uint64_t cap = (uint64_t)s->set.client_buffer_kb * 1024;

	for (struct sse_client *c = s->clients; c; c = c->next) {
		uint64_t backlog;

		if (c->dropped)
			continue;
		backlog = sse_ring_pending(s->ring, c->idx, c->off) + (c->head_len - c->head_off);
		if (backlog > cap && c->sent == c->sent_prev)
			client_drop(s, c, "its buffer reached client_buffer_kb");
		c->sent_prev = c->sent;
	}
}

static void sse_tick(struct rtmon_sink *sink, uint64_t now_ms)
{
	struct sse_sink *s = (struct sse_sink *)sink;
	uint64_t period = (uint64_t)s->set.keepalive_s * 1000, now = loop_now_ms();

	reap_closed(s);
	MHD_run(s->mhd);
	drop_stalled(s);

	for (struct sse_client *c = s->clients; c; c = c->next) {
		if (c->dropped || now - c->last_send_ms < period || c->head_off < c->head_len || c->idx < s->ring->head)
			continue;
		c->head_len = sizeof(sse_keepalive) - 1;
		c->head_off = 0;
		memcpy(c->head, sse_keepalive, c->head_len);
		c->last_send_ms = now;
		client_resume(c);
	}
	MHD_run(s->mhd);
}

static bool clients_pending(struct sse_sink *s)
{
	for (struct sse_client *c = s->clients; c; c = c->next)
		if (!c->dropped && !c->suspended)
			return true;
	return false;
}

static void sse_flush(struct rtmon_sink *sink, int timeout_ms)
{
	struct sse_sink *s = (struct sse_sink *)sink;
	uint64_t end = loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	/* Let clients that are reading take what is queued; stalled ones are closed anyway at free. */
	do {
		MHD_run_wait(s->mhd, 10);
	} while (clients_pending(s) && loop_now_ms() < end);
}

static void sse_metrics(struct rtmon_sink *sink, FILE *out)
{
	struct sse_sink *s = (struct sse_sink *)sink;

	fprintf(out,
		"# HELP rtmon_sse_clients Connected SSE (GET /events) clients.\n"
		"# TYPE rtmon_sse_clients gauge\n"
		"rtmon_sse_clients %u\n"
		"# HELP rtmon_sse_clients_dropped_total SSE clients dropped for falling behind.\n"
		"# TYPE rtmon_sse_clients_dropped_total counter\n"
		"rtmon_sse_clients_dropped_total %llu\n"
		"# HELP rtmon_sse_history_alerts Alerts held for Last-Event-ID and /api/alerts.\n"
		"# TYPE rtmon_sse_history_alerts gauge\n"
		"rtmon_sse_history_alerts %llu\n"
		"# HELP rtmon_sse_history_bytes Bytes of alert frames held.\n"
		"# TYPE rtmon_sse_history_bytes gauge\n"
		"rtmon_sse_history_bytes %zu\n"
		"# HELP rtmon_sse_emit_errors_total Alerts the listener could not store.\n"
		"# TYPE rtmon_sse_emit_errors_total counter\n"
		"rtmon_sse_emit_errors_total %llu\n"
		"# HELP rtmon_sse_requests_total HTTP responses by status code.\n"
		"# TYPE rtmon_sse_requests_total counter\n",
		s->n_clients, (unsigned long long)s->dropped, (unsigned long long)sse_ring_count(s->ring), s->ring->mem,
		(unsigned long long)s->emit_errors);
	for (size_t i = 0; i < sizeof(s->codes) / sizeof(s->codes[0]) && s->codes[i].code; i++)
		fprintf(out, "rtmon_sse_requests_total{code=\"%u\"} %llu\n", s->codes[i].code,
			(unsigned long long)s->codes[i].n);
}

/* ---- life cycle ---- */

int out_sse_listen_socket(const char *listen_addr, bool have_token, bool *ret_loopback)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int fd, one = 1, r;

	r = http_parse_listen(listen_addr, &sa, &len);
	if (r < 0) {
		log_warnx("sse: listen \"%s\" is not HOST:PORT or [V6]:PORT", listen_addr);
		return r;
	}
	*ret_loopback = http_addr_is_loopback((struct sockaddr *)&sa);
	if (!*ret_loopback && !have_token) {
		log_warnx("sse: refusing to listen on %s without a token: alerts would be readable "
			  "from the network (set outputs.sse.token or listen on 127.0.0.1)",
			  listen_addr);
		return -EPERM;
	}
	fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 128) < 0) {
		r = -errno;
		/* in use: the caller decides (a reload may first free the address it holds itself) */
		if (r != -EADDRINUSE)
			log_errno(r, "sse: cannot listen on %s", listen_addr);
		close(fd);
		return r;
	}
	return fd;
}

static int start_mhd(struct sse_sink *s, int lfd)
{
	const union MHD_DaemonInfo *di;

	/* No MHD_USE_INTERNAL_POLLING_THREAD: MHD runs only when our loop calls MHD_run. */
	s->mhd = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, lfd, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)(s->set.max_clients + RTMON_SSE_EXTRA_CONNS), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)RTMON_SSE_MEMORY_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)RTMON_SSE_TIMEOUT_S,
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_END);
	if (!s->mhd) {
		close(lfd);
		log_warnx("sse: libmicrohttpd would not start");
		return -EIO;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!di || di->epoll_fd < 0)
		return -EIO;
	s->epoll_fd = di->epoll_fd;
	return loop_add(s->loop, s->epoll_fd, EPOLLIN, on_mhd_ready, s);
}

static void sse_free(struct rtmon_sink *sink)
{
	struct sse_sink *s = (struct sse_sink *)sink;

	if (!s)
		return;
	if (s->mhd) {
		/* MHD must not be stopped with suspended connections. */
		for (struct sse_client *c = s->clients; c; c = c->next) {
			c->dropped = true;
			client_resume(c);
		}
		MHD_run(s->mhd);
		if (s->epoll_fd >= 0)
			loop_del(s->loop, s->epoll_fd);
		MHD_stop_daemon(s->mhd); /* closes the listen socket; client_free for each stream */
	}
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	sse_ring_free(s->ring);
	settings_clear(&s->set);
	free(s);
}

static int sse_reconfigure(struct rtmon_sink *sink, const void *conf)
{
	struct sse_sink *s = (struct sse_sink *)sink;
	const struct rtmon_sse_conf *c = conf;
	struct sse_settings t;
	int r;

	r = settings_copy(&t, c);
	if (r < 0)
		return r;
	/*
	 * A new address needs a new listener (-EAGAIN: the fan-out replaces
	 * this sink). Dropping the token off loopback is refused (-EPERM: the
	 * replacement refuses too, with the reason logged).
	 */
	if (strcmp(t.listen, s->set.listen) != 0 || (!s->loopback && !t.token[0])) {
		r = strcmp(t.listen, s->set.listen) != 0 ? -EAGAIN : -EPERM;
		settings_clear(&t);
		return r;
	}
	if (t.history != s->set.history) {
		r = sse_ring_resize(s->ring, t.history);
		if (r < 0) {
			settings_clear(&t);
			return r;
		}
	}
	if (strcmp(t.dashboard_dir, s->set.dashboard_dir) != 0) {
		if (s->dir_fd >= 0)
			close(s->dir_fd);
		s->dir_fd = open_dashboard(t.dashboard_dir);
	}
	settings_clear(&s->set);
	s->set = t;
	return 0;
}

static const struct rtmon_sink_ops sse_ops = {
	.kind = "sse",
	.emit = sse_emit,
	.tick = sse_tick,
	.flush = sse_flush,
	.metrics = sse_metrics,
	.reconfigure = sse_reconfigure,
	.free = sse_free,
};

int out_sse_new(const struct rtmon_sse_opts *opts, struct rtmon_sink **ret)
{
	struct sse_sink *s;
	int r, lfd;

	if (!opts || !opts->conf || !opts->loop || !ret)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->sink.ops = &sse_ops;
	snprintf(s->sink.key, sizeof(s->sink.key), "sse");
	s->loop = opts->loop;
	s->metrics = opts->metrics;
	s->health = opts->health;
	s->history = opts->history;
	s->ctx = opts->ctx;
	s->epoll_fd = -1;
	s->dir_fd = -1;
	r = settings_copy(&s->set, opts->conf);
	if (r < 0)
		goto fail;
	r = sse_ring_new(s->set.history, &s->ring);
	if (r < 0)
		goto fail;
	if (opts->listen_fd >= 0) {
		struct sockaddr_storage sa;
		socklen_t len;

		lfd = opts->listen_fd;
		s->loopback = http_parse_listen(s->set.listen, &sa, &len) == 0 &&
			      http_addr_is_loopback((struct sockaddr *)&sa);
	} else {
		lfd = out_sse_listen_socket(s->set.listen, s->set.token[0] != '\0', &s->loopback);
	}
	if (lfd < 0) {
		r = lfd;
		goto fail;
	}
	r = start_mhd(s, lfd);
	if (r < 0)
		goto fail;
	s->dir_fd = open_dashboard(s->set.dashboard_dir);
	log_info("sse: listening on %s%s", s->set.listen, s->set.token[0] ? " (token required)" : "");
	*ret = &s->sink;
	return 0;
fail:
	sse_free(&s->sink);
	return r;
}

int out_sse_port(struct rtmon_sink *sink)
{
	struct sse_sink *s = (struct sse_sink *)sink;
	const union MHD_DaemonInfo *di;

	if (!sink || strcmp(sink->ops->kind, "sse") != 0 || !s->mhd)
		return -EINVAL;
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	return di ? (int)di->port : -EIO;
}
