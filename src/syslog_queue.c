/* SPDX-License-Identifier: MIT */
/* syslog_queue.c - see syslog_queue.h. Pure: no I/O, no clock, no log. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "syslog_queue.h"

int squeue_init(struct squeue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	if (cap == 0)
		return -EINVAL;
	q->ring = calloc(cap, sizeof(*q->ring));
	q->pool = calloc(cap, sizeof(*q->pool));
	if (!q->ring || !q->pool) {
		free(q->ring);
		free(q->pool);
		q->ring = NULL;
		q->pool = NULL;
		return -ENOMEM;
	}
	q->cap = cap;
	return 0;
}

void squeue_fini(struct squeue *q)
{
	while (q->n > 0)
		squeue_release(q, q->n);
	while (q->npool > 0)
		free(q->pool[--q->npool].p);
	free(q->pool);
	free(q->ring);
	memset(q, 0, sizeof(*q));
}

int squeue_resize(struct squeue *q, size_t cap)
{
	struct squeue_msg *ring;
	struct squeue_buf *pool;
	size_t i;

	if (cap <= q->cap)
		return 0;
	/* every buffer is in the ring or in the pool, never more than cap of them: the pool grows with the ring */
	pool = realloc(q->pool, cap * sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	q->pool = pool;
	ring = calloc(cap, sizeof(*ring));
	if (!ring)
		return -ENOMEM;
	for (i = 0; i < q->n; i++)
		ring[i] = q->ring[(q->head + i) % q->cap];
	free(q->ring);
	q->ring = ring;
	q->cap = cap;
	q->head = 0;
	return 0;
}

struct squeue_msg *squeue_at(struct squeue *q, size_t i)
{
	return i < q->n ? &q->ring[(q->head + i) % q->cap] : NULL;
}

/* Room for one more entry: the number released to make it (0 or 1), or -ENOBUFS. */
static int make_room(struct squeue *q)
{
	if (q->n < q->cap)
		return 0;
	/* an acknowledged entry only lingers in case of a close: room for new alerts comes first */
	if (q->nsent == 0 || squeue_at(q, 0)->acked_ms == 0)
		return -ENOBUFS;
	return (int)squeue_release(q, 1);
}

static void append(struct squeue *q, char *data, size_t len, size_t cap)
{
	q->ring[(q->head + q->n) % q->cap] = (struct squeue_msg){ .data = data, .len = len, .cap = cap };
	q->n++;
}

int squeue_push(struct squeue *q, char *data, size_t len)
{
	int released = make_room(q);

	if (released >= 0)
		append(q, data, len, len + 1);
	return released;
}

int squeue_push_copy(struct squeue *q, const char *data, size_t len)
{
	int released = make_room(q);
	char *p = NULL;
	size_t cap = 0;

	if (released < 0)
		return released;
	if (q->npool > 0) {
		q->npool--;
		p = q->pool[q->npool].p;
		cap = q->pool[q->npool].cap;
		q->pool_bytes -= cap;
	}
	if (sbuf_fit(&p, &cap, len + 1, 1024) < 0) {
		free(p);
		return -ENOMEM;
	}
	memcpy(p, data, len);
	p[len] = '\0';
	append(q, p, len, cap);
	return released;
}

/* A released entry's buffer: kept for squeue_push_copy within the pool's byte budget. */
static void recycle(struct squeue *q, char *p, size_t cap)
{
	if (!p)
		return;
	if (q->npool == q->cap || q->pool_bytes + cap > SQUEUE_POOL_BYTES) {
		free(p);
		return;
	}
	q->pool[q->npool].p = p;
	q->pool[q->npool++].cap = cap;
	q->pool_bytes += cap;
}

struct squeue_msg *squeue_next(struct squeue *q)
{
	return squeue_at(q, q->nsent);
}

void squeue_mark_sent(struct squeue *q, uint64_t end_off)
{
	struct squeue_msg *m = squeue_next(q);

	if (!m)
		return;
	m->end_off = end_off;
	m->acked_ms = 0;
	q->nsent++;
}

size_t squeue_release(struct squeue *q, size_t k)
{
	size_t i;

	if (k > q->n)
		k = q->n;
	for (i = 0; i < k; i++) {
		struct squeue_msg *m = &q->ring[q->head];

		recycle(q, m->data, m->cap);
		*m = (struct squeue_msg){ 0 };
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	q->nsent = q->nsent > k ? q->nsent - k : 0;
	return k;
}

size_t squeue_ack(struct squeue *q, uint64_t acked_off, uint64_t now_ms, uint64_t linger_ms)
{
	size_t i, done = 0;

	for (i = 0; i < q->nsent; i++) {
		struct squeue_msg *m = squeue_at(q, i);

		if (m->end_off > acked_off)
			break;
		if (m->acked_ms == 0)
			m->acked_ms = now_ms ? now_ms : 1;
	}
	while (done < q->nsent) {
		struct squeue_msg *m = squeue_at(q, done);

		if (m->acked_ms == 0 || now_ms < m->acked_ms + linger_ms)
			break;
		done++;
	}
	return squeue_release(q, done);
}

size_t squeue_rewind(struct squeue *q)
{
	size_t n = q->nsent, i;

	for (i = 0; i < n; i++) {
		struct squeue_msg *m = squeue_at(q, i);

		m->end_off = 0;
		m->acked_ms = 0;
	}
	q->nsent = 0;
	return n;
}
