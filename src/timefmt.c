/* SPDX-License-Identifier: MIT */
/* timefmt.c - see timefmt.h. */
#include <stdio.h>
#include <time.h>

#include "timefmt.h"

size_t time_rfc3339(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;
	int n;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
		return 0;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		     tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ns % 1000000000ull / 1000u));
	return n < 0 ? 0 : ((size_t)n < len ? (size_t)n : len - 1);
}
