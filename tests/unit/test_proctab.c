/* test_proctab.c: the process table follows fork/exec/exit, gives lineage nearest first, stays bounded
 * (exited entries evicted first, freed entries reused clean, unused entries not resident),
 * expires exited entries, and reads a live /proc entry. */
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "proctab.h"

static struct rtmon_event ev;

static void fork_ev(struct rtmon_proctab *t, uint32_t child, uint32_t parent)
{
	event_reset(&ev);
	ev.type = RTMON_EV_FORK;
	ev.pid = child;
	ev.ppid = parent;
	strcpy(ev.comm, "x");
	proctab_update(t, &ev);
}

static void exec_ev(struct rtmon_proctab *t, uint32_t pid, uint32_t ppid, const char *exe)
{
	event_reset(&ev);
	ev.type = RTMON_EV_EXEC;
	ev.pid = pid;
	ev.ppid = ppid;
	ev.has = RTMON_HAS_EXE;
	snprintf(ev.exe, sizeof(ev.exe), "%s", exe);
	snprintf(ev.comm, sizeof(ev.comm), "%s", strrchr(exe, '/') + 1);
	event_add_arg(&ev, exe);
	proctab_update(t, &ev);
}

static void exit_ev(struct rtmon_proctab *t, uint32_t pid, uint64_t when)
{
	event_reset(&ev);
	ev.type = RTMON_EV_EXIT;
	ev.pid = pid;
	ev.time_ns = when;
	proctab_update(t, &ev);
}

static void proctab__chain__lineage_nearest_first(void **state)
{
	struct rtmon_proctab *t;
	struct rtmon_ancestor anc[8];
	size_t n;

	(void)state;
	assert_int_equal(proctab_new(64, 1000, &t), 0);
	exec_ev(t, 1, 0, "/sbin/init");
	fork_ev(t, 100, 1);
	exec_ev(t, 100, 1, "/usr/sbin/sshd");
	fork_ev(t, 200, 100);
	exec_ev(t, 200, 100, "/usr/bin/bash");
	fork_ev(t, 300, 200);
	n = proctab_lineage(t, 200, anc, 8);
	assert_int_equal(n, 3);
	assert_int_equal(anc[0].pid, 200);
	assert_string_equal(anc[0].exe, "/usr/bin/bash");
	assert_int_equal(anc[1].pid, 100);
	assert_string_equal(anc[1].comm, "sshd");
	assert_int_equal(anc[2].pid, 1);
	/* the forked child inherits its parent's image until it execs */
	assert_string_equal(proctab_get(t, 300)->exe, "/usr/bin/bash");
	/* enrichment of a later event of the child */
	event_reset(&ev);
	ev.type = RTMON_EV_CONNECT;
	ev.pid = 300;
	proctab_enrich(t, &ev, NULL);
	assert_true(ev.has & RTMON_HAS_EXE);
	assert_string_equal(ev.exe, "/usr/bin/bash");
	assert_int_equal(ev.argc, 1);
	assert_false(ev.has & RTMON_HAS_FILENAME); /* exec_ev gives none: unknown stays unknown */
	assert_null(anc[0].filename);
	/* a script: exe is its interpreter, filename the script; both in lineage and enrichment */
	event_reset(&ev);
	ev.type = RTMON_EV_EXEC;
	ev.pid = 300;
	ev.ppid = 200;
	ev.has = RTMON_HAS_EXE | RTMON_HAS_FILENAME;
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/python3.11");
	snprintf(ev.filename, sizeof(ev.filename), "/usr/bin/cloud-init");
	proctab_update(t, &ev);
	fork_ev(t, 301, 300);
	n = proctab_lineage(t, 300, anc, 8);
	assert_int_equal(n, 4);
	assert_string_equal(anc[0].filename, "/usr/bin/cloud-init");
	assert_string_equal(anc[0].exe, "/usr/bin/python3.11");
	event_reset(&ev);
	ev.type = RTMON_EV_CONNECT;
	ev.pid = 301;
	proctab_enrich(t, &ev, NULL);
	assert_true(ev.has & RTMON_HAS_FILENAME);
	assert_string_equal(ev.filename, "/usr/bin/cloud-init");
	/* "#!/usr/bin/env node": env, then node in the same process; the script stays the filename */
	event_reset(&ev);
	ev.type = RTMON_EV_EXEC;
	ev.pid = 301;
	ev.ppid = 300;
	ev.has = RTMON_HAS_EXE | RTMON_HAS_FILENAME;
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/env");
	snprintf(ev.filename, sizeof(ev.filename), "/usr/bin/npm");
	proctab_update(t, &ev);
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/node");
	snprintf(ev.filename, sizeof(ev.filename), "/usr/bin/node");
	proctab_update(t, &ev);
	assert_string_equal(proctab_get(t, 301)->filename, "/usr/bin/npm");
	/* env run directly is not a script: what it execs is */
	snprintf(ev.exe, sizeof(ev.exe), "/usr/bin/env");
	snprintf(ev.filename, sizeof(ev.filename), "/usr/bin/env");
	proctab_update(t, &ev);
	snprintf(ev.exe, sizeof(ev.exe), "/tmp/x");
	snprintf(ev.filename, sizeof(ev.filename), "/tmp/x");
	proctab_update(t, &ev);
	assert_string_equal(proctab_get(t, 301)->filename, "/tmp/x");
	proctab_free(t);
}

static void proctab__full__exited_evicted_first(void **state)
{
	struct rtmon_proctab *t;

	(void)state;
	assert_int_equal(proctab_new(16, 1000000, &t), 0);
	for (uint32_t p = 1; p <= 16; p++)
		exec_ev(t, p, 0, "/bin/a");
	exit_ev(t, 5, 1);
	exec_ev(t, 100, 0, "/bin/new"); /* table full: 5 (exited) goes, not the LRU live 1 */
	assert_int_equal(proctab_size(t), 16);
	assert_null(proctab_get(t, 5));
	assert_non_null(proctab_get(t, 1));
	exec_ev(t, 101, 0, "/bin/new2"); /* no exited entry left: the LRU live one (1) goes */
	assert_null(proctab_get(t, 1));
	assert_int_equal(proctab_stats(t)->evicted_exited, 1);
	assert_int_equal(proctab_stats(t)->evicted_live, 1);
	proctab_free(t);
}

static void proctab__exit__expires_after_ttl(void **state)
{
	struct rtmon_proctab *t;

	(void)state;
	assert_int_equal(proctab_new(16, 1000, &t), 0);
	exec_ev(t, 7, 1, "/bin/a");
	exit_ev(t, 7, 5000);
	proctab_expire(t, 5500);
	assert_non_null(proctab_get(t, 7)); /* within the ttl: children's lineage still resolves */
	proctab_expire(t, 6001);
	assert_null(proctab_get(t, 7));
	proctab_free(t);
}

/* Entries freed by expiry and eviction are reused, clean, and the table never outgrows its bound. */
static void proctab__churn__bounded_and_reused_clean(void **state)
{
	struct rtmon_proctab *t;
	char exe[32];

	(void)state;
	assert_int_equal(proctab_new(16, 10, &t), 0);
	for (uint32_t p = 1000; p < 3000; p++) {
		snprintf(exe, sizeof(exe), "/bin/p%u", p);
		exec_ev(t, p, 1, exe);
		assert_string_equal(proctab_get(t, p)->exe, exe);
		assert_int_equal(proctab_get(t, p)->ppid, 1);
		if (p % 3 == 0) {
			exit_ev(t, p, p * 100);
			proctab_expire(t, p * 100 + 11);
			assert_null(proctab_get(t, p));
		}
		assert_true(proctab_size(t) <= 16);
	}
	assert_non_null(proctab_get(t, 2999 - 1));
	assert_true(proctab_stats(t)->evicted_live > 0);
	assert_true(proctab_stats(t)->expired > 0);
	proctab_free(t);
}

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld %ld", &pages, &rss), 2);
	fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A table sized for 32768 processes costs memory only for the entries in use. */
static void proctab__large_table__unused_entries_not_resident(void **state)
{
	struct rtmon_proctab *t;
	long before = rss_kb();

	(void)state;
	assert_int_equal(proctab_new(32768, 1000, &t), 0);
	for (uint32_t p = 1; p <= 300; p++)
		exec_ev(t, p, 0, "/bin/a");
	assert_int_equal(proctab_size(t), 300);
	assert_true(rss_kb() - before < 1024); /* the whole array would be about 4 MiB */
	proctab_free(t);
}

static void proctab__proc__reads_self(void **state)
{
	struct rtmon_proctab *t;
	struct rtmon_proc *p;

	(void)state;
	assert_int_equal(proctab_new(16, 1000, &t), 0);
	p = proctab_load_pid(t, "/proc", (uint32_t)getpid());
	assert_non_null(p);
	assert_int_equal(p->ppid, (uint32_t)getppid());
	assert_non_null(strstr(p->exe, "test_proctab"));
	assert_null(proctab_load_pid(t, "/proc", 0x7ffffff0u)); /* vanished: no error */
	assert_true(proctab_seed(t, "/proc") > 0);
	proctab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proctab__chain__lineage_nearest_first),
		cmocka_unit_test(proctab__full__exited_evicted_first),
		cmocka_unit_test(proctab__exit__expires_after_ttl),
		cmocka_unit_test(proctab__churn__bounded_and_reused_clean),
		cmocka_unit_test(proctab__large_table__unused_entries_not_resident),
		cmocka_unit_test(proctab__proc__reads_self),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
