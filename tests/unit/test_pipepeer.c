/* test_pipepeer.c: pipeline peers are found in either exec order, only through the matching pipe ends,
 * not after the ttl, and a re-exec of the same process replaces its slot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pipepeer.h"
#include "rtmon_abi.h"

static struct rtmon_pipepeers pp;
static struct rtmon_event ev;

static struct rtmon_event *exec_ev(uint32_t pid, const char *exe, uint64_t in, uint64_t out, uint64_t t)
{
	event_reset(&ev);
	ev.type = RTMON_EV_EXEC;
	ev.pid = pid;
	ev.time_ns = t;
	ev.has = RTMON_HAS_EXE | RTMON_HAS_STDIO;
	snprintf(ev.exe, sizeof(ev.exe), "%s", exe);
	ev.stdin_kind = in ? RTMON_FD_PIPE : RTMON_FD_TTY;
	ev.stdin_ino = in;
	ev.stdout_kind = out ? RTMON_FD_PIPE : RTMON_FD_TTY;
	ev.stdout_ino = out;
	pipepeer_exec(&pp, &ev);
	return &ev;
}

static void pipepeer__shell_then_relay__relay_sees_shell(void **state)
{
	(void)state;
	memset(&pp, 0, sizeof(pp));
	exec_ev(10, "/usr/bin/cat", 0, 100, 1);
	exec_ev(11, "/usr/bin/dash", 100, 101, 2);
	assert_true(ev.has & RTMON_HAS_STDIN_PEER);
	assert_string_equal(ev.stdin_peer_exe, "/usr/bin/cat");
	assert_false(ev.has & RTMON_HAS_STDOUT_PEER);
	exec_ev(12, "/usr/bin/nc.openbsd", 101, 0, 3);
	assert_true(ev.has & RTMON_HAS_STDIN_PEER);
	assert_int_equal(ev.stdin_peer_pid, 11);
	assert_string_equal(ev.stdin_peer_exe, "/usr/bin/dash");
}

static void pipepeer__relay_first__shell_sees_both(void **state)
{
	(void)state;
	memset(&pp, 0, sizeof(pp));
	exec_ev(20, "/usr/bin/telnet.netkit", 0, 200, 1);
	exec_ev(22, "/usr/bin/telnet.netkit", 201, 0, 2);
	exec_ev(21, "/usr/bin/bash", 200, 201, 3);
	assert_int_equal(ev.stdin_peer_pid, 20);
	assert_int_equal(ev.stdout_peer_pid, 22);
}

static void pipepeer__unrelated_and_stale__no_peer(void **state)
{
	(void)state;
	memset(&pp, 0, sizeof(pp));
	exec_ev(30, "/usr/bin/nc", 0, 300, 1);
	exec_ev(31, "/usr/bin/sh", 301, 0, 2); /* another pipe */
	assert_false(ev.has & (RTMON_HAS_STDIN_PEER | RTMON_HAS_STDOUT_PEER));
	exec_ev(32, "/usr/bin/sh", 300, 0, 1 + RTMON_PIPEPEER_TTL_NS + 1); /* too late */
	assert_false(ev.has & RTMON_HAS_STDIN_PEER);
	exec_ev(33, "/usr/bin/sh", 0, 0, 5); /* no pipes: nothing recorded */
	assert_false(ev.has & (RTMON_HAS_STDIN_PEER | RTMON_HAS_STDOUT_PEER));
}

static void pipepeer__reexec__slot_replaced(void **state)
{
	(void)state;
	memset(&pp, 0, sizeof(pp));
	exec_ev(40, "/usr/bin/sh", 0, 400, 1);
	exec_ev(40, "/usr/bin/nc", 0, 400, 2); /* the same process exec'd again (sh -c 'exec nc ...') */
	exec_ev(41, "/usr/bin/dash", 400, 0, 3);
	assert_string_equal(ev.stdin_peer_exe, "/usr/bin/nc");
	assert_int_equal(pp.next, 2); /* 40 kept one slot */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipepeer__shell_then_relay__relay_sees_shell),
		cmocka_unit_test(pipepeer__relay_first__shell_sees_both),
		cmocka_unit_test(pipepeer__unrelated_and_stale__no_peer),
		cmocka_unit_test(pipepeer__reexec__slot_replaced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
