/* test_decode.c: raw kernel records decode to the exact event, and malformed records are rejected. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "decode.h"
#include "rtmon_abi.h"

static struct rtmon_event ev;

static void hdr(struct rtmon_rec_hdr *h, uint32_t type, uint32_t size)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->size = size;
	h->ktime_ns = 1000;
	h->pid = 42;
	h->tid = 43;
	h->ppid = 7;
	h->uid = 1000;
	h->gid = 1001;
	h->auid = 4294967295u;
	h->cgroup_id = 99;
	memcpy(h->comm, "bash", 5);
}

static size_t put(char *p, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	return n;
}

static void decode__exec_record__all_sections(void **state)
{
	char buf[sizeof(struct rtmon_rec_exec) + 512];
	struct rtmon_rec_exec *r = (void *)buf;
	char *p = buf + sizeof(*r);
	size_t f, a, e, c;

	(void)state;
	memset(buf, 0, sizeof(buf));
	f = put(p, "./evil");
	a = put(p + f, "./evil");
	a += put(p + f + a, "-x");
	/* exe /tmp/evil leaf first, cwd /tmp */
	e = put(p + f + a, "evil");
	e += put(p + f + a + e, "tmp");
	c = put(p + f + a + e, "tmp");
	r->filename_len = f;
	r->args_len = a;
	r->exe_len = e;
	r->cwd_len = c;
	r->fd[0].family = AF_INET;
	r->fd[0].dport = 4444;
	inet_pton(AF_INET, "127.0.0.1", r->fd[0].daddr);
	r->flags = RTMON_EXEC_EXE_DELETED;
	hdr(&r->hdr, RTMON_REC_EXEC, sizeof(*r) + f + a + e + c);
	assert_int_equal(decode_record(buf, sizeof(buf), 5, &ev), 0);
	assert_int_equal(ev.type, RTMON_EV_EXEC);
	assert_int_equal(ev.pid, 42);
	assert_int_equal(ev.ppid, 7);
	assert_int_equal(ev.time_ns, 1005);
	assert_string_equal(ev.filename, "./evil");
	assert_string_equal(ev.exe, "/tmp/evil");
	assert_string_equal(ev.cwd, "/tmp");
	assert_int_equal(ev.argc, 2);
	assert_string_equal(ev.args + strlen(ev.args) + 1, "-x");
	assert_true(ev.stdin_socket);
	assert_false(ev.stdout_socket);
	assert_string_equal(ev.stdin_sock.addr, "127.0.0.1");
	assert_int_equal(ev.stdin_sock.port, 4444);
	assert_true(ev.exe_deleted);
	assert_string_equal(ev.comm, "bash");
}

static void decode__memfd_exe__shown_as_proc_does(void **state)
{
	char buf[sizeof(struct rtmon_rec_exec) + 64];
	struct rtmon_rec_exec *r = (void *)buf;
	size_t n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	n = put(buf + sizeof(*r), "memfd:payload");
	r->exe_len = n;
	r->flags = RTMON_EXEC_EXE_MEMFD | RTMON_EXEC_EXE_INTERNAL;
	hdr(&r->hdr, RTMON_REC_EXEC, sizeof(*r) + n);
	assert_int_equal(decode_record(buf, sizeof(buf), 0, &ev), 0);
	assert_string_equal(ev.exe, "/memfd:payload (deleted)");
	assert_true(ev.exe_memfd);
	/* no cwd components: the process runs in "/" (it had no cwd field at all) */
	assert_true(ev.has & RTMON_HAS_CWD);
	assert_string_equal(ev.cwd, "/");
}

/* Decodes a TCP connect record to an IPv6 destination given as text. */
static int decode_connect6(const char *dst, uint16_t port)
{
	struct rtmon_rec_connect r;

	memset(&r, 0, sizeof(r));
	hdr(&r.hdr, RTMON_REC_CONNECT, sizeof(r));
	r.family = AF_INET6;
	r.port = port;
	r.protocol = 6;
	inet_pton(AF_INET6, dst, r.addr);
	return decode_record(&r, sizeof(r), 0, &ev);
}

static void decode__connect_ipv6__address_text(void **state)
{
	(void)state;
	assert_int_equal(decode_connect6("2001:db8::1", 9001), 0);
	assert_int_equal(ev.type, RTMON_EV_CONNECT);
	assert_string_equal(ev.dst_addr, "2001:db8::1");
	assert_int_equal(ev.dst_port, 9001);
	assert_int_equal(ev.protocol, 6);
	assert_int_equal(ev.family, AF_INET6);
}

/* ::ffff:a.b.c.d is an IPv4 peer: rules written for 169.254.169.254 must see it so. */
static void decode__connect_v4mapped__reported_as_inet(void **state)
{
	(void)state;
	assert_int_equal(decode_connect6("::ffff:169.254.169.254", 80), 0);
	assert_int_equal(ev.family, AF_INET);
	assert_string_equal(ev.dst_addr, "169.254.169.254");
	/* IPv4-compatible (deprecated) is not a mapped address: it stays inet6 */
	assert_int_equal(decode_connect6("::169.254.169.254", 80), 0);
	assert_int_equal(ev.family, AF_INET6);
	assert_string_equal(ev.dst_addr, "::169.254.169.254");
}

static void decode__mprotect_vma__flags(void **state)
{
	struct rtmon_rec_mem r;

	(void)state;
	memset(&r, 0, sizeof(r));
	hdr(&r.hdr, RTMON_REC_MPROTECT, sizeof(r));
	r.prot = 7;
	r.vma = RTMON_VMA_KNOWN | RTMON_VMA_ANON | RTMON_VMA_WRITE;
	r.hdr.fold_count = 12;
	r.hdr.hflags = RTMON_HDR_FOLD_SUMMARY;
	assert_int_equal(decode_record(&r, sizeof(r), 0, &ev), 0);
	assert_int_equal(ev.type, RTMON_EV_MPROTECT);
	assert_true(ev.vma_anon);
	assert_true(ev.vma_write);
	assert_false(ev.vma_exec);
	assert_true(ev.fold_summary);
	assert_int_equal(ev.fold_count, 12);
	/* a record that is no summary carries no count */
	r.hdr.hflags = 0;
	assert_int_equal(decode_record(&r, sizeof(r), 0, &ev), 0);
	assert_false(ev.fold_summary);
	assert_int_equal(ev.fold_count, 0);
}

/* argv past the capture limit: the kernel's flag, and decode's own when the strings overflow */
static void decode__exec_args__truncated_kept(void **state)
{
	static char buf[sizeof(struct rtmon_rec_exec) + RTMON_SECTION_MAX + 64];
	struct rtmon_rec_exec *r = (void *)buf;
	char *p = buf + sizeof(*r);
	size_t f;

	(void)state;
	memset(buf, 0, sizeof(buf));
	f = put(p, "/bin/true");
	/* 4096 bytes of one argument with no NUL: cut by the kernel, which says so */
	memset(p + f, 'x', RTMON_SECTION_MAX);
	r->filename_len = f;
	r->args_len = RTMON_SECTION_MAX;
	r->flags = RTMON_EXEC_ARGS_TRUNC;
	hdr(&r->hdr, RTMON_REC_EXEC, sizeof(*r) + f + RTMON_SECTION_MAX);
	assert_int_equal(decode_record(buf, sizeof(buf), 0, &ev), 0);
	assert_true(ev.args_truncated);
	/* the same bytes without the kernel's flag: the decoder cannot fit them and must not clear its own flag */
	r->flags = 0;
	assert_int_equal(decode_record(buf, sizeof(buf), 0, &ev), 0);
	assert_true(ev.args_truncated);
	/* short argv: not truncated */
	r->args_len = put(p + f, "true");
	hdr(&r->hdr, RTMON_REC_EXEC, sizeof(*r) + f + r->args_len);
	assert_int_equal(decode_record(buf, sizeof(buf), 0, &ev), 0);
	assert_false(ev.args_truncated);
}

static void decode__ptrace_rename__kernel_fields(void **state)
{
	struct rtmon_rec_ptrace pt;
	struct rtmon_rec_rename rn;

	(void)state;
	memset(&pt, 0, sizeof(pt));
	hdr(&pt.hdr, RTMON_REC_PTRACE, sizeof(pt));
	pt.request = 5;
	pt.target_pid = 77;
	pt.rel = RTMON_PTRACE_REL_KNOWN | RTMON_PTRACE_REL_CHILD;
	assert_int_equal(decode_record(&pt, sizeof(pt), 0, &ev), 0);
	assert_true(ev.has & RTMON_HAS_PTRACE_REL);
	assert_true(ev.target_is_child);
	assert_false(ev.target_is_parent);
	pt.rel = 0; /* TRACEME: no relation */
	assert_int_equal(decode_record(&pt, sizeof(pt), 0, &ev), 0);
	assert_false(ev.has & RTMON_HAS_PTRACE_REL);

	memset(&rn, 0, sizeof(rn));
	hdr(&rn.hdr, RTMON_REC_RENAME, sizeof(rn));
	memcpy(rn.newcomm, "kworker/0:1", 12);
	assert_int_equal(decode_record(&rn, sizeof(rn), 0, &ev), 0);
	assert_int_equal(ev.type, RTMON_EV_RENAME);
	assert_string_equal(ev.comm, "kworker/0:1");
	assert_string_equal(ev.prev_comm, "bash");
	assert_int_equal(decode_record(&rn, sizeof(rn) - 1, 0, &ev), -EBADMSG);
}

/* Bad inputs: each must be rejected without reading past the buffer. */
static void decode__malformed__rejected(void **state)
{
	char buf[sizeof(struct rtmon_rec_exec) + 16];
	struct rtmon_rec_exec *r = (void *)buf;
	static const struct {
		uint32_t type, size;
		size_t given;
		int want;
	} bad[] = {
		{ RTMON_REC_EXIT, sizeof(struct rtmon_rec_exit), 10, -EBADMSG },   /* shorter than a header */
		{ RTMON_REC_EXIT, 4096, sizeof(struct rtmon_rec_exit), -EBADMSG }, /* size beyond the buffer */
		{ RTMON_REC_EXIT, 8, sizeof(struct rtmon_rec_exit), -EBADMSG },	   /* size below a header */
		{ RTMON_REC_CONNECT, sizeof(struct rtmon_rec_hdr), sizeof(struct rtmon_rec_hdr), -EBADMSG },
		{ RTMON_REC_MAX + 5, sizeof(struct rtmon_rec_hdr), sizeof(struct rtmon_rec_hdr), -EPROTONOSUPPORT },
		{ RTMON_REC_EXEC, sizeof(struct rtmon_rec_exec), sizeof(struct rtmon_rec_exec), -EBADMSG }, /* lens */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(buf, 0, sizeof(buf));
		hdr(&r->hdr, bad[i].type, bad[i].size);
		r->args_len = 4000; /* only read for the last case */
		assert_int_equal(decode_record(buf, bad[i].given, 0, &ev), bad[i].want);
	}
}

static void decode_path__components__reversed(void **state)
{
	char out[64];
	const char comps[] = "c\0b\0a";

	(void)state;
	decode_path(comps, sizeof(comps), out, sizeof(out));
	assert_string_equal(out, "/a/b/c");
	decode_path(comps, 0, out, sizeof(out));
	assert_string_equal(out, "/");
	decode_path(comps, sizeof(comps), out, 5); /* too small: cut at a component */
	assert_string_equal(out, "/a/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode__exec_record__all_sections),
		cmocka_unit_test(decode__memfd_exe__shown_as_proc_does),
		cmocka_unit_test(decode__connect_ipv6__address_text),
		cmocka_unit_test(decode__connect_v4mapped__reported_as_inet),
		cmocka_unit_test(decode__mprotect_vma__flags),
		cmocka_unit_test(decode__exec_args__truncated_kept),
		cmocka_unit_test(decode__ptrace_rename__kernel_fields),
		cmocka_unit_test(decode__malformed__rejected),
		cmocka_unit_test(decode_path__components__reversed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
