/* SPDX-License-Identifier: MIT */
/*
 * syslog_queue.h - the bounded per-destination queue of syslog frames (pure).
 *
 * A ring of messages in order.  The first 'nsent' entries have been written
 * to the transport but are not yet known to be delivered ("unsure"); the rest
 * are pending.  A stream transport records, for each entry it wrote, the
 * connection's byte offset at its end; squeue_ack() marks entries whose end
 * the peer acknowledged and releases them once they have been acknowledged for
 * 'linger' ms (a peer that closes gracefully reads what it acknowledged well
 * before its close).  On a disconnect, squeue_rewind() turns every unsure
 * entry back into a pending one, so it is sent again: duplicates over loss.
 *
 * A released message's buffer goes to a pool that squeue_push_copy() takes
 * from (up to SQUEUE_POOL_BYTES of spare buffers): a queue under a steady
 * load stops allocating once it holds as many buffers as it has messages in
 * flight at once, each grown to the messages' size.
 */
#ifndef RTMON_SYSLOG_QUEUE_H
#define RTMON_SYSLOG_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#define SQUEUE_POOL_BYTES (4u << 20) /* spare buffer bytes kept for reuse */

struct squeue_buf {
	char *p;
	size_t cap;
};

struct squeue_msg {
	char *data; /* owned */
	size_t len;
	size_t cap;	   /* bytes allocated at data (len + 1 at least) */
	uint64_t end_off;  /* connection byte offset at the end of this message, once written */
	uint64_t acked_ms; /* when the peer acknowledged it (0 = not yet) */
};

struct squeue {
	struct squeue_msg *ring;
	size_t cap, head, n;
	size_t nsent;		 /* entries [0, nsent) are written, not yet released */
	struct squeue_buf *pool; /* released buffers for reuse: cap slots, npool used */
	size_t npool, pool_bytes;
};

/* Returns 0 or -EINVAL (cap 0) / -ENOMEM. */
int squeue_init(struct squeue *q, size_t cap);
void squeue_fini(struct squeue *q);
/* Grows (never shrinks below the current length) the capacity. 0 or -ENOMEM. */
int squeue_resize(struct squeue *q, size_t cap);
/*
 * Appends a message, taking ownership of data on success (malloc'ed, len + 1
 * bytes at least: the buffer may be reused for another message). When full, first
 * releases the oldest entry if it is already acknowledged; otherwise -ENOBUFS
 * (data still owned by the caller). Returns the number of entries released
 * to make room (0 or 1).
 */
int squeue_push(struct squeue *q, char *data, size_t len);
/* The same with a copy of data[0..len) (NUL-terminated) in a reused buffer; data stays the caller's. */
int squeue_push_copy(struct squeue *q, const char *data, size_t len);
/* Entry i (0 = oldest), NULL when out of range. */
struct squeue_msg *squeue_at(struct squeue *q, size_t i);
/* The next entry to write (index nsent), NULL when nothing is pending. */
struct squeue_msg *squeue_next(struct squeue *q);
/* The next entry was written completely; its end is at byte 'end_off' of the connection. */
void squeue_mark_sent(struct squeue *q, uint64_t end_off);
/* Drops the k oldest entries (k <= nsent is expected; clamped to n). Returns how many. */
size_t squeue_release(struct squeue *q, size_t k);
/*
 * The peer has acknowledged the connection's bytes up to acked_off: marks
 * written entries ending at or before it, releases from the front those
 * acknowledged at least linger_ms ago. Returns how many were released.
 */
size_t squeue_ack(struct squeue *q, uint64_t acked_off, uint64_t now_ms, uint64_t linger_ms);
/* Every written, unreleased entry becomes pending again. Returns how many. */
size_t squeue_rewind(struct squeue *q);
static inline size_t squeue_len(const struct squeue *q)
{
	return q->n;
}
static inline size_t squeue_pending(const struct squeue *q)
{
	return q->n - q->nsent;
}

#endif
