/* SPDX-License-Identifier: MIT */
/*
 * test_fmt_journal.c - proves that an alert becomes the exact journald fields of SPEC "Outputs:
 * journald": every RTMON_* value, PRIORITY per severity, MESSAGE on one line with attacker
 * bytes escaped, MESSAGE_ID fixed per rule, and a native-protocol payload that is binary-safe.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fmt_journal.h"
#include "incident.h"
#include "out_journal.h"

struct fixture {
	struct rtmon_event ev;
	struct rtmon_container ct;
	struct rtmon_alert a;
	struct journal_entry e;
};

/* Asserts that field 'name' is present with exactly the value 'want'. */
#define assert_field(e, name, want)                                                          \
	do {                                                                                 \
		size_t l_;                                                                   \
		const char *v_ = journal_entry_get((e), (name), &l_);                        \
		if (!v_)                                                                     \
			fail_msg("field %s missing", (name));                                \
		if (l_ != strlen(want) || memcmp(v_, (want), l_) != 0)                       \
			fail_msg("%s = \"%.*s\", want \"%s\"", (name), (int)l_, v_, (want)); \
	} while (0)
#define assert_no_field(e, name) assert_null(journal_entry_get((e), (name), NULL))

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct rtmon_event *ev = &f->ev;
	struct rtmon_alert *a = &f->a;
	static const char args[] = "bash\0-i\0";

	assert_non_null(f);
	ev->type = RTMON_EV_CONNECT;
	ev->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_AUID | RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_ARGS |
		  RTMON_HAS_CWD | RTMON_HAS_CGROUP | RTMON_HAS_NET | RTMON_HAS_TID | RTMON_HAS_CGROUP_PATH |
		  RTMON_HAS_STDIO;
	ev->time_ns = 1764427000123456789ULL;
	ev->pid = 1234;
	ev->tid = 1235;
	ev->ppid = 567;
	ev->uid = 1000;
	ev->gid = 1001;
	ev->auid = 1000;
	ev->cgroup_id = 462;
	strcpy(ev->comm, "bash");
	strcpy(ev->exe, "/usr/bin/bash");
	memcpy(ev->args, args, sizeof(args) - 1);
	ev->args_len = sizeof(args) - 1;
	ev->argc = 2;
	strcpy(ev->cwd, "/home/u");
	strcpy(ev->cgroup_path, "/user.slice/user-1000.slice/session-1.scope");
	ev->family = AF_INET;
	ev->dst_port = 4444;
	strcpy(ev->dst_addr, "127.0.0.1");
	ev->protocol = 6;
	ev->stdin_socket = true;
	ev->stdin_sock = (struct rtmon_sock){ .family = AF_INET, .type = SOCK_STREAM, .port = 4444 };
	strcpy(ev->stdin_sock.addr, "127.0.0.1");

	strcpy(f->ct.id, "abcd1234");
	strcpy(f->ct.runtime, "containerd");
	strcpy(f->ct.pod_uid, "0f1e2d3c-1111-2222-3333-444455556666");
	strcpy(f->ct.pod, "web-7d9");
	strcpy(f->ct.ns, "shop");

	a->seq = 42;
	strcpy(a->id, "1764427000123456-42");
	a->rule_id = "reverse_shell";
	a->severity = RTMON_SEV_HIGH;
	a->risk_score = 85;
	strcpy(a->reason, "bash connected to 127.0.0.1:4444 with stdin/stdout on a socket");
	a->mitre[0] = "T1059.004";
	a->mitre[1] = "T1071";
	a->n_mitre = 2;
	a->time_ns = 1764427000123456789ULL;
	a->host = "node-1";
	a->event = ev;
	a->lineage[0] = (struct rtmon_ancestor){ .pid = 567, .uid = 0, .comm = "sshd", .exe = "/usr/sbin/sshd" };
	a->lineage[1] = (struct rtmon_ancestor){ .pid = 1, .uid = 0, .comm = "systemd", .exe = NULL };
	a->n_lineage = 2;
	a->container = &f->ct;
	strcpy(a->addr, "127.0.0.1:4444");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	journal_entry_done(&f->e);
	free(f);
	return 0;
}

static void fmt_journal__reverse_shell__every_field_exact(void **state)
{
	struct fixture *f = *state;
	struct journal_entry *e = &f->e;

	assert_int_equal(fmt_journal(&f->a, "{\"kind\":\"alert\"}", e), 0);
	assert_field(e, "MESSAGE",
		     "rtmon: reverse_shell (high): bash connected to 127.0.0.1:4444 with stdin/stdout on a socket");
	assert_field(e, "PRIORITY", "3");
	assert_field(e, "SYSLOG_IDENTIFIER", "rtmon");
	assert_field(e, "MESSAGE_ID", "a3b90cea1ff84171a4ba7a045377f637");
	assert_field(e, "RTMON_ID", "1764427000123456-42");
	assert_field(e, "RTMON_SEQ", "42");
	assert_field(e, "RTMON_RULE_ID", "reverse_shell");
	assert_field(e, "RTMON_SEVERITY", "high");
	assert_field(e, "RTMON_RISK_SCORE", "85");
	assert_field(e, "RTMON_REASON", "bash connected to 127.0.0.1:4444 with stdin/stdout on a socket");
	assert_field(e, "RTMON_MITRE", "T1059.004,T1071");
	assert_field(e, "RTMON_TIMESTAMP", "2025-11-29T14:36:40.123456Z");
	assert_field(e, "RTMON_HOST", "node-1");
	assert_field(e, "RTMON_ADDR", "127.0.0.1:4444");
	assert_field(e, "RTMON_EVENT_TYPE", "connect");
	assert_field(e, "RTMON_EVENT_TIME", "2025-11-29T14:36:40.123456Z");
	assert_field(e, "RTMON_EVENT_PID", "1234");
	assert_field(e, "RTMON_EVENT_TID", "1235");
	assert_field(e, "RTMON_EVENT_PPID", "567");
	assert_field(e, "RTMON_EVENT_UID", "1000");
	assert_field(e, "RTMON_EVENT_GID", "1001");
	assert_field(e, "RTMON_EVENT_AUID", "1000");
	assert_field(e, "RTMON_EVENT_COMM", "bash");
	assert_field(e, "RTMON_EVENT_EXE", "/usr/bin/bash");
	assert_field(e, "RTMON_EVENT_ARGS", "bash -i");
	assert_field(e, "RTMON_EVENT_ARGC", "2");
	assert_field(e, "RTMON_EVENT_CWD", "/home/u");
	assert_field(e, "RTMON_EVENT_CGROUP_ID", "462");
	assert_field(e, "RTMON_EVENT_CGROUP", "/user.slice/user-1000.slice/session-1.scope");
	assert_field(e, "RTMON_EVENT_FAMILY", "inet");
	assert_field(e, "RTMON_EVENT_DST_ADDR", "127.0.0.1");
	assert_field(e, "RTMON_EVENT_DST_PORT", "4444");
	assert_field(e, "RTMON_EVENT_PROTOCOL", "tcp");
	assert_field(e, "RTMON_EVENT_STDIN_SOCKET", "1");
	assert_field(e, "RTMON_EVENT_STDOUT_SOCKET", "0");
	assert_field(e, "RTMON_EVENT_STDIN_PEER", "inet:stream:127.0.0.1:4444");
	assert_field(e, "RTMON_LINEAGE", "567:sshd:/usr/sbin/sshd 1:systemd");
	assert_field(e, "RTMON_CONTAINER_ID", "abcd1234");
	assert_field(e, "RTMON_CONTAINER_RUNTIME", "containerd");
	assert_field(e, "RTMON_POD", "web-7d9");
	assert_field(e, "RTMON_POD_UID", "0f1e2d3c-1111-2222-3333-444455556666");
	assert_field(e, "RTMON_NAMESPACE", "shop");
	assert_field(e, "RTMON_JSON", "{\"kind\":\"alert\"}");
	/* absent stays absent */
	assert_no_field(e, "RTMON_EVENT_STDOUT_PEER");
	assert_no_field(e, "RTMON_EVENT_FILENAME");
	assert_no_field(e, "RTMON_FOLDED");
	assert_no_field(e, "RTMON_DESCRIPTION");
	assert_no_field(e, "RTMON_CONTAINER_IMAGE");
	assert_no_field(e, "RTMON_EVENT_PTRACE_REQUEST");
	assert_no_field(e, "RTMON_EVENT_EXE_DELETED");
}

static void fmt_journal__host_process__no_container_fields(void **state)
{
	struct fixture *f = *state;

	f->a.container = NULL;
	f->a.n_lineage = 0;
	f->a.addr[0] = '\0';
	f->a.host = NULL;
	f->a.n_mitre = 0;
	f->ev.has &= ~(uint32_t)(RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_COMM);
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_no_field(&f->e, "RTMON_CONTAINER_ID");
	assert_no_field(&f->e, "RTMON_POD");
	assert_no_field(&f->e, "RTMON_NAMESPACE");
	assert_no_field(&f->e, "RTMON_LINEAGE");
	assert_no_field(&f->e, "RTMON_ADDR");
	assert_no_field(&f->e, "RTMON_HOST");
	assert_no_field(&f->e, "RTMON_MITRE");
	assert_no_field(&f->e, "RTMON_EVENT_PPID");
	assert_no_field(&f->e, "RTMON_EVENT_UID");
	assert_no_field(&f->e, "RTMON_EVENT_COMM");
	assert_no_field(&f->e, "RTMON_JSON");
	assert_field(&f->e, "RTMON_EVENT_PID", "1234");
}

static void fmt_journal__severity__priority_table(void **state)
{
	struct fixture *f = *state;
	static const struct {
		enum rtmon_severity sev;
		const char *prio, *name;
	} t[] = {
		{ RTMON_SEV_CRITICAL, "2", "critical" }, { RTMON_SEV_HIGH, "3", "high" },
		{ RTMON_SEV_MEDIUM, "4", "medium" },	 { RTMON_SEV_LOW, "5", "low" },
		{ RTMON_SEV_INFO, "6", "info" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char want[128];

		f->a.severity = t[i].sev;
		strcpy(f->a.reason, "r");
		assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
		assert_field(&f->e, "PRIORITY", t[i].prio);
		assert_field(&f->e, "RTMON_SEVERITY", t[i].name);
		snprintf(want, sizeof(want), "rtmon: reverse_shell (%s): r", t[i].name);
		assert_field(&f->e, "MESSAGE", want);
	}
}

static void fmt_journal__hostile_reason__message_escaped_value_exact(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "a\nrtmon: reverse_shell (critical): forged", "a\\nrtmon: reverse_shell (critical): forged" },
		{ "x\r\ty", "x\\r\\ty" },
		{ "\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07" },
		{ "del\x7f", "del\\x7f" },
		{ "c1 \xc2\x9b"
		  "31m",
		  "c1 \\xc2\\x9b31m" }, /* C1 CSI in UTF-8 form */
		{ "bad \xff\xfe utf8", "bad \\xff\\xfe utf8" },
		{ "overlong \xc0\xaf", "overlong \\xc0\\xaf" },
		{ "ok \xc3\xa9t\xc3\xa9 \xe2\x9c\x93", "ok \xc3\xa9t\xc3\xa9 \xe2\x9c\x93" }, /* valid UTF-8 kept */
		{ "back\\slash", "back\\\\slash" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char want[256];

		strcpy(f->a.reason, t[i].in);
		assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
		snprintf(want, sizeof(want), "rtmon: reverse_shell (high): %s", t[i].want);
		assert_field(&f->e, "MESSAGE", want);
		/* the raw field keeps the exact bytes */
		assert_field(&f->e, "RTMON_REASON", t[i].in);
	}
}

static void fmt_journal__long_reason__message_bounded_summary_kept(void **state)
{
	struct fixture *f = *state;
	size_t l;
	const char *m;

	memset(f->a.reason, '\n', sizeof(f->a.reason) - 1); /* 511 newlines -> 1022 escaped bytes */
	f->a.reason[sizeof(f->a.reason) - 1] = '\0';
	f->a.folded = 17;
	f->a.summary_kind = "fold";
	f->a.first_ns = 1764427000000000000ULL;
	f->a.last_ns = 1764427060500000000ULL;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	m = journal_entry_get(&f->e, "MESSAGE", &l);
	assert_non_null(m);
	assert_true(l < JOURNAL_MESSAGE_MAX);
	assert_null(memchr(m, '\n', l));
	assert_int_equal(memcmp(m + l - strlen(" (fold: 17 repeats)"), " (fold: 17 repeats)", 19), 0);
	/* the escape before the tail is whole, never a lone backslash */
	assert_int_equal(memcmp(m + l - 21, "\\n", 2), 0);
	assert_field(&f->e, "RTMON_FOLDED", "17");
	assert_field(&f->e, "RTMON_SUMMARY_KIND", "fold");
	assert_field(&f->e, "RTMON_FIRST_TIMESTAMP", "2025-11-29T14:36:40.000000Z");
	assert_field(&f->e, "RTMON_LAST_TIMESTAMP", "2025-11-29T14:37:40.500000Z");
	assert_int_equal(journal_entry_get(&f->e, "RTMON_REASON", &l) != NULL, 1);
	assert_int_equal(l, sizeof(f->a.reason) - 1);
}

static void fmt_journal__incident__id_on_alert_and_update_with_commands(void **state)
{
	struct fixture *f = *state;
	static struct rtmon_incident_entry en[3];
	struct rtmon_incident inc;

	/* an alert that belongs to an incident carries its id */
	strcpy(f->a.incident_id, "1764427000123456-42");
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_INCIDENT_ID", "1764427000123456-42");
	assert_no_field(&f->e, "RTMON_KIND");
	/* an update: the same id, the state, counts and the commands one per line */
	memset(&inc, 0, sizeof(inc));
	memset(en, 0, sizeof(en));
	strcpy(inc.id, "1764427000123456-42");
	inc.state = RTMON_INCIDENT_OPEN;
	inc.updates = 1;
	inc.root_pid = 1234;
	strcpy(inc.root_exe, "/usr/bin/bash");
	inc.counts = (struct rtmon_incident_counts){ .execs = 2, .matches = 1, .alerts = 1, .processes = 2 };
	inc.entries = en;
	inc.n_entries = inc.entries_total = 3;
	en[0] = (struct rtmon_incident_entry){ .type = RTMON_EV_CONNECT,
					       .pid = 1234,
					       .time_ns = 1764427000000000000ULL };
	en[1] = (struct rtmon_incident_entry){
		.type = RTMON_EV_EXEC, .pid = 1240, .time_ns = 1764427001000000000ULL, .args_len = 9
	};
	strcpy(en[1].exe, "/usr/bin/id");
	memcpy(en[1].args, "id\0-u\0a\nb\0", 9);
	en[2] = (struct rtmon_incident_entry){ .type = RTMON_EV_EXEC, .pid = 1241, .time_ns = 1764427002000000000ULL };
	strcpy(en[2].exe, "/usr/bin/ls");
	f->a.incident = &inc;
	f->a.event = NULL;
	f->a.n_lineage = 0;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_INCIDENT_ID", "1764427000123456-42");
	assert_field(&f->e, "RTMON_KIND", "incident");
	assert_field(&f->e, "RTMON_INCIDENT_STATE", "open");
	assert_field(&f->e, "RTMON_INCIDENT_UPDATE", "1");
	assert_field(&f->e, "RTMON_INCIDENT_ROOT_PID", "1234");
	assert_field(&f->e, "RTMON_INCIDENT_EXECS", "2");
	assert_field(
		&f->e, "RTMON_INCIDENT_COMMANDS",
		"2025-11-29T14:36:41.000000Z 1240 /usr/bin/id id -u a b\n2025-11-29T14:36:42.000000Z 1241 /usr/bin/ls");
}

static void journal_message_id__builtin_rules__fixed_values(void **state)
{
	static const struct {
		const char *rule, *id;
	} t[] = {
		{ "reverse_shell", "a3b90cea1ff84171a4ba7a045377f637" },
		{ "injection_attempt", "cbcc861e00b74b44a72294b3958f495e" },
		{ "suspicious_exec", "0d41b85229ec413b95cc0c24da13348a" },
		{ "webshell_spawn", "2f7dd1ed03394a5084f8fbc2c50899fd" },
		{ "cloud_metadata_access", "0150065fbf854b40ab8cff9dd524b77b" },
		{ "crypto_miner", "037b0305646444d389f9006628e431cc" },
		{ "container_escape", "904399d11364449c829ac44381058127" },
		{ "network_scanner", "42d11c231af243bca2652b17279458ec" },
		{ "log_tampering", "0837d0a1ed2a401eaf94d9e74eacbbae" },
		{ "defense_evasion", "67f03e3d4209481bbff8db5575d91466" },
		{ "credential_access", "00038c5db96243b685423e0104c909df" },
		{ "k8s_api_from_container", "0b6457c4c7dd49eb9d3f974f28753c6c" },
		{ "hidden_exec", "2f562b0139554625a86bfc60840d09ec" },
		{ "kernel_module_load", "75142dbef416435caa2daaba20345493" },
		{ "privilege_escalation_shell", "f4478d8b46734225aa651063d2e7d252" },
	};
	char id[33];

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		journal_message_id(t[i].rule, id);
		assert_string_equal(id, t[i].id);
	}
}

static void journal_message_id__unknown_rule__stable_distinct_uuid(void **state)
{
	char a[33], b[33], c[33], d[33];

	(void)state;
	journal_message_id("my_custom_rule", a);
	journal_message_id("my_custom_rule", b);
	journal_message_id("my_custom_rulf", c);
	journal_message_id("", d);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	/* fixed forever: a regression here changes users' journal queries */
	assert_string_equal(a, "8bfac2daac26447c89cc52f22d72bc0d");
	for (const char *p = a; *p; p++)
		assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
	assert_int_equal(strlen(a), 32);
	assert_int_equal(a[12], '4');
	assert_true(strchr("89ab", a[16]) != NULL);
	journal_message_id(NULL, b);
	assert_string_equal(b, d);
}

static void journal_entry_serialize__newline_value__binary_form(void **state)
{
	struct journal_entry e = { 0 };
	static const char want[] = "MESSAGE=hi\n"
				   "RTMON_JSON\n\x05\0\0\0\0\0\0\0a\nb\0c\n"
				   "EMPTY=\n";
	struct rtmon_sbuf buf = { 0 };
	ssize_t n;

	(void)state;
	assert_int_equal(journal_entry_add(&e, "MESSAGE", "hi", 2), 0);
	assert_int_equal(journal_entry_add(&e, "RTMON_JSON", "a\nb\0c", 5), 0);
	assert_int_equal(journal_entry_add(&e, "EMPTY", "", 0), 0);
	n = journal_entry_serialize(&e, &buf);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(buf.p, want, sizeof(want) - 1);
	/* the buffer is reused: a smaller entry goes over it, no stale tail */
	journal_entry_done(&e);
	memset(&e, 0, sizeof(e));
	assert_int_equal(journal_entry_add(&e, "A", "b", 1), 0);
	assert_int_equal(journal_entry_serialize(&e, &buf), 4);
	assert_memory_equal(buf.p, "A=b\n", 4);
	sbuf_release(&buf);
	journal_entry_done(&e);
}

static void journal_entry_add__bad_names__rejected(void **state)
{
	struct journal_entry e = { 0 };
	static const char *const bad[] = {
		"",	"_PID",
		"1ABC", "lower",
		"A-B",	"A=B",
		"A\nB", "X123456789012345678901234567890123456789012345678901234567890ABCD", /* 65 bytes */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(journal_entry_add(&e, bad[i], "v", 1), -EINVAL);
	assert_int_equal(e.n, 0);
	assert_int_equal(journal_entry_add(&e, "A_1", "v", 1), 0);
	for (size_t i = 1; i < JOURNAL_FIELDS_MAX; i++)
		assert_int_equal(journal_entry_add(&e, "F", "v", 1), 0);
	assert_int_equal(journal_entry_add(&e, "F", "v", 1), -E2BIG);
	journal_entry_done(&e);
}

static void fmt_journal__huge_json__left_out_and_flagged(void **state)
{
	struct fixture *f = *state;
	char *json = malloc(JOURNAL_JSON_MAX + 2);

	assert_non_null(json);
	memset(json, 'x', JOURNAL_JSON_MAX + 1);
	json[JOURNAL_JSON_MAX + 1] = '\0';
	assert_int_equal(fmt_journal(&f->a, json, &f->e), 0);
	assert_no_field(&f->e, "RTMON_JSON");
	assert_field(&f->e, "RTMON_JSON_TRUNCATED", "1");
	json[JOURNAL_JSON_MAX] = '\0'; /* exactly the limit: kept whole */
	assert_int_equal(fmt_journal(&f->a, json, &f->e), 0);
	assert_non_null(journal_entry_get(&f->e, "RTMON_JSON", NULL));
	free(json);
}

static void fmt_journal__unterminated_kernel_strings__bounded(void **state)
{
	struct fixture *f = *state;
	size_t l;

	memset(f->ev.comm, 'C', sizeof(f->ev.comm)); /* no NUL anywhere */
	memset(f->ev.exe, 'E', sizeof(f->ev.exe));
	memset(f->ev.args, 'A', sizeof(f->ev.args));
	f->ev.args_len = 100000; /* lies: clamp to the buffer */
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_non_null(journal_entry_get(&f->e, "RTMON_EVENT_COMM", &l));
	assert_int_equal(l, sizeof(f->ev.comm));
	assert_non_null(journal_entry_get(&f->e, "RTMON_EVENT_EXE", &l));
	assert_int_equal(l, sizeof(f->ev.exe));
	assert_non_null(journal_entry_get(&f->e, "RTMON_EVENT_ARGS", &l));
	assert_int_equal(l, sizeof(f->ev.args));
}

static void fmt_journal__injection_events__action_fields(void **state)
{
	struct fixture *f = *state;
	struct rtmon_event *ev = &f->ev;

	f->a.rule_id = "injection_attempt";
	f->a.severity = RTMON_SEV_CRITICAL;
	ev->type = RTMON_EV_MMAP;
	ev->has = RTMON_HAS_MEM;
	ev->prot = 0x7;
	ev->mmap_flags = 0x22;
	ev->fd = -1;
	ev->mem_addr = 0x7f0000001000ULL;
	ev->mem_len = 4096;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "MESSAGE_ID", "cbcc861e00b74b44a72294b3958f495e");
	assert_field(&f->e, "PRIORITY", "2");
	assert_field(&f->e, "RTMON_EVENT_TYPE", "mmap");
	assert_field(&f->e, "RTMON_EVENT_PROT", "PROT_READ|PROT_WRITE|PROT_EXEC");
	assert_field(&f->e, "RTMON_EVENT_FLAGS", "MAP_PRIVATE|MAP_ANONYMOUS");
	assert_field(&f->e, "RTMON_EVENT_FD", "-1");
	assert_field(&f->e, "RTMON_EVENT_MEM_ADDR", "0x7f0000001000");
	assert_field(&f->e, "RTMON_EVENT_MEM_LEN", "4096");
	assert_no_field(&f->e, "RTMON_EVENT_DST_ADDR");

	ev->type = RTMON_EV_PTRACE;
	ev->has = RTMON_HAS_PTRACE | RTMON_HAS_TARGET_PPID;
	ev->ptrace_request = 16;
	ev->target_pid = 999;
	ev->target_ppid = 998;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_EVENT_PTRACE_REQUEST", "PTRACE_ATTACH");
	assert_field(&f->e, "RTMON_EVENT_TARGET_PID", "999");
	assert_field(&f->e, "RTMON_EVENT_TARGET_PPID", "998");
	ev->ptrace_request = 12345;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_EVENT_PTRACE_REQUEST", "12345");

	ev->type = RTMON_EV_MEMFD_CREATE;
	ev->has = RTMON_HAS_MEMFD;
	strcpy(ev->memfd_name, "payload");
	ev->memfd_flags = 0x3 | 0x40;
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_EVENT_MEMFD_NAME", "payload");
	assert_field(&f->e, "RTMON_EVENT_MEMFD_FLAGS", "MFD_CLOEXEC|MFD_ALLOW_SEALING|0x40");

	ev->type = RTMON_EV_EXEC;
	ev->has = RTMON_HAS_EXE | RTMON_HAS_FILENAME;
	strcpy(ev->exe, "memfd:x (deleted)");
	ev->exe_memfd = true;
	ev->exe_deleted = true;
	strcpy(ev->filename, "/dev/fd/3");
	assert_int_equal(fmt_journal(&f->a, NULL, &f->e), 0);
	assert_field(&f->e, "RTMON_EVENT_EXE_MEMFD", "1");
	assert_field(&f->e, "RTMON_EVENT_EXE_DELETED", "1");
	assert_field(&f->e, "RTMON_EVENT_FILENAME", "/dev/fd/3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fmt_journal__reverse_shell__every_field_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__host_process__no_container_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__severity__priority_table, setup, teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__hostile_reason__message_escaped_value_exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__incident__id_on_alert_and_update_with_commands, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__long_reason__message_bounded_summary_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__huge_json__left_out_and_flagged, setup, teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__unterminated_kernel_strings__bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(fmt_journal__injection_events__action_fields, setup, teardown),
		cmocka_unit_test(journal_message_id__builtin_rules__fixed_values),
		cmocka_unit_test(journal_message_id__unknown_rule__stable_distinct_uuid),
		cmocka_unit_test(journal_entry_serialize__newline_value__binary_form),
		cmocka_unit_test(journal_entry_add__bad_names__rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
