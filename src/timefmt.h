/* SPDX-License-Identifier: MIT */
/* timefmt.h - the one timestamp format of rtmon's outputs (JSON, journald, RFC5424). Pure. */
#ifndef RTMON_TIMEFMT_H
#define RTMON_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* Long enough for any time_rfc3339() result, with its NUL. */
#define RTMON_RFC3339_LEN 32

/*
 * Writes ns (since the epoch) as RFC 3339 in UTC with microseconds,
 * "2026-11-29T14:36:40.123456Z", into buf (len bytes, always NUL-terminated
 * when len > 0). Returns the length written, or 0 (buf "") when len is 0 or
 * the time has no four-digit year.
 */
size_t time_rfc3339(uint64_t ns, char *buf, size_t len);

#endif
