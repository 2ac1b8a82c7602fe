/* SPDX-License-Identifier: MIT */
/* Proves the SSE alert ring: exact frames, bounded history, byte accounting, Last-Event-ID resume points. */
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
		assert_int_equal(sse_ring_push(r, id, s, json), 0);
	}
}

static void push__one__exact_frame(void **state)
{
	struct sse_ring *r;
	const struct sse_entry *e;
	static const char frame[] = "id: 1764427000123456-42\nevent: alert\ndata: {\"a\":1,  \"b\":2}\n\n";

	assert_int_equal(sse_ring_new(4, &r), 0);
	assert_int_equal(sse_ring_push(r, "1764427000123456-42", 42, "{\"a\":1,\r\n\"b\":2}"), 0);
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
	assert_int_equal(sse_ring_push(r, "1-1\n", 1, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "1-1\r", 1, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "", 1, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, longid, 1, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, NULL, 1, "{}"), -EINVAL);
	assert_int_equal(sse_ring_push(r, "1-1", 1, NULL), -EINVAL);
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
	frame = sse_ring_at(r, 4)->frame_len;   /* every frame here has the same length */
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
		{ 500, 12, 3 },  /* exact: just after seq 12 (idx 2) */
		{ 0, 12, 3 },    /* bare sequence */
		{ 500, 10, 1 },  /* oldest held: after it */
		{ 500, 17, 7 },  /* newest: nothing to replay */
		{ 500, 9, 0 },   /* just aged out: whole ring */
		{ 500, 1, 0 },   /* long gone: whole ring */
		{ 500, 18, 0 },  /* beyond newest: another run, whole ring */
		{ 999, 12, 0 },  /* same seq, other time: another run, whole ring */
		{ 500, 13, 3 },  /* the gap 13 (absent): from 14 (idx 3) */
	};

	assert_int_equal(sse_ring_new(8, &r), 0);
	assert_int_equal(sse_ring_resume(r, 0, 5), 0); /* empty ring: its head */
	push_n(r, 10, 3, 500);                          /* idx 0..2 = seq 10..12 */
	push_n(r, 14, 4, 500);                          /* idx 3..6 = seq 14..17 */
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t got = sse_ring_resume(r, t[i].usec, t[i].seq);

		if (got != t[i].want)
			fail_msg("resume(%llu, %llu) = %llu, want %llu", (unsigned long long)t[i].usec,
				 (unsigned long long)t[i].seq, (unsigned long long)got,
				 (unsigned long long)t[i].want);
	}
	sse_ring_free(r);
}

static void resume__wrapped__relative_to_oldest(void **state)
{
	struct sse_ring *r;

	assert_int_equal(sse_ring_new(4, &r), 0);
	push_n(r, 1, 10, 7);                           /* idx 6..9 = seq 7..10 held */
	assert_int_equal(sse_ring_resume(r, 7, 8), 8);
	assert_int_equal(sse_ring_resume(r, 7, 6), 6);  /* aged out: from the oldest */
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
	assert_int_equal(sse_ring_push(r, "1-1", 1, big), 0);
	buf = sse_ring_at(r, 0)->frame;
	push_n(r, 2, 2, 1);                            /* idx 1, 2: idx 2 overwrites slot 0 */
	assert_ptr_equal(sse_ring_at(r, 2)->frame, buf);
	assert_non_null(strstr(sse_ring_at(r, 2)->frame, "data: {\"id\":\"1-3\"}\n\n"));
	for (uint64_t i = sse_ring_oldest(r); i < r->head; i++)
		mem += sse_ring_at(r, i)->frame_len;
	assert_int_equal(r->mem, mem);
	snprintf(id, sizeof(id), "1-%d", 4);
	assert_int_equal(sse_ring_push(r, id, 4, big), 0); /* slot 1 grows */
	assert_int_equal(r->mem, sse_ring_at(r, 2)->frame_len + sse_ring_at(r, 3)->frame_len);
	sse_ring_free(r);
}

static void resize__shrink_and_grow__newest_kept(void **state)
{
	struct sse_ring *r;
	size_t frame;

	assert_int_equal(sse_ring_new(4, &r), 0);
	push_n(r, 1, 6, 9);                            /* idx 2..5 = seq 3..6 held */
	frame = sse_ring_at(r, 5)->frame_len;
	assert_int_equal(sse_ring_resize(r, 2), 0);
	assert_int_equal(sse_ring_oldest(r), 4);
	assert_null(sse_ring_at(r, 3));
	assert_int_equal(sse_ring_at(r, 4)->seq, 5);
	assert_int_equal(sse_ring_at(r, 5)->seq, 6);
	assert_int_equal(r->mem, 2 * frame);
	assert_int_equal(sse_ring_resize(r, 8), 0);
	assert_int_equal(sse_ring_oldest(r), 4);       /* growing brings nothing back */
	assert_null(sse_ring_at(r, 0));
	push_n(r, 7, 5, 9);                            /* idx 6..10 */
	assert_int_equal(sse_ring_oldest(r), 4);       /* idx 3 left at the shrink */
	assert_null(sse_ring_at(r, 3));
	assert_int_equal(sse_ring_at(r, 4)->seq, 5);
	assert_int_equal(sse_ring_at(r, 10)->seq, 11);
	assert_int_equal(sse_ring_pending(r, 4, 0), r->bytes - sse_ring_at(r, 4)->start_bytes);
	push_n(r, 12, 4, 9);                           /* idx 11..14: now the capacity bounds it */
	assert_int_equal(sse_ring_oldest(r), 7);
	assert_int_equal(sse_ring_resume(r, 9, 5), 7);  /* seq 5 aged out: from the oldest */
	assert_int_equal(sse_ring_resume(r, 9, 9), 9);  /* seq 9 is idx 8: from idx 9 */
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
