/* SPDX-License-Identifier: MIT */
/* agg_alert.c - see agg_alert.h. json-c reads; nothing here writes JSON. */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg_alert.h"
#include "fmt_json.h"
#include "http_util.h"

static struct json_object *member(struct json_object *o, const char *k, enum json_type t)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* Copies a string member into buf (truncated to fit); 0 when absent or not a string. */
static int str_member(struct json_object *o, const char *k, char *buf, size_t len)
{
	struct json_object *v = member(o, k, json_type_string);

	if (!v)
		return 0;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 1;
}

/* "2026-11-29T14:36:40.123456Z" -> ns; 0 when it does not parse. */
static uint64_t rfc3339_ns(const char *s)
{
	struct tm tm = { 0 };
	unsigned usec = 0, scale = 100000;
	int n = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec, &n) != 6 ||
	    n == 0)
		return 0;
	if (s[n] == '.')
		for (n++; s[n] >= '0' && s[n] <= '9'; n++, scale /= 10)
			usec += (unsigned)(s[n] - '0') * scale;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (uint64_t)timegm(&tm) * 1000000000ull + (uint64_t)usec * 1000ull;
}

static bool host_valid(const char *h)
{
	if (!h[0])
		return false;
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static void read_lineage(struct json_object *o, struct agg_alert *r)
{
	struct json_object *arr = member(o, "lineage", json_type_array);
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n && r->a.n_lineage < RTMON_LINEAGE_MAX; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i), *pid;
		struct rtmon_ancestor *an = &r->a.lineage[r->a.n_lineage];
		size_t k = r->a.n_lineage;

		if (!json_object_is_type(e, json_type_object))
			continue;
		memset(an, 0, sizeof(*an));
		if ((pid = member(e, "pid", json_type_int)))
			an->pid = (uint32_t)json_object_get_int64(pid);
		r->lin_comm[k][0] = '\0';
		str_member(e, "comm", r->lin_comm[k], sizeof(r->lin_comm[k]));
		an->comm = r->lin_comm[k];
		if (str_member(e, "exe", r->lin_exe[k], sizeof(r->lin_exe[k])))
			an->exe = r->lin_exe[k];
		r->a.n_lineage++;
	}
}

static void read_container(struct json_object *o, struct agg_alert *r)
{
	struct json_object *c = member(o, "container", json_type_object);

	if (!c || !str_member(c, "id", r->ctr.id, sizeof(r->ctr.id)))
		return;
	str_member(c, "runtime", r->ctr.runtime, sizeof(r->ctr.runtime));
	str_member(c, "pod_uid", r->ctr.pod_uid, sizeof(r->ctr.pod_uid));
	str_member(c, "pod", r->ctr.pod, sizeof(r->ctr.pod));
	str_member(c, "namespace", r->ctr.ns, sizeof(r->ctr.ns));
	str_member(c, "image", r->ctr.image, sizeof(r->ctr.image));
	r->a.container = &r->ctr;
}

static void read_misc(struct json_object *o, struct agg_alert *r)
{
	struct json_object *v, *sum;
	char ts[64] = "";

	if ((v = member(o, "risk_score", json_type_int)))
		r->a.risk_score = (int)json_object_get_int64(v);
	str_member(o, "reason", r->a.reason, sizeof(r->a.reason));
	if ((v = member(o, "mitre", json_type_array)))
		for (size_t i = 0; i < json_object_array_length(v) && r->a.n_mitre < RTMON_MITRE_MAX; i++) {
			struct json_object *m = json_object_array_get_idx(v, i);

			if (!json_object_is_type(m, json_type_string))
				continue;
			snprintf(r->mitre[r->a.n_mitre], AGG_MITRE_LEN, "%s", json_object_get_string(m));
			r->a.mitre[r->a.n_mitre] = r->mitre[r->a.n_mitre];
			r->a.n_mitre++;
		}
	if (str_member(o, "timestamp", ts, sizeof(ts)))
		r->a.time_ns = rfc3339_ns(ts);
	if (str_member(o, "description", r->description, sizeof(r->description)))
		r->a.description = r->description;
	str_member(o, "addr", r->a.addr, sizeof(r->a.addr));
	str_member(o, "incident_id", r->a.incident_id, sizeof(r->a.incident_id));
	if ((sum = member(o, "summary", json_type_object))) {
		if (!str_member(sum, "kind", r->summary_kind, sizeof(r->summary_kind)))
			snprintf(r->summary_kind, sizeof(r->summary_kind), "fold");
		r->a.summary_kind = r->summary_kind;
		r->a.folded = 1;
		if ((v = member(sum, "count", json_type_int)) && json_object_get_int64(v) > 0)
			r->a.folded = (uint32_t)json_object_get_int64(v);
		if (str_member(sum, "first", ts, sizeof(ts)))
			r->a.first_ns = rfc3339_ns(ts);
		if (str_member(sum, "last", ts, sizeof(ts)))
			r->a.last_ns = rfc3339_ns(ts);
	}
}

/* The event member, read by the --replay reader (it takes an object without "kind"). */
static void read_event(struct json_object *o, struct agg_alert *r)
{
	struct json_object *e = member(o, "event", json_type_object);

	if (e && fmt_event_from_json(json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN), &r->ev) == 0)
		r->a.event = &r->ev;
}

static int read_alert(struct json_object *o, struct agg_alert *r)
{
	char kind[16] = "", sev[16] = "";
	uint64_t usec, seq;
	int s;

	if (!json_object_is_type(o, json_type_object) || !str_member(o, "kind", kind, sizeof(kind)) ||
	    (strcmp(kind, "alert") != 0 && strcmp(kind, "incident") != 0))
		return -EINVAL;
	if (!str_member(o, "id", r->a.id, sizeof(r->a.id)) ||
	    strlen(json_object_get_string(member(o, "id", json_type_string))) >= sizeof(r->a.id) ||
	    http_parse_event_id(r->a.id, &usec, &seq) < 0 || !strchr(r->a.id, '-'))
		return -EINVAL;
	if (!str_member(o, "host", r->host, sizeof(r->host)) || !host_valid(r->host) ||
	    strlen(json_object_get_string(member(o, "host", json_type_string))) >= sizeof(r->host))
		return -EINVAL;
	if (!str_member(o, "rule_id", r->rule_id, sizeof(r->rule_id)) || !r->rule_id[0])
		return -EINVAL;
	str_member(o, "severity", sev, sizeof(sev));
	s = severity_from_name(sev);
	if (s < 0)
		return -EINVAL;
	r->a.seq = seq;
	r->a.host = r->host;
	r->a.rule_id = r->rule_id;
	r->a.severity = (enum rtmon_severity)s;
	read_misc(o, r);
	read_event(o, r);
	read_lineage(o, r);
	read_container(o, r);
	return 0;
}

int agg_alert_parse(const char *json, struct agg_alert *ret)
{
	struct json_object *o;
	int r;

	if (!json || !ret)
		return -EINVAL;
	memset(&ret->a, 0, sizeof(ret->a));
	memset(&ret->ctr, 0, sizeof(ret->ctr));
	ret->description[0] = ret->summary_kind[0] = '\0';
	o = json_tokener_parse(json);
	if (!o)
		return -EINVAL;
	r = read_alert(o, ret);
	json_object_put(o);
	return r;
}

/* ---- node addresses ---- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
	       c == '_';
}

int agg_split_hostport(const char *s, char *ret_host, size_t size, uint16_t *ret_port)
{
	const char *h = s, *end, *p;
	unsigned long port = 0;
	size_t n;

	if (!s || !ret_host || !size)
		return -EINVAL;
	if (s[0] == '[') {
		h = s + 1;
		end = strchr(h, ']');
		if (!end || end[1] != ':')
			return -EINVAL;
		p = end + 2;
		for (const char *c = h; c < end; c++)
			if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') || (*c >= 'A' && *c <= 'F') ||
			      *c == ':' || *c == '.'))
				return -EINVAL;
	} else {
		end = strrchr(s, ':');
		if (!end)
			return -EINVAL;
		p = end + 1;
		for (const char *c = h; c < end; c++)
			if (!name_char(*c))
				return -EINVAL;
	}
	n = (size_t)(end - h);
	if (n == 0 || n >= size || !*p || strlen(p) > 5)
		return -EINVAL;
	for (const char *c = p; *c; c++) {
		if (*c < '0' || *c > '9')
			return -EINVAL;
		port = port * 10 + (unsigned long)(*c - '0');
	}
	if (port == 0 || port > 65535)
		return -EINVAL;
	memcpy(ret_host, h, n);
	ret_host[n] = '\0';
	*ret_port = (uint16_t)port;
	return 0;
}

bool agg_token_valid(const char *t)
{
	size_t n = t ? strlen(t) : 0;

	if (n == 0 || n > 512)
		return false;
	for (; *t; t++)
		if (*t <= 0x20 || *t >= 0x7f)
			return false;
	return true;
}

/* ---- (host, id) seen ---- */

static uint64_t pair_hash(const char *host, const char *id)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a, then a final mix */

	for (const unsigned char *p = (const unsigned char *)host; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull; /* a separator no host or id holds */
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

int agg_seen_init(struct agg_seen *s, size_t cap)
{
	size_t slots = 16;

	memset(s, 0, sizeof(*s));
	if (cap < 2 || cap > (1u << 30))
		return -EINVAL;
	s->per_gen = cap / 2;
	while (slots < s->per_gen * 2)
		slots *= 2;
	s->slots = slots;
	s->gen[0] = calloc(slots, sizeof(uint64_t));
	s->gen[1] = calloc(slots, sizeof(uint64_t));
	if (!s->gen[0] || !s->gen[1]) {
		agg_seen_done(s);
		return -ENOMEM;
	}
	return 0;
}

void agg_seen_done(struct agg_seen *s)
{
	if (!s)
		return;
	free(s->gen[0]);
	free(s->gen[1]);
	memset(s, 0, sizeof(*s));
}

/* The slot holding h, or the empty slot where it would go. */
static size_t probe(const uint64_t *t, size_t slots, uint64_t h)
{
	size_t i = (size_t)h & (slots - 1);

	while (t[i] && t[i] != h)
		i = (i + 1) & (slots - 1);
	return i;
}

int agg_seen_add(struct agg_seen *s, const char *host, const char *id)
{
	uint64_t h = pair_hash(host, id);
	uint64_t *cur = s->gen[s->cur], *old = s->gen[!s->cur];
	size_t i = probe(cur, s->slots, h);

	if (cur[i] == h || old[probe(old, s->slots, h)] == h)
		return 0;
	if (s->n_cur >= s->per_gen) { /* the old generation goes, the current one becomes old */
		memset(old, 0, s->slots * sizeof(uint64_t));
		s->cur = !s->cur;
		s->n_cur = 0;
		cur = old;
		i = probe(cur, s->slots, h);
	}
	cur[i] = h;
	s->n_cur++;
	return 1;
}
