/* SPDX-License-Identifier: MIT */
/*
 * test_config: defaults, section-wise merge with the built-in default, list
 * merge and out-of-rule exceptions, -o overrides, syslog URL / facility
 * parsing, and each class of bad configuration giving the exact
 * "FILE:LINE: message".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char tmpdir[] = "/tmp/rtmon-test-config-XXXXXX";
static int nfile;

static const char *write_conf(const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/c%d.conf", tmpdir, nfile++);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int load(const char *text, const char *const *ov, size_t n_ov, struct rtmon_config **c, struct rtmon_diag *d,
		const char **ret_path)
{
	const char *p = text ? write_conf(text) : NULL;

	if (ret_path)
		*ret_path = p;
	memset(d, 0, sizeof(*d));
	*c = NULL;
	return config_load(p, ov, n_ov, c, d);
}

static void dump(const struct rtmon_diag *d)
{
	char line[600];

	for (size_t i = 0; i < d->n; i++) {
		diag_format(&d->items[i], line, sizeof(line));
		fprintf(stderr, "  diag: %s\n", line);
	}
}

static bool fires(const struct rtmon_config *c, const char *rule, const struct rtmon_event *e)
{
	struct rtmon_eval_ctx ctx = { .ev = e };
	struct rtmon_match m[16];
	size_t n = ruleset_eval(c->rules, &ctx, m, 16);

	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].rule->id, rule) == 0)
			return true;
	return false;
}

static void connect_event(struct rtmon_event *e, const char *addr, uint16_t port)
{
	memset(e, 0, sizeof(*e));
	e->type = RTMON_EV_CONNECT;
	e->has = RTMON_HAS_EXE | RTMON_HAS_COMM | RTMON_HAS_NET;
	e->pid = 10;
	strcpy(e->exe, "/usr/bin/curl");
	strcpy(e->comm, "curl");
	e->family = AF_INET;
	snprintf(e->dst_addr, sizeof(e->dst_addr), "%s", addr);
	e->dst_port = port;
}

static void unit__builtin_only__documented_defaults(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;

	assert_int_equal(load(NULL, NULL, 0, &c, &d, NULL), 0);
	assert_int_equal(d.n, 0);
	assert_true(c->builtin);
	assert_string_equal(c->path, "(built-in)");
	assert_int_equal(c->bpf.ringbuf_kb, 2048);
	assert_int_equal(c->bpf.wakeup_kb, 256);
	assert_int_equal(c->bpf.poll_ms, 10);
	assert_int_equal(c->bpf.fold_window_ms, 1000);
	assert_false(c->bpf.file_exec_mmap);
	assert_true(c->bpf.probe_connect && c->bpf.probe_ptrace && c->bpf.probe_memfd && c->bpf.probe_mmap &&
		    c->bpf.probe_mprotect && c->bpf.probe_vm_writev && c->bpf.probe_dup);
	assert_false(c->outputs.stdout_json);
	assert_true(c->outputs.journal);
	assert_int_equal(c->outputs.n_syslog, 0);
	assert_false(c->outputs.sse.enabled);
	assert_string_equal(c->outputs.sse.listen, "127.0.0.1:8090");
	assert_string_equal(c->outputs.sse.token, "");
	assert_string_equal(c->outputs.sse.dashboard_dir, "");
	assert_non_null(c->outputs.sse.allowed_origins);
	assert_null(c->outputs.sse.allowed_origins[0]);
	assert_int_equal(c->outputs.sse.max_clients, 64);
	assert_int_equal(c->outputs.sse.history, 1024);
	assert_int_equal(c->outputs.sse.client_buffer_kb, 1024);
	assert_int_equal(c->outputs.sse.keepalive_s, 15);
	assert_int_equal(c->process.max_processes, 32768);
	assert_string_equal(c->process.hostname, "");
	assert_string_equal(c->process.cgroup_root, "");
	assert_string_equal(c->process.pods_log_dir, "/var/log/pods");
	assert_int_equal(c->alerting.fold_window_ns, 60ull * 1000000000ull);
	assert_int_equal(c->alerting.rate_limit, 30);
	assert_int_equal(c->alerting.rate_window_ns, 60ull * 1000000000ull);
	assert_int_equal(c->alerting.max_keys, 4096);
	assert_true(ruleset_count(c->rules) >= 10);
	assert_null(config_free(c));
}

static void unit__missing_default_path__builtin_with_warning(void **state)
{
	struct rtmon_config *c = NULL;
	struct rtmon_diag d = { 0 };
	char line[600];

	if (access(RTMON_DEFAULT_CONFIG, F_OK) == 0)
		skip();
	assert_int_equal(config_load(RTMON_DEFAULT_CONFIG, NULL, 0, &c, &d), 0);
	assert_true(c->builtin);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.errors, 0);
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(
		line,
		"/etc/rtmon/rtmon.conf: warning: not found, running the built-in default configuration: "
		"outputs on: journal; off: stdout syslog (no SIEM forwarding) sse (create the file to configure them)");
	config_free(c);
}

static void unit__missing_other_file__error(void **state)
{
	struct rtmon_config *c = NULL;
	struct rtmon_diag d = { 0 };
	char line[600];

	assert_int_equal(config_load("/nonexistent/rtmon.conf", NULL, 0, &c, &d), -EINVAL);
	assert_null(c);
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(line, "/nonexistent/rtmon.conf: cannot read the configuration: No such file or directory");
}

static void unit__file_with_outputs_only__keeps_default_rules_and_bpf(void **state)
{
	struct rtmon_config *c, *b;
	struct rtmon_diag d;
	const char *p;

	assert_int_equal(load(NULL, NULL, 0, &b, &d, NULL), 0);
	assert_int_equal(load("outputs = { stdout = true; journal = false; sse = { enabled = true; }; };\n", NULL, 0,
			      &c, &d, &p),
			 0);
	assert_false(c->builtin);
	assert_string_equal(c->path, p);
	assert_true(c->outputs.stdout_json);
	assert_false(c->outputs.journal);
	assert_true(c->outputs.sse.enabled);
	/* keys the section omits get their defaults */
	assert_string_equal(c->outputs.sse.listen, "127.0.0.1:8090");
	assert_int_equal(c->outputs.n_syslog, 0);
	assert_int_equal(c->bpf.ringbuf_kb, 2048);
	assert_int_equal(ruleset_count(c->rules), ruleset_count(b->rules));
	assert_string_equal(ruleset_rule(c->rules, 0)->id, "reverse_shell");
	config_free(b);
	config_free(c);
}

static void unit__user_lists_and_exceptions__tune_default_rules(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;
	struct rtmon_event e;

	assert_int_equal(load(NULL, NULL, 0, &c, &d, NULL), 0);
	connect_event(&e, "203.0.113.5", 4444);
	assert_true(fires(c, "reverse_shell", &e));
	connect_event(&e, "203.0.113.5", 5555);
	assert_false(fires(c, "reverse_shell", &e));
	config_free(c);

	/* a list of the same name replaces the default's; other lists stay */
	assert_int_equal(load("lists = { c2_ports = [ 5555 ]; };\n", NULL, 0, &c, &d, NULL), 0);
	assert_true(fires(c, "reverse_shell", &e));
	connect_event(&e, "203.0.113.5", 4444);
	assert_false(fires(c, "reverse_shell", &e));
	/* loopback (another default list) still excluded */
	connect_event(&e, "127.0.0.1", 5555);
	assert_false(fires(c, "reverse_shell", &e));
	config_free(c);

	assert_int_equal(
		load("exceptions = { reverse_shell = ( \"exe = /usr/bin/curl\" ); };\n", NULL, 0, &c, &d, NULL), 0);
	connect_event(&e, "203.0.113.5", 4444);
	assert_false(fires(c, "reverse_shell", &e));
	config_free(c);
}

static void unit__user_rules__replace_default_rules(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;

	assert_int_equal(load("rules = ( { id = \"mine\"; severity = \"low\"; events = [\"exec\"]; "
			      "condition = \"exe_base in shell_interpreters\"; } );\n",
			      NULL, 0, &c, &d, NULL),
			 0);
	assert_int_equal(ruleset_count(c->rules), 1);
	assert_string_equal(ruleset_rule(c->rules, 0)->id, "mine");
	config_free(c);
}

static void unit__syslog_entries__url_and_facility_parsed(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;

	assert_int_equal(
		load("outputs = { syslog = (\n"
		     " { url = \"udp://10.0.0.1\"; },\n"
		     " { url = \"tcp://siem.example:1514\"; facility = \"local3\"; },\n"
		     " { url = \"tls://[2001:db8::1]\"; facility = 10; ca_file = \"/etc/passwd\"; pen = 12345;\n"
		     "   tls_verify_hostname = false; spool_dir = \"/var/spool/rtmon\"; spool_max_kb = 1024; },\n"
		     " { url = \"relp://[::1]:2515\"; bom = true; udp_max = 1200; queue_max = 5; }\n"
		     "); };\n",
		     NULL, 0, &c, &d, NULL),
		0);
	assert_int_equal(c->outputs.n_syslog, 4);
	assert_int_equal(c->outputs.syslog[0].proto, RTMON_SYSLOG_UDP);
	assert_string_equal(c->outputs.syslog[0].host, "10.0.0.1");
	assert_int_equal(c->outputs.syslog[0].port, 514);
	assert_int_equal(c->outputs.syslog[0].facility, 4);
	assert_int_equal(c->outputs.syslog[0].pen, 32473);
	assert_true(c->outputs.syslog[0].tls_verify_hostname);
	assert_int_equal(c->outputs.syslog[0].udp_max, 2048);
	assert_string_equal(c->outputs.syslog[0].ca_file, "");
	assert_int_equal(c->outputs.syslog[1].proto, RTMON_SYSLOG_TCP);
	assert_string_equal(c->outputs.syslog[1].host, "siem.example");
	assert_int_equal(c->outputs.syslog[1].port, 1514);
	assert_int_equal(c->outputs.syslog[1].facility, 19);
	assert_int_equal(c->outputs.syslog[2].proto, RTMON_SYSLOG_TLS);
	assert_string_equal(c->outputs.syslog[2].host, "2001:db8::1");
	assert_int_equal(c->outputs.syslog[2].port, 6514);
	assert_int_equal(c->outputs.syslog[2].facility, 10);
	assert_string_equal(c->outputs.syslog[2].ca_file, "/etc/passwd"); /* an existing file */
	assert_int_equal(c->outputs.syslog[2].pen, 12345);
	assert_false(c->outputs.syslog[2].tls_verify_hostname);
	assert_string_equal(c->outputs.syslog[2].spool_dir, "/var/spool/rtmon");
	assert_int_equal(c->outputs.syslog[2].spool_max_bytes, 1024 * 1024);
	assert_int_equal(c->outputs.syslog[3].proto, RTMON_SYSLOG_RELP);
	assert_string_equal(c->outputs.syslog[3].host, "::1");
	assert_int_equal(c->outputs.syslog[3].port, 2515);
	assert_true(c->outputs.syslog[3].bom);
	assert_int_equal(c->outputs.syslog[3].udp_max, 1200);
	assert_int_equal(c->outputs.syslog[3].queue_max, 5);
	assert_string_equal(c->outputs.syslog[3].url, "relp://[::1]:2515");
	config_free(c);
}

static void unit__overrides__set_existing_and_new_scalars(void **state)
{
	const char *ov[] = { "outputs.sse.enabled=true", "outputs.sse.listen=127.0.0.1:18090",
			     "bpf.ringbuf_kb=64",	 "bpf.probes.dup=false",
			     "alerting.rate_limit=0",	 "process.hostname=node-7" };
	const char *ov2[] = { "bpf.poll_ms=50", "outputs.sse.token=s3cret" };
	struct rtmon_config *c;
	struct rtmon_diag d;

	assert_int_equal(load(NULL, ov, 6, &c, &d, NULL), 0);
	assert_true(c->outputs.sse.enabled);
	assert_string_equal(c->outputs.sse.listen, "127.0.0.1:18090");
	assert_int_equal(c->bpf.ringbuf_kb, 64);
	assert_false(c->bpf.probe_dup);
	assert_int_equal(c->alerting.rate_limit, 0);
	assert_string_equal(c->process.hostname, "node-7");
	assert_int_equal(c->bpf.hooks, RTMON_HOOKS_AUTO); /* the default */
	config_free(c);
	/* bpf.hooks: each word, from -o and from the file */
	for (int h = RTMON_HOOKS_AUTO; h < RTMON_HOOKS_MAX; h++) {
		char o[64], text[64];
		const char *ovh[] = { o };

		snprintf(o, sizeof(o), "bpf.hooks=%s", config_hooks_name((enum rtmon_hooks)h));
		assert_int_equal(load(NULL, ovh, 1, &c, &d, NULL), 0);
		assert_int_equal(c->bpf.hooks, h);
		config_free(c);
		snprintf(text, sizeof(text), "bpf = { hooks = \"%s\"; };\n", config_hooks_name((enum rtmon_hooks)h));
		assert_int_equal(load(text, NULL, 0, &c, &d, NULL), 0);
		assert_int_equal(c->bpf.hooks, h);
		config_free(c);
	}
	assert_null(config_hooks_name(RTMON_HOOKS_MAX));
	/* the user's section lacks the keys: -o creates them with the type the value has */
	assert_int_equal(load("bpf = { };\noutputs = { sse = { }; };\n", ov2, 2, &c, &d, NULL), 0);
	assert_int_equal(c->bpf.poll_ms, 50);
	assert_string_equal(c->outputs.sse.token, "s3cret");
	config_free(c);
}

struct bad_ov {
	const char *ov;
	const char *msg;
};

static const struct bad_ov bad_ovs[] = {
	{ "outputs.sse.enabled=maybe", "-o: 'outputs.sse.enabled=maybe': 'maybe' is not a valid boolean (true/false)" },
	{ "bpf.ringbuf_kb=lots", "-o: 'bpf.ringbuf_kb=lots': 'lots' is not a valid integer" },
	{ "nosuch.x=1", "-o: 'nosuch.x=1': no such setting nosuch.x" },
	{ "bpf=1", "-o: 'bpf=1': bpf is not a scalar setting" },
	{ "noequals", "-o: 'noequals': expected PATH=VALUE, e.g. outputs.sse.enabled=true" },
	{ "outputs.sse.enabld=true", "-o: unknown key 'outputs.sse.enabld'" },
	{ "bpf.ringbuf_kb=1", "-o: bpf.ringbuf_kb: 1 out of range 64-1048576" },
};

static void unit__bad_overrides__error_naming_it(void **state)
{
	for (size_t i = 0; i < sizeof(bad_ovs) / sizeof(bad_ovs[0]); i++) {
		struct rtmon_config *c;
		struct rtmon_diag d;
		char line[600];

		assert_int_equal(load(NULL, &bad_ovs[i].ov, 1, &c, &d, NULL), -EINVAL);
		assert_null(c);
		diag_format(&d.items[0], line, sizeof(line));
		if (strcmp(line, bad_ovs[i].msg) != 0)
			fail_msg("-o %s:\n got      %s\n expected %s", bad_ovs[i].ov, line, bad_ovs[i].msg);
	}
}

struct bad_conf {
	const char *text;
	const char *msg; /* "%s" = the file */
};

#define RULE(cond) \
	"rules = (\n  { id = \"r\"; severity = \"high\"; events = [\"exec\"];\n    condition = \"" cond "\"; }\n);\n"

static const struct bad_conf bad_confs[] = {
	/* libconfig syntax errors: file, line and its text */
	{ "bpf = {\n  ringbuf_kb = = 64;\n};\n",
	  "%s:2: syntax error at or before this line (a missing ';', '}', ')' or '\"' is the usual cause)" },
	{ "outputs = {\n  stdout = true;\n  journal = ;\n};\n",
	  "%s:3: syntax error at or before this line (a missing ';', '}', ')' or '\"' is the usual cause)" },
	/* unknown keys at every level */
	{ "bfp = { };\n",
	  "%s:1: unknown key 'bfp' (sections: bpf outputs process alerting aggregate lists exceptions rules)" },
	{ "bpf = {\n  ringbuff_kb = 64;\n};\n", "%s:2: unknown key 'bpf.ringbuff_kb'" },
	{ "bpf = {\n  probes = { conect = true; };\n};\n", "%s:2: unknown key 'bpf.probes.conect'" },
	/* bpf.hooks: one of five words */
	{ "bpf = {\n  hooks = \"ebpf\";\n};\n",
	  "%s:2: bpf.hooks must be one of \"auto\", \"lsm\", \"fentry\", \"kprobe\", \"tracepoint\"" },
	{ "bpf = {\n  hooks = 2;\n};\n",
	  "%s:2: bpf.hooks must be one of \"auto\", \"lsm\", \"fentry\", \"kprobe\", \"tracepoint\"" },
	{ "outputs = {\n  sse = {\n    enable = true;\n  };\n};\n", "%s:3: unknown key 'outputs.sse.enable'" },
	{ "outputs = {\n  syslog = ( { url = \"udp://h\"; facilty = \"auth\"; } );\n};\n",
	  "%s:2: unknown key 'outputs.syslog[0].facilty'" },
	/* wrong types, out of range */
	{ "bpf = {\n  ringbuf_kb = \"big\";\n};\n", "%s:2: bpf.ringbuf_kb must be an integer" },
	{ "outputs = {\n  journal = 1;\n};\n", "%s:2: outputs.journal must be true or false" },
	{ "outputs = {\n  sse = { listen = 8090; };\n};\n", "%s:2: outputs.sse.listen must be a string" },
	{ "outputs = {\n  sse = { allowed_origins = [ 1 ]; };\n};\n",
	  "%s:2: outputs.sse.allowed_origins must be an array of strings" },
	{ "outputs = {\n  sse = true;\n};\n", "%s:2: outputs.sse must be a group { ... }" },
	{ "bpf = {\n  ringbuf_kb = 16;\n};\n", "%s:2: bpf.ringbuf_kb: 16 out of range 64-1048576" },
	{ "alerting = {\n  rate_window_s = 0;\n};\n", "%s:2: alerting.rate_window_s: 0 out of range 1-86400" },
	/* syslog url and facility */
	{ "outputs = {\n  syslog = ( { url = \"http://h:514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'http://h:514': scheme must be udp://, tcp://, tls:// or "
	  "relp://" },
	{ "outputs = {\n  syslog = ( { url = \"tcp://h:99999\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'tcp://h:99999': bad port (1-65535)" },
	{ "outputs = {\n  syslog = ( { url = \"tcp://:514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'tcp://:514': missing host" },
	{ "outputs = {\n  syslog = ( { url = \"tls://[::1:6514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'tls://[::1:6514': unterminated [IPv6] host" },
	{ "outputs = {\n  syslog = ( { url = \"udp://::1:514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'udp://::1:514': IPv6 host must be in brackets" },
	{ "outputs = {\n  syslog = ( { url = \"udp://h\"; facility = \"authh\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].facility: unknown syslog facility (kern user mail daemon auth syslog lpr news uucp "
	  "cron authpriv ftp local0-local7, or 0-23)" },
	{ "outputs = {\n  syslog = ( { url = \"udp://h\"; facility = 24; } );\n};\n",
	  "%s:2: outputs.syslog[0].facility: unknown syslog facility (kern user mail daemon auth syslog lpr news uucp "
	  "cron authpriv ftp local0-local7, or 0-23)" },
	{ "outputs = {\n  syslog = ( { facility = \"auth\"; } );\n};\n", "%s:2: outputs.syslog[0]: missing 'url'" },
	/* what start-up and reload refuse, short of opening sockets (issue 21: --check-config said OK) */
	{ "outputs = {\n  sse = { enabled = true;\n    listen = \"127.0.0.1:80900\"; };\n};\n",
	  "%s:3: outputs.sse.listen: '127.0.0.1:80900' is not ADDRESS:PORT or [IPV6]:PORT (a numeric address or "
	  "localhost, port 0-65535)" },
	{ "outputs = {\n  sse = { enabled = true;\n    listen = \"localhost8090\"; };\n};\n",
	  "%s:3: outputs.sse.listen: 'localhost8090' is not ADDRESS:PORT or [IPV6]:PORT (a numeric address or "
	  "localhost, port 0-65535)" },
	{ "outputs = {\n  sse = { enabled = true;\n    listen = \"999.1.1.1:8090\"; };\n};\n",
	  "%s:3: outputs.sse.listen: '999.1.1.1:8090' is not ADDRESS:PORT or [IPV6]:PORT (a numeric address or "
	  "localhost, port 0-65535)" },
	{ "outputs = {\n  sse = { enabled = true;\n    listen = \"127.0.0.1:notaport\"; };\n};\n",
	  "%s:3: outputs.sse.listen: '127.0.0.1:notaport' is not ADDRESS:PORT or [IPV6]:PORT (a numeric address or "
	  "localhost, port 0-65535)" },
	{ "outputs = {\n  sse = { listen = \"::1:8090\"; };\n};\n",
	  "%s:2: outputs.sse.listen: '::1:8090' is not ADDRESS:PORT or [IPV6]:PORT (a numeric address or localhost, "
	  "port 0-65535)" },
	{ "outputs = {\n  sse = { enabled = true;\n    listen = \"0.0.0.0:8090\"; };\n};\n",
	  "%s:3: outputs.sse.listen: '0.0.0.0:8090' is not loopback and outputs.sse.token is empty: alerts would be "
	  "readable from the network (set a token or listen on 127.0.0.1)" },
	{ "outputs = {\n  syslog = ( { url = \"tcp://bad host:6514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'tcp://bad host:6514': the host may only have letters, digits, "
	  "'.', '-' and '_'" },
	{ "outputs = {\n  syslog = ( { url = \"tls://[fe80::zz]:6514\"; } );\n};\n",
	  "%s:2: outputs.syslog[0].url: bad syslog url 'tls://[fe80::zz]:6514': not an IPv6 address in [ ]" },
	{ "outputs = {\n  syslog = ( { url = \"tls://h:6514\";\n    ca_file = \"/nonexistent/ca.pem\"; } );\n};\n",
	  "%s:3: outputs.syslog[0].ca_file: cannot use '/nonexistent/ca.pem': No such file or directory" },
	{ "outputs = {\n  syslog = ( { url = \"tls://h:6514\";\n    key_file = \"/tmp\"; } );\n};\n",
	  "%s:3: outputs.syslog[0].key_file: '/tmp' is not a regular file" },
	/* rules */
	{ RULE("dst_addr in (10.0.0.0/33)"),
	  "%s:3: rule 'r': condition: bad address or CIDR '10.0.0.0/33' for field 'dst_addr'" },
	{ RULE("exe_bse = bash"), "%s:3: rule 'r': condition: unknown field 'exe_bse'" },
	{ RULE("exe matches bash"), "%s:3: rule 'r': condition: unknown operator 'matches'" },
	{ "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; },\n"
	  " { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = b\"; }\n);\n",
	  "%s:3: duplicate rule id 'r' (first defined at line 2)" },
	{ "rules = (\n { id = \"r\"; severity = \"high\"; events = [\"exec\"]; condition = \"exe = a\"; tags = "
	  "[\"x\"]; }\n);\n",
	  "%s:2: rule 'r': unknown rule key 'tags'" },
	/* a user list that breaks a default rule is reported at the default rule's line */
	{ "exceptions = {\n  reverse_shell = ( \"exe in\" );\n};\n",
	  "%s:2: rule 'reverse_shell': exception: expected a value, got 'end of condition'" },
};

static void unit__bad_configs__exact_file_line_message(void **state)
{
	for (size_t i = 0; i < sizeof(bad_confs) / sizeof(bad_confs[0]); i++) {
		struct rtmon_config *c;
		struct rtmon_diag d;
		char line[600], want[600];
		const char *p;
		int r = load(bad_confs[i].text, NULL, 0, &c, &d, &p);

		if (r != -EINVAL) {
			dump(&d);
			fail_msg("row %zu loaded (%d):\n%s", i, r, bad_confs[i].text);
		}
		assert_null(c);
		assert_true(d.errors >= 1);
		diag_format(&d.items[0], line, sizeof(line));
		/* the table's "%s" is the file */
		const char *pct = strstr(bad_confs[i].msg, "%s");
		snprintf(want, sizeof(want), "%.*s%s%s", (int)(pct - bad_confs[i].msg), bad_confs[i].msg, p, pct + 2);
		if (strcmp(line, want) != 0)
			fail_msg("row %zu:\n got      %s\n expected %s", i, line, want);
	}
}

/* outputs.syslog with n entries, the list opening on line 2 */
static char *syslog_list(int n)
{
	char *buf = malloc(64 + (size_t)n * 40), *w = buf;

	w += sprintf(w, "outputs = {\n  syslog = (\n");
	for (int i = 0; i < n; i++)
		w += sprintf(w, "    { url = \"udp://127.0.0.1:%d\"; }%s\n", 1000 + i, i + 1 < n ? "," : "");
	sprintf(w, "  );\n};\n");
	return buf;
}

/* A 33rd sink used to vanish silently at start-up: the config refuses more syslog entries than fit. */
static void unit__syslog_entries__bounded_by_the_sink_table(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;
	char line[600], want[600], *text = syslog_list(RTMON_SYSLOG_MAX);
	const char *p;

	assert_int_equal(load(text, NULL, 0, &c, &d, NULL), 0);
	assert_int_equal(c->outputs.n_syslog, RTMON_SYSLOG_MAX);
	config_free(c);
	free(text);
	text = syslog_list(RTMON_SYSLOG_MAX + 1);
	assert_int_equal(load(text, NULL, 0, &c, &d, &p), -EINVAL);
	assert_null(c);
	diag_format(&d.items[0], line, sizeof(line));
	snprintf(want, sizeof(want), "%s:2: outputs.syslog: 30 entries, at most 29", p);
	assert_string_equal(line, want);
	free(text);
}

/* from memory: the same checks, the given name in place of the file */
static void unit__from_string__same_errors_named(void **state)
{
	struct rtmon_config *c = NULL;
	struct rtmon_diag d = { 0 };
	char line[600];

	assert_int_equal(config_load_string("mem.conf", "outputs = {\n  journal = 1;\n};\n", NULL, 0, &c, &d), -EINVAL);
	assert_null(c);
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(line, "mem.conf:2: outputs.journal must be true or false");
	d = (struct rtmon_diag){ 0 };
	assert_int_equal(config_load_string("mem.conf", "bpf = {\n  ringbuf_kb = = 64;\n};\n", NULL, 0, &c, &d),
			 -EINVAL);
	diag_format(&d.items[0], line, sizeof(line));
	assert_string_equal(
		line,
		"mem.conf:2: syntax error at or before this line (a missing ';', '}', ')' or '\"' is the usual cause)");
	d = (struct rtmon_diag){ 0 };
	assert_int_equal(config_load_string("mem.conf", "outputs = { journal = false; };\n", NULL, 0, &c, &d), 0);
	assert_false(c->outputs.journal);
	assert_string_equal(c->path, "mem.conf");
	config_free(c);
}

static void unit__many_problems__each_reported(void **state)
{
	struct rtmon_config *c;
	struct rtmon_diag d;

	assert_int_equal(load("bpf = { ringbuf_kb = 1; poll_ms = 0; nosuch = 1; };\n"
			      "outputs = { journal = \"yes\"; };\n",
			      NULL, 0, &c, &d, NULL),
			 -EINVAL);
	assert_int_equal(d.errors, 4);
}

static void unit__shipped_file__loads_clean(void **state)
{
	char path[1024];
	struct rtmon_config *c = NULL;
	struct rtmon_diag d = { 0 };
	const char *top = getenv("top_srcdir");

	snprintf(path, sizeof(path), "%s/etc/rtmon/rtmon.conf", top && *top ? top : TOP_SRCDIR);
	assert_int_equal(config_load(path, NULL, 0, &c, &d), 0);
	dump(&d);
	assert_int_equal(d.n, 0);
	assert_false(c->builtin);
	config_free(c);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[300];

	for (int i = 0; i < nfile; i++) {
		snprintf(path, sizeof(path), "%s/c%d.conf", tmpdir, i);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unit__builtin_only__documented_defaults),
		cmocka_unit_test(unit__missing_default_path__builtin_with_warning),
		cmocka_unit_test(unit__missing_other_file__error),
		cmocka_unit_test(unit__file_with_outputs_only__keeps_default_rules_and_bpf),
		cmocka_unit_test(unit__user_lists_and_exceptions__tune_default_rules),
		cmocka_unit_test(unit__user_rules__replace_default_rules),
		cmocka_unit_test(unit__syslog_entries__url_and_facility_parsed),
		cmocka_unit_test(unit__overrides__set_existing_and_new_scalars),
		cmocka_unit_test(unit__bad_overrides__error_naming_it),
		cmocka_unit_test(unit__bad_configs__exact_file_line_message),
		cmocka_unit_test(unit__syslog_entries__bounded_by_the_sink_table),
		cmocka_unit_test(unit__from_string__same_errors_named),
		cmocka_unit_test(unit__many_problems__each_reported),
		cmocka_unit_test(unit__shipped_file__loads_clean),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
