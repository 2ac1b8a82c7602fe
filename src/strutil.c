/* SPDX-License-Identifier: MIT */
/* strutil.c - see strutil.h. */
#include <string.h>

#include "strutil.h"

void str_copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src ? src : "", len - 1);

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

uint64_t str_hash(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}
