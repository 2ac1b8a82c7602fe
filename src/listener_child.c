/* SPDX-License-Identifier: MIT */
/*
 * listener_child.c - "rtmond --listener-child": the HTTP listener's own
 * process (see listener.h). Before it serves anything it confines itself:
 * chroot into dashboard_dir (/run/rtmon/listener-root, empty, when none is set), the
 * bounding set emptied, setgroups(0), the uid/gid of the system user "rtmon"
 * (65534, nobody, when there is none), no capabilities left, no_new_privs,
 * and a seccomp filter refusing (EPERM) what a network-facing HTTP server
 * never needs: bpf, ptrace and process_vm_*, exec, mount and namespaces,
 * module and kexec loading, keyrings, perf, io_uring, handle opens,
 * credential changes. A step that fails ends the child (the monitor restarts
 * it with back-off): it never serves unconfined when started as root.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alert.h"
#include "listener.h"
#include "log.h"

#define LSN_NOBODY 65534
#define LSN_EMPTY_ROOT "/run/rtmon/listener-root" /* the root when no dashboard_dir is set */
#define LSN_MAX_ORIGINS 64

struct child {
	struct rtmon_sink *sink;
	struct rtmon_sse_conf conf;
	char *origins[LSN_MAX_ORIGINS + 1];
	char *blob;		/* the 'C' message the conf points into */
	char *metrics, *health; /* the last snapshots */
	size_t metrics_len, health_len;
	bool healthy, done, chrooted;
	char *buf;
	size_t buf_cap;
	uint32_t history_req; /* number of the last history page asked for */
	char root[2];	      /* "/": dashboard_dir once chrooted into it */
};

/* ---- confinement ---- */

#if defined(__x86_64__)
#define LSN_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define LSN_ARCH AUDIT_ARCH_AARCH64
#endif

static const int denied[] = {
	SYS_bpf,
	SYS_ptrace,
	SYS_process_vm_readv,
	SYS_process_vm_writev,
	SYS_execve,
	SYS_execveat,
	SYS_mount,
	SYS_umount2,
	SYS_pivot_root,
	SYS_chroot,
	SYS_unshare,
	SYS_setns,
	SYS_init_module,
	SYS_finit_module,
	SYS_delete_module,
	SYS_kexec_load,
	SYS_reboot,
	SYS_keyctl,
	SYS_add_key,
	SYS_request_key,
	SYS_perf_event_open,
	SYS_userfaultfd,
	SYS_open_by_handle_at,
	SYS_name_to_handle_at,
	SYS_personality,
	SYS_swapon,
	SYS_swapoff,
	SYS_setuid,
	SYS_setgid,
	SYS_setreuid,
	SYS_setregid,
	SYS_setresuid,
	SYS_setresgid,
	SYS_setgroups,
	SYS_capset,
	SYS_acct,
	SYS_settimeofday,
	SYS_clock_settime,
	SYS_fanotify_init,
	SYS_kcmp,
	SYS_pidfd_getfd,
	SYS_io_uring_setup,
	SYS_io_uring_enter,
	SYS_io_uring_register,
	SYS_fsopen,
	SYS_fsmount,
	SYS_fsconfig,
	SYS_fspick,
	SYS_move_mount,
	SYS_open_tree,
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
};

#define CLONE_NS_FLAGS \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

static int seccomp_install(void)
{
#ifdef LSN_ARCH
	enum {
		N = sizeof(denied) / sizeof(denied[0])
	};
	struct sock_filter f[8 + 2 * N + 6];
	size_t i = 0;
	struct sock_fprog prog;

	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LSN_ARCH, 1, 0);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
	/* no x32 system calls */
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
#endif
	for (size_t k = 0; k < N; k++) {
		f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[k], 0, 1);
		f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	}
	/* clone3 passes its flags in memory: ENOSYS makes libc fall back to clone, checked below */
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	f[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NS_FLAGS, 0, 1);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	f[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)i;
	prog.filter = f;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
#else
	return -ENOTSUP;
#endif
}

static void user_ids(uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam("rtmon");

	*uid = pw ? pw->pw_uid : LSN_NOBODY;
	*gid = pw ? pw->pw_gid : LSN_NOBODY;
	if (*uid == 0)
		*uid = *gid = LSN_NOBODY;
}

static int caps_set(uint64_t eff, uint64_t prm)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	d[0].permitted = (uint32_t)prm;
	d[1].permitted = (uint32_t)(prm >> 32);
	return syscall(SYS_capset, &hdr, d) < 0 ? -errno : 0;
}

static uint64_t caps_permitted(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &hdr, d) < 0)
		return 0;
	return ((uint64_t)d[1].permitted << 32) | d[0].permitted;
}

#define LSN_NEED_CAPS ((1ull << CAP_SETUID) | (1ull << CAP_SETGID) | (1ull << CAP_SYS_CHROOT))

/* The root to chroot into: dashboard_dir, else an empty directory under /run/rtmon; NULL when none can be made. */
static const char *new_root(const char *dir)
{
	if (dir && dir[0])
		return dir;
	if ((mkdir("/run/rtmon", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(LSN_EMPTY_ROOT, 0755) < 0 && errno != EEXIST)) {
		log_errno(-errno,
			  "listener: cannot create %s (read-only /run?): no chroot, the uid change "
			  "and seccomp still apply",
			  LSN_EMPTY_ROOT);
		return NULL;
	}
	return LSN_EMPTY_ROOT;
}

/* As root with the capabilities for it: chroot, an empty bounding set, the unprivileged uid. */
static int drop_root(const char *dir, uint64_t prm, bool *chrooted)
{
	const char *root = new_root(dir);
	uid_t uid;
	gid_t gid;

	user_ids(&uid, &gid);
	caps_set(prm, prm);
	if (root) {
		if (chroot(root) < 0 || chdir("/") < 0)
			return log_errno(-errno, "listener: cannot chroot into %s", root), -1;
		*chrooted = true;
	}
	for (int c = 0; c < 64 && (prm & (1ull << CAP_SETPCAP)); c++)
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return log_errno(-errno, "listener: cannot empty the bounding set"), -1;
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return log_errno(-errno, "listener: cannot become uid %u", (unsigned)uid), -1;
	return 0;
}

/*
 * Root and uid (as root with CAP_SETUID, CAP_SETGID, CAP_SYS_CHROOT; without
 * them - a container or unit that withholds them - the listener keeps uid 0
 * and the host's file system, says so, and still drops the rest), then no
 * capabilities, no_new_privs, seccomp.
 */
static int confine(const char *dir, bool *chrooted)
{
	uint64_t prm = caps_permitted();
	int r;

	*chrooted = false;
	if (geteuid() == 0 && (prm & LSN_NEED_CAPS) == LSN_NEED_CAPS) {
		if (drop_root(dir, prm, chrooted) < 0)
			return -1;
	} else if (geteuid() == 0) {
		log_warnx("listener: without CAP_SETUID, CAP_SETGID and CAP_SYS_CHROOT it keeps uid 0 and the "
			  "whole file system (grant them to rtmon: it never uses them itself); capabilities, "
			  "no_new_privs and seccomp still apply");
	}
	if ((r = caps_set(0, 0)) < 0)
		return log_errno(r, "listener: cannot drop capabilities"), -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_errno(-errno, "listener: cannot set no_new_privs"), -1;
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* cleared by the uid change */
	if (getppid() == 1)
		return -1; /* the monitor is already gone */
	if ((r = seccomp_install()) < 0)
		return log_errno(r, "listener: cannot install the seccomp filter"), -1;
	return 0;
}

/* ---- messages ---- */

/* Receives one message into c->buf (NUL-terminated); returns its length, 0 at the end, -errno. */
static ssize_t recv_msg(struct child *c, int flags)
{
	ssize_t n = recv(RTMON_LISTENER_SOCK_FD, NULL, 0, MSG_PEEK | MSG_TRUNC | flags);

	if (n <= 0)
		return n < 0 ? -errno : 0;
	if ((size_t)n + 1 > c->buf_cap) {
		char *b = realloc(c->buf, (size_t)n + 1);

		if (!b)
			return -ENOMEM;
		c->buf = b;
		c->buf_cap = (size_t)n + 1;
	}
	n = recv(RTMON_LISTENER_SOCK_FD, c->buf, (size_t)n, flags);
	if (n <= 0)
		return n < 0 ? -errno : 0;
	c->buf[n] = '\0';
	return n;
}

static uint32_t to_u32(const char *v)
{
	return (uint32_t)strtoul(v, NULL, 10);
}

/*
 * The 'C' message: key\0value\0 pairs into c->conf (pointing into c->blob). */
static int parse_conf(struct child *c, size_t len)
{
	struct rtmon_sse_conf *s = &c->conf;
	size_t n_origins = 0;
	char *p, *end;

	if (len < 1 || c->buf[0] != 'C')
		return -EBADMSG;
	free(c->blob);
	c->blob = malloc(len + 1);
	if (!c->blob)
		return -ENOMEM;
	memcpy(c->blob, c->buf, len + 1);
	memset(s, 0, sizeof(*s));
	s->enabled = true;
	for (p = c->blob + 1, end = c->blob + len; p < end;) {
		char *k = p, *v = p + strlen(p) + 1;

		if (v >= end)
			return -EBADMSG;
		p = v + strlen(v) + 1;
		if (strcmp(k, "listen") == 0)
			s->listen = v;
		else if (strcmp(k, "token") == 0)
			s->token = v;
		else if (strcmp(k, "dashboard_dir") == 0)
			s->dashboard_dir = v;
		else if (strcmp(k, "origin") == 0 && n_origins < LSN_MAX_ORIGINS)
			c->origins[n_origins++] = v;
		else if (strcmp(k, "max_clients") == 0)
			s->max_clients = to_u32(v);
		else if (strcmp(k, "history") == 0)
			s->history = to_u32(v);
		else if (strcmp(k, "client_buffer_kb") == 0)
			s->client_buffer_kb = to_u32(v);
		else if (strcmp(k, "keepalive_s") == 0)
			s->keepalive_s = to_u32(v);
	}
	c->origins[n_origins] = NULL;
	s->allowed_origins = c->origins;
	if (c->chrooted && s->dashboard_dir && s->dashboard_dir[0])
		s->dashboard_dir = c->root;
	return s->listen ? 0 : -EBADMSG;
}

static void keep_copy(char **dst, size_t *dst_len, const char *src, size_t len)
{
	char *b = malloc(len + 1);

	if (!b)
		return;
	memcpy(b, src, len);
	b[len] = '\0';
	free(*dst);
	*dst = b;
	*dst_len = len;
}

/* 'A' ID '\n' SEQ ' ' CLASS '\n' JSON (listener.c send_alerts) */
static void on_alert(struct child *c, size_t len)
{
	struct rtmon_alert a;
	char *id = c->buf + 1, *nl1, *nl2, *end;

	nl1 = memchr(id, '\n', len - 1);
	nl2 = nl1 ? memchr(nl1 + 1, '\n', len - (size_t)(nl1 + 1 - c->buf)) : NULL;
	if (!nl2 || (size_t)(nl1 - id) >= sizeof(a.id))
		return;
	memset(&a, 0, sizeof(a));
	memcpy(a.id, id, (size_t)(nl1 - id));
	a.seq = strtoull(nl1 + 1, &end, 10);
	/*
	 * The sink reads only id, seq and what alert_keep_first() reads: the
	 * monitor's retention class stands in as a severity.
	 */
	a.severity = end + 2 == nl2 && end[0] == ' ' && end[1] == '1' ? RTMON_SEV_CRITICAL : RTMON_SEV_INFO;
	c->sink->ops->emit(c->sink, &a, nl2 + 1);
}

static void on_sock(void *ctx, int fd, uint32_t events)
{
	struct child *c = ctx;

	for (;;) {
		ssize_t n = recv_msg(c, MSG_DONTWAIT);

		if (n == -EAGAIN || n == -EWOULDBLOCK || n == -EINTR)
			return;
		if (n <= 0) {
			c->done = true;
			return;
		}
		switch (c->buf[0]) {
		case 'A':
			on_alert(c, (size_t)n);
			break;
		case 'C':
			/* new settings (SIGHUP) in place: open streams stay; dashboard_dir does not change here */
			if (parse_conf(c, (size_t)n) < 0 || c->sink->ops->reconfigure(c->sink, &c->conf) < 0) {
				log_warnx("listener: cannot take the new settings");
				c->done = true;
				return;
			}
			break;
		default:
			break;
		}
	}
}

/* Asks the monitor for fresh metrics and health (fd 5) and waits at most 500 ms for both. */
static void refresh(struct child *c)
{
	static const char req = 'R';
	struct pollfd p = { .fd = RTMON_LISTENER_REQ_FD, .events = POLLIN };
	bool got_h = false;
	char b;

	while (recv(RTMON_LISTENER_REQ_FD, &b, 1, MSG_DONTWAIT) >= 1)
		; /* late answers to an earlier request */
	if (send(RTMON_LISTENER_REQ_FD, &req, 1, MSG_NOSIGNAL) != 1)
		return;
	for (uint64_t end = loop_now_ms() + 500; !got_h && loop_now_ms() < end;) {
		ssize_t n;

		if (poll(&p, 1, (int)(end - loop_now_ms())) <= 0)
			return;
		n = recv(RTMON_LISTENER_REQ_FD, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n <= 0)
			return;
		if ((size_t)n + 1 > c->buf_cap) {
			char *nb = realloc(c->buf, (size_t)n + 1);

			if (!nb)
				return;
			c->buf = nb;
			c->buf_cap = (size_t)n + 1;
		}
		n = recv(RTMON_LISTENER_REQ_FD, c->buf, (size_t)n, MSG_DONTWAIT);
		if (n <= 0)
			return;
		if (c->buf[0] == 'M')
			keep_copy(&c->metrics, &c->metrics_len, c->buf + 1, (size_t)n - 1);
		else if (c->buf[0] == 'H' && n >= 2) {
			c->healthy = c->buf[1] == '1';
			keep_copy(&c->health, &c->health_len, c->buf + 2, (size_t)n - 2);
			got_h = true;
		}
	}
}

/* The answer 'P' ID ... to history request 'id', read within the deadline; NULL on timeout. *ret_len its length. */
static char *history_answer(const char *id, uint64_t end, size_t *ret_len)
{
	struct pollfd p = { .fd = RTMON_LISTENER_REQ_FD, .events = POLLIN };

	while (loop_now_ms() < end) {
		ssize_t n;
		char *b;

		if (poll(&p, 1, (int)(end - loop_now_ms())) <= 0)
			return NULL;
		n = recv(RTMON_LISTENER_REQ_FD, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n <= 0 || !(b = malloc((size_t)n + 1)))
			return NULL;
		n = recv(RTMON_LISTENER_REQ_FD, b, (size_t)n, MSG_DONTWAIT);
		if (n >= 10 && b[0] == 'P' && memcmp(b + 1, id, 8) == 0) {
			b[n] = '\0';
			*ret_len = (size_t)n;
			return b;
		}
		free(b); /* a late snapshot, or the answer to a request that timed out */
	}
	return NULL;
}

/*
 * A page of /api/alerts from the monitor's journal (listener.c
 * answer_history): the query goes over fd 5 and this waits up to 2 s for
 * the page (the monitor bounds its own work to a fraction of that).
 */
static int child_history(void *ctx, const struct hist_query *q, FILE *out, char *ret_cursor, size_t cursor_size)
{
	struct child *c = ctx;
	char req[4096], id[9], *ans, *nl;
	size_t len, cl;
	int n, r = -ETIMEDOUT;

	snprintf(id, sizeof(id), "%08x", ++c->history_req);
	req[0] = 'Q';
	memcpy(req + 1, id, 8);
	n = hist_query_encode(q, req + 9, sizeof(req) - 9);
	if (n < 0)
		return -EINVAL;
	if (send(RTMON_LISTENER_REQ_FD, req, 9 + (size_t)n, MSG_NOSIGNAL) != 9 + n)
		return -EIO;
	ans = history_answer(id, loop_now_ms() + 2000, &len);
	if (!ans)
		return r;
	if (ans[9] == 'n') {
		r = 0;
	} else if (ans[9] == 'b') {
		r = -EINVAL;
	} else if (ans[9] == 'j' && (nl = memchr(ans + 10, '\n', len - 10)) &&
		   (cl = (size_t)(nl - ans - 10)) < cursor_size) {
		memcpy(ret_cursor, ans + 10, cl);
		ret_cursor[cl] = '\0';
		fwrite(nl + 1, 1, len - (size_t)(nl + 1 - ans), out);
		r = 1;
	} else {
		r = -EBADMSG;
	}
	free(ans);
	return r;
}

static void child_metrics(void *ctx, FILE *out)
{
	struct child *c = ctx;

	refresh(c);
	if (c->metrics)
		fwrite(c->metrics, 1, c->metrics_len, out);
	c->sink->ops->metrics(c->sink, out);
}

static int child_health(void *ctx, FILE *out)
{
	struct child *c = ctx;

	refresh(c);
	if (!c->health) {
		fputs("{\"status\":\"starting\"}", out);
		return 1;
	}
	fwrite(c->health, 1, c->health_len, out);
	return c->healthy;
}

int listener_child_main(int verbose)
{
	struct child c = { .root = "/" };
	struct rtmon_loop *loop = NULL;
	uint64_t last_tick = 0;
	ssize_t n;
	int r;

	log_init(RTMON_LOG_AUTO, verbose);
	n = recv_msg(&c, 0);
	if (n <= 0 || parse_conf(&c, (size_t)n) < 0) {
		log_warnx("listener: no settings from the monitor");
		return 1;
	}
	if (confine(c.conf.dashboard_dir, &c.chrooted) < 0)
		return 1;
	if (c.chrooted && c.conf.dashboard_dir && c.conf.dashboard_dir[0])
		c.conf.dashboard_dir = c.root;
	r = loop_new(&loop);
	if (r < 0)
		return 1;
	r = out_sse_new(&(struct rtmon_sse_opts){ .conf = &c.conf,
						  .loop = loop,
						  .metrics = child_metrics,
						  .health = child_health,
						  .history = child_history,
						  .ctx = &c,
						  .listen_fd = RTMON_LISTENER_LISTEN_FD },
			&c.sink);
	if (r < 0 || loop_add(loop, RTMON_LISTENER_SOCK_FD, EPOLLIN, on_sock, &c) < 0) {
		log_errno(r, "listener: cannot start");
		return 1;
	}
	while (!c.done) {
		uint64_t now;

		loop_run_once(loop, 100);
		now = loop_now_ms();
		if (now - last_tick >= 100) {
			c.sink->ops->tick(c.sink, now);
			last_tick = now;
		}
	}
	c.sink->ops->flush(c.sink, 1000);
	c.sink->ops->free(c.sink);
	loop_free(loop);
	free(c.buf);
	free(c.blob);
	free(c.metrics);
	free(c.health);
	/* _exit: no exit-time hooks (a sanitizer's leak check would need ptrace, which seccomp refuses) */
	_exit(0);
}
