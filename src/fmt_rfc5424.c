/* SPDX-License-Identifier: MIT */
/* fmt_rfc5424.c - see fmt_rfc5424.h. Pure: no I/O, no clock, no log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmt_rfc5424.h"
#include "sbuf.h"
#include "timefmt.h"

/* What a PARAM-VALUE needs escaped: '"' '\' ']' get a backslash. */
static const char *sd_escape(unsigned char c, char tmp[8])
{
	(void)tmp;
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case ']':
		return "\\]";
	}
	return NULL;
}

int rfc5424_severity(enum rtmon_severity s)
{
	/* syslog severities: the same mapping journald's PRIORITY uses */
	return severity_journal_priority(s);
}

int rfc5424_pri(int facility, enum rtmon_severity s)
{
	if (facility < 0 || facility > 23)
		return -EINVAL;
	return facility * 8 + rfc5424_severity(s);
}

/* Own table: the formatter links nothing but itself (alert.c has severity_name()). */
static const char *sev_name(enum rtmon_severity s)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical" };

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "info";
}

size_t rfc5424_timestamp(uint64_t ns, char *buf, size_t size)
{
	size_t n;

	if (size == 0)
		return 0;
	n = ns ? time_rfc3339(ns, buf, size) : 0;
	if (n)
		return n;
	snprintf(buf, size, "-"); /* NILVALUE */
	return strlen(buf);
}

size_t rfc5424_printusascii(const char *s, size_t max, char *dst, size_t size)
{
	size_t i, n = 0;

	if (size == 0)
		return 0;
	for (i = 0; s && s[i] && n < max && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[n++] = (c >= 33 && c <= 126) ? (char)c : '_';
	}
	if (n == 0 && size >= 2)
		dst[n++] = '-';
	dst[n] = '\0';
	return n;
}

size_t rfc5424_utf8_cut(const char *s, size_t len, size_t max)
{
	size_t cut;

	if (len <= max)
		return len;
	cut = max;
	/* back off over continuation bytes to the start of the sequence cut in two */
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	return cut;
}

bool rfc5424_param_name_valid(const char *name)
{
	size_t i;

	if (!name || !name[0] || strlen(name) > RFC5424_PARAM_NAME_MAX)
		return false;
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"')
			return false;
	}
	return true;
}

static void sd_param(struct rtmon_sbuf *b, const char *name, const char *value)
{
	if (!value || !rfc5424_param_name_valid(name))
		return;
	sbuf_printf(b, " %s=\"", name);
	sbuf_put_utf8(b, value, strlen(value), sd_escape);
	sbuf_put(b, "\"", 1);
}

static void sd_param_u(struct rtmon_sbuf *b, const char *name, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	sd_param(b, name, num);
}

static void format_sd(struct rtmon_sbuf *b, uint32_t pen, const struct rtmon_alert *a)
{
	const struct rtmon_event *ev = a->event;
	const char *cid = NULL;

	sbuf_printf(b, "[rtmon@%u", pen);
	sd_param(b, "id", a->id[0] ? a->id : NULL);
	sd_param(b, "rule_id", a->rule_id && a->rule_id[0] ? a->rule_id : NULL);
	sd_param(b, "severity", sev_name(a->severity));
	sd_param_u(b, "risk_score", (unsigned long long)(a->risk_score < 0 ? 0 : a->risk_score));
	if (ev) {
		sd_param_u(b, "pid", ev->pid);
		if (ev->has & RTMON_HAS_PPID)
			sd_param_u(b, "ppid", ev->ppid);
		if (ev->has & RTMON_HAS_UID)
			sd_param_u(b, "uid", ev->uid);
		if ((ev->has & RTMON_HAS_EXE) && ev->exe[0])
			sd_param(b, "exe", ev->exe);
		if ((ev->has & RTMON_HAS_CONTAINER) && ev->container_id[0])
			cid = ev->container_id;
	}
	if (a->container && a->container->id[0])
		cid = a->container->id;
	sd_param(b, "container_id", cid);
	if (a->container) {
		sd_param(b, "pod", a->container->pod[0] ? a->container->pod : NULL);
		sd_param(b, "namespace", a->container->ns[0] ? a->container->ns : NULL);
	}
	sd_param(b, "addr", a->addr[0] ? a->addr : NULL);
	sd_param(b, "incident_id", a->incident_id[0] ? a->incident_id : NULL);
	if (a->incident)
		sd_param(b, "kind", "incident");
	if (a->folded)
		sd_param_u(b, "folded", a->folded);
	sbuf_put(b, "]", 1);
}

static void format_header(struct rtmon_sbuf *b, const struct rfc5424_opts *o, const struct rtmon_alert *a, int pri)
{
	char ts[40], host[RFC5424_HOSTNAME_MAX + 1], msgid[RFC5424_MSGID_MAX + 1];

	rfc5424_timestamp(a->time_ns, ts, sizeof(ts));
	rfc5424_printusascii(o->hostname, RFC5424_HOSTNAME_MAX, host, sizeof(host));
	rfc5424_printusascii(a->rule_id, RFC5424_MSGID_MAX, msgid, sizeof(msgid));
	sbuf_printf(b, "<%d>1 %s ", pri, ts);
	sbuf_puts(b, host);
	sbuf_puts(b, " " RFC5424_APP_NAME " ");
	if (o->procid)
		sbuf_printf(b, "%u", o->procid);
	else
		sbuf_puts(b, "-");
	sbuf_put(b, " ", 1);
	sbuf_puts(b, msgid);
	sbuf_put(b, " ", 1);
}

int rfc5424_format_buf(const struct rfc5424_opts *o, const struct rtmon_alert *a, const char *json,
		       struct rtmon_sbuf *b, struct rtmon_sbuf *msg, bool *ret_trimmed)
{
	size_t head, room, cut;
	bool trimmed = false;
	int pri, r;

	if (!o || !a || !b || !msg)
		return -EINVAL;
	pri = rfc5424_pri(o->facility, a->severity);
	if (pri < 0)
		return pri;
	sbuf_reset(b);
	sbuf_reset(msg);
	format_header(b, o, a, pri);
	format_sd(b, o->pen, a);
	/* MSG: BOM + JSON made valid UTF-8 (fmt_json should already produce it) */
	if (o->bom)
		sbuf_put(msg, "\xef\xbb\xbf", 3);
	if (json)
		sbuf_put_utf8(msg, json, strlen(json), NULL);
	r = b->err ? b->err : msg->err;
	if (r < 0)
		return r;
	head = b->len;
	if (o->max_len && head > o->max_len)
		return -EMSGSIZE;
	if (msg->len > 0) {
		room = o->max_len ? o->max_len - head : SIZE_MAX;
		/* " " + MSG; a BOM alone (or nothing) left after trimming is not worth sending */
		cut = room > 1 ? rfc5424_utf8_cut(msg->p, msg->len, room - 1) : 0;
		trimmed = cut < msg->len;
		if (cut > (o->bom ? 3u : 0u)) {
			sbuf_put(b, " ", 1);
			sbuf_put(b, msg->p, cut);
		}
	}
	if (b->err < 0)
		return b->err;
	if (ret_trimmed)
		*ret_trimmed = trimmed;
	return 0;
}

int rfc5424_format(const struct rfc5424_opts *o, const struct rtmon_alert *a, const char *json, char **ret,
		   size_t *ret_len, bool *ret_trimmed)
{
	struct rtmon_sbuf b = { 0 }, msg = { 0 };
	int r;

	if (!ret || !ret_len)
		return -EINVAL;
	r = rfc5424_format_buf(o, a, json, &b, &msg, ret_trimmed);
	if (r == 0) {
		*ret = b.p;
		*ret_len = b.len;
		b.p = NULL;
	}
	free(b.p);
	free(msg.p);
	return r;
}
