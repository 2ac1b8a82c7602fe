/* SPDX-License-Identifier: MIT */
/*
 * fmt_json.h - events and alerts <-> JSON: written with jsonw (no allocation
 * once its buffer has grown; fmt_json.c), read back (replay) with json-c
 * (fmt_json_read.c). Pure.
 * Keys and shapes: docs/API.md. Every string goes out as valid UTF-8.
 */
#ifndef RTMON_FMT_JSON_H
#define RTMON_FMT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "event.h"
#include "jsonw.h"

/*
 * An event as one JSON line (no newline) written into w; with_kind adds
 * "kind":"event" (top-level events). The line belongs to w and lives until
 * w is started again; NULL when memory ran out.
 */
const char *fmt_event_json(struct rtmon_jsonw *w, const struct rtmon_event *ev, int with_kind);
/* An alert per the SPEC as one JSON line, the same way. */
const char *fmt_alert_json(struct rtmon_jsonw *w, const struct rtmon_alert *a);
/*
 * fmt_json_read.c: reads an event back from one JSON line (as --record writes it).
 * Returns 0, -EINVAL when it is not a JSON object of kind "event" with a known
 * type, -ENOMSG for a line that is not an event (an alert line: skipped).
 */
int fmt_event_from_json(const char *line, struct rtmon_event *ev);

#endif
