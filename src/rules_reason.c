/* SPDX-License-Identifier: MIT */
/*
 * rules_reason.c - the reason text of a match: who (exe base, pid) and the
 * value of every leaf that made the rule true, each cut at REASON_VALUE_MAX
 * bytes, into the caller's fixed buffer.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_internal.h"

#define REASON_VALUE_MAX 96

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	r = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	b->len += (size_t)r;
	if (b->len >= b->cap)
		b->len = b->cap - 1;
}

/* A value, cut at REASON_VALUE_MAX bytes ("..." marks the cut). */
static void sb_value(struct sbuf *b, const char *s)
{
	size_t len = strlen(s);

	if (len > REASON_VALUE_MAX)
		sb_printf(b, "%.*s...", REASON_VALUE_MAX, s);
	else
		sb_printf(b, "%s", s);
}

static void sb_flags(struct sbuf *b, const struct rtmon_name_val *names, uint32_t v)
{
	char tmp[256];

	sb_printf(b, "%s", names_flags(names, v, "0", tmp, sizeof(tmp)));
}

void rules_format_reason(const struct evst *st, char *out, size_t len)
{
	const struct rtmon_event *e = st->c->ev;
	struct sbuf b = { .p = out, .cap = len };
	const char *who = e->has & RTMON_HAS_EXE ? rule_exe_base(e->exe, ev_program(e)) : e->comm;

	out[0] = '\0';
	sb_value(&b, who[0] ? who : "?");
	sb_printf(&b, " (pid %u)", e->pid);
	for (size_t i = 0; i < st->nrec; i++) {
		const struct rec *rc = &st->recs[i];
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = st->recs[j].n->f == rc->n->f && st->recs[j].s == rc->s && st->recs[j].v == rc->v;
		if (dup)
			continue;
		sb_printf(&b, "%s%s", i ? ", " : ": ", rc->n->f->name);
		switch (rc->n->f->kind) {
		case RF_BOOL:
			break;
		case RF_NUM:
			sb_printf(&b, "=%" PRId64, rc->v);
			break;
		case RF_FLAGS:
			sb_printf(&b, "=");
			sb_flags(&b, rc->n->f->names, (uint32_t)rc->v);
			break;
		default:
			sb_printf(&b, "=");
			sb_value(&b, rc->s);
			break;
		}
	}
}
