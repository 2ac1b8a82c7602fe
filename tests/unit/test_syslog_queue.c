/* SPDX-License-Identifier: MIT */
/*
 * Proves the syslog delivery bookkeeping: the bounded queue keeps order,
 * refuses past its cap, releases written messages only after the peer's
 * acknowledgment plus a linger, and rewinds every unsure message on a
 * disconnect; the on-disk spool keeps records in order, honours its size cap,
 * survives a reopen (resuming at the saved read offset) and cuts a torn tail.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "syslog_queue.h"
#include "syslog_spool.h"

static char *dupmsg(int i)
{
	char *s = malloc(16);

	assert_non_null(s);
	snprintf(s, 16, "m%d", i);
	return s;
}

static void queue__cap__refuses_then_accepts_after_release(void **state)
{
	struct squeue q;
	char *extra;
	int i;

	(void)state;
	assert_int_equal(squeue_init(&q, 3), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(squeue_push(&q, dupmsg(i), 2), 0);
	extra = dupmsg(9);
	assert_int_equal(squeue_push(&q, extra, 2), -ENOBUFS); /* nothing acknowledged: refused */
	assert_int_equal(squeue_len(&q), 3);
	assert_string_equal(squeue_next(&q)->data, "m0");
	squeue_mark_sent(&q, 10);
	assert_int_equal(squeue_pending(&q), 2);
	assert_int_equal(squeue_push(&q, extra, 2), -ENOBUFS); /* written but unacknowledged: kept */
	assert_int_equal(squeue_ack(&q, 10, 1000, 500), 0);    /* acknowledged, lingers */
	assert_int_equal(squeue_push(&q, extra, 2), 1);	       /* the acknowledged one makes room */
	assert_string_equal(squeue_at(&q, 0)->data, "m1");
	assert_string_equal(squeue_at(&q, 2)->data, "m9");
	assert_int_equal(q.nsent, 0);
	squeue_fini(&q);
}

static void queue__ack_linger__releases_in_order(void **state)
{
	struct squeue q;
	int i;

	(void)state;
	assert_int_equal(squeue_init(&q, 8), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(squeue_push(&q, dupmsg(i), 2), 0);
	squeue_mark_sent(&q, 5);
	squeue_mark_sent(&q, 10);
	squeue_mark_sent(&q, 15);
	assert_int_equal(squeue_ack(&q, 9, 100, 1000), 0);  /* m0 acked at 100 */
	assert_int_equal(squeue_ack(&q, 15, 600, 1000), 0); /* m1, m2 acked at 600 */
	assert_int_equal(squeue_ack(&q, 15, 1099, 1000), 0);
	assert_int_equal(squeue_ack(&q, 15, 1100, 1000), 1); /* m0's linger is over */
	assert_string_equal(squeue_at(&q, 0)->data, "m1");
	assert_int_equal(q.nsent, 2);
	assert_int_equal(squeue_ack(&q, 15, 1600, 1000), 2);
	assert_int_equal(squeue_len(&q), 1);
	assert_int_equal(q.nsent, 0);
	assert_string_equal(squeue_next(&q)->data, "m3");
	squeue_fini(&q);
}

static void queue__rewind__unsure_become_pending(void **state)
{
	struct squeue q;
	int i;

	(void)state;
	assert_int_equal(squeue_init(&q, 4), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(squeue_push(&q, dupmsg(i), 2), 0);
	squeue_mark_sent(&q, 5);
	squeue_mark_sent(&q, 10);
	assert_int_equal(squeue_ack(&q, 10, 100, 1000), 0);
	assert_null(squeue_next(&q) == squeue_at(&q, 2) ? NULL : "wrong next");
	assert_int_equal(squeue_rewind(&q), 2);
	assert_int_equal(squeue_pending(&q), 3);
	assert_string_equal(squeue_next(&q)->data, "m0");
	assert_int_equal(squeue_at(&q, 0)->acked_ms, 0);
	/* after the rewind the old acknowledgment offsets mean nothing */
	assert_int_equal(squeue_ack(&q, 100, 5000, 0), 0);
	assert_int_equal(squeue_len(&q), 3);
	squeue_fini(&q);
}

static void queue__resize__keeps_order(void **state)
{
	struct squeue q;
	int i;

	(void)state;
	assert_int_equal(squeue_init(&q, 3), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(squeue_push(&q, dupmsg(i), 2), 0);
	squeue_mark_sent(&q, 1);
	squeue_release(&q, 1);
	assert_int_equal(squeue_push(&q, dupmsg(3), 2), 0); /* wraps around */
	assert_int_equal(squeue_resize(&q, 6), 0);
	assert_int_equal(squeue_push(&q, dupmsg(4), 2), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(atoi(squeue_at(&q, (size_t)i)->data + 1), i + 1);
	squeue_fini(&q);
	assert_int_equal(squeue_init(&q, 0), -EINVAL);
}

/* copies go into buffers released entries left behind: no allocation once the pool is warm */
static void queue__push_copy__reuses_released_buffers(void **state)
{
	static char big[64 << 10]; /* 64 KiB with its NUL: buffers of 64 KiB */
	struct squeue q;
	char *first;
	int i;

	(void)state;
	memset(big, 'b', sizeof(big) - 1);
	assert_int_equal(squeue_init(&q, 200), 0);
	assert_int_equal(squeue_push_copy(&q, "hello!", 5), 0);
	assert_string_equal(squeue_at(&q, 0)->data, "hello");
	assert_int_equal(squeue_at(&q, 0)->len, 5);
	first = squeue_at(&q, 0)->data;
	squeue_release(&q, 1);
	assert_int_equal(q.npool, 1);
	assert_int_equal(squeue_push_copy(&q, "hi", 2), 0);
	assert_ptr_equal(squeue_at(&q, 0)->data, first);
	assert_string_equal(squeue_at(&q, 0)->data, "hi");
	assert_int_equal(q.npool, 0);
	/* the pool keeps every buffer within its byte budget, and frees those beyond it */
	for (i = 0; i < 150; i++)
		assert_int_equal(squeue_push_copy(&q, "x", 1), 0);
	squeue_release(&q, squeue_len(&q));
	assert_int_equal(q.npool, 151); /* and the "hi" */
	assert_int_equal(q.pool_bytes, 151 * 1024);
	for (i = 0; i < 150; i++)
		assert_int_equal(squeue_push_copy(&q, big, sizeof(big) - 1), 0);
	assert_int_equal(q.npool, 1); /* 150 of the 151 taken (and grown) */
	squeue_release(&q, squeue_len(&q));
	assert_true(q.pool_bytes <= SQUEUE_POOL_BYTES);
	assert_int_equal(q.npool, 1 + (SQUEUE_POOL_BYTES - 1024) / sizeof(big));
	squeue_fini(&q);
	assert_int_equal(q.npool, 0);
}

static char tmpdir[64];

static int spool_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/rtmon-spool.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int spool_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void expect_peek(struct syslog_spool *s, const char *want)
{
	char *data = NULL;
	size_t len = 0;

	assert_int_equal(spool_peek(s, &data, &len), 1);
	assert_int_equal(len, strlen(want));
	assert_string_equal(data, want);
	free(data);
	assert_int_equal(spool_consume(s), 0);
}

static void spool__order_cap_reopen(void **state)
{
	struct syslog_spool *s = NULL;
	char *data;
	size_t len;

	(void)state;
	assert_int_equal(spool_open(tmpdir, "d1.spool", 8 + 3 * (4 + 5), &s), 0);
	assert_int_equal(spool_append(s, "one..", 5), 0);
	assert_int_equal(spool_append(s, "two..", 5), 0);
	assert_int_equal(spool_append(s, "three", 5), 0);
	assert_int_equal(spool_append(s, "four.", 5), -ENOSPC);
	assert_int_equal(spool_count(s), 3);
	expect_peek(s, "one..");
	s = spool_close(s);
	/* reopened: resumes after the record already read */
	assert_int_equal(spool_open(tmpdir, "d1.spool", 8 + 3 * (4 + 5), &s), 0);
	assert_int_equal(spool_count(s), 2);
	expect_peek(s, "two..");
	/* the read part is reclaimed when the cap is reached */
	assert_int_equal(spool_append(s, "four.", 5), 0);
	assert_int_equal(spool_append(s, "five.", 5), 0);
	expect_peek(s, "three");
	expect_peek(s, "four.");
	expect_peek(s, "five.");
	assert_int_equal(spool_peek(s, &data, &len), 0);
	assert_int_equal(spool_bytes(s), 8);
	spool_close(s);
}

static void spool__torn_tail__cut_on_open(void **state)
{
	struct syslog_spool *s = NULL;
	char path[128];
	int fd;

	(void)state;
	assert_int_equal(spool_open(tmpdir, "d2.spool", 1 << 20, &s), 0);
	assert_int_equal(spool_append(s, "whole", 5), 0);
	s = spool_close(s);
	snprintf(path, sizeof(path), "%s/d2.spool", tmpdir);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\x40\0\0\0par", 7), 7); /* claims 64 bytes, has 3 */
	close(fd);
	assert_int_equal(spool_open(tmpdir, "d2.spool", 1 << 20, &s), 0);
	assert_int_equal(spool_count(s), 1);
	assert_int_equal(spool_bytes(s), 8 + 4 + 5);
	expect_peek(s, "whole");
	assert_int_equal(spool_append(s, "after", 5), 0);
	expect_peek(s, "after");
	spool_close(s);
	assert_int_equal(spool_open(tmpdir, "a/b", 10, &s), -EINVAL);
}

/* a second open of the same spool (another rtmon) is refused while the first holds it */
static void spool__second_open__busy(void **state)
{
	struct syslog_spool *s = NULL, *t = NULL;

	(void)state;
	assert_int_equal(spool_open(tmpdir, "d4.spool", 1 << 20, &s), 0);
	assert_int_equal(spool_open(tmpdir, "d4.spool", 1 << 20, &t), -EBUSY);
	assert_null(t);
	s = spool_close(s);
	assert_int_equal(spool_open(tmpdir, "d4.spool", 1 << 20, &t), 0);
	spool_close(t);
}

/* spool_consume checks the record length as spool_peek does: a corrupt one never moves the read offset */
static void spool__consume__bad_length_refused(void **state)
{
	struct syslog_spool *s = NULL;
	char path[128];
	uint32_t huge = 0x7fffffff;
	int fd;

	(void)state;
	assert_int_equal(spool_open(tmpdir, "d5.spool", 1 << 20, &s), 0);
	assert_int_equal(spool_append(s, "aaaaa", 5), 0);
	assert_int_equal(spool_append(s, "bbbbb", 5), 0);
	snprintf(path, sizeof(path), "%s/d5.spool", tmpdir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &huge, sizeof(huge), 8), (ssize_t)sizeof(huge));
	close(fd);
	assert_int_equal(spool_consume(s), -EBADMSG);
	assert_int_equal(spool_count(s), 2);
	spool_close(s);
}

static void spool__compaction__keeps_unread(void **state)
{
	struct syslog_spool *s = NULL;
	char rec[1024], want[1024];
	int i;

	(void)state;
	assert_int_equal(spool_open(tmpdir, "d3.spool", 1 << 20, &s), 0);
	for (i = 0; i < 200; i++) {
		memset(rec, 'a' + i % 26, sizeof(rec));
		snprintf(rec, 16, "%05d", i);
		rec[5] = '-';
		assert_int_equal(spool_append(s, rec, sizeof(rec)), 0);
	}
	for (i = 0; i < 200; i++) {
		char *data;
		size_t len;

		memset(want, 'a' + i % 26, sizeof(want));
		snprintf(want, 16, "%05d", i);
		want[5] = '-';
		assert_int_equal(spool_peek(s, &data, &len), 1);
		assert_int_equal(len, sizeof(rec));
		assert_memory_equal(data, want, sizeof(want));
		free(data);
		assert_int_equal(spool_consume(s), 0);
		if (i == 120) /* compacted by now: the file shrank */
			assert_true(spool_bytes(s) < 8 + 200 * (4 + 1024));
	}
	assert_int_equal(spool_count(s), 0);
	spool_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue__cap__refuses_then_accepts_after_release),
		cmocka_unit_test(queue__ack_linger__releases_in_order),
		cmocka_unit_test(queue__rewind__unsure_become_pending),
		cmocka_unit_test(queue__resize__keeps_order),
		cmocka_unit_test(queue__push_copy__reuses_released_buffers),
		cmocka_unit_test(spool__order_cap_reopen),
		cmocka_unit_test(spool__torn_tail__cut_on_open),
		cmocka_unit_test(spool__consume__bad_length_refused),
		cmocka_unit_test(spool__compaction__keeps_unread),
		cmocka_unit_test(spool__second_open__busy),
	};

	return cmocka_run_group_tests(tests, spool_setup, spool_teardown);
}
