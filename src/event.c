/* SPDX-License-Identifier: MIT */
/* event.c - helpers over struct rtmon_event (pure). */
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
	ev->cgroup_id = 0;
	ev->fold_count = 0;
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

const char *event_exe_base(const struct rtmon_event *ev)
{
	const char *s;

	if (!(ev->has & RTMON_HAS_EXE) || !ev->exe[0])
		return ev->comm;
	s = strrchr(ev->exe, '/');
	return s ? s + 1 : ev->exe;
}
