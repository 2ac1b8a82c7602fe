/* SPDX-License-Identifier: MIT */
/*
 * escape.h - attacker-controlled text (argv, paths, comm) made safe to print.
 * Pure.
 */
#ifndef RTMON_ESCAPE_H
#define RTMON_ESCAPE_H

#include <stddef.h>

/*
 * Copies s into out as valid UTF-8: every invalid byte becomes U+FFFD.
 * Always NUL-terminates (when outlen > 0) and never splits a sequence.
 * Returns the bytes written (without NUL).
 */
/*
 * Length (1-4) of the valid UTF-8 sequence at s, reading at most len bytes;
 * 0 when the byte at s does not start one (overlong forms, surrogates and
 * code points past U+10FFFF are invalid). The one UTF-8 validator in rtmon.
 */
size_t utf8_seq_len(const unsigned char *s, size_t len);
size_t utf8_sanitize(const char *s, size_t len, char *out, size_t outlen);
/*
 * For one-line human text (journal MESSAGE, logs): valid UTF-8 as above, and
 * control characters (C0, DEL, C1) written as \xNN, backslash as \\ , so a
 * value can never start a new line or carry an escape sequence.
 */
size_t escape_line(const char *s, char *out, size_t outlen);

#endif
