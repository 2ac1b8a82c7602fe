/* SPDX-License-Identifier: MIT */
/*
 * incident.c - one attack, one story (pure; the clock is a parameter).
 *
 * Two structures: a fixed open-addressing table from member pid to the slot
 * of its incident (linear probing, backward-shift deletion, so no
 * tombstones), and an array of incident slots whose records and timelines
 * are allocated when a slot is first used and reused after it closes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "names.h"
#include "strutil.h"

#define NO_SLOT UINT32_MAX

struct member {
	uint32_t pid; /* 0 = free */
	uint32_t slot;
};

struct rtmon_incidents {
	struct rtmon_incident_opts o;
	struct member *members;
	size_t cap_members; /* power of two, >= 2 * max_members */
	size_t n_members;
	struct rtmon_incident **slots; /* max_open pointers; allocated on first use, reused after */
	size_t n_open;
	struct rtmon_incident_stats st;
};

int incidents_new(const struct rtmon_incident_opts *opts, struct rtmon_incidents **ret)
{
	struct rtmon_incidents *t;
	size_t cap = 16;

	if (!opts || !ret)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->o = *opts;
	if (!t->o.update_interval_ns)
		t->o.update_interval_ns = 5ull * 1000000000ull;
	if (!t->o.idle_ns)
		t->o.idle_ns = 600ull * 1000000000ull;
	if (!t->o.max_open)
		t->o.max_open = 128;
	if (!t->o.max_entries)
		t->o.max_entries = 64;
	if (!t->o.max_members)
		t->o.max_members = 4096;
	while (cap < 2 * t->o.max_members)
		cap *= 2;
	t->cap_members = cap;
	t->members = calloc(cap, sizeof(*t->members));
	t->slots = calloc(t->o.max_open, sizeof(*t->slots));
	if (!t->members || !t->slots) {
		incidents_free(t);
		return -ENOMEM;
	}
	*ret = t;
	return 0;
}

struct rtmon_incidents *incidents_free(struct rtmon_incidents *t)
{
	if (!t)
		return NULL;
	for (size_t i = 0; t->slots && i < t->o.max_open; i++) {
		if (t->slots[i])
			free(t->slots[i]->entries);
		free(t->slots[i]);
	}
	free(t->slots);
	free(t->members);
	free(t);
	return NULL;
}

/* ---------------------------------------------------------------- member pids */

static size_t pid_home(const struct rtmon_incidents *t, uint32_t pid)
{
	return (size_t)((pid * 2654435761u) & (t->cap_members - 1));
}

static struct member *member_find(struct rtmon_incidents *t, uint32_t pid)
{
	size_t i = pid_home(t, pid);

	if (!pid)
		return NULL;
	for (size_t n = 0; n < t->cap_members; n++, i = (i + 1) & (t->cap_members - 1)) {
		if (!t->members[i].pid)
			return NULL;
		if (t->members[i].pid == pid)
			return &t->members[i];
	}
	return NULL;
}

/* Adds or moves 'pid' to 'slot'. Returns false when the table is full (the pid is not tracked). */
static bool member_set(struct rtmon_incidents *t, uint32_t pid, uint32_t slot)
{
	struct member *m = member_find(t, pid);
	size_t i;

	if (m) {
		m->slot = slot;
		return true;
	}
	if (!pid || t->n_members >= t->o.max_members) {
		t->st.members_untracked++;
		return false;
	}
	for (i = pid_home(t, pid); t->members[i].pid; i = (i + 1) & (t->cap_members - 1))
		;
	t->members[i].pid = pid;
	t->members[i].slot = slot;
	t->n_members++;
	return true;
}

/* Backward-shift deletion: later entries of the probe run move into the hole. */
static void member_del_at(struct rtmon_incidents *t, size_t hole)
{
	size_t mask = t->cap_members - 1, j = hole;

	t->members[hole].pid = 0;
	t->n_members--;
	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!t->members[j].pid)
			return;
		home = pid_home(t, t->members[j].pid);
		/* the entry at j may fill the hole when its home is not cyclically in (hole, j] */
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			t->members[hole] = t->members[j];
			t->members[j].pid = 0;
			hole = j;
		}
	}
}

static void member_del(struct rtmon_incidents *t, uint32_t pid)
{
	struct member *m = member_find(t, pid);

	if (m)
		member_del_at(t, (size_t)(m - t->members));
}

static void members_drop_slot(struct rtmon_incidents *t, uint32_t slot)
{
	for (size_t i = 0; i < t->cap_members;) {
		if (t->members[i].pid && t->members[i].slot == slot)
			member_del_at(t, i); /* something else may have moved into i: look again */
		else
			i++;
	}
}

/* ---------------------------------------------------------------- incidents */

static struct rtmon_incident *slot_get(struct rtmon_incidents *t, uint32_t slot)
{
	struct rtmon_incident *inc;

	if (slot >= t->o.max_open)
		return NULL;
	inc = t->slots[slot];
	return inc && inc->in_use && inc->state == RTMON_INCIDENT_OPEN ? inc : NULL;
}

struct rtmon_incident *incidents_of(struct rtmon_incidents *t, uint32_t pid)
{
	struct member *m;

	if (!t)
		return NULL;
	m = member_find(t, pid);
	return m ? slot_get(t, m->slot) : NULL;
}

struct rtmon_incident *incidents_find(struct rtmon_incidents *t, uint32_t pid, const struct rtmon_ancestor *lineage,
				      size_t n_lineage)
{
	struct rtmon_incident *inc = incidents_of(t, pid);

	for (size_t i = 0; !inc && lineage && i < n_lineage; i++) {
		inc = incidents_of(t, lineage[i].pid);
		if (inc && member_set(t, pid, (uint32_t)inc->slot)) {
			inc->counts.processes++;
			inc->counts.live++;
		}
	}
	return inc;
}

static void add_rule(struct rtmon_incident *inc, const struct rtmon_rule_info *rule)
{
	bool seen = false;

	for (size_t i = 0; i < inc->n_rules && !seen; i++)
		seen = strcmp(inc->rules[i], rule->id) == 0;
	if (!seen && inc->n_rules < RTMON_INCIDENT_RULES_MAX)
		str_copy(inc->rules[inc->n_rules++], sizeof(inc->rules[0]), rule->id);
	if (rule->severity > inc->severity)
		inc->severity = rule->severity;
	if (rule->risk_score > inc->risk_score)
		inc->risk_score = rule->risk_score;
	for (size_t i = 0; i < rule->n_mitre && i < RTMON_MITRE_MAX; i++) {
		bool have = false;

		for (size_t j = 0; j < inc->n_mitre && !have; j++)
			have = strcmp(inc->mitre[j], rule->mitre[i]) == 0;
		if (!have && inc->n_mitre < RTMON_MITRE_MAX)
			str_copy(inc->mitre[inc->n_mitre++], sizeof(inc->mitre[0]), rule->mitre[i]);
	}
}

static uint64_t hash1(const char *s)
{
	return str_hash(RTMON_FNV_SEED, s);
}

static bool is_peer(const char *object)
{
	return object && strncmp(object, "peer ", 5) == 0;
}

static void finding_add(struct rtmon_incident *inc, uint64_t rule, const char *object, uint32_t pid)
{
	if (inc->n_findings >= RTMON_INCIDENT_FINDINGS_MAX)
		return;
	inc->findings[inc->n_findings].rule = rule;
	inc->findings[inc->n_findings].object = hash1(object ? object : "");
	inc->findings[inc->n_findings].pid = pid;
	inc->findings[inc->n_findings++].peer = is_peer(object);
}

bool incidents_is_new_finding(struct rtmon_incident *inc, const char *rule_id, const char *object, uint32_t pid,
			      uint32_t ppid)
{
	uint64_t r = hash1(rule_id), o = hash1(object ? object : "");
	bool rule_seen = false, rule_with_peer = false, rule_by_kin = false;

	if (!inc)
		return true;
	for (size_t i = 0; i < inc->n_findings; i++) {
		if (inc->findings[i].rule != r)
			continue;
		if (inc->findings[i].object == o)
			return false;
		rule_seen = true;
		rule_with_peer |= inc->findings[i].peer;
		rule_by_kin |= inc->findings[i].pid == pid || inc->findings[i].pid == ppid;
	}
	if (is_peer(object) && rule_seen && !rule_with_peer) {
		finding_add(inc, r, object, pid);
		return false;
	}
	if (object && strncmp(object, "file ", 5) == 0 && rule_by_kin)
		return false;
	/* past the bound, further findings join the timeline (still named there) */
	return inc->n_findings < RTMON_INCIDENT_FINDINGS_MAX;
}

void incidents_alerted(struct rtmon_incident *inc, const struct rtmon_rule_info *rule, const char *object, uint32_t pid)
{
	if (!inc || !rule)
		return;
	finding_add(inc, hash1(rule->id), object, pid);
	inc->counts.alerts++;
	add_rule(inc, rule);
}

/* The open incident least recently active (closed early to make room). */
static struct rtmon_incident *oldest_open(struct rtmon_incidents *t)
{
	struct rtmon_incident *old = NULL;

	for (size_t i = 0; i < t->o.max_open; i++) {
		struct rtmon_incident *inc = t->slots[i];

		if (inc && inc->in_use && inc->state == RTMON_INCIDENT_OPEN && (!old || inc->last_ns < old->last_ns))
			old = inc;
	}
	return old;
}

/* Something to tell since the last report (entries, matches, process counts). */
static uint32_t report_mark(const struct rtmon_incident *inc)
{
	return inc->entries_total + inc->counts.matches + inc->counts.processes;
}

static void recycle(struct rtmon_incident *inc)
{
	inc->in_use = false;
}

static void incident_close(struct rtmon_incidents *t, struct rtmon_incident *inc, enum rtmon_incident_close why)
{
	if (inc->state != RTMON_INCIDENT_OPEN)
		return;
	inc->state = RTMON_INCIDENT_CLOSED;
	inc->close_reason = why;
	members_drop_slot(t, (uint32_t)inc->slot);
	inc->counts.live = 0;
	t->n_open--;
	t->st.closed++;
	/* a one-shot finding has no final update to send: its slot is free at once */
	if (!inc->updates && report_mark(inc) == inc->reported_total)
		recycle(inc);
}

/* A free slot: unused, or closed and reported. NULL when every slot holds an open or unreported incident. */
static struct rtmon_incident *slot_take(struct rtmon_incidents *t)
{
	for (size_t i = 0; i < t->o.max_open; i++) {
		struct rtmon_incident *inc = t->slots[i];

		if (inc && inc->in_use)
			continue;
		if (!inc) {
			inc = calloc(1, sizeof(*inc));
			if (!inc)
				return NULL;
			inc->entries = calloc(t->o.max_entries, sizeof(*inc->entries));
			if (!inc->entries) {
				free(inc);
				return NULL;
			}
			t->slots[i] = inc;
		}
		inc->slot = i;
		return inc;
	}
	return NULL;
}

struct rtmon_incident *incidents_open(struct rtmon_incidents *t, const char *alert_id,
				      const struct rtmon_rule_info *rule, const struct rtmon_event *ev,
				      const struct rtmon_container *c, uint64_t now_ns)
{
	struct rtmon_incident_entry *entries;
	struct rtmon_incident *inc;
	size_t slot;

	if (!t || !rule || !ev)
		return NULL;
	inc = slot_take(t);
	if (!inc) {
		/* every slot is open (or closed and not yet reported): close the least active; it is
		 * reported at the next incidents_due() and its slot is free after that */
		struct rtmon_incident *old = oldest_open(t);

		if (old)
			incident_close(t, old, RTMON_INCIDENT_EVICTED);
		return NULL;
	}
	entries = inc->entries;
	slot = inc->slot;
	memset(inc, 0, sizeof(*inc));
	memset(entries, 0, t->o.max_entries * sizeof(*entries));
	inc->entries = entries;
	inc->slot = slot;
	inc->in_use = true;
	inc->state = RTMON_INCIDENT_OPEN;
	str_copy(inc->id, sizeof(inc->id), alert_id);
	inc->opened_ns = inc->last_ns = inc->last_update_ns = now_ns;
	inc->root_pid = ev->pid;
	str_copy(inc->root_exe, sizeof(inc->root_exe), (ev->has & RTMON_HAS_EXE) ? ev->exe : ev->comm);
	if (c) {
		inc->has_container = true;
		inc->container = *c;
	}
	if (member_set(t, ev->pid, (uint32_t)slot)) {
		inc->counts.processes = 1;
		inc->counts.live = 1;
	}
	t->n_open++;
	t->st.opened++;
	return inc;
}

/* Events of members worth a timeline entry even when no rule matched them. */
static bool worth_telling(const struct rtmon_event *ev)
{
	switch (ev->type) {
	case RTMON_EV_EXEC:
	case RTMON_EV_PTRACE:
	case RTMON_EV_PROCESS_VM_WRITEV:
	case RTMON_EV_MEMFD_CREATE:
	case RTMON_EV_FILE:
		return true;
	case RTMON_EV_CONNECT:
		return (ev->has & RTMON_HAS_NET) && ev->dst_addr[0];
	default:
		return false;
	}
}

static void entry_fill(struct rtmon_incident_entry *e, const struct rtmon_event *ev)
{
	e->time_ns = ev->time_ns;
	e->type = (uint16_t)ev->type;
	e->pid = ev->pid;
	e->ppid = (ev->has & RTMON_HAS_PPID) ? ev->ppid : 0;
	e->uid = (ev->has & RTMON_HAS_UID) ? ev->uid : RTMON_UID_UNSET;
	str_copy(e->exe, sizeof(e->exe), (ev->has & RTMON_HAS_EXE) ? ev->exe : ev->comm);
	if (ev->type == RTMON_EV_EXEC && (ev->has & RTMON_HAS_ARGS)) {
		size_t n = ev->args_len < sizeof(e->args) ? ev->args_len : sizeof(e->args);

		/* keep whole strings only: cut at the last NUL that fits */
		while (n > 0 && ev->args[n - 1] != '\0')
			n--;
		memcpy(e->args, ev->args, n);
		e->args_len = (uint16_t)n;
		e->args_truncated = ev->args_truncated || n < ev->args_len;
	}
	if ((ev->type == RTMON_EV_PTRACE && (ev->has & RTMON_HAS_PTRACE)) ||
	    (ev->type == RTMON_EV_PROCESS_VM_WRITEV && (ev->has & RTMON_HAS_TARGET)))
		e->target_pid = ev->target_pid;
	if (ev->type == RTMON_EV_PTRACE && (ev->has & RTMON_HAS_PTRACE))
		e->ptrace_request = ev->ptrace_request;
	if (ev->type == RTMON_EV_FILE && (ev->has & RTMON_HAS_FILE))
		str_copy(e->args, sizeof(e->args), ev->path); /* the path, in the argv buffer */
	if (ev->type == RTMON_EV_MEMFD_CREATE && (ev->has & RTMON_HAS_MEMFD))
		str_copy(e->addr, sizeof(e->addr), ev->memfd_name);
	else
		event_peer(ev, e->addr, sizeof(e->addr));
}

static void count_event(struct rtmon_incident *inc, const struct rtmon_event *ev, size_t n_rule_ids)
{
	inc->counts.matches += (uint32_t)n_rule_ids;
	if (ev->type == RTMON_EV_EXEC)
		inc->counts.execs++;
	else if (ev->type == RTMON_EV_CONNECT)
		inc->counts.connects++;
	else
		inc->counts.others++;
}

static void record(struct rtmon_incidents *t, struct rtmon_incident *inc, const struct rtmon_event *ev,
		   const char *const *rule_ids, size_t n_rule_ids, const char *alert_id, uint64_t now_ns)
{
	struct rtmon_incident_entry *e;

	if (!n_rule_ids && !worth_telling(ev))
		return;
	inc->last_ns = now_ns;
	count_event(inc, ev, n_rule_ids);
	inc->entries_total++;
	if (inc->n_entries >= t->o.max_entries)
		return;
	e = &inc->entries[inc->n_entries++];
	memset(e, 0, sizeof(*e));
	entry_fill(e, ev);
	for (size_t i = 0; i < n_rule_ids && e->n_rules < RTMON_INCIDENT_RULES_MAX; i++)
		str_copy(e->rules[e->n_rules++], sizeof(e->rules[0]), rule_ids[i]);
	str_copy(e->alert_id, sizeof(e->alert_id), alert_id);
}

/* The opening alert told the opening event: an incident with nothing more sends no update. */
static void mark_opening_told(struct rtmon_incident *inc, const char *alert_id)
{
	if (!inc->updates && strcmp(alert_id, inc->id) == 0)
		inc->reported_total = report_mark(inc);
}

static void track(struct rtmon_incidents *t, struct rtmon_incident *inc, const struct rtmon_event *ev, uint64_t now_ns)
{
	if (ev->type == RTMON_EV_FORK && ev->pid != ev->ppid) {
		/* the fork event's pid is the child, ppid the parent (the member) */
		if (member_set(t, ev->pid, (uint32_t)inc->slot)) {
			inc->counts.processes++;
			inc->counts.live++;
		}
		inc->last_ns = now_ns;
	} else if (ev->type == RTMON_EV_EXIT) {
		member_del(t, ev->pid);
		if (inc->counts.live)
			inc->counts.live--;
		inc->last_ns = now_ns;
		if (!inc->counts.live)
			incident_close(t, inc, RTMON_INCIDENT_EXITED);
	}
}

static void forget_reused_pid(struct rtmon_incidents *t, struct rtmon_incident *inc, uint32_t pid)
{
	member_del(t, pid);
	if (inc->counts.live)
		inc->counts.live--;
}

void incidents_observe(struct rtmon_incidents *t, const struct rtmon_event *ev, const char *const *rule_ids,
		       size_t n_rule_ids, const char *alert_id, uint64_t now_ns)
{
	struct rtmon_incident *inc;

	if (!t || !ev)
		return;
	if (ev->type == RTMON_EV_FORK) {
		struct rtmon_incident *stale = incidents_of(t, ev->pid);

		inc = (ev->has & RTMON_HAS_PPID) ? incidents_of(t, ev->ppid) : NULL;
		if (stale && stale != inc)
			forget_reused_pid(t, stale, ev->pid); /* its exit was lost: the pid is someone else's now */
		if (inc && !incidents_of(t, ev->pid))
			track(t, inc, ev, now_ns);
		return;
	}
	inc = incidents_of(t, ev->pid);
	if (!inc)
		return;
	record(t, inc, ev, rule_ids, n_rule_ids, alert_id ? alert_id : "", now_ns);
	mark_opening_told(inc, alert_id ? alert_id : "");
	track(t, inc, ev, now_ns);
}

static bool update_due(const struct rtmon_incidents *t, const struct rtmon_incident *inc, uint64_t now_ns)
{
	if (report_mark(inc) == inc->reported_total)
		return false; /* nothing new since the last report */
	return now_ns >= inc->last_update_ns + t->o.update_interval_ns;
}

static void report_one(struct rtmon_incident *inc, uint64_t now_ns, rtmon_incident_report_fn report, void *arg)
{
	inc->updates++;
	inc->last_update_ns = now_ns;
	inc->reported_total = report_mark(inc);
	report(arg, inc);
}

size_t incidents_due(struct rtmon_incidents *t, uint64_t now_ns, bool all, rtmon_incident_report_fn report, void *arg)
{
	size_t n = 0;

	if (!t || !report)
		return 0;
	for (size_t i = 0; i < t->o.max_open; i++) {
		struct rtmon_incident *inc = t->slots[i];
		bool fresh;

		if (!inc || !inc->in_use)
			continue;
		if (inc->state == RTMON_INCIDENT_OPEN && all)
			incident_close(t, inc, RTMON_INCIDENT_SHUTDOWN);
		else if (inc->state == RTMON_INCIDENT_OPEN && now_ns >= inc->last_ns + t->o.idle_ns)
			incident_close(t, inc, RTMON_INCIDENT_IDLE);
		fresh = report_mark(inc) != inc->reported_total;
		if (inc->state == RTMON_INCIDENT_CLOSED) {
			/* final update: when something joined since the last report, or to close a story told */
			if (fresh || inc->updates) {
				report_one(inc, now_ns, report, arg);
				t->st.updates++;
				n++;
			}
			recycle(inc);
		} else if (update_due(t, inc, now_ns)) {
			report_one(inc, now_ns, report, arg);
			t->st.updates++;
			n++;
		}
	}
	return n;
}

void incidents_stats(const struct rtmon_incidents *t, struct rtmon_incident_stats *ret)
{
	if (!ret)
		return;
	memset(ret, 0, sizeof(*ret));
	if (!t)
		return;
	*ret = t->st;
	ret->open = t->n_open;
}

void incident_object(const struct rtmon_event *ev, const char *addr, char *out, size_t len)
{
	out[0] = '\0';
	/* an unspecified peer (0.0.0.0:0, [::]:0: a UDP connect() that only resets, a probe) names nobody */
	if (addr && addr[0] && strcmp(addr, "0.0.0.0:0") != 0 && strcmp(addr, "[::]:0") != 0) {
		snprintf(out, len, "peer %s", addr);
		return;
	}
	switch (ev->type) {
	case RTMON_EV_PTRACE:
	case RTMON_EV_PROCESS_VM_WRITEV:
		snprintf(out, len, "target %" PRIu32, ev->target_pid);
		break;
	case RTMON_EV_MEMFD_CREATE:
		snprintf(out, len, "memfd %s", (ev->has & RTMON_HAS_MEMFD) ? ev->memfd_name : "");
		break;
	case RTMON_EV_MMAP:
	case RTMON_EV_MPROTECT:
		/* a library from an untrusted file is that file; other code is the process's memory */
		if (ev->type == RTMON_EV_MMAP && ev->map_file)
			snprintf(out, len, "library %s", ev->path);
		else
			snprintf(out, len, "memory of %" PRIu32, ev->pid);
		break;
	case RTMON_EV_FILE: {
		/* what was done is part of the object: a log truncated and then deleted is two findings */
		const char *op = "";

		for (const struct rtmon_name_val *n = rtmon_file_op_names; n->name; n++)
			if (ev->file_ops & (uint32_t)n->val)
				op = n->name; /* the strongest: unlink/rename over write over read */
		snprintf(out, len, "%s %s", op, (ev->has & RTMON_HAS_FILE) ? ev->path : "");
		break;
	}
	case RTMON_EV_EXEC: {
		/* the loader's variables are part of what ran: another preloaded library is another finding */
		int n = snprintf(out, len, "file %s %s", (ev->has & RTMON_HAS_EXE) ? ev->exe : "",
				 (ev->has & RTMON_HAS_FILENAME) ? ev->filename : "");

		for (const char *e = ev->env; e < ev->env + ev->env_len && n >= 0 && (size_t)n < len;
		     e += strlen(e) + 1)
			n += snprintf(out + n, len - (size_t)n, " %s", e);
		break;
	}
	default:
		break;
	}
}
