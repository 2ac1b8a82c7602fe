/* SPDX-License-Identifier: MIT */
/*
 * hist_ring.h - one page of the alert history from the in-memory ring
 * (sse_ring.h), where there is no journal to read: the same query as
 * hist_journal.h, the same page shape. Its cursors are "m<idx>" (the page
 * holds alerts before that ring index). Pure: no I/O, no logging.
 */
#ifndef RTMON_HIST_RING_H
#define RTMON_HIST_RING_H

#include <stddef.h>
#include <stdio.h>

#include "hist_query.h"
#include "sse_ring.h"

/*
 * Writes the newest q->limit alerts that match (before the cursor) as a
 * JSON array, oldest first, and the cursor of the next older page to
 * ret_cursor ("" when none older match). Returns the alerts written, or
 * -EINVAL for a cursor that is not one of ours.
 */
int hist_ring_page(const struct sse_ring *r, const struct hist_query *q, FILE *out, char *ret_cursor,
		   size_t cursor_size);

#endif
