/* SPDX-License-Identifier: MIT */
/* test_alerter: folding, rate limiting and bounded keys lose no alert: every repeat is emitted or summarised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alerter.h"

#define S 1000000000ull

static const struct rtmon_rule_info rule_a = { .id = "rule_a" };
static const struct rtmon_rule_info rule_b = { .id = "rule_b" };

/* A match by pid 'pid' of 'exe' in container 'cid', other key parts fixed. */
static enum rtmon_alerter_verdict chk(struct rtmon_alerter *a, const struct rtmon_rule_info *r, const char *exe,
				      const char *cid, uint64_t now)
{
	struct rtmon_alert_key k = { .exe = exe,
				     .parent_exe = "/usr/bin/bash",
				     .object = "",
				     .cmdline = "x",
				     .cid = cid,
				     .pid = 100 + (uint32_t)(now % 1000),
				     .ppid = 1,
				     .uid = 0 };

	return alerter_check(a, r, &k, now);
}

static struct rtmon_alerter *mk(uint64_t fold_s, uint32_t rate, uint64_t rate_s, size_t keys)
{
	struct rtmon_alerter *a = NULL;
	struct rtmon_alerter_opts o = {
		.fold_window_ns = fold_s * S,
		.rate_limit = rate,
		.rate_window_ns = rate_s * S,
		.max_keys = keys,
	};

	assert_int_equal(alerter_new(&o, &a), 0);
	assert_non_null(a);
	return a;
}

static void unit__fold_repeats_in_window__first_emitted_rest_summarised(void **state)
{
	struct rtmon_alerter *a = mk(10, 0, 0, 16);
	struct rtmon_alert_summary s[4];

	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 100 * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 101 * S), RTMON_ALERT_FOLDED);
	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 105 * S), RTMON_ALERT_FOLDED);
	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 109 * S), RTMON_ALERT_FOLDED);
	/* the window (100..110) has not closed */
	assert_int_equal(alerter_due(a, 109 * S, 0, s, 4), 0);
	assert_int_equal(alerter_due(a, 110 * S, 0, s, 4), 1);
	assert_string_equal(s[0].rule_id, "rule_a");
	assert_string_equal(s[0].exe, "/usr/bin/bash");
	assert_string_equal(s[0].container_id, "");
	assert_string_equal(s[0].kind, "fold");
	assert_int_equal(s[0].count, 3);
	assert_int_equal(s[0].first_ns, 101 * S);
	assert_int_equal(s[0].last_ns, 109 * S);
	assert_ptr_equal(s[0].rule, &rule_a);
	assert_int_equal(alerter_due(a, 200 * S, 0, s, 4), 0);
	/* after the window: a new first alert */
	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 111 * S), RTMON_ALERT_EMIT);
	alerter_free(a);
}

static void unit__fold_keys_differ__each_emitted(void **state)
{
	struct rtmon_alerter *a = mk(10, 0, 0, 16);
	struct rtmon_alert_summary s[4];

	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "", 1 * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/usr/bin/dash", "", 1 * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/usr/bin/bash", "abc", 1 * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_b, "/usr/bin/bash", "", 1 * S), RTMON_ALERT_EMIT);
	/* nothing folded: no summaries even when flushing */
	assert_int_equal(alerter_due(a, 0, 1, s, 4), 0);
	alerter_free(a);
}

static void unit__no_fold_window__every_alert_emitted(void **state)
{
	struct rtmon_alerter *a = mk(0, 0, 0, 16);
	struct rtmon_alert_summary s[2];

	for (int i = 0; i < 100; i++)
		assert_int_equal(chk(a, &rule_a, "/x", "", (uint64_t)i), RTMON_ALERT_EMIT);
	assert_int_equal(alerter_due(a, 0, 1, s, 2), 0);
	alerter_free(a);
}

static void unit__rate_limit_exceeded__held_and_summarised(void **state)
{
	struct rtmon_alerter *a = mk(0, 3, 60, 16);
	struct rtmon_alert_summary s[4];

	for (int i = 0; i < 3; i++)
		assert_int_equal(chk(a, &rule_a, "/x", "", (10 + (uint64_t)i) * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/y", "", 20 * S), RTMON_ALERT_HELD);
	assert_int_equal(chk(a, &rule_a, "/z", "", 30 * S), RTMON_ALERT_HELD);
	/* another rule has its own budget */
	assert_int_equal(chk(a, &rule_b, "/x", "", 30 * S), RTMON_ALERT_EMIT);
	assert_int_equal(alerter_due(a, 69 * S, 0, s, 4), 0);
	assert_int_equal(alerter_due(a, 70 * S, 0, s, 4), 1);
	assert_string_equal(s[0].kind, "rate_limit");
	assert_string_equal(s[0].rule_id, "rule_a");
	assert_int_equal(s[0].count, 2);
	assert_int_equal(s[0].first_ns, 20 * S);
	assert_int_equal(s[0].last_ns, 30 * S);
	/* a fresh window */
	assert_int_equal(chk(a, &rule_a, "/x", "", 71 * S), RTMON_ALERT_EMIT);
	alerter_free(a);
}

static void unit__rate_window_restarts_before_due__summary_not_lost(void **state)
{
	struct rtmon_alerter *a = mk(0, 1, 10, 16);
	struct rtmon_alert_summary s[4];

	assert_int_equal(chk(a, &rule_a, "/x", "", 0), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/x", "", 1 * S), RTMON_ALERT_HELD);
	/* alerter_due() never called; the next window starts with this check */
	assert_int_equal(chk(a, &rule_a, "/x", "", 15 * S), RTMON_ALERT_EMIT);
	assert_int_equal(alerter_due(a, 15 * S, 0, s, 4), 1);
	assert_string_equal(s[0].kind, "rate_limit");
	assert_int_equal(s[0].count, 1);
	alerter_free(a);
}

static void unit__keys_full__oldest_summary_returned_early(void **state)
{
	struct rtmon_alerter *a = mk(100, 0, 0, 2);
	struct rtmon_alert_summary s[4];

	assert_int_equal(chk(a, &rule_a, "/a", "", 1 * S), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/a", "", 2 * S), RTMON_ALERT_FOLDED);
	assert_int_equal(chk(a, &rule_a, "/b", "", 3 * S), RTMON_ALERT_EMIT);
	/* a third key evicts /a, whose pending count must come back */
	assert_int_equal(chk(a, &rule_a, "/c", "", 4 * S), RTMON_ALERT_EMIT);
	assert_int_equal(alerter_due(a, 5 * S, 0, s, 4), 1);
	assert_string_equal(s[0].exe, "/a");
	assert_string_equal(s[0].kind, "fold");
	assert_int_equal(s[0].count, 1);
	assert_int_equal(s[0].first_ns, 2 * S);
	/* /a is a new key again */
	assert_int_equal(chk(a, &rule_a, "/a", "", 6 * S), RTMON_ALERT_EMIT);
	alerter_free(a);
}

static void unit__flush_all__every_pending_summary(void **state)
{
	struct rtmon_alerter *a = mk(100, 1, 100, 16);
	struct rtmon_alert_summary s[1];
	size_t total = 0, n;
	uint32_t counted = 0;

	assert_int_equal(chk(a, &rule_a, "/a", "", 1), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, "/a", "", 2), RTMON_ALERT_FOLDED);
	assert_int_equal(chk(a, &rule_a, "/b", "", 3), RTMON_ALERT_HELD);
	assert_int_equal(chk(a, &rule_a, "/b", "", 4), RTMON_ALERT_HELD);
	/* one at a time: call again until 0 */
	while ((n = alerter_due(a, 5, 1, s, 1)) > 0) {
		total += n;
		counted += s[0].count;
	}
	assert_int_equal(total, 2);
	assert_int_equal(counted, 3);
	alerter_free(a);
}

static void unit__forget_rules__summary_keeps_id_drops_pointer(void **state)
{
	struct rtmon_alerter *a = mk(10, 0, 0, 4);
	struct rtmon_alert_summary s[2];

	chk(a, &rule_a, "/a", "", 1);
	chk(a, &rule_a, "/a", "", 2);
	alerter_forget_rules(a);
	assert_int_equal(alerter_due(a, 0, 1, s, 2), 1);
	assert_null(s[0].rule);
	assert_string_equal(s[0].rule_id, "rule_a");
	alerter_free(a);
}

static void unit__long_strings__truncated_not_overflowing(void **state)
{
	struct rtmon_alerter *a = mk(10, 0, 0, 4);
	struct rtmon_alert_summary s[2];
	char exe[1000];

	memset(exe, 'x', sizeof(exe) - 1);
	exe[sizeof(exe) - 1] = '\0';
	assert_int_equal(chk(a, &rule_a, exe, exe, 1), RTMON_ALERT_EMIT);
	assert_int_equal(chk(a, &rule_a, exe, exe, 2), RTMON_ALERT_FOLDED);
	assert_int_equal(alerter_due(a, 0, 1, s, 2), 1);
	assert_int_equal(strlen(s[0].exe), sizeof(s[0].exe) - 1);
	assert_int_equal(strlen(s[0].container_id), sizeof(s[0].container_id) - 1);
	assert_null(alerter_free(a));
	assert_null(alerter_free(NULL));
}

static enum rtmon_alerter_verdict chk_key(struct rtmon_alerter *a, const char *parent, const char *object,
					  const char *cmdline, uint32_t pid, uint32_t uid, uint64_t now)
{
	struct rtmon_alert_key k = { .exe = "/usr/bin/dash",
				     .parent_exe = parent,
				     .object = object,
				     .cmdline = cmdline,
				     .cid = "",
				     .pid = pid,
				     .ppid = 42,
				     .uid = uid };

	return alerter_check(a, &rule_a, &k, now);
}

static void unit__fold_key__parent_object_cmdline_each_distinct(void **state)
{
	struct rtmon_alerter *a = mk(60, 0, 0, 16);

	assert_int_equal(chk_key(a, "/usr/bin/python3.11", "peer 127.0.0.1:4444", "sh -i", 10, 0, 1 * S),
			 RTMON_ALERT_EMIT);
	/* another parent exe (php -r vs python -c spawning sh -i to the same peer) */
	assert_int_equal(chk_key(a, "/usr/bin/php8.2", "peer 127.0.0.1:4444", "sh -i", 11, 0, 2 * S), RTMON_ALERT_EMIT);
	/* another peer */
	assert_int_equal(chk_key(a, "/usr/bin/python3.11", "peer 10.9.9.9:443", "sh -i", 12, 0, 3 * S),
			 RTMON_ALERT_EMIT);
	/* another command line (mkfifo pipeline vs sh -i) */
	assert_int_equal(chk_key(a, "/usr/bin/python3.11", "peer 127.0.0.1:4444", "/bin/sh", 13, 0, 4 * S),
			 RTMON_ALERT_EMIT);
	/* the exact same thing by another pid of the same parent process: a repeat */
	assert_int_equal(chk_key(a, "/usr/bin/python3.11", "peer 127.0.0.1:4444", "sh -i", 14, 0, 5 * S),
			 RTMON_ALERT_FOLDED);
	alerter_free(a);
}

static void unit__fold_key__another_parent_process_is_another_attack(void **state)
{
	struct rtmon_alerter *a = mk(60, 0, 0, 16);
	struct rtmon_alert_key k = { .exe = "/usr/bin/nc.traditional",
				     .parent_exe = "/usr/bin/bash",
				     .object = "",
				     .cmdline = "/usr/bin/nc.traditional 127.0.0.1 4444",
				     .cid = "",
				     .pid = 10,
				     .ppid = 9 };

	/* mkfifo | nc, then nc | sh | nc: the same nc command line under two different bash processes */
	assert_int_equal(alerter_check(a, &rule_a, &k, 1 * S), RTMON_ALERT_EMIT);
	k.pid = 20;
	k.ppid = 19;
	assert_int_equal(alerter_check(a, &rule_a, &k, 2 * S), RTMON_ALERT_EMIT);
	k.pid = 21;
	assert_int_equal(alerter_check(a, &rule_a, &k, 3 * S), RTMON_ALERT_FOLDED);
	alerter_free(a);
}

static void unit__fold_summary__names_first_pids_and_distinct_values(void **state)
{
	struct rtmon_alerter *a = mk(60, 0, 0, 16);
	struct rtmon_alert_summary s[2];

	assert_int_equal(chk_key(a, "/usr/sbin/cron", "file /tmp/x ", "/tmp/x", 100, 0, 1 * S), RTMON_ALERT_EMIT);
	for (uint32_t i = 1; i <= 20; i++)
		assert_int_equal(
			chk_key(a, "/usr/sbin/cron", "file /tmp/x ", "/tmp/x", 100 + i, i % 2 ? 0 : 1000, (1 + i) * S),
			RTMON_ALERT_FOLDED);
	assert_int_equal(alerter_due(a, 61 * S, 0, s, 2), 1);
	assert_int_equal(s[0].count, 20);
	assert_int_equal(s[0].seen.n_pids, RTMON_SUMMARY_PIDS);
	assert_int_equal(s[0].seen.pids[0], 101);
	assert_int_equal(s[0].seen.pids[7], 108);
	assert_int_equal(s[0].seen.n_uids, 2);
	assert_int_equal(s[0].seen.uids[0], 0);
	assert_int_equal(s[0].seen.uids[1], 1000);
	assert_int_equal(s[0].seen.n_ppids, 1);
	assert_int_equal(s[0].seen.ppids[0], 42);
	assert_string_equal(s[0].exe, "/usr/bin/dash");
	assert_string_equal(s[0].parent_exe, "/usr/sbin/cron");
	assert_string_equal(s[0].object, "file /tmp/x ");
	assert_string_equal(s[0].cmdline, "/tmp/x");
	alerter_free(a);
}

static void unit__rate_summary__names_pids_and_exes_held(void **state)
{
	struct rtmon_alerter *a = mk(0, 1, 60, 16);
	struct rtmon_alert_summary s[2];
	struct rtmon_alert_key k1 = { .exe = "/tmp/a", .pid = 1 }, k2 = { .exe = "/tmp/b", .pid = 2 },
			       k3 = { .exe = "/tmp/a", .pid = 3 };

	assert_int_equal(alerter_check(a, &rule_a, &k1, 1 * S), RTMON_ALERT_EMIT);
	assert_int_equal(alerter_check(a, &rule_a, &k2, 2 * S), RTMON_ALERT_HELD);
	assert_int_equal(alerter_check(a, &rule_a, &k3, 3 * S), RTMON_ALERT_HELD);
	assert_int_equal(alerter_due(a, 61 * S, 0, s, 2), 1);
	assert_string_equal(s[0].kind, "rate_limit");
	assert_int_equal(s[0].seen.n_pids, 2);
	assert_int_equal(s[0].seen.pids[0], 2);
	assert_int_equal(s[0].seen.pids[1], 3);
	assert_int_equal(s[0].n_exes, 2);
	assert_string_equal(s[0].exes[0], "/tmp/b");
	assert_string_equal(s[0].exes[1], "/tmp/a");
	alerter_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit__fold_repeats_in_window__first_emitted_rest_summarised),
		cmocka_unit_test(unit__fold_keys_differ__each_emitted),
		cmocka_unit_test(unit__no_fold_window__every_alert_emitted),
		cmocka_unit_test(unit__rate_limit_exceeded__held_and_summarised),
		cmocka_unit_test(unit__rate_window_restarts_before_due__summary_not_lost),
		cmocka_unit_test(unit__keys_full__oldest_summary_returned_early),
		cmocka_unit_test(unit__flush_all__every_pending_summary),
		cmocka_unit_test(unit__forget_rules__summary_keeps_id_drops_pointer),
		cmocka_unit_test(unit__long_strings__truncated_not_overflowing),
		cmocka_unit_test(unit__fold_key__parent_object_cmdline_each_distinct),
		cmocka_unit_test(unit__fold_key__another_parent_process_is_another_attack),
		cmocka_unit_test(unit__fold_summary__names_first_pids_and_distinct_values),
		cmocka_unit_test(unit__rate_summary__names_pids_and_exes_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
