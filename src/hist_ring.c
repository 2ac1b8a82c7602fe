/* SPDX-License-Identifier: MIT */
/* hist_ring.c - see hist_ring.h.  Pure: no I/O, no logging. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist_ring.h"

static int parse_cursor(const char *c, uint64_t *ret_idx)
{
	char *end;

	if (c[0] != 'm' || c[1] < '0' || c[1] > '9')
		return -EINVAL;
	errno = 0;
	*ret_idx = strtoull(c + 1, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

int hist_ring_page(const struct sse_ring *r, const struct hist_query *q, FILE *out, char *ret_cursor,
		   size_t cursor_size)
{
	uint64_t bound = r->head, *last, matched = 0;
	size_t n;

	if (q->cursor[0] && parse_cursor(q->cursor, &bound) < 0)
		return -EINVAL;
	last = calloc(q->limit, sizeof(*last)); /* the newest 'limit' matches, circular */
	if (!last)
		return -ENOMEM;
	for (uint64_t i = sse_ring_oldest(r); i < r->head && i < bound; i = sse_ring_next(r, i + 1)) {
		const struct sse_entry *e = sse_ring_at(r, i);

		if (hist_query_match_json(q, e->frame + e->json_off, e->json_len))
			last[matched++ % q->limit] = i;
	}
	n = matched < q->limit ? (size_t)matched : q->limit;
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		const struct sse_entry *e = sse_ring_at(r, last[(matched - n + k) % q->limit]);

		if (k)
			fputc(',', out);
		fwrite(e->frame + e->json_off, 1, e->json_len, out);
	}
	fputs("]\n", out);
	ret_cursor[0] = '\0';
	if (matched > n)
		snprintf(ret_cursor, cursor_size, "m%llu", (unsigned long long)last[(matched - n) % q->limit]);
	free(last);
	return (int)n;
}
