/* SPDX-License-Identifier: MIT */
/*
 * rules_eval.c - evaluates a compiled ruleset over one event and its
 * context: reads each field a leaf names, tests it against the leaf's value
 * set, walks the condition tree and records the leaves that made a rule
 * true (rules_reason.c writes them out).  No allocation: called for every
 * event.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <arpa/inet.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rtmon_abi.h"
#include "rules_internal.h"

static const char *family_name(uint16_t fam)
{
	const char *s = names_name(rtmon_family_names, fam);

	return s ? s : "other";
}

static const struct rtmon_sock *dup_sock(const struct rtmon_event *e)
{
	return (e->has & RTMON_HAS_DUP) && e->dup_sock.family ? &e->dup_sock : NULL;
}

static const char *get_cmdline(struct evst *st)
{
	if (!st->have_cmdline) {
		event_cmdline(st->c->ev, st->cmdline, sizeof(st->cmdline));
		st->have_cmdline = true;
	}
	return st->cmdline;
}

/* One string field; NULL when absent. */
static const char *get_str(struct evst *st, enum rf_id id)
{
	const struct rtmon_event *e = st->c->ev;
	const struct rtmon_container *ct = st->c->container;
	const struct rtmon_ancestor *par = st->c->n_lineage ? &st->c->lineage[0] : NULL;
	const struct rtmon_sock *ds;
	const char *s;

	switch (id) {
	case F_TYPE:
		return event_type_name(e->type);
	case F_EXE:
		return e->has & RTMON_HAS_EXE ? rule_exe(e->exe, ev_program(e)) : NULL;
	case F_EXE_BASE:
		return e->has & RTMON_HAS_EXE ? rule_exe_base(e->exe, ev_program(e)) : NULL;
	case F_PROGRAM:
		return ev_program(e);
	case F_PREV_EXE:
		return e->type == RTMON_EV_EXEC ? st->c->prev_exe : NULL;
	case F_COMM:
		return e->has & RTMON_HAS_COMM ? e->comm : NULL;
	case F_FILENAME:
		return e->has & RTMON_HAS_FILENAME ? e->filename : NULL;
	case F_CWD:
		return e->has & RTMON_HAS_CWD ? e->cwd : NULL;
	case F_CMDLINE:
		return e->has & RTMON_HAS_ARGS ? get_cmdline(st) : NULL;
	case F_CGROUP:
		return e->has & RTMON_HAS_CGROUP_PATH ? e->cgroup_path : NULL;
	case F_MEMFD_NAME:
		return e->has & RTMON_HAS_MEMFD ? e->memfd_name : NULL;
	case F_PATH:
		return e->has & RTMON_HAS_FILE || (e->type == RTMON_EV_MMAP && e->map_file) ? e->path : NULL;
	case F_MODULE_NAME:
		return e->type == RTMON_EV_MODULE && (e->has & RTMON_HAS_KSYS) ? e->ksys_str : NULL;
	case F_BPF_PROG_TYPE:
		if (e->type != RTMON_EV_BPF_PROG || !(e->has & RTMON_HAS_KSYS))
			return NULL;
		return names_label(rtmon_bpf_prog_type_names, (int64_t)e->ksys_arg0, st->numbuf, sizeof(st->numbuf));
	case F_BPF_PROG_NAME:
		return e->type == RTMON_EV_BPF_PROG && (e->has & RTMON_HAS_KSYS) ? e->ksys_str : NULL;
	case F_SOCK_TYPE:
		if (e->type != RTMON_EV_SOCKET || !(e->has & RTMON_HAS_KSYS))
			return NULL;
		return names_label(rtmon_sock_type_names, (int64_t)e->ksys_arg1, st->numbuf, sizeof(st->numbuf));
	case F_LOCAL_ADDR:
		return e->type == RTMON_EV_LISTEN && (e->has & RTMON_HAS_KSYS) && e->ksys_addr[0] ? e->ksys_addr : NULL;
	case F_NS_OP:
		return e->type == RTMON_EV_NAMESPACE && (e->has & RTMON_HAS_KSYS) ?
			       names_name(rtmon_ns_op_names, e->ksys_op) :
			       NULL;
	case F_MOUNT_OP:
		return e->type == RTMON_EV_MOUNT && (e->has & RTMON_HAS_KSYS) ?
			       names_name(rtmon_mount_op_names, e->ksys_op) :
			       NULL;
	case F_MOUNT_SOURCE:
		return e->type == RTMON_EV_MOUNT && (e->has & RTMON_HAS_KSYS) ? e->ksys_str : NULL;
	case F_MOUNT_TARGET:
		return e->type == RTMON_EV_MOUNT && (e->has & RTMON_HAS_KSYS) && e->ksys_op == 0 ? e->ksys_str2 : NULL;
	case F_MOUNT_FSTYPE:
		return e->type == RTMON_EV_MOUNT && (e->has & RTMON_HAS_KSYS) && e->ksys_op == 0 ? e->ksys_addr : NULL;
	case F_UNIX_PATH:
		return e->type == RTMON_EV_UNIX_CONNECT && (e->has & RTMON_HAS_KSYS) ? e->ksys_str : NULL;
	case F_FAMILY:
		if (e->type == RTMON_EV_DUP && (ds = dup_sock(e)))
			return family_name(ds->family);
		return e->has & RTMON_HAS_NET ? family_name(e->family) : NULL;
	case F_PROTOCOL:
		return e->has & RTMON_HAS_NET && e->protocol ? names_name(rtmon_protocol_names, e->protocol) : NULL;
	case F_DST_ADDR:
		if (e->type == RTMON_EV_DUP && (ds = dup_sock(e)))
			return ds->addr[0] ? ds->addr : NULL;
		return e->has & RTMON_HAS_NET && e->dst_addr[0] ? e->dst_addr : NULL;
	case F_PTRACE_REQUEST:
		if (!(e->has & RTMON_HAS_PTRACE))
			return NULL;
		s = names_name(rtmon_ptrace_names, e->ptrace_request);
		if (s)
			return s;
		snprintf(st->numbuf, sizeof(st->numbuf), "%" PRId64, e->ptrace_request);
		return st->numbuf;
	case F_STDIN_FAMILY:
		return e->has & RTMON_HAS_STDIO && e->stdin_socket ? family_name(e->stdin_sock.family) : NULL;
	case F_STDIN_ADDR:
		return e->has & RTMON_HAS_STDIO && e->stdin_socket && e->stdin_sock.addr[0] ? e->stdin_sock.addr : NULL;
	case F_STDOUT_FAMILY:
		return e->has & RTMON_HAS_STDIO && e->stdout_socket ? family_name(e->stdout_sock.family) : NULL;
	case F_STDOUT_ADDR:
		return e->has & RTMON_HAS_STDIO && e->stdout_socket && e->stdout_sock.addr[0] ? e->stdout_sock.addr :
												NULL;
	case F_STDIN_TYPE:
		return e->has & RTMON_HAS_STDIO ? names_name(rtmon_fd_kind_names, e->stdin_kind) : NULL;
	case F_STDOUT_TYPE:
		return e->has & RTMON_HAS_STDIO ? names_name(rtmon_fd_kind_names, e->stdout_kind) : NULL;
	case F_STDIN_PEER_EXE:
		return e->has & RTMON_HAS_STDIN_PEER ? e->stdin_peer_exe : NULL;
	case F_STDIN_PEER_EXE_BASE:
		return e->has & RTMON_HAS_STDIN_PEER ? base_of(e->stdin_peer_exe) : NULL;
	case F_STDOUT_PEER_EXE:
		return e->has & RTMON_HAS_STDOUT_PEER ? e->stdout_peer_exe : NULL;
	case F_STDOUT_PEER_EXE_BASE:
		return e->has & RTMON_HAS_STDOUT_PEER ? base_of(e->stdout_peer_exe) : NULL;
	case F_PARENT_EXE:
		return par && par->exe ? rule_exe(par->exe, par->program) : NULL;
	case F_PARENT_EXE_BASE:
		return par && par->exe ? rule_exe_base(par->exe, par->program) : NULL;
	case F_PARENT_COMM:
		return par ? par->comm : NULL;
	case F_PARENT_FILENAME:
		return par ? par->filename : NULL;
	case F_CONT_ID:
		if (ct && ct->id[0])
			return ct->id;
		return e->has & RTMON_HAS_CONTAINER && e->container_id[0] ? e->container_id : NULL;
	case F_CONT_IMAGE:
		return ct && ct->image[0] ? ct->image : NULL;
	case F_CONT_NS:
		return ct && ct->ns[0] ? ct->ns : NULL;
	case F_CONT_POD:
		return ct && ct->pod[0] ? ct->pod : NULL;
	case F_CONT_RUNTIME:
		return ct && ct->runtime[0] ? ct->runtime : NULL;
	default:
		return NULL;
	}
}

/* A bit set as a multi-valued field: the next name of table t whose bit is in 'bits' (*pos: the row). */
static const char *next_bit_name(const struct rtmon_name_val *t, uint32_t bits, size_t *pos)
{
	while (t[*pos].name) {
		const struct rtmon_name_val *nv = &t[(*pos)++];

		if (bits & (uint32_t)nv->val)
			return nv->name;
	}
	return NULL;
}

/* The i-th value of a multi-valued field; NULL past the end. *pos is an iterator (start at 0). */
static const char *get_mstr(struct evst *st, enum rf_id id, unsigned depth, size_t *pos)
{
	const struct rtmon_event *e = st->c->ev;
	const struct rtmon_ancestor *a;
	size_t n = st->c->n_lineage;
	const char *s;

	if (id == F_NS_FLAGS)
		return e->type == RTMON_EV_NAMESPACE && (e->has & RTMON_HAS_KSYS) ?
			       next_bit_name(rtmon_ns_flag_names, e->ksys_flags, pos) :
			       NULL;
	if (id == F_FILE_OP)
		return e->has & RTMON_HAS_FILE ? next_bit_name(rtmon_file_op_names, e->file_ops, pos) : NULL;
	if (id == F_MAP_FILE)
		return e->type == RTMON_EV_MMAP ? next_bit_name(rtmon_map_file_names, e->map_file, pos) : NULL;
	if (id == F_ENV || id == F_PRELOAD || id == F_LIBRARY_PATH) {
		const char *b = id == F_ENV ? e->env : id == F_PRELOAD ? e->preload : e->library_path;
		size_t len = id == F_ENV ? e->env_len : id == F_PRELOAD ? e->preload_len : e->library_path_len;

		if (e->type != RTMON_EV_EXEC || *pos >= len)
			return NULL;
		s = b + *pos;
		*pos += strnlen(s, len - *pos) + 1;
		return s;
	}
	if (id == F_ARGS) {
		if (!(e->has & RTMON_HAS_ARGS) || *pos >= e->args_len)
			return NULL;
		s = e->args + *pos;
		*pos += strnlen(s, e->args_len - *pos) + 1;
		return s;
	}
	if (depth && depth < n)
		n = depth;
	while (*pos < n) {
		a = &st->c->lineage[(*pos)++];
		if (id == F_ANC_COMM)
			return a->comm;
		if (id == F_ANC_FILENAME) {
			if (a->filename)
				return a->filename;
			continue;
		}
		if (a->exe)
			return id == F_ANC_EXE ? rule_exe(a->exe, a->program) : rule_exe_base(a->exe, a->program);
	}
	return NULL;
}

static bool get_num(struct evst *st, enum rf_id id, int64_t *v)
{
	const struct rtmon_event *e = st->c->ev;
	const struct rtmon_sock *ds;

#define NUM(bit, val)                  \
	do {                           \
		if (!(e->has & (bit))) \
			return false;  \
		*v = (val);            \
		return true;           \
	} while (0)
	switch (id) {
	case F_PID:
		*v = e->pid;
		return true;
	case F_PPID:
		NUM(RTMON_HAS_PPID, e->ppid);
	case F_UID:
		NUM(RTMON_HAS_UID, e->uid);
	case F_GID:
		NUM(RTMON_HAS_UID, e->gid);
	case F_AUID:
		NUM(RTMON_HAS_AUID, e->auid);
	case F_ARGC:
		NUM(RTMON_HAS_ARGS, e->argc);
	case F_TARGET_PID:
		NUM(RTMON_HAS_PTRACE | RTMON_HAS_TARGET, e->target_pid);
	case F_TARGET_PPID:
		NUM(RTMON_HAS_TARGET_PPID, e->target_ppid);
	case F_FD:
		NUM(RTMON_HAS_MEM, e->fd);
	case F_OLDFD:
		NUM(RTMON_HAS_DUP, e->oldfd);
	case F_NEWFD:
		NUM(RTMON_HAS_DUP, e->newfd);
	case F_EXIT_CODE:
		NUM(RTMON_HAS_EXIT, e->exit_code);
	case F_EUID:
		NUM(RTMON_HAS_CREDS, e->euid);
	case F_FSUID:
		NUM(RTMON_HAS_CREDS, e->fsuid);
	case F_CAP_EFF:
		NUM(RTMON_HAS_CREDS, (int64_t)e->cap_eff);
	case F_PREV_UID:
		if (st->c->prev_uid < 0)
			return false;
		*v = st->c->prev_uid;
		return true;
	case F_MODULE_TAINTS:
		if (e->type != RTMON_EV_MODULE)
			return false;
		NUM(RTMON_HAS_KSYS, (int64_t)e->ksys_arg0);
	case F_LOCAL_PORT:
		if (e->type != RTMON_EV_LISTEN)
			return false;
		NUM(RTMON_HAS_KSYS, (int64_t)e->ksys_arg1);
	case F_CHILD_PID:
		if (e->type != RTMON_EV_NAMESPACE || e->ksys_op != 3)
			return false;
		NUM(RTMON_HAS_KSYS, (int64_t)e->ksys_arg0);
	case F_DST_PORT:
		if (e->type == RTMON_EV_DUP && (ds = dup_sock(e))) {
			if (ds->family != AF_INET && ds->family != AF_INET6)
				return false;
			*v = ds->port;
			return true;
		}
		if (!(e->has & RTMON_HAS_NET) || (e->family != AF_INET && e->family != AF_INET6))
			return false;
		*v = e->dst_port;
		return true;
	case F_STDIN_PORT:
		if (!(e->has & RTMON_HAS_STDIO) || !e->stdin_socket || !e->stdin_sock.addr[0])
			return false;
		*v = e->stdin_sock.port;
		return true;
	case F_STDOUT_PORT:
		if (!(e->has & RTMON_HAS_STDIO) || !e->stdout_socket || !e->stdout_sock.addr[0])
			return false;
		*v = e->stdout_sock.port;
		return true;
	case F_PARENT_UID:
		if (!st->c->n_lineage)
			return false;
		*v = st->c->lineage[0].uid;
		return true;
	default:
		return false;
	}
#undef NUM
}

static bool get_bool(struct evst *st, enum rf_id id, bool *v)
{
	const struct rtmon_event *e = st->c->ev;

	switch (id) {
	case F_EXE_MEMFD:
		if (e->type != RTMON_EV_EXEC && !e->exe_memfd)
			return false;
		*v = e->exe_memfd;
		return true;
	case F_EXE_DELETED:
		if (e->type != RTMON_EV_EXEC && !e->exe_deleted)
			return false;
		*v = e->exe_deleted;
		return true;
	case F_ENV_TRUNCATED:
	case F_COMPAT:
	case F_EXE_SETUID:
		if (e->type != RTMON_EV_EXEC)
			return false;
		*v = id == F_ENV_TRUNCATED ? e->env_truncated : id == F_COMPAT ? e->compat : e->exe_setuid;
		return true;
	case F_ARGS_TRUNCATED:
		if (!(e->has & RTMON_HAS_ARGS))
			return false;
		*v = e->args_truncated;
		return true;
	case F_STDIN_SOCKET:
		if (!(e->has & RTMON_HAS_STDIO))
			return false;
		*v = e->stdin_socket;
		return true;
	case F_STDOUT_SOCKET:
		if (!(e->has & RTMON_HAS_STDIO))
			return false;
		*v = e->stdout_socket;
		return true;
	case F_VMA_ANON:
	case F_VMA_WRITE:
	case F_VMA_EXEC:
		if (!(e->has & RTMON_HAS_VMA))
			return false;
		*v = id == F_VMA_ANON ? e->vma_anon : id == F_VMA_WRITE ? e->vma_write : e->vma_exec;
		return true;
	case F_TARGET_IS_CHILD:
		/* the kernel's relation at the call; the table's (recordings without it) can be stale */
		if (e->has & RTMON_HAS_PTRACE_REL) {
			*v = e->target_is_child;
			return true;
		}
		if (!(e->has & RTMON_HAS_TARGET_PPID))
			return false;
		*v = e->target_ppid == e->pid;
		return true;
	case F_SETUID_IMAGE:
		/* the image it runs now (exec: the new one) or the one it ran before was set-user/group-ID */
		*v = st->c->setuid_image || (e->type == RTMON_EV_EXEC && e->exe_setuid);
		return true;
	case F_MODULE_OOT:
	case F_MODULE_UNSIGNED:
		if (e->type != RTMON_EV_MODULE || !(e->has & RTMON_HAS_KSYS))
			return false;
		/* the kernel's taint bits: TAINT_OOT_MODULE 12 ('O'), TAINT_UNSIGNED_MODULE 13 ('E') */
		*v = (e->ksys_arg0 >> (id == F_MODULE_OOT ? 12 : 13)) & 1;
		return true;
	case F_TARGET_IS_SELF:
		if (!(e->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET)))
			return false;
		*v = e->target_pid == e->pid;
		return true;
	case F_TARGET_IS_PARENT:
		if (e->has & RTMON_HAS_PTRACE_REL) {
			*v = e->target_is_parent;
			return true;
		}
		if (!(e->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET)) || !(e->has & RTMON_HAS_PPID))
			return false;
		*v = e->target_pid == e->ppid;
		return true;
	case F_IN_CONTAINER:
		*v = st->c->container != NULL || ((e->has & RTMON_HAS_CONTAINER) && e->container_id[0]);
		return true;
	default:
		return false;
	}
}

static bool get_flags(struct evst *st, enum rf_id id, uint32_t *v)
{
	const struct rtmon_event *e = st->c->ev;

	if (id == F_MEMFD_FLAGS) {
		if (!(e->has & RTMON_HAS_MEMFD))
			return false;
		*v = e->memfd_flags;
		return true;
	}
	if (!(e->has & RTMON_HAS_MEM))
		return false;
	*v = id == F_PROT ? e->prot : e->mmap_flags;
	return true;
}

static bool addr_parse(const char *s, struct cidr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->addr) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->addr) != 1)
		return false;
	a->family = AF_INET6;
	/* IPv4-mapped (::ffff:a.b.c.d): compare as IPv4 */
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(a->addr, mapped, 12) == 0) {
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
		a->family = AF_INET;
	}
	return true;
}

static bool cidr_contains(const struct cidr *c, const struct cidr *a)
{
	int full = c->bits / 8, rest = c->bits % 8;

	if (c->family != a->family)
		return false;
	if (memcmp(c->addr, a->addr, (size_t)full) != 0)
		return false;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));

		return (c->addr[full] & m) == (a->addr[full] & m);
	}
	return true;
}

static bool glob_one(const struct gpat *g, const char *s, size_t len)
{
	switch (g->kind) {
	case GP_EXACT:
		return len == g->len && memcmp(s, g->s, len) == 0;
	case GP_PREFIX:
		return len >= g->len && memcmp(s, g->s, g->len) == 0;
	case GP_SUFFIX:
		return len >= g->len && memcmp(s + len - g->len, g->s, g->len) == 0;
	case GP_CONTAINS:
		return len >= g->len && memmem(s, len, g->s, g->len) != NULL;
	default:
		return fnmatch(g->s, s, 0) == 0;
	}
}
/* The positive form of a string test (C_NE / C_NOT_IN are negated by the caller). */
static bool str_test(const struct node *n, const char *s)
{
	size_t len;

	switch (n->cmp) {
	case C_PRESENT:
		return true;
	case C_EQ:
	case C_NE:
	case C_IN:
	case C_NOT_IN:
		if (n->cidrs) {
			struct cidr a;

			if (!addr_parse(s, &a))
				return false;
			for (size_t i = 0; i < n->n_cidrs; i++)
				if (cidr_contains(&n->cidrs[i], &a))
					return true;
			return false;
		}
		return bsearch(&s, n->strs, n->n_strs, sizeof(char *), rules_cmp_str) != NULL;
	case C_STARTS:
		for (size_t i = 0; i < n->n_strs; i++)
			if (strncmp(s, n->strs[i], strlen(n->strs[i])) == 0)
				return true;
		return false;
	case C_ENDS:
		len = strlen(s);
		for (size_t i = 0; i < n->n_strs; i++) {
			size_t pl = strlen(n->strs[i]);

			if (pl <= len && strcmp(s + len - pl, n->strs[i]) == 0)
				return true;
		}
		return false;
	case C_CONTAINS:
		for (size_t i = 0; i < n->n_strs; i++)
			if (strstr(s, n->strs[i]))
				return true;
		return false;
	case C_GLOB:
		len = strlen(s);
		for (size_t i = 0; i < n->n_strs; i++)
			if (glob_one(&n->gp[i], s, len))
				return true;
		return false;
	default:
		return false;
	}
}

static bool num_test(const struct node *n, int64_t v)
{
	switch (n->cmp) {
	case C_PRESENT:
		return true;
	case C_EQ:
	case C_NE:
		return v == n->nums[0].lo;
	case C_LT:
		return v < n->nums[0].lo;
	case C_LE:
		return v <= n->nums[0].lo;
	case C_GT:
		return v > n->nums[0].lo;
	case C_GE:
		return v >= n->nums[0].lo;
	case C_IN:
	case C_NOT_IN:
		for (size_t i = 0; i < n->n_nums; i++)
			if (v >= n->nums[i].lo && v <= n->nums[i].hi)
				return true;
		return false;
	default:
		return false;
	}
}

static void record(struct evst *st, const struct node *n, const char *s, int64_t v)
{
	/* the event type says nothing the alert does not already carry */
	if (n->f->id == F_TYPE)
		return;
	if (st->nrec < REC_MAX)
		st->recs[st->nrec++] = (struct rec){ .n = n, .s = s, .v = v };
}

static bool eval_leaf(struct evst *st, const struct node *n)
{
	bool neg = n->cmp == C_NE || n->cmp == C_NOT_IN;
	const char *s;
	int64_t v;
	uint32_t fl;
	bool b;

	switch (n->f->kind) {
	case RF_STR:
	case RF_ADDR:
		s = get_str(st, n->f->id);
		if (!s)
			return false;
		if (str_test(n, s) == neg)
			return false;
		if (!neg)
			record(st, n, s, 0);
		return true;
	case RF_MSTR: {
		size_t pos = 0;
		bool any = false;

		while ((s = get_mstr(st, n->f->id, n->depth, &pos))) {
			any = true;
			if (str_test(n, s)) {
				if (neg)
					return false;
				record(st, n, s, 0);
				return true;
			}
		}
		return neg && any;
	}
	case RF_NUM:
		if (!get_num(st, n->f->id, &v) || num_test(n, v) == neg)
			return false;
		if (!neg)
			record(st, n, NULL, v);
		return true;
	case RF_BOOL:
		if (!get_bool(st, n->f->id, &b))
			return false;
		if (n->cmp == C_PRESENT ? !b : ((b == (n->mask != 0)) == neg))
			return false;
		if (n->cmp == C_PRESENT || (n->cmp == C_EQ && n->mask))
			record(st, n, NULL, 1);
		return true;
	case RF_FLAGS:
		if (!get_flags(st, n->f->id, &fl))
			return false;
		if (n->cmp != C_PRESENT && (fl & n->mask) != n->mask)
			return false;
		record(st, n, NULL, fl);
		return true;
	}
	return false;
}

static bool eval_node(struct evst *st, const struct node *n)
{
	size_t mark = st->nrec;
	bool v;

	switch (n->op) {
	case N_AND:
		if (eval_node(st, n->l) && eval_node(st, n->r))
			return true;
		st->nrec = mark;
		return false;
	case N_OR:
		if (eval_node(st, n->l))
			return true;
		st->nrec = mark;
		if (eval_node(st, n->r))
			return true;
		st->nrec = mark;
		return false;
	case N_NOT:
		v = eval_node(st, n->l);
		st->nrec = mark;
		return !v;
	case N_LEAF:
		return eval_leaf(st, n);
	}
	return false;
}
size_t ruleset_eval(const struct rtmon_ruleset *rs, const struct rtmon_eval_ctx *ctx, struct rtmon_match *out,
		    size_t max)
{
	struct evst st;
	size_t n = 0;
	uint32_t bit;

	if (!rs || !ctx || !ctx->ev || ctx->ev->type <= 0 || ctx->ev->type >= RTMON_EV_MAX)
		return 0;
	bit = 1u << ctx->ev->type;
	if (!(rs->mask & bit))
		return 0;
	st.c = ctx;
	st.have_cmdline = false;
	for (size_t i = 0; i < rs->n && n < max; i++) {
		const struct rule *r = &rs->rules[i];
		bool excepted = false;

		if (!r->enabled || !(r->events & bit))
			continue;
		st.nrec = 0;
		if (!eval_node(&st, r->cond))
			continue;
		size_t keep = st.nrec;
		for (size_t j = 0; j < r->n_exc && !excepted; j++)
			excepted = eval_node(&st, r->exc[j]);
		if (excepted)
			continue;
		st.nrec = keep;
		out[n].rule = &r->info;
		rules_format_reason(&st, out[n].reason, sizeof(out[n].reason));
		event_peer(ctx->ev, out[n].addr, sizeof(out[n].addr));
		if (out[n].addr[0]) {
			size_t l = strlen(out[n].reason);

			snprintf(out[n].reason + l, sizeof(out[n].reason) - l, "; peer %s", out[n].addr);
		}
		n++;
	}
	return n;
}
