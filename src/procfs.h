/* SPDX-License-Identifier: MIT */
/*
 * procfs.h - reads what the process table needs of one process from /proc
 * (stat, status, exe, cwd, cmdline), and lists the pids under /proc.
 * No table, no allocation: the caller (proctab.c) stores what it keeps.
 */
#ifndef RTMON_PROCFS_H
#define RTMON_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct rtmon_procfs_proc {
	uint32_t ppid, uid;
	bool setuid_image; /* exe is set-user/group-ID */
	char comm[RTMON_COMM_MAX + 1];
	char exe[RTMON_PATH_MAX];  /* "" when unreadable */
	char cwd[RTMON_PATH_MAX];  /* "" when unreadable */
	char args[RTMON_ARGS_MAX]; /* NUL-separated */
	size_t args_len;	   /* 0 when unreadable */
};

/*
 * Reads <procroot>/<pid>. Returns 0 and fills *ret, or -errno (-ENOENT when
 * the process is gone). Once stat is read the process may exit at any point:
 * what was read stays, what was not is left empty, and the read succeeds.
 */
int procfs_read_pid(const char *procroot, uint32_t pid, struct rtmon_procfs_proc *ret);
/*
 * Calls fn for every pid under procroot until fn returns non-zero. Returns
 * 0, or -errno when procroot cannot be read.
 */
int procfs_pids(const char *procroot, int (*fn)(void *ud, uint32_t pid), void *ud);

#endif
