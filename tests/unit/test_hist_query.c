/* SPDX-License-Identifier: MIT */
/*
 * Proves the history page request: times (RFC3339 with fraction and offset, epoch microseconds), every
 * parameter and a table of bad values, the encode/decode round trip the listener and the monitor share
 * (and bad frames), the JSON getter, filter matching on alerts as rtmon writes them, and the ring's pages
 * (cursor chain: each alert once, newest page first; filters; bad cursors).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hist_query.h"
#include "hist_ring.h"
#include "sse_ring.h"

static void time__table__exact_microseconds(void **state)
{
	static const struct {
		const char *s;
		int r;
		uint64_t us;
	} t[] = {
		{ "2026-12-06T02:13:38Z", 0, 1796523218000000ull },
		{ "2026-12-06T02:13:38.5Z", 0, 1796523218500000ull },
		{ "2026-12-06T02:13:38.123456Z", 0, 1796523218123456ull },
		{ "2026-12-06T02:13:38.123456789Z", 0, 1796523218123456ull },
		{ "2026-12-06T03:13:38+01:00", 0, 1796523218000000ull },
		{ "2026-12-05T21:13:38.000001-05:00", 0, 1796523218000001ull },
		{ "1796523218123456", 0, 1796523218123456ull },
		{ "0", 0, 0 },
		{ "", -EINVAL, 0 },
		{ "2026-12-06T02:13:38", -EINVAL, 0 },
		{ "2026-12-06 02:13:38Z", -EINVAL, 0 },
		{ "2026-13-06T02:13:38Z", -EINVAL, 0 },
		{ "2026-12-06T25:13:38Z", -EINVAL, 0 },
		{ "2026-12-06T02:13:38.Z", -EINVAL, 0 },
		{ "2026-12-06T02:13:38.1234567890Z", -EINVAL, 0 },
		{ "2026-12-06T02:13:38+0100", -EINVAL, 0 },
		{ "2026-12-06T02:13:38Zjunk", -EINVAL, 0 },
		{ "1969-12-31T23:59:59Z", -EINVAL, 0 },
		{ "12345678901234567890", -EINVAL, 0 },
		{ "-5", -EINVAL, 0 },
		{ "17e5", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t us = 77;
		int r = hist_time_parse(t[i].s, &us);

		if (r != t[i].r || (r == 0 && us != t[i].us))
			fail_msg("%s: r=%d us=%llu", t[i].s, r, (unsigned long long)us);
	}
}

static void set__bad_values__einval_and_query_unchanged(void **state)
{
	static const struct {
		const char *k, *v;
	} bad[] = {
		{ "limit", "0" },	   { "limit", "1001" },
		{ "limit", "-1" },	   { "limit", "ten" },
		{ "limit", "" },	   { "severity", "" },
		{ "severity", "urgent" },  { "severity", "high," },
		{ "severity", ",high" },   { "severity", "high,,low" },
		{ "cursor", "" },	   { "cursor", "s=1;i=2 x" },
		{ "cursor", "a\"b" },	   { "rule", "" },
		{ "rule", "a\nb" },	   { "host", "h\x1b[31m" },
		{ "pod", "p\xc3\xa9" },	   { "since", "yesterday" },
		{ "until", "2026-12-06" },
	};
	struct hist_query q, before;
	char longv[HIST_VALUE_MAX + 1], longc[HIST_CURSOR_MAX + 1];

	hist_query_init(&q);
	before = q;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hist_query_set(&q, bad[i].k, bad[i].v) != -EINVAL)
			fail_msg("%s=%s accepted", bad[i].k, bad[i].v);
		assert_memory_equal(&q, &before, sizeof(q));
	}
	memset(longv, 'a', HIST_VALUE_MAX);
	longv[HIST_VALUE_MAX] = '\0';
	assert_int_equal(hist_query_set(&q, "rule", longv), -EINVAL);
	longv[HIST_VALUE_MAX - 1] = '\0';
	assert_int_equal(hist_query_set(&q, "rule", longv), 0);
	memset(longc, 'a', HIST_CURSOR_MAX);
	longc[HIST_CURSOR_MAX] = '\0';
	assert_int_equal(hist_query_set(&q, "cursor", longc), -EINVAL);
	assert_int_equal(hist_query_set(&q, "token", "x"), -ENOENT);
	assert_int_equal(hist_query_set(&q, NULL, "x"), -EINVAL);
}

static void encode_decode__every_field__round_trip(void **state)
{
	struct hist_query q, got;
	char buf[4096];
	int n;

	hist_query_init(&q);
	assert_int_equal(hist_query_set(&q, "since", "2026-12-06T02:00:00Z"), 0);
	assert_int_equal(hist_query_set(&q, "until", "1796523218123456"), 0);
	assert_int_equal(hist_query_set(&q, "limit", "250"), 0);
	assert_int_equal(hist_query_set(&q, "severity", "critical,high"), 0);
	assert_int_equal(hist_query_set(&q, "cursor", "s=0a1b;i=2f;b=ff;m=1;t=5;x=9"), 0);
	assert_int_equal(hist_query_set(&q, "rule", "reverse_shell"), 0);
	assert_int_equal(hist_query_set(&q, "host", "node-1"), 0);
	assert_int_equal(hist_query_set(&q, "pod", "web-0"), 0);
	assert_int_equal(hist_query_set(&q, "namespace", "prod"), 0);
	assert_int_equal(hist_query_set(&q, "container", "4f1e"), 0);
	assert_int_equal(hist_query_set(&q, "incident", "1-1"), 0);
	assert_int_equal(q.severities, (1u << 4) | (1u << 3));
	assert_int_equal(q.since_us, 1796522400000000ull);
	n = hist_query_encode(&q, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(hist_query_decode(buf, (size_t)n, &got), 0);
	assert_memory_equal(&q, &got, sizeof(q));
	assert_int_equal(hist_query_encode(&q, buf, 20), -ENOSPC);

	/* bad frames: truncated pairs, a bad value, an unknown key, since after until */
	assert_int_equal(hist_query_decode("limit\0"
					   "5",
					   7, &got),
			 -EINVAL);
	assert_int_equal(hist_query_decode("limit", 5, &got), -EINVAL);
	assert_int_equal(hist_query_decode("limit\0"
					   "0\0",
					   8, &got),
			 -EINVAL);
	assert_int_equal(hist_query_decode("token\0"
					   "x\0",
					   8, &got),
			 -EINVAL);
	assert_int_equal(hist_query_decode("since\0"
					   "9\0until\0"
					   "8\0",
					   16, &got),
			 -EINVAL);
	assert_int_equal(hist_query_decode("", 0, &got), 0);
	assert_int_equal(got.limit, HIST_LIMIT_DEFAULT);
}

static const char alert[] =
	"{\"kind\":\"alert\",\"id\":\"1795963234000000-1\",\"rule_id\":\"k8s_api\",\"severity\":\"medium\","
	"\"reason\":\"a \\\"quoted\\\" {brace} [x], \\\\ y\",\"mitre\":[\"T1613\",{\"x\":\"}\"}],"
	"\"host\":\"vm\",\"event\":{\"pid\":1,\"host\":\"not-this\",\"container_id\":\"4f\"},"
	"\"container\":{\"id\":\"4f1e\",\"pod\":\"web-0\",\"namespace\":\"prod\"},\"addr\":\"10.0.0.10:10250\"}";

static void json_str__paths__top_level_and_nested(void **state)
{
	char v[64];

	assert_int_equal(hist_json_str(alert, strlen(alert), "host", v, sizeof(v)), 0);
	assert_string_equal(v, "vm");
	assert_int_equal(hist_json_str(alert, strlen(alert), "reason", v, sizeof(v)), 0);
	assert_string_equal(v, "a \"quoted\" {brace} [x], \\ y");
	assert_int_equal(hist_json_str(alert, strlen(alert), "container.pod", v, sizeof(v)), 0);
	assert_string_equal(v, "web-0");
	assert_int_equal(hist_json_str(alert, strlen(alert), "addr", v, sizeof(v)), 0);
	assert_string_equal(v, "10.0.0.10:10250");
	assert_int_equal(hist_json_str(alert, strlen(alert), "event.pid", v, sizeof(v)), -ENOENT);
	assert_int_equal(hist_json_str(alert, strlen(alert), "container.image", v, sizeof(v)), -ENOENT);
	assert_int_equal(hist_json_str(alert, strlen(alert), "pod", v, sizeof(v)), -ENOENT);
	assert_int_equal(hist_json_str(alert, strlen(alert), "rule_id", v, 4), -ENOSPC);
	assert_int_equal(hist_json_str(alert, 30, "host", v, sizeof(v)), -ENOENT); /* truncated */
	assert_int_equal(hist_json_str("[1]", 3, "host", v, sizeof(v)), -ENOENT);
}

static void match_json__filters__exact(void **state)
{
	struct hist_query q;

	hist_query_init(&q);
	assert_true(hist_query_match_json(&q, alert, strlen(alert)));
	assert_int_equal(hist_query_set(&q, "severity", "medium"), 0);
	assert_int_equal(hist_query_set(&q, "pod", "web-0"), 0);
	assert_int_equal(hist_query_set(&q, "host", "vm"), 0);
	assert_int_equal(hist_query_set(&q, "since", "1795963234000000"), 0);
	assert_int_equal(hist_query_set(&q, "until", "1795963234000000"), 0);
	assert_true(hist_query_match_json(&q, alert, strlen(alert)));
	assert_int_equal(hist_query_set(&q, "until", "1795963233999999"), 0);
	assert_false(hist_query_match_json(&q, alert, strlen(alert)));
	assert_int_equal(hist_query_set(&q, "until", "1795963234000000"), 0);
	assert_int_equal(hist_query_set(&q, "namespace", "dev"), 0);
	assert_false(hist_query_match_json(&q, alert, strlen(alert)));
	hist_query_init(&q);
	assert_int_equal(hist_query_set(&q, "severity", "high,critical"), 0);
	assert_false(hist_query_match_json(&q, alert, strlen(alert)));
	hist_query_init(&q);
	assert_int_equal(hist_query_set(&q, "host", "not-this"), 0);
	assert_false(hist_query_match_json(&q, alert, strlen(alert)));
}

/* One page from the ring as a string; *cursor gets the next cursor. */
static char *ring_page(struct sse_ring *r, struct hist_query *q, char *cursor, int *ret_n)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_non_null(f);
	*ret_n = hist_ring_page(r, q, f, cursor, HIST_CURSOR_MAX);
	fclose(f);
	return out;
}

static void ring_page__cursor_chain__each_once(void **state)
{
	static const char *const sev[] = { "low", "high", "low", "critical", "low", "high", "low" };
	char cursor[HIST_CURSOR_MAX], json[128], id[32];
	struct hist_query q;
	struct sse_ring *r;
	int n;

	assert_int_equal(sse_ring_new(16, &r), 0);
	for (int i = 0; i < 7; i++) {
		snprintf(id, sizeof(id), "%d-%d", 1000 + i, i + 1);
		snprintf(json, sizeof(json), "{\"id\":\"%s\",\"severity\":\"%s\",\"host\":\"h\"}", id, sev[i]);
		assert_int_equal(sse_ring_push(r, id, (uint64_t)i + 1, SSE_CLASS_LOW, json), 0);
	}
	hist_query_init(&q);
	q.limit = 3;
	assert_string_equal(ring_page(r, &q, cursor, &n), "[{\"id\":\"1004-5\",\"severity\":\"low\",\"host\":\"h\"},"
							  "{\"id\":\"1005-6\",\"severity\":\"high\",\"host\":\"h\"},"
							  "{\"id\":\"1006-7\",\"severity\":\"low\",\"host\":\"h\"}]\n");
	assert_int_equal(n, 3);
	assert_string_equal(cursor, "m4");
	strcpy(q.cursor, cursor);
	assert_non_null(strstr(ring_page(r, &q, cursor, &n), "\"1001-2\""));
	assert_int_equal(n, 3);
	assert_string_equal(cursor, "m1");
	strcpy(q.cursor, cursor);
	assert_string_equal(ring_page(r, &q, cursor, &n),
			    "[{\"id\":\"1000-1\",\"severity\":\"low\",\"host\":\"h\"}]\n");
	assert_int_equal(n, 1);
	assert_string_equal(cursor, "");

	/* filters: severity, time; no match is an empty page */
	hist_query_init(&q);
	assert_int_equal(hist_query_set(&q, "severity", "high,critical"), 0);
	q.limit = 2;
	assert_string_equal(ring_page(r, &q, cursor, &n),
			    "[{\"id\":\"1003-4\",\"severity\":\"critical\",\"host\":\"h\"},"
			    "{\"id\":\"1005-6\",\"severity\":\"high\",\"host\":\"h\"}]\n");
	assert_string_equal(cursor, "m3");
	assert_int_equal(hist_query_set(&q, "until", "1002"), 0);
	ring_page(r, &q, cursor, &n);
	assert_int_equal(n, 1);
	assert_string_equal(cursor, "");
	assert_int_equal(hist_query_set(&q, "host", "other"), 0);
	assert_string_equal(ring_page(r, &q, cursor, &n), "[]\n");
	assert_int_equal(n, 0);
	for (size_t i = 0; i < 4; i++) {
		static const char *const bad[] = { "s=1;i=2", "m", "mx", "m1x" };

		strcpy(q.cursor, bad[i]);
		ring_page(r, &q, cursor, &n);
		assert_int_equal(n, -EINVAL);
	}
	sse_ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(time__table__exact_microseconds),
		cmocka_unit_test(set__bad_values__einval_and_query_unchanged),
		cmocka_unit_test(encode_decode__every_field__round_trip),
		cmocka_unit_test(json_str__paths__top_level_and_nested),
		cmocka_unit_test(match_json__filters__exact),
		cmocka_unit_test(ring_page__cursor_chain__each_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
