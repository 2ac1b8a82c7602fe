/* SPDX-License-Identifier: MIT */
/*
 * watch.h - the file watch list: the path patterns the rules compare `path`
 * with, compiled into what the kernel checks before it copies anything
 * (watched inodes for opens and ftruncate, path prefixes for unlink, rename
 * and truncate), and the reverse map that turns a file record back into a
 * path (watch_resolve, pure).
 */
#ifndef RTMON_WATCH_H
#define RTMON_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define RTMON_WATCH_MAX 4096	    /* watched inodes (the kernel map's size) */
#define RTMON_WATCH_PREFIX_MAX 1024 /* path prefixes (the kernel trie's size) */

struct rtmon_watch_entry {
	uint32_t dev; /* the kernel's s_dev: major << 20 | minor */
	uint64_t ino;
	uint32_t self_ops, child_ops, deep_ops; /* RTMON_FILE_* (rtmon_abi.h) */
	char path[256];				/* the path it was found at */
};

struct rtmon_watch_prefix {
	char path[128]; /* an absolute path or directory prefix ending in '/' */
	uint32_t ops;
};

/* Owns its arrays; zero-initialised is empty. */
struct rtmon_watch {
	struct rtmon_watch_entry *e;
	size_t n, cap;
	struct rtmon_watch_prefix *p;
	size_t np, capp;
	size_t dropped; /* entries past the limits (logged by the caller) */
};

void watch_free(struct rtmon_watch *w);

/*
 * Adds one pattern (a path, a glob with * ? [ ] where * also matches '/') for
 * the accesses 'ops'. Reads the filesystem (glob, stat): what exists now is
 * watched by inode, directories for what is created in them later, and the
 * pattern's literal prefix for unlink / rename / truncate. A pattern that is
 * not absolute is refused (-EINVAL); /proc patterns add nothing (the kernel
 * reports writes to /proc/PID/mem files without a watch).
 */
int watch_add_pattern(struct rtmon_watch *w, const char *pattern, uint32_t ops);

/* The kernel's s_dev for a stat() st_dev. */
uint32_t watch_kdev(uint64_t st_dev);

/*
 * Fills ev->path (and target_pid for /proc/PID/mem) from the kernel's fields
 * of a file event; events of other types are left alone. Pure.
 */
void watch_resolve(const struct rtmon_watch *w, struct rtmon_event *ev);
/* A path given relative to the caller's working directory (RTMON_FILE_BY_CWD), once ev->cwd is known. */
void watch_resolve_cwd(struct rtmon_event *ev);

#endif
