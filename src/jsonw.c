/* SPDX-License-Identifier: MIT */
/* jsonw.c - see jsonw.h. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "escape.h"
#include "jsonw.h"

static const char utf8_replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* The string body: valid UTF-8, JSON escapes. Runs of plain bytes go in one copy. */
static void put_string(struct rtmon_sbuf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, run = 0;

	sbuf_put(b, "\"", 1);
	while (i < n) {
		size_t k = utf8_seq_len(u + i, n - i);
		unsigned char c = u[i];
		char esc[8];

		if (k > 1 || (k == 1 && c >= 0x20 && c != '"' && c != '\\')) {
			i += k;
			continue;
		}
		sbuf_put(b, s + run, i - run);
		if (k == 0) {
			sbuf_put(b, utf8_replacement, sizeof(utf8_replacement) - 1);
		} else {
			switch (c) {
			case '"': sbuf_put(b, "\\\"", 2); break;
			case '\\': sbuf_put(b, "\\\\", 2); break;
			case '\b': sbuf_put(b, "\\b", 2); break;
			case '\f': sbuf_put(b, "\\f", 2); break;
			case '\n': sbuf_put(b, "\\n", 2); break;
			case '\r': sbuf_put(b, "\\r", 2); break;
			case '\t': sbuf_put(b, "\\t", 2); break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = "0123456789abcdef"[c >> 4];
				esc[5] = "0123456789abcdef"[c & 15];
				sbuf_put(b, esc, 6);
			}
		}
		i++;
		run = i;
	}
	sbuf_put(b, s + run, n - run);
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
