/* SPDX-License-Identifier: MIT */
/*
 * watch.c - the file watch list (see watch.h).
 */
#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "rtmon_abi.h"
#include "watch.h"

void watch_free(struct rtmon_watch *w)
{
	free(w->e);
	free(w->p);
	*w = (struct rtmon_watch){ 0 };
}

uint32_t watch_kdev(uint64_t st_dev)
{
	return (uint32_t)(major(st_dev) << 20 | minor(st_dev));
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static struct rtmon_watch_entry *entry_get(struct rtmon_watch *w, const char *path, const struct stat *st)
{
	uint32_t dev = watch_kdev(st->st_dev);
	struct rtmon_watch_entry *e;

	for (size_t i = 0; i < w->n; i++)
		if (w->e[i].dev == dev && w->e[i].ino == st->st_ino)
			return &w->e[i];
	if (w->n >= RTMON_WATCH_MAX) {
		w->dropped++;
		return NULL;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		void *p = realloc(w->e, cap * sizeof(*w->e));

		if (!p)
			return NULL;
		w->e = p;
		w->cap = cap;
	}
	e = &w->e[w->n++];
	*e = (struct rtmon_watch_entry){ .dev = dev, .ino = st->st_ino };
	snprintf(e->path, sizeof(e->path), "%s", path);
	return e;
}

/* Watches path (when it exists) for self / child / deep ops. */
static int watch_path(struct rtmon_watch *w, const char *path, uint32_t self, uint32_t child, uint32_t deep)
{
	struct rtmon_watch_entry *e;
	struct stat st;

	if (stat(path, &st) < 0)
		return 0; /* not there (yet): its directory is watched for its creation */
	if (!S_ISDIR(st.st_mode))
		child = deep = 0;
	if (!(self | child | deep))
		return 0;
	e = entry_get(w, path, &st);
	if (!e)
		return w->dropped ? 0 : -ENOMEM;
	e->self_ops |= self;
	e->child_ops |= child;
	e->deep_ops |= deep;
	return 0;
}

static int prefix_add(struct rtmon_watch *w, const char *path, uint32_t ops)
{
	size_t len = strlen(path);

	if (len >= sizeof(w->p[0].path)) {
		w->dropped++;
		return 0;
	}
	for (size_t i = 0; i < w->np; i++)
		if (strcmp(w->p[i].path, path) == 0) {
			w->p[i].ops |= ops;
			return 0;
		}
	if (w->np >= RTMON_WATCH_PREFIX_MAX) {
		w->dropped++;
		return 0;
	}
	if (w->np == w->capp) {
		size_t cap = w->capp ? w->capp * 2 : 32;
		void *p = realloc(w->p, cap * sizeof(*w->p));

		if (!p)
			return -ENOMEM;
		w->p = p;
		w->capp = cap;
	}
	snprintf(w->p[w->np].path, sizeof(w->p[w->np].path), "%s", path);
	w->p[w->np++].ops = ops;
	return 0;
}

/* The directories dirpat names now (itself when it has no wildcard); calls fn for each. */
static int each_dir(struct rtmon_watch *w, const char *dirpat, const char *base, uint32_t ops,
		    int (*fn)(struct rtmon_watch *, const char *, const char *, uint32_t))
{
	glob_t g;
	int r = 0;

	if (!has_glob(dirpat))
		return fn(w, dirpat, base, ops);
	if (glob(dirpat, GLOB_ONLYDIR | GLOB_NOSORT, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc && r == 0; i++)
		r = fn(w, g.gl_pathv[i], base, ops);
	globfree(&g);
	return r;
}

/* Writes, creation, removal and replacement: what a directory is watched for on behalf of its entries. */
#define CHANGE_OPS (RTMON_FILE_WRITE | RTMON_FILE_TRUNC | RTMON_FILE_UNLINK | RTMON_FILE_RENAME | RTMON_FILE_RENAME_TO)

/* dir/base where base is "*": everything below dir. */
static int watch_tree(struct rtmon_watch *w, const char *dir, const char *base, uint32_t ops)
{
	char pre[300];
	int r;

	(void)base;
	r = watch_path(w, dir, 0, ops, ops);
	snprintf(pre, sizeof(pre), "%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/");
	return r < 0 ? r : prefix_add(w, pre, ops & CHANGE_OPS);
}

/* dir/base where base names some entries: those that exist, and dir for the ones created later. */
static int watch_entries(struct rtmon_watch *w, const char *dir, const char *base, uint32_t ops)
{
	char pat[600];
	glob_t g;
	int r;

	r = watch_path(w, dir, 0, ops & CHANGE_OPS, 0);
	if (r < 0)
		return r;
	snprintf(pat, sizeof(pat), "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, base);
	if (has_glob(base)) {
		char pre[300];

		snprintf(pre, sizeof(pre), "%s/", strcmp(dir, "/") == 0 ? "" : dir);
		r = prefix_add(w, pre, ops & CHANGE_OPS);
		if (r < 0 || glob(pat, GLOB_NOSORT, NULL, &g) != 0)
			return r;
		for (size_t i = 0; i < g.gl_pathc && r == 0; i++)
			r = watch_path(w, g.gl_pathv[i], ops, 0, 0);
		globfree(&g);
		return r;
	}
	r = prefix_add(w, pat, ops & CHANGE_OPS);
	return r < 0 ? r : watch_path(w, pat, ops, 0, 0);
}

int watch_add_pattern(struct rtmon_watch *w, const char *pattern, uint32_t ops)
{
	char dir[512];
	const char *slash;

	if (!pattern || pattern[0] != '/' || !ops)
		return -EINVAL;
	/* procfs: the kernel reports writes to /proc/PID/mem by itself; nothing else there can be watched */
	if (strncmp(pattern, "/proc/", 6) == 0)
		return 0;
	slash = strrchr(pattern, '/');
	if ((size_t)(slash - pattern) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, pattern, (size_t)(slash - pattern));
	dir[slash - pattern] = '\0';
	if (!dir[0])
		snprintf(dir, sizeof(dir), "/");
	if (strcmp(slash + 1, "*") == 0)
		return each_dir(w, dir, slash + 1, ops, watch_tree);
	return each_dir(w, dir, slash + 1, ops, watch_entries);
}

static const struct rtmon_watch_entry *entry_find(const struct rtmon_watch *w, uint32_t dev, uint64_t ino)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (w->e[i].dev == dev && w->e[i].ino == ino)
			return &w->e[i];
	return NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* /proc/PID/mem or /proc/PID/task/TID/mem from the leaf-first names. */
static void resolve_proc_mem(struct rtmon_event *ev)
{
	const char(*n)[64] = ev->file_names;

	if (strcmp(n[2], "task") == 0 && all_digits(n[1]) && all_digits(n[3])) {
		snprintf(ev->path, sizeof(ev->path), "/proc/%s/task/%s/mem", n[3], n[1]);
		ev->target_pid = (uint32_t)strtoul(n[3], NULL, 10);
	} else if (all_digits(n[1])) {
		snprintf(ev->path, sizeof(ev->path), "/proc/%s/mem", n[1]);
		ev->target_pid = (uint32_t)strtoul(n[1], NULL, 10);
	} else {
		snprintf(ev->path, sizeof(ev->path), "/proc/%s/mem", n[1]);
		return;
	}
	ev->has |= RTMON_HAS_TARGET;
}

/* "/" + the components root first (+ "/" + upath): the kernel's last 4 below the file's mount */
static void resolve_names(struct rtmon_event *ev)
{
	size_t len = 0;
	int n = 0;

	while (n < 4 && ev->file_names[n][0])
		n++;
	ev->path[0] = 0;
	for (int i = n - 1; i >= 0 && len < sizeof(ev->path); i--) {
		const char *c = ev->file_names[i];

		if (strcmp(c, "/") == 0)
			continue;
		len += (size_t)snprintf(ev->path + len, sizeof(ev->path) - len, "/%.*s", 64, c);
	}
	if (ev->file_upath[0] && len < sizeof(ev->path))
		len += (size_t)snprintf(ev->path + len, sizeof(ev->path) - len, "/%s", ev->file_upath);
	if (len == 0)
		snprintf(ev->path, sizeof(ev->path), "/");
}

void watch_resolve_cwd(struct rtmon_event *ev)
{
	char rel[sizeof(ev->file_upath)];

	if (ev->type != RTMON_EV_FILE || ev->file_how != RTMON_FILE_BY_CWD || !(ev->has & RTMON_HAS_CWD) || !ev->cwd[0])
		return;
	snprintf(rel, sizeof(rel), "%s",
		 ev->file_upath[0] == '.' && ev->file_upath[1] == '/' ? ev->file_upath + 2 : ev->file_upath);
	size_t n = strlen(ev->cwd);

	if (n + 1 + strlen(rel) >= sizeof(ev->path))
		return; /* too long: the relative path stays */
	memcpy(ev->path, ev->cwd, n);
	if (strcmp(ev->cwd, "/") != 0)
		ev->path[n++] = '/';
	memcpy(ev->path + n, rel, strlen(rel) + 1);
}

void watch_resolve(const struct rtmon_watch *w, struct rtmon_event *ev)
{
	const struct rtmon_watch_entry *e;
	size_t len;

	if (ev->type != RTMON_EV_FILE)
		return;
	switch (ev->file_how) {
	case RTMON_FILE_BY_PATH:
		snprintf(ev->path, sizeof(ev->path), "%s", ev->file_upath);
		return;
	case RTMON_FILE_PROC_MEM:
		resolve_proc_mem(ev);
		return;
	case RTMON_FILE_BY_CWD:
		/* joined with the process's working directory once the process table is read (watch_resolve_cwd) */
		snprintf(ev->path, sizeof(ev->path), "%s", ev->file_upath);
		return;
	case RTMON_FILE_BY_NAMES:
		resolve_names(ev);
		return;
	case RTMON_FILE_BY_DIR:
		e = entry_find(w, ev->watch_dev, ev->watch_ino);
		snprintf(ev->path, sizeof(ev->path), "%s/%s", e ? e->path : "?", ev->file_upath);
		return;
	case RTMON_FILE_BY_INODE:
		e = entry_find(w, ev->watch_dev, ev->watch_ino);
		len = (size_t)snprintf(ev->path, sizeof(ev->path), "%s", e ? e->path : "?");
		for (uint32_t i = ev->file_depth; i > 0 && i <= 4 && len < sizeof(ev->path); i--)
			len += (size_t)snprintf(ev->path + len, sizeof(ev->path) - len, "%s%s",
						len && ev->path[len - 1] == '/' ? "" : "/", ev->file_names[i - 1]);
		return;
	default:
		return;
	}
}
