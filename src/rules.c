/* SPDX-License-Identifier: MIT */
/*
 * rules.c - the pure detection engine.
 *
 * A rule's condition is a string in a small expression language (see
 * docs/RULES.md), parsed once at compile time into a tree whose leaves hold
 * pre-built value sets (sorted string arrays for 'in', pattern arrays for
 * startswith/endswith/contains/glob, numeric ranges, CIDR blocks, flag masks).
 * Evaluation walks the tree with no allocation and records the leaves that
 * made the rule true, to write a reason naming the values that matched.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "names.h"
#include "rtmon_abi.h"
#include "rules.h"
#include "rules_fields.h"

#define RULE_ID_MAX 63
#define TOKEN_MAX 1024
#define REC_MAX 24
#define REASON_VALUE_MAX 96

/* ---------------------------------------------------------------- names */

static int ev_from_name(const char *s)
{
	enum rtmon_event_type t = event_type_from_name(s);

	return t == RTMON_EV_NONE ? -1 : (int)t;
}

/* risk_score when a rule gives none, by severity (info ... critical) */
static const int sev_default_score[] = { 10, 25, 50, 75, 90 };

/* name tables: src/names.c (shared with the JSON formatter) */

/* ---------------------------------------------------------------- fields */

struct field_def {
	const char *name;
	enum rf_id id;
	enum rf_kind kind;
	const struct rtmon_name_val *names; /* enumerated string values, or flag names */
};

static const struct field_def fields[] = {
	{ "type", F_TYPE, RF_STR, NULL },
	{ "exe", F_EXE, RF_STR, NULL },
	{ "exe_base", F_EXE_BASE, RF_STR, NULL },
	{ "program", F_PROGRAM, RF_STR, NULL },
	{ "args_truncated", F_ARGS_TRUNCATED, RF_BOOL, NULL },
	{ "prev_exe", F_PREV_EXE, RF_STR, NULL },
	{ "comm", F_COMM, RF_STR, NULL },
	{ "filename", F_FILENAME, RF_STR, NULL },
	{ "cwd", F_CWD, RF_STR, NULL },
	{ "args", F_ARGS, RF_MSTR, NULL },
	{ "cmdline", F_CMDLINE, RF_STR, NULL },
	{ "argc", F_ARGC, RF_NUM, NULL },
	{ "cgroup", F_CGROUP, RF_STR, NULL },
	{ "memfd_name", F_MEMFD_NAME, RF_STR, NULL },
	{ "path", F_PATH, RF_STR, NULL },
	{ "file_op", F_FILE_OP, RF_MSTR, rtmon_file_op_names },
	{ "euid", F_EUID, RF_NUM, NULL },
	{ "fsuid", F_FSUID, RF_NUM, NULL },
	{ "cap_eff", F_CAP_EFF, RF_NUM, NULL },
	{ "prev_uid", F_PREV_UID, RF_NUM, NULL },
	{ "setuid_image", F_SETUID_IMAGE, RF_BOOL, NULL },
	{ "exe_setuid", F_EXE_SETUID, RF_BOOL, NULL },
	{ "env", F_ENV, RF_MSTR, NULL },
	{ "preload", F_PRELOAD, RF_MSTR, NULL },
	{ "library_path", F_LIBRARY_PATH, RF_MSTR, NULL },
	{ "env_truncated", F_ENV_TRUNCATED, RF_BOOL, NULL },
	{ "compat", F_COMPAT, RF_BOOL, NULL },
	{ "map_file", F_MAP_FILE, RF_MSTR, rtmon_map_file_names },
	{ "child_pid", F_CHILD_PID, RF_NUM, NULL },
	{ "module_name", F_MODULE_NAME, RF_STR, NULL },
	{ "module_taints", F_MODULE_TAINTS, RF_NUM, NULL },
	{ "module_out_of_tree", F_MODULE_OOT, RF_BOOL, NULL },
	{ "module_unsigned", F_MODULE_UNSIGNED, RF_BOOL, NULL },
	{ "bpf_prog_type", F_BPF_PROG_TYPE, RF_STR, NULL },
	{ "bpf_prog_name", F_BPF_PROG_NAME, RF_STR, NULL },
	{ "sock_type", F_SOCK_TYPE, RF_STR, rtmon_sock_type_names },
	{ "local_addr", F_LOCAL_ADDR, RF_ADDR, NULL },
	{ "local_port", F_LOCAL_PORT, RF_NUM, NULL },
	{ "ns_op", F_NS_OP, RF_STR, rtmon_ns_op_names },
	{ "ns_flags", F_NS_FLAGS, RF_MSTR, rtmon_ns_flag_names },
	{ "mount_op", F_MOUNT_OP, RF_STR, rtmon_mount_op_names },
	{ "mount_source", F_MOUNT_SOURCE, RF_STR, NULL },
	{ "mount_target", F_MOUNT_TARGET, RF_STR, NULL },
	{ "mount_fstype", F_MOUNT_FSTYPE, RF_STR, NULL },
	{ "unix_path", F_UNIX_PATH, RF_STR, NULL },
	{ "pid", F_PID, RF_NUM, NULL },
	{ "ppid", F_PPID, RF_NUM, NULL },
	{ "uid", F_UID, RF_NUM, NULL },
	{ "gid", F_GID, RF_NUM, NULL },
	{ "auid", F_AUID, RF_NUM, NULL },
	{ "target_pid", F_TARGET_PID, RF_NUM, NULL },
	{ "target_ppid", F_TARGET_PPID, RF_NUM, NULL },
	{ "fd", F_FD, RF_NUM, NULL },
	{ "oldfd", F_OLDFD, RF_NUM, NULL },
	{ "newfd", F_NEWFD, RF_NUM, NULL },
	{ "dst_port", F_DST_PORT, RF_NUM, NULL },
	{ "exit_code", F_EXIT_CODE, RF_NUM, NULL },
	{ "family", F_FAMILY, RF_STR, rtmon_family_names },
	{ "protocol", F_PROTOCOL, RF_STR, rtmon_protocol_names },
	{ "dst_addr", F_DST_ADDR, RF_ADDR, NULL },
	{ "ptrace_request", F_PTRACE_REQUEST, RF_STR, rtmon_ptrace_names },
	{ "prot", F_PROT, RF_FLAGS, rtmon_prot_names },
	{ "flags", F_FLAGS, RF_FLAGS, rtmon_mmap_flag_names },
	{ "memfd_flags", F_MEMFD_FLAGS, RF_FLAGS, rtmon_memfd_flag_names },
	{ "exe_memfd", F_EXE_MEMFD, RF_BOOL, NULL },
	{ "exe_deleted", F_EXE_DELETED, RF_BOOL, NULL },
	{ "stdin_socket", F_STDIN_SOCKET, RF_BOOL, NULL },
	{ "stdout_socket", F_STDOUT_SOCKET, RF_BOOL, NULL },
	{ "vma_anon", F_VMA_ANON, RF_BOOL, NULL },
	{ "vma_write", F_VMA_WRITE, RF_BOOL, NULL },
	{ "vma_exec", F_VMA_EXEC, RF_BOOL, NULL },
	{ "target_is_child", F_TARGET_IS_CHILD, RF_BOOL, NULL },
	{ "target_is_self", F_TARGET_IS_SELF, RF_BOOL, NULL },
	{ "target_is_parent", F_TARGET_IS_PARENT, RF_BOOL, NULL },
	{ "stdin_peer.family", F_STDIN_FAMILY, RF_STR, rtmon_family_names },
	{ "stdin_peer.addr", F_STDIN_ADDR, RF_ADDR, NULL },
	{ "stdin_peer.port", F_STDIN_PORT, RF_NUM, NULL },
	{ "stdout_peer.family", F_STDOUT_FAMILY, RF_STR, rtmon_family_names },
	{ "stdout_peer.addr", F_STDOUT_ADDR, RF_ADDR, NULL },
	{ "stdout_peer.port", F_STDOUT_PORT, RF_NUM, NULL },
	{ "stdin_type", F_STDIN_TYPE, RF_STR, rtmon_fd_kind_names },
	{ "stdout_type", F_STDOUT_TYPE, RF_STR, rtmon_fd_kind_names },
	{ "stdin_pipe_peer.exe", F_STDIN_PEER_EXE, RF_STR, NULL },
	{ "stdin_pipe_peer.exe_base", F_STDIN_PEER_EXE_BASE, RF_STR, NULL },
	{ "stdout_pipe_peer.exe", F_STDOUT_PEER_EXE, RF_STR, NULL },
	{ "stdout_pipe_peer.exe_base", F_STDOUT_PEER_EXE_BASE, RF_STR, NULL },
	{ "parent.exe", F_PARENT_EXE, RF_STR, NULL },
	{ "parent.exe_base", F_PARENT_EXE_BASE, RF_STR, NULL },
	{ "parent.comm", F_PARENT_COMM, RF_STR, NULL },
	{ "parent.uid", F_PARENT_UID, RF_NUM, NULL },
	{ "parent.filename", F_PARENT_FILENAME, RF_STR, NULL },
	{ "ancestor.exe", F_ANC_EXE, RF_MSTR, NULL },
	{ "ancestor.exe_base", F_ANC_EXE_BASE, RF_MSTR, NULL },
	{ "ancestor.comm", F_ANC_COMM, RF_MSTR, NULL },
	{ "ancestor.filename", F_ANC_FILENAME, RF_MSTR, NULL },
	{ "container", F_IN_CONTAINER, RF_BOOL, NULL },
	{ "container.id", F_CONT_ID, RF_STR, NULL },
	{ "container.image", F_CONT_IMAGE, RF_STR, NULL },
	{ "container.namespace", F_CONT_NS, RF_STR, NULL },
	{ "container.pod", F_CONT_POD, RF_STR, NULL },
	{ "container.runtime", F_CONT_RUNTIME, RF_STR, NULL },
};

static const struct field_def *field_find(const char *name)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

/* ---------------------------------------------------------------- tree */

enum node_op { N_AND, N_OR, N_NOT, N_LEAF };

enum cmp_op {
	C_PRESENT, /* bare field: present (bool: true) */
	C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE,
	C_IN, C_NOT_IN,
	C_STARTS, C_ENDS, C_CONTAINS, C_GLOB,
	C_HAS, /* flags: all bits of mask set */
};

static const char *const cmp_names[] = {
	[C_PRESENT] = "", [C_EQ] = "=", [C_NE] = "!=", [C_LT] = "<", [C_LE] = "<=",
	[C_GT] = ">", [C_GE] = ">=", [C_IN] = "in", [C_NOT_IN] = "not in",
	[C_STARTS] = "startswith", [C_ENDS] = "endswith", [C_CONTAINS] = "contains",
	[C_GLOB] = "glob", [C_HAS] = "has",
};

struct num_range {
	int64_t lo, hi;
};

struct cidr {
	int family; /* AF_INET / AF_INET6 */
	int bits;
	uint8_t addr[16];
};

/* A glob pattern, classified at compile time: most are plain words, prefixes or suffixes. */
enum gp_kind { GP_EXACT, GP_PREFIX, GP_SUFFIX, GP_CONTAINS, GP_FNMATCH };

struct gpat {
	enum gp_kind kind;
	const char *s;   /* the literal part (points into strs[]) */
	size_t len;
};

struct node {
	enum node_op op;
	struct node *l, *r;
	/* leaf */
	const struct field_def *f;
	enum cmp_op cmp;
	char **strs;            /* sorted for C_IN / C_NOT_IN, else patterns */
	size_t n_strs;
	struct num_range *nums; /* C_IN / C_NOT_IN on numbers; [0] for scalar compares */
	size_t n_nums;
	struct cidr *cidrs;     /* address fields with = != in 'not in' */
	size_t n_cidrs;
	struct gpat *gp;        /* C_GLOB */
	uint32_t mask;          /* C_HAS */
	unsigned depth;         /* ancestorN.*: only the nearest N ancestors (0 = all) */
};

static void node_free(struct node *n)
{
	if (!n)
		return;
	node_free(n->l);
	node_free(n->r);
	for (size_t i = 0; i < n->n_strs; i++)
		free(n->strs[i]);
	free(n->strs);
	free(n->nums);
	free(n->cidrs);
	free(n->gp);
	free(n);
}

struct rule {
	struct rtmon_rule_info info;
	char *id, *description;
	char *mitre[RTMON_MITRE_MAX];
	bool enabled;
	uint32_t events;
	int line;
	struct node *cond;
	struct node **exc;
	size_t n_exc;
};

struct rtmon_ruleset {
	struct rule *rules;
	size_t n;
	uint32_t mask;
};

/* ---------------------------------------------------------------- parser */

struct parser {
	const char *src, *p;
	const struct rtmon_rules_env *env;
	char err[200];
	/* current token */
	enum { T_END, T_WORD, T_STR, T_LP, T_RP, T_COMMA, T_OP } t;
	char tok[TOKEN_MAX];
};

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err[0])
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_word_char(char c)
{
	return c && !isspace((unsigned char)c) && !strchr("()[],'\"=!<>", c);
}

static int next_tok(struct parser *ps)
{
	const char *p = ps->p;
	size_t n = 0;

	while (isspace((unsigned char)*p))
		p++;
	ps->tok[0] = '\0';
	if (!*p) {
		ps->t = T_END;
		ps->p = p;
		return 0;
	}
	if (*p == '(' || *p == '[' || *p == ')' || *p == ']' || *p == ',') {
		ps->t = (*p == '(' || *p == '[') ? T_LP : (*p == ',') ? T_COMMA : T_RP;
		ps->tok[0] = *p;
		ps->tok[1] = '\0';
		ps->p = p + 1;
		return 0;
	}
	if (*p == '\'' || *p == '"') {
		char q = *p++;

		while (*p && *p != q) {
			if (*p == '\\' && p[1])
				p++;
			if (n + 1 >= sizeof(ps->tok))
				return perr(ps, "string too long");
			ps->tok[n++] = *p++;
		}
		if (*p != q)
			return perr(ps, "unterminated string");
		ps->tok[n] = '\0';
		ps->t = T_STR;
		ps->p = p + 1;
		return 0;
	}
	if (strchr("=!<>", *p)) {
		ps->tok[n++] = *p++;
		if (*p == '=')
			ps->tok[n++] = *p++;
		ps->tok[n] = '\0';
		ps->t = T_OP;
		ps->p = p;
		if (strcmp(ps->tok, "!") == 0)
			return perr(ps, "unknown operator '!'");
		return 0;
	}
	while (is_word_char(*p)) {
		if (n + 1 >= sizeof(ps->tok))
			return perr(ps, "word too long");
		ps->tok[n++] = *p++;
	}
	ps->tok[n] = '\0';
	ps->t = T_WORD;
	ps->p = p;
	return 0;
}

static bool tok_is(const struct parser *ps, const char *kw)
{
	return ps->t == T_WORD && strcmp(ps->tok, kw) == 0;
}

/* A growable array of strings collected while parsing values. */
struct strv {
	char **v;
	size_t n, cap;
};

static int strv_add(struct strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n] = strdup(s);
	if (!sv->v[sv->n])
		return -ENOMEM;
	sv->n++;
	return 0;
}

static void strv_clear(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static const config_setting_t *list_find(const struct rtmon_rules_env *env, const char *name)
{
	for (int i = 0; i < 2; i++) {
		const config_setting_t *s;

		if (!env || !env->lists[i])
			continue;
		s = config_setting_get_member(env->lists[i], name);
		if (s)
			return s;
	}
	return NULL;
}

static int list_splice(struct parser *ps, const char *name, struct strv *sv)
{
	const config_setting_t *l = list_find(ps->env, name);
	char buf[32];

	if (!l)
		return perr(ps, "unknown list '%s'", name);
	for (int i = 0; i < config_setting_length(l); i++) {
		const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
		const char *s;

		switch (config_setting_type(e)) {
		case CONFIG_TYPE_STRING:
			s = config_setting_get_string(e);
			break;
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			snprintf(buf, sizeof(buf), "%lld", config_setting_get_int64(e));
			s = buf;
			break;
		default:
			return perr(ps, "list '%s' may hold only strings and integers", name);
		}
		if (strv_add(sv, s) < 0)
			return -ENOMEM;
	}
	return 0;
}

/*
 * Values after an operator: one word or 'string', '@list', or a
 * parenthesised set "(a, 'b c', @list)". 'bare_list': a bare word names a
 * list (after 'in').
 */
static int parse_values(struct parser *ps, struct strv *sv, bool bare_list, bool *ret_set)
{
	int r;

	*ret_set = false;
	if (ps->t == T_LP) {
		*ret_set = true;
		if ((r = next_tok(ps)) < 0)
			return r;
		while (ps->t != T_RP) {
			if (ps->t == T_WORD && ps->tok[0] == '@')
				r = list_splice(ps, ps->tok + 1, sv);
			else if (ps->t == T_WORD || ps->t == T_STR)
				r = strv_add(sv, ps->tok);
			else
				return perr(ps, "expected a value or ')' in a set, got '%s'",
					    ps->t == T_END ? "end of condition" : ps->tok);
			if (r < 0)
				return r;
			if ((r = next_tok(ps)) < 0)
				return r;
			if (ps->t == T_COMMA) {
				if ((r = next_tok(ps)) < 0)
					return r;
			} else if (ps->t != T_RP) {
				return perr(ps, "expected ',' or ')' in a set, got '%s'",
					    ps->t == T_END ? "end of condition" : ps->tok);
			}
		}
		return next_tok(ps);
	}
	if (ps->t == T_WORD && (ps->tok[0] == '@' || bare_list)) {
		*ret_set = true;
		r = list_splice(ps, ps->tok[0] == '@' ? ps->tok + 1 : ps->tok, sv);
	} else if (ps->t == T_WORD || ps->t == T_STR) {
		r = strv_add(sv, ps->tok);
	} else {
		return perr(ps, "expected a value, got '%s'",
			    ps->t == T_END ? "end of condition" : ps->tok);
	}
	if (r < 0)
		return r;
	return next_tok(ps);
}

static int parse_int(const char *s, int64_t *ret)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_cidr(const char *s, struct cidr *ret)
{
	char buf[80];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	int64_t bits;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(ret, 0, sizeof(*ret));
	if (inet_pton(AF_INET, buf, ret->addr) == 1) {
		ret->family = AF_INET;
		ret->bits = 32;
	} else if (inet_pton(AF_INET6, buf, ret->addr) == 1) {
		ret->family = AF_INET6;
		ret->bits = 128;
	} else {
		return -EINVAL;
	}
	if (slash) {
		if (parse_int(slash + 1, &bits) < 0 || bits < 0 || bits > ret->bits ||
		    !isdigit((unsigned char)slash[1]))
			return -EINVAL;
		ret->bits = (int)bits;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_meta(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '\\')
			return true;
	return false;
}

/* fnmatch() only for the patterns that need it: "x", "x*", "*x", "*x*" are compared directly. */
static int glob_classify(struct node *n)
{
	n->gp = calloc(n->n_strs ? n->n_strs : 1, sizeof(*n->gp));
	if (!n->gp)
		return -ENOMEM;
	for (size_t i = 0; i < n->n_strs; i++) {
		const char *p = n->strs[i];
		size_t len = strlen(p);
		struct gpat *g = &n->gp[i];
		bool lead = len > 0 && p[0] == '*', trail = len > 1 && p[len - 1] == '*';

		g->kind = GP_FNMATCH;
		g->s = p;
		g->len = len;
		if (!has_meta(p, len)) {
			g->kind = GP_EXACT;
		} else if (lead && trail && len > 2 && !has_meta(p + 1, len - 2)) {
			g->kind = GP_CONTAINS;
			g->s = p + 1;
			g->len = len - 2;
		} else if (trail && !has_meta(p, len - 1)) {
			g->kind = GP_PREFIX;
			g->len = len - 1;
		} else if (lead && !has_meta(p + 1, len - 1)) {
			g->kind = GP_SUFFIX;
			g->s = p + 1;
			g->len = len - 1;
		}
	}
	return 0;
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

static int leaf_values_str(struct parser *ps, struct node *n, struct strv *sv)
{
	const struct field_def *f = n->f;

	/* enumerated values: reject typos at compile time */
	if (f->names && (n->cmp == C_EQ || n->cmp == C_NE || n->cmp == C_IN || n->cmp == C_NOT_IN)) {
		for (size_t i = 0; i < sv->n; i++) {
			int64_t v;

			if (!names_find(f->names, sv->v[i]) &&
			    !(f->id == F_PTRACE_REQUEST && parse_int(sv->v[i], &v) == 0))
				return perr(ps, "unknown value '%s' for field '%s'", sv->v[i], f->name);
		}
	}
	if (f->id == F_TYPE && (n->cmp == C_EQ || n->cmp == C_NE || n->cmp == C_IN || n->cmp == C_NOT_IN)) {
		for (size_t i = 0; i < sv->n; i++)
			if (ev_from_name(sv->v[i]) < 0)
				return perr(ps, "unknown event type '%s'", sv->v[i]);
	}
	n->strs = sv->v;
	n->n_strs = sv->n;
	memset(sv, 0, sizeof(*sv));
	if (n->cmp == C_IN || n->cmp == C_NOT_IN || n->cmp == C_EQ || n->cmp == C_NE)
		qsort(n->strs, n->n_strs, sizeof(char *), cmp_str);
	if (n->cmp == C_GLOB)
		return glob_classify(n);
	return 0;
}

static int leaf_values(struct parser *ps, struct node *n, struct strv *sv, bool is_set)
{
	const struct field_def *f = n->f;
	bool scalar = n->cmp == C_EQ || n->cmp == C_NE || n->cmp == C_LT || n->cmp == C_LE ||
		      n->cmp == C_GT || n->cmp == C_GE;

	if (scalar && (is_set || sv->n != 1))
		return perr(ps, "'%s' takes one value; use 'in' for a set", cmp_names[n->cmp]);
	switch (f->kind) {
	case RF_STR:
	case RF_MSTR:
		if (n->cmp == C_LT || n->cmp == C_LE || n->cmp == C_GT || n->cmp == C_GE || n->cmp == C_HAS)
			goto bad_op;
		return leaf_values_str(ps, n, sv);
	case RF_ADDR:
		if (n->cmp == C_LT || n->cmp == C_LE || n->cmp == C_GT || n->cmp == C_GE || n->cmp == C_HAS)
			goto bad_op;
		if (n->cmp == C_EQ || n->cmp == C_NE || n->cmp == C_IN || n->cmp == C_NOT_IN) {
			n->cidrs = calloc(sv->n ? sv->n : 1, sizeof(*n->cidrs));
			if (!n->cidrs)
				return -ENOMEM;
			for (size_t i = 0; i < sv->n; i++, n->n_cidrs++)
				if (parse_cidr(sv->v[i], &n->cidrs[i]) < 0)
					return perr(ps, "bad address or CIDR '%s' for field '%s'", sv->v[i],
						    f->name);
			return 0;
		}
		return leaf_values_str(ps, n, sv);
	case RF_NUM:
		if (n->cmp != C_IN && n->cmp != C_NOT_IN && !scalar)
			goto bad_op;
		n->nums = calloc(sv->n ? sv->n : 1, sizeof(*n->nums));
		if (!n->nums)
			return -ENOMEM;
		for (size_t i = 0; i < sv->n; i++, n->n_nums++) {
			char *dots = strstr(sv->v[i], "..");
			struct num_range *nr = &n->nums[i];

			if (dots && !scalar) {
				*dots = '\0';
				if (parse_int(sv->v[i], &nr->lo) < 0 || parse_int(dots + 2, &nr->hi) < 0 ||
				    nr->lo > nr->hi) {
					*dots = '.';
					return perr(ps, "bad range '%s' for field '%s'", sv->v[i], f->name);
				}
			} else if (parse_int(sv->v[i], &nr->lo) < 0) {
				return perr(ps, "bad number '%s' for field '%s'", sv->v[i], f->name);
			} else {
				nr->hi = nr->lo;
			}
		}
		return 0;
	case RF_BOOL:
		if (n->cmp != C_EQ && n->cmp != C_NE)
			goto bad_op;
		if (strcmp(sv->v[0], "true") == 0)
			n->mask = 1;
		else if (strcmp(sv->v[0], "false") == 0)
			n->mask = 0;
		else
			return perr(ps, "field '%s' is true or false, not '%s'", f->name, sv->v[0]);
		return 0;
	case RF_FLAGS:
		if (n->cmp != C_HAS)
			goto bad_op;
		for (size_t i = 0; i < sv->n; i++) {
			const struct rtmon_name_val *nv = names_find(f->names, sv->v[i]);
			int64_t v;

			if (nv)
				n->mask |= (uint32_t)nv->val;
			else if (parse_int(sv->v[i], &v) == 0 && v >= 0 && v <= UINT32_MAX)
				n->mask |= (uint32_t)v;
			else
				return perr(ps, "unknown flag '%s' for field '%s'", sv->v[i], f->name);
		}
		return 0;
	}
bad_op:
	return perr(ps, "operator '%s' does not apply to field '%s'", cmp_names[n->cmp], f->name);
}

static struct node *node_new(enum node_op op, struct node *l, struct node *r)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n) {
		node_free(l);
		node_free(r);
		return NULL;
	}
	n->op = op;
	n->l = l;
	n->r = r;
	return n;
}

static bool at_expr_end(const struct parser *ps)
{
	return ps->t == T_END || ps->t == T_RP || tok_is(ps, "and") || tok_is(ps, "or");
}

static int parse_op(struct parser *ps, enum cmp_op *ret)
{
	static const struct { const char *s; enum cmp_op c; } ops[] = {
		{ "=", C_EQ }, { "==", C_EQ }, { "!=", C_NE }, { "<", C_LT }, { "<=", C_LE },
		{ ">", C_GT }, { ">=", C_GE }, { "in", C_IN }, { "startswith", C_STARTS },
		{ "endswith", C_ENDS }, { "contains", C_CONTAINS }, { "glob", C_GLOB }, { "has", C_HAS },
	};
	int r;

	if (tok_is(ps, "not")) {
		if ((r = next_tok(ps)) < 0)
			return r;
		if (!tok_is(ps, "in"))
			return perr(ps, "unknown operator 'not %s'", ps->tok);
		*ret = C_NOT_IN;
		return next_tok(ps);
	}
	if (ps->t == T_OP || ps->t == T_WORD) {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			if (strcmp(ops[i].s, ps->tok) == 0) {
				*ret = ops[i].c;
				return next_tok(ps);
			}
		}
	}
	return perr(ps, "unknown operator '%s'", ps->t == T_END ? "end of condition" : ps->tok);
}

static int parse_pred(struct parser *ps, struct node **ret)
{
	struct strv sv = { 0 };
	struct node *n;
	bool is_set;
	int r;

	if (ps->t != T_WORD)
		return perr(ps, "expected a field name, got '%s'",
			    ps->t == T_END ? "end of condition" : ps->tok);
	n = node_new(N_LEAF, NULL, NULL);
	if (!n)
		return -ENOMEM;
	n->f = field_find(ps->tok);
	if (!n->f && strncmp(ps->tok, "ancestor", 8) == 0 && ps->tok[8] >= '1' && ps->tok[8] <= '8' &&
	    ps->tok[9] == '.') {
		/* ancestorN.field: the nearest N ancestors only (ancestor1 = the parent) */
		char name[TOKEN_MAX];

		snprintf(name, sizeof(name), "ancestor%s", ps->tok + 9);
		n->f = field_find(name);
		n->depth = (unsigned)(ps->tok[8] - '0');
	}
	if (!n->f) {
		/* FLAG in field: "PROT_EXEC in prot" */
		char flag[TOKEN_MAX];
		const struct field_def *f;

		snprintf(flag, sizeof(flag), "%s", ps->tok);
		if ((r = next_tok(ps)) < 0)
			goto out;
		if (!tok_is(ps, "in")) {
			r = perr(ps, "unknown field '%s'", flag);
			goto out;
		}
		if ((r = next_tok(ps)) < 0)
			goto out;
		f = ps->t == T_WORD ? field_find(ps->tok) : NULL;
		if (!f || f->kind != RF_FLAGS) {
			r = perr(ps, "unknown field '%s'", flag);
			goto out;
		}
		n->f = f;
		n->cmp = C_HAS;
		if ((r = strv_add(&sv, flag)) < 0 || (r = leaf_values(ps, n, &sv, false)) < 0)
			goto out;
		r = next_tok(ps);
		goto out;
	}
	if ((r = next_tok(ps)) < 0)
		goto out;
	if (at_expr_end(ps)) {
		n->cmp = C_PRESENT;
		goto out;
	}
	if ((r = parse_op(ps, &n->cmp)) < 0)
		goto out;
	if ((r = parse_values(ps, &sv, n->cmp == C_IN || n->cmp == C_NOT_IN, &is_set)) < 0)
		goto out;
	r = leaf_values(ps, n, &sv, is_set);
out:
	strv_clear(&sv);
	if (r < 0) {
		node_free(n);
		return r;
	}
	*ret = n;
	return 0;
}

static int parse_or(struct parser *ps, struct node **ret, int depth);

static int parse_unary(struct parser *ps, struct node **ret, int depth)
{
	struct node *c = NULL;
	int r;

	if (depth > 64)
		return perr(ps, "condition nested too deeply");
	if (tok_is(ps, "not")) {
		if ((r = next_tok(ps)) < 0 || (r = parse_unary(ps, &c, depth + 1)) < 0)
			return r;
		*ret = node_new(N_NOT, c, NULL);
		return *ret ? 0 : -ENOMEM;
	}
	if (ps->t == T_LP) {
		if ((r = next_tok(ps)) < 0 || (r = parse_or(ps, &c, depth + 1)) < 0)
			return r;
		if (ps->t != T_RP) {
			node_free(c);
			return perr(ps, "expected ')', got '%s'",
				    ps->t == T_END ? "end of condition" : ps->tok);
		}
		*ret = c;
		return next_tok(ps);
	}
	return parse_pred(ps, ret);
}

static int parse_binary(struct parser *ps, struct node **ret, int depth, bool is_or)
{
	struct node *l = NULL, *r2 = NULL;
	int r;

	r = is_or ? parse_binary(ps, &l, depth, false) : parse_unary(ps, &l, depth);
	if (r < 0)
		return r;
	while (tok_is(ps, is_or ? "or" : "and")) {
		if ((r = next_tok(ps)) < 0)
			goto fail;
		r = is_or ? parse_binary(ps, &r2, depth, false) : parse_unary(ps, &r2, depth);
		if (r < 0)
			goto fail;
		l = node_new(is_or ? N_OR : N_AND, l, r2);
		if (!l)
			return -ENOMEM;
	}
	*ret = l;
	return 0;
fail:
	node_free(l);
	return r;
}

static int parse_or(struct parser *ps, struct node **ret, int depth)
{
	return parse_binary(ps, ret, depth, true);
}

/* Compiles one condition; on error, msg says why. */
static int cond_compile(const char *src, const struct rtmon_rules_env *env, struct node **ret,
			char *msg, size_t msglen)
{
	struct parser ps = { .src = src, .p = src, .env = env };
	struct node *n = NULL;
	int r;

	if ((r = next_tok(&ps)) < 0 || (r = parse_or(&ps, &n, 0)) < 0)
		goto fail;
	if (ps.t != T_END) {
		r = perr(&ps, "unexpected '%s' (missing 'and' / 'or'?)", ps.tok);
		node_free(n);
		goto fail;
	}
	*ret = n;
	return 0;
fail:
	snprintf(msg, msglen, "%s", ps.err[0] ? ps.err : strerror(-r));
	return r;
}

/* ---------------------------------------------------------------- evaluation */

struct rec {
	const struct node *n;
	const char *s;
	int64_t v;
};

struct evst {
	const struct rtmon_eval_ctx *c;
	struct rec recs[REC_MAX];
	size_t nrec;
	char numbuf[24];        /* unnamed ptrace request */
	char cmdline[1024];
	bool have_cmdline;
};

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * What exe and exe_base mean to the rules: the program a launcher (ld.so,
 * busybox) runs when there is one; exe stays the kernel's for busybox, whose
 * applet is no file. The event's own "exe" key is always the kernel's.
 */
static const char *rule_exe(const char *exe, const char *program)
{
	return program && program[0] == '/' ? program : exe;
}

static const char *rule_exe_base(const char *exe, const char *program)
{
	return program && program[0] ? base_of(program) : exe ? base_of(exe) : NULL;
}

static const char *ev_program(const struct rtmon_event *e)
{
	return e->has & RTMON_HAS_PROGRAM ? e->program : NULL;
}

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
		return e->type == RTMON_EV_NAMESPACE && (e->has & RTMON_HAS_KSYS) ? names_name(rtmon_ns_op_names, e->ksys_op)
										   : NULL;
	case F_MOUNT_OP:
		return e->type == RTMON_EV_MOUNT && (e->has & RTMON_HAS_KSYS) ? names_name(rtmon_mount_op_names, e->ksys_op)
									       : NULL;
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
		return e->has & RTMON_HAS_STDIO && e->stdin_socket ? family_name(e->stdin_sock.family)
								    : NULL;
	case F_STDIN_ADDR:
		return e->has & RTMON_HAS_STDIO && e->stdin_socket && e->stdin_sock.addr[0]
			       ? e->stdin_sock.addr : NULL;
	case F_STDOUT_FAMILY:
		return e->has & RTMON_HAS_STDIO && e->stdout_socket ? family_name(e->stdout_sock.family)
								     : NULL;
	case F_STDOUT_ADDR:
		return e->has & RTMON_HAS_STDIO && e->stdout_socket && e->stdout_sock.addr[0]
			       ? e->stdout_sock.addr : NULL;
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
		return e->type == RTMON_EV_NAMESPACE && (e->has & RTMON_HAS_KSYS)
			       ? next_bit_name(rtmon_ns_flag_names, e->ksys_flags, pos) : NULL;
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

#define NUM(bit, val) do { if (!(e->has & (bit))) return false; *v = (val); return true; } while (0)
	switch (id) {
	case F_PID: *v = e->pid; return true;
	case F_PPID: NUM(RTMON_HAS_PPID, e->ppid);
	case F_UID: NUM(RTMON_HAS_UID, e->uid);
	case F_GID: NUM(RTMON_HAS_UID, e->gid);
	case F_AUID: NUM(RTMON_HAS_AUID, e->auid);
	case F_ARGC: NUM(RTMON_HAS_ARGS, e->argc);
	case F_TARGET_PID: NUM(RTMON_HAS_PTRACE | RTMON_HAS_TARGET, e->target_pid);
	case F_TARGET_PPID: NUM(RTMON_HAS_TARGET_PPID, e->target_ppid);
	case F_FD: NUM(RTMON_HAS_MEM, e->fd);
	case F_OLDFD: NUM(RTMON_HAS_DUP, e->oldfd);
	case F_NEWFD: NUM(RTMON_HAS_DUP, e->newfd);
	case F_EXIT_CODE: NUM(RTMON_HAS_EXIT, e->exit_code);
	case F_EUID: NUM(RTMON_HAS_CREDS, e->euid);
	case F_FSUID: NUM(RTMON_HAS_CREDS, e->fsuid);
	case F_CAP_EFF: NUM(RTMON_HAS_CREDS, (int64_t)e->cap_eff);
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
		*v = st->c->container != NULL ||
		     ((e->has & RTMON_HAS_CONTAINER) && e->container_id[0]);
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
		return bsearch(&s, n->strs, n->n_strs, sizeof(char *), cmp_str) != NULL;
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

/* ---------------------------------------------------------------- reason / addr */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	r = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	b->len += (size_t)r;
	if (b->len >= b->cap)
		b->len = b->cap - 1;
}

/* A value, cut at REASON_VALUE_MAX bytes ("..." marks the cut). */
static void sb_value(struct sbuf *b, const char *s)
{
	size_t len = strlen(s);

	if (len > REASON_VALUE_MAX)
		sb_printf(b, "%.*s...", REASON_VALUE_MAX, s);
	else
		sb_printf(b, "%s", s);
}

static void sb_flags(struct sbuf *b, const struct rtmon_name_val *names, uint32_t v)
{
	bool first = true;

	for (const struct rtmon_name_val *nv = names; nv->name; nv++) {
		/* skip composite names (MAP_SHARED_VALIDATE) */
		if ((v & nv->val) == nv->val && nv->val && (nv->val & (nv->val - 1)) == 0) {
			sb_printf(b, "%s%s", first ? "" : "|", nv->name);
			first = false;
			v &= ~(uint32_t)nv->val;
		}
	}
	if (v)
		sb_printf(b, "%s0x%x", first ? "" : "|", v);
	else if (first)
		sb_printf(b, "0");
}

static void format_reason(const struct evst *st, char *out, size_t len)
{
	const struct rtmon_event *e = st->c->ev;
	struct sbuf b = { .p = out, .cap = len };
	const char *who = e->has & RTMON_HAS_EXE ? rule_exe_base(e->exe, ev_program(e)) : e->comm;

	out[0] = '\0';
	sb_value(&b, who[0] ? who : "?");
	sb_printf(&b, " (pid %u)", e->pid);
	for (size_t i = 0; i < st->nrec; i++) {
		const struct rec *rc = &st->recs[i];
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = st->recs[j].n->f == rc->n->f && st->recs[j].s == rc->s &&
			      st->recs[j].v == rc->v;
		if (dup)
			continue;
		sb_printf(&b, "%s%s", i ? ", " : ": ", rc->n->f->name);
		switch (rc->n->f->kind) {
		case RF_BOOL:
			break;
		case RF_NUM:
			sb_printf(&b, "=%" PRId64, rc->v);
			break;
		case RF_FLAGS:
			sb_printf(&b, "=");
			sb_flags(&b, rc->n->f->names, (uint32_t)rc->v);
			break;
		default:
			sb_printf(&b, "=");
			sb_value(&b, rc->s);
			break;
		}
	}
}

size_t ruleset_eval(const struct rtmon_ruleset *rs, const struct rtmon_eval_ctx *ctx,
		    struct rtmon_match *out, size_t max)
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
		format_reason(&st, out[n].reason, sizeof(out[n].reason));
		event_peer(ctx->ev, out[n].addr, sizeof(out[n].addr));
		if (out[n].addr[0]) {
			size_t l = strlen(out[n].reason);

			snprintf(out[n].reason + l, sizeof(out[n].reason) - l, "; peer %s", out[n].addr);
		}
		n++;
	}
	return n;
}

/* ---------------------------------------------------------------- compile */

static const char *src_file(const config_setting_t *s, const char *fallback)
{
	const char *f = s ? config_setting_source_file(s) : NULL;

	return f ? f : fallback ? fallback : "(config)";
}

#define DIAG(s, ...) diag_add(diag, 1, src_file((s), file), (s) ? (int)config_setting_source_line(s) : 0, __VA_ARGS__)

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > RULE_ID_MAX)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' || *s == '-'))
			return false;
	return true;
}

static bool valid_mitre(const char *s)
{
	/* T1234 or T1234.567, also TA0001 tactics */
	size_t i = 1;

	if (s[0] != 'T')
		return false;
	if (s[1] == 'A')
		i = 2;
	for (size_t k = 0; k < 4; k++, i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (!s[i])
		return true;
	if (s[i] != '.' || i != 5)
		return false;
	return isdigit((unsigned char)s[i + 1]) && isdigit((unsigned char)s[i + 2]) &&
	       isdigit((unsigned char)s[i + 3]) && !s[i + 4];
}

static int add_exception(struct rule *r, const config_setting_t *s, const char *file,
			 const struct rtmon_rules_env *env, struct rtmon_diag *diag)
{
	char msg[200];
	struct node *n = NULL, **v;
	int k;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		DIAG(s, "rule '%s': an exception must be a condition string", r->id);
		return -EINVAL;
	}
	k = cond_compile(config_setting_get_string(s), env, &n, msg, sizeof(msg));
	if (k < 0) {
		DIAG(s, "rule '%s': exception: %s", r->id, msg);
		return k;
	}
	v = realloc(r->exc, (r->n_exc + 1) * sizeof(*v));
	if (!v) {
		node_free(n);
		return -ENOMEM;
	}
	r->exc = v;
	r->exc[r->n_exc++] = n;
	return 0;
}

static int add_exceptions(struct rule *r, const config_setting_t *s, const char *file,
			  const struct rtmon_rules_env *env, struct rtmon_diag *diag)
{
	int ret = 0;

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return add_exception(r, s, file, env, diag);
	if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
		DIAG(s, "rule '%s': 'except' must be a string or a list of condition strings", r->id);
		return -EINVAL;
	}
	for (int i = 0; i < config_setting_length(s); i++) {
		int k = add_exception(r, config_setting_get_elem(s, (unsigned)i), file, env, diag);

		if (k < 0)
			ret = k;
	}
	return ret;
}

static int want_type(const config_setting_t *s, int type, const char *what, const char *id,
		     const char *file, struct rtmon_diag *diag)
{
	static const char *const tn[] = {
		[CONFIG_TYPE_INT] = "an integer", [CONFIG_TYPE_BOOL] = "true or false",
		[CONFIG_TYPE_STRING] = "a string", [CONFIG_TYPE_ARRAY] = "an array [ ... ]",
	};
	int t = config_setting_type(s);

	if (type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64)
		t = CONFIG_TYPE_INT;
	if (type == CONFIG_TYPE_ARRAY && t == CONFIG_TYPE_LIST)
		t = CONFIG_TYPE_ARRAY;
	if (t == type)
		return 0;
	DIAG(s, "rule '%s': '%s' must be %s", id ? id : "?", what, tn[type]);
	return -EINVAL;
}

static int compile_strings(const config_setting_t *s, const char *key, const char *id,
			   const char *file, struct rtmon_diag *diag)
{
	if (want_type(s, CONFIG_TYPE_ARRAY, key, id, file, diag) < 0)
		return -EINVAL;
	for (int i = 0; i < config_setting_length(s); i++) {
		if (config_setting_type(config_setting_get_elem(s, (unsigned)i)) != CONFIG_TYPE_STRING) {
			DIAG(s, "rule '%s': '%s' must hold strings", id ? id : "?", key);
			return -EINVAL;
		}
	}
	return 0;
}

static int compile_rule(struct rule *r, const config_setting_t *g, const char *file,
			const struct rtmon_rules_env *env, struct rtmon_diag *diag)
{
	const config_setting_t *s, *cond = NULL, *exc = NULL;
	const char *id = NULL;
	int sev = -1, score = -1, ret = 0;
	char msg[200];

	r->line = config_setting_source_line(g);
	r->enabled = true;
	s = config_setting_get_member(g, "id");
	if (!s || config_setting_type(s) != CONFIG_TYPE_STRING) {
		DIAG(s ? s : g, "rule without a string 'id'");
		return -EINVAL;
	}
	id = config_setting_get_string(s);
	if (!valid_id(id)) {
		DIAG(s, "rule id '%s' must be 1-%d characters of a-z 0-9 _ -", id, RULE_ID_MAX);
		ret = -EINVAL;
	}
	r->id = xstrdup(id);
	r->description = NULL;
	for (int i = 0; i < config_setting_length(g); i++) {
		const char *key;

		s = config_setting_get_elem(g, (unsigned)i);
		key = config_setting_name(s);
		if (strcmp(key, "id") == 0) {
			continue;
		} else if (strcmp(key, "description") == 0) {
			if (want_type(s, CONFIG_TYPE_STRING, key, id, file, diag) < 0)
				ret = -EINVAL;
			else
				r->description = xstrdup(config_setting_get_string(s));
		} else if (strcmp(key, "severity") == 0) {
			if (want_type(s, CONFIG_TYPE_STRING, key, id, file, diag) < 0) {
				ret = -EINVAL;
			} else if ((sev = severity_from_name(config_setting_get_string(s))) < 0) {
				DIAG(s, "rule '%s': unknown severity '%s' (info, low, medium, high, critical)",
				     id, config_setting_get_string(s));
				ret = -EINVAL;
			}
		} else if (strcmp(key, "risk_score") == 0) {
			if (want_type(s, CONFIG_TYPE_INT, key, id, file, diag) < 0) {
				ret = -EINVAL;
			} else {
				long long v = config_setting_get_int64(s);

				if (v < 0 || v > 100) {
					DIAG(s, "rule '%s': risk_score %lld out of range 0-100", id, v);
					ret = -EINVAL;
				}
				score = (int)v;
			}
		} else if (strcmp(key, "mitre") == 0) {
			if (compile_strings(s, key, id, file, diag) < 0) {
				ret = -EINVAL;
				continue;
			}
			if (config_setting_length(s) > RTMON_MITRE_MAX) {
				DIAG(s, "rule '%s': at most %d mitre ids", id, RTMON_MITRE_MAX);
				ret = -EINVAL;
				continue;
			}
			for (int k = 0; k < config_setting_length(s); k++) {
				const char *m = config_setting_get_string_elem(s, k);

				if (!valid_mitre(m)) {
					DIAG(s, "rule '%s': bad MITRE ATT&CK id '%s' (T1234 or T1234.567)", id, m);
					ret = -EINVAL;
					continue;
				}
				r->mitre[r->info.n_mitre] = xstrdup(m);
				r->info.mitre[r->info.n_mitre] = r->mitre[r->info.n_mitre];
				r->info.n_mitre++;
			}
		} else if (strcmp(key, "enabled") == 0) {
			if (want_type(s, CONFIG_TYPE_BOOL, key, id, file, diag) < 0)
				ret = -EINVAL;
			else
				r->enabled = config_setting_get_bool(s);
		} else if (strcmp(key, "events") == 0) {
			if (compile_strings(s, key, id, file, diag) < 0) {
				ret = -EINVAL;
				continue;
			}
			for (int k = 0; k < config_setting_length(s); k++) {
				const char *en = config_setting_get_string_elem(s, k);
				int t = ev_from_name(en);

				if (t < 0) {
					DIAG(s, "rule '%s': unknown event type '%s'", id, en);
					ret = -EINVAL;
				} else {
					r->events |= 1u << t;
				}
			}
			if (config_setting_length(s) == 0) {
				DIAG(s, "rule '%s': 'events' is empty", id);
				ret = -EINVAL;
			}
		} else if (strcmp(key, "condition") == 0) {
			if (want_type(s, CONFIG_TYPE_STRING, key, id, file, diag) < 0)
				ret = -EINVAL;
			else
				cond = s;
		} else if (strcmp(key, "except") == 0) {
			exc = s;
		} else {
			DIAG(s, "rule '%s': unknown rule key '%s'", id, key);
			ret = -EINVAL;
		}
	}
	if (sev < 0 && !config_setting_get_member(g, "severity")) {
		DIAG(g, "rule '%s': missing 'severity'", id);
		ret = -EINVAL;
	}
	if (!config_setting_get_member(g, "events")) {
		DIAG(g, "rule '%s': missing 'events'", id);
		ret = -EINVAL;
	}
	if (!cond && !config_setting_get_member(g, "condition")) {
		DIAG(g, "rule '%s': missing 'condition'", id);
		ret = -EINVAL;
	}
	if (cond && cond_compile(config_setting_get_string(cond), env, &r->cond, msg, sizeof(msg)) < 0) {
		DIAG(cond, "rule '%s': condition: %s", id, msg);
		ret = -EINVAL;
	}
	if (exc && add_exceptions(r, exc, file, env, diag) < 0)
		ret = -EINVAL;
	r->info.id = r->id;
	r->info.description = r->description;
	r->info.severity = sev < 0 ? RTMON_SEV_MEDIUM : (enum rtmon_severity)sev;
	r->info.risk_score = score >= 0 ? score : sev_default_score[r->info.severity];
	return ret;
}

static void rule_clear(struct rule *r)
{
	free(r->id);
	free(r->description);
	for (size_t i = 0; i < RTMON_MITRE_MAX; i++)
		free(r->mitre[i]);
	node_free(r->cond);
	for (size_t i = 0; i < r->n_exc; i++)
		node_free(r->exc[i]);
	free(r->exc);
}

struct rtmon_ruleset *ruleset_free(struct rtmon_ruleset *rs)
{
	if (!rs)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		rule_clear(&rs->rules[i]);
	free(rs->rules);
	free(rs);
	return NULL;
}

static int check_lists(const config_setting_t *lists, const char *file, struct rtmon_diag *diag)
{
	int ret = 0;

	if (!lists)
		return 0;
	if (!config_setting_is_group(lists)) {
		DIAG(lists, "'lists' must be a group: lists = { name = [ ... ]; };");
		return -EINVAL;
	}
	for (int i = 0; i < config_setting_length(lists); i++) {
		const config_setting_t *l = config_setting_get_elem(lists, (unsigned)i);

		if (!config_setting_is_array(l) && !config_setting_is_list(l)) {
			DIAG(l, "list '%s' must be an array [ ... ]", config_setting_name(l));
			ret = -EINVAL;
			continue;
		}
		for (int k = 0; k < config_setting_length(l); k++) {
			int t = config_setting_type(config_setting_get_elem(l, (unsigned)k));

			if (t != CONFIG_TYPE_STRING && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
				DIAG(l, "list '%s' may hold only strings and integers", config_setting_name(l));
				ret = -EINVAL;
				break;
			}
		}
	}
	return ret;
}

static struct rule *rule_by_id(struct rtmon_ruleset *rs, const char *id)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].id && strcmp(rs->rules[i].id, id) == 0)
			return &rs->rules[i];
	return NULL;
}

int ruleset_compile_env(const config_setting_t *rules, const char *file,
			const struct rtmon_rules_env *env, struct rtmon_ruleset **ret,
			struct rtmon_diag *diag)
{
	struct rtmon_ruleset *rs;
	int r = 0;

	if (!rules || !ret || !diag)
		return -EINVAL;
	if (!config_setting_is_list(rules) && !(config_setting_is_array(rules) &&
						config_setting_length(rules) == 0)) {
		DIAG(rules, "'rules' must be a list: rules = ( { id = ...; }, ... );");
		return -EINVAL;
	}
	if (env && (check_lists(env->lists[0], file, diag) < 0 || check_lists(env->lists[1], file, diag) < 0))
		r = -EINVAL;
	rs = calloc(1, sizeof(*rs));
	if (!rs)
		return -ENOMEM;
	rs->rules = calloc((size_t)config_setting_length(rules) + 1, sizeof(*rs->rules));
	if (!rs->rules) {
		free(rs);
		return -ENOMEM;
	}
	for (int i = 0; i < config_setting_length(rules); i++) {
		const config_setting_t *g = config_setting_get_elem(rules, (unsigned)i);
		struct rule *rl = &rs->rules[rs->n], *prev;

		if (!config_setting_is_group(g)) {
			DIAG(g, "each rule must be a group { id = ...; ... }");
			r = -EINVAL;
			continue;
		}
		rs->n++;
		if (compile_rule(rl, g, file, env, diag) < 0)
			r = -EINVAL;
		prev = rl->id ? rule_by_id(rs, rl->id) : NULL;
		if (prev && prev != rl) {
			DIAG(g, "duplicate rule id '%s' (first defined at line %d)", rl->id, prev->line);
			r = -EINVAL;
		}
	}
	if (env && env->exceptions) {
		const config_setting_t *ex = env->exceptions;

		if (!config_setting_is_group(ex)) {
			DIAG(ex, "'exceptions' must be a group: exceptions = { rule_id = ( \"condition\" ); };");
			r = -EINVAL;
		} else {
			for (int i = 0; i < config_setting_length(ex); i++) {
				const config_setting_t *s = config_setting_get_elem(ex, (unsigned)i);
				struct rule *rl = rule_by_id(rs, config_setting_name(s));

				if (!rl) {
					DIAG(s, "exceptions: unknown rule id '%s'", config_setting_name(s));
					r = -EINVAL;
				} else if (add_exceptions(rl, s, file, env, diag) < 0) {
					r = -EINVAL;
				}
			}
		}
	}
	if (r < 0) {
		ruleset_free(rs);
		return r;
	}
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].enabled)
			rs->mask |= rs->rules[i].events;
	*ret = rs;
	return 0;
}

int ruleset_compile(const config_setting_t *rules, const char *file, struct rtmon_ruleset **ret,
		    struct rtmon_diag *diag)
{
	struct rtmon_rules_env env = { { NULL, NULL }, NULL };
	const config_setting_t *root = rules;

	if (!rules)
		return -EINVAL;
	while (config_setting_parent(root))
		root = config_setting_parent(root);
	env.lists[0] = config_setting_get_member(root, "lists");
	env.exceptions = config_setting_get_member(root, "exceptions");
	return ruleset_compile_env(rules, file, &env, ret, diag);
}

size_t ruleset_count(const struct rtmon_ruleset *rs)
{
	return rs ? rs->n : 0;
}

const struct rtmon_rule_info *ruleset_rule(const struct rtmon_ruleset *rs, size_t i)
{
	return rs && i < rs->n ? &rs->rules[i].info : NULL;
}

uint32_t ruleset_event_mask(const struct rtmon_ruleset *rs)
{
	return rs ? rs->mask : 0;
}

/* ---------------------------------------------------------------- file watch */

/* The RTMON_FILE_* ops a condition asks for by name (file_op = / in), outside any 'not'. */
static uint32_t node_file_ops(const struct node *n, bool negated)
{
	uint32_t ops = 0;

	if (!n)
		return 0;
	if (n->op != N_LEAF)
		return node_file_ops(n->l, negated || n->op == N_NOT) | node_file_ops(n->r, negated || n->op == N_NOT);
	if (negated || n->f->id != F_FILE_OP || (n->cmp != C_EQ && n->cmp != C_IN))
		return 0;
	for (size_t i = 0; i < n->n_strs; i++) {
		const struct rtmon_name_val *nv = names_find(rtmon_file_op_names, n->strs[i]);

		if (nv)
			ops |= (uint32_t)nv->val;
	}
	return ops;
}

static int node_file_paths(const struct node *n, bool negated, uint32_t ops, rtmon_watch_fn fn, void *ud)
{
	char pat[TOKEN_MAX + 2];
	int r = 0;

	if (!n)
		return 0;
	if (n->op != N_LEAF) {
		r = node_file_paths(n->l, negated || n->op == N_NOT, ops, fn, ud);
		return r < 0 ? r : node_file_paths(n->r, negated || n->op == N_NOT, ops, fn, ud);
	}
	if (negated || n->f->id != F_PATH)
		return 0;
	for (size_t i = 0; i < n->n_strs && r >= 0; i++) {
		switch (n->cmp) {
		case C_EQ:
		case C_IN:
		case C_GLOB:
			r = fn(ud, n->strs[i], ops);
			break;
		case C_STARTS:
			snprintf(pat, sizeof(pat), "%s*", n->strs[i]);
			r = fn(ud, pat, ops);
			break;
		default:
			break;
		}
	}
	return r;
}

int ruleset_file_patterns(const struct rtmon_ruleset *rs, rtmon_watch_fn fn, void *ud)
{
	for (size_t i = 0; rs && i < rs->n; i++) {
		const struct rule *ru = &rs->rules[i];
		uint32_t ops;
		int r;

		if (!ru->enabled || !(ru->events & (1u << RTMON_EV_FILE)))
			continue;
		ops = node_file_ops(ru->cond, false);
		r = node_file_paths(ru->cond, false, ops ? ops : RTMON_FILE_OPS_ALL, fn, ud);
		if (r < 0)
			return r;
	}
	return 0;
}
