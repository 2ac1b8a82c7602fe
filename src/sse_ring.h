/* SPDX-License-Identifier: MIT */
/*
 * sse_ring.h - the bounded ring of recent alerts behind GET /events and
 * GET /api/alerts.  Each entry keeps its ready SSE frame
 * ("id: ID\nevent: alert\ndata: JSON\n\n") so every client streams straight
 * out of the ring: a client is only a cursor (entry index + byte offset), and
 * memory stays bounded by 'history' whatever the number of clients.
 *
 * Retention by class: when the ring is full, an alert worth keeping
 * (SSE_CLASS_KEEP: high/critical alerts, incident updates) is evicted only
 * after the others (SSE_CLASS_LOW: info/low/medium alerts, fold and rate-limit
 * summaries), so a flood of low alerts cannot push an attack out of the
 * history.  The low class keeps at least cap/8 of its newest entries against
 * a flood of kept ones.  Entries keep their stream idx: the held idx are
 * increasing but not contiguous (an evicted low alert leaves a gap), so
 * walk them with sse_ring_next().
 * Pure: no I/O, no logging.
 */
#ifndef RTMON_SSE_RING_H
#define RTMON_SSE_RING_H

#include <stddef.h>
#include <stdint.h>

enum sse_class {
	SSE_CLASS_LOW = 0,  /* evicted first */
	SSE_CLASS_KEEP = 1, /* evicted only when the low class is down to its reserve */
	SSE_CLASSES
};

/* The entries of one class, oldest first (a circular list of slot numbers, idx increasing). */
struct sse_queue {
	uint32_t *slot;
	size_t first, len;
};

struct sse_entry {
	uint64_t idx;  /* position in the stream, 0, 1, 2 ... (never reused) */
	uint64_t seq;  /* the alert's sequence (its id after the dash) */
	uint64_t usec; /* the alert id's time part, 0 when it has none */
	char id[48];
	char *frame; /* the SSE frame; its buffer is reused by the entry that overwrites it */
	size_t frame_len, frame_cap;
	size_t json_off, json_len; /* the alert JSON inside the frame */
	uint64_t start_bytes;	   /* stream bytes before this frame */
	enum sse_class cls;
};

struct sse_ring {
	struct sse_entry *slots; /* 'cap' slots; a slot not in a queue holds no entry */
	struct sse_queue q[SSE_CLASSES];
	size_t cap, used;	       /* slots, and slots holding an entry (the first 'used' ever taken) */
	uint64_t head;		       /* idx of the next entry */
	uint64_t bytes;		       /* stream bytes of every frame pushed so far */
	size_t mem;		       /* bytes of frames held */
	uint64_t evicted[SSE_CLASSES]; /* entries evicted, by class */
};

/* A ring of 'cap' (>= 1) entries. Returns 0 or -EINVAL / -ENOMEM. */
int sse_ring_new(size_t cap, struct sse_ring **ret);
struct sse_ring *sse_ring_free(struct sse_ring *r);

/*
 * Appends an alert of class 'cls' (evicting, when full, the oldest entry of
 * the class that gives way: see above). 'id' must be free of CR/LF and
 * shorter than 48; CR and LF in 'json' (only ever JSON whitespace in valid
 * JSON) become spaces so the frame stays one data line.
 * Returns 0, -EINVAL or -ENOMEM.
 */
int sse_ring_push(struct sse_ring *r, const char *id, uint64_t seq, enum sse_class cls, const char *json);

/*
 * Changes the capacity, evicting as pushes do (low class first) and keeping
 * every idx, so client cursors stay meaningful. Returns 0, -EINVAL or
 * -ENOMEM (ring unchanged).
 */
int sse_ring_resize(struct sse_ring *r, size_t cap);

/* idx of the oldest entry held (== head when empty). */
uint64_t sse_ring_oldest(const struct sse_ring *r);
/* The entry at idx, or NULL when it has left the ring or is not there yet. */
const struct sse_entry *sse_ring_at(const struct sse_ring *r, uint64_t idx);
/* The smallest idx >= 'idx' held, or head when there is none. */
uint64_t sse_ring_next(const struct sse_ring *r, uint64_t idx);
/* Entries held. */
size_t sse_ring_count(const struct sse_ring *r);

/*
 * Where a client resuming after the event id (usec, seq) starts (see
 * http_parse_event_id): just after that alert when the ring holds it;
 * after the last alert with a lower sequence when the id is in the ring's
 * range but absent; the oldest entry when the id is older than the ring
 * (alerts were lost) or unknown to this run (usec differs for the same seq,
 * or seq beyond the newest: the daemon restarted). usec 0 matches any time.
 */
uint64_t sse_ring_resume(const struct sse_ring *r, uint64_t usec, uint64_t seq);

/*
 * Bytes of the stream from (idx, off) to the end; 0 when idx >= head,
 * UINT64_MAX when the entry at idx is gone (or idx is in a gap with off > 0).
 * An upper bound when low entries were evicted after idx: their bytes count.
 */
uint64_t sse_ring_pending(const struct sse_ring *r, uint64_t idx, size_t off);

#endif
