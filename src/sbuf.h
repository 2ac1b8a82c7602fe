/* SPDX-License-Identifier: MIT */
/*
 * sbuf.h - a growable byte buffer, always NUL-terminated, whose first
 * allocation failure latches in 'err' (later appends do nothing), so a
 * formatter appends freely and checks once at the end. Reset keeps the
 * memory: a buffer reused from one message to the next stops allocating
 * once it has grown to the largest. Pure.
 */
#ifndef RTMON_SBUF_H
#define RTMON_SBUF_H

#include <stddef.h>

struct rtmon_sbuf {
	char *p;
	size_t len, cap;
	int err; /* 0, -ENOMEM, or -EINVAL (a printf piece over 127 bytes) */
};

/* Empties b for the next message; keeps its memory. */
void sbuf_reset(struct rtmon_sbuf *b);
/* Frees the memory; b is empty and reusable afterwards. */
void sbuf_release(struct rtmon_sbuf *b);
/* Room for 'more' bytes and the NUL; sets err on failure. */
void sbuf_reserve(struct rtmon_sbuf *b, size_t more);
void sbuf_put(struct rtmon_sbuf *b, const void *s, size_t n);
void sbuf_puts(struct rtmon_sbuf *b, const char *s);
/* A short formatted piece (under 128 bytes: numbers, dates). */
void sbuf_printf(struct rtmon_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Appends s[0..n) as valid UTF-8: each invalid byte becomes U+FFFD. An ASCII
 * byte for which esc (when not NULL) returns a string goes out as that string
 * instead (tmp: 8 bytes esc may write it in); the rest is copied in runs.
 */
void sbuf_put_utf8(struct rtmon_sbuf *b, const char *s, size_t n, const char *(*esc)(unsigned char c, char tmp[8]));
/*
 * Makes *buf (capacity *cap) hold at least need bytes, growing in multiples of
 * step (a power of two): a buffer reused for similar contents soon stops
 * growing. *buf is unchanged on -ENOMEM.
 */
int sbuf_fit(char **buf, size_t *cap, size_t need, size_t step);

#endif
