/* SPDX-License-Identifier: MIT */
/*
 * hist_journal.h - one page of the alert history read from the journal
 * (sd-journal), for GET /api/alerts: rtmon's own entries
 * (SYSLOG_IDENTIFIER=rtmon with RTMON_JSON), filters as journal matches on
 * the RTMON_* fields, newest first from 'until' or the cursor, bounded in
 * entries, bytes and time so the monitor's loop is never held long.
 * Runs in the monitor (the listener process cannot open the journal).
 */
#ifndef RTMON_HIST_JOURNAL_H
#define RTMON_HIST_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist_query.h"

struct hist_page_limits {
	uint64_t budget_us; /* time to stop reading after (the page so far is returned with a cursor) */
	size_t max_bytes;   /* alert JSON bytes in a page (at least one alert is returned) */
};

/*
 * Writes the page as a JSON array, oldest first, to 'out', and the cursor
 * of the next (older) page to ret_cursor ("" when the history ends here).
 * Returns the alerts written, or -errno when the journal cannot be opened
 * or read (the caller falls back to its memory), -EINVAL for a cursor the
 * journal does not know.
 */
int hist_journal_page(const struct hist_query *q, const struct hist_page_limits *lim, FILE *out, char *ret_cursor,
		      size_t cursor_size);

#endif
