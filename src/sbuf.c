/* SPDX-License-Identifier: MIT */
/* sbuf.c - see sbuf.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

void sbuf_reset(struct rtmon_sbuf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->p)
		b->p[0] = '\0';
}

void sbuf_release(struct rtmon_sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void sbuf_reserve(struct rtmon_sbuf *b, size_t more)
{
	size_t ncap;
	char *np;

	if (b->err || b->len + more + 1 <= b->cap)
		return;
	ncap = b->cap ? b->cap : 512;
	while (ncap < b->len + more + 1)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (!np) {
		b->err = -ENOMEM;
		return;
	}
	b->p = np;
	b->cap = ncap;
}

void sbuf_put(struct rtmon_sbuf *b, const void *s, size_t n)
{
	sbuf_reserve(b, n);
	if (b->err)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_puts(struct rtmon_sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

void sbuf_printf(struct rtmon_sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->err = b->err ? b->err : -EINVAL;
		return;
	}
	sbuf_put(b, tmp, (size_t)n);
}
