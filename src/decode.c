/* SPDX-License-Identifier: MIT */
/* decode.c - see decode.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"
#include "rtmon_abi.h"

uint16_t decode_addr(uint16_t family, const uint8_t addr[16], char *out, size_t len)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	out[0] = 0;
	if (family == AF_INET6 && memcmp(addr, v4mapped, sizeof(v4mapped)) == 0) {
		inet_ntop(AF_INET, addr + 12, out, (socklen_t)len);
		return AF_INET; /* ::ffff:a.b.c.d is an IPv4 peer: one spelling for the rules */
	}
	if (family == AF_INET)
		inet_ntop(AF_INET, addr, out, (socklen_t)len);
	else if (family == AF_INET6)
		inet_ntop(AF_INET6, addr, out, (socklen_t)len);
	return family;
}

/* Copies at most len bytes of a possibly unterminated string. */
static void copy_str(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);

	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

size_t decode_path(const char *comps, size_t len, char *out, size_t outlen)
{
	const char *starts[RTMON_PATH_DEPTH + 1];
	size_t lens[RTMON_PATH_DEPTH + 1];
	size_t n = 0, pos = 0, off = 0;

	while (off < len && n < RTMON_PATH_DEPTH + 1) {
		size_t l = strnlen(comps + off, len - off);

		starts[n] = comps + off;
		lens[n++] = l;
		off += l + 1;
	}
	if (outlen == 0)
		return 0;
	if (n == 0) {
		snprintf(out, outlen, "/");
		return 1;
	}
	/* components arrive leaf first */
	while (n-- > 0) {
		if (pos + 1 + lens[n] >= outlen)
			break;
		out[pos++] = '/';
		memcpy(out + pos, starts[n], lens[n]);
		pos += lens[n];
	}
	out[pos] = 0;
	return pos;
}

static void sock_from(const struct rtmon_sockinfo *si, struct rtmon_sock *s)
{
	s->family = decode_addr(si->family, si->daddr, s->addr, sizeof(s->addr));
	s->type = si->type;
	s->port = si->dport;
}

static void decode_args(const char *p, size_t len, struct rtmon_event *ev)
{
	size_t off = 0;

	ev->has |= RTMON_HAS_ARGS;
	while (off < len) {
		size_t l = strnlen(p + off, len - off);
		char arg[RTMON_ARGS_MAX];

		/* an argument without its NUL was cut at the capture limit; one past arg[] is cut here */
		if (off + l >= len || l >= sizeof(arg))
			ev->args_truncated = true;
		copy_str(arg, sizeof(arg), p + off, l);
		event_add_arg(ev, arg);
		off += l + 1;
	}
}

static int decode_ksys(const struct rtmon_rec_ksys *r, struct rtmon_event *ev)
{
	ev->ksys_flags = r->flags;
	ev->ksys_arg0 = r->arg0;
	ev->ksys_arg1 = r->arg1;
	copy_str(ev->ksys_str, sizeof(ev->ksys_str), r->str, sizeof(r->str));
	copy_str(ev->ksys_str2, sizeof(ev->ksys_str2), r->str2, sizeof(r->str2));
	ev->has |= RTMON_HAS_KSYS;
	switch (r->kind) {
	case RTMON_KSYS_MODULE:
		ev->type = RTMON_EV_MODULE;
		return 0;
	case RTMON_KSYS_BPF_PROG:
		ev->type = RTMON_EV_BPF_PROG;
		return 0;
	case RTMON_KSYS_SOCKET:
		ev->type = RTMON_EV_SOCKET;
		ev->family = (uint16_t)r->arg0;
		ev->protocol = (uint16_t)r->flags;
		ev->has |= RTMON_HAS_NET;
		return 0;
	case RTMON_KSYS_LISTEN:
		ev->type = RTMON_EV_LISTEN;
		ev->family = decode_addr((uint16_t)r->arg0, r->addr, ev->ksys_addr, sizeof(ev->ksys_addr));
		ev->has |= RTMON_HAS_NET;
		return 0;
	case RTMON_KSYS_UNSHARE:
	case RTMON_KSYS_SETNS:
		ev->type = RTMON_EV_NAMESPACE;
		ev->ksys_op = r->kind == RTMON_KSYS_UNSHARE ? 1 : 2;
		return 0;
	case RTMON_KSYS_CLONE_NS:
		ev->type = RTMON_EV_NAMESPACE;
		ev->ksys_op = 3;
		return 0;
	case RTMON_KSYS_MOUNT:
		ev->type = RTMON_EV_MOUNT;
		ev->ksys_op = 0;
		copy_str(ev->ksys_addr, sizeof(ev->ksys_addr), (const char *)r->addr, sizeof(r->addr));
		return 0;
	case RTMON_KSYS_OPEN_TREE:
		ev->type = RTMON_EV_MOUNT;
		ev->ksys_op = (uint32_t)r->arg0;
		ev->ksys_arg0 = 0;
		return 0;
	case RTMON_KSYS_UNIX_CONNECT:
		ev->type = RTMON_EV_UNIX_CONNECT;
		ev->family = AF_UNIX;
		ev->has |= RTMON_HAS_NET;
		return 0;
	default:
		return -EPROTONOSUPPORT;
	}
}

/* The untrusted file behind an mmap (struct rtmon_rec_mem_file): its flags, inode and path. */
static int decode_mem_file(const uint8_t *d, size_t size, struct rtmon_event *ev)
{
	const struct rtmon_rec_mem_file *r = (const void *)d;

	if (size < sizeof(*r) || r->path_len > sizeof(r->path) || !r->file_flags)
		return -EBADMSG;
	ev->map_file = r->file_flags;
	ev->inode = r->ino;
	decode_path(r->path, r->path_len, ev->path, sizeof(ev->path));
	if (r->file_flags & RTMON_MAPF_MEMFD) {
		/* as /proc/PID/maps shows it */
		size_t l = strlen(ev->path);

		snprintf(ev->path + l, sizeof(ev->path) - l, " (deleted)");
	}
	return 0;
}

static int decode_exec(const uint8_t *d, size_t size, struct rtmon_event *ev)
{
	const struct rtmon_rec_exec *r = (const void *)d;
	const char *p = (const char *)d + sizeof(*r);
	size_t total;

	if (size < sizeof(*r))
		return -EBADMSG;
	total = (size_t)r->filename_len + r->args_len + r->exe_len + r->cwd_len + r->env_len;
	if (total > size - sizeof(*r))
		return -EBADMSG;
	copy_str(ev->filename, sizeof(ev->filename), p, r->filename_len);
	ev->has |= RTMON_HAS_FILENAME;
	p += r->filename_len;
	decode_args(p, r->args_len, ev);
	/* |=: decode_args() also sets it when the strings overflow ev->args */
	ev->args_truncated |= (r->flags & RTMON_EXEC_ARGS_TRUNC) != 0;
	p += r->args_len;
	if (r->exe_len) {
		decode_path(p, r->exe_len, ev->exe, sizeof(ev->exe));
		if (r->flags & RTMON_EXEC_EXE_INTERNAL) {
			/* as /proc/PID/exe shows it */
			size_t l = strlen(ev->exe);

			snprintf(ev->exe + l, sizeof(ev->exe) - l, " (deleted)");
		}
		ev->has |= RTMON_HAS_EXE;
	}
	ev->exe_truncated = r->flags & RTMON_EXEC_EXE_TRUNC;
	ev->exe_memfd = r->flags & RTMON_EXEC_EXE_MEMFD;
	ev->exe_deleted = (r->flags & RTMON_EXEC_EXE_DELETED) != 0;
	ev->exe_setuid = (r->flags & RTMON_EXEC_EXE_SETUID) != 0;
	p += r->exe_len;
	/* every exec has a working directory: no components is the root "/" */
	decode_path(p, r->cwd_len, ev->cwd, sizeof(ev->cwd));
	ev->has |= RTMON_HAS_CWD;
	p += r->cwd_len;
	event_set_env(ev, p, r->env_len);
	ev->env_truncated = (r->flags & RTMON_EXEC_ENV_TRUNC) != 0;
	ev->compat = (r->flags & RTMON_EXEC_COMPAT) != 0;
	ev->stdin_socket = r->fd[0].family != 0;
	ev->stdout_socket = r->fd[1].family != 0;
	sock_from(&r->fd[0], &ev->stdin_sock);
	sock_from(&r->fd[1], &ev->stdout_sock);
	ev->stdin_kind = r->fd_kind[0];
	ev->stdout_kind = r->fd_kind[1];
	ev->stdin_ino = r->fd_ino[0];
	ev->stdout_ino = r->fd_ino[1];
	ev->has |= RTMON_HAS_STDIO;
	return 0;
}

static int decode_body(const uint8_t *d, size_t size, uint32_t type, struct rtmon_event *ev)
{
#define NEED(T)                          \
	do {                             \
		if (size < sizeof(T))    \
			return -EBADMSG; \
	} while (0)
	switch (type) {
	case RTMON_REC_EXEC:
		ev->type = RTMON_EV_EXEC;
		return decode_exec(d, size, ev);
	case RTMON_REC_EXIT: {
		const struct rtmon_rec_exit *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_EXIT;
		ev->exit_code = r->exit_code;
		ev->has |= RTMON_HAS_EXIT;
		return 0;
	}
	case RTMON_REC_FORK:
		NEED(struct rtmon_rec_fork);
		ev->type = RTMON_EV_FORK;
		return 0;
	case RTMON_REC_CONNECT: {
		const struct rtmon_rec_connect *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_CONNECT;
		ev->family = decode_addr(r->family, r->addr, ev->dst_addr, sizeof(ev->dst_addr));
		ev->dst_port = r->port;
		ev->protocol = r->protocol;
		ev->has |= RTMON_HAS_NET;
		return 0;
	}
	case RTMON_REC_PTRACE: {
		const struct rtmon_rec_ptrace *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_PTRACE;
		ev->ptrace_request = r->request;
		ev->target_pid = r->target_pid;
		ev->mem_addr = r->addr;
		ev->has |= RTMON_HAS_PTRACE;
		if (r->rel & RTMON_PTRACE_REL_KNOWN) {
			ev->target_is_child = r->rel & RTMON_PTRACE_REL_CHILD;
			ev->target_is_parent = r->rel & RTMON_PTRACE_REL_PARENT;
			ev->has |= RTMON_HAS_PTRACE_REL;
		}
		return 0;
	}
	case RTMON_REC_MEMFD: {
		const struct rtmon_rec_memfd *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_MEMFD_CREATE;
		copy_str(ev->memfd_name, sizeof(ev->memfd_name), r->name, sizeof(r->name));
		ev->memfd_flags = r->flags;
		ev->has |= RTMON_HAS_MEMFD;
		return 0;
	}
	case RTMON_REC_MMAP:
	case RTMON_REC_MPROTECT: {
		const struct rtmon_rec_mem *r = (const void *)d;

		NEED(*r);
		ev->type = type == RTMON_REC_MMAP ? RTMON_EV_MMAP : RTMON_EV_MPROTECT;
		ev->mem_addr = r->addr;
		ev->mem_len = r->len;
		ev->prot = r->prot;
		ev->mmap_flags = r->flags;
		ev->fd = r->fd;
		ev->has |= RTMON_HAS_MEM;
		if (r->vma & RTMON_VMA_KNOWN) {
			ev->vma_anon = r->vma & RTMON_VMA_ANON;
			ev->vma_write = r->vma & RTMON_VMA_WRITE;
			ev->vma_exec = r->vma & RTMON_VMA_EXEC;
			ev->has |= RTMON_HAS_VMA;
		}
		if (type == RTMON_REC_MMAP && size > sizeof(*r))
			return decode_mem_file(d, size, ev);
		return 0;
	}
	case RTMON_REC_VM_WRITEV: {
		const struct rtmon_rec_vm_writev *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_PROCESS_VM_WRITEV;
		ev->target_pid = r->target_pid;
		ev->has |= RTMON_HAS_TARGET;
		return 0;
	}
	case RTMON_REC_DUP: {
		const struct rtmon_rec_dup *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_DUP;
		ev->oldfd = r->oldfd;
		ev->newfd = r->newfd;
		sock_from(&r->sock, &ev->dup_sock);
		ev->family = r->sock.family;
		ev->dst_port = r->sock.dport;
		memcpy(ev->dst_addr, ev->dup_sock.addr, sizeof(ev->dst_addr));
		ev->has |= RTMON_HAS_DUP | RTMON_HAS_NET;
		return 0;
	}
	case RTMON_REC_SIGNAL: {
		const struct rtmon_rec_signal *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_SIGNAL;
		ev->sig = r->sig;
		ev->target_pid = r->target_pid;
		ev->has |= RTMON_HAS_SIGNAL;
		return 0;
	}
	case RTMON_REC_RENAME: {
		const struct rtmon_rec_rename *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_RENAME;
		memcpy(ev->prev_comm, ev->comm, sizeof(ev->prev_comm));
		copy_str(ev->comm, sizeof(ev->comm), r->newcomm, sizeof(r->newcomm));
		ev->has |= RTMON_HAS_PREV_COMM;
		return 0;
	}
	case RTMON_REC_FILE: {
		const struct rtmon_rec_file *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_FILE;
		ev->file_ops = r->ops;
		ev->file_how = r->how;
		if (r->ops & RTMON_FILE_SETUID)
			ev->file_mode = r->oflags; /* chmod's mode */
		else
			ev->open_flags = r->oflags;
		ev->file_depth = r->depth;
		ev->inode = r->ino;
		ev->watch_ino = r->watch_ino;
		ev->watch_dev = r->watch_dev;
		for (size_t i = 0; i < RTMON_FILE_NAMES; i++)
			copy_str(ev->file_names[i], sizeof(ev->file_names[i]), r->names[i], sizeof(r->names[i]));
		copy_str(ev->file_upath, sizeof(ev->file_upath), r->upath, sizeof(r->upath));
		/* the path is resolved against the watch list (watch_resolve); the upath stands in until then */
		copy_str(ev->path, sizeof(ev->path), r->upath, sizeof(r->upath));
		ev->has |= RTMON_HAS_FILE;
		return 0;
	}
	case RTMON_REC_KSYS: {
		const struct rtmon_rec_ksys *r = (const void *)d;

		NEED(*r);
		return decode_ksys(r, ev);
	}
	case RTMON_REC_BPF: {
		const struct rtmon_rec_bpf *r = (const void *)d;

		NEED(*r);
		ev->type = RTMON_EV_BPF;
		ev->bpf_cmd = r->cmd;
		ev->bpf_id = r->id;
		ev->has |= RTMON_HAS_BPF;
		return 0;
	}
	default:
		return -EPROTONOSUPPORT;
	}
#undef NEED
}

int decode_record(const void *data, size_t size, int64_t boot_to_real_ns, struct rtmon_event *ev)
{
	const struct rtmon_rec_hdr *h = data;

	event_reset(ev);
	if (size < sizeof(*h) || h->size > size || h->size < sizeof(*h))
		return -EBADMSG;
	ev->time_ns = (uint64_t)((int64_t)h->ktime_ns + boot_to_real_ns);
	ev->pid = h->pid;
	ev->tid = h->tid;
	ev->ppid = h->ppid;
	ev->uid = h->uid;
	ev->gid = h->gid;
	ev->auid = h->auid;
	ev->euid = h->euid;
	ev->fsuid = h->fsuid;
	ev->cap_eff = h->cap_eff;
	ev->cgroup_id = h->cgroup_id;
	ev->fold_summary = (h->hflags & RTMON_HDR_FOLD_SUMMARY) != 0;
	ev->fold_count = ev->fold_summary ? h->fold_count : 0;
	copy_str(ev->comm, sizeof(ev->comm), h->comm, sizeof(h->comm));
	ev->has = RTMON_HAS_PPID | RTMON_HAS_UID | RTMON_HAS_AUID | RTMON_HAS_COMM | RTMON_HAS_CGROUP | RTMON_HAS_TID |
		  RTMON_HAS_CREDS;
	return decode_body(data, h->size, h->type, ev);
}
