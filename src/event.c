/* SPDX-License-Identifier: MIT */
/* event.c - helpers over struct rtmon_event (pure). */
#include <fnmatch.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>

#include "event.h"

static const char *const type_names[RTMON_EV_MAX] = {
	[RTMON_EV_EXEC] = "exec",
	[RTMON_EV_EXIT] = "exit",
	[RTMON_EV_FORK] = "fork",
	[RTMON_EV_CONNECT] = "connect",
	[RTMON_EV_PTRACE] = "ptrace",
	[RTMON_EV_MEMFD_CREATE] = "memfd_create",
	[RTMON_EV_MMAP] = "mmap",
	[RTMON_EV_MPROTECT] = "mprotect",
	[RTMON_EV_PROCESS_VM_WRITEV] = "process_vm_writev",
	[RTMON_EV_DUP] = "dup",
	[RTMON_EV_SIGNAL] = "signal",
	[RTMON_EV_BPF] = "bpf",
	[RTMON_EV_RENAME] = "rename",
	[RTMON_EV_FILE] = "file",
	[RTMON_EV_MODULE] = "module",
	[RTMON_EV_BPF_PROG] = "bpf_prog",
	[RTMON_EV_SOCKET] = "socket",
	[RTMON_EV_LISTEN] = "listen",
	[RTMON_EV_NAMESPACE] = "namespace",
	[RTMON_EV_MOUNT] = "mount",
	[RTMON_EV_UNIX_CONNECT] = "unix_connect",
};

const char *event_type_name(enum rtmon_event_type t)
{
	return (unsigned)t < RTMON_EV_MAX ? type_names[t] : NULL;
}

enum rtmon_event_type event_type_from_name(const char *name)
{
	for (int t = 1; name && t < RTMON_EV_MAX; t++)
		if (strcmp(type_names[t], name) == 0)
			return (enum rtmon_event_type)t;
	return RTMON_EV_NONE;
}

void event_reset(struct rtmon_event *ev)
{
	/* the large buffers only need their first byte cleared */
	ev->type = RTMON_EV_NONE;
	ev->has = 0;
	ev->time_ns = 0;
	ev->pid = ev->tid = ev->ppid = 0;
	ev->uid = ev->gid = 0;
	ev->auid = RTMON_UID_UNSET;
	ev->euid = ev->fsuid = 0;
	ev->cap_eff = 0;
	ev->exe_setuid = ev->compat = false;
	ev->env[0] = ev->preload[0] = ev->library_path[0] = 0;
	ev->env_len = ev->preload_len = ev->library_path_len = 0;
	ev->env_truncated = false;
	ev->map_file = 0;
	ev->cgroup_id = 0;
	ev->fold_count = 0;
	ev->fold_summary = false;
	ev->program[0] = ev->prev_comm[0] = 0;
	ev->target_is_child = ev->target_is_parent = false;
	ev->comm[0] = ev->exe[0] = ev->cwd[0] = ev->filename[0] = ev->args[0] = 0;
	ev->args_len = ev->argc = 0;
	ev->args_truncated = ev->exe_truncated = ev->exe_deleted = ev->exe_memfd = false;
	ev->stdin_socket = ev->stdout_socket = false;
	memset(&ev->stdin_sock, 0, sizeof(ev->stdin_sock));
	memset(&ev->stdout_sock, 0, sizeof(ev->stdout_sock));
	ev->stdin_kind = ev->stdout_kind = 0;
	ev->stdin_ino = ev->stdout_ino = 0;
	ev->stdin_peer_pid = ev->stdout_peer_pid = 0;
	ev->stdin_peer_exe[0] = ev->stdout_peer_exe[0] = 0;
	ev->family = ev->dst_port = 0;
	ev->dst_addr[0] = 0;
	ev->protocol = 0;
	ev->ptrace_request = 0;
	ev->target_pid = ev->target_ppid = 0;
	ev->mem_addr = ev->mem_len = 0;
	ev->prot = ev->mmap_flags = 0;
	ev->fd = -1;
	ev->vma_anon = ev->vma_write = ev->vma_exec = false;
	ev->memfd_name[0] = 0;
	ev->memfd_flags = 0;
	ev->path[0] = ev->file_upath[0] = 0;
	ev->file_ops = ev->open_flags = ev->file_mode = ev->file_how = ev->file_depth = ev->watch_dev = 0;
	ev->inode = ev->watch_ino = 0;
	memset(ev->file_names, 0, sizeof(ev->file_names));
	ev->ksys_op = ev->ksys_flags = 0;
	ev->ksys_arg0 = ev->ksys_arg1 = 0;
	ev->ksys_str[0] = ev->ksys_str2[0] = ev->ksys_addr[0] = 0;
	ev->exit_code = 0;
	ev->oldfd = ev->newfd = -1;
	memset(&ev->dup_sock, 0, sizeof(ev->dup_sock));
	ev->sig = 0;
	ev->bpf_cmd = ev->bpf_id = 0;
	ev->container_id[0] = 0;
	ev->cgroup_path[0] = 0;
}

void event_add_arg(struct rtmon_event *ev, const char *arg)
{
	size_t n = strlen(arg) + 1;

	if (ev->args_len + n > sizeof(ev->args)) {
		ev->args_truncated = true;
		return;
	}
	memcpy(ev->args + ev->args_len, arg, n);
	ev->args_len += n;
	ev->argc++;
	ev->has |= RTMON_HAS_ARGS;
}

const char *event_next_arg(const struct rtmon_event *ev, const char *prev)
{
	const char *end = ev->args + ev->args_len;
	const char *p;

	if (!(ev->has & RTMON_HAS_ARGS) || ev->args_len == 0)
		return NULL;
	if (!prev)
		return ev->args;
	p = prev + strnlen(prev, (size_t)(end - prev)) + 1;
	return p < end ? p : NULL;
}

static const char *path_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* The dynamic loader's file names (glibc, musl; ld.so.1 and ld64.so.* on other arches). */
static bool is_ld_so(const char *base)
{
	static const char *const pats[] = { "ld-linux*.so*", "ld-musl-*.so*", "ld.so", "ld.so.*", "ld64.so.*" };

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (fnmatch(pats[i], base, 0) == 0)
			return true;
	return false;
}

/* ld.so [OPTIONS] PROGRAM [ARGS]: the first argument that is not an option or an option's value. */
static const char *ld_so_program(const struct rtmon_event *ev)
{
	static const char *const with_value[] = { "--library-path",	"--inhibit-rpath", "--audit",
						  "--preload",		"--argv0",	   "--glibc-hwcaps-prepend",
						  "--glibc-hwcaps-mask" };
	const char *a = event_next_arg(ev, NULL);

	for (a = a ? event_next_arg(ev, a) : NULL; a; a = event_next_arg(ev, a)) {
		bool skip_next = false;

		if (a[0] != '-')
			return a[0] ? a : NULL;
		for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
			skip_next = skip_next || strcmp(a, with_value[i]) == 0;
		if (skip_next && !(a = event_next_arg(ev, a)))
			return NULL;
	}
	return NULL;
}

/* busybox APPLET ... or APPLET (a link to busybox) ...: the applet's name. */
static const char *busybox_applet(const struct rtmon_event *ev)
{
	const char *a0 = event_next_arg(ev, NULL), *a1;

	if (!a0)
		return NULL;
	a0 = path_base(a0);
	if (a0[0] == '-') /* a login shell's argv[0] */
		a0++;
	if (strncmp(a0, "busybox", 7) != 0)
		return a0[0] ? a0 : NULL;
	a1 = event_next_arg(ev, event_next_arg(ev, NULL));
	if (!a1 || a1[0] == '-' || !a1[0])
		return NULL;
	return path_base(a1);
}

void event_resolve_program(struct rtmon_event *ev)
{
	const char *base, *p;

	if (ev->type != RTMON_EV_EXEC || (ev->has & RTMON_HAS_PROGRAM) || !(ev->has & RTMON_HAS_EXE) ||
	    !(ev->has & RTMON_HAS_ARGS))
		return;
	base = path_base(ev->exe);
	if (is_ld_so(base)) {
		p = ld_so_program(ev);
		if (!p)
			return;
		if (p[0] != '/' && strchr(p, '/') && (ev->has & RTMON_HAS_CWD)) {
			if (strncmp(p, "./", 2) == 0)
				p += 2;
			size_t n = strnlen(ev->cwd, sizeof(ev->cwd) - 1);

			if (n == 1 && ev->cwd[0] == '/')
				n = 0;
			if (n + 1 + strlen(p) >= sizeof(ev->program))
				return;
			memcpy(ev->program, ev->cwd, n);
			ev->program[n] = '/';
			memcpy(ev->program + n + 1, p, strlen(p) + 1);
		} else {
			snprintf(ev->program, sizeof(ev->program), "%s", p);
		}
	} else if (strcmp(base, "busybox") == 0) {
		p = busybox_applet(ev);
		if (!p)
			return;
		snprintf(ev->program, sizeof(ev->program), "%s", p);
	} else {
		return;
	}
	ev->has |= RTMON_HAS_PROGRAM;
}

const char *event_cmdline(const struct rtmon_event *ev, char *out, size_t len)
{
	size_t o = 0;

	for (uint32_t i = 0; i < ev->args_len && i < sizeof(ev->args) && o + 1 < len; i++)
		out[o++] = ev->args[i] ? ev->args[i] : ' ';
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

void event_peer_text(char *out, size_t len, uint16_t family, const char *addr, uint16_t port)
{
	if (family == AF_INET6 || strchr(addr, ':'))
		snprintf(out, len, "[%s]:%u", addr, port);
	else
		snprintf(out, len, "%s:%u", addr, port);
}

void event_peer(const struct rtmon_event *e, char *out, size_t len)
{
	const struct rtmon_sock *s = NULL;

	out[0] = '\0';
	if (e->type == RTMON_EV_DUP && (e->has & RTMON_HAS_DUP) && e->dup_sock.family && e->dup_sock.addr[0])
		return event_peer_text(out, len, e->dup_sock.family, e->dup_sock.addr, e->dup_sock.port);
	if (e->type == RTMON_EV_CONNECT && (e->has & RTMON_HAS_NET) && e->dst_addr[0] &&
	    (e->family == AF_INET || e->family == AF_INET6))
		return event_peer_text(out, len, e->family, e->dst_addr, e->dst_port);
	if (e->has & RTMON_HAS_STDIO) {
		if (e->stdin_socket && e->stdin_sock.addr[0])
			s = &e->stdin_sock;
		else if (e->stdout_socket && e->stdout_sock.addr[0])
			s = &e->stdout_sock;
		if (s)
			event_peer_text(out, len, s->family, s->addr, s->port);
	}
}

/* Appends the entries of a loader list value ("a.so:b.so c.so", empty entries skipped) to buf. */
static void env_split(const char *val, char *buf, size_t cap, uint32_t *len)
{
	while (*val) {
		size_t n = strcspn(val, ": ");

		if (n > 0 && *len + n + 1 <= cap) {
			memcpy(buf + *len, val, n);
			*len += (uint32_t)n;
			buf[(*len)++] = 0;
		}
		val += n;
		if (*val)
			val++;
	}
}

void event_set_env(struct rtmon_event *ev, const char *data, size_t len)
{
	const char *p = ev->env, *end;

	if (len > sizeof(ev->env))
		len = sizeof(ev->env);
	memcpy(ev->env, data, len);
	if (len > 0 && ev->env[len - 1] != 0)
		ev->env[len - 1] = 0; /* a cut string still ends */
	ev->env_len = (uint32_t)len;
	ev->preload_len = ev->library_path_len = 0;
	for (end = ev->env + len; p < end; p += strlen(p) + 1) {
		if (strncmp(p, "LD_PRELOAD=", 11) == 0 || strncmp(p, "LD_AUDIT=", 9) == 0)
			env_split(strchr(p, '=') + 1, ev->preload, sizeof(ev->preload), &ev->preload_len);
		else if (strncmp(p, "LD_LIBRARY_PATH=", 16) == 0)
			env_split(p + 16, ev->library_path, sizeof(ev->library_path), &ev->library_path_len);
	}
}
