/* SPDX-License-Identifier: MIT */
/* fmt_json.c - events and alerts as JSON lines (the writer; fmt_json_read.c reads events back). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "alerter.h"
#include "fmt_json.h"
#include "incident.h"
#include "names.h"
#include "timefmt.h"

/* Kernel constants by name: the tables in names.c, shared with the rule compiler and the replay reader. */
static const char *fmt_family_name(uint16_t family)
{
	return names_name(rtmon_family_names, family);
}

/* ---- writing ---- */

static void put_flags(struct rtmon_jsonw *w, const char *k, const struct rtmon_name_val *t, uint32_t v, int exact_low2)
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
		if (ev->file_mode)
			jsonw_u64(o, "file_mode", ev->file_mode);
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
		const char *n = names_name(rtmon_signal_names, ev->sig);

		if (n)
			jsonw_str(o, "signal", n);
		else
			jsonw_i64(o, "signal_number", ev->sig);
		if (!(ev->has & (RTMON_HAS_PTRACE | RTMON_HAS_TARGET))) /* a key once */
			jsonw_u64(o, "target_pid", ev->target_pid);
	}
	if (ev->has & RTMON_HAS_BPF) {
		const char *n = names_name(rtmon_bpf_cmd_names, ev->bpf_cmd);

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
	time_rfc3339(ev->time_ns, ts, sizeof(ts));
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
	time_rfc3339(a->first_ns, ts, sizeof(ts));
	jsonw_str(o, "first", ts);
	time_rfc3339(a->last_ns, ts, sizeof(ts));
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
	time_rfc3339(e->time_ns, ts, sizeof(ts));
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
	time_rfc3339(inc->opened_ns, ts, sizeof(ts));
	jsonw_str(o, "opened", ts);
	time_rfc3339(inc->last_ns, ts, sizeof(ts));
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
	time_rfc3339(a->time_ns, ts, sizeof(ts));
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
