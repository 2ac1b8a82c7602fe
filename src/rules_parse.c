/* SPDX-License-Identifier: MIT */
/*
 * rules_parse.c - the condition language (docs/RULES.md): the fields a
 * condition may name, the tokenizer and the recursive-descent parser that
 * turns a condition string into a tree whose leaves hold pre-built value
 * sets (sorted string arrays for 'in', classified glob patterns, numeric
 * ranges, CIDR blocks, flag masks).  Pure.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rules_internal.h"

/* ---------------------------------------------------------------- names */

int rules_event_type(const char *s)
{
	enum rtmon_event_type t = event_type_from_name(s);

	return t == RTMON_EV_NONE ? -1 : (int)t;
}

/* name tables: src/names.c (shared with the JSON formatter) */
/* ---------------------------------------------------------------- fields */
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
static const char *const cmp_names[] = {
	[C_PRESENT] = "",      [C_EQ] = "=",
	[C_NE] = "!=",	       [C_LT] = "<",
	[C_LE] = "<=",	       [C_GT] = ">",
	[C_GE] = ">=",	       [C_IN] = "in",
	[C_NOT_IN] = "not in", [C_STARTS] = "startswith",
	[C_ENDS] = "endswith", [C_CONTAINS] = "contains",
	[C_GLOB] = "glob",     [C_HAS] = "has",
};

void rules_node_free(struct node *n)
{
	if (!n)
		return;
	rules_node_free(n->l);
	rules_node_free(n->r);
	for (size_t i = 0; i < n->n_strs; i++)
		free(n->strs[i]);
	free(n->strs);
	free(n->nums);
	free(n->cidrs);
	free(n->gp);
	free(n);
}

/* ---------------------------------------------------------------- parser */

struct parser {
	const char *src, *p;
	const struct rtmon_rules_env *env;
	char err[200];
	/* current token */
	enum {
		T_END,
		T_WORD,
		T_STR,
		T_LP,
		T_RP,
		T_COMMA,
		T_OP
	} t;
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
		return perr(ps, "expected a value, got '%s'", ps->t == T_END ? "end of condition" : ps->tok);
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
int rules_cmp_str(const void *a, const void *b)
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
			if (rules_event_type(sv->v[i]) < 0)
				return perr(ps, "unknown event type '%s'", sv->v[i]);
	}
	n->strs = sv->v;
	n->n_strs = sv->n;
	memset(sv, 0, sizeof(*sv));
	if (n->cmp == C_IN || n->cmp == C_NOT_IN || n->cmp == C_EQ || n->cmp == C_NE)
		qsort(n->strs, n->n_strs, sizeof(char *), rules_cmp_str);
	if (n->cmp == C_GLOB)
		return glob_classify(n);
	return 0;
}

static int leaf_values(struct parser *ps, struct node *n, struct strv *sv, bool is_set)
{
	const struct field_def *f = n->f;
	bool scalar = n->cmp == C_EQ || n->cmp == C_NE || n->cmp == C_LT || n->cmp == C_LE || n->cmp == C_GT ||
		      n->cmp == C_GE;

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
					return perr(ps, "bad address or CIDR '%s' for field '%s'", sv->v[i], f->name);
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
		rules_node_free(l);
		rules_node_free(r);
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
	static const struct {
		const char *s;
		enum cmp_op c;
	} ops[] = {
		{ "=", C_EQ },
		{ "==", C_EQ },
		{ "!=", C_NE },
		{ "<", C_LT },
		{ "<=", C_LE },
		{ ">", C_GT },
		{ ">=", C_GE },
		{ "in", C_IN },
		{ "startswith", C_STARTS },
		{ "endswith", C_ENDS },
		{ "contains", C_CONTAINS },
		{ "glob", C_GLOB },
		{ "has", C_HAS },
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
		return perr(ps, "expected a field name, got '%s'", ps->t == T_END ? "end of condition" : ps->tok);
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
		rules_node_free(n);
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
			rules_node_free(c);
			return perr(ps, "expected ')', got '%s'", ps->t == T_END ? "end of condition" : ps->tok);
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
	rules_node_free(l);
	return r;
}

static int parse_or(struct parser *ps, struct node **ret, int depth)
{
	return parse_binary(ps, ret, depth, true);
}

int rules_cond_compile(const char *src, const struct rtmon_rules_env *env, struct node **ret, char *msg, size_t msglen)
{
	struct parser ps = { .src = src, .p = src, .env = env };
	struct node *n = NULL;
	int r;

	if ((r = next_tok(&ps)) < 0 || (r = parse_or(&ps, &n, 0)) < 0)
		goto fail;
	if (ps.t != T_END) {
		r = perr(&ps, "unexpected '%s' (missing 'and' / 'or'?)", ps.tok);
		rules_node_free(n);
		goto fail;
	}
	*ret = n;
	return 0;
fail:
	snprintf(msg, msglen, "%s", ps.err[0] ? ps.err : strerror(-r));
	return r;
}
