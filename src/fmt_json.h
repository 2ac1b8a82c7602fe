/* SPDX-License-Identifier: MIT */
/*
 * fmt_json.h - events and alerts <-> JSON (json-c). Pure.
 * Keys and shapes: docs/API.md. Every string goes out as valid UTF-8.
 */
#ifndef RTMON_FMT_JSON_H
#define RTMON_FMT_JSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "event.h"

/* "2026-11-29T14:36:40.123456Z" */
void fmt_time_rfc3339(uint64_t ns, char *buf, size_t len);
/* Event object; with_kind adds "kind":"event" (top-level events). Caller puts it. */
struct json_object *fmt_event_json(const struct rtmon_event *ev, int with_kind);
/* Alert object per the SPEC. Caller puts it. */
struct json_object *fmt_alert_json(const struct rtmon_alert *a);
/* Serialises obj as one line (no newline) into a malloc'd string; NULL on ENOMEM. */
char *fmt_json_line(struct json_object *obj);
/*
 * Reads an event back from one JSON line (as --record writes it).
 * Returns 0, -EINVAL when it is not a JSON object of kind "event" with a known
 * type, -ENOMSG for a line that is not an event (an alert line: skipped).
 */
int fmt_event_from_json(const char *line, struct rtmon_event *ev);

/* Name tables, shared with the rules engine. */
const char *fmt_ptrace_request_name(int64_t req);     /* NULL when unknown */
int64_t fmt_ptrace_request_from_name(const char *name); /* -1 when unknown */
const char *fmt_signal_name(int sig);                /* "SIGKILL", NULL when unknown */
int fmt_signal_from_name(const char *name);          /* -1 when unknown */
const char *fmt_fd_kind_name(unsigned kind);         /* "pipe", "socket", "tty", ... */
const char *fmt_bpf_cmd_name(uint32_t cmd);          /* "BPF_LINK_DETACH", NULL when unknown */
const char *fmt_family_name(uint16_t family);        /* "inet", "inet6", "unix", NULL */
int fmt_family_from_name(const char *name);           /* -1 when unknown */
struct rtmon_flag_name {
	uint32_t bit;
	const char *name;
};
extern const struct rtmon_flag_name fmt_prot_names[];   /* terminated by {0, NULL} */
extern const struct rtmon_flag_name fmt_mmap_flag_names[];
extern const struct rtmon_flag_name fmt_memfd_flag_names[];
/* name -> bit in a table, 0 when unknown */
uint32_t fmt_flag_from_name(const struct rtmon_flag_name *t, const char *name);

#endif
