/* SPDX-License-Identifier: MIT */
/*
 * test_rules: the rule language means what docs/RULES.md says (each operator,
 * absent fields, ancestors, containers, CIDR v4/v6, globs, lists, exceptions),
 * compile errors name FILE:LINE, reasons name the matched values, and every
 * shipped default rule fires on its recorded attack and stays quiet on its
 * recorded near miss (tests/data/<rule>.fire.jsonl / <rule>.miss.jsonl).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <libconfig.h>

#include "config.h"
#include "event.h"
#include "fmt_json.h"
#include "rules.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s && *s ? s : TOP_SRCDIR;
}

/* ---- helpers ---- */

static int compile_text(const char *text, struct rtmon_ruleset **ret, struct rtmon_diag *d)
{
	config_t cfg;
	int r;

	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		fprintf(stderr, "libconfig: line %d: %s\n", config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		return -EBADMSG;
	}
	r = ruleset_compile(config_lookup(&cfg, "rules"), "test.conf", ret, d);
	config_destroy(&cfg);
	return r;
}

/* One rule 't' over the condition; the set is freed by the caller. */
static struct rtmon_ruleset *compile_cond(const char *cond, const char *events)
{
	static char text[8192];
	struct rtmon_diag d = { 0 };
	struct rtmon_ruleset *rs = NULL;
	char line[600];

	snprintf(text, sizeof(text),
		 "lists = { shells = [\"bash\", \"sh\"]; ports = [4444, 9001]; nets = [\"10.0.0.0/8\", \"fd00::/8\"]; "
		 "};\n"
		 "rules = ( { id = \"t\"; severity = \"high\"; events = [%s]; condition = \"%s\"; } );\n",
		 events, cond);
	if (compile_text(text, &rs, &d) < 0) {
		for (size_t i = 0; i < d.n; i++) {
			diag_format(&d.items[i], line, sizeof(line));
			fprintf(stderr, "%s\n", line);
		}
		fail_msg("condition did not compile: %s", cond);
	}
	return rs;
}

static const struct rtmon_ancestor lineage_std[] = {
	{ .pid = 1000, .uid = 1000, .comm = "sshd", .exe = "/usr/sbin/sshd" },
	{ .pid = 900, .uid = 0, .comm = "make", .exe = "/usr/bin/make" },
	{ .pid = 800, .uid = 0, .comm = "pip", .exe = "/usr/bin/python3.11", .filename = "/usr/bin/pip" },
	{ .pid = 1, .uid = 0, .comm = "systemd", .exe = NULL },
};

static void ev_exec(struct rtmon_event *e)
{
	event_reset(e);
	e->type = RTMON_EV_EXEC;
	e->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_CWD | RTMON_HAS_FILENAME |
		 RTMON_HAS_STDIO | RTMON_HAS_CGROUP_PATH;
	e->pid = 1234;
	e->ppid = 1000;
	e->uid = 1000;
	strcpy(e->comm, "bash");
	strcpy(e->exe, "/usr/bin/bash");
	strcpy(e->filename, "/bin/bash");
	strcpy(e->cwd, "/home/u");
	strcpy(e->cgroup_path, "/user.slice/user-1000.slice/session-2.scope");
	event_add_arg(e, "bash");
	event_add_arg(e, "-i");
	event_add_arg(e, "--norc");
	e->stdin_socket = true;
	e->stdin_sock.family = AF_INET;
	e->stdin_sock.port = 4444;
	strcpy(e->stdin_sock.addr, "127.0.0.1");
}

static void ev_connect6(struct rtmon_event *e)
{
	event_reset(e);
	e->type = RTMON_EV_CONNECT;
	e->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_NET;
	e->pid = 77;
	e->ppid = 1;
	strcpy(e->comm, "curl");
	strcpy(e->exe, "/usr/bin/curl");
	e->family = AF_INET6;
	strcpy(e->dst_addr, "fd12:3456::1");
	e->dst_port = 9001;
	e->protocol = 6;
}

static void ev_mmap(struct rtmon_event *e)
{
	event_reset(e);
	e->type = RTMON_EV_MMAP;
	e->has = RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_MEM;
	e->pid = 55;
	strcpy(e->comm, "x");
	strcpy(e->exe, "/tmp/x");
	e->prot = 0x7;	      /* RWX */
	e->mmap_flags = 0x22; /* PRIVATE|ANONYMOUS */
	e->fd = -1;
}

static bool eval1(const struct rtmon_ruleset *rs, const struct rtmon_event *e, const struct rtmon_container *c,
		  struct rtmon_match *m)
{
	struct rtmon_eval_ctx ctx = {
		.ev = e,
		.lineage = lineage_std,
		.n_lineage = 4,
		.container = c,
		.prev_exe = "/usr/sbin/runc",
	};
	struct rtmon_match tmp;

	return ruleset_eval(rs, &ctx, m ? m : &tmp, 1) == 1;
}

/* ---- semantics: each row a condition and its truth over the sample exec event ---- */

struct sem_row {
	const char *cond;
	bool expect;
};

static const struct sem_row exec_rows[] = {
	{ "exe = /usr/bin/bash", true },
	{ "exe == '/usr/bin/bash'", true },
	{ "exe = /usr/bin/dash", false },
	{ "exe != /usr/bin/dash", true },
	{ "exe_base = bash", true },
	{ "exe_base in (sh, bash, zsh)", true },
	{ "exe_base in shells", true },
	{ "exe_base in (@shells, zsh)", true },
	{ "exe_base not in shells", false },
	{ "exe_base not in (zsh)", true },
	{ "exe startswith /usr/", true },
	{ "exe startswith (/opt/, /usr/bin/)", true },
	{ "exe endswith /bash", true },
	{ "exe contains bin/ba", true },
	{ "exe glob '/usr/*/ba?h'", true },
	{ "exe glob '/usr/*'", true }, /* '*' crosses '/' */
	{ "exe glob '/tmp/*'", false },
	{ "exe glob '/usr/bin/bash'", true }, /* no wildcard: exact */
	{ "exe glob '/usr/bin/bas'", false },
	{ "exe glob '*/bash'", true }, /* suffix */
	{ "exe glob '*/dash'", false },
	{ "exe glob '*bin/b*'", true }, /* contains */
	{ "exe glob '*bin/d*'", false },
	{ "exe glob '/usr/bin/[ab]ash'", true }, /* fnmatch */
	{ "exe glob '/usr/bin/[cd]ash'", false },
	{ "exe glob '/usr/bin/bas?'", true },
	{ "exe glob '*'", true },
	{ "exe glob '**'", true },
	{ "comm = bash", true },
	{ "filename = /bin/bash", true },
	{ "cwd startswith /home/", true },
	{ "args in ('-i')", true },
	{ "args = '-i'", true },
	{ "args = '-c'", false },
	{ "args contains norc", true },
	{ "args glob '--*'", true },
	{ "args not in ('-c', '-e')", true },
	{ "args not in ('-i')", false },
	{ "cmdline = 'bash -i --norc'", true },
	{ "cmdline contains '-i --no'", true },
	{ "argc = 3", true },
	{ "uid >= 1000", true },
	{ "uid > 1000", false },
	{ "uid < 1000", false },
	{ "uid <= 1000", true },
	{ "uid != 0", true },
	{ "uid in (0, 500..1500)", true },
	{ "uid in (0..999)", false },
	{ "pid = 0x4d2", true },
	{ "ppid = 1000", true },
	{ "stdin_socket", true },
	{ "stdin_socket = true", true },
	{ "stdin_socket = false", false },
	{ "stdout_socket", false },
	{ "stdout_socket = false", true },
	{ "not stdout_socket", true },
	{ "stdin_peer.family = inet", true },
	{ "stdin_peer.family in (inet6, unix)", false },
	{ "stdin_peer.addr = 127.0.0.1", true },
	{ "stdin_peer.addr in (127.0.0.0/8)", true },
	{ "stdin_peer.addr in (10.0.0.0/8, ::1)", false },
	{ "stdin_peer.addr startswith '127.'", true },
	{ "stdin_peer.port in ports", true },
	{ "stdout_peer.family = inet", false }, /* absent */
	{ "stdout_peer.port >= 0", false },	/* absent */
	{ "cgroup glob '*/session-*.scope'", true },
	{ "parent.exe = /usr/sbin/sshd", true },
	{ "parent.exe_base = sshd", true },
	{ "parent.comm = sshd", true },
	{ "parent.uid = 1000", true },
	{ "ancestor.comm = make", true },
	{ "ancestor.comm = systemd", true },
	{ "ancestor.exe_base in (make, ninja)", true },
	{ "ancestor.exe glob '/usr/bin/m*'", true },
	{ "ancestor.exe_base = systemd", false }, /* its exe is unknown */
	{ "ancestor.comm = cron", false },
	{ "ancestor1.comm = sshd", true },
	{ "ancestor1.comm = make", false },
	{ "ancestor2.comm = make", true },
	{ "ancestor2.exe_base in (make)", true },
	{ "ancestor2.comm = systemd", false },
	{ "ancestor8.comm = systemd", true },
	{ "parent.filename = /usr/bin/pip", false },
	{ "prev_exe = /usr/sbin/runc", true }, /* the image this exec replaced */
	{ "prev_exe in (/usr/bin/runc)", false },
	{ "ancestor.filename = /usr/bin/pip", true },
	{ "ancestor2.filename = /usr/bin/pip", false },
	{ "ancestor3.filename = /usr/bin/pip", true },
	{ "ancestor.filename glob '/usr/bin/python*'", false },
	{ "ancestor.filename not in (/usr/bin/pip)", false },
	{ "ancestor.filename not in (/usr/bin/pip3)", true },
	{ "container", false },
	{ "not container", true },
	{ "container.id startswith ''", false },
	{ "type = exec", true },
	{ "type in (connect, dup)", false },
	/* absent fields make comparisons false, and 'not' of that true */
	{ "dst_port = 4444", false },
	{ "dst_port != 4444", false },
	{ "not dst_port = 4444", true },
	{ "memfd_name", false },
	{ "exe_memfd", false },
	{ "exe_deleted = false", true },
	{ "target_is_child", false },
	/* boolean structure and precedence: and binds tighter than or */
	{ "exe_base = zsh or exe_base = bash and uid = 1000", true },
	{ "(exe_base = zsh or exe_base = bash) and uid = 0", false },
	{ "exe_base = zsh or uid = 0 or comm = bash", true },
	{ "not (exe_base = bash and uid = 1000)", false },
	{ "not not stdin_socket", true },
	/* quoting */
	{ "cmdline = \\\"bash -i --norc\\\"", true },
};

static void unit__exec_conditions__evaluate_as_documented(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));

	ev_exec(e);
	for (size_t i = 0; i < sizeof(exec_rows) / sizeof(exec_rows[0]); i++) {
		struct rtmon_ruleset *rs = compile_cond(exec_rows[i].cond, "\"exec\"");
		bool got = eval1(rs, e, NULL, NULL);

		if (got != exec_rows[i].expect)
			fail_msg("'%s' gave %d, expected %d", exec_rows[i].cond, got, exec_rows[i].expect);
		ruleset_free(rs);
	}
	free(e);
}

static const struct sem_row net_rows[] = {
	{ "family = inet6", true },
	{ "dst_addr = fd12:3456::1", true },
	{ "dst_addr in nets", true },
	{ "dst_addr in (fd12:3456::/32)", true },
	{ "dst_addr in (fd12:3457::/32, 10.0.0.0/8)", false },
	{ "dst_addr not in (::1/128, 127.0.0.0/8)", true },
	{ "dst_addr in (::/0)", true },
	{ "dst_addr in (0.0.0.0/0)", false },
	{ "dst_port in ports", true },
	{ "dst_port in (1..1024)", false },
	{ "protocol = tcp", true },
	{ "protocol in (udp, sctp)", false },
	{ "stdin_socket", false },
	{ "ppid = 1", true },
	{ "uid = 0", true },
};

static void unit__connect_conditions__cidr_v6_and_ports(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));

	ev_connect6(e);
	for (size_t i = 0; i < sizeof(net_rows) / sizeof(net_rows[0]); i++) {
		struct rtmon_ruleset *rs = compile_cond(net_rows[i].cond, "\"connect\"");
		bool got = eval1(rs, e, NULL, NULL);

		if (got != net_rows[i].expect)
			fail_msg("'%s' gave %d, expected %d", net_rows[i].cond, got, net_rows[i].expect);
		ruleset_free(rs);
	}
	/* IPv4-mapped IPv6 compares as IPv4 */
	strcpy(e->dst_addr, "::ffff:10.1.2.3");
	struct rtmon_ruleset *rs = compile_cond("dst_addr in (10.0.0.0/8)", "\"connect\"");
	assert_true(eval1(rs, e, NULL, NULL));
	ruleset_free(rs);
	rs = compile_cond("dst_addr in (10.1.2.0/25)", "\"connect\"");
	assert_true(eval1(rs, e, NULL, NULL));
	strcpy(e->dst_addr, "10.1.2.200");
	assert_false(eval1(rs, e, NULL, NULL));
	ruleset_free(rs);
	free(e);
}

static const struct sem_row mem_rows[] = {
	{ "PROT_EXEC in prot", true },
	{ "prot has PROT_EXEC", true },
	{ "prot has (PROT_WRITE, PROT_EXEC)", true },
	{ "MAP_ANONYMOUS in flags", true },
	{ "MAP_SHARED in flags", false },
	{ "flags has (MAP_PRIVATE, MAP_FIXED)", false },
	{ "fd = -1", true },
	{ "vma_anon", false }, /* mmap has no vma info */
	{ "prot has 4", true },
};

static void unit__mmap_conditions__flag_tests(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));

	ev_mmap(e);
	for (size_t i = 0; i < sizeof(mem_rows) / sizeof(mem_rows[0]); i++) {
		struct rtmon_ruleset *rs = compile_cond(mem_rows[i].cond, "\"mmap\"");
		bool got = eval1(rs, e, NULL, NULL);

		if (got != mem_rows[i].expect)
			fail_msg("'%s' gave %d, expected %d", mem_rows[i].cond, got, mem_rows[i].expect);
		ruleset_free(rs);
	}
	e->prot = 0x5;
	struct rtmon_ruleset *rs = compile_cond("prot has (PROT_WRITE, PROT_EXEC)", "\"mmap\"");
	assert_false(eval1(rs, e, NULL, NULL));
	ruleset_free(rs);
	free(e);
}

static void unit__container_fields__present_only_in_containers(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_container c = { .id = "0123abcd",
				     .runtime = "containerd",
				     .pod = "web-1",
				     .ns = "shop",
				     .image = "registry.local/web:1.2" };
	static const struct sem_row rows[] = {
		{ "container", true },
		{ "container.id = 0123abcd", true },
		{ "container.namespace = shop", true },
		{ "container.pod startswith web-", true },
		{ "container.image glob 'registry.local/*'", true },
		{ "container.runtime = containerd", true },
	};

	ev_exec(e);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct rtmon_ruleset *rs = compile_cond(rows[i].cond, "\"exec\"");

		if (eval1(rs, e, &c, NULL) != rows[i].expect)
			fail_msg("'%s' in a container", rows[i].cond);
		/* on the host every one of them is false */
		if (eval1(rs, e, NULL, NULL))
			fail_msg("'%s' on the host", rows[i].cond);
		ruleset_free(rs);
	}
	/* a recorded container id counts as a container */
	e->has |= RTMON_HAS_CONTAINER;
	strcpy(e->container_id, "feed");
	struct rtmon_ruleset *rs = compile_cond("container and container.id = feed", "\"exec\"");
	assert_true(eval1(rs, e, NULL, NULL));
	ruleset_free(rs);
	free(e);
}

static void unit__event_filter__rule_skips_other_types(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_ruleset *rs = compile_cond("pid >= 0", "\"connect\", \"dup\"");

	ev_exec(e);
	assert_false(eval1(rs, e, NULL, NULL));
	assert_int_equal(ruleset_event_mask(rs), (1u << RTMON_EV_CONNECT) | (1u << RTMON_EV_DUP));
	ev_connect6(e);
	assert_true(eval1(rs, e, NULL, NULL));
	ruleset_free(rs);
	free(e);
}

static void unit__reason_and_addr__name_matched_values(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_match m;
	struct rtmon_ruleset *rs = compile_cond("exe_base in shells and (stdout_socket or stdin_peer.family in (inet, "
						"inet6)) and uid >= 1000 and not container",
						"\"exec\"");

	ev_exec(e);
	assert_true(eval1(rs, e, NULL, &m));
	assert_string_equal(m.rule->id, "t");
	assert_string_equal(m.reason,
			    "bash (pid 1234): exe_base=bash, stdin_peer.family=inet, uid=1000; peer 127.0.0.1:4444");
	assert_string_equal(m.addr, "127.0.0.1:4444");
	ruleset_free(rs);

	ev_connect6(e);
	rs = compile_cond("dst_port in ports and protocol = tcp", "\"connect\"");
	assert_true(eval1(rs, e, NULL, &m));
	assert_string_equal(m.reason, "curl (pid 77): dst_port=9001, protocol=tcp; peer [fd12:3456::1]:9001");
	assert_string_equal(m.addr, "[fd12:3456::1]:9001");
	ruleset_free(rs);

	ev_mmap(e);
	rs = compile_cond("PROT_EXEC in prot and fd = -1", "\"mmap\"");
	assert_true(eval1(rs, e, NULL, &m));
	assert_string_equal(m.reason, "x (pid 55): prot=PROT_READ|PROT_WRITE|PROT_EXEC, fd=-1");
	assert_string_equal(m.addr, "");
	ruleset_free(rs);

	/* attacker-controlled values are cut, the reason stays bounded */
	ev_exec(e);
	memset(e->exe, 'A', 3000);
	e->exe[0] = '/';
	e->exe[3000] = '\0';
	rs = compile_cond("exe startswith /AAA and stdin_socket", "\"exec\"");
	assert_true(eval1(rs, e, NULL, &m));
	assert_true(strlen(m.reason) < 400);
	assert_non_null(strstr(m.reason, "AAA..."));
	ruleset_free(rs);
	free(e);
}

static void unit__exceptions__suppress_without_touching_condition(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_diag d = { 0 };
	struct rtmon_ruleset *rs = NULL;
	const char *text =
		"exceptions = { t = ( \"uid = 1000 and exe = /usr/bin/bash\" ); };\n"
		"rules = ( { id = \"t\"; severity = \"low\"; events = [\"exec\"]; condition = \"stdin_socket\";\n"
		"            except = \"parent.comm = cron\"; },\n"
		"          { id = \"u\"; severity = \"low\"; events = [\"exec\"]; condition = \"stdin_socket\";\n"
		"            except = [ \"parent.comm = cron\", \"ancestor.comm = make\" ]; },\n"
		"          { id = \"v\"; severity = \"low\"; events = [\"exec\"]; condition = \"stdin_socket\"; "
		"enabled = false; },\n"
		"          { id = \"w\"; severity = \"info\"; events = [\"exec\"]; condition = \"stdin_socket\"; } "
		");\n";
	struct rtmon_match m[4];
	struct rtmon_eval_ctx ctx = { .lineage = lineage_std, .n_lineage = 4 };

	assert_int_equal(compile_text(text, &rs, &d), 0);
	assert_int_equal(ruleset_count(rs), 4);
	ev_exec(e);
	ctx.ev = e;
	/* t: excepted by the top-level exceptions; u: by ancestor make; v: disabled */
	assert_int_equal(ruleset_eval(rs, &ctx, m, 4), 1);
	assert_string_equal(m[0].rule->id, "w");
	assert_int_equal(m[0].rule->severity, RTMON_SEV_INFO);
	assert_int_equal(m[0].rule->risk_score, 10);
	e->uid = 1001;
	ctx.n_lineage = 1;
	assert_int_equal(ruleset_eval(rs, &ctx, m, 4), 3);
	assert_string_equal(m[0].rule->id, "t");
	assert_string_equal(m[1].rule->id, "u");
	/* 'max' bounds the matches written */
	assert_int_equal(ruleset_eval(rs, &ctx, m, 1), 1);
	ruleset_free(rs);
	free(e);
}

/* ---- compile errors: exact FILE:LINE: message ---- */

struct bad_row {
	const char *text;
	const char *msg;
};

#define R1(body) "rules = (\n  { id = \"r\"; severity = \"high\"; events = [\"exec\"];\n" body "  }\n);\n"

static const struct bad_row bad_rows[] = {
	{ R1("    condition = \"exe_bse = bash\";\n"), "test.conf:3: rule 'r': condition: unknown field 'exe_bse'" },
	{ R1("    condition = \"ancestor9.comm = make\";\n"),
	  "test.conf:3: rule 'r': condition: unknown field 'ancestor9.comm'" },
	{ R1("    condition = \"exe like bash\";\n"), "test.conf:3: rule 'r': condition: unknown operator 'like'" },
	{ R1("    condition = \"dst_addr in (10.0.0.0/33)\";\n"),
	  "test.conf:3: rule 'r': condition: bad address or CIDR '10.0.0.0/33' for field 'dst_addr'" },
	{ R1("    condition = \"dst_addr = 300.1.1.1\";\n"),
	  "test.conf:3: rule 'r': condition: bad address or CIDR '300.1.1.1' for field 'dst_addr'" },
	{ R1("    condition = \"uid >= abc\";\n"),
	  "test.conf:3: rule 'r': condition: bad number 'abc' for field 'uid'" },
	{ R1("    condition = \"uid startswith 1\";\n"),
	  "test.conf:3: rule 'r': condition: operator 'startswith' does not apply to field 'uid'" },
	{ R1("    condition = \"PROT_EXCE in prot\";\n"),
	  "test.conf:3: rule 'r': condition: unknown flag 'PROT_EXCE' for field 'prot'" },
	{ R1("    condition = \"exe_base in shels\";\n"), "test.conf:3: rule 'r': condition: unknown list 'shels'" },
	{ R1("    condition = \"family = inet4\";\n"),
	  "test.conf:3: rule 'r': condition: unknown value 'inet4' for field 'family'" },
	{ R1("    condition = \"type = exce\";\n"), "test.conf:3: rule 'r': condition: unknown event type 'exce'" },
	{ R1("    condition = \"(exe = a\";\n"),
	  "test.conf:3: rule 'r': condition: expected ')', got 'end of condition'" },
	{ R1("    condition = \"exe = a b\";\n"),
	  "test.conf:3: rule 'r': condition: unexpected 'b' (missing 'and' / 'or'?)" },
	{ R1("    condition = \"exe = (a, b)\";\n"),
	  "test.conf:3: rule 'r': condition: '=' takes one value; use 'in' for a set" },
	{ R1("    condition = \"stdin_socket = yes\";\n"),
	  "test.conf:3: rule 'r': condition: field 'stdin_socket' is true or false, not 'yes'" },
	{ R1("    condition = \"exe = 'abc\";\n"), "test.conf:3: rule 'r': condition: unterminated string" },
	{ R1("    condition = \"\";\n"),
	  "test.conf:3: rule 'r': condition: expected a field name, got 'end of condition'" },
	{ R1("    condition = \"exe =\";\n"),
	  "test.conf:3: rule 'r': condition: expected a value, got 'end of condition'" },
	{ R1("    condition = \"dst_port in (5..1)\";\n"),
	  "test.conf:3: rule 'r': condition: bad range '5..1' for field 'dst_port'" },
	{ R1("    condition = \"exe = a\"; conditon = \"x\";\n"),
	  "test.conf:3: rule 'r': unknown rule key 'conditon'" },
	{ R1("    condition = \"exe = a\"; except = [ \"exe = \" ];\n"),
	  "test.conf:3: rule 'r': exception: expected a value, got 'end of condition'" },
	{ R1("    condition = \"exe = a\"; risk_score = 101;\n"),
	  "test.conf:3: rule 'r': risk_score 101 out of range 0-100" },
	{ R1("    condition = \"exe = a\"; risk_score = \"9\";\n"),
	  "test.conf:3: rule 'r': 'risk_score' must be an integer" },
	{ R1("    condition = \"exe = a\"; mitre = [\"T59\"];\n"),
	  "test.conf:3: rule 'r': bad MITRE ATT&CK id 'T59' (T1234 or T1234.567)" },
	{ R1("    condition = \"exe = a\"; enabled = 1;\n"), "test.conf:3: rule 'r': 'enabled' must be true or false" },
	{ "rules = (\n { id = \"r\"; severity = \"severe\"; events = [\"exec\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: rule 'r': unknown severity 'severe' (info, low, medium, high, critical)" },
	{ "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exce\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: rule 'r': unknown event type 'exce'" },
	{ "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; }\n);\n",
	  "test.conf:2: rule 'r': missing 'condition'" },
	{ "rules = (\n { severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: rule without a string 'id'" },
	{ "rules = (\n { id = \"Bad Id\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: rule id 'Bad Id' must be 1-63 characters of a-z 0-9 _ -" },
	{ "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; },\n"
	  " { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = b\"; }\n);\n",
	  "test.conf:3: duplicate rule id 'r' (first defined at line 2)" },
	{ "exceptions = {\n  nosuch = ( \"exe = a\" );\n};\n"
	  "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: exceptions: unknown rule id 'nosuch'" },
	{ "lists = {\n  l = [ 1.5 ];\n};\n"
	  "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; }\n);\n",
	  "test.conf:2: list 'l' may hold only strings and integers" },
	{ "rules = { };\n", "test.conf:1: 'rules' must be a list: rules = ( { id = ...; }, ... );" },
};

static void unit__bad_rules__exact_file_line_message(void **state)
{
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		struct rtmon_diag d = { 0 };
		struct rtmon_ruleset *rs = NULL;
		char line[600];
		int r = compile_text(bad_rows[i].text, &rs, &d);

		if (r != -EINVAL)
			fail_msg("row %zu: compiled (%d): %s", i, r, bad_rows[i].text);
		assert_null(rs);
		assert_true(d.n >= 1);
		assert_true(d.errors >= 1);
		diag_format(&d.items[0], line, sizeof(line));
		if (strcmp(line, bad_rows[i].msg) != 0)
			fail_msg("row %zu:\n got      %s\n expected %s", i, line, bad_rows[i].msg);
	}
}

static void unit__several_errors__all_reported(void **state)
{
	struct rtmon_diag d = { 0 };
	struct rtmon_ruleset *rs = NULL;

	assert_int_equal(compile_text(R1("    condition = \"a = 1\"; b = 2;\n"), &rs, &d), -EINVAL);
	assert_int_equal(d.errors, 2);
}

/* ---- the shipped default rules ---- */

static struct rtmon_ruleset *default_rules(void)
{
	struct rtmon_diag d = { 0 };
	struct rtmon_ruleset *rs = NULL;
	char line[600];
	config_t cfg;

	config_init(&cfg);
	if (config_read_string(&cfg, config_builtin_text()) != CONFIG_TRUE)
		fail_msg("built-in config: line %d: %s", config_error_line(&cfg), config_error_text(&cfg));
	if (ruleset_compile(config_lookup(&cfg, "rules"), "rtmon.conf", &rs, &d) < 0) {
		for (size_t i = 0; i < d.n; i++) {
			diag_format(&d.items[i], line, sizeof(line));
			fprintf(stderr, "%s\n", line);
		}
		fail_msg("the default rules do not compile");
	}
	config_destroy(&cfg);
	return rs;
}

static void unit__default_rules__compile_with_ids_and_mitre(void **state)
{
	struct rtmon_ruleset *rs = default_rules();
	const char *const required[] = { "reverse_shell", "injection_attempt", "suspicious_exec" };

	assert_true(ruleset_count(rs) >= 10);
	for (size_t k = 0; k < 3; k++) {
		bool found = false;

		for (size_t i = 0; i < ruleset_count(rs); i++)
			found |= strcmp(ruleset_rule(rs, i)->id, required[k]) == 0;
		if (!found)
			fail_msg("default rule %s missing", required[k]);
	}
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const struct rtmon_rule_info *ri = ruleset_rule(rs, i);

		assert_true(ri->n_mitre >= 1);
		assert_non_null(ri->description);
		assert_true(ri->risk_score > 0 && ri->risk_score <= 100);
	}
	assert_null(ruleset_rule(rs, ruleset_count(rs)));
	/* no rule looks at fork or exit: the daemon may skip them */
	assert_int_equal(ruleset_event_mask(rs) & ((1u << RTMON_EV_FORK) | (1u << RTMON_EV_EXIT)), 0);
	ruleset_free(rs);
}

/* A small process table over a recording: lineage the way the daemon builds it. */
struct proc {
	uint32_t pid, ppid, uid;
	bool setuid_image;
	char comm[RTMON_COMM_MAX + 1];
	char exe[256];
	char filename[256];
};

struct replay {
	struct proc procs[64];
	size_t n;
};

static struct proc *proc_get(struct replay *rp, uint32_t pid, bool create)
{
	for (size_t i = 0; i < rp->n; i++)
		if (rp->procs[i].pid == pid)
			return &rp->procs[i];
	if (!create || rp->n == 64)
		return NULL;
	memset(&rp->procs[rp->n], 0, sizeof(rp->procs[0]));
	rp->procs[rp->n].pid = pid;
	return &rp->procs[rp->n++];
}

static void proc_update(struct replay *rp, const struct rtmon_event *e)
{
	struct proc *p, *par;

	if (e->type != RTMON_EV_EXEC && e->type != RTMON_EV_FORK) {
		/* as proctab.c: the real uid is kept current by every event */
		if ((p = proc_get(rp, e->pid, false)) && (e->has & RTMON_HAS_UID))
			p->uid = e->uid;
		return;
	}
	p = proc_get(rp, e->pid, true);
	if (!p)
		return;
	par = e->type == RTMON_EV_FORK ? proc_get(rp, e->ppid, false) : NULL;
	p->ppid = e->ppid;
	p->uid = e->uid;
	if (par) {
		memcpy(p->comm, par->comm, sizeof(p->comm));
		memcpy(p->exe, par->exe, sizeof(p->exe));
		memcpy(p->filename, par->filename, sizeof(p->filename));
		p->setuid_image = par->setuid_image;
	}
	if (e->type == RTMON_EV_EXEC)
		p->setuid_image = e->exe_setuid;
	/* as proctab.c: after "#!/usr/bin/env node" the script stays the filename */
	if (e->type == RTMON_EV_EXEC &&
	    !(strcmp(p->exe, "/usr/bin/env") == 0 && p->filename[0] &&
	      strcmp(strrchr(p->filename, '/') ? strrchr(p->filename, '/') + 1 : p->filename, "env") != 0))
		snprintf(p->filename, sizeof(p->filename), "%.255s", e->has & RTMON_HAS_FILENAME ? e->filename : "");
	if (e->has & RTMON_HAS_COMM)
		snprintf(p->comm, sizeof(p->comm), "%s", e->comm);
	if (e->has & RTMON_HAS_EXE)
		snprintf(p->exe, sizeof(p->exe), "%.255s", e->exe);
}

static size_t proc_lineage(struct replay *rp, uint32_t ppid, struct rtmon_ancestor *out, size_t max)
{
	size_t n = 0;
	struct proc *p;

	while (n < max && ppid && (p = proc_get(rp, ppid, false))) {
		out[n].pid = p->pid;
		out[n].uid = p->uid;
		out[n].comm = p->comm;
		out[n].exe = p->exe[0] ? p->exe : NULL;
		out[n].program = NULL;
		out[n].filename = p->filename[0] ? p->filename : NULL;
		n++;
		ppid = p->ppid;
	}
	return n;
}

/* Runs a recording; returns the rule ids that fired as " id1 id2 " (sorted, unique). */
static void run_recording(const struct rtmon_ruleset *rs, const char *path, char *fired, size_t len, char *expect,
			  size_t elen)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct replay *rp = calloc(1, sizeof(*rp));
	char ids[32][64];
	size_t n_ids = 0;
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");

	assert_non_null(f);
	expect[0] = '\0';
	while (getline(&line, &cap, f) > 0) {
		struct rtmon_ancestor lin[RTMON_LINEAGE_MAX];
		struct rtmon_container c;
		struct rtmon_match m[8];
		struct rtmon_eval_ctx ctx = { .ev = e, .lineage = lin };
		size_t k;

		if (strncmp(line, "# expect:", 9) == 0) {
			snprintf(expect, elen, "%s", line + 9);
			expect[strcspn(expect, "\n")] = '\0';
			continue;
		}
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (fmt_event_from_json(line, e) < 0)
			fail_msg("%s: not an event: %s", path, line);
		event_resolve_program(e); /* as proctab_enrich() does in the daemon */
		if (e->has & RTMON_HAS_CONTAINER) {
			memset(&c, 0, sizeof(c));
			snprintf(c.id, sizeof(c.id), "%s", e->container_id);
			ctx.container = &c;
		}
		if (e->type != RTMON_EV_EXEC && !(e->has & RTMON_HAS_FILENAME)) {
			struct proc *self = proc_get(rp, e->pid, false);

			if (self && self->filename[0]) {
				snprintf(e->filename, sizeof(e->filename), "%s", self->filename);
				e->has |= RTMON_HAS_FILENAME;
			}
		}
		ctx.n_lineage = proc_lineage(rp, e->ppid, lin, RTMON_LINEAGE_MAX);
		ctx.prev_uid = -1;
		if (e->type != RTMON_EV_FORK) {
			struct proc *self = proc_get(rp, e->pid, false);

			ctx.prev_uid = self ? (int64_t)self->uid : -1;
			ctx.setuid_image = self && self->setuid_image;
		}
		if (e->type == RTMON_EV_EXEC) {
			struct proc *self = proc_get(rp, e->pid, false);

			ctx.prev_exe = self && self->exe[0] ? self->exe : NULL;
		}
		k = ruleset_eval(rs, &ctx, m, 8);
		for (size_t i = 0; i < k; i++) {
			bool seen = false;

			for (size_t j = 0; j < n_ids; j++)
				seen |= strcmp(ids[j], m[i].rule->id) == 0;
			if (!seen && n_ids < 32)
				snprintf(ids[n_ids++], sizeof(ids[0]), "%s", m[i].rule->id);
			fprintf(stderr, "  %s: %s: %s%s%s\n", strrchr(path, '/') + 1, m[i].rule->id, m[i].reason,
				m[i].addr[0] ? " addr=" : "", m[i].addr);
		}
		proc_update(rp, e);
	}
	free(line);
	fclose(f);
	qsort(ids, n_ids, sizeof(ids[0]), (int (*)(const void *, const void *))strcmp);
	fired[0] = '\0';
	for (size_t i = 0; i < n_ids; i++)
		snprintf(fired + strlen(fired), len - strlen(fired), "%s%s", i ? " " : "", ids[i]);
	free(rp);
	free(e);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void unit__recordings__each_default_rule_fires_and_near_miss_quiet(void **state)
{
	struct rtmon_ruleset *rs = default_rules();
	char dir[1024], path[2048], fired[1024], expect[1024];
	char *names[256];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/data", srcdir());
	d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d)) && n < 256) {
		size_t l = strlen(de->d_name);

		if (l > 6 && strcmp(de->d_name + l - 6, ".jsonl") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	/* every rule has a firing and a near-miss recording */
	for (size_t i = 0; i < ruleset_count(rs); i++) {
		const char *id = ruleset_rule(rs, i)->id;
		bool fire = false, miss = false;

		for (size_t k = 0; k < n; k++) {
			size_t il = strlen(id);

			if (strncmp(names[k], id, il) == 0 && names[k][il] == '.') {
				fire |= strncmp(names[k] + il, ".fire", 5) == 0;
				miss |= strncmp(names[k] + il, ".miss", 5) == 0;
			}
		}
		if (!fire || !miss)
			fail_msg("rule %s lacks a %s recording in tests/data", id, fire ? "near-miss" : "firing");
	}
	for (size_t k = 0; k < n; k++) {
		char *want;

		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		run_recording(rs, path, fired, sizeof(fired), expect, sizeof(expect));
		want = expect;
		while (*want == ' ')
			want++;
		if (strcmp(fired, want) != 0)
			fail_msg("%s: fired [%s], expected [%s]", names[k], fired, want);
		free(names[k]);
	}
	ruleset_free(rs);
}

/* ---- issue 16: indirection (ld.so, busybox), args_truncated, the kernel's ptrace relation ---- */

static void ev_launch(struct rtmon_event *e, const char *exe, const char *const *argv)
{
	ev_exec(e);
	strcpy(e->exe, exe);
	e->args_len = e->argc = 0;
	e->args[0] = 0;
	for (size_t i = 0; argv[i]; i++)
		event_add_arg(e, argv[i]);
	event_resolve_program(e);
}

static bool cond_true(const char *cond, const struct rtmon_event *e)
{
	struct rtmon_ruleset *rs = compile_cond(cond, "\"exec\", \"ptrace\"");
	bool r = eval1(rs, e, NULL, NULL);

	ruleset_free(rs);
	return r;
}

/* The default rule 'id' fires on e (with lineage_std). */
static bool default_fires(const struct rtmon_ruleset *rs, const char *id, const struct rtmon_event *e)
{
	struct rtmon_eval_ctx ctx = { .ev = e, .lineage = lineage_std, .n_lineage = 3 };
	struct rtmon_match m[8];
	size_t n = ruleset_eval(rs, &ctx, m, 8);

	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].rule->id, id) == 0)
			return true;
	return false;
}

static void unit__indirection__program_is_what_rules_see(void **state)
{
	static const char *const ld_bash[] = {
		"/lib64/ld-linux-x86-64.so.2", "--preload", "/x.so", "/bin/bash", "-i", NULL
	};
	static const char *const ld_rel[] = { "/lib64/ld-linux-x86-64.so.2", "./payload", NULL };
	static const char *const ld_list[] = { "ld.so", "--list", NULL };
	static const char *const bb_link[] = { "-sh", NULL };
	static const char *const bb_cmd[] = { "busybox", "sh", "-c", "id", NULL };
	static const char *const bb_opt[] = { "busybox", "--list", NULL };
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_ruleset *rs = default_rules();

	(void)state;
	ev_launch(e, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ld_bash);
	assert_string_equal(e->program, "/bin/bash");
	assert_true(cond_true("exe_base = bash and exe = /bin/bash and program = /bin/bash", e));
	assert_string_equal(e->exe,
			    "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"); /* the event keeps the kernel's */
	assert_true(default_fires(rs, "reverse_shell", e)); /* a shell on a socket, through the loader */
	ev_launch(e, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ld_rel);
	assert_string_equal(e->program, "/home/u/payload");
	ev_launch(e, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", ld_list);
	assert_false(e->has & RTMON_HAS_PROGRAM);
	assert_true(cond_true("exe_base = 'ld-linux-x86-64.so.2' and not program", e));

	ev_launch(e, "/usr/bin/busybox", bb_link);
	assert_string_equal(e->program, "sh");
	assert_true(cond_true("exe_base = sh and exe = /usr/bin/busybox", e));
	assert_true(default_fires(rs, "reverse_shell", e));
	ev_launch(e, "/usr/bin/busybox", bb_cmd);
	assert_string_equal(e->program, "sh");
	assert_true(default_fires(rs, "reverse_shell", e));
	ev_launch(e, "/usr/bin/busybox", bb_opt);
	assert_false(e->has & RTMON_HAS_PROGRAM);
	assert_true(cond_true("exe_base = busybox", e));
	/* the program behind a plain binary is the binary: nothing to resolve */
	ev_exec(e);
	event_resolve_program(e);
	assert_false(e->has & RTMON_HAS_PROGRAM);
	ruleset_free(rs);
	free(e);
}

static void unit__args_truncated__a_rule_field(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	char big[3000];

	(void)state;
	ev_exec(e);
	assert_true(cond_true("not args_truncated", e));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	event_add_arg(e, big);
	event_add_arg(e, big); /* does not fit in the 4 KiB capture */
	assert_true(e->args_truncated);
	assert_true(cond_true("args_truncated", e));
	free(e);
}

static void ev_ptrace(struct rtmon_event *e, int64_t req, bool kernel_child, bool kernel_parent, uint32_t table_ppid)
{
	event_reset(e);
	e->type = RTMON_EV_PTRACE;
	e->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_COMM | RTMON_HAS_EXE | RTMON_HAS_PTRACE |
		 RTMON_HAS_TARGET_PPID | RTMON_HAS_PTRACE_REL;
	e->pid = 5000;
	e->ppid = 1000;
	strcpy(e->comm, "python3");
	strcpy(e->exe, "/usr/bin/python3.11");
	e->ptrace_request = req;
	e->target_pid = 5001;
	e->target_ppid = table_ppid;
	e->target_is_child = kernel_child;
	e->target_is_parent = kernel_parent;
}

static void unit__ptrace__kernel_relation_and_writes_into_a_child(void **state)
{
	struct rtmon_event *e = calloc(1, sizeof(*e));
	struct rtmon_ruleset *rs = default_rules();

	(void)state;
	/* a debugger attaching to what it started: quiet; writing into it: injection */
	ev_ptrace(e, 16 /* ATTACH */, true, false, 5000);
	assert_false(default_fires(rs, "injection_attempt", e));
	ev_ptrace(e, 0x4206 /* SEIZE */, true, false, 5000);
	assert_false(default_fires(rs, "injection_attempt", e));
	ev_ptrace(e, 5 /* POKEDATA */, true, false, 5000);
	assert_true(default_fires(rs, "injection_attempt", e));
	ev_ptrace(e, 13 /* SETREGS */, true, false, 5000);
	assert_true(default_fires(rs, "injection_attempt", e));
	ev_ptrace(e, 0x4205 /* SETREGSET */, true, false, 5000);
	assert_true(default_fires(rs, "injection_attempt", e));
	ev_ptrace(e, 6 /* POKEUSER */, true, false, 5000);
	assert_true(default_fires(rs, "injection_attempt", e));
	/* the kernel's relation wins over a stale table: reparented after a double fork */
	ev_ptrace(e, 16, false, false, 5000);
	assert_true(cond_true("not target_is_child", e));
	assert_true(default_fires(rs, "injection_attempt", e));
	/* adopted by a subreaper: the table still names the dead middle process */
	ev_ptrace(e, 16, true, false, 4999);
	assert_false(default_fires(rs, "injection_attempt", e));
	/* the parent, as the kernel says (LeakSanitizer's tracer) */
	ev_ptrace(e, 16, false, true, 1);
	assert_false(default_fires(rs, "injection_attempt", e));
	/* without the kernel's relation (old recordings): the table's */
	ev_ptrace(e, 16, false, false, 5000);
	e->has &= ~RTMON_HAS_PTRACE_REL;
	assert_true(cond_true("target_is_child", e));
	ruleset_free(rs);
	free(e);
}

struct seen_pats {
	char pat[8][64];
	uint32_t ops[8];
	size_t n;
};

static int collect_pat(void *ud, const char *pattern, uint32_t ops)
{
	struct seen_pats *s = ud;

	if (s->n < 8) {
		snprintf(s->pat[s->n], sizeof(s->pat[0]), "%s", pattern);
		s->ops[s->n++] = ops;
	}
	return 0;
}

/* The watch list is what the file rules compare `path` with, for the file_op values they name. */
static void unit__file_watch__patterns_and_ops_from_the_rules(void **state)
{
	struct rtmon_ruleset *rs;
	struct seen_pats s = { .n = 0 };

	(void)state;
	rs = compile_cond("file_op in (write, rename_to) and path glob ('/etc/cron.d/*', '/etc/x') "
			  "and not path glob '/etc/cron.d/skip*' and not path startswith '/etc/no'",
			  "\"file\"");
	assert_int_equal(ruleset_file_patterns(rs, collect_pat, &s), 0);
	ruleset_free(rs);
	assert_int_equal(s.n, 2); /* patterns under 'not' are exclusions, never watched */
	assert_string_equal(s.pat[0], "/etc/cron.d/*");
	assert_string_equal(s.pat[1], "/etc/x");
	assert_int_equal(s.ops[0], 0x2 | 0x20);
	/* no file_op named: every access; startswith is a prefix pattern; exec-only rules add nothing */
	s.n = 0;
	rs = compile_cond("path startswith '/var/log/'", "\"file\"");
	assert_int_equal(ruleset_file_patterns(rs, collect_pat, &s), 0);
	ruleset_free(rs);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.pat[0], "/var/log/*");
	assert_int_equal(s.ops[0], 0x3f);
	s.n = 0;
	rs = compile_cond("exe glob '/tmp/*'", "\"exec\"");
	assert_int_equal(ruleset_file_patterns(rs, collect_pat, &s), 0);
	ruleset_free(rs);
	assert_int_equal(s.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit__exec_conditions__evaluate_as_documented),
		cmocka_unit_test(unit__connect_conditions__cidr_v6_and_ports),
		cmocka_unit_test(unit__mmap_conditions__flag_tests),
		cmocka_unit_test(unit__container_fields__present_only_in_containers),
		cmocka_unit_test(unit__event_filter__rule_skips_other_types),
		cmocka_unit_test(unit__reason_and_addr__name_matched_values),
		cmocka_unit_test(unit__exceptions__suppress_without_touching_condition),
		cmocka_unit_test(unit__bad_rules__exact_file_line_message),
		cmocka_unit_test(unit__several_errors__all_reported),
		cmocka_unit_test(unit__default_rules__compile_with_ids_and_mitre),
		cmocka_unit_test(unit__recordings__each_default_rule_fires_and_near_miss_quiet),
		cmocka_unit_test(unit__indirection__program_is_what_rules_see),
		cmocka_unit_test(unit__args_truncated__a_rule_field),
		cmocka_unit_test(unit__ptrace__kernel_relation_and_writes_into_a_child),
		cmocka_unit_test(unit__file_watch__patterns_and_ops_from_the_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
