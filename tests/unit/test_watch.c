/* SPDX-License-Identifier: MIT */
/* test_watch.c - the file watch list: patterns to watched inodes and prefixes, records back to paths. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cmocka.h>

#include "rtmon_abi.h"
#include "watch.h"

static char root[64];

static void mk(const char *rel, int dir)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (dir) {
		assert_int_equal(mkdir(p, 0755), 0);
	} else {
		FILE *f = fopen(p, "w");

		assert_non_null(f);
		fclose(f);
	}
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/rtmon-watch-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	mk("etc", 1);
	mk("etc/cron.d", 1);
	mk("etc/cron.d/job", 0);
	mk("etc/shadow", 0);
	mk("home", 1);
	mk("home/u", 1);
	mk("home/u/.ssh", 1);
	mk("home/u/.ssh/authorized_keys", 0);
	mk("home/v", 1); /* no .ssh: nothing to watch there */
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct rtmon_watch_entry *by_path(const struct rtmon_watch *w, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->e[i].path, p) == 0)
			return &w->e[i];
	return NULL;
}

static bool has_prefix(const struct rtmon_watch *w, const char *rel, uint32_t ops)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (size_t i = 0; i < w->np; i++)
		if (strcmp(w->p[i].path, p) == 0)
			return (w->p[i].ops & ops) == ops;
	return false;
}

static void watch__patterns__inodes_dirs_and_prefixes(void **state)
{
	struct rtmon_watch w = { 0 };
	const struct rtmon_watch_entry *e;
	char pat[256];
	struct stat st;

	(void)state;
	/* an exact file read: the file itself only (a read in its directory is not a change) */
	snprintf(pat, sizeof(pat), "%s/etc/shadow", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_READ), 0);
	e = by_path(&w, "etc/shadow");
	assert_non_null(e);
	assert_int_equal(e->self_ops, RTMON_FILE_READ);
	assert_null(by_path(&w, "etc"));
	assert_int_equal(stat(pat, &st), 0);
	assert_int_equal(e->ino, st.st_ino);
	assert_int_equal(e->dev, watch_kdev(st.st_dev));
	/* a directory's entries: the directory, for everything below it, and its prefix */
	snprintf(pat, sizeof(pat), "%s/etc/cron.d/*", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_WRITE | RTMON_FILE_RENAME_TO), 0);
	e = by_path(&w, "etc/cron.d");
	assert_non_null(e);
	assert_int_equal(e->child_ops, RTMON_FILE_WRITE | RTMON_FILE_RENAME_TO);
	assert_int_equal(e->deep_ops, RTMON_FILE_WRITE | RTMON_FILE_RENAME_TO);
	assert_true(has_prefix(&w, "etc/cron.d/", RTMON_FILE_RENAME_TO));
	/* a wildcard directory: each home with a .ssh, the file, and the directory for its creation */
	snprintf(pat, sizeof(pat), "%s/home/*/.ssh/authorized_keys", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_WRITE), 0);
	assert_int_equal(by_path(&w, "home/u/.ssh/authorized_keys")->self_ops, RTMON_FILE_WRITE);
	assert_int_equal(by_path(&w, "home/u/.ssh")->child_ops, RTMON_FILE_WRITE);
	assert_null(by_path(&w, "home/v"));
	assert_true(has_prefix(&w, "home/u/.ssh/authorized_keys", RTMON_FILE_WRITE));
	/* an exact file that does not exist yet: its directory, for its creation */
	snprintf(pat, sizeof(pat), "%s/etc/ld.so.preload", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_WRITE), 0);
	assert_int_equal(by_path(&w, "etc")->child_ops, RTMON_FILE_WRITE);
	/* the same inode twice: one entry, the accesses merged */
	snprintf(pat, sizeof(pat), "%s/etc/shadow", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_WRITE), 0);
	assert_int_equal(by_path(&w, "etc/shadow")->self_ops, RTMON_FILE_READ | RTMON_FILE_WRITE);
	/* refused or nothing to do */
	assert_int_equal(watch_add_pattern(&w, "etc/shadow", RTMON_FILE_READ), -EINVAL);
	assert_int_equal(watch_add_pattern(&w, "/proc/*/mem", RTMON_FILE_WRITE), 0);
	assert_int_equal(w.dropped, 0);
	watch_free(&w);
	assert_int_equal(w.n, 0);
}

static void watch__resolve__every_kind_of_record(void **state)
{
	struct rtmon_watch w = { 0 };
	struct rtmon_event ev;
	char pat[256], want[300];
	const struct rtmon_watch_entry *cron;

	(void)state;
	snprintf(pat, sizeof(pat), "%s/etc/cron.d/*", root);
	assert_int_equal(watch_add_pattern(&w, pat, RTMON_FILE_WRITE), 0);
	cron = by_path(&w, "etc/cron.d");
	event_reset(&ev);
	ev.type = RTMON_EV_FILE;
	ev.file_how = RTMON_FILE_BY_INODE;
	ev.watch_dev = cron->dev;
	ev.watch_ino = cron->ino;
	ev.file_depth = 2;
	snprintf(ev.file_names[0], sizeof(ev.file_names[0]), "payload");
	snprintf(ev.file_names[1], sizeof(ev.file_names[1]), "sub");
	watch_resolve(&w, &ev);
	snprintf(want, sizeof(want), "%s/etc/cron.d/sub/payload", root);
	assert_string_equal(ev.path, want);
	ev.file_depth = 0;
	watch_resolve(&w, &ev);
	snprintf(want, sizeof(want), "%s/etc/cron.d", root);
	assert_string_equal(ev.path, want);
	/* a relative name in a watched directory */
	ev.file_how = RTMON_FILE_BY_DIR;
	snprintf(ev.file_upath, sizeof(ev.file_upath), "evil");
	watch_resolve(&w, &ev);
	snprintf(want, sizeof(want), "%s/etc/cron.d/evil", root);
	assert_string_equal(ev.path, want);
	/* the caller's absolute path */
	ev.file_how = RTMON_FILE_BY_PATH;
	snprintf(ev.file_upath, sizeof(ev.file_upath), "/var/log/wtmp");
	watch_resolve(&w, &ev);
	assert_string_equal(ev.path, "/var/log/wtmp");
	/* /proc/PID/task/TID/mem: the target is the process */
	ev.file_how = RTMON_FILE_PROC_MEM;
	snprintf(ev.file_names[0], 64, "mem");
	snprintf(ev.file_names[1], 64, "4243");
	snprintf(ev.file_names[2], 64, "task");
	snprintf(ev.file_names[3], 64, "4242");
	watch_resolve(&w, &ev);
	assert_string_equal(ev.path, "/proc/4242/task/4243/mem");
	assert_int_equal(ev.target_pid, 4242);
	assert_true(ev.has & RTMON_HAS_TARGET);
	snprintf(ev.file_names[2], 64, "proc");
	watch_resolve(&w, &ev);
	assert_string_equal(ev.path, "/proc/4243/mem");
	assert_int_equal(ev.target_pid, 4243);
	/* an inode the list does not know (a stale kernel entry) */
	ev.file_how = RTMON_FILE_BY_INODE;
	ev.watch_ino = 1;
	ev.file_depth = 1;
	snprintf(ev.file_names[0], 64, "x");
	watch_resolve(&w, &ev);
	assert_string_equal(ev.path, "?/x");
	watch_free(&w);
	assert_int_equal(watch_kdev(makedev(8, 1)), (8u << 20) | 1u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(watch__patterns__inodes_dirs_and_prefixes),
		cmocka_unit_test(watch__resolve__every_kind_of_record),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
