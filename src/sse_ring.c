/* SPDX-License-Identifier: MIT */
/* sse_ring.c - see sse_ring.h.  Pure: no I/O, no logging. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_util.h"
#include "sbuf.h"
#include "sse_ring.h"

#define SSE_RING_CAP_MAX (1u << 24)

static size_t low_reserve(size_t cap)
{
	return cap / 8;
}

static struct sse_entry *q_at(const struct sse_ring *r, const struct sse_queue *q, size_t i)
{
	return &r->slots[q->slot[(q->first + i) % r->cap]];
}

/* Position in q of the first entry with idx >= 'idx' (q->len when none): entries are in idx order. */
static size_t q_lower_bound(const struct sse_ring *r, const struct sse_queue *q, uint64_t idx)
{
	size_t lo = 0, hi = q->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (q_at(r, q, mid)->idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int queues_new(struct sse_queue q[SSE_CLASSES], size_t cap)
{
	for (int c = 0; c < SSE_CLASSES; c++) {
		q[c] = (struct sse_queue){ .slot = calloc(cap, sizeof(*q[c].slot)) };
		if (!q[c].slot) {
			while (c-- > 0)
				free(q[c].slot);
			return -ENOMEM;
		}
	}
	return 0;
}

int sse_ring_new(size_t cap, struct sse_ring **ret)
{
	struct sse_ring *r;

	if (cap == 0 || cap > SSE_RING_CAP_MAX)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = calloc(cap, sizeof(*r->slots));
	if (!r->slots || queues_new(r->q, cap) < 0) {
		free(r->slots);
		free(r);
		return -ENOMEM;
	}
	r->cap = cap;
	*ret = r;
	return 0;
}

struct sse_ring *sse_ring_free(struct sse_ring *r)
{
	if (!r)
		return NULL;
	for (size_t i = 0; i < r->cap; i++)
		free(r->slots[i].frame);
	for (int c = 0; c < SSE_CLASSES; c++)
		free(r->q[c].slot);
	free(r->slots);
	free(r);
	return NULL;
}

size_t sse_ring_count(const struct sse_ring *r)
{
	return r->q[SSE_CLASS_LOW].len + r->q[SSE_CLASS_KEEP].len;
}

/*
 * The class that gives way when 'cls' comes into a full ring (of capacity
 * cap): the low class while it holds more than its reserve (counting the
 * newcomer), else the kept class; whichever is not empty.
 */
static enum sse_class victim_class(const struct sse_ring *r, size_t cap, int cls)
{
	size_t low = r->q[SSE_CLASS_LOW].len + (cls == SSE_CLASS_LOW);
	enum sse_class v = low > low_reserve(cap) ? SSE_CLASS_LOW : SSE_CLASS_KEEP;

	if (r->q[v].len == 0)
		v = v == SSE_CLASS_LOW ? SSE_CLASS_KEEP : SSE_CLASS_LOW;
	return v;
}

/* Takes the oldest entry of class c out of its queue; returns its slot number. */
static uint32_t evict(struct sse_ring *r, enum sse_class c)
{
	struct sse_queue *q = &r->q[c];
	uint32_t slot = q->slot[q->first];

	q->first = (q->first + 1) % r->cap;
	q->len--;
	r->mem -= r->slots[slot].frame_len;
	r->slots[slot].frame_len = 0;
	r->evicted[c]++;
	return slot;
}

int sse_ring_resize(struct sse_ring *r, size_t cap)
{
	struct sse_queue q[SSE_CLASSES];
	struct sse_entry *slots;
	size_t used = 0;

	if (cap == 0 || cap > SSE_RING_CAP_MAX)
		return -EINVAL;
	slots = calloc(cap, sizeof(*slots));
	if (!slots || queues_new(q, cap) < 0) {
		free(slots);
		return -ENOMEM;
	}
	while (sse_ring_count(r) > cap)
		(void)evict(r, victim_class(r, cap, -1));
	/* Held entries move (buffers and all); the buffers of the other slots go. */
	for (int c = 0; c < SSE_CLASSES; c++) {
		for (size_t i = 0; i < r->q[c].len; i++) {
			struct sse_entry *e = q_at(r, &r->q[c], i);

			slots[used] = *e;
			e->frame = NULL;
			q[c].slot[q[c].len++] = (uint32_t)used++;
		}
		free(r->q[c].slot);
		r->q[c] = q[c];
	}
	for (size_t i = 0; i < r->cap; i++)
		free(r->slots[i].frame);
	free(r->slots);
	r->slots = slots;
	r->cap = cap;
	r->used = used;
	return 0;
}

uint64_t sse_ring_oldest(const struct sse_ring *r)
{
	uint64_t lo = r->head;

	for (int c = 0; c < SSE_CLASSES; c++)
		if (r->q[c].len && q_at(r, &r->q[c], 0)->idx < lo)
			lo = q_at(r, &r->q[c], 0)->idx;
	return lo;
}

uint64_t sse_ring_next(const struct sse_ring *r, uint64_t idx)
{
	uint64_t best = r->head;

	for (int c = 0; c < SSE_CLASSES; c++) {
		const struct sse_queue *q = &r->q[c];
		size_t i = q_lower_bound(r, q, idx);

		if (i < q->len && q_at(r, q, i)->idx < best)
			best = q_at(r, q, i)->idx;
	}
	return best;
}

const struct sse_entry *sse_ring_at(const struct sse_ring *r, uint64_t idx)
{
	if (idx >= r->head)
		return NULL;
	for (int c = 0; c < SSE_CLASSES; c++) {
		const struct sse_queue *q = &r->q[c];
		size_t i = q_lower_bound(r, q, idx);

		if (i < q->len && q_at(r, q, i)->idx == idx)
			return q_at(r, q, i);
	}
	return NULL;
}

static const char frame_pre[] = "id: ", frame_mid[] = "\nevent: alert\ndata: ", frame_post[] = "\n\n";

/* Writes the SSE frame into e's buffer, which has room for it. */
static void frame_write(struct sse_entry *e, const char *id, size_t id_len, const char *json, size_t json_len)
{
	size_t json_off = sizeof(frame_pre) - 1 + id_len + sizeof(frame_mid) - 1;
	char *f = e->frame;

	memcpy(f, frame_pre, sizeof(frame_pre) - 1);
	memcpy(f + sizeof(frame_pre) - 1, id, id_len);
	memcpy(f + sizeof(frame_pre) - 1 + id_len, frame_mid, sizeof(frame_mid) - 1);
	memcpy(f + json_off, json, json_len);
	for (size_t i = 0; i < json_len; i++)
		if (f[json_off + i] == '\r' || f[json_off + i] == '\n')
			f[json_off + i] = ' ';
	memcpy(f + json_off + json_len, frame_post, sizeof(frame_post));
	e->frame_len = json_off + json_len + sizeof(frame_post) - 1;
	e->json_off = json_off;
	e->json_len = json_len;
}

int sse_ring_push(struct sse_ring *r, const char *id, uint64_t seq, enum sse_class cls, const char *json)
{
	size_t id_len, json_len, len;
	enum sse_class victim = SSE_CLASS_LOW;
	struct sse_entry *e;
	struct sse_queue *q;
	uint64_t usec, s;
	uint32_t slot;
	bool full;

	if (!id || !json || (cls != SSE_CLASS_LOW && cls != SSE_CLASS_KEEP))
		return -EINVAL;
	id_len = strlen(id);
	if (id_len == 0 || id_len >= sizeof(e->id) || strpbrk(id, "\r\n"))
		return -EINVAL;
	json_len = strlen(json);
	len = sizeof(frame_pre) - 1 + id_len + sizeof(frame_mid) - 1 + json_len + sizeof(frame_post) - 1;
	/* The slot: a fresh one while there are, else the victim's, whose buffer is reused. */
	full = r->used == r->cap;
	if (full) {
		victim = victim_class(r, r->cap, (int)cls);
		slot = r->q[victim].slot[r->q[victim].first];
	} else {
		slot = (uint32_t)r->used;
	}
	e = &r->slots[slot];
	/*
	 * Grown in steps of 256 bytes: alerts differ by a few bytes (pids,
	 * times), so a slot soon holds any alert of its size class and there is
	 * no allocation per alert. On failure the victim stays.
	 */
	if (sbuf_fit(&e->frame, &e->frame_cap, len + 1, 256) < 0)
		return -ENOMEM;
	if (full)
		(void)evict(r, victim);
	else
		r->used++;
	frame_write(e, id, id_len, json, json_len);
	e->idx = r->head;
	e->seq = seq;
	e->usec = http_parse_event_id(id, &usec, &s) == 0 ? usec : 0;
	memcpy(e->id, id, id_len + 1);
	e->start_bytes = r->bytes;
	e->cls = cls;
	q = &r->q[cls];
	q->slot[(q->first + q->len) % r->cap] = slot;
	q->len++;
	r->bytes += e->frame_len;
	r->mem += e->frame_len;
	r->head++;
	return 0;
}

uint64_t sse_ring_resume(const struct sse_ring *r, uint64_t usec, uint64_t seq)
{
	uint64_t oldest = sse_ring_oldest(r);
	const struct sse_entry *first, *last;

	if (oldest == r->head)
		return r->head;
	first = sse_ring_at(r, oldest);
	last = sse_ring_at(r, r->head - 1);
	if (!last) /* the newest entry was evicted: the newest held */
		for (uint64_t i = oldest; i < r->head; i = sse_ring_next(r, i + 1))
			last = sse_ring_at(r, i);
	if (seq < first->seq || seq > last->seq)
		return oldest;
	/* Alerts enter in sequence order: the first entry past 'seq'. */
	for (uint64_t i = oldest; i < r->head; i = sse_ring_next(r, i + 1)) {
		const struct sse_entry *e = sse_ring_at(r, i);

		if (e->seq == seq && usec && e->usec && e->usec != usec)
			return oldest; /* same sequence, another run */
		if (e->seq > seq)
			return i;
	}
	return r->head;
}

uint64_t sse_ring_pending(const struct sse_ring *r, uint64_t idx, size_t off)
{
	const struct sse_entry *e;

	if (idx >= r->head)
		return 0;
	e = sse_ring_at(r, idx);
	if (!e && (off || idx < sse_ring_oldest(r)))
		return UINT64_MAX;
	if (!e) {
		idx = sse_ring_next(r, idx);
		if (idx >= r->head)
			return 0;
		e = sse_ring_at(r, idx);
		off = 0;
	}
	return r->bytes - e->start_bytes - off;
}
