/* SPDX-License-Identifier: MIT */
/* hist_journal.c - see hist_journal.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "alert.h"
#include "hist_journal.h"

/*
 * journald stamps an entry when it receives it, after the alert was raised;
 * an 'until' query starts this much later and skips what is newer by the
 * alert's own time. ('since' needs no slack: an entry received before
 * 'since' holds an alert raised before it.)
 */
#define HIST_UNTIL_SLACK_US (120ull * 1000000)

struct page_item {
	char *json;
	size_t len;
};

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

static int add_match(sd_journal *j, const char *field, const char *value)
{
	char m[HIST_VALUE_MAX + 32];
	int n = snprintf(m, sizeof(m), "%s=%s", field, value);

	if (n < 0 || (size_t)n >= sizeof(m))
		return -EINVAL;
	return sd_journal_add_match(j, m, (size_t)n);
}

static int add_matches(sd_journal *j, const struct hist_query *q)
{
	static const char *const field[HIST_FIELDS] = { "RTMON_RULE_ID",   "RTMON_HOST",	 "RTMON_POD",
							"RTMON_NAMESPACE", "RTMON_CONTAINER_ID", "RTMON_INCIDENT_ID" };
	int r = add_match(j, "SYSLOG_IDENTIFIER", "rtmon");

	for (int s = RTMON_SEV_INFO; r >= 0 && s <= RTMON_SEV_CRITICAL; s++)
		if (q->severities & (1u << s))
			r = add_match(j, "RTMON_SEVERITY", severity_name((enum rtmon_severity)s));
	for (int f = 0; r >= 0 && f < HIST_FIELDS; f++)
		if (q->value[f][0])
			r = add_match(j, field[f], q->value[f]);
	return r;
}

/* Positions j on the first entry to look at (newest first). Returns 1, 0 (none) or -errno. */
static int position(sd_journal *j, const struct hist_query *q)
{
	int r;

	if (q->cursor[0]) {
		r = sd_journal_seek_cursor(j, q->cursor);
		if (r < 0)
			return -EINVAL;
		r = sd_journal_previous(j);
		/* on the cursor's own entry: the page starts before it */
		if (r > 0 && sd_journal_test_cursor(j, q->cursor) > 0)
			r = sd_journal_previous(j);
		return r;
	}
	if (q->until_us)
		r = sd_journal_seek_realtime_usec(j, q->until_us + HIST_UNTIL_SLACK_US);
	else
		r = sd_journal_seek_tail(j);
	return r < 0 ? r : sd_journal_previous(j);
}

/* The alert time of the entry (its RTMON_ID's time part), 0 when absent. */
static uint64_t entry_alert_us(sd_journal *j)
{
	const void *d;
	size_t len;
	char b[48];

	if (sd_journal_get_data(j, "RTMON_ID", &d, &len) < 0 || len <= 9 || len - 9 >= sizeof(b))
		return 0;
	memcpy(b, (const char *)d + 9, len - 9);
	b[len - 9] = '\0';
	return strtoull(b, NULL, 10);
}

/* Whether an entry older than the current one may belong to the page after this one; j stays where it was. */
static bool older_exists(sd_journal *j, const struct hist_query *q)
{
	uint64_t rt;
	bool more;

	if (sd_journal_previous(j) <= 0)
		return false;
	more = !q->since_us || sd_journal_get_realtime_usec(j, &rt) < 0 || rt >= q->since_us;
	(void)sd_journal_next(j);
	return more;
}

/*
 * Reads entries into items (newest first) until a bound; *n counts them
 * (also on failure, for the caller to free). Returns 0 or -errno;
 * *ret_more when older entries remain.
 */
static int collect(sd_journal *j, const struct hist_query *q, const struct hist_page_limits *lim,
		   struct page_item *items, int *n_items, bool *ret_more)
{
	uint64_t deadline = now_us() + lim->budget_us, rt;
	size_t bytes = 0;
	int r;

	*ret_more = false;
	for (r = position(j, q); r > 0; r = sd_journal_previous(j)) {
		const void *d;
		uint64_t at;
		size_t len;

		if (sd_journal_get_realtime_usec(j, &rt) >= 0 && q->since_us && rt < q->since_us)
			return 0; /* received before 'since': raised before it, and so is everything older */
		at = entry_alert_us(j);
		if (at && (!q->since_us || at >= q->since_us) && (!q->until_us || at <= q->until_us) &&
		    sd_journal_get_data(j, "RTMON_JSON", &d, &len) >= 0 && len > 11) {
			len -= 11;
			if (*n_items > 0 && bytes + len > lim->max_bytes) {
				*ret_more = true;
				(void)sd_journal_next(j); /* the cursor is the last entry taken */
				return 0;
			}
			items[*n_items].json = malloc(len);
			if (!items[*n_items].json)
				return -ENOMEM;
			memcpy(items[*n_items].json, (const char *)d + 11, len);
			items[(*n_items)++].len = len;
			bytes += len;
		}
		if ((uint32_t)*n_items == q->limit || now_us() > deadline) {
			*ret_more = older_exists(j, q);
			return 0;
		}
	}
	return r < 0 ? r : 0;
}

int hist_journal_page(const struct hist_query *q, const struct hist_page_limits *lim, FILE *out, char *ret_cursor,
		      size_t cursor_size)
{
	struct page_item *items;
	sd_journal *j = NULL;
	char *cursor = NULL;
	bool more = false;
	int n = 0, r;

	items = calloc(q->limit, sizeof(*items));
	if (!items)
		return -ENOMEM;
	/* opened per page: a long-lived handle would miss rotated and new journal files */
	r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r >= 0)
		r = sd_journal_set_data_threshold(j, 0); /* RTMON_JSON whole (the default cuts at 64 KiB) */
	if (r >= 0)
		r = add_matches(j, q);
	if (r >= 0)
		r = collect(j, q, lim, items, &n, &more);
	if (r >= 0 && more && sd_journal_get_cursor(j, &cursor) >= 0 && strlen(cursor) < cursor_size)
		strcpy(ret_cursor, cursor);
	else if (r >= 0)
		ret_cursor[0] = '\0';
	if (r >= 0) {
		fputc('[', out);
		for (int i = n - 1; i >= 0; i--) {
			fwrite(items[i].json, 1, items[i].len, out);
			if (i)
				fputc(',', out);
		}
		fputs("]\n", out);
	}
	for (int i = 0; i < n; i++)
		free(items[i].json);
	free(items);
	free(cursor);
	sd_journal_close(j);
	return r < 0 ? r : n;
}
