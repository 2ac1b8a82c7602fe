/* SPDX-License-Identifier: MIT */
/* syslog_queue.c - see syslog_queue.h. Pure: no I/O, no clock, no log. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syslog_queue.h"

int squeue_init(struct squeue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	if (cap == 0)
		return -EINVAL;
	q->ring = calloc(cap, sizeof(*q->ring));
	if (!q->ring)
		return -ENOMEM;
	q->cap = cap;
	return 0;
}

void squeue_fini(struct squeue *q)
{
	while (q->n > 0)
		squeue_release(q, q->n);
	free(q->ring);
	memset(q, 0, sizeof(*q));
}

int squeue_resize(struct squeue *q, size_t cap)
{
	struct squeue_msg *ring;
	size_t i;

	if (cap <= q->cap)
		return 0;
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

int squeue_push(struct squeue *q, char *data, size_t len)
{
	struct squeue_msg *m;
	int released = 0;

	if (q->n == q->cap) {
		/* an acknowledged entry only lingers in case of a close: room for new alerts comes first */
		if (q->nsent == 0 || squeue_at(q, 0)->acked_ms == 0)
			return -ENOBUFS;
		released = (int)squeue_release(q, 1);
	}
	m = &q->ring[(q->head + q->n) % q->cap];
	*m = (struct squeue_msg){ .data = data, .len = len };
	q->n++;
	return released;
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

		free(m->data);
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
