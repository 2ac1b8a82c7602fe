/* SPDX-License-Identifier: MIT */
/* hist_query.c - see hist_query.h.  Pure: no I/O, no logging. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* timegm */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "hist_query.h"

const char *const hist_field_param[HIST_FIELDS] = { "rule", "host", "pod", "namespace", "container", "incident" };
const char *const hist_field_json[HIST_FIELDS] = { "rule_id",	   "host",	 "container.pod", "container.namespace",
						   "container.id", "incident_id" };

void hist_query_init(struct hist_query *q)
{
	memset(q, 0, sizeof(*q));
	q->limit = HIST_LIMIT_DEFAULT;
}

/* Exactly n decimal digits at s. Returns the value or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int parse_epoch_us(const char *s, uint64_t *ret_us)
{
	uint64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 19)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ret_us = v;
	return 0;
}

int hist_time_parse(const char *s, uint64_t *ret_us)
{
	struct tm tm = { 0 };
	int64_t secs, off = 0;
	uint64_t frac = 0;
	const char *p;
	int nfrac = 0;

	if (!s)
		return -EINVAL;
	if (!strchr(s, '-') || strlen(s) < 20)
		return parse_epoch_us(s, ret_us);
	/* YYYY-MM-DDTHH:MM:SS */
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < 70 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
	    s[16] != ':' || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 ||
	    tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -EINVAL;
	p = s + 19;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++)
			if (nfrac < 6)
				frac = frac * 10 + (uint64_t)(*p - '0');
		if (nfrac == 0 || nfrac > 9)
			return -EINVAL;
		for (int i = nfrac; i < 6; i++)
			frac *= 10;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		off = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' && digits(p + 1, 2) >= 0 &&
		   digits(p + 1, 2) < 24 && digits(p + 4, 2) >= 0 && digits(p + 4, 2) < 60) {
		off = (int64_t)(digits(p + 1, 2) * 3600 + digits(p + 4, 2) * 60) * (*p == '+' ? 1 : -1);
	} else {
		return -EINVAL;
	}
	secs = (int64_t)timegm(&tm) - off;
	if (secs < 0)
		return -EINVAL;
	*ret_us = (uint64_t)secs * 1000000u + frac;
	return 0;
}

static bool printable(const char *v, size_t max)
{
	size_t n = strlen(v);

	if (n >= max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return false;
	return true;
}

static bool cursor_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= HIST_CURSOR_MAX)
		return false;
	return strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789=;_-") == n;
}

static int parse_severities(const char *v, uint32_t *ret)
{
	char name[16];
	uint32_t set = 0;

	while (*v) {
		size_t n = strcspn(v, ",");
		int s;

		if (n == 0 || n >= sizeof(name))
			return -EINVAL;
		memcpy(name, v, n);
		name[n] = '\0';
		s = severity_from_name(name);
		if (s < 0)
			return -EINVAL;
		set |= 1u << s;
		v += n;
		if (*v == ',' && *++v == '\0')
			return -EINVAL;
	}
	if (!set)
		return -EINVAL;
	*ret = set;
	return 0;
}

int hist_query_set(struct hist_query *q, const char *key, const char *value)
{
	if (!key || !value)
		return -EINVAL;
	if (strcmp(key, "since") == 0)
		return hist_time_parse(value, &q->since_us);
	if (strcmp(key, "until") == 0)
		return hist_time_parse(value, &q->until_us);
	if (strcmp(key, "limit") == 0) {
		uint64_t v;

		if (parse_epoch_us(value, &v) < 0 || v == 0 || v > HIST_LIMIT_MAX)
			return -EINVAL;
		q->limit = (uint32_t)v;
		return 0;
	}
	if (strcmp(key, "severity") == 0)
		return parse_severities(value, &q->severities);
	if (strcmp(key, "cursor") == 0) {
		if (!cursor_ok(value))
			return -EINVAL;
		strcpy(q->cursor, value);
		return 0;
	}
	for (int f = 0; f < HIST_FIELDS; f++) {
		if (strcmp(key, hist_field_param[f]) != 0)
			continue;
		if (!value[0] || !printable(value, HIST_VALUE_MAX))
			return -EINVAL;
		strcpy(q->value[f], value);
		return 0;
	}
	return -ENOENT;
}

int hist_query_check(const struct hist_query *q)
{
	if (q->since_us && q->until_us && q->since_us > q->until_us)
		return -EINVAL;
	return 0;
}

static int put_pair(char *buf, size_t size, size_t *off, const char *k, const char *v)
{
	size_t kl = strlen(k) + 1, vl = strlen(v) + 1;

	if (*off + kl + vl > size)
		return -ENOSPC;
	memcpy(buf + *off, k, kl);
	memcpy(buf + *off + kl, v, vl);
	*off += kl + vl;
	return 0;
}

int hist_query_encode(const struct hist_query *q, char *buf, size_t size)
{
	char num[24], sev[64] = "";
	size_t off = 0;
	int r = 0;

	if (q->since_us) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)q->since_us);
		r |= put_pair(buf, size, &off, "since", num);
	}
	if (q->until_us) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)q->until_us);
		r |= put_pair(buf, size, &off, "until", num);
	}
	snprintf(num, sizeof(num), "%u", q->limit);
	r |= put_pair(buf, size, &off, "limit", num);
	for (int s = RTMON_SEV_INFO; s <= RTMON_SEV_CRITICAL; s++) {
		if (!(q->severities & (1u << s)))
			continue;
		if (sev[0])
			strcat(sev, ",");
		strcat(sev, severity_name((enum rtmon_severity)s));
	}
	if (sev[0])
		r |= put_pair(buf, size, &off, "severity", sev);
	if (q->cursor[0])
		r |= put_pair(buf, size, &off, "cursor", q->cursor);
	for (int f = 0; f < HIST_FIELDS; f++)
		if (q->value[f][0])
			r |= put_pair(buf, size, &off, hist_field_param[f], q->value[f]);
	return r ? -ENOSPC : (int)off;
}

int hist_query_decode(const char *buf, size_t len, struct hist_query *ret)
{
	struct hist_query q;
	size_t off = 0;

	hist_query_init(&q);
	while (off < len) {
		const char *k = buf + off, *v, *kend, *vend;

		kend = memchr(k, '\0', len - off);
		if (!kend || (size_t)(kend + 1 - buf) >= len)
			return -EINVAL;
		v = kend + 1;
		vend = memchr(v, '\0', len - (size_t)(v - buf));
		if (!vend || hist_query_set(&q, k, v) < 0)
			return -EINVAL;
		off = (size_t)(vend + 1 - buf);
	}
	if (hist_query_check(&q) < 0)
		return -EINVAL;
	*ret = q;
	return 0;
}

/* ---- a few JSON steps, for the JSON rtmon writes (well-formed, compact) ---- */

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at '"': returns just past the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	if (p < end && *p == '"')
		return skip_string(p, end);
	for (; p < end; p++) {
		if (*p == '"') {
			p = skip_string(p, end);
			if (!p)
				return NULL;
			p--;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
		} else if (*p == ',' && depth == 0) {
			return p;
		}
	}
	return depth ? NULL : p;
}

/* p at '{': the value of member 'key' (klen bytes), or NULL. */
static const char *member(const char *p, const char *end, const char *key, size_t klen)
{
	p = skip_ws(p + 1, end);
	while (p < end && *p == '"') {
		const char *k = p + 1, *kend = skip_string(p, end);

		if (!kend)
			return NULL;
		p = skip_ws(kend, end);
		if (p >= end || *p != ':')
			return NULL;
		p = skip_ws(p + 1, end);
		if ((size_t)(kend - 1 - k) == klen && memcmp(k, key, klen) == 0)
			return p;
		p = skip_value(p, end);
		if (!p)
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
	}
	return NULL;
}

int hist_json_str(const char *json, size_t len, const char *path, char *buf, size_t size)
{
	const char *end = json + len, *p = skip_ws(json, end), *s, *e;
	size_t n = 0;

	while (*path) {
		size_t klen = strcspn(path, ".");

		if (p >= end || *p != '{' || !(p = member(p, end, path, klen)))
			return -ENOENT;
		path += klen + (path[klen] == '.');
	}
	if (p >= end || *p != '"' || !(e = skip_string(p, end)))
		return -ENOENT;
	for (s = p + 1; s < e - 1; s++) {
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		if (n + 1 >= size)
			return -ENOSPC;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	return 0;
}

bool hist_query_match_json(const struct hist_query *q, const char *json, size_t len)
{
	char v[HIST_VALUE_MAX];

	if (q->since_us || q->until_us) {
		unsigned long long us;

		if (hist_json_str(json, len, "id", v, sizeof(v)) < 0 || sscanf(v, "%llu-", &us) != 1 ||
		    (q->since_us && us < q->since_us) || (q->until_us && us > q->until_us))
			return false;
	}
	if (q->severities) {
		int s;

		if (hist_json_str(json, len, "severity", v, sizeof(v)) < 0 || (s = severity_from_name(v)) < 0 ||
		    !(q->severities & (1u << s)))
			return false;
	}
	for (int f = 0; f < HIST_FIELDS; f++)
		if (q->value[f][0] &&
		    (hist_json_str(json, len, hist_field_json[f], v, sizeof(v)) < 0 || strcmp(v, q->value[f]) != 0))
			return false;
	return true;
}
