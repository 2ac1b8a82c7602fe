/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: what the aggregator reads from a node (src/sse_parse.c, src/agg_alert.c). The input is
 * fed whole and again split at a point its first byte picks (the result must not depend on the split), and
 * each event's data goes through the alert reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agg_alert.h"
#include "sse_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	uint64_t events, sum;
	struct agg_alert *a;
};

static int on_event(void *ud, const struct sse_event *ev)
{
	struct run *r = ud;

	if (strlen(ev->data) != ev->data_len)
		abort();
	r->events++;
	r->sum += ev->data_len + strlen(ev->id) * 7;
	(void)agg_alert_parse(ev->data, r->a);
	return 0;
}

static int feed(const uint8_t *data, size_t size, size_t cut, struct run *r, struct sse_parser *p)
{
	int e;

	sse_parser_init(p);
	e = sse_parse_feed(p, (const char *)data, cut, on_event, r);
	if (e == 0)
		e = sse_parse_feed(p, (const char *)data + cut, size - cut, on_event, r);
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct agg_alert a;
	struct run r1 = { 0, 0, &a }, r2 = { 0, 0, &a };
	struct sse_parser p1, p2;
	size_t cut = size ? data[0] % (size + 1) : 0;
	int e1, e2;

	e1 = feed(data, size, 0, &r1, &p1);
	e2 = feed(data, size, cut, &r2, &p2);
	if (e1 != e2 || r1.events != r2.events || r1.sum != r2.sum || strcmp(p1.last_id, p2.last_id) != 0)
		abort();
	sse_parser_done(&p1);
	sse_parser_done(&p2);
	return 0;
}
