/* SPDX-License-Identifier: MIT */
/*
 * fmt_json_read.c - reads an event back from the JSON line --record wrote
 * (fmt_json.c writes it), with json-c, for --replay.  Pure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <json-c/json.h>

#include "fmt_json.h"
#include "names.h"

static int parse_time(const char *s, uint64_t *ns)
{
	struct tm tm = { 0 };
	unsigned usec = 0;
	int n = 0;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
		   &tm.tm_sec, &n) != 6)
		return -EINVAL;
	if (s[n] == '.') {
		unsigned scale = 100000;

		for (n++; s[n] >= '0' && s[n] <= '9'; n++, scale /= 10)
			usec += (unsigned)(s[n] - '0') * scale;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*ns = (uint64_t)timegm(&tm) * 1000000000ull + (uint64_t)usec * 1000ull;
	return 0;
}

static struct json_object *get(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static int get_u64(struct json_object *o, const char *k, uint64_t *out)
{
	struct json_object *v = get(o, k);

	if (!v || !(json_object_is_type(v, json_type_int)))
		return 0;
	*out = (uint64_t)json_object_get_int64(v);
	if (json_object_get_int64(v) == INT64_MAX)
		*out = json_object_get_uint64(v);
	return 1;
}

static int get_u32(struct json_object *o, const char *k, uint32_t *out)
{
	uint64_t v;

	if (!get_u64(o, k, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

static int get_str(struct json_object *o, const char *k, char *buf, size_t len)
{
	struct json_object *v = get(o, k);

	if (!v || !json_object_is_type(v, json_type_string))
		return 0;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 1;
}

static int get_bool(struct json_object *o, const char *k)
{
	struct json_object *v = get(o, k);

	return v && json_object_get_boolean(v);
}

static uint32_t get_flags(struct json_object *o, const char *k, const struct rtmon_name_val *t)
{
	struct json_object *a = get(o, k);
	uint32_t v = 0;

	if (!a || !json_object_is_type(a, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(a); i++)
		v |= (uint32_t)names_value(t, json_object_get_string(json_object_array_get_idx(a, i)), 0);
	return v;
}

static void get_sock(struct json_object *o, const char *k, struct rtmon_sock *s)
{
	struct json_object *p = get(o, k);
	char buf[32] = "";
	uint32_t port = 0;
	int fam;

	memset(s, 0, sizeof(*s));
	if (!p)
		return;
	get_str(p, "family", buf, sizeof(buf));
	fam = (int)names_value(rtmon_family_names, buf, -1);
	s->family = fam > 0 ? (uint16_t)fam : 0;
	if (get_str(p, "type", buf, sizeof(buf)))
		s->type = strcmp(buf, "stream") == 0 ? SOCK_STREAM : strcmp(buf, "dgram") == 0 ? SOCK_DGRAM : 0;
	get_str(p, "addr", s->addr, sizeof(s->addr));
	get_u32(p, "port", &port);
	s->port = (uint16_t)port;
}

static void read_common(struct json_object *o, struct rtmon_event *ev)
{
	char buf[64];
	struct json_object *a;

	if (get_str(o, "time", buf, sizeof(buf)))
		parse_time(buf, &ev->time_ns);
	get_u32(o, "pid", &ev->pid);
	if (get_u32(o, "tid", &ev->tid))
		ev->has |= RTMON_HAS_TID;
	if (get_u32(o, "ppid", &ev->ppid))
		ev->has |= RTMON_HAS_PPID;
	if (get_u32(o, "uid", &ev->uid)) {
		get_u32(o, "gid", &ev->gid);
		ev->has |= RTMON_HAS_UID;
	}
	if (get_u32(o, "auid", &ev->auid))
		ev->has |= RTMON_HAS_AUID;
	if (get_u32(o, "euid", &ev->euid)) {
		uint64_t caps = 0;

		get_u32(o, "fsuid", &ev->fsuid);
		if (get_u64(o, "cap_eff", &caps))
			ev->cap_eff = caps;
		ev->has |= RTMON_HAS_CREDS;
	}
	if (get_str(o, "comm", ev->comm, sizeof(ev->comm)))
		ev->has |= RTMON_HAS_COMM;
	if (get_str(o, "exe", ev->exe, sizeof(ev->exe)))
		ev->has |= RTMON_HAS_EXE;
	ev->exe_truncated = get_bool(o, "exe_truncated");
	if (get_str(o, "program", ev->program, sizeof(ev->program)))
		ev->has |= RTMON_HAS_PROGRAM;
	if (get_str(o, "prev_comm", ev->prev_comm, sizeof(ev->prev_comm)))
		ev->has |= RTMON_HAS_PREV_COMM;
	if (get_str(o, "cwd", ev->cwd, sizeof(ev->cwd)))
		ev->has |= RTMON_HAS_CWD;
	if (get_u64(o, "cgroup_id", &ev->cgroup_id))
		ev->has |= RTMON_HAS_CGROUP;
	if (get_str(o, "cgroup", ev->cgroup_path, sizeof(ev->cgroup_path)))
		ev->has |= RTMON_HAS_CGROUP_PATH;
	if (get_str(o, "container_id", ev->container_id, sizeof(ev->container_id)))
		ev->has |= RTMON_HAS_CONTAINER;
	a = get(o, "args");
	if (a && json_object_is_type(a, json_type_array)) {
		ev->has |= RTMON_HAS_ARGS;
		for (size_t i = 0; i < json_object_array_length(a); i++)
			event_add_arg(ev, json_object_get_string(json_object_array_get_idx(a, i)));
	}
	if (get_bool(o, "args_truncated"))
		ev->args_truncated = true;
	ev->fold_summary = get_bool(o, "fold_summary");
	get_u32(o, "fold_count", &ev->fold_count);
}

/* "env": [ "NAME=value", ... ] back into the NUL-separated block the decoder makes */
static void read_env(struct json_object *o, struct rtmon_event *ev)
{
	struct json_object *a = get(o, "env");
	char buf[sizeof(ev->env)];
	size_t len = 0;

	if (a && json_object_is_type(a, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			const char *s = json_object_get_string(json_object_array_get_idx(a, i));
			size_t n = s ? strlen(s) + 1 : 0;

			if (n && len + n <= sizeof(buf)) {
				memcpy(buf + len, s, n);
				len += n;
			}
		}
		event_set_env(ev, buf, len);
	}
	ev->env_truncated = get_bool(o, "env_truncated");
}

static void read_exec(struct json_object *o, struct rtmon_event *ev)
{
	struct json_object *v;

	if (get_str(o, "filename", ev->filename, sizeof(ev->filename)))
		ev->has |= RTMON_HAS_FILENAME;
	ev->exe_deleted = get_bool(o, "exe_deleted");
	ev->exe_memfd = get_bool(o, "exe_memfd");
	ev->exe_setuid = get_bool(o, "exe_setuid");
	ev->compat = get_bool(o, "compat");
	read_env(o, ev);
	if (get(o, "stdin_socket") || get(o, "stdout_socket")) {
		ev->has |= RTMON_HAS_STDIO;
		ev->stdin_socket = get_bool(o, "stdin_socket");
		ev->stdout_socket = get_bool(o, "stdout_socket");
		get_sock(o, "stdin_peer", &ev->stdin_sock);
		get_sock(o, "stdout_peer", &ev->stdout_sock);
		if ((v = get(o, "stdin_type")) && json_object_is_type(v, json_type_string))
			ev->stdin_kind = (uint8_t)names_value(rtmon_fd_kind_names, json_object_get_string(v), 0);
		if ((v = get(o, "stdout_type")) && json_object_is_type(v, json_type_string))
			ev->stdout_kind = (uint8_t)names_value(rtmon_fd_kind_names, json_object_get_string(v), 0);
		get_u64(o, "stdin_pipe", &ev->stdin_ino);
		get_u64(o, "stdout_pipe", &ev->stdout_ino);
		if (ev->stdin_socket && !ev->stdin_kind)
			ev->stdin_kind = 3;
		if (ev->stdout_socket && !ev->stdout_kind)
			ev->stdout_kind = 3;
		/* a socket with no recorded peer is still a socket */
		if (ev->stdin_socket && !ev->stdin_sock.family)
			ev->stdin_sock.family = AF_UNIX;
		if (ev->stdout_socket && !ev->stdout_sock.family)
			ev->stdout_sock.family = AF_UNIX;
	}
}

static void read_net(struct json_object *o, struct rtmon_event *ev)
{
	char buf[32];
	uint32_t port = 0;
	struct json_object *v;

	if (get_str(o, "family", buf, sizeof(buf))) {
		int fam = (int)names_value(rtmon_family_names, buf, -1);

		ev->family = fam > 0 ? (uint16_t)fam : 0;
		ev->has |= RTMON_HAS_NET;
	}
	if (get_str(o, "dst_addr", ev->dst_addr, sizeof(ev->dst_addr)))
		ev->has |= RTMON_HAS_NET;
	if (get_u32(o, "dst_port", &port))
		ev->dst_port = (uint16_t)port;
	if (get_str(o, "protocol", buf, sizeof(buf))) {
		const struct rtmon_name_val *n = names_find(rtmon_protocol_names, buf);

		ev->protocol = n ? (uint16_t)n->val : (uint16_t)strtoul(buf, NULL, 10);
	}
	if (ev->type == RTMON_EV_DUP) {
		int32_t fd;

		ev->has |= RTMON_HAS_DUP;
		fd = -1;
		if ((v = get(o, "oldfd")))
			fd = json_object_get_int(v);
		ev->oldfd = fd;
		fd = -1;
		if ((v = get(o, "newfd")))
			fd = json_object_get_int(v);
		ev->newfd = fd;
		ev->dup_sock.family = ev->family;
		ev->dup_sock.type = SOCK_STREAM;
		ev->dup_sock.port = ev->dst_port;
		memcpy(ev->dup_sock.addr, ev->dst_addr, sizeof(ev->dup_sock.addr));
	}
}

static int64_t get_named(struct json_object *o, const char *k, const struct rtmon_name_val *t)
{
	char buf[64];
	const struct rtmon_name_val *n;

	if (!get_str(o, k, buf, sizeof(buf)))
		return 0;
	n = names_find(t, buf);
	return n ? n->val : strtoll(buf, NULL, 10);
}

static void read_ksys(struct json_object *o, struct rtmon_event *ev)
{
	uint64_t u = 0;

	switch (ev->type) {
	case RTMON_EV_MODULE:
		get_str(o, "module_name", ev->ksys_str, sizeof(ev->ksys_str));
		if (get_u64(o, "module_taints", &u))
			ev->ksys_arg0 = u;
		break;
	case RTMON_EV_BPF_PROG:
		ev->ksys_arg0 = (uint64_t)get_named(o, "bpf_prog_type", rtmon_bpf_prog_type_names);
		get_str(o, "bpf_prog_name", ev->ksys_str, sizeof(ev->ksys_str));
		break;
	case RTMON_EV_SOCKET:
		ev->ksys_arg1 = (uint64_t)get_named(o, "sock_type", rtmon_sock_type_names);
		break;
	case RTMON_EV_LISTEN:
		get_str(o, "local_addr", ev->ksys_addr, sizeof(ev->ksys_addr));
		if (get_u64(o, "local_port", &u))
			ev->ksys_arg1 = u;
		break;
	case RTMON_EV_NAMESPACE:
		ev->ksys_op = (uint32_t)get_named(o, "ns_op", rtmon_ns_op_names);
		ev->ksys_flags = get_flags(o, "ns_flags", rtmon_ns_flag_names);
		if (get_u64(o, "child_pid", &u))
			ev->ksys_arg0 = u;
		break;
	case RTMON_EV_MOUNT:
		ev->ksys_op = (uint32_t)get_named(o, "mount_op", rtmon_mount_op_names);
		get_str(o, "mount_source", ev->ksys_str, sizeof(ev->ksys_str));
		get_str(o, "mount_target", ev->ksys_str2, sizeof(ev->ksys_str2));
		get_str(o, "mount_fstype", ev->ksys_addr, sizeof(ev->ksys_addr));
		if (get_u64(o, "mount_flags", &u))
			ev->ksys_arg0 = u;
		break;
	case RTMON_EV_UNIX_CONNECT:
		get_str(o, "unix_path", ev->ksys_str, sizeof(ev->ksys_str));
		break;
	default:
		return;
	}
	ev->has |= RTMON_HAS_KSYS;
}

static void read_other(struct json_object *o, struct rtmon_event *ev)
{
	struct json_object *v;
	uint64_t u;

	if ((v = get(o, "ptrace_request"))) {
		int64_t r = json_object_is_type(v, json_type_string) ?
				    names_value(rtmon_ptrace_names, json_object_get_string(v), -1) :
				    json_object_get_int64(v);

		if (r < 0 && json_object_is_type(v, json_type_string))
			r = strtoll(json_object_get_string(v), NULL, 0);
		ev->ptrace_request = r;
		ev->has |= RTMON_HAS_PTRACE;
	}
	if (get_u32(o, "target_pid", &ev->target_pid) && !(ev->has & RTMON_HAS_PTRACE) &&
	    (ev->type == RTMON_EV_PROCESS_VM_WRITEV || ev->type == RTMON_EV_FILE))
		ev->has |= RTMON_HAS_TARGET;
	if (get_u32(o, "target_ppid", &ev->target_ppid))
		ev->has |= RTMON_HAS_TARGET_PPID;
	if (get(o, "target_is_child") || get(o, "target_is_parent")) {
		ev->target_is_child = get_bool(o, "target_is_child");
		ev->target_is_parent = get_bool(o, "target_is_parent");
		ev->has |= RTMON_HAS_PTRACE_REL;
	}
	if (get(o, "prot")) {
		ev->has |= RTMON_HAS_MEM;
		ev->prot = get_flags(o, "prot", rtmon_prot_names);
		ev->mmap_flags = get_flags(o, "flags", rtmon_mmap_flag_names);
		ev->fd = (v = get(o, "fd")) ? json_object_get_int(v) : -1;
		if (get_u64(o, "addr", &u))
			ev->mem_addr = u;
		if (get_u64(o, "len", &u))
			ev->mem_len = u;
	}
	if (get(o, "vma_anon") || get(o, "vma_write")) {
		ev->has |= RTMON_HAS_VMA;
		ev->vma_anon = get_bool(o, "vma_anon");
		ev->vma_write = get_bool(o, "vma_write");
		ev->vma_exec = get_bool(o, "vma_exec");
	}
	if (get_str(o, "memfd_name", ev->memfd_name, sizeof(ev->memfd_name))) {
		ev->has |= RTMON_HAS_MEMFD;
		ev->memfd_flags = get_flags(o, "memfd_flags", rtmon_memfd_flag_names);
	}
	if (ev->type == RTMON_EV_MMAP && get(o, "map_file")) {
		ev->map_file = get_flags(o, "map_file", rtmon_map_file_names);
		get_str(o, "path", ev->path, sizeof(ev->path));
		if (get_u64(o, "inode", &u))
			ev->inode = u;
	} else if (get_str(o, "path", ev->path, sizeof(ev->path))) {
		ev->has |= RTMON_HAS_FILE;
		ev->file_ops = get_flags(o, "file_op", rtmon_file_op_names);
		get_u32(o, "open_flags", &ev->open_flags);
		get_u32(o, "file_mode", &ev->file_mode);
		if (get_u64(o, "inode", &u))
			ev->inode = u;
	}
	if (get_u32(o, "exit_code", &ev->exit_code))
		ev->has |= RTMON_HAS_EXIT;
	if ((v = get(o, "signal")) && json_object_is_type(v, json_type_string)) {
		ev->sig = (int)names_value(rtmon_signal_names, json_object_get_string(v), -1);
		ev->has |= RTMON_HAS_SIGNAL;
	}
	if ((v = get(o, "bpf_cmd")) && json_object_is_type(v, json_type_string)) {
		ev->bpf_cmd = (uint32_t)names_value(rtmon_bpf_cmd_names, json_object_get_string(v), 0);
		get_u32(o, "bpf_id", &ev->bpf_id);
		ev->has |= RTMON_HAS_BPF;
	}
}

int fmt_event_from_json(const char *line, struct rtmon_event *ev)
{
	struct json_object *o = json_tokener_parse(line);
	char buf[32];
	int r = 0;

	event_reset(ev);
	if (!o || !json_object_is_type(o, json_type_object)) {
		r = -EINVAL;
		goto out;
	}
	if (get_str(o, "kind", buf, sizeof(buf)) && strcmp(buf, "event") != 0) {
		r = -ENOMSG;
		goto out;
	}
	if (!get_str(o, "type", buf, sizeof(buf)) || (ev->type = event_type_from_name(buf)) == RTMON_EV_NONE) {
		r = -EINVAL;
		goto out;
	}
	read_common(o, ev);
	if (ev->type == RTMON_EV_EXEC)
		read_exec(o, ev);
	read_net(o, ev);
	read_other(o, ev);
	read_ksys(o, ev);
out:
	json_object_put(o);
	return r;
}
