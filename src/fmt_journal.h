/* SPDX-License-Identifier: MIT */
/*
 * fmt_journal.h - an alert as a list of journald fields (pure: no I/O, no log).
 *
 * fmt_journal() flattens a struct rtmon_alert into MESSAGE, PRIORITY,
 * SYSLOG_IDENTIFIER, MESSAGE_ID, RTMON_* and RTMON_JSON.  Values are kept
 * byte-exact (the journal takes any bytes; journal_entry_serialize() uses the
 * binary-safe form for values with a newline) but bounded.  Only MESSAGE, the
 * line people read in `journalctl`, has its control characters escaped.
 * journal_entry_serialize() produces the journald native protocol payload
 * (what sd_journal_sendv sends), so out_journal.c can send it without blocking.
 */
#ifndef RTMON_FMT_JOURNAL_H
#define RTMON_FMT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "alert.h"
#include "sbuf.h"

#define JOURNAL_FIELDS_MAX 96
#define JOURNAL_MESSAGE_MAX 1024       /* bytes of MESSAGE, after escaping */
#define JOURNAL_VALUE_MAX 16384	       /* bytes of any RTMON_* value but RTMON_JSON */
#define JOURNAL_JSON_MAX (1024 * 1024) /* RTMON_JSON larger than this is left out */

struct journal_field {
	size_t off; /* "NAME=value" starts at buf + off */
	size_t name_len;
	size_t value_len;
};

/* One journal entry: fields stored as "NAME=value" in one growable buffer. */
struct journal_entry {
	char *buf;
	size_t len, cap;
	struct journal_field f[JOURNAL_FIELDS_MAX];
	size_t n;
};

/* Resets the entry to empty, keeping its buffer for reuse. */
void journal_entry_clear(struct journal_entry *e);
/* Frees the buffer; the entry can be reused afterwards. NULL-safe. */
void journal_entry_done(struct journal_entry *e);
/*
 * Appends one field. Returns 0, -EINVAL for an invalid name (journald's rule:
 * [A-Z0-9_], not starting with '_' or a digit, at most 64 bytes), -E2BIG when
 * the entry already has JOURNAL_FIELDS_MAX fields, -ENOMEM.
 */
int journal_entry_add(struct journal_entry *e, const char *name, const void *value, size_t len);
/* The value of the first field named 'name' (not NUL-terminated), NULL when absent. */
const char *journal_entry_get(const struct journal_entry *e, const char *name, size_t *ret_len);

/*
 * Fills 'e' (cleared first) with every field of the alert. 'json' is the
 * alert JSON (may be NULL: no RTMON_JSON). Returns 0 or -errno (-ENOMEM).
 */
int fmt_journal(const struct rtmon_alert *a, const char *json, struct journal_entry *e);

/*
 * The journald native protocol payload of the entry ("NAME=value\n", or
 * "NAME\n" + 64-bit little-endian length + value + "\n" for a value holding a
 * newline), written over 'out' (reused: it grows only for a bigger entry).
 * Returns its length (out->len), or -ENOMEM.
 */
ssize_t journal_entry_serialize(const struct journal_entry *e, struct rtmon_sbuf *out);

/*
 * MESSAGE text of an alert: "rtmon: RULE (SEVERITY): REASON", control bytes,
 * DEL, C1 controls and invalid UTF-8 escaped as \n \t \xHH, at most
 * JOURNAL_MESSAGE_MAX - 1 bytes. Returns the length.
 */
size_t journal_message(const struct rtmon_alert *a, char out[JOURNAL_MESSAGE_MAX]);

#endif
