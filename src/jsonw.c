/* SPDX-License-Identifier: MIT */
/* jsonw.c - see jsonw.h. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "jsonw.h"

/* What JSON needs escaped: the quote, the backslash, control characters. */
static const char *json_escape(unsigned char c, char tmp[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	if (c >= 0x20)
		return NULL;
	memcpy(tmp, "\\u00", 4);
	tmp[4] = "0123456789abcdef"[c >> 4];
	tmp[5] = "0123456789abcdef"[c & 15];
	tmp[6] = '\0';
	return tmp;
}

/* The string body: valid UTF-8, JSON escapes. */
static void put_string(struct rtmon_sbuf *b, const char *s)
{
	sbuf_put(b, "\"", 1);
	sbuf_put_utf8(b, s, strlen(s), json_escape);
	sbuf_put(b, "\"", 1);
}

/* The comma before a member and its "key": part. */
static void member(struct rtmon_jsonw *w, const char *key)
{
	if (w->depth == 0) {
		w->b.err = w->b.err ? w->b.err : -EINVAL;
		return;
	}
	if (!w->first[w->depth - 1])
		sbuf_put(&w->b, ",", 1);
	w->first[w->depth - 1] = false;
	if (key) {
		put_string(&w->b, key);
		sbuf_put(&w->b, ":", 1);
	}
}

static void open_level(struct rtmon_jsonw *w, char opener, char closer)
{
	if (w->depth >= RTMON_JSONW_DEPTH_MAX) {
		w->b.err = w->b.err ? w->b.err : -E2BIG;
		return;
	}
	sbuf_put(&w->b, &opener, 1);
	w->closer[w->depth] = closer;
	w->first[w->depth] = true;
	w->depth++;
}

void jsonw_start(struct rtmon_jsonw *w)
{
	sbuf_reset(&w->b);
	w->depth = 0;
	open_level(w, '{', '}');
}

const char *jsonw_finish(struct rtmon_jsonw *w, size_t *ret_len)
{
	while (w->depth > 0)
		jsonw_end(w);
	if (w->b.err || !w->b.p)
		return NULL;
	if (ret_len)
		*ret_len = w->b.len;
	return w->b.p;
}

void jsonw_release(struct rtmon_jsonw *w)
{
	sbuf_release(&w->b);
	w->depth = 0;
}

void jsonw_object(struct rtmon_jsonw *w, const char *key)
{
	member(w, key);
	open_level(w, '{', '}');
}

void jsonw_array(struct rtmon_jsonw *w, const char *key)
{
	member(w, key);
	open_level(w, '[', ']');
}

void jsonw_end(struct rtmon_jsonw *w)
{
	if (w->depth == 0)
		return;
	w->depth--;
	sbuf_put(&w->b, &w->closer[w->depth], 1);
}

void jsonw_str(struct rtmon_jsonw *w, const char *key, const char *v)
{
	member(w, key);
	put_string(&w->b, v ? v : "");
}

void jsonw_u64(struct rtmon_jsonw *w, const char *key, uint64_t v)
{
	member(w, key);
	sbuf_printf(&w->b, "%" PRIu64, v);
}

void jsonw_i64(struct rtmon_jsonw *w, const char *key, int64_t v)
{
	member(w, key);
	sbuf_printf(&w->b, "%" PRId64, v);
}

void jsonw_bool(struct rtmon_jsonw *w, const char *key, bool v)
{
	member(w, key);
	sbuf_puts(&w->b, v ? "true" : "false");
}
