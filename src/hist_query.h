/* SPDX-License-Identifier: MIT */
/*
 * hist_query.h - a page request for the alert history (GET /api/alerts):
 * the time range, the cursor from the previous page, the page size and the
 * filters, parsed from the URL by the listener process, carried to the
 * monitor over the socketpair as key/value pairs and parsed again there (the
 * monitor trusts nothing it receives). Also the matching of one alert's JSON
 * against the filters, for the in-memory history.
 * Pure: no I/O, no logging.
 */
#ifndef RTMON_HIST_QUERY_H
#define RTMON_HIST_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HIST_LIMIT_DEFAULT 100
#define HIST_LIMIT_MAX 1000
#define HIST_CURSOR_MAX 512 /* bytes of a cursor, NUL included */
#define HIST_VALUE_MAX 256  /* bytes of a filter value, NUL included */

enum hist_field {
	HIST_RULE = 0,	/* rule_id */
	HIST_HOST,	/* host */
	HIST_POD,	/* container.pod */
	HIST_NAMESPACE, /* container.namespace */
	HIST_CONTAINER, /* container.id */
	HIST_INCIDENT,	/* incident_id */
	HIST_FIELDS
};

struct hist_query {
	uint64_t since_us, until_us;		 /* alert time bounds (the id's time part), inclusive; 0 = none */
	uint32_t limit;				 /* 1..HIST_LIMIT_MAX */
	uint32_t severities;			 /* bit (1 << enum rtmon_severity) per severity wanted; 0 = any */
	char cursor[HIST_CURSOR_MAX];		 /* "" = from the newest alert */
	char value[HIST_FIELDS][HIST_VALUE_MAX]; /* "" = any */
};

/* Query parameter names, indexed by enum hist_field ("rule", "host", "pod", "namespace", "container", "incident"). */
extern const char *const hist_field_param[HIST_FIELDS];
/* Alert JSON paths, indexed by enum hist_field ("rule_id", "container.pod" ...). */
extern const char *const hist_field_json[HIST_FIELDS];

/* An empty query: no bounds, no filters, HIST_LIMIT_DEFAULT. */
void hist_query_init(struct hist_query *q);

/*
 * A time: RFC3339 ("2026-12-06T02:13:38Z", "...38.123456+01:00", fraction
 * up to 9 digits, kept to the microsecond) or decimal microseconds since the
 * epoch. Returns 0 or -EINVAL.
 */
int hist_time_parse(const char *s, uint64_t *ret_us);

/*
 * Sets one parameter: since, until, cursor, limit, severity (comma-separated
 * names), or a filter (hist_field_param). Values: printable ASCII, within
 * the bounds above; a cursor has only [A-Za-z0-9=;_-].
 * Returns 0, -EINVAL (bad value: the query is left as it was) or -ENOENT
 * (not a history parameter).
 */
int hist_query_set(struct hist_query *q, const char *key, const char *value);

/* Checks the query as a whole (since <= until when both are set). Returns 0 or -EINVAL. */
int hist_query_check(const struct hist_query *q);

/*
 * The query as "key\0value\0" pairs (limit, and what else is set).
 * Returns the bytes written, or -ENOSPC when 'size' is too small.
 */
int hist_query_encode(const struct hist_query *q, char *buf, size_t size);

/* Parses hist_query_encode()'s output, every pair through hist_query_set(). Returns 0 or -EINVAL. */
int hist_query_decode(const char *buf, size_t len, struct hist_query *ret);

/* Whether an alert JSON object (as rtmon writes it) passes the filters and time bounds. */
bool hist_query_match_json(const struct hist_query *q, const char *json, size_t len);

/*
 * The string value at 'path' ("a", or "a.b" for a member of a nested
 * object) in a JSON object; \" and \\ unescaped, other escapes copied as
 * they are. Returns 0, -ENOENT (absent, not a string) or -ENOSPC.
 */
int hist_json_str(const char *json, size_t len, const char *path, char *buf, size_t size);

#endif
