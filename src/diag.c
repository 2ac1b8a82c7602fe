/* SPDX-License-Identifier: MIT */
/* diag.c - collected diagnostics (pure). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

void diag_add(struct rtmon_diag *d, int is_error, const char *file, int line, const char *fmt, ...)
{
	struct rtmon_diag_item *it;
	va_list ap;

	if (!d)
		return;
	if (is_error)
		d->errors++;
	if (d->n >= RTMON_DIAG_MAX) {
		d->dropped++;
		return;
	}
	it = &d->items[d->n++];
	snprintf(it->file, sizeof(it->file), "%s", file ? file : "");
	it->line = line;
	it->is_error = is_error;
	va_start(ap, fmt);
	vsnprintf(it->msg, sizeof(it->msg), fmt, ap);
	va_end(ap);
}

void diag_format(const struct rtmon_diag_item *it, char *buf, size_t len)
{
	const char *sev = it->is_error ? "" : "warning: ";

	if (it->line > 0)
		snprintf(buf, len, "%s:%d: %s%s", it->file, it->line, sev, it->msg);
	else if (it->file[0])
		snprintf(buf, len, "%s: %s%s", it->file, sev, it->msg);
	else
		snprintf(buf, len, "%s%s", sev, it->msg);
}
