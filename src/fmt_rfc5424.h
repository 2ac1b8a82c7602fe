/* SPDX-License-Identifier: MIT */
/*
 * fmt_rfc5424.h - an alert as one RFC5424 syslog message (pure: no I/O, no
 * clock, no log).
 *
 *   <PRI>1 TIMESTAMP HOSTNAME rtmon PROCID MSGID [rtmon@PEN k="v" ...] MSG
 *
 * MSGID is the rule id, the structured data carries the key fields, MSG is
 * the alert JSON (optionally after a UTF-8 BOM).  Every field is sanitized:
 * header fields to PRINTUSASCII, PARAM-VALUEs escaped (\" \\ \]) and made
 * valid UTF-8 (each invalid byte becomes U+FFFD), MSG made valid UTF-8.
 * A size limit trims MSG at a UTF-8 boundary, never the header or the SD.
 */
#ifndef RTMON_FMT_RFC5424_H
#define RTMON_FMT_RFC5424_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "sbuf.h"

/* 32473 is the private enterprise number reserved for documentation (RFC 5612). */
#define RFC5424_PEN_DOC 32473
#define RFC5424_HOSTNAME_MAX 255
#define RFC5424_MSGID_MAX 32
#define RFC5424_PARAM_NAME_MAX 32
#define RFC5424_APP_NAME "rtmon"

struct rfc5424_opts {
	int facility;	      /* 0-23 */
	uint32_t pen;	      /* SD-ID rtmon@<pen> */
	bool bom;	      /* UTF-8 BOM before MSG */
	const char *hostname; /* NULL or "" = "-" */
	uint32_t procid;      /* 0 = "-" */
	size_t max_len;	      /* whole message in bytes (without transport framing); 0 = no limit */
};

/*
 * Formats one alert. Returns 0 with *ret (malloc'ed, NUL-terminated, owned by
 * the caller), *ret_len and *ret_trimmed (MSG was shortened to fit max_len);
 * -EINVAL on a bad facility or NULL argument, -EMSGSIZE when the header and
 * the structured data alone exceed max_len, -ENOMEM.
 */
int rfc5424_format(const struct rfc5424_opts *o, const struct rtmon_alert *a, const char *json, char **ret,
		   size_t *ret_len, bool *ret_trimmed);
/*
 * The same into buffers the caller reuses from one alert to the next (no
 * allocation once they have grown): the message in *out (its length out->len),
 * *scratch holds MSG on the way. Same returns, with the buffer's -ENOMEM.
 */
int rfc5424_format_buf(const struct rfc5424_opts *o, const struct rtmon_alert *a, const char *json,
		       struct rtmon_sbuf *out, struct rtmon_sbuf *scratch, bool *ret_trimmed);

/* Syslog severity of an alert severity: critical 2, high 3, medium 4, low 5, info 6. */
int rfc5424_severity(enum rtmon_severity s);
/* facility * 8 + severity; -EINVAL when the facility is not 0-23. */
int rfc5424_pri(int facility, enum rtmon_severity s);
/* "2026-11-29T14:36:40.123456Z" (27 bytes + NUL) into buf; "-" when ns is 0. Returns the length. */
size_t rfc5424_timestamp(uint64_t ns, char *buf, size_t size);
/* Copies s into dst as PRINTUSASCII (others become '_'), at most max bytes; "-" when empty. */
size_t rfc5424_printusascii(const char *s, size_t max, char *dst, size_t size);
/*
 * Length of the longest prefix of s[0..len) no longer than max that does not
 * end inside a UTF-8 sequence (s must be valid UTF-8).
 */
size_t rfc5424_utf8_cut(const char *s, size_t len, size_t max);
/* True when name is a valid PARAM-NAME: 1-32 PRINTUSASCII except '=' ' ' ']' '"'. */
bool rfc5424_param_name_valid(const char *name);

#endif
