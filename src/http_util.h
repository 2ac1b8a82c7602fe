/* SPDX-License-Identifier: MIT */
/*
 * http_util.h - pure helpers of the HTTP listener (out_sse.c): listen
 * address, SSE event id, query numbers, static file paths, content types,
 * CORS origins, bearer tokens.  No I/O, no logging; errors are -errno.
 * Every parser here faces the network and has a libFuzzer target
 * (tests/fuzz/fuzz_http_util.c).
 */
#ifndef RTMON_HTTP_UTIL_H
#define RTMON_HTTP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define HTTP_PATH_MAX 256 /* longest static file path we serve */
#define HTTP_PATH_DEPTH 8 /* most components in a static file path */

/*
 * Parses "host:port" or "[v6addr]:port" (numeric addresses, or "localhost"
 * for 127.0.0.1); port 0-65535 (0 = any free port). Returns 0 or -EINVAL.
 */
int http_parse_listen(const char *s, struct sockaddr_storage *ret_sa, socklen_t *ret_len);
/* True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104. */
bool http_addr_is_loopback(const struct sockaddr *sa);

/*
 * Parses an SSE event id "USEC-SEQ" (an alert id) or a bare "SEQ" (then
 * *ret_usec = 0). Decimal digits only, no overflow. Returns 0 or -EINVAL.
 */
int http_parse_event_id(const char *s, uint64_t *ret_usec, uint64_t *ret_seq);

/* A decimal count "N" (no sign, no spaces), clamped to max. Returns 0 or -EINVAL. */
int http_parse_count(const char *s, uint32_t max, uint32_t *ret);

/*
 * Checks a request path (already %-decoded by the HTTP library) for the
 * static file tree and writes it relative to the tree's root: "/" becomes
 * "index.html", "/assets/a.js" becomes "assets/a.js". Components are
 * [A-Za-z0-9._~+@-], never empty and never start with '.', so "..", hidden
 * files, "//" and trailing '/' are refused. Returns 0, -EINVAL or -ENAMETOOLONG.
 */
int http_static_path(const char *url, char *ret_path, size_t size);

/* Content-Type for a file name by its extension (application/octet-stream when unknown). */
const char *http_content_type(const char *path);

/*
 * True when an Accept-Encoding value (NULL = absent) accepts gzip: a "gzip"
 * (or "*") token without q=0.
 */
bool http_accepts_gzip(const char *accept_encoding);

/*
 * True when an If-None-Match value (NULL = absent) names etag (a quoted
 * strong validator) or is "*"; W/ prefixes are compared weakly.
 */
bool http_etag_match(const char *if_none_match, const char *etag);

/*
 * The Access-Control-Allow-Origin value for a request's Origin, given the
 * allowed list (NULL-terminated, may be NULL): the origin itself when listed,
 * "*" when "*" is listed, NULL when not allowed (or no Origin).
 */
const char *http_cors_origin(char *const *allowed, const char *origin);

/* The token of an "Authorization: Bearer <token>" value (scheme case-insensitive), or NULL. */
const char *http_bearer_token(const char *authorization);

/* Compares two tokens in time independent of where they differ. */
bool http_token_equal(const char *a, const char *b);

#endif
