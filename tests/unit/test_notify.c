/* SPDX-License-Identifier: MIT */
/*
 * test_notify.c - proves the exact sd_notify datagrams of notify.c on a NOTIFY_SOCKET the test
 * binds itself (READY, STATUS with counters, RELOADING with MONOTONIC_USEC, STOPPING, WATCHDOG),
 * the watchdog interval (half of WATCHDOG_USEC, only for our WATCHDOG_PID), and no-ops without it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify.h"

struct fx {
	char dir[64], path[128];
	int fd;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 2 };

	assert_non_null(f);
	strcpy(f->dir, "/tmp/rtmon-notify-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/notify.sock", f->dir);
	f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(f->fd >= 0);
	strcpy(sa.sun_path, f->path);
	assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	setenv("NOTIFY_SOCKET", f->path, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	close(f->fd);
	unlink(f->path);
	rmdir(f->dir);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	free(f);
	return 0;
}

static void recv_msg(struct fx *f, char *buf, size_t size)
{
	ssize_t n = recv(f->fd, buf, size - 1, 0);

	assert_true(n > 0);
	buf[n] = '\0';
}

static void notify_ready__socket__ready_and_status(void **state)
{
	char m[512];

	notify_ready();
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m, "READY=1\nSTATUS=monitoring");
}

static void notify_status__counters__exact_text(void **state)
{
	struct rtmon_notify_stats s = { .events_per_s = 1234.56, .events = 987654, .alerts = 42, .drops = 7 };
	char m[512];

	notify_status(&s);
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m, "STATUS=monitoring: 1234.6 events/s, 987654 events, 42 alerts, 7 drops");
}

/* issue 21: the reload result is in STATUS=, and a failed reload stays visible in the periodic status */
static void notify_reloaded__result__in_status(void **state)
{
	struct rtmon_notify_stats s = { .events = 1, .note = "last reload failed: f.conf:3: bad" };
	char m[512];

	notify_reloaded(NULL);
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m, "READY=1\nSTATUS=monitoring (configuration reloaded)");
	notify_reloaded("f.conf:3: bad");
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m,
			    "READY=1\nSTATUS=monitoring with the previous configuration: reload failed: f.conf:3: bad");
	notify_status(&s);
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(
		m, "STATUS=monitoring: 0.0 events/s, 1 events, 0 alerts, 0 drops; last reload failed: f.conf:3: bad");
}

static void notify_reloading__socket__monotonic_now(void **state)
{
	struct timespec a, b;
	unsigned long long us;
	char m[512];

	clock_gettime(CLOCK_MONOTONIC, &a);
	notify_reloading();
	clock_gettime(CLOCK_MONOTONIC, &b);
	recv_msg(*state, m, sizeof(m));
	assert_int_equal(sscanf(m, "RELOADING=1\nSTATUS=reloading configuration\nMONOTONIC_USEC=%llu", &us), 1);
	assert_true(us >= (unsigned long long)a.tv_sec * 1000000 + (unsigned long long)a.tv_nsec / 1000);
	assert_true(us <= (unsigned long long)b.tv_sec * 1000000 + (unsigned long long)b.tv_nsec / 1000);
}

static void notify_stopping_watchdog__socket__exact(void **state)
{
	char m[512];

	notify_watchdog();
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m, "WATCHDOG=1");
	notify_stopping();
	recv_msg(*state, m, sizeof(m));
	assert_string_equal(m, "STOPPING=1\nSTATUS=stopping");
}

static void notify_watchdog_interval__env__half_for_our_pid_only(void **state)
{
	char pid[32];

	(void)state;
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(notify_watchdog_interval_ms(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	unsetenv("WATCHDOG_PID");
	assert_int_equal(notify_watchdog_interval_ms(), 15000);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	setenv("WATCHDOG_USEC", "2000000", 1);
	assert_int_equal(notify_watchdog_interval_ms(), 1000);
	snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1); /* meant for another process */
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(notify_watchdog_interval_ms(), 0);
	unsetenv("WATCHDOG_PID");
	setenv("WATCHDOG_USEC", "garbage", 1);
	assert_int_equal(notify_watchdog_interval_ms(), 0);
}

static void notify_all__no_socket__silent_noops(void **state)
{
	struct rtmon_notify_stats s = { 0 };
	char m[64];

	unsetenv("NOTIFY_SOCKET");
	notify_ready();
	notify_status(&s);
	notify_reloading();
	notify_watchdog();
	notify_stopping();
	/* nothing arrived on our socket (and nothing crashed) */
	assert_int_equal(recv(((struct fx *)*state)->fd, m, sizeof(m), MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(notify_ready__socket__ready_and_status, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_status__counters__exact_text, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_reloaded__result__in_status, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_reloading__socket__monotonic_now, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_stopping_watchdog__socket__exact, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_watchdog_interval__env__half_for_our_pid_only, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_all__no_socket__silent_noops, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
