/* SPDX-License-Identifier: MIT */
/*
 * alerter.c - noise control without silent loss (pure; the clock is a parameter).
 *
 * Fold keys (rule, exe, parent pid and exe, object, command line, container) live in a bounded array: a key is
 * created when an alert is emitted and opens a fold window; repeats inside
 * the window are counted.  Per-rule rate windows count what they hold back.
 * Every count comes back as a summary from alerter_due(): when its window
 * closes, when the key is evicted to make room (early, never lost), or when
 * the caller flushes everything.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alerter.h"
#include "strutil.h"

struct fold_key {
	bool used;
	uint64_t hash;
	const struct rtmon_rule_info *rule;
	char rule_id[64];
	char exe[256];
	char parent_exe[256];
	char object[160];
	char cmdline[256];
	char cid[72];
	uint32_t ppid;
	uint64_t window_start;
	uint32_t count; /* repeats folded in this window */
	uint64_t first_ns, last_ns;
	struct rtmon_summary_seen seen;
};

struct rate_state {
	const struct rtmon_rule_info *rule;
	char rule_id[64];
	uint64_t window_start;
	uint32_t emitted;
	uint32_t held;
	uint64_t first_ns, last_ns;
	struct rtmon_summary_seen seen;
	char exes[RTMON_SUMMARY_VALUES][256];
	uint8_t n_exes;
};

struct rtmon_alerter {
	struct rtmon_alerter_opts o;
	struct fold_key *keys;
	struct rate_state *rates;
	size_t n_rates, cap_rates;
	struct rtmon_alert_summary *ready; /* summaries due early (evicted / window restarted) */
	size_t n_ready, cap_ready;
};

int alerter_new(const struct rtmon_alerter_opts *opts, struct rtmon_alerter **ret)
{
	struct rtmon_alerter *a;

	if (!opts || !ret)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->o = *opts;
	if (a->o.max_keys == 0)
		a->o.max_keys = 1024;
	if (a->o.rate_limit && !a->o.rate_window_ns)
		a->o.rate_window_ns = 60ull * 1000000000ull;
	a->keys = calloc(a->o.max_keys, sizeof(*a->keys));
	if (!a->keys) {
		free(a);
		return -ENOMEM;
	}
	*ret = a;
	return 0;
}

struct rtmon_alerter *alerter_free(struct rtmon_alerter *a)
{
	if (!a)
		return NULL;
	free(a->keys);
	free(a->rates);
	free(a->ready);
	free(a);
	return NULL;
}

static struct rtmon_alert_summary *ready_push(struct rtmon_alerter *a)
{
	if (a->n_ready == a->cap_ready) {
		size_t cap = a->cap_ready ? a->cap_ready * 2 : 16;
		struct rtmon_alert_summary *v = realloc(a->ready, cap * sizeof(*v));

		if (!v)
			return NULL;
		a->ready = v;
		a->cap_ready = cap;
	}
	memset(&a->ready[a->n_ready], 0, sizeof(a->ready[0]));
	return &a->ready[a->n_ready++];
}

static void add_u32(uint32_t *v, uint8_t *n, size_t max, uint32_t x)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < max)
		v[(*n)++] = x;
}

static void seen_add(struct rtmon_summary_seen *s, const struct rtmon_alert_key *k)
{
	add_u32(s->pids, &s->n_pids, RTMON_SUMMARY_PIDS, k->pid);
	add_u32(s->ppids, &s->n_ppids, RTMON_SUMMARY_VALUES, k->ppid);
	add_u32(s->uids, &s->n_uids, RTMON_SUMMARY_VALUES, k->uid);
}

static void fold_summary(const struct fold_key *k, struct rtmon_alert_summary *s)
{
	memset(s, 0, sizeof(*s));
	str_copy(s->rule_id, sizeof(s->rule_id), k->rule_id);
	str_copy(s->exe, sizeof(s->exe), k->exe);
	str_copy(s->parent_exe, sizeof(s->parent_exe), k->parent_exe);
	str_copy(s->object, sizeof(s->object), k->object);
	str_copy(s->cmdline, sizeof(s->cmdline), k->cmdline);
	str_copy(s->container_id, sizeof(s->container_id), k->cid);
	s->kind = "fold";
	s->count = k->count;
	s->first_ns = k->first_ns;
	s->last_ns = k->last_ns;
	s->seen = k->seen;
	s->rule = k->rule;
}

static void rate_summary(const struct rate_state *r, struct rtmon_alert_summary *s)
{
	memset(s, 0, sizeof(*s));
	str_copy(s->rule_id, sizeof(s->rule_id), r->rule_id);
	s->kind = "rate_limit";
	s->count = r->held;
	s->first_ns = r->first_ns;
	s->last_ns = r->last_ns;
	s->seen = r->seen;
	memcpy(s->exes, r->exes, sizeof(s->exes));
	s->n_exes = r->n_exes;
	s->rule = r->rule;
}

static void rate_seen_reset(struct rate_state *r)
{
	memset(&r->seen, 0, sizeof(r->seen));
	r->n_exes = 0;
}

static void rate_seen_add(struct rate_state *r, const struct rtmon_alert_key *k)
{
	const char *exe = k->exe ? k->exe : "";

	seen_add(&r->seen, k);
	for (size_t i = 0; i < r->n_exes; i++)
		if (strncmp(r->exes[i], exe, sizeof(r->exes[0]) - 1) == 0)
			return;
	if (r->n_exes < RTMON_SUMMARY_VALUES)
		str_copy(r->exes[r->n_exes++], sizeof(r->exes[0]), exe);
}

/*
 * Moves a pending count to the ready queue (when a window restarts or a key
 * is evicted before alerter_due() saw it). If even that allocation fails the
 * count stays where it is and the caller keeps the old window: nothing is lost.
 */
static bool fold_flush_early(struct rtmon_alerter *a, struct fold_key *k)
{
	struct rtmon_alert_summary *s;

	if (!k->count)
		return true;
	s = ready_push(a);
	if (!s)
		return false;
	fold_summary(k, s);
	k->count = 0;
	memset(&k->seen, 0, sizeof(k->seen));
	return true;
}

static struct rate_state *rate_get(struct rtmon_alerter *a, const struct rtmon_rule_info *rule, uint64_t now)
{
	for (size_t i = 0; i < a->n_rates; i++)
		if (strcmp(a->rates[i].rule_id, rule->id) == 0) {
			a->rates[i].rule = rule;
			return &a->rates[i];
		}
	if (a->n_rates == a->cap_rates) {
		size_t cap = a->cap_rates ? a->cap_rates * 2 : 16;
		struct rate_state *v = realloc(a->rates, cap * sizeof(*v));

		if (!v)
			return NULL;
		a->rates = v;
		a->cap_rates = cap;
	}
	memset(&a->rates[a->n_rates], 0, sizeof(a->rates[0]));
	a->rates[a->n_rates].rule = rule;
	str_copy(a->rates[a->n_rates].rule_id, sizeof(a->rates[0].rule_id), rule->id);
	a->rates[a->n_rates].window_start = now;
	return &a->rates[a->n_rates++];
}

static enum rtmon_alerter_verdict rate_check(struct rtmon_alerter *a, const struct rtmon_rule_info *rule,
					     const struct rtmon_alert_key *key, uint64_t now)
{
	struct rate_state *r;

	if (!a->o.rate_limit)
		return RTMON_ALERT_EMIT;
	r = rate_get(a, rule, now);
	if (!r)
		return RTMON_ALERT_EMIT; /* out of memory: emit rather than lose */
	if (now >= r->window_start + a->o.rate_window_ns) {
		if (r->held) {
			struct rtmon_alert_summary *s = ready_push(a);

			if (s) {
				rate_summary(r, s);
				r->held = 0;
				rate_seen_reset(r);
			}
		}
		if (!r->held) {
			r->window_start = now;
			r->emitted = 0;
		}
	}
	if (r->emitted < a->o.rate_limit) {
		r->emitted++;
		return RTMON_ALERT_EMIT;
	}
	if (!r->held)
		r->first_ns = now;
	r->held++;
	r->last_ns = now;
	rate_seen_add(r, key);
	return RTMON_ALERT_HELD;
}

struct key_text {
	char id[64], exe[256], parent_exe[256], object[160], cmdline[256], cid[72];
	uint32_t ppid;
};

static bool key_equal(const struct fold_key *k, uint64_t h, const struct key_text *t)
{
	return k->used && k->hash == h && k->ppid == t->ppid && strcmp(k->rule_id, t->id) == 0 &&
	       strcmp(k->exe, t->exe) == 0 && strcmp(k->parent_exe, t->parent_exe) == 0 &&
	       strcmp(k->object, t->object) == 0 && strcmp(k->cmdline, t->cmdline) == 0 && strcmp(k->cid, t->cid) == 0;
}

static struct fold_key *key_find(struct rtmon_alerter *a, uint64_t h, const struct key_text *t)
{
	for (size_t i = 0; i < a->o.max_keys; i++)
		if (key_equal(&a->keys[i], h, t))
			return &a->keys[i];
	return NULL;
}

/* A free slot, or the oldest key's (its pending count goes to the ready queue first). */
static struct fold_key *key_slot(struct rtmon_alerter *a)
{
	struct fold_key *oldest = NULL;

	for (size_t i = 0; i < a->o.max_keys; i++) {
		struct fold_key *k = &a->keys[i];

		if (!k->used)
			return k;
		if (!oldest || k->window_start < oldest->window_start)
			oldest = k;
	}
	if (!fold_flush_early(a, oldest))
		return NULL;
	oldest->used = false;
	return oldest;
}

static uint64_t key_text(const struct rtmon_rule_info *rule, const struct rtmon_alert_key *k, struct key_text *t)
{
	uint64_t h;

	str_copy(t->id, sizeof(t->id), rule->id);
	str_copy(t->exe, sizeof(t->exe), k->exe);
	str_copy(t->parent_exe, sizeof(t->parent_exe), k->parent_exe);
	str_copy(t->object, sizeof(t->object), k->object);
	str_copy(t->cmdline, sizeof(t->cmdline), k->cmdline);
	str_copy(t->cid, sizeof(t->cid), k->cid);
	t->ppid = k->ppid;
	h = str_hash(RTMON_FNV_SEED ^ t->ppid, t->id);
	h = str_hash(str_hash(h, t->exe), t->parent_exe);
	h = str_hash(str_hash(h, t->object), t->cmdline);
	return str_hash(h, t->cid);
}

static void key_fill(struct fold_key *k, uint64_t h, const struct key_text *t)
{
	memset(k, 0, sizeof(*k));
	k->used = true;
	k->hash = h;
	memcpy(k->rule_id, t->id, sizeof(t->id));
	memcpy(k->exe, t->exe, sizeof(t->exe));
	memcpy(k->parent_exe, t->parent_exe, sizeof(t->parent_exe));
	memcpy(k->object, t->object, sizeof(t->object));
	memcpy(k->cmdline, t->cmdline, sizeof(t->cmdline));
	memcpy(k->cid, t->cid, sizeof(t->cid));
	k->ppid = t->ppid;
}

enum rtmon_alerter_verdict alerter_check(struct rtmon_alerter *a, const struct rtmon_rule_info *rule,
					 const struct rtmon_alert_key *key, uint64_t now_ns)
{
	static const struct rtmon_alert_key none;
	struct fold_key *k = NULL;
	enum rtmon_alerter_verdict v;
	struct key_text t;
	uint64_t h;

	if (!a || !rule || !rule->id)
		return RTMON_ALERT_EMIT;
	if (!key)
		key = &none;
	h = key_text(rule, key, &t);
	if (a->o.fold_window_ns) {
		k = key_find(a, h, &t);
		if (k && now_ns < k->window_start + a->o.fold_window_ns) {
			if (!k->count)
				k->first_ns = now_ns;
			k->count++;
			k->last_ns = now_ns;
			seen_add(&k->seen, key);
			return RTMON_ALERT_FOLDED;
		}
	}
	v = rate_check(a, rule, key, now_ns);
	if (v != RTMON_ALERT_EMIT || !a->o.fold_window_ns)
		return v;
	/* emitted: open (or restart) this key's fold window */
	if (k && !fold_flush_early(a, k))
		return v;
	if (!k) {
		k = key_slot(a);
		if (!k)
			return v;
		key_fill(k, h, &t);
	}
	k->rule = rule;
	k->window_start = now_ns;
	return v;
}

size_t alerter_due(struct rtmon_alerter *a, uint64_t now_ns, int all, struct rtmon_alert_summary *out, size_t max)
{
	size_t n = 0;

	if (!a || !out)
		return 0;
	/* early summaries first, oldest first */
	while (a->n_ready && n < max) {
		out[n++] = a->ready[0];
		memmove(a->ready, a->ready + 1, (a->n_ready - 1) * sizeof(a->ready[0]));
		a->n_ready--;
	}
	for (size_t i = 0; i < a->o.max_keys && n < max; i++) {
		struct fold_key *k = &a->keys[i];

		if (!k->used || (!all && now_ns < k->window_start + a->o.fold_window_ns))
			continue;
		if (k->count)
			fold_summary(k, &out[n++]);
		k->used = false;
	}
	for (size_t i = 0; i < a->n_rates && n < max; i++) {
		struct rate_state *r = &a->rates[i];

		if (!r->held || (!all && now_ns < r->window_start + a->o.rate_window_ns))
			continue;
		rate_summary(r, &out[n++]);
		r->held = 0;
		rate_seen_reset(r);
		r->emitted = 0;
		r->window_start = now_ns;
	}
	return n;
}

void alerter_forget_rules(struct rtmon_alerter *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->o.max_keys; i++)
		a->keys[i].rule = NULL;
	for (size_t i = 0; i < a->n_rates; i++)
		a->rates[i].rule = NULL;
	for (size_t i = 0; i < a->n_ready; i++)
		a->ready[i].rule = NULL;
}
