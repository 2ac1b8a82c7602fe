/* SPDX-License-Identifier: MIT */
/*
 * jsonw.h - JSON text written straight into a buffer that is reused from one
 * document to the next: no tree of objects, and no allocation at all once the
 * buffer has grown to the largest document (rtmon's alerts and --trace lines).
 * Compact output (no spaces), members in the order written; strings are made
 * valid UTF-8 (each invalid byte becomes U+FFFD) and escaped as JSON needs:
 * \" \\ \b \f \n \r \t, other control characters as \u00XX, '/' as is.
 * Pure.
 */
#ifndef RTMON_JSONW_H
#define RTMON_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

#define RTMON_JSONW_DEPTH_MAX 8

struct rtmon_jsonw {
	struct rtmon_sbuf b;
	unsigned depth;			    /* open objects and arrays */
	char closer[RTMON_JSONW_DEPTH_MAX]; /* '}' or ']' per level */
	bool first[RTMON_JSONW_DEPTH_MAX];  /* no member written yet at this level */
};

/* Empties w (keeping its memory) and opens the top-level object. */
void jsonw_start(struct rtmon_jsonw *w);
/*
 * Closes whatever is open and returns the document (NUL-terminated, owned by
 * w, valid until the next jsonw_start), its length in *ret_len when not NULL;
 * NULL when memory ran out or nesting went past RTMON_JSONW_DEPTH_MAX.
 */
const char *jsonw_finish(struct rtmon_jsonw *w, size_t *ret_len);
/* Frees the memory; w can be started again. */
void jsonw_release(struct rtmon_jsonw *w);

/* Members: key is the member name inside an object, NULL inside an array. */
void jsonw_object(struct rtmon_jsonw *w, const char *key);
void jsonw_array(struct rtmon_jsonw *w, const char *key);
/* Closes the innermost open object or array. */
void jsonw_end(struct rtmon_jsonw *w);
void jsonw_str(struct rtmon_jsonw *w, const char *key, const char *v); /* NULL v: "" */
void jsonw_u64(struct rtmon_jsonw *w, const char *key, uint64_t v);
void jsonw_i64(struct rtmon_jsonw *w, const char *key, int64_t v);
void jsonw_bool(struct rtmon_jsonw *w, const char *key, bool v);

#endif
