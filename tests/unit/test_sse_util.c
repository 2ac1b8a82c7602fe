/* SPDX-License-Identifier: MIT */
/* Proves the HTTP listener's pure parsers accept exactly what they document and refuse the rest. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http_util.h"

static void listen__good__parsed(void **state)
{
	static const struct {
		const char *in, *addr;
		int family;
		unsigned port;
		bool loopback;
	} t[] = {
		{ "127.0.0.1:8090", "127.0.0.1", AF_INET, 8090, true },
		{ "localhost:1", "127.0.0.1", AF_INET, 1, true },
		{ "127.1.2.3:0", "127.1.2.3", AF_INET, 0, true },
		{ "0.0.0.0:65535", "0.0.0.0", AF_INET, 65535, false },
		{ "10.0.0.5:80", "10.0.0.5", AF_INET, 80, false },
		{ "[::1]:8090", "::1", AF_INET6, 8090, true },
		{ "[::]:8090", "::", AF_INET6, 8090, false },
		{ "[::ffff:127.0.0.1]:9", "::ffff:127.0.0.1", AF_INET6, 9, true },
		{ "[fe80::1]:443", "fe80::1", AF_INET6, 443, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sockaddr_storage sa;
		socklen_t len = 0;
		char buf[INET6_ADDRSTRLEN];

		assert_int_equal(http_parse_listen(t[i].in, &sa, &len), 0);
		assert_int_equal(sa.ss_family, t[i].family);
		if (t[i].family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&sa;

			assert_int_equal(len, sizeof(*sin));
			assert_int_equal(ntohs(sin->sin_port), t[i].port);
			inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&sa;

			assert_int_equal(len, sizeof(*sin6));
			assert_int_equal(ntohs(sin6->sin6_port), t[i].port);
			inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
		}
		assert_string_equal(buf, t[i].addr);
		assert_int_equal(http_addr_is_loopback((struct sockaddr *)&sa), t[i].loopback);
	}
}

static void listen__bad__einval(void **state)
{
	static const char *const bad[] = {
		"",
		"8090",
		":8090",
		"127.0.0.1",
		"127.0.0.1:",
		"127.0.0.1:65536",
		"127.0.0.1:-1",
		"127.0.0.1:80x",
		"127.0.0.1: 80",
		"::1:8090",
		"[::1]8090",
		"[::1",
		"[]:80",
		"[127.0.0.1]:80",
		"example.com:80",
		"256.0.0.1:80",
		"127.0.0.1:99999999999999999999999",
		"[::1]:",
		"1.2.3.4:5:6",
		"[::1]:80:",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sockaddr_storage sa;
		socklen_t len;

		if (http_parse_listen(bad[i], &sa, &len) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(http_parse_listen(NULL, NULL, NULL), -EINVAL);
}

static void event_id__forms__parsed(void **state)
{
	static const struct {
		const char *in;
		int r;
		uint64_t usec, seq;
	} t[] = {
		{ "1764427000123456-42", 0, 1764427000123456ull, 42 },
		{ "42", 0, 0, 42 },
		{ "0-0", 0, 0, 0 },
		{ "18446744073709551615", 0, 0, UINT64_MAX },
		{ "18446744073709551616", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ "-42", -EINVAL, 0, 0 },
		{ "1-", -EINVAL, 0, 0 },
		{ "1-2-3", -EINVAL, 0, 0 },
		{ "1764427000123456-42 ", -EINVAL, 0, 0 },
		{ " 42", -EINVAL, 0, 0 },
		{ "4x2", -EINVAL, 0, 0 },
		{ "+42", -EINVAL, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t usec = 7, seq = 7;
		int r = http_parse_event_id(t[i].in, &usec, &seq);

		if (r != t[i].r)
			fail_msg("\"%s\": %d", t[i].in, r);
		if (r == 0) {
			assert_int_equal(usec, t[i].usec);
			assert_int_equal(seq, t[i].seq);
		} else {
			assert_int_equal(usec, 7); /* untouched on error */
			assert_int_equal(seq, 7);
		}
	}
}

static void count__values__clamped_or_refused(void **state)
{
	static const struct {
		const char *in;
		int r;
		uint32_t v;
	} t[] = {
		{ "0", 0, 0 },
		{ "5", 0, 5 },
		{ "007", 0, 7 },
		{ "1024", 0, 1024 },
		{ "1025", 0, 1024 },
		{ "4294967296", 0, 1024 },
		{ "99999999999999999999999999", 0, 1024 },
		{ "000000000000000000000000000003", 0, 3 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
		{ "99999999999999999999999a", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v = 99;
		int r = http_parse_count(t[i].in, 1024, &v);

		if (r != t[i].r)
			fail_msg("\"%s\": %d", t[i].in, r);
		assert_int_equal(v, r == 0 ? t[i].v : 99);
	}
}

static void static_path__table__checked(void **state)
{
	static const struct {
		const char *in;
		int r;
		const char *out;
	} t[] = {
		{ "/", 0, "index.html" },
		{ "/index.html", 0, "index.html" },
		{ "/assets/index-3f2a.js", 0, "assets/index-3f2a.js" },
		{ "/favicon.ico", 0, "favicon.ico" },
		{ "/a/b/c/d/e/f/g/h", 0, "a/b/c/d/e/f/g/h" },
		{ "/a/b/c/d/e/f/g/h/i", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
		{ "index.html", -EINVAL, NULL },
		{ "/..", -EINVAL, NULL },
		{ "/../etc/passwd", -EINVAL, NULL },
		{ "/assets/../../etc/passwd", -EINVAL, NULL },
		{ "/assets/./a.js", -EINVAL, NULL },
		{ "/.git/config", -EINVAL, NULL },
		{ "/assets/", -EINVAL, NULL },
		{ "//etc/passwd", -EINVAL, NULL },
		{ "/assets//a.js", -EINVAL, NULL },
		{ "/a\\b", -EINVAL, NULL },
		{ "/a b", -EINVAL, NULL },
		{ "/a%2e", -EINVAL, NULL },
		{ "/a\nb", -EINVAL, NULL },
		{ "/\xc3\xa9", -EINVAL, NULL },
	};
	char buf[HTTP_PATH_MAX], big[HTTP_PATH_MAX + 8];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = http_static_path(t[i].in, buf, sizeof(buf));

		if (r != t[i].r)
			fail_msg("\"%s\": %d", t[i].in, r);
		if (r == 0)
			assert_string_equal(buf, t[i].out);
	}
	big[0] = '/';
	memset(big + 1, 'a', sizeof(big) - 2);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(http_static_path(big, buf, sizeof(buf)), -ENAMETOOLONG);
	assert_int_equal(http_static_path("/index.html", buf, 5), -ENAMETOOLONG);
}

static void content_type__extensions__mapped(void **state)
{
	assert_string_equal(http_content_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(http_content_type("assets/a.JS"), "text/javascript; charset=utf-8");
	assert_string_equal(http_content_type("assets/a.css"), "text/css; charset=utf-8");
	assert_string_equal(http_content_type("x.svg"), "image/svg+xml");
	assert_string_equal(http_content_type("f.woff2"), "font/woff2");
	assert_string_equal(http_content_type("noext"), "application/octet-stream");
	assert_string_equal(http_content_type("a.js/noext"), "application/octet-stream");
	assert_string_equal(http_content_type("a.exe"), "application/octet-stream");
}

static void accepts_gzip__headers__parsed(void **state)
{
	assert_true(http_accepts_gzip("gzip"));
	assert_true(http_accepts_gzip("gzip, deflate, br, zstd"));
	assert_true(http_accepts_gzip("br;q=1.0, GZIP;q=0.5"));
	assert_true(http_accepts_gzip("*"));
	assert_false(http_accepts_gzip(NULL));
	assert_false(http_accepts_gzip(""));
	assert_false(http_accepts_gzip("identity"));
	assert_false(http_accepts_gzip("gzip;q=0"));
	assert_false(http_accepts_gzip("gzip;q=0.000, br"));
	assert_false(http_accepts_gzip("x-gzip2"));
	assert_false(http_accepts_gzip("*;q=0"));
	assert_false(http_accepts_gzip("gzip;q=0, *"));
}

static void etag_match__lists__compared(void **state)
{
	assert_true(http_etag_match("\"a-1\"", "\"a-1\""));
	assert_true(http_etag_match("\"x\", \"a-1\"", "\"a-1\""));
	assert_true(http_etag_match("W/\"a-1\"", "\"a-1\""));
	assert_true(http_etag_match("*", "\"a-1\""));
	assert_false(http_etag_match(NULL, "\"a-1\""));
	assert_false(http_etag_match("\"a-1-gz\"", "\"a-1\""));
	assert_false(http_etag_match("\"a-\"", "\"a-1\""));
	assert_false(http_etag_match("", "\"a-1\""));
}

static void cors__origins__matched(void **state)
{
	char o1[] = "http://localhost:5173", o2[] = "https://soc.example", o3[] = "http://a", star[] = "*";
	char *list[] = { o1, o2, NULL };
	char *any[] = { o3, star, NULL };
	char *none[] = { NULL };

	assert_string_equal(http_cors_origin(list, "https://soc.example"), "https://soc.example");
	assert_null(http_cors_origin(list, "https://soc.example.evil"));
	assert_null(http_cors_origin(list, "http://localhost:5174"));
	assert_null(http_cors_origin(list, NULL));
	assert_null(http_cors_origin(list, ""));
	assert_null(http_cors_origin(NULL, "http://a"));
	assert_null(http_cors_origin(none, "http://a"));
	assert_string_equal(http_cors_origin(any, "http://a"), "http://a");
	assert_string_equal(http_cors_origin(any, "http://b"), "*");
}

static void bearer__forms__extracted(void **state)
{
	assert_string_equal(http_bearer_token("Bearer s3cret"), "s3cret");
	assert_string_equal(http_bearer_token("bearer   s3cret"), "s3cret");
	assert_string_equal(http_bearer_token("BEARER\ts3cret"), "s3cret");
	assert_null(http_bearer_token("Bearer"));
	assert_null(http_bearer_token("Bearer "));
	assert_null(http_bearer_token("Bearers3cret"));
	assert_null(http_bearer_token("Basic dXNlcjpwYXNz"));
	assert_null(http_bearer_token(NULL));
}

static void token_equal__cases__exact(void **state)
{
	assert_true(http_token_equal("abc", "abc"));
	assert_true(http_token_equal("", ""));
	assert_false(http_token_equal("abc", "abd"));
	assert_false(http_token_equal("abc", "ab"));
	assert_false(http_token_equal("ab", "abc"));
	assert_false(http_token_equal("", "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listen__good__parsed),		 cmocka_unit_test(listen__bad__einval),
		cmocka_unit_test(event_id__forms__parsed),	 cmocka_unit_test(count__values__clamped_or_refused),
		cmocka_unit_test(static_path__table__checked),	 cmocka_unit_test(content_type__extensions__mapped),
		cmocka_unit_test(accepts_gzip__headers__parsed), cmocka_unit_test(etag_match__lists__compared),
		cmocka_unit_test(cors__origins__matched),	 cmocka_unit_test(bearer__forms__extracted),
		cmocka_unit_test(token_equal__cases__exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
