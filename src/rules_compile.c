/* SPDX-License-Identifier: MIT */
/*
 * rules_compile.c - compiles the libconfig 'rules' list into a ruleset: each
 * rule's id, severity, score, MITRE ids, event types, condition and
 * exceptions (its own and the config's 'exceptions' group), every problem
 * reported as FILE:LINE in a struct rtmon_diag.  Also the ruleset's
 * accessors and destructor.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_internal.h"

#define RULE_ID_MAX 63

/* risk_score when a rule gives none, by severity (info ... critical) */
static const int sev_default_score[] = { 10, 25, 50, 75, 90 };

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

static int add_exception(struct rule *r, const config_setting_t *s, const char *file, const struct rtmon_rules_env *env,
			 struct rtmon_diag *diag)
{
	char msg[200];
	struct node *n = NULL, **v;
	int k;

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		DIAG(s, "rule '%s': an exception must be a condition string", r->id);
		return -EINVAL;
	}
	k = rules_cond_compile(config_setting_get_string(s), env, &n, msg, sizeof(msg));
	if (k < 0) {
		DIAG(s, "rule '%s': exception: %s", r->id, msg);
		return k;
	}
	v = realloc(r->exc, (r->n_exc + 1) * sizeof(*v));
	if (!v) {
		rules_node_free(n);
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

static int want_type(const config_setting_t *s, int type, const char *what, const char *id, const char *file,
		     struct rtmon_diag *diag)
{
	static const char *const tn[] = {
		[CONFIG_TYPE_INT] = "an integer",
		[CONFIG_TYPE_BOOL] = "true or false",
		[CONFIG_TYPE_STRING] = "a string",
		[CONFIG_TYPE_ARRAY] = "an array [ ... ]",
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

static int compile_strings(const config_setting_t *s, const char *key, const char *id, const char *file,
			   struct rtmon_diag *diag)
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

static int compile_rule(struct rule *r, const config_setting_t *g, const char *file, const struct rtmon_rules_env *env,
			struct rtmon_diag *diag)
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
				DIAG(s, "rule '%s': unknown severity '%s' (info, low, medium, high, critical)", id,
				     config_setting_get_string(s));
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
				int t = rules_event_type(en);

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
	if (cond && rules_cond_compile(config_setting_get_string(cond), env, &r->cond, msg, sizeof(msg)) < 0) {
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
	rules_node_free(r->cond);
	for (size_t i = 0; i < r->n_exc; i++)
		rules_node_free(r->exc[i]);
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

int ruleset_compile_env(const config_setting_t *rules, const char *file, const struct rtmon_rules_env *env,
			struct rtmon_ruleset **ret, struct rtmon_diag *diag)
{
	struct rtmon_ruleset *rs;
	int r = 0;

	if (!rules || !ret || !diag)
		return -EINVAL;
	if (!config_setting_is_list(rules) && !(config_setting_is_array(rules) && config_setting_length(rules) == 0)) {
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
