/* SPDX-License-Identifier: MIT */
/*
 * Proves the SSE alert ring: exact frames, bounded history, byte accounting, Last-Event-ID resume points,
 * and retention by class (a flood of low alerts evicts no kept alert; gaps are walked with sse_ring_next).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sse_ring.h"

static void push_n(struct sse_ring *r, uint64_t first_seq, uint64_t n, uint64_t usec)
{
	for (uint64_t s = first_seq; s < first_seq + n; s++) {
		char id[48], json[64];

		snprintf(id, sizeof(id), "%llu-%llu", (unsigned long long)usec, (unsigned long long)s);
		snprintf(json, sizeof(json), "{\"id\":\"%s\"}", id);
		assert_int_equal(sse_ring_push(r, id, s, SSE_CLASS_LOW, json), 0);
	}
}

static void push_cls(struct sse_ring *r, uint64_t first_seq, uint64_t n, enum sse_class cls)
{
	for (uint64_t s = first_seq; s < first_seq + n; s++) {
		char id[48], json[64];

		snprintf(id, sizeof(id), "9-%llu", (unsigned long long)s);
		snprintf(json, sizeof(json), "{\"id\":\"%s\",\"c\":%d}", id, (int)cls);
		assert_int_equal(sse_ring_push(r, id, s, cls, json), 0);
	}
}

/* Walks the held entries: idx and seq strictly increase, mem is their frames' bytes. Returns the count. */
static size_t walk_check(const struct sse_ring *r, size_t *ret_keep)
{
	size_t n = 0, keep = 0, mem = 0;
	uint64_t prev_seq = 0;

	for (uint64_t i = sse_ring_oldest(r); i < r->head; i = sse_ring_next(r, i + 1)) {
		const struct sse_entry *e = sse_ring_at(r, i);

		assert_non_null(e);
		assert_int_equal(e->idx, i);
		assert_true(n == 0 || e->seq > prev_seq);
		prev_seq = e->seq;
		keep += e->cls == SSE_CLASS_KEEP;
		mem += e->frame_len;
		n++;
	}
	assert_int_equal(n, sse_ring_count(r));
	assert_int_equal(mem, r->mem);
	*ret_keep = keep;
	return n;
}

static void push__low_flood__kept_alerts_stay(void **state)
{
	struct sse_ring *r;
	size_t keep;

	assert_int_equal(sse_ring_new(16, &r), 0);
	push_cls(r, 1, 4, SSE_CLASS_KEEP);  /* idx 0..3 = seq 1..4 */
	push_cls(r, 5, 100, SSE_CLASS_LOW); /* idx 4..103 = seq 5..104 */
	assert_int_equal(walk_check(r, &keep), 16);
	assert_int_equal(keep, 4);
	for (uint64_t i = 0; i < 4; i++)
		assert_int_equal(sse_ring_at(r, i)->seq, i + 1);
	assert_int_equal(sse_ring_oldest(r), 0);
	assert_null(sse_ring_at(r, 4)); /* the gap: the oldest lows went */
	assert_null(sse_ring_at(r, 91));
	assert_int_equal(sse_ring_next(r, 4), 92); /* the 12 newest lows stay */
	assert_int_equal(sse_ring_at(r, 103)->seq, 104);
	assert_int_equal(sse_ring_next(r, 104), 104); /* the head */
	assert_int_equal(r->evicted[SSE_CLASS_LOW], 88);
	assert_int_equal(r->evicted[SSE_CLASS_KEEP], 0);
	/* Last-Event-ID across the gap: the first alert held after it */
	assert_int_equal(sse_ring_resume(r, 9, 2), 2);
	assert_int_equal(sse_ring_resume(r, 9, 4), 92);
	assert_int_equal(sse_ring_resume(r, 9, 50), 92);
	assert_int_equal(sse_ring_resume(r, 9, 104), 104);
	/* a reader at the gap has the held frames ahead; one inside an evicted frame lost it */
	assert_int_equal(sse_ring_pending(r, 4, 0), r->bytes - sse_ring_at(r, 92)->start_bytes);
	assert_int_equal(sse_ring_pending(r, 50, 3), UINT64_MAX);
	sse_ring_free(r);
}

static void push__keep_flood__low_reserve_stays(void **state)
{
	struct sse_ring *r;
	size_t keep;

	assert_int_equal(sse_ring_new(16, &r), 0); /* reserve: 16 / 8 = 2 */
	push_cls(r, 1, 10, SSE_CLASS_LOW);
	push_cls(r, 11, 100, SSE_CLASS_KEEP);
	assert_int_equal(walk_check(r, &keep), 16);
	assert_int_equal(keep, 14);
	assert_int_equal(sse_ring_oldest(r), 8);    /* the 2 newest lows */
	assert_int_equal(sse_ring_next(r, 10), 96); /* the 14 newest kept */
	sse_ring_free(r);

	/* a full ring of kept alerts makes room for the reserve of lows, no more */
	assert_int_equal(sse_ring_new(16, &r), 0);
	push_cls(r, 1, 16, SSE_CLASS_KEEP);
	push_cls(r, 17, 5, SSE_CLASS_LOW);
	assert_int_equal(walk_check(r, &keep), 16);
	assert_int_equal(keep, 14);
	assert_int_equal(sse_ring_oldest(r), 2);
	assert_null(sse_ring_at(r, 16));
	assert_int_equal(sse_ring_next(r, 16), 19);
	sse_ring_free(r);
}

static void resize__shrink__lows_go_first(void **state)
{
	struct sse_ring *r;
	size_t keep;

	assert_int_equal(sse_ring_new(8, &r), 0);
	push_cls(r, 1, 2, SSE_CLASS_KEEP); /* idx 0, 1 */
	push_cls(r, 3, 4, SSE_CLASS_LOW);  /* idx 2..5 */
	push_cls(r, 7, 2, SSE_CLASS_KEEP); /* idx 6, 7 */
	assert_int_equal(sse_ring_resize(r, 4), 0);
	assert_int_equal(walk_check(r, &keep), 4);
	assert_int_equal(keep, 4);
	assert_int_equal(sse_ring_next(r, 2), 6);
	push_cls(r, 9, 3, SSE_CLASS_LOW); /* reserve 0: each low replaces the previous */
	assert_int_equal(walk_check(r, &keep), 4);
	assert_int_equal(keep, 3);
	assert_int_equal(sse_ring_at(r, 10)->seq, 11);
	assert_int_equal(sse_ring_resize(r, 16), 0);
	push_cls(r, 12, 20, SSE_CLASS_LOW);
	assert_int_equal(walk_check(r, &keep), 16);
	assert_int_equal(keep, 3);
	sse_ring_free(r);
}

static void push__one__exact_frame(void **state)
{
	struct sse_ring *r;
	const struct sse_entry *e;
	static const char frame[] = "id: 1764427000123456-42\nevent: alert\ndata: {\"a\":1,  \"b\":2}\n\n";

	assert_int_equal(sse_ring_new(4, &r), 0);
	assert_int_equal(sse_ring_push(r, "1764427000123456-42", 42, SSE_CLASS_LOW, "{\"a\":1,\r\n\"b\":2}"), 0);
	e = sse_ring_at(r, 0);
	assert_non_null(e);
	assert_int_equal(e->frame_len, sizeof(frame) - 1);
	assert_memory_equal(e->frame, frame, sizeof(frame) - 1);
	assert_int_equal(e->json_len, 15);
	assert_memory_equal(e->frame + e->json_off, "{\"a\":1,  \"b\":2}", 15);
	assert_int_equal(e->seq, 42);
	assert_int_equal(e->usec, 1764427000123456ull);
	assert_string_equal(e->id, "1764427000123456-42");
	assert_int_equal(r->bytes, sizeof(frame) - 1);
	assert_int_equal(r->mem, sizeof(frame) - 1);
	assert_null(sse_ring_at(r, 1));
	sse_ring_free(r);
}

static void push__bad_id__einval(void **state)
{
	struct sse_ring *r;
	char longid[49];

	memset(longid, '1', 48);
	longid[48] = '\0';
	assert_int_equal(sse_ring_new(2, &r), 0);
	assert_int_equal(sse_ring_push(r, "1-1\n", 1, SSE_CLASS_LOW, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "1-1\r", 1, SSE_CLASS_LOW, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "", 1, SSE_CLASS_LOW, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, longid, 1, SSE_CLASS_LOW, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, NULL, 1, SSE_CLASS_LOW, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "1-1", 1, SSE_CLASS_LOW, NULL), -EINVAL);
	assert_int_equal(r->head, 0);
	assert_int_equal(sse_ring_new(0, &r), -EINVAL);
	sse_ring_free(r);
}

static void push__overflow__oldest_dropped_and_bytes_kept(void **state)
{
	struct sse_ring *r;
	uint64_t frame;

	assert_int_equal(sse_ring_new(3, &r), 0);
	push_n(r, 1, 5, 100);
	frame = sse_ring_at(r, 4)->frame_len; /* every frame here has the same length */
	assert_int_equal(r->head, 5);
	assert_int_equal(sse_ring_oldest(r), 2);
	assert_null(sse_ring_at(r, 1));
	assert_int_equal(sse_ring_at(r, 2)->seq, 3);
	assert_int_equal(sse_ring_at(r, 4)->seq, 5);
	assert_int_equal(r->bytes, 5 * frame);
	assert_int_equal(r->mem, 3 * frame);
	assert_int_equal(sse_ring_pending(r, 5, 0), 0);
	assert_int_equal(sse_ring_pending(r, 4, 0), frame);
	assert_int_equal(sse_ring_pending(r, 4, 10), frame - 10);
	assert_int_equal(sse_ring_pending(r, 2, 0), 3 * frame);
	assert_int_equal(sse_ring_pending(r, 1, 0), UINT64_MAX);
	sse_ring_free(r);
}

static void resume__table__start_points(void **state)
{
	struct sse_ring *r;
	static const struct {
		uint64_t usec, seq, want;
	} t[] = {
		{ 500, 12, 3 }, /* exact: just after seq 12 (idx 2) */
		{ 0, 12, 3 },	/* bare sequence */
		{ 500, 10, 1 }, /* oldest held: after it */
		{ 500, 17, 7 }, /* newest: nothing to replay */
		{ 500, 9, 0 },	/* just aged out: whole ring */
		{ 500, 1, 0 },	/* long gone: whole ring */
		{ 500, 18, 0 }, /* beyond newest: another run, whole ring */
		{ 999, 12, 0 }, /* same seq, other time: another run, whole ring */
		{ 500, 13, 3 }, /* the gap 13 (absent): from 14 (idx 3) */
	};

	assert_int_equal(sse_ring_new(8, &r), 0);
	assert_int_equal(sse_ring_resume(r, 0, 5), 0); /* empty ring: its head */
	push_n(r, 10, 3, 500);			       /* idx 0..2 = seq 10..12 */
	push_n(r, 14, 4, 500);			       /* idx 3..6 = seq 14..17 */
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t got = sse_ring_resume(r, t[i].usec, t[i].seq);

		if (got != t[i].want)
			fail_msg("resume(%llu, %llu) = %llu, want %llu", (unsigned long long)t[i].usec,
				 (unsigned long long)t[i].seq, (unsigned long long)got, (unsigned long long)t[i].want);
	}
	sse_ring_free(r);
}

static void resume__wrapped__relative_to_oldest(void **state)
{
	struct sse_ring *r;

	assert_int_equal(sse_ring_new(4, &r), 0);
	push_n(r, 1, 10, 7); /* idx 6..9 = seq 7..10 held */
	assert_int_equal(sse_ring_resume(r, 7, 8), 8);
	assert_int_equal(sse_ring_resume(r, 7, 6), 6); /* aged out: from the oldest */
	assert_int_equal(sse_ring_resume(r, 7, 10), 10);
	sse_ring_free(r);
}

/* An overwritten slot keeps its buffer: a long alert then shorter ones reuse it, bytes stay exact. */
static void push__overwrite__buffer_reused_and_mem_exact(void **state)
{
	char big[400], id[48];
	struct sse_ring *r;
	const char *buf;
	size_t mem = 0;

	(void)state;
	assert_int_equal(sse_ring_new(2, &r), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(sse_ring_push(r, "1-1", 1, SSE_CLASS_LOW, big), 0);
	buf = sse_ring_at(r, 0)->frame;
	push_n(r, 2, 2, 1); /* idx 1, 2: idx 2 overwrites slot 0 */
	assert_ptr_equal(sse_ring_at(r, 2)->frame, buf);
	assert_non_null(strstr(sse_ring_at(r, 2)->frame, "data: {\"id\":\"1-3\"}\n\n"));
	for (uint64_t i = sse_ring_oldest(r); i < r->head; i++)
		mem += sse_ring_at(r, i)->frame_len;
	assert_int_equal(r->mem, mem);
	snprintf(id, sizeof(id), "1-%d", 4);
	assert_int_equal(sse_ring_push(r, id, 4, SSE_CLASS_LOW, big), 0); /* slot 1 grows */
	assert_int_equal(r->mem, sse_ring_at(r, 2)->frame_len + sse_ring_at(r, 3)->frame_len);
	sse_ring_free(r);
}

static void resize__shrink_and_grow__newest_kept(void **state)
{
	struct sse_ring *r;
	size_t frame;

	assert_int_equal(sse_ring_new(4, &r), 0);
	push_n(r, 1, 6, 9); /* idx 2..5 = seq 3..6 held */
	frame = sse_ring_at(r, 5)->frame_len;
	assert_int_equal(sse_ring_resize(r, 2), 0);
	assert_int_equal(sse_ring_oldest(r), 4);
	assert_null(sse_ring_at(r, 3));
	assert_int_equal(sse_ring_at(r, 4)->seq, 5);
	assert_int_equal(sse_ring_at(r, 5)->seq, 6);
	assert_int_equal(r->mem, 2 * frame);
	assert_int_equal(sse_ring_resize(r, 8), 0);
	assert_int_equal(sse_ring_oldest(r), 4); /* growing brings nothing back */
	assert_null(sse_ring_at(r, 0));
	push_n(r, 7, 5, 9);			 /* idx 6..10 */
	assert_int_equal(sse_ring_oldest(r), 4); /* idx 3 left at the shrink */
	assert_null(sse_ring_at(r, 3));
	assert_int_equal(sse_ring_at(r, 4)->seq, 5);
	assert_int_equal(sse_ring_at(r, 10)->seq, 11);
	assert_int_equal(sse_ring_pending(r, 4, 0), r->bytes - sse_ring_at(r, 4)->start_bytes);
	push_n(r, 12, 4, 9); /* idx 11..14: now the capacity bounds it */
	assert_int_equal(sse_ring_oldest(r), 7);
	assert_int_equal(sse_ring_resume(r, 9, 5), 7); /* seq 5 aged out: from the oldest */
	assert_int_equal(sse_ring_resume(r, 9, 9), 9); /* seq 9 is idx 8: from idx 9 */
	assert_int_equal(sse_ring_resize(r, 0), -EINVAL);
	sse_ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(push__one__exact_frame),
		cmocka_unit_test(push__bad_id__einval),
		cmocka_unit_test(push__overflow__oldest_dropped_and_bytes_kept),
		cmocka_unit_test(resume__table__start_points),
		cmocka_unit_test(resume__wrapped__relative_to_oldest),
		cmocka_unit_test(push__overwrite__buffer_reused_and_mem_exact),
		cmocka_unit_test(resize__shrink_and_grow__newest_kept),
		cmocka_unit_test(push__low_flood__kept_alerts_stay),
		cmocka_unit_test(push__keep_flood__low_reserve_stays),
		cmocka_unit_test(resize__shrink__lows_go_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
