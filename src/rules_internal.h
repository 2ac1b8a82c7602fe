/* SPDX-License-Identifier: MIT */
/*
 * rules_internal.h - private to the rules engine (rules_*.c): the compiled
 * form of a rule (condition trees whose leaves hold pre-built value sets),
 * the evaluation state, and the functions one stage of the engine offers
 * another.  Stages: rules_parse.c (condition text -> tree), rules_compile.c
 * (libconfig 'rules' -> ruleset), rules_eval.c (ruleset x event -> matches),
 * rules_reason.c (the matched leaves -> reason text), rules_watch.c (the file
 * watch the rules need).  Everything here is pure: no I/O, no clock, no log.
 */
#ifndef RTMON_RULES_INTERNAL_H
#define RTMON_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "names.h"
#include "rules.h"
#include "rules_fields.h"

#define TOKEN_MAX 1024
#define REC_MAX 24

struct field_def {
	const char *name;
	enum rf_id id;
	enum rf_kind kind;
	const struct rtmon_name_val *names; /* enumerated string values, or flag names */
};

enum node_op {
	N_AND,
	N_OR,
	N_NOT,
	N_LEAF
};

enum cmp_op {
	C_PRESENT, /* bare field: present (bool: true) */
	C_EQ,
	C_NE,
	C_LT,
	C_LE,
	C_GT,
	C_GE,
	C_IN,
	C_NOT_IN,
	C_STARTS,
	C_ENDS,
	C_CONTAINS,
	C_GLOB,
	C_HAS, /* flags: all bits of mask set */
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
enum gp_kind {
	GP_EXACT,
	GP_PREFIX,
	GP_SUFFIX,
	GP_CONTAINS,
	GP_FNMATCH
};

struct gpat {
	enum gp_kind kind;
	const char *s; /* the literal part (points into strs[]) */
	size_t len;
};

struct node {
	enum node_op op;
	struct node *l, *r;
	/* leaf */
	const struct field_def *f;
	enum cmp_op cmp;
	char **strs; /* sorted for C_IN / C_NOT_IN, else patterns */
	size_t n_strs;
	struct num_range *nums; /* C_IN / C_NOT_IN on numbers; [0] for scalar compares */
	size_t n_nums;
	struct cidr *cidrs; /* address fields with = != in 'not in' */
	size_t n_cidrs;
	struct gpat *gp; /* C_GLOB */
	uint32_t mask;	 /* C_HAS */
	unsigned depth;	 /* ancestorN.*: only the nearest N ancestors (0 = all) */
};

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

struct rec {
	const struct node *n;
	const char *s;
	int64_t v;
};

struct evst {
	const struct rtmon_eval_ctx *c;
	struct rec recs[REC_MAX];
	size_t nrec;
	char numbuf[24]; /* unnamed ptrace request */
	char cmdline[1024];
	bool have_cmdline;
};

static inline const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * What exe and exe_base mean to the rules: the program a launcher (ld.so,
 * busybox) runs when there is one; exe stays the kernel's for busybox, whose
 * applet is no file. The event's own "exe" key is always the kernel's.
 */
static inline const char *rule_exe(const char *exe, const char *program)
{
	return program && program[0] == '/' ? program : exe;
}

static inline const char *rule_exe_base(const char *exe, const char *program)
{
	return program && program[0] ? base_of(program) : exe ? base_of(exe) : NULL;
}

static inline const char *ev_program(const struct rtmon_event *e)
{
	return e->has & RTMON_HAS_PROGRAM ? e->program : NULL;
}

/* rules_parse.c: the event type a name in an 'events' list or a 'type' value stands for; -1 if none. */
int rules_event_type(const char *s);
/* rules_parse.c: qsort/bsearch comparison of two char * */
int rules_cmp_str(const void *a, const void *b);
/* rules_parse.c: compiles one condition; on error, msg says why. */
int rules_cond_compile(const char *src, const struct rtmon_rules_env *env, struct node **ret, char *msg, size_t msglen);
void rules_node_free(struct node *n);
/* rules_reason.c: the reason for a match, from the leaves recorded in st */
void rules_format_reason(const struct evst *st, char *out, size_t len);

#endif
