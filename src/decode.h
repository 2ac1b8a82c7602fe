/* SPDX-License-Identifier: MIT */
/*
 * decode.h - a raw ring-buffer record -> struct rtmon_event. Pure and
 * bounds-checked: the record's size is checked before every read, every
 * string is cut at its section's end.
 */
#ifndef RTMON_DECODE_H
#define RTMON_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/*
 * boot_to_real_ns: add to a CLOCK_BOOTTIME value to get CLOCK_REALTIME.
 * Returns 0, or -EBADMSG for a short/inconsistent record, -EPROTONOSUPPORT
 * for an unknown record type.
 */
int decode_record(const void *data, size_t size, int64_t boot_to_real_ns, struct rtmon_event *ev);

/*
 * Address bytes -> text (inet_ntop); "" for other families. Returns the
 * family the text is in: AF_INET for an IPv4-mapped IPv6 address.
 */
uint16_t decode_addr(uint16_t family, const uint8_t addr[16], char *out, size_t len);
/* Leaf-first NUL-separated components -> "/a/b/c". Returns the length written. */
size_t decode_path(const char *comps, size_t len, char *out, size_t outlen);

#endif
