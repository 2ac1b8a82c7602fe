/* SPDX-License-Identifier: MIT */
/* listener.c - the monitor's side of the separated HTTP listener; see listener.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* close_range, open_memstream */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "listener.h"
#include "log.h"
#include "sse_ring.h"

#define LSN_BACKOFF_MIN_MS 100
#define LSN_BACKOFF_MAX_MS 30000
#define LSN_STABLE_MS 10000	     /* a child that lived this long resets the back-off */
#define LSN_SNDBUF (4 * 1024 * 1024) /* room for bursts of alerts and a metrics snapshot */

struct lsn {
	struct rtmon_sink sink; /* first: the fan-out sees this */
	struct rtmon_loop *loop;
	void (*metrics)(void *ctx, FILE *out);
	int (*health)(void *ctx, FILE *out);
	int (*history)(void *ctx, const struct hist_query *q, FILE *out, char *ret_cursor, size_t cursor_size);
	void *ctx;
	char *listen, *dashboard_dir;
	char *blob; /* the 'C' message */
	size_t blob_len;
	bool loopback, have_token, want_out;
	int lfd, sock, req; /* listening socket (kept across children), socketpair ends */
	pid_t pid;
	struct sse_ring *ring;
	uint64_t sent; /* ring idx of the next alert to send the child */
	uint64_t started_ms, next_start_ms, backoff_ms;
	uint64_t restarts, dropped, emit_errors;
	uint64_t history_pages, history_bad; /* journal pages asked by the child; requests refused */
	FILE *snap_f;			     /* the metrics/health snapshot, into snap_buf */
	char *snap_buf;
	size_t snap_len;
	int verbose;
	char exe[PATH_MAX];
};

/* ---- the settings message ---- */

static void put_kv(FILE *f, const char *k, const char *v)
{
	fputs(k, f);
	fputc('\0', f);
	fputs(v ? v : "", f);
	fputc('\0', f);
}

static void put_ku(FILE *f, const char *k, uint32_t v)
{
	char b[16];

	snprintf(b, sizeof(b), "%u", v);
	put_kv(f, k, b);
}

static int make_blob(const struct rtmon_sse_conf *c, char **ret, size_t *ret_len)
{
	FILE *f = open_memstream(ret, ret_len);

	if (!f)
		return -ENOMEM;
	fputc('C', f);
	put_kv(f, "listen", c->listen ? c->listen : "127.0.0.1:8090");
	put_kv(f, "token", c->token);
	put_kv(f, "dashboard_dir", c->dashboard_dir);
	for (size_t i = 0; c->allowed_origins && c->allowed_origins[i]; i++)
		put_kv(f, "origin", c->allowed_origins[i]);
	put_ku(f, "max_clients", c->max_clients);
	put_ku(f, "history", c->history);
	put_ku(f, "client_buffer_kb", c->client_buffer_kb);
	put_ku(f, "keepalive_s", c->keepalive_s);
	if (fclose(f) != 0) {
		free(*ret);
		*ret = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* ---- the socketpair ---- */

static int send_fd(int fd, struct iovec *iov, size_t n)
{
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = n };

	if (fd < 0)
		return -ENOTCONN;
	return sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static int send_iov(struct lsn *l, struct iovec *iov, size_t n)
{
	return send_fd(l->sock, iov, n);
}

static void want_out(struct lsn *l, bool on)
{
	if (l->want_out == on || l->sock < 0)
		return;
	l->want_out = on;
	loop_mod(l->loop, l->sock, EPOLLIN | (on ? EPOLLOUT : 0));
}

static char type_alert[] = "A";

/* Sends the child every alert from the cursor on; stops (and waits for EPOLLOUT) when its socket is full. */
static void send_alerts(struct lsn *l)
{
	while (l->sock >= 0 && l->sent < l->ring->head) {
		const struct sse_entry *e;
		char seq[24];
		struct iovec iov[4];
		int r;

		e = sse_ring_at(l->ring, l->sent);
		if (!e) { /* evicted before the child took it (or a gap left by an earlier eviction) */
			uint64_t next = sse_ring_next(l->ring, l->sent);

			l->dropped += next - l->sent;
			l->sent = next;
			continue;
		}
		/* "SEQ CLASS": the child's ring keeps the same alerts in preference */
		snprintf(seq, sizeof(seq), "\n%llu %d\n", (unsigned long long)e->seq, (int)e->cls);
		iov[0] = (struct iovec){ type_alert, 1 };
		iov[1] = (struct iovec){ (void *)e->id, strlen(e->id) };
		iov[2] = (struct iovec){ seq, strlen(seq) };
		iov[3] = (struct iovec){ e->frame + e->json_off, e->json_len };
		r = send_iov(l, iov, 4);
		if (r == -EAGAIN || r == -EWOULDBLOCK || r == -ENOBUFS) {
			want_out(l, true);
			return;
		}
		if (r < 0)
			return; /* the child is gone: EPOLLHUP follows */
		l->sent = sse_ring_next(l->ring, l->sent + 1);
	}
	want_out(l, false);
}

/* Rewinds the snapshot stream (made once, its buffer reused: no allocation per tick). */
static FILE *snap_begin(struct lsn *l)
{
	if (!l->snap_f && !(l->snap_f = open_memstream(&l->snap_buf, &l->snap_len)))
		return NULL;
	return fseek(l->snap_f, 0, SEEK_SET) == 0 ? l->snap_f : NULL;
}

/* The daemon's metrics and health, asked for by the child when it serves /metrics or /healthz. */
static void send_snapshot(struct lsn *l)
{
	FILE *f;
	int healthy = 1;

	if (l->req < 0)
		return;
	if (l->metrics && (f = snap_begin(l))) {
		fputc('M', f);
		l->metrics(l->ctx, f);
		if (fflush(f) == 0)
			send_fd(l->req, &(struct iovec){ l->snap_buf, l->snap_len }, 1);
	}
	if ((f = snap_begin(l))) {
		fputs("H1", f);
		if (l->health)
			healthy = l->health(l->ctx, f) == 1;
		else
			fputs("{\"status\":\"ok\"}", f);
		if (fflush(f) == 0 && l->snap_len >= 2) {
			l->snap_buf[1] = healthy ? '1' : '0';
			send_fd(l->req, &(struct iovec){ l->snap_buf, l->snap_len }, 1);
		}
	}
}

/* ---- the child's life ---- */

static void status_text(int st, char *buf, size_t size)
{
	if (WIFSIGNALED(st))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(st));
	else
		snprintf(buf, size, "ended (status 0x%x)", (unsigned)st);
}

/* Closes our end and reaps the child (killing it first when it is still there). Returns its status. */
static int reap(struct lsn *l, int grace_ms)
{
	int st = 0;
	pid_t r;

	if (l->sock >= 0) {
		loop_del(l->loop, l->sock);
		close(l->sock);
		l->sock = -1;
		l->want_out = false;
	}
	if (l->req >= 0) {
		loop_del(l->loop, l->req);
		close(l->req);
		l->req = -1;
	}
	if (l->pid <= 0)
		return 0;
	while ((r = waitpid(l->pid, &st, WNOHANG)) == 0 && grace_ms > 0) {
		poll(NULL, 0, 10);
		grace_ms -= 10;
	}
	if (r == 0) {
		kill(l->pid, SIGKILL);
		while ((r = waitpid(l->pid, &st, 0)) < 0 && errno == EINTR)
			;
	}
	l->pid = 0;
	return st;
}

static void on_sock(void *ctx, int fd, uint32_t events);

/* In the child after fork: fds 0 and 1 on /dev/null, 2 kept, the socketpair on 3, the listener on 4, exec. */
static void child_exec(struct lsn *l, int sock, int req)
{
	char a0[] = "rtmond", a1[] = RTMON_LISTENER_ARG, a2[] = "-v";
	char *argv[] = { a0, a1, l->verbose ? a2 : NULL, NULL };
	sigset_t none;
	int null, a, b, c;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* the monitor blocks signals for its signalfd */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	a = fcntl(sock, F_DUPFD, 10);
	b = fcntl(l->lfd, F_DUPFD, 10);
	c = fcntl(req, F_DUPFD, 10);
	if (null < 0 || a < 0 || b < 0 || c < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(a, RTMON_LISTENER_SOCK_FD) < 0 || dup2(b, RTMON_LISTENER_LISTEN_FD) < 0 ||
	    dup2(c, RTMON_LISTENER_REQ_FD) < 0)
		_exit(127);
	close_range(RTMON_LISTENER_REQ_FD + 1, ~0u, 0);
	execv(l->exe, argv);
	_exit(127);
}

/*
 * A history page asked by the child: 'Q' ID(8 hex) QUERY (hist_query_encode),
 * answered 'P' ID STATUS CURSOR '\n' JSON, STATUS 'j' (a journal page),
 * 'n' (no journal: the child's ring answers) or 'b' (a cursor the journal
 * does not know). The query is parsed again here: the child is not trusted.
 */
static void answer_history(struct lsn *l, const char *msg, size_t len)
{
	struct hist_query q;
	char cursor[HIST_CURSOR_MAX], status = 'n';
	FILE *f;
	int r = 0;

	if (len < 9 || strspn(msg + 1, "0123456789abcdef") < 8 || hist_query_decode(msg + 9, len - 9, &q) < 0) {
		l->history_bad++;
		return; /* the child times out */
	}
	if (!(f = snap_begin(l)))
		return;
	fputc('P', f);
	fwrite(msg + 1, 1, 8, f);
	fputc('n', f);
	if (l->history) {
		long at = ftell(f);

		r = l->history(l->ctx, &q, f, cursor, sizeof(cursor));
		if (r > 0) {
			/* the page went in after the header: put the cursor line before it */
			status = 'j';
			l->history_pages++;
		} else {
			fseek(f, at, SEEK_SET);
			status = r == -EINVAL ? 'b' : 'n';
		}
	}
	if (fflush(f) != 0)
		return;
	l->snap_buf[9] = status;
	if (status != 'j') {
		l->snap_len = 10;
		send_fd(l->req, &(struct iovec){ l->snap_buf, l->snap_len }, 1);
		return;
	}
	send_fd(l->req,
		(struct iovec[]){ { l->snap_buf, 10 },
				  { cursor, strlen(cursor) },
				  { (char *)"\n", 1 },
				  { l->snap_buf + 10, l->snap_len - 10 } },
		4);
}

static void on_req(void *ctx, int fd, uint32_t events)
{
	struct lsn *l = ctx;
	char b[4096];
	ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT | MSG_TRUNC);

	if (n > 0 && b[0] == 'R')
		send_snapshot(l);
	else if (n > 0 && b[0] == 'Q' && (size_t)n <= sizeof(b))
		answer_history(l, b, (size_t)n);
	else if (n == 0 || (events & (EPOLLHUP | EPOLLERR))) {
		loop_del(l->loop, fd); /* the child is gone: on_sock reaps it */
		close(fd);
		l->req = -1;
	}
}

static int spawn(struct lsn *l)
{
	int sv[2], rq[2], big = LSN_SNDBUF, r;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, rq) < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		r = -errno;
		close(rq[0]);
		close(rq[1]);
		return r;
	}
	if (setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	/* history pages (LSN_PAGE_BYTES) go back over rq */
	if (setsockopt(rq[0], SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(rq[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(rq[1], SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		close(rq[0]);
		close(rq[1]);
		return r;
	}
	if (pid == 0)
		child_exec(l, sv[1], rq[1]);
	close(sv[1]);
	close(rq[1]);
	fcntl(rq[0], F_SETFL, O_NONBLOCK);
	l->req = rq[0];
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	l->pid = pid;
	l->sock = sv[0];
	l->started_ms = loop_now_ms();
	r = loop_add(l->loop, l->sock, EPOLLIN, on_sock, l);
	if (r == 0)
		r = loop_add(l->loop, l->req, EPOLLIN, on_req, l);
	if (r < 0) {
		reap(l, 0);
		return r;
	}
	log_info("sse: listener process %d started", (int)pid);
	send_iov(l, &(struct iovec){ l->blob, l->blob_len }, 1);
	l->sent = sse_ring_oldest(l->ring); /* a new child gets the whole ring */
	send_alerts(l);
	return 0;
}

static void schedule(struct lsn *l, uint64_t lived_ms)
{
	if (lived_ms >= LSN_STABLE_MS)
		l->backoff_ms = LSN_BACKOFF_MIN_MS;
	l->next_start_ms = loop_now_ms() + l->backoff_ms;
	l->backoff_ms = l->backoff_ms * 2 > LSN_BACKOFF_MAX_MS ? LSN_BACKOFF_MAX_MS : l->backoff_ms * 2;
}

static void child_died(struct lsn *l)
{
	uint64_t lived = loop_now_ms() - l->started_ms;
	pid_t pid = l->pid;
	char why[96];
	int st = reap(l, 1000);

	status_text(st, why, sizeof(why));
	l->restarts++;
	schedule(l, lived);
	log_warnx("sse: listener process %d %s; monitoring goes on, restarting it in %llu ms", (int)pid, why,
		  (unsigned long long)(l->next_start_ms - loop_now_ms()));
}

static void on_sock(void *ctx, int fd, uint32_t events)
{
	struct lsn *l = ctx;
	char b[64];

	if (events & (EPOLLHUP | EPOLLERR)) {
		child_died(l);
		return;
	}
	if (events & EPOLLIN) {
		ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);

		if (n == 0) {
			child_died(l);
			return;
		}
	}
	if (events & EPOLLOUT)
		send_alerts(l);
}

static void start_if_due(struct lsn *l, uint64_t now)
{
	int r;

	if (l->sock >= 0 || now < l->next_start_ms)
		return;
	r = spawn(l);
	if (r < 0) {
		log_errno(r, "sse: cannot start the listener process");
		schedule(l, 0);
	}
}

/* ---- the sink ---- */

static void lsn_emit(struct rtmon_sink *sink, const struct rtmon_alert *a, const char *json)
{
	struct lsn *l = (struct lsn *)sink;

	if (sse_ring_push(l->ring, a->id, a->seq, alert_keep_first(a) ? SSE_CLASS_KEEP : SSE_CLASS_LOW, json) < 0) {
		l->emit_errors++;
		return;
	}
	send_alerts(l);
}

static void lsn_tick(struct rtmon_sink *sink, uint64_t now_ms)
{
	struct lsn *l = (struct lsn *)sink;

	start_if_due(l, loop_now_ms());
	send_alerts(l);
}

static void lsn_flush(struct rtmon_sink *sink, int timeout_ms)
{
	struct lsn *l = (struct lsn *)sink;
	uint64_t end = loop_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	while (l->sock >= 0 && l->sent < l->ring->head && loop_now_ms() < end) {
		struct pollfd p = { .fd = l->sock, .events = POLLOUT };

		if (poll(&p, 1, 10) > 0 && (p.revents & (POLLHUP | POLLERR)))
			break;
		send_alerts(l);
	}
	/* the child sees the end of its input, lets its clients take what it has, and exits */
	if (l->sock >= 0)
		shutdown(l->sock, SHUT_WR);
	reap(l, (int)(end > loop_now_ms() ? end - loop_now_ms() : 0) + 100);
}

static void lsn_metrics(struct rtmon_sink *sink, FILE *out)
{
	struct lsn *l = (struct lsn *)sink;

	fprintf(out,
		"# HELP rtmon_listener_up 1 while the HTTP listener process runs.\n"
		"# TYPE rtmon_listener_up gauge\n"
		"rtmon_listener_up %d\n"
		"# HELP rtmon_listener_restarts_total Times the HTTP listener process died and was restarted.\n"
		"# TYPE rtmon_listener_restarts_total counter\n"
		"rtmon_listener_restarts_total %llu\n"
		"# HELP rtmon_listener_dropped_total Alerts the listener process was too slow to be sent.\n"
		"# TYPE rtmon_listener_dropped_total counter\n"
		"rtmon_listener_dropped_total %llu\n"
		"# HELP rtmon_listener_history_pages_total /api/alerts pages read from the journal for the listener.\n"
		"# TYPE rtmon_listener_history_pages_total counter\n"
		"rtmon_listener_history_pages_total %llu\n"
		"# HELP rtmon_listener_history_refused_total History requests from the listener refused as malformed.\n"
		"# TYPE rtmon_listener_history_refused_total counter\n"
		"rtmon_listener_history_refused_total %llu\n",
		l->sock >= 0, (unsigned long long)l->restarts, (unsigned long long)l->dropped,
		(unsigned long long)l->history_pages, (unsigned long long)l->history_bad);
}

static void lsn_free(struct rtmon_sink *sink)
{
	struct lsn *l = (struct lsn *)sink;

	if (!l)
		return;
	reap(l, 0);
	if (l->lfd >= 0)
		close(l->lfd);
	sse_ring_free(l->ring);
	if (l->snap_f)
		fclose(l->snap_f);
	free(l->snap_buf);
	free(l->blob);
	free(l->listen);
	free(l->dashboard_dir);
	free(l);
}

static int lsn_reconfigure(struct rtmon_sink *sink, const void *conf)
{
	struct lsn *l = (struct lsn *)sink;
	const struct rtmon_sse_conf *c = conf;
	char *blob;
	size_t len;
	int r;

	if (strcmp(c->listen ? c->listen : "127.0.0.1:8090", l->listen) != 0)
		return -EAGAIN;
	if (!l->loopback && !(c->token && c->token[0]))
		return -EPERM;
	r = make_blob(c, &blob, &len);
	if (r < 0)
		return r;
	r = sse_ring_resize(l->ring, c->history ? c->history : 1024);
	if (r < 0) {
		free(blob);
		return r;
	}
	if (len == l->blob_len && memcmp(blob, l->blob, len) == 0) {
		free(blob);
		return 0;
	}
	free(l->blob);
	l->blob = blob;
	l->blob_len = len;
	if (strcmp(c->dashboard_dir ? c->dashboard_dir : "", l->dashboard_dir) == 0) {
		/* in place: the child reconfigures its listener, open streams stay */
		if (send_iov(l, &(struct iovec){ l->blob, l->blob_len }, 1) == 0 || l->sock < 0)
			return 0;
	} else {
		char *d = strdup(c->dashboard_dir ? c->dashboard_dir : "");

		if (!d)
			return -ENOMEM;
		free(l->dashboard_dir);
		l->dashboard_dir = d;
	}
	/* a new root (or the settings could not be sent): a new child; clients reconnect and resume */
	reap(l, 0);
	l->next_start_ms = 0;
	start_if_due(l, loop_now_ms());
	return 0;
}

static const struct rtmon_sink_ops lsn_ops = {
	.kind = "sse",
	.emit = lsn_emit,
	.tick = lsn_tick,
	.flush = lsn_flush,
	.metrics = lsn_metrics,
	.reconfigure = lsn_reconfigure,
	.free = lsn_free,
};

int listener_new(const struct rtmon_sse_opts *opts, struct rtmon_sink **ret)
{
	const struct rtmon_sse_conf *c;
	struct lsn *l;
	ssize_t n;
	int r;

	if (!opts || !opts->conf || !opts->loop || !ret)
		return -EINVAL;
	c = opts->conf;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->sink.ops = &lsn_ops;
	snprintf(l->sink.key, sizeof(l->sink.key), "sse");
	l->loop = opts->loop;
	l->metrics = opts->metrics;
	l->health = opts->health;
	l->history = opts->history;
	l->ctx = opts->ctx;
	l->lfd = l->sock = l->req = -1;
	l->backoff_ms = LSN_BACKOFF_MIN_MS;
	l->verbose = log_verbose();
	l->listen = strdup(c->listen ? c->listen : "127.0.0.1:8090");
	l->dashboard_dir = strdup(c->dashboard_dir ? c->dashboard_dir : "");
	r = l->listen && l->dashboard_dir ? make_blob(c, &l->blob, &l->blob_len) : -ENOMEM;
	if (r < 0)
		goto fail;
	r = sse_ring_new(c->history ? c->history : 1024, &l->ring);
	if (r < 0)
		goto fail;
	/* readlink, not "/proc/self/exe" at exec: under valgrind that would be the tool */
	n = readlink("/proc/self/exe", l->exe, sizeof(l->exe) - 1);
	if (n <= 0) {
		r = -errno;
		log_errno(r, "sse: cannot find rtmond's own executable");
		goto fail;
	}
	l->exe[n] = '\0';
	l->have_token = c->token && c->token[0];
	r = out_sse_listen_socket(l->listen, l->have_token, &l->loopback);
	if (r < 0)
		goto fail;
	l->lfd = r;
	r = spawn(l);
	if (r < 0)
		goto fail;
	log_info("sse: listening on %s%s", l->listen, l->have_token ? " (token required)" : "");
	*ret = &l->sink;
	return 0;
fail:
	lsn_free(&l->sink);
	return r;
}

int listener_pid(struct rtmon_sink *sink)
{
	struct lsn *l = (struct lsn *)sink;

	if (!sink || sink->ops != &lsn_ops)
		return 0;
	return (int)l->pid;
}
