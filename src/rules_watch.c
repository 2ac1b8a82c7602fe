/* SPDX-License-Identifier: MIT */
/*
 * rules_watch.c - the file watch a ruleset needs: the path patterns and
 * accesses that enabled file rules compare with, read from their trees.
 */
#include <stdio.h>

#include "rtmon_abi.h"
#include "rules_internal.h"

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
