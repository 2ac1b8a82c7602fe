/* SPDX-License-Identifier: MIT */
/* escape.c - see escape.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"

size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t utf8_sanitize(const char *s, size_t len, char *out, size_t outlen)
{
	static const char repl[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	if (outlen == 0)
		return 0;
	while (i < len && p[i]) {
		size_t n = utf8_seq_len(p + i, len - i);
		const char *src = n ? (const char *)p + i : repl;
		size_t w = n ? n : 3;

		if (o + w >= outlen)
			break;
		memcpy(out + o, src, w);
		o += w;
		i += n ? n : 1;
	}
	out[o] = 0;
	return o;
}

size_t escape_line(const char *s, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0;

	if (outlen == 0)
		return 0;
	while (i < len) {
		size_t n = utf8_seq_len(p + i, len - i);
		char tmp[8];
		size_t w;

		if (n == 0 || p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\' ||
		    (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			/* invalid byte, control character (C0, DEL, C1) or the escape itself */
			w = (size_t)snprintf(tmp, sizeof(tmp), p[i] == '\\' ? "\\\\" : "\\x%02x", p[i]);
			n = n == 2 && p[i] == 0xc2 ? 2 : 1;
			if (n == 2)
				w = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", p[i + 1]);
		} else {
			w = n;
			memcpy(tmp, p + i, n);
		}
		if (o + w >= outlen)
			break;
		memcpy(out + o, tmp, w);
		o += w;
		i += n;
	}
	out[o] = 0;
	return o;
}
