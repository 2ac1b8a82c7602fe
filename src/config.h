/* SPDX-License-Identifier: MIT */
/*
 * config.h - the typed configuration (libconfig file -> struct rtmon_config).
 *
 * The built-in default is the shipped etc/rtmon/rtmon.conf, embedded at build
 * time; a top-level section the user's file omits keeps its default.
 * '-o PATH=VALUE' overrides one scalar by its libconfig path.  Every problem
 * is reported as FILE:LINE: message in a struct rtmon_diag.
 */
#ifndef RTMON_CONFIG_H
#define RTMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alerter.h"
#include "diag.h"
#include "incident.h"
#include "rules.h"

#define RTMON_DEFAULT_CONFIG "/etc/rtmon/rtmon.conf"
/* outputs.syslog entries: the daemon's RTMON_SINKS_MAX (32) less stdout, journal and sse (setup.c checks it) */
#define RTMON_SYSLOG_MAX 29

enum rtmon_syslog_proto {
	RTMON_SYSLOG_UDP,
	RTMON_SYSLOG_TCP,
	RTMON_SYSLOG_TLS,
	RTMON_SYSLOG_RELP
};

struct rtmon_syslog_conf {
	char *url; /* as written: udp://host:port, tcp://, tls://, relp:// */
	enum rtmon_syslog_proto proto;
	char *host;			      /* parsed from url */
	uint16_t port;			      /* parsed from url (defaults: udp 514, tcp 514, tls 6514, relp 2514) */
	int facility;			      /* 0-23; from a name: "auth" = 4, "local0" = 16, ... */
	char *ca_file, *cert_file, *key_file; /* "" = unset */
	bool tls_verify_hostname;	      /* default true */
	char *tls_server_name;		      /* "" = host */
	uint32_t pen;			      /* SD-ID rtmon@<pen> */
	bool bom;			      /* UTF-8 BOM before MSG */
	uint32_t udp_max;		      /* max datagram bytes, default 2048 (MSG trimmed to fit) */
	uint32_t queue_max;		      /* in-memory queue bound, alerts */
	char *spool_dir;		      /* "" = no on-disk spool */
	uint64_t spool_max_bytes;
};

struct rtmon_sse_conf {
	bool enabled;
	char *listen;		   /* "127.0.0.1:8090" */
	char *token;		   /* "" = no auth */
	char *dashboard_dir;	   /* "" = no static files */
	char **allowed_origins;	   /* CORS; NULL-terminated, may be empty */
	uint32_t max_clients;	   /* default 64 */
	uint32_t history;	   /* ring of recent alerts for Last-Event-ID, default 1024 */
	uint32_t client_buffer_kb; /* per-client cap before it is dropped, default 1024 */
	uint32_t keepalive_s;	   /* default 15 */
};

/* aggregate = { ... }: read by rtmond --aggregate only (src/aggregate.c, docs/OPERATIONS.md) */
struct rtmon_aggregate_conf {
	char **nodes;		      /* "host:port" of each node's listener; NULL-terminated, may be empty */
	char *discover;		      /* "name:port": every address the name resolves to is a node; "" = none */
	uint32_t discover_interval_s; /* default 30 */
	char *token;		      /* the nodes' outputs.sse.token; "" = none */
	char *user;		      /* the user to run as when started as root, default "rtmon" */
	char *state_file;	      /* last alert id forwarded per host; "" = none */
	uint32_t seen_max;	      /* (host, alert id) pairs remembered for dedupe, default 65536 */
	uint32_t reconnect_max_s;     /* back-off ceiling, default 30 */
	uint32_t idle_timeout_s;      /* a node silent this long (no alert, no keep-alive) is reconnected, default 60 */
};

/*
 * bpf.hooks: what carries the syscall events (mmap, ptrace, connect, file, ...). auto takes the first
 * the kernel offers in this order; a forced mode that cannot load falls back the same way.
 */
enum rtmon_hooks {
	RTMON_HOOKS_AUTO = 0,
	RTMON_HOOKS_LSM,	/* BPF LSM where the hook carries the data, fentry/fexit for the rest */
	RTMON_HOOKS_FENTRY,	/* fentry/fexit on the syscalls' kernel functions */
	RTMON_HOOKS_KPROBE,	/* kprobes on them */
	RTMON_HOOKS_TRACEPOINT, /* syscalls/sys_enter_* and sys_exit_* tracepoints (every syscall pays) */
	RTMON_HOOKS_MAX,
};

/* "auto", "lsm", ...; NULL for a value out of range. */
const char *config_hooks_name(enum rtmon_hooks h);

struct rtmon_config {
	char *path;   /* file it came from, or "(built-in)" */
	bool builtin; /* no file: the built-in default */

	struct {
		uint32_t ringbuf_kb;	 /* default 2048 */
		uint32_t wakeup_kb;	 /* batched wakeups: wake userspace at this fill, default 256 */
		uint32_t poll_ms;	 /* drain at least this often, default 10 */
		uint32_t fold_window_ms; /* kernel folding of mmap/mprotect repeats, default 1000 */
		bool file_exec_mmap;	 /* report file-backed read-only PROT_EXEC mmaps, default false */
		/* probes that can be switched off */
		bool probe_connect, probe_ptrace, probe_memfd, probe_mmap, probe_mprotect, probe_vm_writev, probe_dup,
			probe_file, probe_module, probe_socket, probe_namespace;
		char *btf_path;		/* the kernel's BTF when /sys/kernel/btf/vmlinux is absent; "" = none */
		enum rtmon_hooks hooks; /* which hooks carry the syscall events, default auto */
	} bpf;

	struct {
		bool stdout_json;
		bool journal;
		struct rtmon_syslog_conf *syslog;
		size_t n_syslog;
		struct rtmon_sse_conf sse;
	} outputs;

	struct {
		uint32_t max_processes; /* process table bound, default 32768 */
		char *hostname;		/* "" = gethostname() */
		char *cgroup_root;	/* "" = autodetect */
		char *pods_log_dir;	/* default /var/log/pods */
	} process;

	struct rtmon_aggregate_conf aggregate;

	struct rtmon_alerter_opts alerting;   /* alerting = { fold_window_s, rate_limit, rate_window_s } */
	struct rtmon_incident_opts incidents; /* alerting = { incident_update_s, incident_idle_s, ... } */

	struct rtmon_ruleset *rules; /* compiled */
};

/*
 * Loads 'path' (NULL = the built-in default only; a missing file at the
 * default path also falls back to the built-in default, with a warning in
 * diag), applies overrides ("a.b.c=value"), compiles the rules.
 * Returns 0 and *ret, or -EINVAL with every error in diag.
 */
int config_load(const char *path, const char *const *overrides, size_t n_overrides, struct rtmon_config **ret,
		struct rtmon_diag *diag);
/* The same with the file's contents in memory (text, NUL-terminated); 'name' stands for the file in diag. */
int config_load_string(const char *name, const char *text, const char *const *overrides, size_t n_overrides,
		       struct rtmon_config **ret, struct rtmon_diag *diag);
struct rtmon_config *config_free(struct rtmon_config *c);
/* The built-in default configuration text (the shipped rtmon.conf). */
const char *config_builtin_text(void);

#endif
