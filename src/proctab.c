/* SPDX-License-Identifier: MIT */
/* proctab.c - the process table (see proctab.h); procfs.c reads /proc for it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "proctab.h"
#include "sbuf.h"

#define NIL UINT32_MAX

struct rtmon_proctab {
	struct rtmon_proc *e; /* max entries */
	uint32_t *buckets;    /* nbuckets heads */
	uint32_t nbuckets, max, used;
	uint32_t free_head;	     /* free list through hnext (entries used once, then removed) */
	uint32_t fresh;		     /* entries [fresh, max) were never used: calloc'd, untouched */
	uint32_t lru_head, lru_tail; /* head = most recent */
	uint64_t exit_ttl_ns;
	struct rtmon_proctab_stats stats;
};

static uint32_t hash_pid(const struct rtmon_proctab *t, uint32_t pid)
{
	return (pid * 2654435761u) & (t->nbuckets - 1);
}

int proctab_new(size_t max, uint64_t exit_ttl_ns, struct rtmon_proctab **ret)
{
	struct rtmon_proctab *t;

	if (max < 16)
		max = 16;
	if (max > (1u << 22))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->max = (uint32_t)max;
	for (t->nbuckets = 16; t->nbuckets < max; t->nbuckets <<= 1)
		;
	t->e = calloc(max, sizeof(*t->e));
	t->buckets = malloc(t->nbuckets * sizeof(*t->buckets));
	if (!t->e || !t->buckets) {
		proctab_free(t);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < t->nbuckets; i++)
		t->buckets[i] = NIL;
	/*
	 * No free list through all 'max' entries: writing it would make every
	 * page of the (calloc'd, so not yet resident) array resident, about 4 MiB
	 * at the default 32768 on a host running a few hundred processes.
	 * Entries are taken in order from 'fresh' until the first eviction.
	 */
	t->free_head = NIL;
	t->fresh = 0;
	t->lru_head = t->lru_tail = NIL;
	t->exit_ttl_ns = exit_ttl_ns;
	*ret = t;
	return 0;
}

struct rtmon_proctab *proctab_free(struct rtmon_proctab *t)
{
	if (!t)
		return NULL;
	for (uint32_t i = 0; t->e && i < t->fresh; i++) {
		free(t->e[i].exe);
		free(t->e[i].program);
		free(t->e[i].filename);
		free(t->e[i].cwd);
		free(t->e[i].args);
	}
	free(t->e);
	free(t->buckets);
	free(t);
	return NULL;
}

size_t proctab_size(const struct rtmon_proctab *t)
{
	return t->used;
}

const struct rtmon_proctab_stats *proctab_stats(const struct rtmon_proctab *t)
{
	return &t->stats;
}

/* ---- LRU list ---- */

static void lru_unlink(struct rtmon_proctab *t, uint32_t i)
{
	struct rtmon_proc *p = &t->e[i];

	if (p->lprev != NIL)
		t->e[p->lprev].lnext = p->lnext;
	else
		t->lru_head = p->lnext;
	if (p->lnext != NIL)
		t->e[p->lnext].lprev = p->lprev;
	else
		t->lru_tail = p->lprev;
}

static void lru_push(struct rtmon_proctab *t, uint32_t i)
{
	struct rtmon_proc *p = &t->e[i];

	p->lprev = NIL;
	p->lnext = t->lru_head;
	if (t->lru_head != NIL)
		t->e[t->lru_head].lprev = i;
	t->lru_head = i;
	if (t->lru_tail == NIL)
		t->lru_tail = i;
}

static void touch(struct rtmon_proctab *t, struct rtmon_proc *p)
{
	uint32_t i = (uint32_t)(p - t->e);

	if (t->lru_head == i)
		return;
	lru_unlink(t, i);
	lru_push(t, i);
}

/* ---- hash ---- */

static uint32_t find_idx(const struct rtmon_proctab *t, uint32_t pid)
{
	for (uint32_t i = t->buckets[hash_pid(t, pid)]; i != NIL; i = t->e[i].hnext)
		if (t->e[i].pid == pid)
			return i;
	return NIL;
}

static void remove_idx(struct rtmon_proctab *t, uint32_t i)
{
	uint32_t *pp = &t->buckets[hash_pid(t, t->e[i].pid)];

	while (*pp != NIL && *pp != i)
		pp = &t->e[*pp].hnext;
	if (*pp == i)
		*pp = t->e[i].hnext;
	lru_unlink(t, i);
	t->e[i].used = false;
	t->e[i].hnext = t->free_head;
	t->free_head = i;
	t->used--;
}

/* The victim when full: the least recently used exited entry, else the LRU one. */
static void evict_one(struct rtmon_proctab *t)
{
	uint32_t n = 0;

	for (uint32_t i = t->lru_tail; i != NIL && n < 64; i = t->e[i].lprev, n++) {
		if (t->e[i].exited) {
			t->stats.evicted_exited++;
			remove_idx(t, i);
			return;
		}
	}
	if (t->lru_tail != NIL) {
		t->stats.evicted_live++;
		remove_idx(t, t->lru_tail);
	}
}

static struct rtmon_proc *insert(struct rtmon_proctab *t, uint32_t pid)
{
	uint32_t i = find_idx(t, pid);
	struct rtmon_proc *p;
	uint32_t h;

	if (i != NIL) {
		touch(t, &t->e[i]);
		return &t->e[i];
	}
	if (t->free_head == NIL && t->fresh < t->max) {
		i = t->fresh++;
	} else {
		if (t->free_head == NIL)
			evict_one(t);
		i = t->free_head;
		t->free_head = t->e[i].hnext;
	}
	p = &t->e[i];
	h = hash_pid(t, pid);
	p->hnext = t->buckets[h];
	t->buckets[h] = i;
	lru_push(t, i);
	t->used++;
	p->used = true;
	p->pid = pid;
	p->ppid = 0;
	p->uid = 0;
	p->exited = false;
	p->from_proc = false;
	p->exit_ns = 0;
	p->comm[0] = 0;
	if (p->exe)
		p->exe[0] = 0;
	if (p->program)
		p->program[0] = 0;
	if (p->filename)
		p->filename[0] = 0;
	if (p->cwd)
		p->cwd[0] = 0;
	p->args_len = 0;
	p->args_truncated = false;
	p->setuid_image = false;
	return p;
}

struct rtmon_proc *proctab_get(struct rtmon_proctab *t, uint32_t pid)
{
	uint32_t i = find_idx(t, pid);

	return i == NIL ? NULL : &t->e[i];
}

/* Copies len bytes (+NUL) into a buffer that grows and is then kept. */
static int set_buf(char **buf, size_t *cap, const char *src, size_t len)
{
	/* in steps of 64 bytes: a recycled entry soon fits any process of its size class */
	if (sbuf_fit(buf, cap, len + 1, 64) < 0)
		return -ENOMEM;
	memcpy(*buf, src, len);
	(*buf)[len] = 0;
	return 0;
}

static void copy_proc(struct rtmon_proc *dst, const struct rtmon_proc *src)
{
	if (src->exe)
		set_buf(&dst->exe, &dst->exe_cap, src->exe, strlen(src->exe));
	if (src->program)
		set_buf(&dst->program, &dst->program_cap, src->program, strlen(src->program));
	if (src->filename)
		set_buf(&dst->filename, &dst->filename_cap, src->filename, strlen(src->filename));
	if (src->cwd)
		set_buf(&dst->cwd, &dst->cwd_cap, src->cwd, strlen(src->cwd));
	if (src->args && src->args_len) {
		set_buf(&dst->args, &dst->args_cap, src->args, src->args_len);
		dst->args_len = src->args_len;
		dst->args_truncated = src->args_truncated;
	}
	memcpy(dst->comm, src->comm, sizeof(dst->comm));
	dst->uid = src->uid;
	dst->setuid_image = src->setuid_image;
}

static void on_fork(struct rtmon_proctab *t, const struct rtmon_event *ev)
{
	struct rtmon_proc *parent = proctab_get(t, ev->ppid);
	struct rtmon_proc *child;
	uint32_t pidx = parent ? (uint32_t)(parent - t->e) : NIL;

	child = insert(t, ev->pid);
	/* insert() may evict, but never the entry it was just given: re-check the parent */
	if (pidx != NIL && t->e[pidx].used && t->e[pidx].pid == ev->ppid && &t->e[pidx] != child)
		copy_proc(child, &t->e[pidx]);
	else
		snprintf(child->comm, sizeof(child->comm), "%s", ev->comm);
	child->ppid = ev->ppid;
	child->uid = ev->uid;
}

/*
 * The process ran /usr/bin/env as a script's interpreter (its filename, the script, is not env itself)
 * and env now execs the interpreter it looked up: the script is still what the kernel started.
 * Read before p is overwritten; only for an exec replacing a live image of the same process.
 */
static bool env_ran_script(const struct rtmon_proc *p, const struct rtmon_event *ev)
{
	const char *fb;

	if (!p || p->exited || !p->exe || !p->filename || !p->filename[0] || !(ev->has & RTMON_HAS_EXE))
		return false;
	if (strcmp(p->exe, "/usr/bin/env") != 0 && strcmp(p->exe, "/bin/env") != 0)
		return false;
	fb = strrchr(p->filename, '/');
	return strcmp(fb ? fb + 1 : p->filename, "env") != 0;
}

static void on_exec(struct rtmon_proctab *t, const struct rtmon_event *ev)
{
	bool keep_filename = env_ran_script(proctab_get(t, ev->pid), ev);
	struct rtmon_proc *p = insert(t, ev->pid);

	p->ppid = ev->ppid;
	p->uid = ev->uid;
	p->exited = false;
	p->from_proc = false;
	snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);
	if (ev->has & RTMON_HAS_EXE)
		set_buf(&p->exe, &p->exe_cap, ev->exe, strlen(ev->exe));
	else if (p->exe)
		p->exe[0] = 0;
	if (ev->has & RTMON_HAS_PROGRAM)
		set_buf(&p->program, &p->program_cap, ev->program, strlen(ev->program));
	else if (p->program)
		p->program[0] = 0;
	if (keep_filename && p->filename)
		; /* "#!/usr/bin/env node": the script the kernel ran stays this process's filename */
	else if (ev->has & RTMON_HAS_FILENAME)
		set_buf(&p->filename, &p->filename_cap, ev->filename, strlen(ev->filename));
	else if (p->filename)
		p->filename[0] = 0;
	if (ev->has & RTMON_HAS_CWD)
		set_buf(&p->cwd, &p->cwd_cap, ev->cwd, strlen(ev->cwd));
	p->args_len = 0;
	if ((ev->has & RTMON_HAS_ARGS) && set_buf(&p->args, &p->args_cap, ev->args, ev->args_len) == 0)
		p->args_len = ev->args_len;
	p->args_truncated = ev->args_truncated;
	p->setuid_image = ev->exe_setuid;
}

void proctab_update(struct rtmon_proctab *t, const struct rtmon_event *ev)
{
	struct rtmon_proc *p;

	switch (ev->type) {
	case RTMON_EV_FORK:
		on_fork(t, ev);
		break;
	case RTMON_EV_EXEC:
		on_exec(t, ev);
		break;
	case RTMON_EV_RENAME:
		/* the name it gives itself now, for its lineage and later events */
		p = insert(t, ev->pid);
		if (ev->has & RTMON_HAS_COMM)
			snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);
		if (!p->ppid && (ev->has & RTMON_HAS_PPID))
			p->ppid = ev->ppid;
		break;
	case RTMON_EV_EXIT:
		p = proctab_get(t, ev->pid);
		if (p) {
			p->exited = true;
			p->exit_ns = ev->time_ns;
		}
		break;
	default:
		p = proctab_get(t, ev->pid);
		if (p) {
			touch(t, p);
			/* the real uid now: a process's uid can change without an exec (setuid, an exploit) */
			if (ev->has & RTMON_HAS_UID)
				p->uid = ev->uid;
		}
		break;
	}
}

void proctab_expire(struct rtmon_proctab *t, uint64_t now_ns)
{
	/* walk from the LRU end; bounded so one call stays cheap */
	uint32_t i = t->lru_tail, n = 0;

	while (i != NIL && n++ < 4096) {
		uint32_t prev = t->e[i].lprev;

		if (t->e[i].exited && now_ns > t->e[i].exit_ns + t->exit_ttl_ns) {
			t->stats.expired++;
			remove_idx(t, i);
		}
		i = prev;
	}
}

/* ---- from /proc (procfs.c reads, the table keeps) ---- */

struct rtmon_proc *proctab_load_pid(struct rtmon_proctab *t, const char *procroot, uint32_t pid)
{
	struct rtmon_procfs_proc pp;
	struct rtmon_proc *p;

	t->stats.proc_reads++;
	if (procfs_read_pid(procroot, pid, &pp) < 0) {
		t->stats.proc_misses++;
		return NULL;
	}
	p = insert(t, pid);
	p->ppid = pp.ppid;
	p->uid = pp.uid;
	p->from_proc = true;
	p->setuid_image = pp.setuid_image;
	memcpy(p->comm, pp.comm, sizeof(p->comm));
	set_buf(&p->exe, &p->exe_cap, pp.exe, strlen(pp.exe));
	set_buf(&p->cwd, &p->cwd_cap, pp.cwd, strlen(pp.cwd));
	p->args_len = 0;
	if (pp.args_len && set_buf(&p->args, &p->args_cap, pp.args, pp.args_len) == 0) {
		p->args_len = (uint32_t)pp.args_len;
		p->args_truncated = pp.args_len == sizeof(pp.args);
	}
	return p;
}

struct seed_ctx {
	struct rtmon_proctab *t;
	const char *procroot;
	size_t n;
};

static int seed_one(void *ud, uint32_t pid)
{
	struct seed_ctx *c = ud;

	if (proctab_load_pid(c->t, c->procroot, pid))
		c->n++;
	return c->n >= c->t->max;
}

size_t proctab_seed(struct rtmon_proctab *t, const char *procroot)
{
	struct seed_ctx c = { .t = t, .procroot = procroot };

	procfs_pids(procroot, seed_one, &c);
	return c.n;
}

/* ---- enrichment and lineage ---- */

static void enrich_from(struct rtmon_event *ev, const struct rtmon_proc *p)
{
	if (!(ev->has & RTMON_HAS_EXE) && p->exe && p->exe[0]) {
		snprintf(ev->exe, sizeof(ev->exe), "%s", p->exe);
		ev->has |= RTMON_HAS_EXE;
	}
	if (!(ev->has & RTMON_HAS_PROGRAM) && p->program && p->program[0]) {
		snprintf(ev->program, sizeof(ev->program), "%s", p->program);
		ev->has |= RTMON_HAS_PROGRAM;
	}
	if (!(ev->has & RTMON_HAS_FILENAME) && p->filename && p->filename[0]) {
		snprintf(ev->filename, sizeof(ev->filename), "%s", p->filename);
		ev->has |= RTMON_HAS_FILENAME;
	}
	if (!(ev->has & RTMON_HAS_CWD) && p->cwd && p->cwd[0]) {
		snprintf(ev->cwd, sizeof(ev->cwd), "%s", p->cwd);
		ev->has |= RTMON_HAS_CWD;
	}
	if (!(ev->has & RTMON_HAS_ARGS) && p->args && p->args_len) {
		size_t n = p->args_len < sizeof(ev->args) ? p->args_len : sizeof(ev->args);
		const char *s = p->args;

		while ((size_t)(s - p->args) < n) {
			event_add_arg(ev, s);
			s += strnlen(s, n - (size_t)(s - p->args)) + 1;
		}
		ev->args_truncated = ev->args_truncated || p->args_truncated;
	}
	if (!(ev->has & RTMON_HAS_PPID)) {
		ev->ppid = p->ppid;
		ev->has |= RTMON_HAS_PPID;
	}
}

void proctab_enrich(struct rtmon_proctab *t, struct rtmon_event *ev, const char *procroot)
{
	struct rtmon_proc *p;

	if (ev->type == RTMON_EV_EXEC) {
		event_resolve_program(ev);
	} else {
		/* fork: the child shares the parent's image; others: the actor itself */
		p = proctab_get(t, ev->pid);
		if (!p && ev->type == RTMON_EV_FORK)
			p = proctab_get(t, ev->ppid);
		if (!p && procroot && ev->type != RTMON_EV_EXIT)
			p = proctab_load_pid(t, procroot, ev->pid);
		if (p)
			enrich_from(ev, p);
	}
	if (ev->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET)) {
		p = proctab_get(t, ev->target_pid);
		if (!p && procroot)
			p = proctab_load_pid(t, procroot, ev->target_pid);
		if (p) {
			ev->target_ppid = p->ppid;
			ev->has |= RTMON_HAS_TARGET_PPID;
		}
	}
}

size_t proctab_lineage(struct rtmon_proctab *t, uint32_t ppid, struct rtmon_ancestor *out, size_t max)
{
	size_t n = 0;
	uint32_t pid = ppid;

	while (n < max && pid != 0) {
		struct rtmon_proc *p = proctab_get(t, pid);

		if (!p) {
			out[n].pid = pid;
			out[n].uid = RTMON_UID_UNSET;
			out[n].comm = "";
			out[n].exe = NULL;
			out[n].program = NULL;
			out[n].filename = NULL;
			n++;
			break;
		}
		out[n].pid = p->pid;
		out[n].uid = p->uid;
		out[n].comm = p->comm;
		out[n].exe = p->exe && p->exe[0] ? p->exe : NULL;
		out[n].program = p->program && p->program[0] ? p->program : NULL;
		out[n].filename = p->filename && p->filename[0] ? p->filename : NULL;
		n++;
		if (p->ppid == pid)
			break;
		pid = p->ppid;
	}
	return n;
}
