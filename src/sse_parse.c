/* SPDX-License-Identifier: MIT */
/* sse_parse.c - see sse_parse.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sse_parse.h"

#define SSE_LINE_MAX (SSE_DATA_MAX + 16)

void sse_parser_init(struct sse_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void sse_parser_done(struct sse_parser *p)
{
	if (!p)
		return;
	free(p->line);
	free(p->data);
	p->line = p->data = NULL;
	p->line_cap = p->data_cap = 0;
}

void sse_parser_reset(struct sse_parser *p)
{
	char id[SSE_ID_MAX];
	uint64_t events, oversized;

	if (!p)
		return;
	memcpy(id, p->last_id, sizeof(id));
	events = p->events;
	oversized = p->oversized;
	sse_parser_done(p);
	sse_parser_init(p);
	memcpy(p->last_id, id, sizeof(id));
	p->events = events;
	p->oversized = oversized;
}

bool sse_parse_finished(const struct sse_parser *p)
{
	return p->state == SSE_P_TRAILER;
}

static int grow(char **buf, size_t *cap, size_t need, size_t max)
{
	size_t n = *cap ? *cap : 256;
	char *b;

	if (need <= *cap)
		return 0;
	if (need > max)
		return -EMSGSIZE;
	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	b = realloc(*buf, n);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*cap = n;
	return 0;
}

/* ---- the event stream ---- */

static int dispatch(struct sse_parser *p, sse_event_cb cb, void *ud)
{
	struct sse_event ev;
	bool had = p->has_data;
	int r = 0;

	p->has_data = false;
	if (had && p->data_len > SSE_DATA_MAX) {
		p->oversized++;
	} else if (had) {
		if (p->data_len && p->data[p->data_len - 1] == '\n')
			p->data_len--; /* the newline after the last data line */
		p->data[p->data_len] = '\0';
		ev.id = p->last_id;
		ev.type = p->type[0] ? p->type : "message";
		ev.data = p->data;
		ev.data_len = p->data_len;
		p->events++;
		r = cb(ud, &ev);
	}
	p->data_len = 0;
	p->type[0] = '\0';
	return r;
}

static int add_data(struct sse_parser *p, const char *v, size_t n)
{
	int r;

	p->has_data = true;
	if (p->data_len > SSE_DATA_MAX)
		return 0; /* already too big: the event is dropped at dispatch */
	if (p->data_len + n + 2 > SSE_DATA_MAX + 2) {
		p->data_len = SSE_DATA_MAX + 1;
		return 0;
	}
	r = grow(&p->data, &p->data_cap, p->data_len + n + 2, SSE_DATA_MAX + 2);
	if (r < 0)
		return r;
	memcpy(p->data + p->data_len, v, n);
	p->data_len += n;
	p->data[p->data_len++] = '\n';
	return 0;
}

static int sse_line(struct sse_parser *p, sse_event_cb cb, void *ud)
{
	const char *l = p->line, *colon, *v;
	size_t n = p->line_len, fn, vn;

	if (p->line_skip) {
		p->line_skip = false;
		p->oversized++;
		return 0;
	}
	if (n == 0)
		return dispatch(p, cb, ud);
	if (l[0] == ':')
		return 0; /* a comment: keep-alive */
	colon = memchr(l, ':', n);
	fn = colon ? (size_t)(colon - l) : n;
	v = colon ? colon + 1 : l + n;
	vn = n - (size_t)(v - l);
	if (vn && v[0] == ' ') {
		v++;
		vn--;
	}
	if (fn == 4 && memcmp(l, "data", 4) == 0)
		return add_data(p, v, vn);
	if (fn == 5 && memcmp(l, "event", 5) == 0) {
		if (vn < sizeof(p->type) && !memchr(v, '\0', vn)) {
			memcpy(p->type, v, vn);
			p->type[vn] = '\0';
		} else {
			p->type[0] = '\0';
		}
	} else if (fn == 2 && memcmp(l, "id", 2) == 0) {
		if (vn < sizeof(p->last_id) && !memchr(v, '\0', vn)) {
			memcpy(p->last_id, v, vn);
			p->last_id[vn] = '\0';
		}
	}
	return 0; /* "retry" and unknown fields are ignored */
}

static int sse_bytes(struct sse_parser *p, const char *b, size_t len, sse_event_cb cb, void *ud)
{
	for (size_t i = 0; i < len; i++) {
		char c = b[i];
		int r;

		if (p->line_cr && c == '\n') {
			p->line_cr = false;
			continue;
		}
		p->line_cr = c == '\r';
		if (c == '\r' || c == '\n') {
			r = sse_line(p, cb, ud);
			p->line_len = 0;
			if (r < 0)
				return r;
			continue;
		}
		if (p->line_skip)
			continue;
		if (c == '\0' || p->line_len + 1 > SSE_LINE_MAX) { /* data is handed on as a C string */
			p->line_skip = true;
			continue;
		}
		r = grow(&p->line, &p->line_cap, p->line_len + 1, SSE_LINE_MAX);
		if (r < 0)
			return r;
		p->line[p->line_len++] = c;
	}
	return 0;
}

/* ---- HTTP ---- */

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

static int status_line(struct sse_parser *p, const char *l)
{
	if (strncmp(l, "HTTP/1.", 7) != 0 || (l[7] != '0' && l[7] != '1') || l[8] != ' ')
		return -EPROTO;
	l += 9;
	if (l[0] < '1' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' || l[2] > '9' ||
	    (l[3] != ' ' && l[3] != '\0'))
		return -EPROTO;
	p->status = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	p->state = SSE_P_HEADERS;
	return 0;
}

static int header_line(struct sse_parser *p, const char *l)
{
	const char *colon = strchr(l, ':'), *v;

	if (!l[0]) { /* the end of the head */
		if (p->status != 200)
			return -EBADMSG;
		if (!p->event_stream)
			return -EMEDIUMTYPE;
		p->state = p->chunked ? SSE_P_CHUNK_SIZE : SSE_P_BODY;
		return 0;
	}
	if (!colon || colon == l)
		return -EPROTO;
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	if (starts_ci(l, "transfer-encoding:"))
		p->chunked = contains_ci(v, "chunked");
	else if (starts_ci(l, "content-type:"))
		p->event_stream = starts_ci(v, "text/event-stream");
	return 0;
}

static int chunk_size_line(struct sse_parser *p, const char *l)
{
	uint64_t n = 0;
	const char *s = l;

	for (; *s && *s != ';' && *s != ' ' && *s != '\t'; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 :
						 -1;

		if (d < 0 || n > (UINT32_MAX >> 4))
			return -EPROTO;
		n = n * 16 + (uint64_t)d;
	}
	if (s == l)
		return -EPROTO;
	p->chunk_left = n;
	p->state = n ? SSE_P_CHUNK_DATA : SSE_P_TRAILER;
	return 0;
}

/* One complete HTTP line (status, header, chunk size, the CRLF after a chunk). */
static int http_line(struct sse_parser *p)
{
	const char *l = p->hline;

	switch (p->state) {
	case SSE_P_STATUS:
		return status_line(p, l);
	case SSE_P_HEADERS:
		return header_line(p, l);
	case SSE_P_CHUNK_SIZE:
		return chunk_size_line(p, l);
	case SSE_P_CHUNK_END:
		if (l[0])
			return -EPROTO;
		p->state = SSE_P_CHUNK_SIZE;
		return 0;
	default:
		return 0;
	}
}

/* Reads one byte of an HTTP line; a long header line keeps its start (only a few headers matter). */
static int http_byte(struct sse_parser *p, char c)
{
	int r;

	if (p->state == SSE_P_STATUS || p->state == SSE_P_HEADERS) {
		if (++p->head_bytes > SSE_HEAD_MAX)
			return -EMSGSIZE;
	}
	if (c == '\r') {
		p->hline_cr = true;
		return 0;
	}
	if (c != '\n') {
		if (p->hline_cr || c == '\0')
			return -EPROTO; /* a bare CR or a NUL inside a line */
		if (p->hline_len + 1 < sizeof(p->hline))
			p->hline[p->hline_len++] = c;
		else if (p->state != SSE_P_HEADERS)
			return -EPROTO;
		return 0;
	}
	p->hline[p->hline_len] = '\0';
	r = http_line(p);
	p->hline_len = 0;
	p->hline_cr = false;
	return r;
}

static int feed(struct sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud)
{
	size_t i = 0;
	int r;

	while (i < len) {
		switch (p->state) {
		case SSE_P_BODY:
			return sse_bytes(p, buf + i, len - i, cb, ud);
		case SSE_P_CHUNK_DATA: {
			size_t n = len - i < p->chunk_left ? len - i : (size_t)p->chunk_left;

			r = sse_bytes(p, buf + i, n, cb, ud);
			if (r < 0)
				return r;
			i += n;
			p->chunk_left -= n;
			if (!p->chunk_left)
				p->state = SSE_P_CHUNK_END;
			break;
		}
		case SSE_P_TRAILER:
			return 0;
		default:
			r = http_byte(p, buf[i++]);
			if (r < 0)
				return r;
			break;
		}
	}
	return 0;
}

int sse_parse_feed(struct sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud)
{
	int r;

	if (p->state == SSE_P_FAILED)
		return -EPROTO;
	r = feed(p, buf, len, cb, ud);
	if (r < 0)
		p->state = SSE_P_FAILED;
	return r;
}
