/* SPDX-License-Identifier: MIT */
/*
 * config.c - libconfig file -> struct rtmon_config.
 *
 * Two trees are read: the built-in default (the shipped rtmon.conf, embedded)
 * and the user's file.  Each top-level section comes whole from the user's
 * file when it has it, else from the default; 'lists' is merged by name.  The
 * settings are never copied between trees, so every diagnostic keeps the
 * FILE:LINE it came from.  Every key is checked against a table (type, range):
 * a typo at any level is an error, not a silently ignored setting.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agg_alert.h"
#include "config.h"
#include "http_util.h"

#define BUILTIN_NAME "(built-in)"
#define OVERRIDE_NAME "-o"

enum key_type {
	K_BOOL,
	K_U32,
	K_STR,
	K_STRV,
	K_KB64,
	K_SEC_NS,
	K_SIZE,
	K_GROUP,
	K_SPECIAL
};

struct key {
	const char *name;
	enum key_type t;
	long long min, max;
	size_t off;
	const struct key *sub; /* K_GROUP: members, same base */
};

struct loader {
	config_t builtin, user;
	bool have_user;
	const char *path;
	const char *text; /* the user file's contents, read from memory; NULL: read the file at path */
	struct rtmon_diag *diag;
	struct rtmon_config *c;
	int err;
};

/* ---------------------------------------------------------------- diagnostics */

/* config_setting_set_hook() marker on settings an -o override set or created */
static char override_mark;

static const char *setting_file(const struct loader *L, const config_setting_t *s)
{
	const char *f = s ? config_setting_source_file(s) : NULL;

	if (s && config_setting_get_hook(s) == &override_mark)
		return OVERRIDE_NAME;

	if (f)
		return f;
	if (s && config_setting_source_line(s) == 0)
		return OVERRIDE_NAME; /* created by -o */
	return L->have_user && s && s->config == &L->user ? L->path : BUILTIN_NAME;
}

static void cerr(struct loader *L, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cerr(struct loader *L, const config_setting_t *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(L->diag, 1, setting_file(L, s),
		 s && config_setting_get_hook(s) != &override_mark ? (int)config_setting_source_line(s) : 0, "%s", msg);
	L->err = -EINVAL;
}

/* "outputs.syslog[0].url" */
static void setting_path(const config_setting_t *s, char *buf, size_t len)
{
	char tmp[256];

	buf[0] = '\0';
	for (; s && config_setting_parent(s); s = config_setting_parent(s)) {
		if (config_setting_name(s))
			snprintf(tmp, sizeof(tmp), "%s%s%s", config_setting_name(s), buf[0] && buf[0] != '[' ? "." : "",
				 buf);
		else
			snprintf(tmp, sizeof(tmp), "[%d]%s%s", config_setting_index(s),
				 buf[0] && buf[0] != '[' ? "." : "", buf);
		snprintf(buf, len, "%s", tmp);
	}
}

/* ---------------------------------------------------------------- tables */

#define OFF(f) offsetof(struct rtmon_config, f)
#define SOFF(f) offsetof(struct rtmon_syslog_conf, f)
#define SSEOFF(f) offsetof(struct rtmon_sse_conf, f)

static const struct key probe_keys[] = {
	{ "connect", K_BOOL, 0, 0, OFF(bpf.probe_connect), NULL },
	{ "ptrace", K_BOOL, 0, 0, OFF(bpf.probe_ptrace), NULL },
	{ "memfd", K_BOOL, 0, 0, OFF(bpf.probe_memfd), NULL },
	{ "mmap", K_BOOL, 0, 0, OFF(bpf.probe_mmap), NULL },
	{ "mprotect", K_BOOL, 0, 0, OFF(bpf.probe_mprotect), NULL },
	{ "vm_writev", K_BOOL, 0, 0, OFF(bpf.probe_vm_writev), NULL },
	{ "dup", K_BOOL, 0, 0, OFF(bpf.probe_dup), NULL },
	{ "file", K_BOOL, 0, 0, OFF(bpf.probe_file), NULL },
	{ "module", K_BOOL, 0, 0, OFF(bpf.probe_module), NULL },
	{ "socket", K_BOOL, 0, 0, OFF(bpf.probe_socket), NULL },
	{ "namespace", K_BOOL, 0, 0, OFF(bpf.probe_namespace), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key bpf_keys[] = {
	{ "ringbuf_kb", K_U32, 64, 1048576, OFF(bpf.ringbuf_kb), NULL },
	{ "wakeup_kb", K_U32, 0, 1048576, OFF(bpf.wakeup_kb), NULL },
	{ "poll_ms", K_U32, 1, 10000, OFF(bpf.poll_ms), NULL },
	{ "fold_window_ms", K_U32, 0, 600000, OFF(bpf.fold_window_ms), NULL },
	{ "file_exec_mmap", K_BOOL, 0, 0, OFF(bpf.file_exec_mmap), NULL },
	{ "btf_path", K_STR, 0, 0, OFF(bpf.btf_path), NULL },
	{ "hooks", K_SPECIAL, 0, 0, 0, NULL },
	{ "probes", K_GROUP, 0, 0, 0, probe_keys },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key sse_keys[] = {
	{ "enabled", K_BOOL, 0, 0, SSEOFF(enabled), NULL },
	{ "listen", K_STR, 0, 0, SSEOFF(listen), NULL },
	{ "token", K_STR, 0, 0, SSEOFF(token), NULL },
	{ "dashboard_dir", K_STR, 0, 0, SSEOFF(dashboard_dir), NULL },
	{ "allowed_origins", K_STRV, 0, 0, SSEOFF(allowed_origins), NULL },
	{ "max_clients", K_U32, 1, 65536, SSEOFF(max_clients), NULL },
	{ "history", K_U32, 0, 1048576, SSEOFF(history), NULL },
	{ "client_buffer_kb", K_U32, 16, 1048576, SSEOFF(client_buffer_kb), NULL },
	{ "keepalive_s", K_U32, 1, 3600, SSEOFF(keepalive_s), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key syslog_keys[] = {
	{ "url", K_SPECIAL, 0, 0, 0, NULL },
	{ "facility", K_SPECIAL, 0, 0, 0, NULL },
	{ "ca_file", K_STR, 0, 0, SOFF(ca_file), NULL },
	{ "cert_file", K_STR, 0, 0, SOFF(cert_file), NULL },
	{ "key_file", K_STR, 0, 0, SOFF(key_file), NULL },
	{ "tls_verify_hostname", K_BOOL, 0, 0, SOFF(tls_verify_hostname), NULL },
	{ "tls_server_name", K_STR, 0, 0, SOFF(tls_server_name), NULL },
	{ "pen", K_U32, 1, 4294967295LL, SOFF(pen), NULL },
	{ "bom", K_BOOL, 0, 0, SOFF(bom), NULL },
	{ "udp_max", K_U32, 480, 65507, SOFF(udp_max), NULL },
	{ "queue_max", K_U32, 1, 10000000, SOFF(queue_max), NULL },
	{ "spool_dir", K_STR, 0, 0, SOFF(spool_dir), NULL },
	{ "spool_max_kb", K_KB64, 0, 1LL << 40, SOFF(spool_max_bytes), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key outputs_keys[] = {
	{ "stdout", K_BOOL, 0, 0, OFF(outputs.stdout_json), NULL },
	{ "journal", K_BOOL, 0, 0, OFF(outputs.journal), NULL },
	{ "syslog", K_SPECIAL, 0, 0, 0, NULL },
	{ "sse", K_SPECIAL, 0, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key process_keys[] = {
	{ "max_processes", K_U32, 64, 4194304, OFF(process.max_processes), NULL },
	{ "hostname", K_STR, 0, 0, OFF(process.hostname), NULL },
	{ "cgroup_root", K_STR, 0, 0, OFF(process.cgroup_root), NULL },
	{ "pods_log_dir", K_STR, 0, 0, OFF(process.pods_log_dir), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key alerting_keys[] = {
	{ "fold_window_s", K_SEC_NS, 0, 86400, OFF(alerting.fold_window_ns), NULL },
	{ "rate_limit", K_U32, 0, 1000000, OFF(alerting.rate_limit), NULL },
	{ "rate_window_s", K_SEC_NS, 1, 86400, OFF(alerting.rate_window_ns), NULL },
	{ "max_keys", K_SIZE, 16, 1048576, OFF(alerting.max_keys), NULL },
	{ "incident_update_s", K_SEC_NS, 1, 3600, OFF(incidents.update_interval_ns), NULL },
	{ "incident_idle_s", K_SEC_NS, 1, 86400, OFF(incidents.idle_ns), NULL },
	{ "max_incidents", K_SIZE, 1, 65536, OFF(incidents.max_open), NULL },
	{ "incident_entries", K_SIZE, 1, 4096, OFF(incidents.max_entries), NULL },
	{ "incident_pids", K_SIZE, 16, 1048576, OFF(incidents.max_members), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const struct key aggregate_keys[] = {
	{ "nodes", K_STRV, 0, 0, OFF(aggregate.nodes), NULL },
	{ "discover", K_STR, 0, 0, OFF(aggregate.discover), NULL },
	{ "discover_interval_s", K_U32, 1, 86400, OFF(aggregate.discover_interval_s), NULL },
	{ "token", K_STR, 0, 0, OFF(aggregate.token), NULL },
	{ "user", K_STR, 0, 0, OFF(aggregate.user), NULL },
	{ "state_file", K_STR, 0, 0, OFF(aggregate.state_file), NULL },
	{ "seen_max", K_U32, 16, 16777216, OFF(aggregate.seen_max), NULL },
	{ "reconnect_max_s", K_U32, 1, 3600, OFF(aggregate.reconnect_max_s), NULL },
	{ "idle_timeout_s", K_U32, 5, 86400, OFF(aggregate.idle_timeout_s), NULL },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const char *const top_sections[] = {
	"bpf", "outputs", "process", "alerting", "aggregate", "lists", "exceptions", "rules", NULL,
};

/* ---------------------------------------------------------------- values */

static bool set_str(char **dst, const char *s)
{
	char *n = strdup(s ? s : "");

	if (!n)
		return false;
	free(*dst);
	*dst = n;
	return true;
}

static void strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static const char *type_word(enum key_type t)
{
	switch (t) {
	case K_BOOL:
		return "true or false";
	case K_STR:
		return "a string";
	case K_STRV:
		return "an array of strings";
	case K_GROUP:
		return "a group { ... }";
	default:
		return "an integer";
	}
}

static void check_value(struct loader *L, const config_setting_t *s, const struct key *k, void *base)
{
	char path[256];
	char *b = (char *)base + k->off;
	int t = config_setting_type(s);
	long long v;

	setting_path(s, path, sizeof(path));
	switch (k->t) {
	case K_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			goto bad_type;
		*(bool *)b = config_setting_get_bool(s);
		return;
	case K_STR:
		if (t != CONFIG_TYPE_STRING)
			goto bad_type;
		if (!set_str((char **)b, config_setting_get_string(s)))
			L->err = -ENOMEM;
		return;
	case K_STRV: {
		char **sv;
		int n;

		if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
			goto bad_type;
		n = config_setting_length(s);
		sv = calloc((size_t)n + 1, sizeof(*sv));
		if (!sv) {
			L->err = -ENOMEM;
			return;
		}
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				strv_free(sv);
				goto bad_type;
			}
			sv[i] = strdup(config_setting_get_string(e));
		}
		strv_free(*(char ***)b);
		*(char ***)b = sv;
		return;
	}
	case K_GROUP:
	case K_SPECIAL:
		return;
	default:
		break;
	}
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		goto bad_type;
	v = config_setting_get_int64(s);
	if (v < k->min || v > k->max) {
		cerr(L, s, "%s: %lld out of range %lld-%lld", path, v, k->min, k->max);
		return;
	}
	switch (k->t) {
	case K_U32:
		*(uint32_t *)b = (uint32_t)v;
		break;
	case K_KB64:
		*(uint64_t *)b = (uint64_t)v * 1024;
		break;
	case K_SEC_NS:
		*(uint64_t *)b = (uint64_t)v * 1000000000ull;
		break;
	case K_SIZE:
		*(size_t *)b = (size_t)v;
		break;
	default:
		break;
	}
	return;
bad_type:
	cerr(L, s, "%s must be %s", path, type_word(k->t));
}

/* Checks every member of group 'g' against 'keys'; 'special' handles K_SPECIAL keys. */
static void check_group(struct loader *L, const config_setting_t *g, const struct key *keys, void *base,
			void (*special)(struct loader *, const config_setting_t *, void *), void *sbase)
{
	char path[256];

	if (!config_setting_is_group(g)) {
		setting_path(g, path, sizeof(path));
		cerr(L, g, "%s must be a group { ... }", path);
		return;
	}
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const struct key *k;

		for (k = keys; k->name; k++)
			if (strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (!k->name) {
			setting_path(s, path, sizeof(path));
			cerr(L, s, "unknown key '%s'", path);
			continue;
		}
		if (k->t == K_GROUP)
			check_group(L, s, k->sub, base, NULL, NULL);
		else if (k->t == K_SPECIAL)
			special(L, s, sbase);
		else
			check_value(L, s, k, base);
	}
}

/* ---------------------------------------------------------------- syslog */

static const char *const facility_names[24] = {
	"kern",	  "user",   "mail",	"daemon", "auth",   "syslog",	"lpr",	   "news",
	"uucp",	  "cron",   "authpriv", "ftp",	  "ntp",    "security", "console", "solaris-cron",
	"local0", "local1", "local2",	"local3", "local4", "local5",	"local6",  "local7",
};

static int parse_facility(const config_setting_t *s)
{
	int t = config_setting_type(s);

	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		long long v = config_setting_get_int64(s);

		return v >= 0 && v <= 23 ? (int)v : -1;
	}
	if (t != CONFIG_TYPE_STRING)
		return -1;
	for (int i = 0; i < 24; i++)
		if (strcmp(facility_names[i], config_setting_get_string(s)) == 0)
			return i;
	return -1;
}

/* What getaddrinfo() can resolve: a DNS name or an IPv4 address (no spaces, no shell text). */
static bool host_name_ok(const char *h)
{
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && *h != '.' && *h != '-' && *h != '_')
			return false;
	return true;
}

static bool host_v6_ok(const char *h)
{
	struct sockaddr_storage sa;
	socklen_t len;
	char buf[INET6_ADDRSTRLEN + 16];

	snprintf(buf, sizeof(buf), "[%s]:1", h);
	return http_parse_listen(buf, &sa, &len) == 0;
}

/* udp|tcp|tls|relp://host[:port], host may be [v6]. Fills proto/host/port or returns a reason. */
static const char *parse_url(const char *url, struct rtmon_syslog_conf *sc)
{
	static const struct {
		const char *scheme;
		enum rtmon_syslog_proto p;
		uint16_t port;
	} schemes[] = {
		{ "udp://", RTMON_SYSLOG_UDP, 514 },
		{ "tcp://", RTMON_SYSLOG_TCP, 514 },
		{ "tls://", RTMON_SYSLOG_TLS, 6514 },
		{ "relp://", RTMON_SYSLOG_RELP, 2514 },
	};
	const char *p = NULL, *hend, *port = NULL;
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(url, schemes[i].scheme, strlen(schemes[i].scheme)) == 0) {
			p = url + strlen(schemes[i].scheme);
			break;
		}
	if (!p)
		return "scheme must be udp://, tcp://, tls:// or relp://";
	sc->proto = schemes[i].p;
	sc->port = schemes[i].port;
	if (*p == '[') {
		hend = strchr(p, ']');
		if (!hend || hend == p + 1)
			return "unterminated [IPv6] host";
		free(sc->host);
		sc->host = strndup(p + 1, (size_t)(hend - p - 1));
		hend++;
	} else {
		if (strchr(p, ':') && strchr(strchr(p, ':') + 1, ':'))
			return "IPv6 host must be in brackets";
		hend = p + strcspn(p, ":/");
		if (hend == p)
			return "missing host";
		free(sc->host);
		sc->host = strndup(p, (size_t)(hend - p));
		if (sc->host && !host_name_ok(sc->host))
			return "the host may only have letters, digits, '.', '-' and '_'";
	}
	if (!sc->host)
		return "out of memory";
	if (sc->host[0] && strchr(url, '[') && !host_v6_ok(sc->host))
		return "not an IPv6 address in [ ]";
	if (*hend == ':') {
		char *end;
		long v;

		port = hend + 1;
		errno = 0;
		v = strtol(port, &end, 10);
		if (errno || end == port || v < 1 || v > 65535 || (*end && strcmp(end, "/") != 0))
			return "bad port (1-65535)";
		sc->port = (uint16_t)v;
	} else if (*hend && strcmp(hend, "/") != 0) {
		return "unexpected text after the host";
	}
	return NULL;
}

static void syslog_defaults(struct rtmon_syslog_conf *sc)
{
	memset(sc, 0, sizeof(*sc));
	set_str(&sc->url, "");
	set_str(&sc->host, "");
	sc->facility = 4; /* auth */
	set_str(&sc->ca_file, "");
	set_str(&sc->cert_file, "");
	set_str(&sc->key_file, "");
	sc->tls_verify_hostname = true;
	set_str(&sc->tls_server_name, "");
	sc->pen = 32473; /* RFC 5612 documentation PEN: set your own */
	sc->bom = false;
	sc->udp_max = 2048;
	sc->queue_max = 10000;
	set_str(&sc->spool_dir, "");
	sc->spool_max_bytes = 64ull << 20;
}

static void syslog_special(struct loader *L, const config_setting_t *s, void *base)
{
	struct rtmon_syslog_conf *sc = base;
	char path[256];
	const char *why;
	int f;

	setting_path(s, path, sizeof(path));
	if (strcmp(config_setting_name(s), "facility") == 0) {
		if ((f = parse_facility(s)) < 0)
			cerr(L, s,
			     "%s: unknown syslog facility (kern user mail daemon auth syslog lpr news uucp cron "
			     "authpriv ftp local0-local7, or 0-23)",
			     path);
		else
			sc->facility = f;
		return;
	}
	/* url */
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		cerr(L, s, "%s must be a string", path);
		return;
	}
	set_str(&sc->url, config_setting_get_string(s));
	why = parse_url(sc->url, sc);
	if (why)
		cerr(L, s, "%s: bad syslog url '%s': %s", path, sc->url, why);
}

/*
 * TLS files must exist when the sink starts: a missing one is an error here,
 * as at start. Unreadable by whoever runs --check-config (a non-root
 * operator, a root-only key) is only a warning: the daemon may read it.
 */
static void check_tls_files(struct loader *L, const config_setting_t *g)
{
	static const char *const keys[] = { "ca_file", "cert_file", "key_file" };
	char path[256];
	struct stat st;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const config_setting_t *s = config_setting_get_member(g, keys[i]);
		const char *f = s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;

		if (!f || !f[0])
			continue;
		setting_path(s, path, sizeof(path));
		if (stat(f, &st) < 0)
			cerr(L, s, "%s: cannot use '%s': %s", path, f, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			cerr(L, s, "%s: '%s' is not a regular file", path, f);
		else if (access(f, R_OK) < 0)
			diag_add(L->diag, 0, setting_file(L, s), (int)config_setting_source_line(s),
				 "%s: '%s' is not readable by this user (%s); the daemon may still read it", path, f,
				 strerror(errno));
	}
}

static void check_syslog(struct loader *L, const config_setting_t *l)
{
	struct rtmon_config *c = L->c;
	int n;

	if (!config_setting_is_list(l) && !(config_setting_is_array(l) && config_setting_length(l) == 0)) {
		cerr(L, l, "outputs.syslog must be a list ( { url = ...; }, ... )");
		return;
	}
	n = config_setting_length(l);
	if (n > RTMON_SYSLOG_MAX) {
		cerr(L, l, "outputs.syslog: %d entries, at most %d", n, RTMON_SYSLOG_MAX);
		return;
	}
	c->outputs.syslog = calloc((size_t)n + 1, sizeof(*c->outputs.syslog));
	if (!c->outputs.syslog) {
		L->err = -ENOMEM;
		return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(l, (unsigned)i);
		struct rtmon_syslog_conf *sc = &c->outputs.syslog[i];

		syslog_defaults(sc);
		c->outputs.n_syslog++;
		check_group(L, g, syslog_keys, sc, syslog_special, sc);
		if (config_setting_is_group(g) && !config_setting_get_member(g, "url"))
			cerr(L, g, "outputs.syslog[%d]: missing 'url'", i);
		if (config_setting_is_group(g))
			check_tls_files(L, g);
	}
}

/*
 * What out_sse_new() refuses at start and reload, short of binding: an
 * address that is not HOST:PORT, and a listener off loopback without a token.
 */
static void check_sse(struct loader *L, const config_setting_t *g)
{
	const struct rtmon_sse_conf *sse = &L->c->outputs.sse;
	const config_setting_t *ls;
	struct sockaddr_storage sa;
	socklen_t len;

	check_group(L, g, sse_keys, &L->c->outputs.sse, NULL, NULL);
	if (!config_setting_is_group(g))
		return;
	ls = config_setting_get_member(g, "listen");
	if (!ls || config_setting_type(ls) != CONFIG_TYPE_STRING)
		return;
	if (http_parse_listen(sse->listen, &sa, &len) < 0) {
		cerr(L, ls,
		     "outputs.sse.listen: '%s' is not ADDRESS:PORT or [IPV6]:PORT "
		     "(a numeric address or localhost, port 0-65535)",
		     sse->listen);
		return;
	}
	if (sse->enabled && !http_addr_is_loopback((struct sockaddr *)&sa) && !(sse->token && sse->token[0]))
		cerr(L, ls,
		     "outputs.sse.listen: '%s' is not loopback and outputs.sse.token is empty: "
		     "alerts would be readable from the network (set a token or listen on 127.0.0.1)",
		     sse->listen);
}

static void outputs_special(struct loader *L, const config_setting_t *s, void *base)
{
	if (strcmp(config_setting_name(s), "syslog") == 0)
		check_syslog(L, s);
	else
		check_sse(L, s);
}

/* ---------------------------------------------------------------- bpf */

static const char *const hooks_names[RTMON_HOOKS_MAX] = { "auto", "lsm", "fentry", "kprobe", "tracepoint" };

const char *config_hooks_name(enum rtmon_hooks h)
{
	return (unsigned)h < RTMON_HOOKS_MAX ? hooks_names[h] : NULL;
}

/* bpf.hooks: one of hooks_names */
static void bpf_special(struct loader *L, const config_setting_t *s, void *base)
{
	const char *v = config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;

	(void)base;
	for (unsigned i = 0; v && i < RTMON_HOOKS_MAX; i++) {
		if (strcmp(v, hooks_names[i]) == 0) {
			L->c->bpf.hooks = (enum rtmon_hooks)i;
			return;
		}
	}
	cerr(L, s, "bpf.hooks must be one of \"auto\", \"lsm\", \"fentry\", \"kprobe\", \"tracepoint\"");
}

/* ---------------------------------------------------------------- defaults */

static int set_defaults(struct rtmon_config *c)
{
	c->bpf.ringbuf_kb = 2048;
	c->bpf.wakeup_kb = 256;
	c->bpf.poll_ms = 10;
	c->bpf.fold_window_ms = 1000;
	c->bpf.file_exec_mmap = false;
	c->bpf.hooks = RTMON_HOOKS_AUTO;
	c->bpf.probe_connect = c->bpf.probe_ptrace = c->bpf.probe_memfd = c->bpf.probe_mmap = true;
	c->bpf.probe_mprotect = c->bpf.probe_vm_writev = c->bpf.probe_dup = c->bpf.probe_file = true;
	c->bpf.probe_module = c->bpf.probe_socket = c->bpf.probe_namespace = true;
	c->outputs.stdout_json = false;
	c->outputs.journal = true;
	c->outputs.sse.enabled = false;
	c->outputs.sse.max_clients = 64;
	c->outputs.sse.history = 1024;
	c->outputs.sse.client_buffer_kb = 1024;
	c->outputs.sse.keepalive_s = 15;
	c->outputs.sse.allowed_origins = calloc(1, sizeof(char *));
	c->process.max_processes = 32768;
	c->aggregate.nodes = calloc(1, sizeof(char *));
	c->aggregate.discover_interval_s = 30;
	c->aggregate.seen_max = 65536;
	c->aggregate.reconnect_max_s = 30;
	c->aggregate.idle_timeout_s = 60;
	c->alerting.fold_window_ns = 60ull * 1000000000ull;
	c->alerting.rate_limit = 30;
	c->alerting.rate_window_ns = 60ull * 1000000000ull;
	c->alerting.max_keys = 4096;
	c->incidents.update_interval_ns = 5ull * 1000000000ull;
	c->incidents.idle_ns = 600ull * 1000000000ull;
	c->incidents.max_open = 128;
	c->incidents.max_entries = 64;
	c->incidents.max_members = 4096;
	if (!c->outputs.sse.allowed_origins || !set_str(&c->outputs.sse.listen, "127.0.0.1:8090") ||
	    !set_str(&c->outputs.sse.token, "") || !set_str(&c->outputs.sse.dashboard_dir, "") ||
	    !set_str(&c->process.hostname, "") || !set_str(&c->process.cgroup_root, "") ||
	    !set_str(&c->process.pods_log_dir, "/var/log/pods") || !set_str(&c->bpf.btf_path, "") ||
	    !c->aggregate.nodes || !set_str(&c->aggregate.discover, "") || !set_str(&c->aggregate.token, "") ||
	    !set_str(&c->aggregate.user, "rtmon") || !set_str(&c->aggregate.state_file, ""))
		return -ENOMEM;
	return 0;
}

struct rtmon_config *config_free(struct rtmon_config *c)
{
	if (!c)
		return NULL;
	free(c->path);
	for (size_t i = 0; i < c->outputs.n_syslog; i++) {
		struct rtmon_syslog_conf *sc = &c->outputs.syslog[i];

		free(sc->url);
		free(sc->host);
		free(sc->ca_file);
		free(sc->cert_file);
		free(sc->key_file);
		free(sc->tls_server_name);
		free(sc->spool_dir);
	}
	free(c->outputs.syslog);
	free(c->outputs.sse.listen);
	free(c->outputs.sse.token);
	free(c->outputs.sse.dashboard_dir);
	strv_free(c->outputs.sse.allowed_origins);
	free(c->process.hostname);
	free(c->process.cgroup_root);
	free(c->process.pods_log_dir);
	free(c->bpf.btf_path);
	strv_free(c->aggregate.nodes);
	free(c->aggregate.discover);
	free(c->aggregate.token);
	free(c->aggregate.user);
	free(c->aggregate.state_file);
	ruleset_free(c->rules);
	free(c);
	return NULL;
}

/* ---------------------------------------------------------------- loading */

/* The tree a top-level section comes from: the user's file when it has it. */
static config_setting_t *section(struct loader *L, const char *name)
{
	config_setting_t *s = NULL;

	if (L->have_user)
		s = config_setting_get_member(config_root_setting(&L->user), name);
	if (!s)
		s = config_setting_get_member(config_root_setting(&L->builtin), name);
	return s;
}

static config_t *section_tree(struct loader *L, const char *name)
{
	if (L->have_user && config_setting_get_member(config_root_setting(&L->user), name))
		return &L->user;
	return &L->builtin;
}

static bool parse_bool_text(const char *v, int *ret)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
		*ret = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
		*ret = 0;
	else
		return false;
	return true;
}

static bool parse_ll(const char *v, long long *ret)
{
	char *end;

	errno = 0;
	*ret = strtoll(v, &end, 0);
	return !errno && end != v && !*end;
}

static void override_err(struct loader *L, const char *ov, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void override_err(struct loader *L, const char *ov, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_add(L->diag, 1, OVERRIDE_NAME, 0, "'%s': %s", ov, msg);
	L->err = -EINVAL;
}

static int set_scalar(config_setting_t *s, const char *v)
{
	long long n;
	int b;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_BOOL:
		return parse_bool_text(v, &b) ? config_setting_set_bool(s, b) : -1;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		if (!parse_ll(v, &n))
			return -1;
		if (n < INT_MIN || n > INT_MAX)
			return config_setting_set_int64(s, n);
		return config_setting_set_int(s, (int)n);
	case CONFIG_TYPE_STRING:
		return config_setting_set_string(s, v);
	default:
		return -1;
	}
}

static void apply_override(struct loader *L, const char *ov)
{
	char path[512], *dot;
	const char *eq = strchr(ov, '='), *v;
	config_setting_t *s, *parent;
	config_t *tree;
	size_t len;
	long long n;
	int b, type;

	if (!eq || eq == ov || (size_t)(eq - ov) >= sizeof(path)) {
		override_err(L, ov, "expected PATH=VALUE, e.g. outputs.sse.enabled=true");
		return;
	}
	len = (size_t)(eq - ov);
	memcpy(path, ov, len);
	path[len] = '\0';
	v = eq + 1;
	dot = strchr(path, '.');
	if (dot)
		*dot = '\0';
	tree = section_tree(L, path);
	if (dot)
		*dot = '.';
	s = config_lookup(tree, path);
	if (s) {
		if (!config_setting_is_scalar(s)) {
			override_err(L, ov, "%s is not a scalar setting", path);
			return;
		}
		config_setting_set_hook(s, &override_mark);
		if (set_scalar(s, v) != CONFIG_TRUE)
			override_err(L, ov, "'%s' is not a valid %s", v,
				     config_setting_type(s) == CONFIG_TYPE_BOOL	  ? "boolean (true/false)" :
				     config_setting_type(s) == CONFIG_TYPE_STRING ? "string" :
										    "integer");
		return;
	}
	/* a new setting: its parent group must exist */
	dot = strrchr(path, '.');
	if (dot) {
		*dot = '\0';
		parent = config_lookup(tree, path);
		*dot = '.';
	} else {
		parent = config_root_setting(tree);
	}
	if (!parent || !config_setting_is_group(parent)) {
		override_err(L, ov, "no such setting %s", path);
		return;
	}
	if (parse_bool_text(v, &b) && strcmp(v, "0") && strcmp(v, "1"))
		type = CONFIG_TYPE_BOOL;
	else if (parse_ll(v, &n))
		type = n < INT_MIN || n > INT_MAX ? CONFIG_TYPE_INT64 : CONFIG_TYPE_INT;
	else
		type = CONFIG_TYPE_STRING;
	s = config_setting_add(parent, dot ? dot + 1 : path, type);
	if (s)
		config_setting_set_hook(s, &override_mark);
	if (!s || set_scalar(s, v) != CONFIG_TRUE)
		override_err(L, ov, "cannot set %s", path);
}

static bool generic_syntax(const config_t *t)
{
	return !config_error_text(t) || strcmp(config_error_text(t), "syntax error") == 0;
}

static bool read_user_file(struct loader *L)
{
	int ok = L->text ? config_read_string(&L->user, L->text) : config_read_file(&L->user, L->path);

	if (ok == CONFIG_TRUE)
		return true;
	if (config_error_type(&L->user) == CONFIG_ERR_FILE_IO)
		diag_add(L->diag, 1, L->path, 0, "cannot read the configuration: %s", strerror(errno ? errno : EIO));
	else
		/* libconfig says "syntax error" for most mistakes: say what usually causes it instead */
		diag_add(L->diag, 1, config_error_file(&L->user) ? config_error_file(&L->user) : L->path,
			 config_error_line(&L->user), "syntax error%s%s",
			 generic_syntax(&L->user) ? " at or before this line (a missing ';', '}', ')' or '\"' "
						    "is the usual cause)" :
						    ": ",
			 generic_syntax(&L->user) ? "" : config_error_text(&L->user));
	L->err = -EINVAL;
	return false;
}

static void check_top(struct loader *L, config_t *t)
{
	const config_setting_t *root = config_root_setting(t);

	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		bool known = false;

		for (const char *const *n = top_sections; *n && !known; n++)
			known = strcmp(*n, config_setting_name(s)) == 0;
		if (!known)
			cerr(L,
			     s, "unknown key '%s' (sections: bpf outputs process alerting aggregate lists exceptions rules)",
			     config_setting_name(s));
	}
}

/* aggregate = { ... }: every node address parses, the token fits a header (rtmond --aggregate). */
static void check_aggregate(struct loader *L, const config_setting_t *s)
{
	const struct rtmon_aggregate_conf *a = &L->c->aggregate;
	char host[256];
	uint16_t port;

	for (char **n = a->nodes; n && *n; n++)
		if (agg_split_hostport(*n, host, sizeof(host), &port) < 0)
			cerr(L, config_setting_get_member(s, "nodes"),
			     "aggregate.nodes: '%s' is not host:port "
			     "(a name or address and a port 1-65535; [v6addr]:port)",
			     *n);
	if (a->discover[0] && agg_split_hostport(a->discover, host, sizeof(host), &port) < 0)
		cerr(L, config_setting_get_member(s, "discover"), "aggregate.discover: '%s' is not name:port",
		     a->discover);
	if (a->token[0] && !agg_token_valid(a->token))
		cerr(L, config_setting_get_member(s, "token"),
		     "aggregate.token: printable ASCII without spaces, "
		     "at most 512 bytes");
	if (!a->user[0])
		cerr(L, config_setting_get_member(s, "user"), "aggregate.user: a user name is needed");
}

static void load_sections(struct loader *L)
{
	struct rtmon_config *c = L->c;
	const config_setting_t *s;
	struct rtmon_rules_env env = { { NULL, NULL }, NULL };
	config_setting_t *ulists = NULL, *blists;
	const char *rfile;

	if ((s = section(L, "bpf")))
		check_group(L, s, bpf_keys, c, bpf_special, NULL);
	if ((s = section(L, "outputs")))
		check_group(L, s, outputs_keys, c, outputs_special, NULL);
	if ((s = section(L, "process")))
		check_group(L, s, process_keys, c, NULL, NULL);
	if ((s = section(L, "alerting")))
		check_group(L, s, alerting_keys, c, NULL, NULL);
	if ((s = section(L, "aggregate"))) {
		check_group(L, s, aggregate_keys, c, NULL, NULL);
		check_aggregate(L, s);
	}
	if (L->have_user)
		ulists = config_setting_get_member(config_root_setting(&L->user), "lists");
	blists = config_setting_get_member(config_root_setting(&L->builtin), "lists");
	env.lists[0] = ulists ? ulists : blists;
	env.lists[1] = ulists ? blists : NULL;
	env.exceptions = section(L, "exceptions");
	s = section(L, "rules");
	if (!s) {
		cerr(L, NULL, "no 'rules' section");
		return;
	}
	rfile = setting_file(L, s);
	if (ruleset_compile_env(s, rfile, &env, &c->rules, L->diag) < 0)
		L->err = -EINVAL;
}

/* The default file is missing: say so, and which outputs that leaves off (a SIEM would otherwise wait in vain). */
static void note_builtin(struct loader *L)
{
	const struct rtmon_config *c = L->c;

	diag_add(L->diag, 0, RTMON_DEFAULT_CONFIG, 0,
		 "not found, running the built-in default configuration: outputs on:%s%s%s%s; off:%s%s%s%s "
		 "(create the file to configure them)",
		 c->outputs.journal ? " journal" : "", c->outputs.stdout_json ? " stdout" : "",
		 c->outputs.n_syslog ? " syslog" : "", c->outputs.sse.enabled ? " sse" : "",
		 c->outputs.journal ? "" : " journal", c->outputs.stdout_json ? "" : " stdout",
		 c->outputs.n_syslog ? "" : " syslog (no SIEM forwarding)", c->outputs.sse.enabled ? "" : " sse");
}

static int load(const char *path, const char *text, const char *const *overrides, size_t n_overrides,
		struct rtmon_config **ret, struct rtmon_diag *diag)
{
	struct loader L = { .path = path, .text = text, .diag = diag };
	bool fell_back = false;
	int r;

	if (!ret || !diag)
		return -EINVAL;
	config_init(&L.builtin);
	config_init(&L.user);
	L.c = calloc(1, sizeof(*L.c));
	if (!L.c || set_defaults(L.c) < 0) {
		r = -ENOMEM;
		goto out;
	}
	if (config_read_string(&L.builtin, config_builtin_text()) != CONFIG_TRUE) {
		diag_add(diag, 1, BUILTIN_NAME, config_error_line(&L.builtin), "syntax error: %s",
			 config_error_text(&L.builtin));
		L.err = -EINVAL;
		goto done;
	}
	if (!text && path && strcmp(path, RTMON_DEFAULT_CONFIG) == 0 && access(path, F_OK) < 0 && errno == ENOENT) {
		fell_back = true;
		path = NULL;
		L.path = NULL;
	}
	if (path) {
		if (!read_user_file(&L))
			goto done;
		L.have_user = true;
	}
	for (size_t i = 0; i < n_overrides; i++)
		apply_override(&L, overrides[i]);
	if (L.have_user)
		check_top(&L, &L.user);
	check_top(&L, &L.builtin);
	if (L.err)
		goto done;
	load_sections(&L);
	if (fell_back)
		note_builtin(&L);
	L.c->builtin = !L.have_user;
	if (!set_str(&L.c->path, L.have_user ? path : BUILTIN_NAME))
		L.err = -ENOMEM;
done:
	r = L.err;
	if (r == 0) {
		*ret = L.c;
		L.c = NULL;
	}
out:
	config_free(L.c);
	config_destroy(&L.builtin);
	config_destroy(&L.user);
	return r;
}

int config_load(const char *path, const char *const *overrides, size_t n_overrides, struct rtmon_config **ret,
		struct rtmon_diag *diag)
{
	return load(path, NULL, overrides, n_overrides, ret, diag);
}

int config_load_string(const char *name, const char *text, const char *const *overrides, size_t n_overrides,
		       struct rtmon_config **ret, struct rtmon_diag *diag)
{
	if (!name || !text)
		return -EINVAL;
	return load(name, text, overrides, n_overrides, ret, diag);
}
