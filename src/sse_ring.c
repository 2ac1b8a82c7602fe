/* SPDX-License-Identifier: MIT */
/* sse_ring.c - see sse_ring.h.  Pure: no I/O, no logging. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_util.h"
#include "sbuf.h"
#include "sse_ring.h"

int sse_ring_new(size_t cap, struct sse_ring **ret)
{
	struct sse_ring *r;

	if (cap == 0 || cap > (1u << 24))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->slots = calloc(cap, sizeof(*r->slots));
	if (!r->slots) {
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
	free(r->slots);
	free(r);
	return NULL;
}

int sse_ring_resize(struct sse_ring *r, size_t cap)
{
	struct sse_entry *slots;
	uint64_t keep_from;

	if (cap == 0 || cap > (1u << 24))
		return -EINVAL;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	keep_from = r->head > cap ? r->head - cap : 0;
	if (keep_from < sse_ring_oldest(r))
		keep_from = sse_ring_oldest(r);
	for (uint64_t i = sse_ring_oldest(r); i < r->head; i++) {
		struct sse_entry *e = &r->slots[i % r->cap];

		if (i >= keep_from) {
			slots[i % cap] = *e;
		} else {
			r->mem -= e->frame_len;
			free(e->frame);
		}
	}
	free(r->slots);
	r->slots = slots;
	r->cap = cap;
	r->first = keep_from;
	return 0;
}

uint64_t sse_ring_oldest(const struct sse_ring *r)
{
	uint64_t lo = r->head > r->cap ? r->head - r->cap : 0;

	return lo > r->first ? lo : r->first;
}

const struct sse_entry *sse_ring_at(const struct sse_ring *r, uint64_t idx)
{
	if (idx >= r->head || idx < sse_ring_oldest(r))
		return NULL;
	return &r->slots[idx % r->cap];
}

int sse_ring_push(struct sse_ring *r, const char *id, uint64_t seq, const char *json)
{
	static const char pre[] = "id: ", mid[] = "\nevent: alert\ndata: ", post[] = "\n\n";
	size_t id_len, json_len, len, json_off;
	struct sse_entry *e;
	uint64_t usec, s;
	size_t cap;
	char *f;

	if (!id || !json)
		return -EINVAL;
	id_len = strlen(id);
	if (id_len == 0 || id_len >= sizeof(e->id) || strpbrk(id, "\r\n"))
		return -EINVAL;
	json_len = strlen(json);
	json_off = sizeof(pre) - 1 + id_len + sizeof(mid) - 1;
	len = json_off + json_len + sizeof(post) - 1;
	e = &r->slots[r->head % r->cap];
	/*
	 * The slot's buffer, grown in steps of 256 bytes: alerts differ by a few
	 * bytes (pids, times), so a slot soon holds any alert of its size class
	 * and there is no allocation per alert. On failure the entry there stays.
	 */
	if (sbuf_fit(&e->frame, &e->frame_cap, len + 1, 256) < 0)
		return -ENOMEM;
	f = e->frame;
	r->mem -= e->frame_len; /* the alert overwritten (0 in a slot never used) */
	memcpy(f, pre, sizeof(pre) - 1);
	memcpy(f + sizeof(pre) - 1, id, id_len);
	memcpy(f + sizeof(pre) - 1 + id_len, mid, sizeof(mid) - 1);
	memcpy(f + json_off, json, json_len);
	for (size_t i = 0; i < json_len; i++)
		if (f[json_off + i] == '\r' || f[json_off + i] == '\n')
			f[json_off + i] = ' ';
	memcpy(f + json_off + json_len, post, sizeof(post));
	cap = e->frame_cap;
	memset(e, 0, sizeof(*e));
	e->frame_cap = cap;
	e->idx = r->head;
	e->seq = seq;
	if (http_parse_event_id(id, &usec, &s) == 0)
		e->usec = usec;
	memcpy(e->id, id, id_len + 1);
	e->frame = f;
	e->frame_len = len;
	e->json_off = json_off;
	e->json_len = json_len;
	e->start_bytes = r->bytes;
	r->bytes += len;
	r->mem += len;
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
	if (seq < first->seq || seq > last->seq)
		return oldest;
	/* Alerts enter in sequence order: the first entry past 'seq'. */
	for (uint64_t i = oldest; i < r->head; i++) {
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
	if (!e)
		return UINT64_MAX;
	return r->bytes - e->start_bytes - off;
}
