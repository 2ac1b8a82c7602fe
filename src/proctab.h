/* SPDX-License-Identifier: MIT */
/*
 * proctab.h - the process table: pid -> exe, args, cwd, parent; lineage.
 *
 * Seeded from /proc at start (so processes older than rtmon have lineage),
 * kept current from fork/exec/exit events. Bounded: at most 'max' entries.
 * Eviction policy: an exited process stays for 'exit_ttl' (so the lineage of
 * its children and late events still resolve) and is then removed; when the
 * table is full, the least recently used exited entry goes first, then the
 * least recently used live one. String buffers are kept with their entry
 * and reused, so steady state allocates nothing.
 */
#ifndef RTMON_PROCTAB_H
#define RTMON_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct rtmon_proctab;

struct rtmon_proc {
	uint32_t pid, ppid, uid;
	bool exited;
	bool from_proc;	  /* filled from /proc rather than events */
	uint64_t exit_ns; /* monotonic-ish: the event time of the exit */
	char comm[RTMON_COMM_MAX + 1];
	char *exe;	/* "" when unknown */
	char *program;	/* "" unless exe is a launcher (ld.so, busybox): event_resolve_program() */
	char *filename; /* the path its last execve was given (a script's own path); "" when unknown */
	char *cwd;
	char *args; /* NUL-separated */
	uint32_t args_len;
	bool args_truncated;
	bool setuid_image; /* its current image (or the one it forked from) is set-user/group-ID */
	/* private */
	size_t exe_cap, filename_cap, cwd_cap, args_cap, program_cap;
	uint32_t hnext, lprev, lnext;
	bool used;
};

struct rtmon_proctab_stats {
	uint64_t evicted_live, evicted_exited, expired, proc_reads, proc_misses;
};

int proctab_new(size_t max, uint64_t exit_ttl_ns, struct rtmon_proctab **ret);
struct rtmon_proctab *proctab_free(struct rtmon_proctab *t);
size_t proctab_size(const struct rtmon_proctab *t);
const struct rtmon_proctab_stats *proctab_stats(const struct rtmon_proctab *t);

struct rtmon_proc *proctab_get(struct rtmon_proctab *t, uint32_t pid);
/* Updates the table from one event (fork, exec, exit, rename; others refresh LRU only). */
void proctab_update(struct rtmon_proctab *t, const struct rtmon_event *ev);
/*
 * Fills what the event lacks from the table: exe/program/args/cwd of the
 * actor, ppid, and target_ppid for ptrace/process_vm_writev. An exec gets
 * its program resolved (event_resolve_program). With a /proc root,
 * a process the table has never seen is read from there once.
 */
void proctab_enrich(struct rtmon_proctab *t, struct rtmon_event *ev, const char *procroot);
/* Ancestors of the process whose parent is 'ppid', nearest first. Returns how many. */
size_t proctab_lineage(struct rtmon_proctab *t, uint32_t ppid, struct rtmon_ancestor *out, size_t max);
/* Removes exited entries older than the ttl (now in the events' clock). */
void proctab_expire(struct rtmon_proctab *t, uint64_t now_ns);
/* Reads /proc (procroot, normally "/proc") into the table. Returns entries added. */
size_t proctab_seed(struct rtmon_proctab *t, const char *procroot);
/* Reads one /proc/<pid> into the table; NULL when it vanished. */
struct rtmon_proc *proctab_load_pid(struct rtmon_proctab *t, const char *procroot, uint32_t pid);

#endif
