/* test_fmt_json.c: events survive the JSON round trip of --record/--replay, alerts carry the SPEC keys,
 * and hostile text (invalid UTF-8, control characters, quotes) always yields valid, unambiguous JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "alerter.h"
#include "escape.h"
#include "fmt_json.h"
#include "incident.h"

static struct rtmon_event a, b;

static char *line_of(const struct rtmon_event *ev)
{
	struct rtmon_jsonw w = { 0 };
	const char *l = fmt_event_json(&w, ev, 1);
	char *s = l ? strdup(l) : NULL;

	jsonw_release(&w);
	return s;
}

static void fill_exec(struct rtmon_event *ev)
{
	event_reset(ev);
	ev->type = RTMON_EV_EXEC;
	ev->time_ns = 1764427000123456000ull;
	ev->pid = 1234;
	ev->tid = 1234;
	ev->ppid = 567;
	ev->uid = 1000;
	ev->gid = 1000;
	ev->auid = 1000;
	ev->cgroup_id = 4242;
	ev->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_AUID | RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_CWD |
		  RTMON_HAS_CGROUP | RTMON_HAS_FILENAME | RTMON_HAS_STDIO | RTMON_HAS_TID;
	strcpy(ev->comm, "bash");
	strcpy(ev->exe, "/usr/bin/bash");
	strcpy(ev->cwd, "/home/u");
	strcpy(ev->filename, "/bin/bash");
	event_add_arg(ev, "bash");
	event_add_arg(ev, "-i");
	ev->stdin_socket = true;
	ev->stdin_sock.family = AF_INET;
	ev->stdin_sock.type = SOCK_STREAM;
	ev->stdin_sock.port = 4444;
	strcpy(ev->stdin_sock.addr, "10.0.0.5");
	ev->stdin_kind = 3;  /* socket */
	ev->stdout_kind = 2; /* pipe */
	ev->stdout_ino = 4711;
	ev->has |= RTMON_HAS_STDOUT_PEER;
	ev->stdout_peer_pid = 99;
	strcpy(ev->stdout_peer_exe, "/usr/bin/nc.openbsd");
}

static void json__exec_event__round_trip(void **state)
{
	char *s1, *s2;

	(void)state;
	fill_exec(&a);
	s1 = line_of(&a);
	assert_non_null(strstr(s1, "\"time\":\"2025-11-29T14:36:40.123456Z\""));
	assert_non_null(strstr(
		s1, "\"stdin_peer\":{\"family\":\"inet\",\"type\":\"stream\",\"addr\":\"10.0.0.5\",\"port\":4444}"));
	assert_non_null(strstr(s1, "\"stdin_type\":\"socket\",\"stdout_type\":\"pipe\",\"stdout_pipe\":4711,"
				   "\"stdout_pipe_peer\":{\"pid\":99,\"exe\":\"/usr/bin/nc.openbsd\"}"));
	assert_int_equal(fmt_event_from_json(s1, &b), 0);
	/* the pipe peer is derived again at replay, never read back */
	assert_false(b.has & RTMON_HAS_STDOUT_PEER);
	b.has |= RTMON_HAS_STDOUT_PEER;
	b.stdout_peer_pid = 99;
	strcpy(b.stdout_peer_exe, "/usr/bin/nc.openbsd");
	s2 = line_of(&b);
	assert_string_equal(s1, s2);
	assert_int_equal(b.pid, 1234);
	assert_int_equal(b.argc, 2);
	assert_true(b.stdin_socket);
	free(s1);
	free(s2);
}

static void json__mmap_and_ptrace__round_trip(void **state)
{
	char *s1, *s2;

	(void)state;
	event_reset(&a);
	a.type = RTMON_EV_MMAP;
	a.pid = 9;
	a.has = RTMON_HAS_MEM;
	a.prot = 5;
	a.mmap_flags = 0x22;
	a.fd = -1;
	a.fold_count = 3;
	s1 = line_of(&a);
	assert_non_null(strstr(s1, "\"prot\":[\"PROT_READ\",\"PROT_EXEC\"]"));
	assert_non_null(strstr(s1, "\"flags\":[\"MAP_PRIVATE\",\"MAP_ANONYMOUS\"]"));
	assert_int_equal(fmt_event_from_json(s1, &b), 0);
	s2 = line_of(&b);
	assert_string_equal(s1, s2);
	free(s1);
	free(s2);

	event_reset(&a);
	a.type = RTMON_EV_PTRACE;
	a.has = RTMON_HAS_PTRACE | RTMON_HAS_TARGET_PPID;
	a.ptrace_request = 0x4206;
	a.target_pid = 77;
	a.target_ppid = 1;
	s1 = line_of(&a);
	assert_non_null(strstr(s1, "\"ptrace_request\":\"PTRACE_SEIZE\",\"target_pid\":77,\"target_ppid\":1"));
	assert_int_equal(fmt_event_from_json(s1, &b), 0);
	assert_int_equal(b.ptrace_request, 0x4206);
	free(s1);
}

static void json__hostile_strings__valid_utf8_json(void **state)
{
	static const char *const bad[] = {
		"\xff\xfe", "a\nb\r\x1b[31m", "q\"uote\\", "\xc0\xaf", "\xed\xa0\x80", "ok \xe2\x82", "]\"}{",
	};
	char *s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fill_exec(&a);
		snprintf(a.comm, sizeof(a.comm), "%s", bad[i]);
		a.args_len = a.argc = 0;
		event_add_arg(&a, bad[i]);
		s = line_of(&a);
		/* one line, and it parses back */
		assert_null(strchr(s, '\n'));
		assert_int_equal(fmt_event_from_json(s, &b), 0);
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			assert_true(*p >= 0x20);
		free(s);
	}
}

static void json__not_an_event__rejected(void **state)
{
	(void)state;
	assert_int_equal(fmt_event_from_json("{\"kind\":\"alert\"}", &b), -ENOMSG);
	assert_int_equal(fmt_event_from_json("not json", &b), -EINVAL);
	assert_int_equal(fmt_event_from_json("{\"type\":\"nope\"}", &b), -EINVAL);
	assert_int_equal(fmt_event_from_json("[1,2]", &b), -EINVAL);
}

static void json__alert__spec_keys(void **state)
{
	struct rtmon_alert al;
	struct rtmon_container c = { .id = "abcd", .runtime = "containerd", .pod = "web-1", .ns = "shop" };
	struct rtmon_jsonw w = { 0 };
	const char *s;

	(void)state;
	fill_exec(&a);
	memset(&al, 0, sizeof(al));
	strcpy(al.id, "1764427000123456-42");
	al.rule_id = "reverse_shell";
	al.severity = RTMON_SEV_HIGH;
	al.risk_score = 85;
	strcpy(al.reason, "bash has stdin on a socket");
	al.mitre[0] = "T1059.004";
	al.n_mitre = 1;
	al.time_ns = a.time_ns;
	al.host = "node-1";
	al.event = &a;
	al.lineage[0] = (struct rtmon_ancestor){ .pid = 567, .comm = "sshd", .exe = "/usr/sbin/sshd" };
	al.lineage[1] = (struct rtmon_ancestor){ .pid = 1, .comm = "systemd" };
	al.n_lineage = 2;
	al.container = &c;
	strcpy(al.addr, "10.0.0.5:4444");
	s = fmt_alert_json(&w, &al);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"kind\":\"alert\",\"id\":\"1764427000123456-42\",\"rule_id\":\"reverse_shell\","
				  "\"severity\":\"high\",\"risk_score\":85"));
	assert_non_null(strstr(s, "\"mitre\":[\"T1059.004\"]"));
	assert_non_null(strstr(s, "\"lineage\":[{\"pid\":567,\"comm\":\"sshd\",\"exe\":\"/usr/sbin/"
				  "sshd\"},{\"pid\":1,\"comm\":\"systemd\"}]"));
	assert_non_null(strstr(
		s,
		"\"container\":{\"id\":\"abcd\",\"runtime\":\"containerd\",\"pod\":\"web-1\",\"namespace\":\"shop\"}"));
	assert_non_null(strstr(s, "\"addr\":\"10.0.0.5:4444\""));
	assert_null(strstr(s, "\"kind\":\"event\"")); /* the embedded event has no kind */
	jsonw_release(&w);
}

static void json__incident_update__timeline_keys_exact(void **state)
{
	static struct rtmon_incident_entry entries[2];
	struct rtmon_incident inc;
	struct rtmon_alert al;
	struct rtmon_jsonw w = { 0 };
	const char *s;

	(void)state;
	memset(&inc, 0, sizeof(inc));
	memset(entries, 0, sizeof(entries));
	strcpy(inc.id, "1764427000123456-42");
	inc.state = RTMON_INCIDENT_CLOSED;
	inc.close_reason = RTMON_INCIDENT_EXITED;
	inc.updates = 2;
	inc.opened_ns = 1764427000123456000ull;
	inc.last_ns = 1764427001000000000ull;
	inc.root_pid = 1234;
	strcpy(inc.root_exe, "/usr/bin/bash");
	strcpy(inc.rules[0], "reverse_shell");
	inc.n_rules = 1;
	inc.counts = (struct rtmon_incident_counts){
		.execs = 31, .connects = 1, .matches = 3, .alerts = 1, .processes = 31, .live = 0
	};
	inc.entries_total = 40;
	inc.n_entries = 2;
	inc.entries = entries;
	entries[0] = (struct rtmon_incident_entry){ .time_ns = 1764427000123456000ull,
						    .type = RTMON_EV_CONNECT,
						    .pid = 1234,
						    .ppid = 567,
						    .uid = 1000,
						    .n_rules = 1 };
	strcpy(entries[0].exe, "/usr/bin/bash");
	strcpy(entries[0].addr, "10.0.0.5:4444");
	strcpy(entries[0].rules[0], "reverse_shell");
	strcpy(entries[0].alert_id, "1764427000123456-42");
	entries[1] = (struct rtmon_incident_entry){ .time_ns = 1764427000500000000ull,
						    .type = RTMON_EV_EXEC,
						    .pid = 1240,
						    .ppid = 1234,
						    .uid = 1000,
						    .args_len = 12 };
	strcpy(entries[1].exe, "/usr/bin/id");
	memcpy(entries[1].args,
	       "id\0-u\0\xe2\x80\xae"
	       "ab\0",
	       12); /* U+202E inside an argument */
	memset(&al, 0, sizeof(al));
	strcpy(al.id, "1764427001000000-50");
	strcpy(al.incident_id, inc.id);
	al.rule_id = "reverse_shell";
	al.severity = RTMON_SEV_CRITICAL;
	al.risk_score = 90;
	strcpy(al.reason, "incident 1764427000123456-42: ...");
	al.time_ns = inc.last_ns;
	al.host = "node-1";
	al.incident = &inc;
	s = fmt_alert_json(&w, &al);
	assert_non_null(s);
	assert_non_null(strstr(s, "{\"kind\":\"incident\",\"id\":\"1764427001000000-50\","
				  "\"incident_id\":\"1764427000123456-42\",\"rule_id\":\"reverse_shell\""));
	assert_non_null(strstr(
		s, "\"incident\":{\"state\":\"closed\",\"close_reason\":\"exited\",\"update\":2,"
		   "\"opened\":\"2025-11-29T14:36:40.123456Z\",\"last_activity\":\"2025-11-29T14:36:41.000000Z\","
		   "\"root_pid\":1234,\"root_exe\":\"/usr/bin/bash\",\"rules\":[\"reverse_shell\"],"
		   "\"counts\":{\"alerts\":1,\"matches\":3,\"execs\":31,\"connects\":1,\"other_events\":0,"
		   "\"processes\":31,\"live_processes\":0},\"entries_total\":40,\"entries_omitted\":38,"));
	assert_non_null(
		strstr(s, "\"timeline\":[{\"time\":\"2025-11-29T14:36:40.123456Z\",\"type\":\"connect\","
			  "\"pid\":1234,\"ppid\":567,\"uid\":1000,\"exe\":\"/usr/bin/bash\",\"addr\":\"10.0.0.5:4444\","
			  "\"rules\":[\"reverse_shell\"],\"alert_id\":\"1764427000123456-42\"},"
			  "{\"time\":\"2025-11-29T14:36:40.500000Z\",\"type\":\"exec\",\"pid\":1240,\"ppid\":1234,"
			  "\"uid\":1000,\"exe\":\"/usr/bin/id\",\"args\":[\"id\",\"-u\",\"\xe2\x80\xae"
			  "ab\"]}]}"));
	jsonw_release(&w);
}

static void json__fold_summary__pids_and_values(void **state)
{
	struct rtmon_alert_summary sum;
	struct rtmon_alert al;
	struct rtmon_jsonw w = { 0 };
	const char *s;

	(void)state;
	memset(&sum, 0, sizeof(sum));
	strcpy(sum.exe, "/tmp/x");
	strcpy(sum.parent_exe, "/usr/sbin/cron");
	strcpy(sum.object, "file /tmp/x /tmp/x");
	strcpy(sum.cmdline, "/tmp/x -q");
	sum.seen.pids[0] = 10;
	sum.seen.pids[1] = 20;
	sum.seen.n_pids = 2;
	sum.seen.uids[0] = 0;
	sum.seen.n_uids = 1;
	sum.seen.ppids[0] = 9;
	sum.seen.n_ppids = 1;
	memset(&al, 0, sizeof(al));
	strcpy(al.id, "1-2");
	al.rule_id = "suspicious_exec";
	al.summary_kind = "fold";
	al.summary = &sum;
	al.folded = 5;
	al.first_ns = 1764427000000000000ull;
	al.last_ns = 1764427010000000000ull;
	s = fmt_alert_json(&w, &al);
	assert_non_null(s);
	assert_non_null(strstr(
		s, "\"summary\":{\"kind\":\"fold\",\"count\":5,\"first\":\"2025-11-29T14:36:40.000000Z\","
		   "\"last\":\"2025-11-29T14:36:50.000000Z\",\"exe\":\"/tmp/x\",\"parent_exe\":\"/usr/sbin/cron\","
		   "\"object\":\"file /tmp/x /tmp/x\",\"cmdline\":\"/tmp/x -q\",\"pids\":[10,20],\"ppids\":[9],"
		   "\"uids\":[0]}"));
	assert_null(strstr(s, "incident"));
	jsonw_release(&w);
}

static void escape_line__controls__escaped(void **state)
{
	char out[128];

	(void)state;
	escape_line("a\nb\x1b[0m\\ \xc2\x85 \xff", out, sizeof(out));
	assert_string_equal(out, "a\\x0ab\\x1b[0m\\\\ \\x85 \\xff");
	utf8_sanitize("ok\xff", 3, out, sizeof(out));
	assert_string_equal(out, "ok\xef\xbf\xbd");
	utf8_sanitize("\xe2\x82\xac\xe2\x82\xac", 6, out, 5); /* never split a sequence */
	assert_string_equal(out, "\xe2\x82\xac");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json__exec_event__round_trip),
		cmocka_unit_test(json__mmap_and_ptrace__round_trip),
		cmocka_unit_test(json__hostile_strings__valid_utf8_json),
		cmocka_unit_test(json__not_an_event__rejected),
		cmocka_unit_test(json__alert__spec_keys),
		cmocka_unit_test(json__incident_update__timeline_keys_exact),
		cmocka_unit_test(json__fold_summary__pids_and_values),
		cmocka_unit_test(escape_line__controls__escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
