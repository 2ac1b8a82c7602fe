/* SPDX-License-Identifier: MIT */
/*
 * Proves the aggregator's pure parts: the SSE client parser (HTTP head, chunked and plain bodies, the
 * event-stream rules, split at every byte, bad input refused), reading a node's alert JSON back, node
 * addresses, and the (host, id) dedupe.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agg_alert.h"
#include "sse_parse.h"

struct got {
	char ids[16][SSE_ID_MAX];
	char types[16][SSE_EVENT_MAX];
	char data[16][256];
	size_t n;
};

static int collect(void *ud, const struct sse_event *ev)
{
	struct got *g = ud;

	if (g->n < 16) {
		snprintf(g->ids[g->n], SSE_ID_MAX, "%s", ev->id);
		snprintf(g->types[g->n], SSE_EVENT_MAX, "%s", ev->type);
		snprintf(g->data[g->n], 256, "%s", ev->data);
		assert_int_equal(strlen(ev->data), ev->data_len);
	}
	g->n++;
	return 0;
}

#define HEAD200 "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"

/* A chunked response, as MHD sends /events: the pieces cut lines and CRLFs apart. */
static size_t make_chunked(char *out, size_t size)
{
	static const char *const pieces[] = {
		"id: 10-1\nevent: alert\ndata: {}\n\n",
		": k\r",
		"\n\nid: 10-2\r\nevent: alert\r\ndata:\r\n",
		"data: {\"a\":1}\r",
		"\n\r\n",
	};
	size_t n = (size_t)snprintf(out, size, HEAD200 "Transfer-Encoding: chunked\r\n\r\n");

	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		n += (size_t)snprintf(out + n, size - n, "%zx\r\n%s\r\n", strlen(pieces[i]), pieces[i]);
	n += (size_t)snprintf(out + n, size - n, "0\r\n\r\n");
	return n;
}

static void feed_all(const char *in, size_t len, size_t step, struct got *g, struct sse_parser *p)
{
	for (size_t i = 0; i < len; i += step)
		assert_int_equal(sse_parse_feed(p, in + i, len - i < step ? len - i : step, collect, g), 0);
}

static void parse__chunked_any_split__same_events(void **state)
{
	char chunked[512];
	size_t len = make_chunked(chunked, sizeof(chunked));

	(void)state;
	for (size_t step = 1; step <= len; step++) {
		struct sse_parser p;
		struct got g = { 0 };

		sse_parser_init(&p);
		feed_all(chunked, len, step, &g, &p);
		assert_int_equal(g.n, 2);
		assert_string_equal(g.ids[0], "10-1");
		assert_string_equal(g.types[0], "alert");
		assert_string_equal(g.data[0], "{}");
		assert_string_equal(g.ids[1], "10-2");
		/* "data:" then "data: {...}" split over two chunks: "" and the JSON joined by a newline */
		assert_string_equal(g.data[1], "\n{\"a\":1}");
		assert_true(sse_parse_finished(&p));
		assert_int_equal(p.status, 200);
		sse_parser_done(&p);
	}
}

static void parse__plain_body_cr_lf_crlf__spec_rules(void **state)
{
	static const char in[] = HEAD200 "\r\n"
					 ": keep-alive\n"
					 "data: one\rdata:two\r\n\r"   /* CR, CRLF, CR line ends; no space after ':' */
					 "id: 7-7\nevent: x\ndata\n\n" /* a field without ':' has an empty value */
					 "id: 8-8\n\n"		       /* no data: no event, but the id persists */
					 "retry: 5\nfoo: bar\ndata: z\n\n"
					 "data: unterminated";
	struct sse_parser p;
	struct got g = { 0 };

	(void)state;
	sse_parser_init(&p);
	feed_all(in, sizeof(in) - 1, 3, &g, &p);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.data[0], "one\ntwo");
	assert_string_equal(g.types[0], "message");
	assert_string_equal(g.ids[0], "");
	assert_string_equal(g.data[1], "");
	assert_string_equal(g.types[1], "x");
	assert_string_equal(g.ids[1], "7-7");
	assert_string_equal(g.data[2], "z");
	assert_string_equal(g.ids[2], "8-8");
	assert_false(sse_parse_finished(&p));
	/* a reconnect keeps the last id, nothing else */
	sse_parser_reset(&p);
	assert_string_equal(p.last_id, "8-8");
	assert_int_equal(p.state, SSE_P_STATUS);
	sse_parser_done(&p);
}

static void parse__bad_responses__refused(void **state)
{
	static const struct {
		const char *in;
		int err, status;
	} t[] = {
		{ "HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\nno", -EBADMSG, 401 },
		{ "HTTP/1.0 503 Busy\r\n\r\n", -EBADMSG, 503 },
		{ "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", -EMEDIUMTYPE, 200 },
		{ "SSH-2.0-OpenSSH\r\n", -EPROTO, 0 },
		{ "HTTP/2 200\r\n", -EPROTO, 0 },
		{ "HTTP/1.1 20x OK\r\n", -EPROTO, 0 },
		{ "HTTP/1.1 200 OK\r\nno colon here\r\n", -EPROTO, 200 },
		{ "HTTP/1.1 200 OK\r\nA: b\rc\r\n", -EPROTO, 200 },
		{ HEAD200 "Transfer-Encoding: chunked\r\n\r\nzz\r\n", -EPROTO, 200 },
		{ HEAD200 "Transfer-Encoding: chunked\r\n\r\nffffffffff\r\n", -EPROTO, 200 },
		{ HEAD200 "Transfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", -EPROTO, 200 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sse_parser p;
		struct got g = { 0 };

		sse_parser_init(&p);
		assert_int_equal(sse_parse_feed(&p, t[i].in, strlen(t[i].in), collect, &g), t[i].err);
		assert_int_equal(p.status, t[i].status);
		assert_int_equal(p.state, SSE_P_FAILED);
		/* failed stays failed */
		assert_int_equal(sse_parse_feed(&p, "x", 1, collect, &g), -EPROTO);
		assert_int_equal(g.n, 0);
		sse_parser_done(&p);
	}
}

static void parse__huge_head_and_event__bounded(void **state)
{
	struct sse_parser p;
	struct got g = { 0 };
	size_t big = SSE_DATA_MAX + 100;
	char *b = malloc(big);

	(void)state;
	assert_non_null(b);
	sse_parser_init(&p);
	assert_int_equal(sse_parse_feed(&p, "HTTP/1.1 200 OK\r\n", 17, collect, &g), 0);
	memset(b, 'a', big);
	memcpy(b, "X-Big: ", 7);
	assert_int_equal(sse_parse_feed(&p, b, SSE_HEAD_MAX, collect, &g), -EMSGSIZE);
	sse_parser_done(&p);

	/* an event larger than SSE_DATA_MAX is dropped and counted; the stream goes on */
	sse_parser_init(&p);
	assert_int_equal(sse_parse_feed(&p, HEAD200 "\r\n", sizeof(HEAD200 "\r\n") - 1, collect, &g), 0);
	memcpy(b, "data: ", 6);
	assert_int_equal(sse_parse_feed(&p, b, big, collect, &g), 0);
	assert_int_equal(sse_parse_feed(&p, "\n\ndata: ok\n\n", 12, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.data[0], "ok");
	assert_int_equal(p.oversized, 1);
	sse_parser_done(&p);
	free(b);
}

static void parse__nul_in_line__line_ignored(void **state)
{
	static const char in[] = HEAD200 "\r\ndata: a\0b\ndata: c\n\n";
	struct sse_parser p;
	struct got g = { 0 };

	(void)state;
	sse_parser_init(&p);
	assert_int_equal(sse_parse_feed(&p, in, sizeof(in) - 1, collect, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.data[0], "c");
	assert_int_equal(p.oversized, 1);
	sse_parser_done(&p);
}

static int stop_cb(void *ud, const struct sse_event *ev)
{
	(void)ud;
	(void)ev;
	return -ECANCELED;
}

static void parse__callback_error__returned(void **state)
{
	static const char in[] = HEAD200 "\r\ndata: a\n\n";
	struct sse_parser p;

	(void)state;
	sse_parser_init(&p);
	assert_int_equal(sse_parse_feed(&p, in, sizeof(in) - 1, stop_cb, NULL), -ECANCELED);
	sse_parser_done(&p);
}

/* ---- alerts ---- */

static const char node_alert[] =
	"{\"kind\":\"alert\",\"id\":\"1764427000123456-42\",\"incident_id\":\"1764427000123456-42\","
	"\"rule_id\":\"reverse_shell\",\"severity\":\"high\",\"risk_score\":85,"
	"\"reason\":\"bash connected to 127.0.0.1:4444\",\"mitre\":[\"T1059.004\",\"T1071\"],"
	"\"timestamp\":\"2026-11-29T14:36:40.123456Z\",\"host\":\"node-1\",\"description\":\"d\","
	"\"event\":{\"type\":\"connect\",\"pid\":1234,\"ppid\":567,\"uid\":1000,\"comm\":\"bash\","
	"\"exe\":\"/usr/bin/bash\",\"family\":\"inet\",\"dst_addr\":\"127.0.0.1\",\"dst_port\":4444},"
	"\"lineage\":[{\"pid\":567,\"comm\":\"sshd\",\"exe\":\"/usr/sbin/sshd\"},{\"pid\":1,\"comm\":\"systemd\"}],"
	"\"container\":{\"id\":\"abcd\",\"runtime\":\"containerd\",\"pod\":\"web-7d9\",\"namespace\":\"shop\"},"
	"\"addr\":\"127.0.0.1:4444\"}";

static void alert__node_json__read_back(void **state)
{
	struct agg_alert *a = calloc(1, sizeof(*a));

	(void)state;
	assert_non_null(a);
	assert_int_equal(agg_alert_parse(node_alert, a), 0);
	assert_string_equal(a->a.id, "1764427000123456-42");
	assert_int_equal(a->a.seq, 42);
	assert_string_equal(a->a.host, "node-1");
	assert_string_equal(a->a.rule_id, "reverse_shell");
	assert_int_equal(a->a.severity, RTMON_SEV_HIGH);
	assert_int_equal(a->a.risk_score, 85);
	assert_int_equal(a->a.n_mitre, 2);
	assert_string_equal(a->a.mitre[1], "T1071");
	assert_true(a->a.time_ns == 1795963000123456000ull); /* 2026-11-29T14:36:40.123456Z */
	assert_string_equal(a->a.incident_id, "1764427000123456-42");
	assert_string_equal(a->a.addr, "127.0.0.1:4444");
	assert_string_equal(a->a.description, "d");
	assert_non_null(a->a.event);
	assert_int_equal(a->a.event->pid, 1234);
	assert_int_equal(a->a.event->dst_port, 4444);
	assert_string_equal(a->a.event->exe, "/usr/bin/bash");
	assert_int_equal(a->a.n_lineage, 2);
	assert_string_equal(a->a.lineage[0].exe, "/usr/sbin/sshd");
	assert_null(a->a.lineage[1].exe);
	assert_string_equal(a->a.lineage[1].comm, "systemd");
	assert_non_null(a->a.container);
	assert_string_equal(a->a.container->ns, "shop");
	assert_null(a->a.incident);
	free(a);
}

static void alert__not_an_alert__refused(void **state)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"not json",
		"{\"kind\":\"event\",\"id\":\"1-1\",\"host\":\"h\",\"rule_id\":\"r\","
		"\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"x-1\",\"host\":\"h\",\"rule_id\":\"r\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"17\",\"host\":\"h\",\"rule_id\":\"r\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"1-1\",\"host\":\"\",\"rule_id\":\"r\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"1-1\",\"host\":\"a\\tb\",\"rule_id\":\"r\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"1-1\",\"host\":\"h\",\"rule_id\":\"\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"1-1\",\"host\":\"h\",\"rule_id\":\"r\",\"severity\":\"bad\"}",
		"{\"kind\":\"alert\",\"id\":\"1-1\",\"rule_id\":\"r\",\"severity\":\"low\"}",
		"{\"kind\":\"alert\",\"id\":\"111111111111111111111111111111111111111111111111-1\",\"host\":\"h\","
		"\"rule_id\":\"r\",\"severity\":\"low\"}",
	};
	struct agg_alert *a = calloc(1, sizeof(*a));

	(void)state;
	assert_non_null(a);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(agg_alert_parse(bad[i], a), -EINVAL);
	assert_int_equal(agg_alert_parse("{\"kind\":\"incident\",\"id\":\"1-1\",\"host\":\"h\",\"rule_id\":\"r\","
					 "\"severity\":\"low\",\"summary\":{\"kind\":\"fold\",\"count\":3}}",
					 a),
			 0);
	assert_int_equal(a->a.folded, 3);
	assert_string_equal(a->a.summary_kind, "fold");
	assert_null(a->a.event);
	free(a);
}

static void hostport__table(void **state)
{
	static const struct {
		const char *in, *host;
		unsigned port;
	} good[] = {
		{ "127.0.0.1:8090", "127.0.0.1", 8090 },
		{ "rtmon-nodes.rtmon.svc.cluster.local:8090", "rtmon-nodes.rtmon.svc.cluster.local", 8090 },
		{ "[::1]:1", "::1", 1 },
		{ "node_a:65535", "node_a", 65535 },
	};
	static const char *const bad[] = {
		"",	    ":80",    "host",	 "host:",   "host:0",  "host:65536",  "host:80x",
		"host:+80", "a b:80", "[::1]80", "[::1:80", "[zz]:80", "host:123456", "h/x:80",
	};
	char host[64];
	uint16_t port;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(agg_split_hostport(good[i].in, host, sizeof(host), &port), 0);
		assert_string_equal(host, good[i].host);
		assert_int_equal(port, good[i].port);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(agg_split_hostport(bad[i], host, sizeof(host), &port), -EINVAL);
	assert_true(agg_token_valid("s3cr3t-T0ken"));
	assert_false(agg_token_valid(""));
	assert_false(agg_token_valid("a b"));
	assert_false(agg_token_valid("a\r\nX-Evil: 1"));
}

static void seen__dedupe_and_bound(void **state)
{
	struct agg_seen s;
	char id[32];

	(void)state;
	assert_int_equal(agg_seen_init(&s, 1), -EINVAL);
	assert_int_equal(agg_seen_init(&s, 100), 0);
	assert_int_equal(agg_seen_add(&s, "node-1", "1-1"), 1);
	assert_int_equal(agg_seen_add(&s, "node-1", "1-1"), 0);
	assert_int_equal(agg_seen_add(&s, "node-2", "1-1"), 1); /* ids are per host */
	assert_int_equal(agg_seen_add(&s, "node-11", "-1"), 1); /* no ambiguity in the concatenation */
	/* the last cap/2 pairs are always remembered */
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "9-%d", i);
		assert_int_equal(agg_seen_add(&s, "h", id), 1);
	}
	for (int i = 950; i < 1000; i++) {
		snprintf(id, sizeof(id), "9-%d", i);
		assert_int_equal(agg_seen_add(&s, "h", id), 0);
	}
	/* and memory stays bounded: the oldest are forgotten */
	assert_int_equal(agg_seen_add(&s, "h", "9-0"), 1);
	agg_seen_done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__chunked_any_split__same_events),
		cmocka_unit_test(parse__plain_body_cr_lf_crlf__spec_rules),
		cmocka_unit_test(parse__bad_responses__refused),
		cmocka_unit_test(parse__huge_head_and_event__bounded),
		cmocka_unit_test(parse__nul_in_line__line_ignored),
		cmocka_unit_test(parse__callback_error__returned),
		cmocka_unit_test(alert__node_json__read_back),
		cmocka_unit_test(alert__not_an_alert__refused),
		cmocka_unit_test(hostport__table),
		cmocka_unit_test(seen__dedupe_and_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
