/* SPDX-License-Identifier: MIT */
/*
 * container_parse.c - the container / Kubernetes identity a cgroup path
 * names; pure, no I/O.
 *
 * container_parse_cgroup_path() splits a cgroup v2 path into components and
 * recognises, in each, the names that container runtimes give the cgroups
 * they create.  The deepest match wins (a container nested in a kind node,
 * docker-in-docker, ...).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "container.h"

struct comp {
	const char *s;
	size_t n;
};

static bool comp_is(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n == n && memcmp(c.s, lit, n) == 0;
}

static bool comp_starts(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s, lit, n) == 0;
}

static bool comp_ends(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && memcmp(c.s + c.n - n, lit, n) == 0;
}

/* Removes lit from the front (true) or leaves c alone (false). */
static bool comp_eat_prefix(struct comp *c, const char *lit)
{
	if (!comp_starts(*c, lit))
		return false;
	c->s += strlen(lit);
	c->n -= strlen(lit);
	return true;
}

static bool comp_eat_suffix(struct comp *c, const char *lit)
{
	if (!comp_ends(*c, lit))
		return false;
	c->n -= strlen(lit);
	return true;
}

static bool comp_contains(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; i + n <= c.n; i++)
		if (memcmp(c.s + i, lit, n) == 0)
			return true;
	return false;
}

/* A full container id: 64 lowercase hex digits (docker, containerd, CRI-O, podman). */
static bool comp_is_cid(struct comp c)
{
	if (c.n != RTMON_CONTAINER_ID_HEX)
		return false;
	for (size_t i = 0; i < c.n; i++)
		if (!isdigit((unsigned char)c.s[i]) && !(c.s[i] >= 'a' && c.s[i] <= 'f'))
			return false;
	return true;
}

/* A name (lxc, nspawn): printable, fits the id buffer. */
static bool comp_is_name(struct comp c, size_t max)
{
	if (c.n == 0 || c.n >= max)
		return false;
	for (size_t i = 0; i < c.n; i++)
		if (!isgraph((unsigned char)c.s[i]))
			return false;
	return true;
}

/*
 * A pod uid as it appears in a cgroup name: a UUID (36 chars) or, for static
 * pods, a 32-hex config hash.  The systemd driver writes '-' as '_'
 * (systemd slice names use '-' for nesting); turn it back.
 */
static bool pod_uid_copy(struct comp c, char *out, size_t outsz)
{
	if ((c.n != 36 && c.n != 32) || c.n >= outsz)
		return false;
	for (size_t i = 0; i < c.n; i++) {
		char ch = c.s[i] == '_' ? '-' : c.s[i];

		if (ch != '-' && !isdigit((unsigned char)ch) && !(ch >= 'a' && ch <= 'f'))
			return false;
		out[i] = ch;
	}
	out[c.n] = '\0';
	return true;
}

struct parse_state {
	bool in_kubepods; /* a "kubepods..." component was seen */
	char cur_pod[40]; /* pod uid seen since the last container match */
	bool matched;
	struct rtmon_container m; /* the deepest match so far */
	struct comp prev;
	unsigned depth;	      /* index of the current component */
	bool prev_was_nspawn; /* previous component matched systemd-nspawn@ */
};

static void match(struct parse_state *st, const char *runtime, struct comp id)
{
	memset(&st->m, 0, sizeof(st->m));
	snprintf(st->m.runtime, sizeof(st->m.runtime), "%s", runtime);
	memcpy(st->m.id, id.s, id.n);
	st->m.id[id.n] = '\0';
	snprintf(st->m.pod_uid, sizeof(st->m.pod_uid), "%s", st->cur_pod);
	st->cur_pod[0] = '\0';
	st->matched = true;
}

/* "kubepods-burstable-pod<uid>.slice" (systemd) or "pod<uid>" under kubepods (cgroupfs). */
static bool parse_pod_comp(struct parse_state *st, struct comp c)
{
	if (comp_contains(c, "kubepods") && comp_eat_suffix(&c, ".slice")) {
		for (size_t i = c.n; i >= 4; i--) {
			struct comp tail = { c.s + i - 4, c.n - i + 4 };

			if (comp_eat_prefix(&tail, "-pod"))
				return pod_uid_copy(tail, st->cur_pod, sizeof(st->cur_pod));
		}
		return false;
	}
	if (st->in_kubepods && comp_eat_prefix(&c, "pod"))
		return pod_uid_copy(c, st->cur_pod, sizeof(st->cur_pod));
	return false;
}

/* The runtime of a bare 64-hex component, from what surrounds it. */
static const char *bare_id_runtime(const struct parse_state *st)
{
	if (comp_is(st->prev, "docker") || comp_is(st->prev, "moby"))
		return "docker";
	if (st->cur_pod[0] || st->in_kubepods)
		return "kubepods"; /* cgroupfs driver: containerd or docker; the cache refines it */
	if (comp_is(st->prev, "k8s.io") || comp_is(st->prev, "default"))
		return "containerd"; /* containerd's cgroupfs default /<namespace>/<id> */
	return "oci";		     /* some OCI runtime; the cache refines it from state */
}

/* Prefixed scope/cgroup names of the runtimes: <prefix><64hex>[.scope]. */
static const struct {
	const char *prefix;
	const char *runtime;
} scope_prefixes[] = {
	{ "docker-", "docker" },      { "cri-containerd-", "containerd" },
	{ "nerdctl-", "containerd" }, { "crio-", "cri-o" },
	{ "libpod-", "podman" },
};

static void parse_comp(struct parse_state *st, struct comp c)
{
	struct comp body = c;

	if (comp_starts(c, "kubepods") || comp_contains(c, "-kubepods"))
		st->in_kubepods = true;
	if (parse_pod_comp(st, c))
		return;
	/* nspawn puts its own (host-side) process in .../supervisor */
	if (st->prev_was_nspawn && comp_is(c, "supervisor"))
		st->matched = false;
	st->prev_was_nspawn = false;

	/* containerd, systemd driver on cgroup v1 without systemd managing it:
	 * "kubepods-besteffort-pod<uid>.slice:cri-containerd:<id>" */
	for (size_t i = 0; i + 1 < c.n; i++) {
		struct comp rest = { c.s + i, c.n - i };

		if (comp_eat_prefix(&rest, ":cri-containerd:") && comp_is_cid(rest)) {
			parse_pod_comp(st, (struct comp){ c.s, i });
			match(st, "containerd", rest);
			return;
		}
	}

	comp_eat_suffix(&body, ".scope");
	/* conmon (CRI-O, podman) runs on the host side of the container */
	if (comp_starts(body, "crio-conmon-") || comp_starts(body, "libpod-conmon-"))
		return;
	for (size_t i = 0; i < sizeof(scope_prefixes) / sizeof(scope_prefixes[0]); i++) {
		struct comp id = body;

		if (comp_eat_prefix(&id, scope_prefixes[i].prefix) && comp_is_cid(id)) {
			match(st, scope_prefixes[i].runtime, id);
			return;
		}
	}
	if (comp_is_cid(c)) {
		match(st, bare_id_runtime(st), c);
		return;
	}
	/* LXC 4+: /lxc.payload.<name>; LXC 3: /lxc.payload/<name>; older: /lxc/<name> */
	body = c;
	if (comp_eat_prefix(&body, "lxc.payload.") && comp_is_name(body, sizeof(st->m.id))) {
		match(st, "lxc", body);
		return;
	}
	if ((comp_is(st->prev, "lxc.payload") || (comp_is(st->prev, "lxc") && st->depth == 1)) &&
	    comp_is_name(c, sizeof(st->m.id))) {
		match(st, "lxc", c);
		return;
	}
	body = c;
	if (comp_eat_prefix(&body, "systemd-nspawn@") && comp_eat_suffix(&body, ".service") &&
	    comp_is_name(body, sizeof(st->m.id))) {
		match(st, "nspawn", body);
		st->prev_was_nspawn = true;
	}
}

int container_parse_cgroup_path(const char *path, struct rtmon_container *ret)
{
	struct parse_state st;
	const char *p;

	if (!path || !ret)
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	for (p = path; *p;) {
		struct comp c;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		c.s = p;
		while (*p && *p != '/')
			p++;
		c.n = (size_t)(p - c.s);
		parse_comp(&st, c);
		st.prev = c;
		st.depth++;
	}
	if (!st.matched)
		return 0;
	*ret = st.m;
	return 1;
}
