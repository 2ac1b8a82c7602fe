/* SPDX-License-Identifier: MIT */
/*
 * test_incident: an attack is one incident. Membership follows forks, the
 * timeline is bounded with counts, updates are rate-limited per incident,
 * a single-shot alert sends no update, the last exit closes the incident
 * with one final update, and the bounds (open incidents, member pids) hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "incident.h"

#define S 1000000000ull

static const struct rtmon_rule_info rs = {
	.id = "reverse_shell", .severity = RTMON_SEV_CRITICAL, .risk_score = 90, .mitre = { "T1059.004" }, .n_mitre = 1
};
static const struct rtmon_rule_info inj = {
	.id = "injection_attempt", .severity = RTMON_SEV_HIGH, .risk_score = 80, .mitre = { "T1055" }, .n_mitre = 1
};

struct reports {
	struct rtmon_incident got[16];
	struct rtmon_incident_entry entries[16][8];
	size_t n;
};

/* Copies what the formatter would see at report time. */
static void on_report(void *arg, const struct rtmon_incident *inc)
{
	struct reports *r = arg;

	assert_true(r->n < 16);
	r->got[r->n] = *inc;
	memcpy(r->entries[r->n], inc->entries, (inc->n_entries < 8 ? inc->n_entries : 8) * sizeof(inc->entries[0]));
	r->n++;
}

static struct rtmon_incidents *mk(size_t max_open, size_t max_entries, size_t max_members)
{
	struct rtmon_incident_opts o = { .update_interval_ns = 5 * S,
					 .idle_ns = 600 * S,
					 .max_open = max_open,
					 .max_entries = max_entries,
					 .max_members = max_members };
	struct rtmon_incidents *t = NULL;

	assert_int_equal(incidents_new(&o, &t), 0);
	return t;
}

static struct rtmon_event ev_of(enum rtmon_event_type type, uint32_t pid, uint32_t ppid, uint64_t t)
{
	struct rtmon_event e;

	event_reset(&e);
	e.type = type;
	e.pid = e.tid = pid;
	e.ppid = ppid;
	e.time_ns = t;
	e.has = RTMON_HAS_PPID | RTMON_HAS_EXE | RTMON_HAS_UID;
	snprintf(e.exe, sizeof(e.exe), "/usr/bin/bash");
	return e;
}

static struct rtmon_event exec_of(uint32_t pid, uint32_t ppid, const char *exe, const char *arg, uint64_t t)
{
	struct rtmon_event e = ev_of(RTMON_EV_EXEC, pid, ppid, t);

	snprintf(e.exe, sizeof(e.exe), "%s", exe);
	event_add_arg(&e, exe);
	event_add_arg(&e, arg);
	e.has |= RTMON_HAS_ARGS;
	return e;
}

/* Opens an incident for a reverse shell by pid 100 at t=10 s, as the pipeline does. */
static struct rtmon_incident *open_shell(struct rtmon_incidents *t)
{
	struct rtmon_event e = exec_of(100, 50, "/usr/bin/bash", "-i", 10 * S);
	struct rtmon_incident *inc = incidents_open(t, "10-1", &rs, &e, NULL, 10 * S);
	const char *ids[] = { "reverse_shell" };

	assert_non_null(inc);
	incidents_alerted(inc, &rs, "peer 10.0.0.5:4444", 100);
	incidents_observe(t, &e, ids, 1, "10-1", 10 * S);
	return inc;
}

static void unit__single_shot_alert__no_update_ever(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct reports r = { .n = 0 };
	struct rtmon_event ex = ev_of(RTMON_EV_EXIT, 100, 50, 11 * S);

	open_shell(t);
	assert_int_equal(incidents_due(t, 100 * S, false, on_report, &r), 0);
	incidents_observe(t, &ex, NULL, 0, "", 11 * S);
	/* closed, but the opening alert told everything */
	assert_int_equal(incidents_due(t, 200 * S, false, on_report, &r), 0);
	assert_int_equal(incidents_due(t, 300 * S, true, on_report, &r), 0);
	incidents_free(t);
}

static void unit__children_commands__join_timeline_one_update_then_final(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct reports r = { .n = 0 };
	struct rtmon_incident *inc = open_shell(t);
	char arg[16];

	/* 30 commands, each in a child of the shell */
	for (uint32_t i = 0; i < 30; i++) {
		struct rtmon_event f = ev_of(RTMON_EV_FORK, 200 + i, 100, 11 * S);
		struct rtmon_event x, q = ev_of(RTMON_EV_EXIT, 200 + i, 100, 11 * S);

		snprintf(arg, sizeof(arg), "cmd%u", i);
		x = exec_of(200 + i, 100, "/usr/bin/id", arg, 11 * S);
		incidents_observe(t, &f, NULL, 0, "", 11 * S);
		assert_ptr_equal(incidents_of(t, 200 + i), inc);
		incidents_observe(t, &x, NULL, 0, "", 11 * S);
		incidents_observe(t, &q, NULL, 0, "", 11 * S);
		assert_null(incidents_of(t, 200 + i));
	}
	/* not before the update interval since the opening */
	assert_int_equal(incidents_due(t, 14 * S, false, on_report, &r), 0);
	assert_int_equal(incidents_due(t, 15 * S, false, on_report, &r), 1);
	assert_string_equal(r.got[0].id, "10-1");
	assert_int_equal(r.got[0].state, RTMON_INCIDENT_OPEN);
	assert_int_equal(r.got[0].counts.execs, 31);
	assert_int_equal(r.got[0].counts.processes, 31);
	assert_int_equal(r.got[0].counts.live, 1);
	assert_int_equal(r.got[0].entries_total, 31);
	assert_int_equal(r.got[0].n_entries, 31);
	assert_string_equal(r.entries[0][0].alert_id, "10-1");
	assert_int_equal(r.entries[0][1].pid, 200);
	assert_string_equal(r.entries[0][1].exe, "/usr/bin/id");
	assert_string_equal(r.entries[0][1].args + strlen("/usr/bin/id") + 1, "cmd0");
	/* nothing new: no second update */
	assert_int_equal(incidents_due(t, 60 * S, false, on_report, &r), 1 - 1);
	/* the shell exits: one final update, closed */
	{
		struct rtmon_event q = ev_of(RTMON_EV_EXIT, 100, 50, 61 * S);

		incidents_observe(t, &q, NULL, 0, "", 61 * S);
	}
	assert_null(incidents_of(t, 100));
	assert_int_equal(incidents_due(t, 61 * S, false, on_report, &r), 1);
	assert_int_equal(r.got[1].state, RTMON_INCIDENT_CLOSED);
	assert_int_equal(r.got[1].close_reason, RTMON_INCIDENT_EXITED);
	assert_int_equal(r.got[1].updates, 2);
	/* and nothing after that */
	assert_int_equal(incidents_due(t, 500 * S, true, on_report, &r), 0);
	incidents_free(t);
}

static void unit__findings__another_rule_or_peer_is_new_same_one_joins(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct rtmon_incident *inc = open_shell(t);

	assert_false(incidents_is_new_finding(inc, "reverse_shell", "peer 10.0.0.5:4444", 200, 100));
	assert_true(incidents_is_new_finding(inc, "reverse_shell", "peer 10.0.0.9:53", 200, 100));
	assert_true(incidents_is_new_finding(inc, "injection_attempt", "target 77", 100, 50));
	incidents_alerted(inc, &inj, "target 77", 100);
	assert_false(incidents_is_new_finding(inc, "injection_attempt", "target 77", 100, 50));
	assert_true(incidents_is_new_finding(inc, "injection_attempt", "target 78", 100, 50));
	/* the incident takes the highest severity and every rule's MITRE ids */
	assert_int_equal(inc->severity, RTMON_SEV_CRITICAL);
	assert_int_equal(inc->n_rules, 2);
	assert_string_equal(inc->rules[1], "injection_attempt");
	assert_int_equal(inc->n_mitre, 2);
	assert_int_equal(inc->counts.alerts, 2);
	incidents_free(t);
}

static void unit__finding_without_peer__first_peer_completes_it(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct rtmon_event e = exec_of(300, 50, "/usr/bin/nc.traditional", "-e", 1 * S);
	struct rtmon_incident *inc = incidents_open(t, "1-1", &rs, &e, NULL, 1 * S);

	incidents_alerted(inc, &rs, "file /usr/bin/nc.traditional ", 300); /* nc -e, known by its arguments */
	/* the sh it became, on the socket */
	assert_false(incidents_is_new_finding(inc, "reverse_shell", "peer 127.0.0.1:4444", 300, 50));
	/* another peer */
	assert_true(incidents_is_new_finding(inc, "reverse_shell", "peer 127.0.0.1:5555", 300, 50));
	incidents_free(t);
}

static void unit__file_findings__relay_child_joins_payload_elsewhere_is_new(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct rtmon_event e = exec_of(300, 50, "/usr/bin/socat", "exec:bash", 1 * S);
	struct rtmon_incident *inc = incidents_open(t, "1-1", &rs, &e, NULL, 1 * S);
	static const struct rtmon_rule_info se = { .id = "suspicious_exec", .severity = RTMON_SEV_HIGH };

	incidents_alerted(inc, &rs, "file /usr/bin/socat ", 300);
	/* the bash socat runs (a child of the alerting process) is the same finding */
	assert_false(incidents_is_new_finding(inc, "reverse_shell", "file /usr/bin/bash ", 301, 300));
	/* a /tmp payload started from that shell: another rule, new */
	assert_true(incidents_is_new_finding(inc, "suspicious_exec", "file /tmp/a ", 302, 301));
	incidents_alerted(inc, &se, "file /tmp/a ", 302);
	/* the payload re-executing itself joins; another payload run by the shell is another file */
	assert_false(incidents_is_new_finding(inc, "suspicious_exec", "file /tmp/a2 ", 303, 302));
	assert_true(incidents_is_new_finding(inc, "suspicious_exec", "file /tmp/b ", 304, 301));
	incidents_free(t);
}

static void unit__lineage__unseen_fork_joins_through_ancestor(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct rtmon_incident *inc = open_shell(t);
	struct rtmon_ancestor lin[2] = { { .pid = 400, .comm = "sh" }, { .pid = 100, .comm = "bash" } };

	assert_null(incidents_find(t, 401, lin, 0));
	assert_ptr_equal(incidents_find(t, 401, lin, 2), inc);
	assert_ptr_equal(incidents_of(t, 401), inc);
	assert_null(incidents_find(t, 999, NULL, 0));
	incidents_free(t);
}

static void unit__timeline_bound__first_entries_kept_rest_counted(void **state)
{
	struct rtmon_incidents *t = mk(8, 4, 64);
	struct reports r = { .n = 0 };

	open_shell(t);
	for (uint32_t i = 0; i < 10; i++) {
		struct rtmon_event x = exec_of(100, 50, "/usr/bin/ls", "-l", (11 + i) * S);

		incidents_observe(t, &x, NULL, 0, "", (11 + i) * S);
	}
	assert_int_equal(incidents_due(t, 30 * S, false, on_report, &r), 1);
	assert_int_equal(r.got[0].n_entries, 4);
	assert_int_equal(r.got[0].entries_total, 11);
	assert_int_equal(r.got[0].counts.execs, 11);
	incidents_free(t);
}

static void unit__updates__at_most_one_per_interval(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct reports r = { .n = 0 };
	size_t sent = 0;

	open_shell(t);
	/* a command every 100 ms for 20 s, due() polled every 100 ms: 4 updates (15, 20, 25, 30 s) */
	for (uint64_t ms = 10100; ms <= 30000; ms += 100) {
		struct rtmon_event x = exec_of(100, 50, "/usr/bin/ls", "-l", ms * 1000000ull);

		incidents_observe(t, &x, NULL, 0, "", ms * 1000000ull);
		sent += incidents_due(t, ms * 1000000ull, false, on_report, &r);
		r.n = 0;
	}
	assert_int_equal(sent, 4);
	incidents_free(t);
}

static void unit__idle__closed_with_final_update_when_it_had_news(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct reports r = { .n = 0 };
	struct rtmon_event x = exec_of(100, 50, "/usr/bin/id", "", 11 * S);

	open_shell(t);
	incidents_observe(t, &x, NULL, 0, "", 11 * S);
	assert_int_equal(incidents_due(t, 20 * S, false, on_report, &r), 1);
	assert_int_equal(incidents_due(t, 612 * S, false, on_report, &r), 1);
	assert_int_equal(r.got[1].state, RTMON_INCIDENT_CLOSED);
	assert_int_equal(r.got[1].close_reason, RTMON_INCIDENT_IDLE);
	assert_null(incidents_of(t, 100));
	incidents_free(t);
}

static void unit__open_bound__least_active_closed_early_never_lost(void **state)
{
	struct rtmon_incidents *t = mk(2, 8, 64);
	struct reports r = { .n = 0 };
	struct rtmon_incident_stats st;

	for (uint32_t i = 0; i < 2; i++) {
		struct rtmon_event e = exec_of(500 + i, 1, "/tmp/x", "", (1 + i) * S);
		struct rtmon_event x = exec_of(500 + i, 1, "/usr/bin/id", "", (1 + i) * S);
		char id[16];

		snprintf(id, sizeof(id), "%u-%u", i, i);
		assert_non_null(incidents_open(t, id, &rs, &e, NULL, (1 + i) * S));
		incidents_observe(t, &e, NULL, 0, id, (1 + i) * S);
		incidents_observe(t, &x, NULL, 0, "", (1 + i) * S);
	}
	{
		struct rtmon_event e = exec_of(600, 1, "/tmp/y", "", 3 * S);

		/* full: the least active (pid 500) is closed early and this alert goes out without one */
		assert_null(incidents_open(t, "2-2", &rs, &e, NULL, 3 * S));
	}
	assert_null(incidents_of(t, 500));
	assert_non_null(incidents_of(t, 501));
	assert_int_equal(incidents_due(t, 3 * S, false, on_report, &r), 1);
	assert_int_equal(r.got[0].close_reason, RTMON_INCIDENT_EVICTED);
	assert_int_equal(r.got[0].root_pid, 500);
	{
		struct rtmon_event e = exec_of(600, 1, "/tmp/y", "", 4 * S);

		assert_non_null(incidents_open(t, "3-3", &rs, &e, NULL, 4 * S));
	}
	incidents_stats(t, &st);
	assert_int_equal(st.opened, 3);
	assert_int_equal(st.open, 2);
	incidents_free(t);
}

static void unit__member_table_full__counted_not_tracked(void **state)
{
	struct rtmon_incidents *t = mk(4, 8, 16);
	struct rtmon_incident_stats st;

	open_shell(t);
	for (uint32_t i = 0; i < 40; i++) {
		struct rtmon_event f = ev_of(RTMON_EV_FORK, 1000 + i, 100, 11 * S);

		incidents_observe(t, &f, NULL, 0, "", 11 * S);
	}
	incidents_stats(t, &st);
	assert_int_equal(st.members_untracked, 40 - 15);
	assert_non_null(incidents_of(t, 1000));
	assert_null(incidents_of(t, 1039));
	incidents_free(t);
}

static void unit__member_table__deletes_keep_probe_chains(void **state)
{
	struct rtmon_incidents *t = mk(4, 8, 1024);
	struct rtmon_incident *inc = open_shell(t);

	/* pids that collide and wrap; delete every other one, the rest must still be found */
	for (uint32_t i = 1; i <= 600; i++) {
		struct rtmon_event f = ev_of(RTMON_EV_FORK, i * 2048, 100, 11 * S);

		incidents_observe(t, &f, NULL, 0, "", 11 * S);
	}
	for (uint32_t i = 1; i <= 600; i += 2) {
		struct rtmon_event q = ev_of(RTMON_EV_EXIT, i * 2048, 100, 12 * S);

		incidents_observe(t, &q, NULL, 0, "", 12 * S);
	}
	for (uint32_t i = 1; i <= 600; i++) {
		if (i % 2)
			assert_null(incidents_of(t, i * 2048));
		else
			assert_ptr_equal(incidents_of(t, i * 2048), inc);
	}
	assert_int_equal(inc->counts.live, 301);
	incidents_free(t);
}

static void unit__reused_pid__lost_exit_does_not_pull_a_stranger_in(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct rtmon_incident *inc = open_shell(t);
	struct rtmon_event f = ev_of(RTMON_EV_FORK, 300, 100, 11 * S);
	struct rtmon_event g = ev_of(RTMON_EV_FORK, 300, 7, 20 * S);

	incidents_observe(t, &f, NULL, 0, "", 11 * S);
	assert_ptr_equal(incidents_of(t, 300), inc);
	assert_int_equal(inc->counts.live, 2);
	/* 300's exit was never seen; pid 300 is now forked by an unrelated process 7 */
	incidents_observe(t, &g, NULL, 0, "", 20 * S);
	assert_null(incidents_of(t, 300));
	assert_int_equal(inc->counts.live, 1);
	incidents_free(t);
}

static void unit__shutdown__every_incident_with_news_reported_closed(void **state)
{
	struct rtmon_incidents *t = mk(8, 64, 64);
	struct reports r = { .n = 0 };
	struct rtmon_event x = exec_of(100, 50, "/usr/bin/id", "", 11 * S);

	open_shell(t);
	incidents_observe(t, &x, NULL, 0, "", 11 * S);
	assert_int_equal(incidents_due(t, 12 * S, true, on_report, &r), 1);
	assert_int_equal(r.got[0].close_reason, RTMON_INCIDENT_SHUTDOWN);
	assert_int_equal(r.got[0].counts.execs, 2);
	assert_null(incidents_free(t));
	assert_null(incidents_free(NULL));
}

static void unit__object__peer_target_file(void **state)
{
	struct rtmon_event e = ev_of(RTMON_EV_PTRACE, 10, 1, 0);
	char o[128];

	e.target_pid = 77;
	incident_object(&e, "", o, sizeof(o));
	assert_string_equal(o, "target 77");
	incident_object(&e, "10.0.0.1:4444", o, sizeof(o));
	assert_string_equal(o, "peer 10.0.0.1:4444");
	incident_object(&e, "0.0.0.0:0", o, sizeof(o));
	assert_string_equal(o, "target 77");
	e.type = RTMON_EV_EXEC;
	snprintf(e.exe, sizeof(e.exe), "/tmp/a");
	incident_object(&e, NULL, o, sizeof(o));
	assert_string_equal(o, "file /tmp/a ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit__single_shot_alert__no_update_ever),
		cmocka_unit_test(unit__children_commands__join_timeline_one_update_then_final),
		cmocka_unit_test(unit__findings__another_rule_or_peer_is_new_same_one_joins),
		cmocka_unit_test(unit__finding_without_peer__first_peer_completes_it),
		cmocka_unit_test(unit__file_findings__relay_child_joins_payload_elsewhere_is_new),
		cmocka_unit_test(unit__lineage__unseen_fork_joins_through_ancestor),
		cmocka_unit_test(unit__timeline_bound__first_entries_kept_rest_counted),
		cmocka_unit_test(unit__updates__at_most_one_per_interval),
		cmocka_unit_test(unit__idle__closed_with_final_update_when_it_had_news),
		cmocka_unit_test(unit__open_bound__least_active_closed_early_never_lost),
		cmocka_unit_test(unit__member_table_full__counted_not_tracked),
		cmocka_unit_test(unit__member_table__deletes_keep_probe_chains),
		cmocka_unit_test(unit__reused_pid__lost_exit_does_not_pull_a_stranger_in),
		cmocka_unit_test(unit__shutdown__every_incident_with_news_reported_closed),
		cmocka_unit_test(unit__object__peer_target_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
