/* SPDX-License-Identifier: MIT */
/* http_util.c - see http_util.h.  Pure: no I/O, no logging. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "http_util.h"

/* Parses decimal digits [s, s+len) into *ret; -EINVAL on empty, non-digit or overflow. */
static int parse_u64(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int http_parse_listen(const char *s, struct sockaddr_storage *ret_sa, socklen_t *ret_len)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *h;
	size_t hlen;
	uint64_t port;
	bool v6 = false;

	if (!s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':')
			return -EINVAL;
		h = s + 1;
		hlen = (size_t)(end - h);
		colon = end + 1;
		v6 = true;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -EINVAL; /* bare IPv6 must be bracketed */
		h = s;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	if (parse_u64(colon + 1, strlen(colon + 1), &port) < 0 || port > 65535)
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	memset(ret_sa, 0, sizeof(*ret_sa));
	if (v6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ret_sa;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*ret_len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ret_sa;

		if (strcmp(host, "localhost") == 0)
			strcpy(host, "127.0.0.1");
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -EINVAL;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*ret_len = sizeof(*sin);
	}
	return 0;
}

bool http_addr_is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		const uint8_t *b = sin6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && b[12] == 127;
	}
	return false;
}

int http_parse_event_id(const char *s, uint64_t *ret_usec, uint64_t *ret_seq)
{
	const char *dash;
	uint64_t usec = 0, seq;

	if (!s)
		return -EINVAL;
	dash = strchr(s, '-');
	if (dash) {
		if (parse_u64(s, (size_t)(dash - s), &usec) < 0)
			return -EINVAL;
		s = dash + 1;
	}
	if (parse_u64(s, strlen(s), &seq) < 0)
		return -EINVAL;
	*ret_usec = usec;
	*ret_seq = seq;
	return 0;
}

int http_parse_count(const char *s, uint32_t max, uint32_t *ret)
{
	uint64_t v;
	size_t len;

	if (!s)
		return -EINVAL;
	/* Leading zeros are fine ("007"); the value saturates instead of overflowing. */
	while (s[0] == '0' && s[1])
		s++;
	len = strlen(s);
	if (len > 20) {
		if (strspn(s, "0123456789") != len)
			return -EINVAL;
		*ret = max;
		return 0;
	}
	if (parse_u64(s, len, &v) < 0)
		return -EINVAL;
	*ret = v > max ? max : (uint32_t)v;
	return 0;
}

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '~' || c == '+' || c == '@' || c == '-';
}

int http_static_path(const char *url, char *ret_path, size_t size)
{
	size_t len, depth = 0;
	bool start = true;

	if (!url || url[0] != '/' || size == 0)
		return -EINVAL;
	if (strcmp(url, "/") == 0)
		url = "/index.html";
	url++;
	len = strlen(url);
	if (len >= HTTP_PATH_MAX || len >= size)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++) {
		char c = url[i];

		if (c == '/') {
			if (start)
				return -EINVAL; /* empty component: "//" */
			start = true;
			continue;
		}
		if (!path_char_ok(c) || (start && c == '.'))
			return -EINVAL;
		if (start && ++depth > HTTP_PATH_DEPTH)
			return -EINVAL;
		start = false;
	}
	if (start)
		return -EINVAL; /* empty, or ends with '/' */
	memcpy(ret_path, url, len + 1);
	return 0;
}

const char *http_content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "json", "application/json" },
		{ "map", "application/json" },
		{ "webmanifest", "application/manifest+json" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "webp", "image/webp" },
		{ "ico", "image/x-icon" },
		{ "woff", "font/woff" },
		{ "woff2", "font/woff2" },
		{ "ttf", "font/ttf" },
		{ "wasm", "application/wasm" },
		{ "txt", "text/plain; charset=utf-8" },
	};
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');

	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

const char *http_cors_origin(char *const *allowed, const char *origin)
{
	bool any = false;

	if (!allowed || !origin || !origin[0])
		return NULL;
	for (size_t i = 0; allowed[i]; i++) {
		if (strcmp(allowed[i], origin) == 0)
			return origin;
		if (strcmp(allowed[i], "*") == 0)
			any = true;
	}
	return any ? "*" : NULL;
}

const char *http_bearer_token(const char *authorization)
{
	const char *t;

	if (!authorization || strncasecmp(authorization, "Bearer", 6) != 0)
		return NULL;
	t = authorization + 6;
	if (*t != ' ' && *t != '\t')
		return NULL;
	while (*t == ' ' || *t == '\t')
		t++;
	return *t ? t : NULL;
}

bool http_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), n = la > lb ? la : lb;
	unsigned char diff = la != lb;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)(i < lb ? b[i] : 0);
	return diff == 0;
}

/* The q value of the parameters at p (";q=0.5"), 1000 = 1.0; stops at ','. */
static int accept_q(const char *p)
{
	while (*p && *p != ',') {
		if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			int q = 0, scale = 1000;

			p += 2;
			if (*p == '1')
				return 1000;
			if (*p++ != '0')
				return 1000;
			if (*p == '.')
				for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
					scale /= 10;
					q += (*p - '0') * scale;
				}
			return q;
		}
		p++;
	}
	return 1000;
}

bool http_accepts_gzip(const char *ae)
{
	int star = -1;

	if (!ae)
		return false;
	while (*ae) {
		const char *tok;
		size_t n;

		while (*ae == ' ' || *ae == '\t' || *ae == ',')
			ae++;
		tok = ae;
		while (*ae && *ae != ',' && *ae != ';' && *ae != ' ' && *ae != '\t')
			ae++;
		n = (size_t)(ae - tok);
		if (n == 4 && strncasecmp(tok, "gzip", 4) == 0)
			return accept_q(ae) > 0;
		if (n == 1 && tok[0] == '*')
			star = accept_q(ae) > 0;
		while (*ae && *ae != ',')
			ae++;
	}
	return star == 1;
}

bool http_etag_match(const char *inm, const char *etag)
{
	size_t n;

	if (!inm || !etag)
		return false;
	if (etag[0] == 'W' && etag[1] == '/')
		etag += 2;
	n = strlen(etag);
	while (*inm) {
		const char *tok;

		while (*inm == ' ' || *inm == '\t' || *inm == ',')
			inm++;
		if (*inm == '*')
			return true;
		if (inm[0] == 'W' && inm[1] == '/')
			inm += 2;
		tok = inm;
		while (*inm && *inm != ',' && *inm != ' ' && *inm != '\t')
			inm++;
		if ((size_t)(inm - tok) == n && n > 0 && memcmp(tok, etag, n) == 0)
			return true;
	}
	return false;
}
