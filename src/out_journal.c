/* SPDX-License-Identifier: MIT */
/*
 * out_journal.c - the journald sink: one structured entry per alert.
 *
 * Why not sd_journal_sendv(): libsystemd 252 sends on a *blocking* datagram
 * socket (verified with strace: socket(AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC),
 * sendmsg(..., MSG_NOSIGNAL)), so a stalled journald would stall the event
 * loop, and it returns 0 when the socket is absent (ENOENT), so nothing could
 * be counted.  This sink speaks the same native protocol (the payload comes
 * from journal_entry_serialize(), entries too big for a datagram go in a
 * sealed memfd, as libsystemd does) over a non-blocking socket, addressed per
 * send, so a restarted journald is found again with no reconnect logic.
 * What cannot be sent now waits in a bounded queue retried on tick();
 * beyond the bound the oldest entry is dropped and counted.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create, F_ADD_SEALS */
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fmt_journal.h"
#include "log.h"
#include "out_journal.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_QUEUE_MAX 1024	       /* entries waiting for journald */
#define JOURNAL_QUEUE_BYTES (8u << 20) /* and their bytes */
#define JOURNAL_SPARE_MAX 32	       /* buffers of sent entries kept for the next ones */
#define JOURNAL_SNDBUF (8 << 20)

struct journal_msg {
	char *buf;
	size_t len, cap;
};

struct journal_sink {
	struct rtmon_sink base;
	int fd;
	struct sockaddr_un addr;
	socklen_t addr_len;
	struct journal_entry entry;		     /* reused for every alert */
	struct rtmon_sbuf payload;		     /* its serialised form, reused too */
	struct journal_msg q[JOURNAL_QUEUE_MAX];     /* ring */
	struct journal_msg spare[JOURNAL_SPARE_MAX]; /* so a journald that pushes back costs no allocation per alert */
	size_t n_spare;
	size_t q_head, q_n, q_bytes;
	uint64_t sent, errors, dropped;
	int fault; /* the errno being reported, 0 = healthy */
};

static int journal_socket(struct journal_sink *j)
{
	int size = JOURNAL_SNDBUF;

	if (j->fd >= 0)
		return 0;
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (j->fd < 0)
		return -errno;
	/* big entries (RTMON_JSON) fit in one datagram more often; best effort */
	(void)setsockopt(j->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return 0;
}

/* Sends a payload that does not fit a datagram as a sealed memfd (journald's protocol for it). */
static int send_memfd(struct journal_sink *j, const char *buf, size_t len)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh = {
		.msg_name = &j->addr, .msg_namelen = j->addr_len, .msg_control = ctl.b, .msg_controllen = sizeof(ctl.b)
	};
	struct cmsghdr *c;
	size_t o = 0;
	int fd, r = 0;

	fd = memfd_create("rtmon-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	while (o < len) {
		ssize_t w = write(fd, buf + o, len - o);

		if (w < 0) {
			r = errno == EINTR ? 0 : -errno;
			if (r < 0)
				goto out;
			continue;
		}
		o += (size_t)w;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		r = -errno;
		goto out;
	}
	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(j->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		r = -errno;
out:
	close(fd);
	return r;
}

/* One payload to journald, never blocking. 0, or -errno (-EAGAIN: busy, -ENOENT/-ECONNREFUSED: absent). */
static int journal_send(struct journal_sink *j, const char *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_name = &j->addr, .msg_namelen = j->addr_len, .msg_iov = &iov, .msg_iovlen = 1 };
	int r;

	r = journal_socket(j);
	if (r < 0)
		return r;
	if (sendmsg(j->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
		return 0;
	if (errno != EMSGSIZE && errno != ENOBUFS)
		return -errno;
	return send_memfd(j, buf, len);
}

static bool transient(int r)
{
	/* journald busy, absent or restarting: keep the entry and retry */
	return r == -EAGAIN || r == -ENOENT || r == -ECONNREFUSED || r == -ENOBUFS || r == -EINTR || r == -ENOMEM;
}

/*
 * Reports a fault once until journald takes everything again. -EAGAIN alone is
 * flow control (journald is busy, the queue absorbs it) and is reported only
 * when it makes the queue overflow; an absent journald is reported at once.
 */
static void fault_begin(struct journal_sink *j, int r)
{
	j->errors++;
	if (j->fault || r == -EAGAIN)
		return;
	j->fault = -r;
	log_warnx("journal: cannot write to %s (%s); queueing up to %d alerts and retrying", JOURNAL_SOCKET,
		  strerror(-r), JOURNAL_QUEUE_MAX);
}

static void fault_overflow(struct journal_sink *j)
{
	j->dropped++;
	if (j->fault)
		return;
	j->fault = EAGAIN;
	log_warnx("journal: journald is not keeping up, alert queue full (%d): dropping the oldest alerts",
		  JOURNAL_QUEUE_MAX);
}

static void fault_end(struct journal_sink *j)
{
	if (!j->fault)
		return;
	j->fault = 0;
	log_info("journal: writing to journald again (%" PRIu64 " alerts dropped so far)", j->dropped);
}

/* A buffer for an entry of len bytes: a spare one when there is, else a new one. */
static int buf_take(struct journal_sink *j, size_t len, struct journal_msg *ret)
{
	struct journal_msg m = { 0 };

	if (j->n_spare > 0)
		m = j->spare[--j->n_spare];
	if (sbuf_fit(&m.buf, &m.cap, len, 1024) < 0) {
		free(m.buf);
		return -ENOMEM;
	}
	m.len = len;
	*ret = m;
	return 0;
}

static void buf_give(struct journal_sink *j, struct journal_msg *m)
{
	if (j->n_spare < JOURNAL_SPARE_MAX)
		j->spare[j->n_spare++] = *m;
	else
		free(m->buf);
	m->buf = NULL;
	m->len = m->cap = 0;
}

static void queue_pop(struct journal_sink *j)
{
	struct journal_msg *m = &j->q[j->q_head];

	j->q_bytes -= m->len;
	buf_give(j, m);
	j->q_head = (j->q_head + 1) % JOURNAL_QUEUE_MAX;
	j->q_n--;
}

static void queue_push(struct journal_sink *j, struct journal_msg *msg)
{
	while (j->q_n > 0 && (j->q_n >= JOURNAL_QUEUE_MAX || j->q_bytes + msg->len > JOURNAL_QUEUE_BYTES)) {
		queue_pop(j); /* the oldest goes first */
		fault_overflow(j);
	}
	if (msg->len > JOURNAL_QUEUE_BYTES) {
		buf_give(j, msg);
		fault_overflow(j);
		return;
	}
	j->q[(j->q_head + j->q_n) % JOURNAL_QUEUE_MAX] = *msg;
	j->q_n++;
	j->q_bytes += msg->len;
}

/* Sends what is queued, oldest first, until journald pushes back. */
/*
 * One entry to journald: true when it is done with (sent, or dropped on an
 * error retrying cannot mend), false when journald pushed back and the entry
 * must wait.
 */
static bool deliver(struct journal_sink *j, const char *buf, size_t len)
{
	int r = journal_send(j, buf, len);

	if (r == 0) {
		j->sent++;
		return true;
	}
	fault_begin(j, r);
	if (transient(r))
		return false;
	j->dropped++;
	return true;
}

static void queue_drain(struct journal_sink *j)
{
	while (j->q_n > 0) {
		struct journal_msg *m = &j->q[j->q_head];

		if (!deliver(j, m->buf, m->len))
			return;
		queue_pop(j);
	}
	fault_end(j); /* everything went out */
}

static void journal_emit(struct rtmon_sink *s, const struct rtmon_alert *a, const char *json)
{
	struct journal_sink *j = (struct journal_sink *)s;
	bool waiting = j->q_n > 0; /* entries journald refused before this one */
	struct journal_msg copy;
	ssize_t len;
	int r;

	r = fmt_journal(a, json, &j->entry);
	len = r < 0 ? r : journal_entry_serialize(&j->entry, &j->payload);
	if (len < 0) {
		j->errors++;
		j->dropped++;
		return;
	}
	/* the usual case: nothing waits, so straight from the reused buffer, no copy */
	if (!waiting && deliver(j, j->payload.p, (size_t)len)) {
		fault_end(j);
		return;
	}
	/* journald pushes back (or others wait already): the queue keeps a copy, in order */
	if (buf_take(j, (size_t)len, &copy) < 0) {
		j->errors++;
		j->dropped++;
		return;
	}
	memcpy(copy.buf, j->payload.p, (size_t)len);
	queue_push(j, &copy);
	if (waiting)
		queue_drain(j); /* oldest first; a refused new entry waits for the next tick */
}

static void journal_tick(struct rtmon_sink *s, uint64_t now_ms)
{
	(void)now_ms;
	queue_drain((struct journal_sink *)s);
}

static void journal_flush(struct rtmon_sink *s, int timeout_ms)
{
	struct journal_sink *j = (struct journal_sink *)s;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		queue_drain(j);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (j->q_n == 0 || (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= timeout_ms)
			break;
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000000 }, NULL);
	}
	j->dropped += j->q_n;
	while (j->q_n > 0)
		queue_pop(j);
}

static void journal_metrics(struct rtmon_sink *s, FILE *out)
{
	struct journal_sink *j = (struct journal_sink *)s;

	fprintf(out, "rtmon_output_sent_total{output=\"journal\"} %" PRIu64 "\n", j->sent);
	fprintf(out, "rtmon_output_errors_total{output=\"journal\"} %" PRIu64 "\n", j->errors);
	fprintf(out, "rtmon_output_dropped_total{output=\"journal\"} %" PRIu64 "\n", j->dropped);
	fprintf(out, "rtmon_output_queue_length{output=\"journal\"} %zu\n", j->q_n);
}

static int journal_reconfigure(struct rtmon_sink *s, const void *conf)
{
	(void)s;
	(void)conf;
	return 0; /* nothing to configure: keep the queue and the counters */
}

static void journal_free(struct rtmon_sink *s)
{
	struct journal_sink *j = (struct journal_sink *)s;

	if (!j)
		return;
	while (j->q_n > 0)
		queue_pop(j);
	while (j->n_spare > 0)
		free(j->spare[--j->n_spare].buf);
	journal_entry_done(&j->entry);
	sbuf_release(&j->payload);
	if (j->fd >= 0)
		close(j->fd);
	free(j);
}

static const struct rtmon_sink_ops journal_ops = {
	.kind = "journal",
	.emit = journal_emit,
	.tick = journal_tick,
	.flush = journal_flush,
	.metrics = journal_metrics,
	.reconfigure = journal_reconfigure,
	.free = journal_free,
};

int out_journal_available(void)
{
	struct stat st;

	return stat(JOURNAL_SOCKET, &st) == 0 && S_ISSOCK(st.st_mode);
}

int out_journal_new(struct rtmon_sink **ret)
{
	struct journal_sink *j = calloc(1, sizeof(*j));
	int r;

	if (!j)
		return -ENOMEM;
	j->base.ops = &journal_ops;
	snprintf(j->base.key, sizeof(j->base.key), "journal");
	j->fd = -1;
	j->addr.sun_family = AF_UNIX;
	memcpy(j->addr.sun_path, JOURNAL_SOCKET, sizeof(JOURNAL_SOCKET));
	j->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof(JOURNAL_SOCKET));
	r = journal_socket(j);
	if (r < 0) {
		free(j);
		return r;
	}
	*ret = &j->base;
	return 0;
}
