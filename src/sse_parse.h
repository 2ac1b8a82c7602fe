/* SPDX-License-Identifier: MIT */
/*
 * sse_parse.h - the client side of GET /events, as the aggregator reads a
 * node (src/aggregate.c): an HTTP/1.x response head, the body (chunked or
 * read until close) and the text/event-stream in it, fed in pieces of any
 * size. Pure: no I/O, no clock, no logging; every byte it reads comes from
 * the network, so every length is bounded and it has a libFuzzer target
 * (tests/fuzz/fuzz_sse_parse.c).
 *
 * Per the SSE specification: lines end in CRLF, LF or CR; "field: value"
 * (one optional space after the colon); a line starting with ':' is a
 * comment (keep-alive); an empty line dispatches the event when it has data;
 * several data lines join with '\n'; "id" with a NUL is ignored; the last id
 * seen persists across events (what Last-Event-ID resumes from). A line
 * holding a NUL byte, or longer than SSE_DATA_MAX, is ignored (counted in
 * 'oversized'), so event data is always a C string.
 */
#ifndef RTMON_SSE_PARSE_H
#define RTMON_SSE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSE_ID_MAX 64		   /* longest event id kept, with NUL (longer ids are ignored) */
#define SSE_EVENT_MAX 32	   /* longest event type kept, with NUL */
#define SSE_HEAD_MAX 8192	   /* bytes of the response head */
#define SSE_DATA_MAX (1024 * 1024) /* bytes of one event's data */

enum sse_parse_state {
	SSE_P_STATUS = 0, /* reading the status line */
	SSE_P_HEADERS,	  /* reading header lines */
	SSE_P_BODY,	  /* body until the connection closes */
	SSE_P_CHUNK_SIZE, /* chunked: a chunk-size line */
	SSE_P_CHUNK_DATA, /* chunked: inside a chunk */
	SSE_P_CHUNK_END,  /* chunked: the CRLF after a chunk */
	SSE_P_TRAILER,	  /* chunked: after the last chunk */
	SSE_P_FAILED,	  /* an error was returned: feed nothing more */
};

/* One dispatched event. 'data' is NUL-terminated, data_len bytes; valid during the callback only. */
struct sse_event {
	const char *id;	  /* the last event id ("" = none yet) */
	const char *type; /* "message" when the event named none */
	const char *data;
	size_t data_len;
};

/* Returns 0 to go on, or a negative errno that sse_parse_feed() then returns. */
typedef int (*sse_event_cb)(void *ud, const struct sse_event *ev);

struct sse_parser {
	enum sse_parse_state state;
	int status;	   /* HTTP status code, 0 until the status line was read */
	bool chunked;	   /* Transfer-Encoding: chunked */
	bool event_stream; /* Content-Type: text/event-stream */
	size_t head_bytes;
	uint64_t chunk_left;
	/* the HTTP line (status, header, chunk size) being read */
	char hline[512];
	size_t hline_len;
	bool hline_cr; /* the last HTTP byte was CR */
	/* the SSE line being read (grows up to SSE_DATA_MAX + a field name) */
	char *line;
	size_t line_len, line_cap;
	bool line_cr;	/* the last SSE byte was CR: a following LF belongs to it */
	bool line_skip; /* the line overflowed: ignore it up to its end */
	/* the event being built */
	char *data;
	size_t data_len, data_cap;
	bool has_data;
	char type[SSE_EVENT_MAX];
	char last_id[SSE_ID_MAX];
	uint64_t events;    /* dispatched */
	uint64_t oversized; /* events or lines dropped for size or a NUL */
};

/* A parser in its initial state (no allocation until data arrives). */
void sse_parser_init(struct sse_parser *p);
/* Frees its buffers and resets it, keeping last_id (a reconnect resumes from it). NULL-safe. */
void sse_parser_reset(struct sse_parser *p);
/* Frees its buffers. NULL-safe. */
void sse_parser_done(struct sse_parser *p);

/*
 * Feeds received bytes; calls cb for each complete event. Returns 0, or
 * -EPROTO (not an HTTP/1.x response, a bad header or chunk line),
 * -EMSGSIZE (the head is larger than SSE_HEAD_MAX), -EBADMSG (the status is
 * not 200: p->status says which), -EMEDIUMTYPE (200 but not
 * text/event-stream), -ENOMEM, or what cb returned. After an error the
 * parser stays failed until sse_parser_reset().
 */
int sse_parse_feed(struct sse_parser *p, const char *buf, size_t len, sse_event_cb cb, void *ud);

/* True when the body ended cleanly (the last chunk of a chunked body was read). */
bool sse_parse_finished(const struct sse_parser *p);

#endif
