/* SPDX-License-Identifier: MIT */
/* strutil.h - bounded string copy and hashing for fixed-size keys (pure). */
#ifndef RTMON_STRUTIL_H
#define RTMON_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

#define RTMON_FNV_SEED 1469598103934665603ull

/* Copies src (NULL = "") into dst[len], cut to fit, always NUL-terminated. */
void str_copy(char *dst, size_t len, const char *src);
/*
 * FNV-1a of s (NULL = "") continued from h, closed with a separator byte so
 * that chaining ("ab","c") and ("a","bc") differ.
 */
uint64_t str_hash(uint64_t h, const char *s);

#endif
