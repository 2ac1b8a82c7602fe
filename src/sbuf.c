/* SPDX-License-Identifier: MIT */
/* sbuf.c - see sbuf.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sbuf.h"

static const char utf8_replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

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

void sbuf_put_utf8(struct rtmon_sbuf *b, const char *s, size_t n, const char *(*esc)(unsigned char c, char tmp[8]))
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0;
	char tmp[8];

	while (i < n) {
		size_t k = utf8_seq_len(u + i, n - i);
		const char *rep = k == 0 ? utf8_replacement : k == 1 && esc ? esc(u[i], tmp) : NULL;

		if (!rep) {
			i += k;
			continue;
		}
		sbuf_put(b, s + run, i - run);
		sbuf_puts(b, rep);
		run = ++i; /* an invalid byte or an escaped ASCII one: one byte either way */
	}
	sbuf_put(b, s + run, n - run);
}

int sbuf_fit(char **buf, size_t *cap, size_t need, size_t step)
{
	size_t ncap;
	char *p;

	if (need <= *cap)
		return 0;
	ncap = (need + step - 1) & ~(step - 1);
	p = realloc(*buf, ncap);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = ncap;
	return 0;
}
