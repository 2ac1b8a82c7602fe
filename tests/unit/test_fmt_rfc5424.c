/* SPDX-License-Identifier: MIT */
/*
 * Proves that fmt_rfc5424 produces exact RFC5424 messages: PRI for every
 * severity, header sanitizing, every SD field, escaping, UTF-8 repair, and
 * size-limit trimming that cuts MSG only and never inside a UTF-8 sequence.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fmt_rfc5424.h"

static struct rtmon_event ev;
static struct rtmon_container ct;

/* 2026-11-29T14:36:40.123456Z */
#define T_NS 1795963000123456789ull

static void make_alert(struct rtmon_alert *a)
{
	memset(a, 0, sizeof(*a));
	memset(&ev, 0, sizeof(ev));
	snprintf(a->id, sizeof(a->id), "1764427000123456-42");
	a->rule_id = "reverse_shell";
	a->severity = RTMON_SEV_HIGH;
	a->risk_score = 85;
	a->time_ns = T_NS;
	ev.type = RTMON_EV_CONNECT;
	ev.pid = 1234;
	ev.ppid = 567;
	ev.uid = 1000;
	ev.has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_EXE;
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/bash");
	a->event = &ev;
	snprintf(a->addr, sizeof(a->addr), "127.0.0.1:4444");
}

static char *fmt(const struct rfc5424_opts *o, const struct rtmon_alert *a, const char *json, int want_r, bool *trimmed)
{
	char *out = NULL;
	size_t len = 0;
	bool t = false;
	int r = rfc5424_format(o, a, json, &out, &len, &t);

	assert_int_equal(r, want_r);
	if (r < 0)
		return NULL;
	assert_int_equal(len, strlen(out));
	if (trimmed)
		*trimmed = t;
	return out;
}

static const struct rfc5424_opts base = {
	.facility = 4,
	.pen = 32473,
	.hostname = "node-1",
	.procid = 77,
};

static void fmt__full_alert__exact_message(void **state)
{
	struct rtmon_alert a;
	char *m;

	(void)state;
	make_alert(&a);
	m = fmt(&base, &a, "{\"kind\":\"alert\"}", 0, NULL);
	assert_string_equal(m, "<35>1 2026-11-29T14:36:40.123456Z node-1 rtmon 77 reverse_shell "
			       "[rtmon@32473 id=\"1764427000123456-42\" rule_id=\"reverse_shell\" severity=\"high\" "
			       "risk_score=\"85\" pid=\"1234\" ppid=\"567\" uid=\"1000\" exe=\"/usr/bin/bash\" "
			       "addr=\"127.0.0.1:4444\"] {\"kind\":\"alert\"}");
	free(m);
}

static void fmt__incident__sd_has_incident_id_and_kind(void **state)
{
	struct rtmon_alert a;
	char *m;

	(void)state;
	make_alert(&a);
	snprintf(a.incident_id, sizeof(a.incident_id), "1764427000123456-40");
	m = fmt(&base, &a, NULL, 0, NULL);
	assert_non_null(strstr(m, " addr=\"127.0.0.1:4444\" incident_id=\"1764427000123456-40\"]"));
	assert_null(strstr(m, "kind="));
	free(m);
	a.incident = (const struct rtmon_incident *)&a; /* only tested for NULL by the formatter */
	m = fmt(&base, &a, NULL, 0, NULL);
	assert_non_null(strstr(m, " incident_id=\"1764427000123456-40\" kind=\"incident\"]"));
	free(m);
}

static void fmt__container__sd_has_container_pod_namespace(void **state)
{
	struct rtmon_alert a;
	char *m;

	(void)state;
	make_alert(&a);
	memset(&ct, 0, sizeof(ct));
	snprintf(ct.id, sizeof(ct.id), "abcd1234");
	snprintf(ct.pod, sizeof(ct.pod), "web-7d9");
	snprintf(ct.ns, sizeof(ct.ns), "shop");
	a.container = &ct;
	a.addr[0] = '\0';
	ev.has = 0;
	a.folded = 3;
	m = fmt(&base, &a, "{}", 0, NULL);
	assert_non_null(strstr(
		m, " pid=\"1234\" container_id=\"abcd1234\" pod=\"web-7d9\" namespace=\"shop\" folded=\"3\"] {}"));
	assert_null(strstr(m, "ppid="));
	assert_null(strstr(m, "uid="));
	assert_null(strstr(m, "exe="));
	assert_null(strstr(m, "addr="));
	free(m);
}

static void fmt__recorded_container_id__used_without_container(void **state)
{
	struct rtmon_alert a;
	char *m;

	(void)state;
	make_alert(&a);
	ev.has |= RTMON_HAS_CONTAINER;
	snprintf(ev.container_id, sizeof(ev.container_id), "ffee");
	m = fmt(&base, &a, "{}", 0, NULL);
	assert_non_null(strstr(m, " container_id=\"ffee\""));
	assert_null(strstr(m, "pod="));
	free(m);
}

static void fmt__pri__every_severity_and_facility(void **state)
{
	static const struct {
		int facility;
		enum rtmon_severity sev;
		int pri;
	} t[] = {
		{ 4, RTMON_SEV_CRITICAL, 34 }, { 4, RTMON_SEV_HIGH, 35 },   { 4, RTMON_SEV_MEDIUM, 36 },
		{ 4, RTMON_SEV_LOW, 37 },      { 4, RTMON_SEV_INFO, 38 },   { 0, RTMON_SEV_CRITICAL, 2 },
		{ 16, RTMON_SEV_HIGH, 131 },   { 23, RTMON_SEV_INFO, 190 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(rfc5424_pri(t[i].facility, t[i].sev), t[i].pri);
	assert_int_equal(rfc5424_pri(24, RTMON_SEV_HIGH), -EINVAL);
	assert_int_equal(rfc5424_pri(-1, RTMON_SEV_HIGH), -EINVAL);
}

static void fmt__bad_facility__einval(void **state)
{
	struct rtmon_alert a;
	struct rfc5424_opts o = base;

	(void)state;
	make_alert(&a);
	o.facility = 24;
	fmt(&o, &a, "{}", -EINVAL, NULL);
}

static void fmt__header_fields__sanitized(void **state)
{
	struct rtmon_alert a;
	struct rfc5424_opts o = base;
	char host[300], *m;

	(void)state;
	make_alert(&a);
	/* MSGID: spaces and non-ASCII become '_', cut at 32; HOSTNAME: empty becomes "-" */
	a.rule_id = "rule with spaces \xc3\xa9 and a very long tail beyond thirty-two";
	o.hostname = "";
	o.procid = 0;
	a.time_ns = 0;
	m = fmt(&o, &a, NULL, 0, NULL);
	assert_string_equal(m, "<35>1 - - rtmon - rule_with_spaces____and_a_very_l "
			       "[rtmon@32473 id=\"1764427000123456-42\" "
			       "rule_id=\"rule with spaces \xc3\xa9 and a very long tail beyond thirty-two\" "
			       "severity=\"high\" risk_score=\"85\" pid=\"1234\" ppid=\"567\" uid=\"1000\" "
			       "exe=\"/usr/bin/bash\" addr=\"127.0.0.1:4444\"]");
	free(m);
	/* HOSTNAME: at most 255 characters */
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	o.hostname = host;
	a.rule_id = "";
	m = fmt(&o, &a, "{}", 0, NULL);
	assert_int_equal(strchr(m + 9, ' ') - (m + 8), 255); /* after "<35>1 - " */
	assert_non_null(strstr(m, " rtmon - - [rtmon@32473 id="));
	free(m);
}

static void fmt__sd_escaping__quote_backslash_bracket(void **state)
{
	struct rtmon_alert a;
	char *m;

	(void)state;
	make_alert(&a);
	snprintf(ev.exe, sizeof(ev.exe), "/tmp/a\"b\\c]d=e f");
	m = fmt(&base, &a, "{}", 0, NULL);
	assert_non_null(strstr(m, " exe=\"/tmp/a\\\"b\\\\c\\]d=e f\" "));
	free(m);
}

static void fmt__invalid_utf8__replaced(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "/tmp/\xff", "/tmp/\xef\xbf\xbd" },				      /* invalid byte */
		{ "/tmp/\xc3", "/tmp/\xef\xbf\xbd" },				      /* truncated sequence */
		{ "/tmp/\xc0\xaf", "/tmp/\xef\xbf\xbd\xef\xbf\xbd" },		      /* overlong '/' */
		{ "/tmp/\xed\xa0\x80", "/tmp/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "/tmp/\xf4\x90\x80\x80", "/tmp/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* > U+10FFFF */
		{ "/tmp/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		  "/tmp/\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" }, /* valid */
	};
	struct rtmon_alert a;
	char want[128], *m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		make_alert(&a);
		snprintf(ev.exe, sizeof(ev.exe), "%s", t[i].in);
		m = fmt(&base, &a, t[i].in, 0, NULL);
		snprintf(want, sizeof(want), " exe=\"%s\" ", t[i].out);
		assert_non_null(strstr(m, want));
		snprintf(want, sizeof(want), "] %s", t[i].out);
		assert_string_equal(strstr(m, "] "), want);
		free(m);
	}
}

static void fmt__bom__before_msg(void **state)
{
	struct rtmon_alert a;
	struct rfc5424_opts o = base;
	char *m;

	(void)state;
	make_alert(&a);
	o.bom = true;
	m = fmt(&o, &a, "{\"a\":1}", 0, NULL);
	assert_string_equal(strstr(m, "] "), "] \xef\xbb\xbf{\"a\":1}");
	free(m);
}

static void fmt__max_len__trims_msg_only(void **state)
{
	struct rtmon_alert a;
	struct rfc5424_opts o = base;
	char *full, *m, *sd_end;
	size_t head;
	bool trimmed = true;

	(void)state;
	make_alert(&a);
	full = fmt(&o, &a, "{\"reason\":\"0123456789\"}", 0, &trimmed);
	assert_false(trimmed);
	head = (size_t)(strstr(full, "] ") - full) + 1;
	/* fits exactly: not trimmed */
	o.max_len = strlen(full);
	m = fmt(&o, &a, "{\"reason\":\"0123456789\"}", 0, &trimmed);
	assert_false(trimmed);
	assert_string_equal(m, full);
	free(m);
	/* 5 bytes short: MSG loses its last 5 bytes, header and SD intact */
	o.max_len = strlen(full) - 5;
	m = fmt(&o, &a, "{\"reason\":\"0123456789\"}", 0, &trimmed);
	assert_true(trimmed);
	assert_int_equal(strlen(m), o.max_len);
	assert_memory_equal(m, full, o.max_len);
	sd_end = strstr(m, "] ");
	assert_int_equal((size_t)(sd_end - m) + 1, head);
	free(m);
	/* room for the header and SD only: no MSG at all */
	o.max_len = head + 1;
	m = fmt(&o, &a, "{\"reason\":\"0123456789\"}", 0, &trimmed);
	assert_true(trimmed);
	assert_int_equal(strlen(m), head);
	assert_memory_equal(m, full, head);
	free(m);
	/* header + SD do not fit: refused, never cut */
	o.max_len = head - 1;
	fmt(&o, &a, "{}", -EMSGSIZE, NULL);
	free(full);
}

static void fmt__max_len__never_splits_utf8(void **state)
{
	struct rtmon_alert a;
	struct rfc5424_opts o = base;
	const char *json = "{\"r\":\"\xe2\x82\xac\xe2\x82\xac\"}"; /* two euro signs, 3 bytes each */
	char *full, *m;
	size_t head, k;
	bool trimmed;

	(void)state;
	make_alert(&a);
	full = fmt(&o, &a, json, 0, NULL);
	head = (size_t)(strstr(full, "] ") - full) + 2; /* up to and including the space */
	/* MSG room from 6 ('{"r":"') to 12 bytes: the cut lands on a sequence boundary */
	for (k = 6; k <= 12; k++) {
		size_t want = k < 9 ? 6 : (k < 12 ? 9 : 12);

		o.max_len = head + k;
		m = fmt(&o, &a, json, 0, &trimmed);
		assert_true(trimmed);
		assert_int_equal(strlen(m), head + want);
		assert_memory_equal(m, full, head + want);
		free(m);
	}
	free(full);
}

static void fmt__helpers__utf8_cut_and_param_names(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(rfc5424_utf8_cut("ab\xc3\xa9", 4, 3), 2);
	assert_int_equal(rfc5424_utf8_cut("ab\xc3\xa9", 4, 4), 4);
	assert_int_equal(rfc5424_utf8_cut("\xf0\x9f\x98\x80x", 5, 3), 0);
	assert_true(rfc5424_param_name_valid("container_id"));
	assert_true(rfc5424_param_name_valid("abcdefghijklmnopqrstuvwxyz012345"));   /* 32 */
	assert_false(rfc5424_param_name_valid("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_false(rfc5424_param_name_valid(""));
	assert_false(rfc5424_param_name_valid("a=b"));
	assert_false(rfc5424_param_name_valid("a b"));
	assert_false(rfc5424_param_name_valid("a]"));
	assert_false(rfc5424_param_name_valid("a\""));
	assert_int_equal(rfc5424_printusascii("a\tb", 10, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "a_b");
	assert_int_equal(rfc5424_timestamp(T_NS, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "2026-11");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fmt__full_alert__exact_message),
		cmocka_unit_test(fmt__incident__sd_has_incident_id_and_kind),
		cmocka_unit_test(fmt__container__sd_has_container_pod_namespace),
		cmocka_unit_test(fmt__recorded_container_id__used_without_container),
		cmocka_unit_test(fmt__pri__every_severity_and_facility),
		cmocka_unit_test(fmt__bad_facility__einval),
		cmocka_unit_test(fmt__header_fields__sanitized),
		cmocka_unit_test(fmt__sd_escaping__quote_backslash_bracket),
		cmocka_unit_test(fmt__invalid_utf8__replaced),
		cmocka_unit_test(fmt__bom__before_msg),
		cmocka_unit_test(fmt__max_len__trims_msg_only),
		cmocka_unit_test(fmt__max_len__never_splits_utf8),
		cmocka_unit_test(fmt__helpers__utf8_cut_and_param_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
