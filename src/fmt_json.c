/* SPDX-License-Identifier: MIT */
/* fmt_json.c - see fmt_json.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <json-c/json.h>

#include "alerter.h"
#include "fmt_json.h"
#include "incident.h"
#include "names.h"

static const char *const signal_names[32] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [6] = "SIGABRT", [9] = "SIGKILL", [10] = "SIGUSR1",
	[12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP",
};

const char *fmt_signal_name(int sig)
{
	return sig > 0 && sig < 32 ? signal_names[sig] : NULL;
}

int fmt_signal_from_name(const char *name)
{
	for (int i = 1; name && i < 32; i++)
		if (signal_names[i] && strcmp(signal_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const bpf_cmd_names[] = {
	[9] = "BPF_PROG_DETACH", [13] = "BPF_PROG_GET_FD_BY_ID", [14] = "BPF_MAP_GET_FD_BY_ID",
	[30] = "BPF_LINK_GET_FD_BY_ID", [34] = "BPF_LINK_DETACH",
};

const char *fmt_bpf_cmd_name(uint32_t cmd)
{
	return cmd < sizeof(bpf_cmd_names) / sizeof(bpf_cmd_names[0]) ? bpf_cmd_names[cmd] : NULL;
}

static int bpf_cmd_from_name(const char *name)
{
	for (unsigned i = 0; name && i < sizeof(bpf_cmd_names) / sizeof(bpf_cmd_names[0]); i++)
		if (bpf_cmd_names[i] && strcmp(bpf_cmd_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Kernel constants by name: the tables in names.c, shared with the rule compiler. */
static int64_t fmt_ptrace_request_from_name(const char *name)
{
	const struct rtmon_name_val *n = names_find(rtmon_ptrace_names, name);

	return n ? n->val : -1;
}

static const char *fmt_family_name(uint16_t family)
{
	return names_name(rtmon_family_names, family);
}

static int fmt_family_from_name(const char *name)
{
	const struct rtmon_name_val *n = names_find(rtmon_family_names, name);

	return n ? (int)n->val : -1;
}

static uint32_t flag_from_name(const struct rtmon_name_val *t, const char *name)
{
	const struct rtmon_name_val *n = names_find(t, name);

	return n ? (uint32_t)n->val : 0;
}

void fmt_time_rfc3339(uint64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000ull);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)((ns / 1000) % 1000000));
}

/* ---- writing ---- */

static void put_flags(struct rtmon_jsonw *w, const char *k, const struct rtmon_name_val *t, uint32_t v,
		      int exact_low2)
{
	jsonw_array(w, k);
	for (; t->name; t++) {
		uint32_t bit = (uint32_t)t->val;

		/* MAP_SHARED/PRIVATE/SHARED_VALIDATE are a 2-bit type field */
		if (exact_low2 && bit <= 3) {
			if ((v & 3) == bit)
				jsonw_str(w, NULL, t->name);
		} else if ((v & bit) == bit) {
			jsonw_str(w, NULL, t->name);
		}
	}
	jsonw_end(w);
}

/* The keys of the rare kernel-level events (module, bpf_prog, socket, listen, namespace, mount, unix_connect). */
static void put_ksys(struct rtmon_jsonw *o, const struct rtmon_event *ev)
{
	char num[24];

	switch (ev->type) {
	case RTMON_EV_MODULE:
		jsonw_str(o, "module_name", ev->ksys_str);
		jsonw_u64(o, "module_taints", ev->ksys_arg0);
		break;
	case RTMON_EV_BPF_PROG:
		jsonw_str(o, "bpf_prog_type",
			  names_label(rtmon_bpf_prog_type_names, (int64_t)ev->ksys_arg0, num, sizeof(num)));
		jsonw_str(o, "bpf_prog_name", ev->ksys_str);
		break;
	case RTMON_EV_SOCKET:
		jsonw_str(o, "sock_type", names_label(rtmon_sock_type_names, (int64_t)ev->ksys_arg1, num, sizeof(num)));
		break;
	case RTMON_EV_LISTEN:
		jsonw_str(o, "local_addr", ev->ksys_addr);
		jsonw_u64(o, "local_port", ev->ksys_arg1);
		break;
	case RTMON_EV_NAMESPACE:
		jsonw_str(o, "ns_op", names_label(rtmon_ns_op_names, ev->ksys_op, num, sizeof(num)));
		put_flags(o, "ns_flags", rtmon_ns_flag_names, ev->ksys_flags, 0);
		if (ev->ksys_op == 3)
			jsonw_u64(o, "child_pid", ev->ksys_arg0);
		break;
	case RTMON_EV_MOUNT:
		jsonw_str(o, "mount_op", names_label(rtmon_mount_op_names, ev->ksys_op, num, sizeof(num)));
		jsonw_str(o, "mount_source", ev->ksys_str);
		if (ev->ksys_op == 0) {
			jsonw_str(o, "mount_target", ev->ksys_str2);
			jsonw_str(o, "mount_fstype", ev->ksys_addr);
			jsonw_u64(o, "mount_flags", ev->ksys_arg0);
		}
		break;
	case RTMON_EV_UNIX_CONNECT:
		jsonw_str(o, "unix_path", ev->ksys_str);
		break;
	default:
		break;
	}
}

static const char *socktype_name(uint16_t t)
{
	switch (t) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_RAW:
		return "raw";
	case SOCK_SEQPACKET:
		return "seqpacket";
	default:
		return NULL;
	}
}

static void sock_json(struct rtmon_jsonw *o, const char *key, const struct rtmon_sock *s)
{
	const char *fam = fmt_family_name(s->family);
	const char *t = socktype_name(s->type);

	jsonw_object(o, key);
	if (fam)
		jsonw_str(o, "family", fam);
	else
		jsonw_u64(o, "family_number", s->family);
	if (t)
		jsonw_str(o, "type", t);
	if (s->addr[0]) {
		jsonw_str(o, "addr", s->addr);
		jsonw_u64(o, "port", s->port);
	}
	jsonw_end(o);
}

static void event_args_json(struct rtmon_jsonw *o, const struct rtmon_event *ev)
{
	jsonw_array(o, "args");
	for (const char *s = event_next_arg(ev, NULL); s; s = event_next_arg(ev, s))
		jsonw_str(o, NULL, s);
	jsonw_end(o);
	if (ev->args_truncated)
		jsonw_bool(o, "args_truncated", 1);
}

static const char *fmt_fd_kind_name(unsigned kind)
{
	return names_name(rtmon_fd_kind_names, kind);
}

static int fd_kind_from_name(const char *name)
{
	const struct rtmon_name_val *n = names_find(rtmon_fd_kind_names, name);

	return n ? (int)n->val : -1;
}

static void fd_json(struct rtmon_jsonw *o, const char *which, uint8_t kind, uint64_t ino, uint32_t peer_pid,
		    const char *peer_exe, int has_peer)
{
	const char *n = fmt_fd_kind_name(kind);
	char key[32];

	if (!n)
		return;
	snprintf(key, sizeof(key), "%s_type", which);
	jsonw_str(o, key, n);
	if (kind == 2 /* RTMON_FD_PIPE */) {
		snprintf(key, sizeof(key), "%s_pipe", which);
		jsonw_u64(o, key, ino);
	}
	if (has_peer) {
		snprintf(key, sizeof(key), "%s_pipe_peer", which);
		jsonw_object(o, key);
		jsonw_u64(o, "pid", peer_pid);
		jsonw_str(o, "exe", peer_exe);
		jsonw_end(o);
	}
}

static void event_exec_json(struct rtmon_jsonw *o, const struct rtmon_event *ev)
{
	if (ev->has & RTMON_HAS_FILENAME)
		jsonw_str(o, "filename", ev->filename);
	if (ev->exe_deleted)
		jsonw_bool(o, "exe_deleted", 1);
	if (ev->exe_memfd)
		jsonw_bool(o, "exe_memfd", 1);
	if (ev->exe_setuid)
		jsonw_bool(o, "exe_setuid", 1);
	if (ev->compat)
		jsonw_bool(o, "compat", 1);
	if (ev->env_len) {
		jsonw_array(o, "env");
		for (const char *s = ev->env; s < ev->env + ev->env_len; s += strlen(s) + 1)
			jsonw_str(o, NULL, s);
		jsonw_end(o);
	}
	if (ev->env_truncated)
		jsonw_bool(o, "env_truncated", 1);
	if (ev->has & RTMON_HAS_STDIO) {
		jsonw_bool(o, "stdin_socket", ev->stdin_socket);
		jsonw_bool(o, "stdout_socket", ev->stdout_socket);
		if (ev->stdin_socket)
			sock_json(o, "stdin_peer", &ev->stdin_sock);
		if (ev->stdout_socket)
			sock_json(o, "stdout_peer", &ev->stdout_sock);
		fd_json(o, "stdin", ev->stdin_kind, ev->stdin_ino, ev->stdin_peer_pid, ev->stdin_peer_exe,
			ev->has & RTMON_HAS_STDIN_PEER);
		fd_json(o, "stdout", ev->stdout_kind, ev->stdout_ino, ev->stdout_peer_pid, ev->stdout_peer_exe,
			ev->has & RTMON_HAS_STDOUT_PEER);
	}
}

static void event_type_json(struct rtmon_jsonw *o, const struct rtmon_event *ev)
{
	if (ev->has & RTMON_HAS_NET) {
		const char *fam = fmt_family_name(ev->family);

		if (fam)
			jsonw_str(o, "family", fam);
		if (ev->dst_addr[0]) {
			jsonw_str(o, "dst_addr", ev->dst_addr);
			jsonw_u64(o, "dst_port", ev->dst_port);
		}
		if (ev->protocol) {
			char num[24];

			jsonw_str(o, "protocol", names_label(rtmon_protocol_names, ev->protocol, num, sizeof(num)));
		}
	}
	if (ev->has & RTMON_HAS_PTRACE) {
		char num[24];

		jsonw_str(o, "ptrace_request", names_label(rtmon_ptrace_names, ev->ptrace_request, num, sizeof(num)));
	}
	if (ev->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET))
		jsonw_u64(o, "target_pid", ev->target_pid);
	if (ev->has & RTMON_HAS_TARGET_PPID)
		jsonw_u64(o, "target_ppid", ev->target_ppid);
	if (ev->has & RTMON_HAS_PTRACE_REL) {
		jsonw_bool(o, "target_is_child", ev->target_is_child);
		jsonw_bool(o, "target_is_parent", ev->target_is_parent);
	}
	if (ev->has & RTMON_HAS_MEM) {
		put_flags(o, "prot", rtmon_prot_names, ev->prot, 0);
		if (ev->type == RTMON_EV_MMAP) {
			put_flags(o, "flags", rtmon_mmap_flag_names, ev->mmap_flags, 1);
			jsonw_i64(o, "fd", ev->fd);
		}
		jsonw_u64(o, "addr", ev->mem_addr);
		jsonw_u64(o, "len", ev->mem_len);
		if (ev->map_file) {
			jsonw_str(o, "path", ev->path);
			put_flags(o, "map_file", rtmon_map_file_names, ev->map_file, 0);
			jsonw_u64(o, "inode", ev->inode);
		}
	}
	if (ev->has & RTMON_HAS_VMA) {
		jsonw_bool(o, "vma_anon", ev->vma_anon);
		jsonw_bool(o, "vma_write", ev->vma_write);
		jsonw_bool(o, "vma_exec", ev->vma_exec);
	}
	if (ev->has & RTMON_HAS_MEMFD) {
		jsonw_str(o, "memfd_name", ev->memfd_name);
		put_flags(o, "memfd_flags", rtmon_memfd_flag_names, ev->memfd_flags, 0);
	}
	if (ev->has & RTMON_HAS_FILE) {
		jsonw_str(o, "path", ev->path);
		put_flags(o, "file_op", rtmon_file_op_names, ev->file_ops, 0);
		if (ev->open_flags)
			jsonw_u64(o, "open_flags", ev->open_flags);
		if (ev->inode)
			jsonw_u64(o, "inode", ev->inode);
	}
	if (ev->has & RTMON_HAS_KSYS)
		put_ksys(o, ev);
	if (ev->has & RTMON_HAS_DUP) {
		jsonw_i64(o, "oldfd", ev->oldfd);
		jsonw_i64(o, "newfd", ev->newfd);
	}
	if (ev->has & RTMON_HAS_EXIT)
		jsonw_u64(o, "exit_code", ev->exit_code);
	if (ev->has & RTMON_HAS_SIGNAL) {
		const char *n = fmt_signal_name(ev->sig);

		if (n)
			jsonw_str(o, "signal", n);
		else
			jsonw_i64(o, "signal_number", ev->sig);
		if (!(ev->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET))) /* a key once */
			jsonw_u64(o, "target_pid", ev->target_pid);
	}
	if (ev->has & RTMON_HAS_BPF) {
		const char *n = fmt_bpf_cmd_name(ev->bpf_cmd);

		if (n)
			jsonw_str(o, "bpf_cmd", n);
		else
			jsonw_u64(o, "bpf_cmd_number", ev->bpf_cmd);
		jsonw_u64(o, "bpf_id", ev->bpf_id);
	}
}

/* The members of an event, into the object open in o. */
static void event_members(struct rtmon_jsonw *o, const struct rtmon_event *ev, int with_kind)
{
	const char *tn = event_type_name(ev->type);
	char ts[40];

	if (with_kind)
		jsonw_str(o, "kind", "event");
	jsonw_str(o, "type", tn ? tn : "unknown");
	fmt_time_rfc3339(ev->time_ns, ts, sizeof(ts));
	jsonw_str(o, "time", ts);
	jsonw_u64(o, "pid", ev->pid);
	if (ev->has & RTMON_HAS_TID)
		jsonw_u64(o, "tid", ev->tid);
	if (ev->has & RTMON_HAS_PPID)
		jsonw_u64(o, "ppid", ev->ppid);
	if (ev->has & RTMON_HAS_UID) {
		jsonw_u64(o, "uid", ev->uid);
		jsonw_u64(o, "gid", ev->gid);
	}
	if (ev->has & RTMON_HAS_AUID)
		jsonw_u64(o, "auid", ev->auid);
	if (ev->has & RTMON_HAS_CREDS) {
		jsonw_u64(o, "euid", ev->euid);
		jsonw_u64(o, "fsuid", ev->fsuid);
		jsonw_u64(o, "cap_eff", ev->cap_eff);
	}
	if (ev->has & RTMON_HAS_COMM)
		jsonw_str(o, "comm", ev->comm);
	if (ev->has & RTMON_HAS_EXE) {
		jsonw_str(o, "exe", ev->exe);
		if (ev->exe_truncated)
			jsonw_bool(o, "exe_truncated", 1);
	}
	if (ev->has & RTMON_HAS_PROGRAM)
		jsonw_str(o, "program", ev->program);
	if (ev->has & RTMON_HAS_PREV_COMM)
		jsonw_str(o, "prev_comm", ev->prev_comm);
	if (ev->has & RTMON_HAS_ARGS)
		event_args_json(o, ev);
	if (ev->has & RTMON_HAS_CWD)
		jsonw_str(o, "cwd", ev->cwd);
	if (ev->has & RTMON_HAS_CGROUP)
		jsonw_u64(o, "cgroup_id", ev->cgroup_id);
	if (ev->has & RTMON_HAS_CGROUP_PATH)
		jsonw_str(o, "cgroup", ev->cgroup_path);
	if (ev->has & RTMON_HAS_CONTAINER)
		jsonw_str(o, "container_id", ev->container_id);
	if (ev->type == RTMON_EV_EXEC)
		event_exec_json(o, ev);
	event_type_json(o, ev);
	if (ev->fold_summary) {
		jsonw_bool(o, "fold_summary", 1);
		jsonw_u64(o, "fold_count", ev->fold_count);
	}
}

const char *fmt_event_json(struct rtmon_jsonw *w, const struct rtmon_event *ev, int with_kind)
{
	jsonw_start(w);
	event_members(w, ev, with_kind);
	return jsonw_finish(w, NULL);
}

static void lineage_json(struct rtmon_jsonw *o, const struct rtmon_alert *a)
{
	jsonw_array(o, "lineage");
	for (size_t i = 0; i < a->n_lineage; i++) {
		jsonw_object(o, NULL);
		jsonw_u64(o, "pid", a->lineage[i].pid);
		jsonw_str(o, "comm", a->lineage[i].comm ? a->lineage[i].comm : "");
		if (a->lineage[i].exe)
			jsonw_str(o, "exe", a->lineage[i].exe);
		jsonw_end(o);
	}
	jsonw_end(o);
}

static void container_json(struct rtmon_jsonw *o, const struct rtmon_container *c)
{
	jsonw_object(o, "container");
	jsonw_str(o, "id", c->id);
	if (c->runtime[0])
		jsonw_str(o, "runtime", c->runtime);
	if (c->pod_uid[0])
		jsonw_str(o, "pod_uid", c->pod_uid);
	if (c->pod[0])
		jsonw_str(o, "pod", c->pod);
	if (c->ns[0])
		jsonw_str(o, "namespace", c->ns);
	if (c->image[0])
		jsonw_str(o, "image", c->image);
	jsonw_end(o);
}

static void u32_array(struct rtmon_jsonw *o, const char *key, const uint32_t *v, size_t n)
{
	jsonw_array(o, key);
	for (size_t i = 0; i < n; i++)
		jsonw_u64(o, NULL, v[i]);
	jsonw_end(o);
}

static void summary_json(struct rtmon_jsonw *o, const struct rtmon_alert *a)
{
	const struct rtmon_alert_summary *s = a->summary;
	char ts[40];

	jsonw_object(o, "summary");
	jsonw_str(o, "kind", a->summary_kind);
	jsonw_u64(o, "count", a->folded);
	fmt_time_rfc3339(a->first_ns, ts, sizeof(ts));
	jsonw_str(o, "first", ts);
	fmt_time_rfc3339(a->last_ns, ts, sizeof(ts));
	jsonw_str(o, "last", ts);
	if (s) {
		if (s->exe[0])
			jsonw_str(o, "exe", s->exe);
		if (s->parent_exe[0])
			jsonw_str(o, "parent_exe", s->parent_exe);
		if (s->object[0])
			jsonw_str(o, "object", s->object);
		if (s->cmdline[0])
			jsonw_str(o, "cmdline", s->cmdline);
		u32_array(o, "pids", s->seen.pids, s->seen.n_pids);
		u32_array(o, "ppids", s->seen.ppids, s->seen.n_ppids);
		u32_array(o, "uids", s->seen.uids, s->seen.n_uids);
		if (s->n_exes) {
			jsonw_array(o, "exes");
			for (size_t i = 0; i < s->n_exes; i++)
				jsonw_str(o, NULL, s->exes[i]);
			jsonw_end(o);
		}
	}
	jsonw_end(o);
}

static void entry_args_json(struct rtmon_jsonw *o, const struct rtmon_incident_entry *e)
{
	size_t i = 0;

	jsonw_array(o, "args");
	while (i < e->args_len) {
		size_t n = strnlen(e->args + i, e->args_len - i);

		jsonw_str(o, NULL, e->args + i); /* every kept string is NUL-terminated (incident.c) */
		i += n + 1;
	}
	jsonw_end(o);
	if (e->args_truncated)
		jsonw_bool(o, "args_truncated", true);
}

static void entry_json(struct rtmon_jsonw *o, const struct rtmon_incident_entry *e)
{
	char ts[40], num[24];

	jsonw_object(o, NULL);
	fmt_time_rfc3339(e->time_ns, ts, sizeof(ts));
	jsonw_str(o, "time", ts);
	jsonw_str(o, "type", event_type_name((enum rtmon_event_type)e->type));
	jsonw_u64(o, "pid", e->pid);
	if (e->ppid)
		jsonw_u64(o, "ppid", e->ppid);
	if (e->uid != RTMON_UID_UNSET)
		jsonw_u64(o, "uid", e->uid);
	jsonw_str(o, "exe", e->exe);
	if (e->type == RTMON_EV_EXEC)
		entry_args_json(o, e);
	if (e->type == RTMON_EV_FILE)
		jsonw_str(o, "path", e->args);
	if (e->addr[0])
		jsonw_str(o, e->type == RTMON_EV_MEMFD_CREATE ? "memfd_name" : "addr", e->addr);
	if (e->type == RTMON_EV_PTRACE)
		jsonw_str(o, "ptrace_request", names_label(rtmon_ptrace_names, e->ptrace_request, num, sizeof(num)));
	if (e->target_pid)
		jsonw_u64(o, "target_pid", e->target_pid);
	if (e->n_rules) {
		jsonw_array(o, "rules");
		for (size_t i = 0; i < e->n_rules; i++)
			jsonw_str(o, NULL, e->rules[i]);
		jsonw_end(o);
	}
	if (e->alert_id[0])
		jsonw_str(o, "alert_id", e->alert_id);
	jsonw_end(o);
}

static const char *const close_names[] = {
	[RTMON_INCIDENT_EXITED] = "exited",
	[RTMON_INCIDENT_IDLE] = "idle",
	[RTMON_INCIDENT_EVICTED] = "evicted",
	[RTMON_INCIDENT_SHUTDOWN] = "shutdown",
};

static void incident_json(struct rtmon_jsonw *o, const struct rtmon_incident *inc)
{
	const struct rtmon_incident_counts *c = &inc->counts;
	char ts[40];

	jsonw_object(o, "incident");
	jsonw_str(o, "state", inc->state == RTMON_INCIDENT_OPEN ? "open" : "closed");
	if (inc->state != RTMON_INCIDENT_OPEN)
		jsonw_str(o, "close_reason", close_names[inc->close_reason]);
	jsonw_u64(o, "update", inc->updates);
	fmt_time_rfc3339(inc->opened_ns, ts, sizeof(ts));
	jsonw_str(o, "opened", ts);
	fmt_time_rfc3339(inc->last_ns, ts, sizeof(ts));
	jsonw_str(o, "last_activity", ts);
	jsonw_u64(o, "root_pid", inc->root_pid);
	jsonw_str(o, "root_exe", inc->root_exe);
	jsonw_array(o, "rules");
	for (size_t i = 0; i < inc->n_rules; i++)
		jsonw_str(o, NULL, inc->rules[i]);
	jsonw_end(o);
	jsonw_object(o, "counts");
	jsonw_u64(o, "alerts", c->alerts);
	jsonw_u64(o, "matches", c->matches);
	jsonw_u64(o, "execs", c->execs);
	jsonw_u64(o, "connects", c->connects);
	jsonw_u64(o, "other_events", c->others);
	jsonw_u64(o, "processes", c->processes);
	jsonw_u64(o, "live_processes", c->live);
	jsonw_end(o);
	jsonw_u64(o, "entries_total", inc->entries_total);
	jsonw_u64(o, "entries_omitted", inc->entries_total - inc->n_entries);
	jsonw_array(o, "timeline");
	for (size_t i = 0; i < inc->n_entries; i++)
		entry_json(o, &inc->entries[i]);
	jsonw_end(o);
	jsonw_end(o);
}

const char *fmt_alert_json(struct rtmon_jsonw *o, const struct rtmon_alert *a)
{
	char ts[40];

	jsonw_start(o);
	jsonw_str(o, "kind", a->incident ? "incident" : "alert");
	jsonw_str(o, "id", a->id);
	if (a->incident_id[0])
		jsonw_str(o, "incident_id", a->incident_id);
	jsonw_str(o, "rule_id", a->rule_id);
	jsonw_str(o, "severity", severity_name(a->severity));
	jsonw_i64(o, "risk_score", a->risk_score);
	jsonw_str(o, "reason", a->reason);
	jsonw_array(o, "mitre");
	for (size_t i = 0; i < a->n_mitre; i++)
		jsonw_str(o, NULL, a->mitre[i]);
	jsonw_end(o);
	fmt_time_rfc3339(a->time_ns, ts, sizeof(ts));
	jsonw_str(o, "timestamp", ts);
	jsonw_str(o, "host", a->host ? a->host : "");
	if (a->description)
		jsonw_str(o, "description", a->description);
	if (a->event) {
		jsonw_object(o, "event");
		event_members(o, a->event, 0);
		jsonw_end(o);
	}
	lineage_json(o, a);
	if (a->container)
		container_json(o, a->container);
	if (a->addr[0])
		jsonw_str(o, "addr", a->addr);
	if (a->summary_kind)
		summary_json(o, a);
	if (a->incident)
		incident_json(o, a->incident);
	return jsonw_finish(o, NULL);
}

/* ---- reading (replay) ---- */

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
		v |= flag_from_name(t, json_object_get_string(json_object_array_get_idx(a, i)));
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
	fam = fmt_family_from_name(buf);
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
			ev->stdin_kind = (uint8_t)(fd_kind_from_name(json_object_get_string(v)) < 0
					   ? 0 : fd_kind_from_name(json_object_get_string(v)));
		if ((v = get(o, "stdout_type")) && json_object_is_type(v, json_type_string))
			ev->stdout_kind = (uint8_t)(fd_kind_from_name(json_object_get_string(v)) < 0
					    ? 0 : fd_kind_from_name(json_object_get_string(v)));
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
		int fam = fmt_family_from_name(buf);

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
		int64_t r = json_object_is_type(v, json_type_string)
				    ? fmt_ptrace_request_from_name(json_object_get_string(v))
				    : json_object_get_int64(v);

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
		if (get_u64(o, "inode", &u))
			ev->inode = u;
	}
	if (get_u32(o, "exit_code", &ev->exit_code))
		ev->has |= RTMON_HAS_EXIT;
	if ((v = get(o, "signal")) && json_object_is_type(v, json_type_string)) {
		ev->sig = fmt_signal_from_name(json_object_get_string(v));
		ev->has |= RTMON_HAS_SIGNAL;
	}
	if ((v = get(o, "bpf_cmd")) && json_object_is_type(v, json_type_string)) {
		int c = bpf_cmd_from_name(json_object_get_string(v));

		ev->bpf_cmd = c < 0 ? 0 : (uint32_t)c;
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
