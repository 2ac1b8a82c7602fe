/* SPDX-License-Identifier: MIT */
/*
 * sse_ring.h - the bounded ring of recent alerts behind GET /events and
 * GET /api/alerts.  Each entry keeps its ready SSE frame
 * ("id: ID\nevent: alert\ndata: JSON\n\n") so every client streams straight
 * out of the ring: a client is only a cursor (entry index + byte offset), and
 * memory stays bounded by 'history' whatever the number of clients.
 * Pure: no I/O, no logging.
 */
#ifndef RTMON_SSE_RING_H
#define RTMON_SSE_RING_H

#include <stddef.h>
#include <stdint.h>

struct sse_entry {
	uint64_t idx;          /* position in the stream, 0, 1, 2 ... (never reused) */
	uint64_t seq;          /* the alert's sequence (its id after the dash) */
	uint64_t usec;         /* the alert id's time part, 0 when it has none */
	char id[48];
	char *frame;           /* the SSE frame; its buffer is reused by the entry that overwrites it */
	size_t frame_len, frame_cap;
	size_t json_off, json_len; /* the alert JSON inside the frame */
	uint64_t start_bytes;  /* stream bytes before this frame */
};

struct sse_ring {
	struct sse_entry *slots;
	size_t cap;
	uint64_t head;         /* idx of the next entry */
	uint64_t first;        /* no entry below this idx is held (raised by a shrink) */
	uint64_t bytes;        /* stream bytes of every frame pushed so far */
	size_t mem;            /* bytes of frames held */
};

/* A ring of 'cap' (>= 1) entries. Returns 0 or -EINVAL / -ENOMEM. */
int sse_ring_new(size_t cap, struct sse_ring **ret);
struct sse_ring *sse_ring_free(struct sse_ring *r);

/*
 * Appends an alert (dropping the oldest when full). 'id' must be free of
 * CR/LF and shorter than 48; CR and LF in 'json' (only ever JSON whitespace
 * in valid JSON) become spaces so the frame stays one data line.
 * Returns 0, -EINVAL or -ENOMEM.
 */
int sse_ring_push(struct sse_ring *r, const char *id, uint64_t seq, const char *json);

/*
 * Changes the capacity keeping the newest entries (and every idx, so client
 * cursors stay meaningful). Returns 0, -EINVAL or -ENOMEM (ring unchanged).
 */
int sse_ring_resize(struct sse_ring *r, size_t cap);

/* idx of the oldest entry held (== head when empty). */
uint64_t sse_ring_oldest(const struct sse_ring *r);
/* The entry at idx, or NULL when it has left the ring or is not there yet. */
const struct sse_entry *sse_ring_at(const struct sse_ring *r, uint64_t idx);

/*
 * Where a client resuming after the event id (usec, seq) starts (see
 * http_parse_event_id): just after that alert when the ring holds it;
 * after the last alert with a lower sequence when the id is in the ring's
 * range but absent; the oldest entry when the id is older than the ring
 * (alerts were lost) or unknown to this run (usec differs for the same seq,
 * or seq beyond the newest: the daemon restarted). usec 0 matches any time.
 */
uint64_t sse_ring_resume(const struct sse_ring *r, uint64_t usec, uint64_t seq);

/* Bytes of the stream from (idx, off) to the end; 0 when idx >= head. */
uint64_t sse_ring_pending(const struct sse_ring *r, uint64_t idx, size_t off);

#endif
