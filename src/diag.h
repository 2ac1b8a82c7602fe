/* SPDX-License-Identifier: MIT */
/*
 * diag.h - a list of "FILE:LINE: message" diagnostics collected by pure code
 * (config and rule compiler), printed by the caller.
 */
#ifndef RTMON_DIAG_H
#define RTMON_DIAG_H

#include <stddef.h>

#define RTMON_DIAG_MAX 64

struct rtmon_diag_item {
	char file[256];
	int line;     /* 0 when no line applies */
	int is_error; /* 0 = warning */
	char msg[256];
};

struct rtmon_diag {
	struct rtmon_diag_item items[RTMON_DIAG_MAX];
	size_t n; /* may stay at RTMON_DIAG_MAX; 'dropped' counts the rest */
	size_t dropped;
	size_t errors;
};

void diag_add(struct rtmon_diag *d, int is_error, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "FILE:LINE: message" (or "FILE: message" when line is 0) into buf. */
void diag_format(const struct rtmon_diag_item *it, char *buf, size_t len);

#endif
