/* SPDX-License-Identifier: MIT */
/*
 * aggregate.c - rtmond --aggregate (see aggregate.h): the nodes' SSE streams
 * into this process's outputs.
 *
 * Each node is a small state machine on the daemon's epoll loop: idle ->
 * connecting (non-blocking connect) -> streaming (request sent, the response
 * read through sse_parse.c) -> idle again on any error, retried after a
 * back-off (0.5 s doubling to aggregate.reconnect_max_s, reset by a
 * successful response). A reconnect resumes with Last-Event-ID = the last id
 * the node sent; the first connection of a run asks for everything the node
 * still holds ("Last-Event-ID: 0"), so a restarted aggregator refills its
 * dashboard. With aggregate.state_file, the last id forwarded per host is
 * kept on disk: what a restart fetches again goes to the dashboard only, not
 * again to journald, syslog or stdout.
 *
 * The SSE output gets its own ids ("<usec>-<seq>" of this aggregator, so a
 * dashboard resumes against this process's ring); the alert JSON keeps the
 * node's "id" and "host", and every other output sees the node's id.
 */
#define _GNU_SOURCE /* setresuid, setresgid */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "agg_alert.h"
#include "aggregate.h"
#include "http_util.h"
#include "log.h"
#include "notify.h"
#include "setup.h"
#include "sse_parse.h"

#define AGG_NODES_MAX 256
#define AGG_HOSTS_MAX 1024
#define AGG_TICK_MS 100
#define AGG_BACKOFF_MIN_MS 500
#define AGG_NOBODY 65534

enum node_state {
	NODE_IDLE = 0,
	NODE_CONNECTING,
	NODE_SENDING,
	NODE_STREAMING
};

struct agg_node {
	struct rtmon_aggregator *g;
	char name[280]; /* "host:port" as configured, or "addr:port" found by discovery */
	char host[256];
	uint16_t port;
	bool discovered, seen_in_dns;
	int fd;
	enum node_state state;
	bool up;      /* the node answered 200 on this connection */
	bool failing; /* the last attempt failed: log the next failures at debug only */
	struct sse_parser p;
	char req[1024];
	char from[SSE_ID_MAX]; /* the Last-Event-ID of this connection */
	size_t req_len, req_off;
	uint64_t next_try_ms, backoff_ms, last_rx_ms;
	char alert_host[AGG_HOST_MAX]; /* the host its alerts name */
	uint64_t alerts, dups, bad, connects;
};

/* Per host: the last id forwarded (written to the state file) and the bound read from it at start. */
struct agg_mark {
	char host[AGG_HOST_MAX];
	uint64_t usec, seq;		/* last forwarded */
	uint64_t start_usec, start_seq; /* from the state file: alerts up to here were forwarded by a previous run */
};

struct rtmon_aggregator {
	struct rtmon_daemon *d;
	const struct rtmon_aggregate_conf *conf;
	struct agg_node *nodes[AGG_NODES_MAX];
	size_t n_nodes;
	struct agg_seen seen;
	struct agg_alert cur;
	struct agg_mark marks[AGG_HOSTS_MAX];
	size_t n_marks;
	bool marks_dirty;
	uint64_t seq, next_discover_ms, next_state_ms;
	uint64_t alerts, dups, bad, replayed, nodes_limit_logged;
	char rx[65536];
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000ull;
}

/* ---- the per-host marks and the state file ---- */

static struct agg_mark *mark_get(struct rtmon_aggregator *g, const char *host, bool create)
{
	for (size_t i = 0; i < g->n_marks; i++)
		if (strcmp(g->marks[i].host, host) == 0)
			return &g->marks[i];
	if (!create || g->n_marks >= AGG_HOSTS_MAX)
		return NULL;
	memset(&g->marks[g->n_marks], 0, sizeof(g->marks[0]));
	snprintf(g->marks[g->n_marks].host, AGG_HOST_MAX, "%s", host);
	return &g->marks[g->n_marks++];
}

/* An alert a previous run already forwarded: no later in time and sequence than its mark. */
static bool mark_covers(struct rtmon_aggregator *g, const char *host, uint64_t usec, uint64_t seq)
{
	const struct agg_mark *m = mark_get(g, host, false);

	return m && m->start_seq && usec <= m->start_usec && seq <= m->start_seq;
}

static void mark_forwarded(struct rtmon_aggregator *g, const char *host, uint64_t usec, uint64_t seq)
{
	struct agg_mark *m;

	if (!g->conf->state_file[0] || !(m = mark_get(g, host, true)))
		return;
	m->usec = usec;
	m->seq = seq;
	g->marks_dirty = true;
}

/* "HOST\tUSEC-SEQ\n" per line; hosts never hold a tab or newline (agg_alert_parse). */
static void state_load(struct rtmon_aggregator *g)
{
	FILE *f = fopen(g->conf->state_file, "re");
	char line[AGG_HOST_MAX + 64];
	size_t n = 0;

	if (!f) {
		if (errno != ENOENT)
			log_warn("aggregate: cannot read %s, starting without it", g->conf->state_file);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
		struct agg_mark *m;
		uint64_t usec, seq;

		if (!tab || !nl)
			continue;
		*tab = *nl = '\0';
		if (http_parse_event_id(tab + 1, &usec, &seq) < 0 || !(m = mark_get(g, line, true)))
			continue;
		m->usec = m->start_usec = usec;
		m->seq = m->start_seq = seq;
		n++;
	}
	fclose(f);
	log_info("aggregate: %zu hosts' last forwarded alerts read from %s", n, g->conf->state_file);
}

static void state_save(struct rtmon_aggregator *g)
{
	char tmp[4200];
	FILE *f;
	int ok;

	if (!g->marks_dirty)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", g->conf->state_file);
	f = fopen(tmp, "we");
	if (!f) {
		log_warn("aggregate: cannot write %s, ignoring", tmp);
		g->marks_dirty = false; /* said once; tried again with the next alert */
		return;
	}
	for (size_t i = 0; i < g->n_marks; i++)
		if (g->marks[i].seq)
			fprintf(f, "%s\t%" PRIu64 "-%" PRIu64 "\n", g->marks[i].host, g->marks[i].usec,
				g->marks[i].seq);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, g->conf->state_file) < 0)
		log_warn("aggregate: cannot write %s, ignoring", g->conf->state_file);
	g->marks_dirty = false;
}

/* ---- one alert ---- */

/* The SSE output gets this aggregator's id; the others the node's alert as it came. */
static void fanout(struct rtmon_aggregator *g, const struct rtmon_alert *a, const char *json, bool replay)
{
	struct rtmon_outputs *o = &g->d->outputs;
	struct rtmon_alert sa = *a;

	sa.seq = ++g->seq;
	snprintf(sa.id, sizeof(sa.id), "%" PRIu64 "-%" PRIu64, now_usec(), sa.seq);
	for (size_t i = 0; i < o->n; i++) {
		struct rtmon_sink *s = o->sinks[i];

		if (strcmp(s->ops->kind, "sse") == 0)
			s->ops->emit(s, &sa, json);
		else if (!replay)
			s->ops->emit(s, a, json);
	}
}

static int on_event(void *ud, const struct sse_event *ev)
{
	struct agg_node *n = ud;
	struct rtmon_aggregator *g = n->g;
	struct agg_alert *c = &g->cur;
	uint64_t usec = 0, seq = 0;
	bool replay;

	if (strcmp(ev->type, "alert") != 0 && strcmp(ev->type, "incident") != 0)
		return 0;
	if (agg_alert_parse(ev->data, c) < 0) {
		if (n->bad++ == 0)
			log_warnx("aggregate: %s sent an event that is not an rtmon alert, ignoring it (and the next)",
				  n->name);
		g->bad++;
		return 0;
	}
	snprintf(n->alert_host, sizeof(n->alert_host), "%s", c->host);
	if (!agg_seen_add(&g->seen, c->host, c->a.id)) {
		n->dups++;
		g->dups++;
		return 0;
	}
	(void)http_parse_event_id(c->a.id, &usec, &seq);
	replay = mark_covers(g, c->host, usec, seq);
	n->alerts++;
	g->alerts++;
	g->d->stats.alerts_total++;
	if (replay)
		g->replayed++;
	fanout(g, &c->a, ev->data, replay);
	if (!replay)
		mark_forwarded(g, c->host, usec, seq);
	return 0;
}

/* ---- one node's connection ---- */

static void node_close(struct agg_node *n)
{
	if (n->fd >= 0) {
		loop_del(n->g->d->loop, n->fd);
		close(n->fd);
	}
	n->fd = -1;
	n->state = NODE_IDLE;
	n->up = false;
	sse_parser_reset(&n->p);
}

static void node_fail(struct agg_node *n, const char *why)
{
	uint64_t max = (uint64_t)n->g->conf->reconnect_max_s * 1000;

	if (n->up || !n->backoff_ms)
		n->backoff_ms = AGG_BACKOFF_MIN_MS;
	else
		n->backoff_ms = n->backoff_ms * 2 > max ? max : n->backoff_ms * 2;
	if (!n->failing)
		log_warnx("aggregate: node %s: %s; retrying every %" PRIu64 " s at most", n->name, why,
			  (uint64_t)n->g->conf->reconnect_max_s);
	else
		log_debug("aggregate: node %s: %s; next try in %" PRIu64 " ms", n->name, why, n->backoff_ms);
	n->failing = true;
	node_close(n);
	n->next_try_ms = loop_now_ms() + n->backoff_ms;
}

static void node_request(struct agg_node *n)
{
	const char *tok = n->g->conf->token;
	const char *last = n->p.last_id[0] ? n->p.last_id : "0";
	int len;

	snprintf(n->from, sizeof(n->from), "%s", last);

	len = snprintf(n->req, sizeof(n->req),
		       "GET /events HTTP/1.1\r\nHost: %s%s%s:%u\r\nAccept: text/event-stream\r\n"
		       "Cache-Control: no-cache\r\nUser-Agent: rtmon-aggregate/" PACKAGE_VERSION "\r\n"
		       "Last-Event-ID: %s\r\n%s%s%s\r\n",
		       strchr(n->host, ':') ? "[" : "", n->host, strchr(n->host, ':') ? "]" : "", n->port, last,
		       tok[0] ? "Authorization: Bearer " : "", tok, tok[0] ? "\r\n" : "");
	n->req_len = len > 0 && (size_t)len < sizeof(n->req) ? (size_t)len : 0;
	n->req_off = 0;
}

static const char *feed_error(struct agg_node *n, int r, char *buf, size_t len)
{
	if (r == -EBADMSG && (n->p.status == 401 || n->p.status == 403))
		snprintf(buf, len,
			 "answered %d: the token is missing or wrong (aggregate.token must be the node's "
			 "outputs.sse.token)",
			 n->p.status);
	else if (r == -EBADMSG)
		snprintf(buf, len, "answered HTTP %d to GET /events", n->p.status);
	else if (r == -EMEDIUMTYPE)
		snprintf(buf, len, "GET /events is not an event stream there (not an rtmon listener?)");
	else
		snprintf(buf, len, "bad response (%s)", strerror(-r));
	return buf;
}

static void node_read(struct agg_node *n)
{
	struct rtmon_aggregator *g = n->g;
	char why[200];

	for (;;) {
		ssize_t k = recv(n->fd, g->rx, sizeof(g->rx), 0);
		int r;

		if (k == 0) {
			node_fail(n, "the node closed the stream");
			return;
		}
		if (k < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			snprintf(why, sizeof(why), "receive failed: %s", strerror(errno));
			node_fail(n, why);
			return;
		}
		n->last_rx_ms = loop_now_ms();
		r = sse_parse_feed(&n->p, g->rx, (size_t)k, on_event, n);
		if (r < 0) {
			node_fail(n, feed_error(n, r, why, sizeof(why)));
			return;
		}
		if (!n->up && n->p.state != SSE_P_STATUS && n->p.state != SSE_P_HEADERS) {
			n->up = true;
			n->connects++;
			log_info("aggregate: node %s streaming (after %s)", n->name,
				 strcmp(n->from, "0") ? n->from : "nothing: from the oldest alert it holds");
			n->failing = false;
		}
	}
}

static void node_write(struct agg_node *n)
{
	char why[200];

	while (n->req_off < n->req_len) {
		ssize_t k = send(n->fd, n->req + n->req_off, n->req_len - n->req_off, MSG_NOSIGNAL);

		if (k < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (k < 0) {
			snprintf(why, sizeof(why), "send failed: %s", strerror(errno));
			node_fail(n, why);
			return;
		}
		n->req_off += (size_t)k;
	}
	n->state = NODE_STREAMING;
	n->last_rx_ms = loop_now_ms();
	loop_mod(n->g->d->loop, n->fd, EPOLLIN);
}

static void on_node_io(void *ctx, int fd, uint32_t events)
{
	struct agg_node *n = ctx;
	int err = 0;
	socklen_t el = sizeof(err);
	char why[200];

	(void)fd;
	if (n->state == NODE_CONNECTING) {
		if (getsockopt(n->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			err = errno;
		if (err) {
			snprintf(why, sizeof(why), "connect failed: %s", strerror(err));
			node_fail(n, why);
			return;
		}
		node_request(n);
		n->state = NODE_SENDING;
	}
	if (n->state == NODE_SENDING) {
		node_write(n);
		return;
	}
	if (events & EPOLLIN)
		node_read(n);
	else if (events & (EPOLLERR | EPOLLHUP))
		node_fail(n, "connection lost");
}

static void node_connect(struct agg_node *n)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	char port[8], why[300];
	int r;

	snprintf(port, sizeof(port), "%u", n->port);
	/* blocking for a name (a static node given by name); discovery hands addresses */
	r = getaddrinfo(n->host, port, &hints, &ai);
	if (r != 0 || !ai) {
		snprintf(why, sizeof(why), "cannot resolve %s: %s", n->host, gai_strerror(r));
		node_fail(n, why);
		return;
	}
	n->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (n->fd < 0 || (connect(n->fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)) {
		snprintf(why, sizeof(why), "connect failed: %s", strerror(errno));
		freeaddrinfo(ai);
		node_fail(n, why);
		return;
	}
	freeaddrinfo(ai);
	n->state = NODE_CONNECTING;
	if ((r = loop_add(n->g->d->loop, n->fd, EPOLLOUT, on_node_io, n)) < 0) {
		snprintf(why, sizeof(why), "cannot watch the socket: %s", strerror(-r));
		node_fail(n, why);
	}
}

static struct agg_node *node_add(struct rtmon_aggregator *g, const char *host, uint16_t port, bool discovered)
{
	struct agg_node *n;

	if (g->n_nodes >= AGG_NODES_MAX) {
		if (g->nodes_limit_logged++ == 0)
			log_warnx("aggregate: more than %d nodes, ignoring %s", AGG_NODES_MAX, host);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->g = g;
	n->fd = -1;
	n->discovered = discovered;
	snprintf(n->host, sizeof(n->host), "%s", host);
	n->port = port;
	snprintf(n->name, sizeof(n->name), strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
	sse_parser_init(&n->p);
	g->nodes[g->n_nodes++] = n;
	return n;
}

static void node_free(struct agg_node *n)
{
	node_close(n);
	sse_parser_done(&n->p);
	free(n);
}

/* ---- discovery: every address of aggregate.discover is a node ---- */

static struct agg_node *node_find(struct rtmon_aggregator *g, const char *host, uint16_t port)
{
	for (size_t i = 0; i < g->n_nodes; i++)
		if (g->nodes[i]->port == port && strcmp(g->nodes[i]->host, host) == 0)
			return g->nodes[i];
	return NULL;
}

static void drop_vanished(struct rtmon_aggregator *g)
{
	size_t j = 0;

	for (size_t i = 0; i < g->n_nodes; i++) {
		struct agg_node *n = g->nodes[i];

		if (n->discovered && !n->seen_in_dns) {
			log_info("aggregate: node %s left %s", n->name, g->conf->discover);
			node_free(n);
			continue;
		}
		g->nodes[j++] = n;
	}
	g->n_nodes = j;
}

static void discover(struct rtmon_aggregator *g)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	char name[256], port[8];
	uint16_t p;
	int r;

	if (agg_split_hostport(g->conf->discover, name, sizeof(name), &p) < 0)
		return;
	snprintf(port, sizeof(port), "%u", p);
	r = getaddrinfo(name, port, &hints, &ai);
	if (r != 0) {
		/* keep the nodes we have: a DNS hiccup is not every node leaving */
		log_warnx("aggregate: cannot resolve %s (%s), keeping the %zu nodes known", name, gai_strerror(r),
			  g->n_nodes);
		return;
	}
	for (size_t i = 0; i < g->n_nodes; i++)
		g->nodes[i]->seen_in_dns = false;
	for (struct addrinfo *a = ai; a; a = a->ai_next) {
		char addr[64];
		struct agg_node *n;

		if (getnameinfo(a->ai_addr, a->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST) != 0)
			continue;
		n = node_find(g, addr, p);
		if (!n && (n = node_add(g, addr, p, true)))
			log_info("aggregate: node %s found through %s", n->name, g->conf->discover);
		if (n)
			n->seen_in_dns = true;
	}
	freeaddrinfo(ai);
	drop_vanished(g);
}

/* ---- the loop ---- */

static void tick(struct rtmon_aggregator *g)
{
	uint64_t now = loop_now_ms();
	uint64_t idle = (uint64_t)g->conf->idle_timeout_s * 1000;
	char why[80];

	if (g->conf->discover[0] && now >= g->next_discover_ms) {
		discover(g);
		g->next_discover_ms = now + (uint64_t)g->conf->discover_interval_s * 1000;
	}
	for (size_t i = 0; i < g->n_nodes; i++) {
		struct agg_node *n = g->nodes[i];

		if (n->state == NODE_IDLE && now >= n->next_try_ms)
			node_connect(n);
		else if (n->state != NODE_IDLE && now - n->last_rx_ms > idle && n->last_rx_ms) {
			snprintf(why, sizeof(why), "silent for %u s (no alert, no keep-alive)",
				 g->conf->idle_timeout_s);
			node_fail(n, why);
		}
	}
	if (now >= g->next_state_ms) {
		state_save(g);
		g->next_state_ms = now + 1000;
	}
	outputs_tick(&g->d->outputs, now);
}

static void on_timer(void *ctx, int fd, uint32_t events)
{
	uint64_t exp;

	(void)events;
	if (read(fd, &exp, sizeof(exp)) == sizeof(exp))
		tick(ctx);
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct rtmon_aggregator *g = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			log_info("aggregate: stopping on signal %u from pid %u", si.ssi_signo, si.ssi_pid);
			g->d->stop = true;
		} else if (si.ssi_signo == SIGHUP) {
			log_warnx("aggregate: SIGHUP ignored: restart the aggregator to change its configuration "
				  "(nothing is lost: it resumes every node)");
		}
	}
}

static int setup_loop(struct rtmon_aggregator *g)
{
	struct rtmon_daemon *d = g->d;
	struct itimerspec its = { .it_interval = { 0, AGG_TICK_MS * 1000000L }, .it_value = { 0, 1000000L } };
	sigset_t mask;
	int r;

	if ((r = loop_new(&d->loop)) < 0)
		return r;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->sigfd < 0 || d->timerfd < 0 || timerfd_settime(d->timerfd, 0, &its, NULL) < 0)
		return -errno;
	if ((r = loop_add(d->loop, d->sigfd, EPOLLIN, on_signal, g)) < 0)
		return r;
	return loop_add(d->loop, d->timerfd, EPOLLIN, on_timer, g);
}

/*
 * Started as root: the configured user (nobody when it does not exist), no
 * supplementary groups, an empty bounding set; the uid change clears every
 * capability. Then no_new_privs in any case. Failing to drop is fatal: this
 * process parses what the network sends.
 */
static int drop_privileges(const char *user)
{
	struct passwd *pw;
	uid_t uid = AGG_NOBODY;
	gid_t gid = AGG_NOBODY;

	if (geteuid() == 0) {
		pw = getpwnam(user);
		if (pw && pw->pw_uid != 0) {
			uid = pw->pw_uid;
			gid = pw->pw_gid;
		} else {
			log_warnx("aggregate: no user '%s' (or it is root), running as nobody (%d)", user, AGG_NOBODY);
		}
		for (int c = 0; c < 64; c++)
			if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
				prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
			return log_errno(-errno, "aggregate: cannot become uid %u", (unsigned)uid), -1;
		log_info("aggregate: running as uid %u gid %u, no capabilities", (unsigned)uid, (unsigned)gid);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_errno(-errno, "aggregate: cannot set no_new_privs"), -1;
	return 0;
}

static int add_static_nodes(struct rtmon_aggregator *g)
{
	for (char **s = g->conf->nodes; s && *s; s++) {
		char host[256];
		uint16_t port;

		if (agg_split_hostport(*s, host, sizeof(host), &port) < 0) {
			log_err("aggregate.nodes: '%s' is not host:port", *s);
			return -EINVAL;
		}
		if (!node_find(g, host, port) && !node_add(g, host, port, false))
			return -ENOMEM;
	}
	if (!g->n_nodes && !g->conf->discover[0]) {
		log_err("aggregate: no nodes: set aggregate.nodes and/or aggregate.discover");
		return -EINVAL;
	}
	return 0;
}

static int start(struct rtmon_aggregator *g)
{
	struct rtmon_daemon *d = g->d;
	int r;

	if ((r = setup_loop(g)) < 0)
		return log_errno(r, "cannot set up the event loop"), r;
	if ((r = agg_seen_init(&g->seen, g->conf->seen_max)) < 0)
		return log_errno(r, "aggregate: cannot size the dedupe set"), r;
	if ((r = add_static_nodes(g)) < 0)
		return r;
	if ((r = setup_outputs(d, d->cfg)) < 0)
		return log_errno(r, "cannot open the outputs"), r;
	if (drop_privileges(g->conf->user) < 0)
		return -EPERM;
	if (g->conf->state_file[0])
		state_load(g);
	return 0;
}

static void run(struct rtmon_aggregator *g)
{
	struct rtmon_daemon *d = g->d;

	log_info("aggregating %zu node(s)%s%s into %zu output(s)", g->n_nodes, g->conf->discover[0] ? " and " : "",
		 g->conf->discover[0] ? g->conf->discover : "", d->outputs.n);
	notify_ready();
	while (!d->stop) {
		int r = loop_run_once(d->loop, 1000);

		if (r < 0) {
			log_errno(r, "event loop failed");
			break;
		}
	}
	notify_stopping();
	state_save(g);
	outputs_flush(&d->outputs, 5000);
	log_notice("rtmon aggregator stopped: alerts=%" PRIu64 " duplicates=%" PRIu64 " replayed=%" PRIu64
		   " not_alerts=%" PRIu64,
		   g->alerts, g->dups, g->replayed, g->bad);
}

int daemon_aggregate(const struct rtmon_daemon_opts *opts)
{
	struct rtmon_daemon *d = calloc(1, sizeof(*d));
	struct rtmon_aggregator *g = calloc(1, sizeof(*g));
	int code = 1;

	if (!d || !g) {
		log_warnx("out of memory");
		goto out;
	}
	d->opts = *opts;
	d->sigfd = d->timerfd = d->lock_fd = -1;
	d->stats.start_mono_ns = loop_now_ns();
	d->agg = g;
	g->d = d;
	if (setup_load_config(&d->opts, &d->cfg, NULL, 0) < 0)
		goto out;
	g->conf = &d->cfg->aggregate;
	setup_hostname(d);
	if (start(g) < 0)
		goto out;
	run(g);
	code = 0;
out:
	if (g) {
		for (size_t i = 0; i < g->n_nodes; i++)
			node_free(g->nodes[i]);
		agg_seen_done(&g->seen);
	}
	if (d)
		setup_teardown(d);
	free(g);
	free(d);
	return code;
}

/* ---- metrics and health (the listener's /metrics and /healthz) ---- */

void aggregate_metrics(struct rtmon_aggregator *g, FILE *out)
{
	fprintf(out,
		"# HELP rtmon_aggregate_alerts_total Alerts taken from the nodes and forwarded.\n"
		"# TYPE rtmon_aggregate_alerts_total counter\nrtmon_aggregate_alerts_total %" PRIu64 "\n",
		g->alerts);
	fprintf(out,
		"# HELP rtmon_aggregate_duplicates_total Alerts dropped as already seen (host, id).\n"
		"# TYPE rtmon_aggregate_duplicates_total counter\nrtmon_aggregate_duplicates_total %" PRIu64 "\n",
		g->dups);
	fprintf(out,
		"# HELP rtmon_aggregate_replayed_total Alerts a previous run had forwarded (state_file), "
		"sent to the dashboard only.\n# TYPE rtmon_aggregate_replayed_total counter\n"
		"rtmon_aggregate_replayed_total %" PRIu64 "\n",
		g->replayed);
	fprintf(out,
		"# HELP rtmon_aggregate_invalid_total Events from nodes that were not rtmon alerts.\n"
		"# TYPE rtmon_aggregate_invalid_total counter\nrtmon_aggregate_invalid_total %" PRIu64 "\n",
		g->bad);
	fprintf(out, "# HELP rtmon_aggregate_node_up 1 while the node's /events stream is open.\n"
		     "# TYPE rtmon_aggregate_node_up gauge\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		fprintf(out, "rtmon_aggregate_node_up{node=\"%s\"} %d\n", g->nodes[i]->name, g->nodes[i]->up ? 1 : 0);
	fprintf(out, "# HELP rtmon_aggregate_node_alerts_total Alerts forwarded, by node.\n"
		     "# TYPE rtmon_aggregate_node_alerts_total counter\n");
	for (size_t i = 0; i < g->n_nodes; i++)
		fprintf(out, "rtmon_aggregate_node_alerts_total{node=\"%s\"} %" PRIu64 "\n", g->nodes[i]->name,
			g->nodes[i]->alerts);
}

int aggregate_health(struct rtmon_aggregator *g, FILE *out)
{
	size_t up = 0;

	for (size_t i = 0; i < g->n_nodes; i++)
		up += g->nodes[i]->up;
	fprintf(out,
		"{\"status\":\"%s\",\"mode\":\"aggregate\",\"nodes\":%zu,\"nodes_up\":%zu,\"alerts\":%" PRIu64
		",\"duplicates\":%" PRIu64 ",\"uptime_s\":%.1f}",
		up ? "ok" : "no node connected", g->n_nodes, up, g->alerts, g->dups,
		(double)(loop_now_ns() - g->d->stats.start_mono_ns) / 1e9);
	return up > 0;
}
