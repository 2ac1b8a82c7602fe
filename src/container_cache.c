/* SPDX-License-Identifier: MIT */
/*
 * container_cache.c - the cache: cgroup id -> path -> container identity
 * (the identity itself is container_parse.c's, from the path).
 *
 * The id that bpf_get_current_cgroup_id() returns is the kernfs node id,
 * which is the inode number of the cgroup2 directory.  It is resolved with
 * open_by_handle_at() (cgroupfs exports FILEID_KERNFS handles whose payload
 * is that id; needs CAP_DAC_READ_SEARCH) and, when that is not possible, by
 * walking the cgroup2 tree once and indexing inode -> path.  Kernfs ids are
 * not reused within a boot, so a positive entry stays valid after its cgroup
 * is gone; only the LRU bound drops it.  An id that cannot be resolved
 * becomes a negative entry that expires.  Pod name/namespace come from the
 * node's pods log dir (<dir>/<namespace>_<pod>_<uid>/) or the runtime's
 * state files, the image name from the runtime's state files (see
 * fill_state()).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "container.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#define FILEID_KERNFS 0xfe

#define DEFAULT_MAX_ENTRIES 4096
#define DEFAULT_NEGATIVE_TTL_MS 1000
#define DEFAULT_MIN_REFRESH_MS 100
#define DEFAULT_PODS_LOG_DIR "/var/log/pods"
#define WALK_MAX_DEPTH 32
#define STATE_FILE_MAX (1024 * 1024) /* OCI config.json is tens of KiB */

struct centry {
	uint64_t cgid;
	struct centry *hnext;	     /* hash chain */
	struct centry *prev, *next;  /* LRU list, most recent first */
	char *path;		     /* NULL: negative entry */
	uint64_t expires_ms;	     /* negative entries: when to try again */
	struct rtmon_container *ctr; /* NULL: a host cgroup */
	uint64_t pod_retry_ms;	     /* pod name unknown: next time to look again */
};

struct walk_ent {
	uint64_t ino;
	struct walk_ent *next;
	char path[];
};

struct pod_ent {
	char uid[40];
	char ns[254];
	char pod[254];
};

struct rtmon_container_cache {
	char *root; /* cgroup2 mount, no trailing '/' ("" never: "/" stays "/") */
	int root_fd;
	bool use_handles;
	char *pods_dir;
	char *state_prefix;
	size_t max_entries;
	unsigned neg_ttl_ms, refresh_ms;

	struct centry **buckets;
	size_t nbuckets, n;
	struct centry lru; /* sentinel */

	struct walk_ent **wbuckets; /* inode -> path, from the last tree walk */
	size_t nwbuckets, nwalk, walk_max;
	bool walked;
	uint64_t last_walk_ms;

	struct pod_ent *pods; /* from the last pods-dir scan */
	size_t npods, pods_max;
	bool pods_scanned;
	uint64_t last_pod_scan_ms;

	struct rtmon_container_stats st;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static size_t hash_id(uint64_t id, size_t nbuckets)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdULL;
	id ^= id >> 33;
	return (size_t)(id & (nbuckets - 1));
}

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n)
		p <<= 1;
	return p;
}

/* --- cgroup2 mount ------------------------------------------------- */

/* Undoes mountinfo's octal escapes (\040 for ' ') in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* The first cgroup2 mount in /proc/self/mountinfo (pure v2: /sys/fs/cgroup; hybrid: .../unified). */
static int find_cgroup2_mount(char **ret)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *found = NULL;
	size_t cap = 0;

	if (!f)
		return -errno;
	while (!found && getline(&line, &cap, f) > 0) {
		char *sep = strstr(line, " - ");
		char *mnt, *save = NULL;

		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		*sep = '\0';
		/* id parent maj:min root mountpoint ... */
		mnt = strtok_r(line, " ", &save);
		for (int i = 0; mnt && i < 4; i++)
			mnt = strtok_r(NULL, " ", &save);
		if (!mnt)
			continue;
		unescape_octal(mnt);
		found = strdup(mnt);
		if (!found) {
			free(line);
			fclose(f);
			return -ENOMEM;
		}
	}
	free(line);
	fclose(f);
	if (!found)
		return -ENOENT;
	*ret = found;
	return 0;
}

/* --- id -> path: file handles --------------------------------------- */

/* Strips the mount point from an absolute path; returns the cgroup path or NULL. */
static char *strip_root(const struct rtmon_container_cache *c, const char *abs)
{
	size_t rl = strlen(c->root);

	if (strcmp(c->root, "/") == 0)
		return strdup(abs);
	if (strncmp(abs, c->root, rl) != 0 || (abs[rl] != '\0' && abs[rl] != '/'))
		return NULL;
	return strdup(abs[rl] ? abs + rl : "/");
}

/*
 * open_by_handle_at() with a FILEID_KERNFS handle whose payload is the
 * cgroup id, then the path from /proc/self/fd.  Returns 0 and *ret, -ENOENT
 * when the kernel says the id does not exist (ESTALE), another -errno when
 * handles cannot be used (the caller falls back to the walk).
 */
static int resolve_by_handle(struct rtmon_container_cache *c, uint64_t id, char **ret)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	char link[64], buf[PATH_MAX];
	ssize_t n;
	int fd, r;

	h.fh.handle_bytes = sizeof(uint64_t);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(c->root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ESTALE || errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	r = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0)
		return r;
	buf[n] = '\0';
	/* removed between the open and the readlink */
	if (n > 10 && strcmp(buf + n - 10, " (deleted)") == 0)
		return -ENOENT;
	*ret = strip_root(c, buf);
	return *ret ? 0 : -ENOENT;
}

/* --- id -> path: walking the tree ------------------------------------ */

static void walk_index_clear(struct rtmon_container_cache *c)
{
	for (size_t i = 0; i < c->nwbuckets; i++) {
		while (c->wbuckets[i]) {
			struct walk_ent *w = c->wbuckets[i];

			c->wbuckets[i] = w->next;
			free(w);
		}
	}
	c->nwalk = 0;
}

static int walk_index_add(struct rtmon_container_cache *c, uint64_t ino, const char *path)
{
	size_t len = strlen(path), b = hash_id(ino, c->nwbuckets);
	struct walk_ent *w;

	if (c->nwalk >= c->walk_max)
		return -ENOSPC;
	w = malloc(sizeof(*w) + len + 1);
	if (!w)
		return -ENOMEM;
	w->ino = ino;
	memcpy(w->path, path, len + 1);
	w->next = c->wbuckets[b];
	c->wbuckets[b] = w;
	c->nwalk++;
	return 0;
}

static const char *walk_index_find(const struct rtmon_container_cache *c, uint64_t ino)
{
	for (const struct walk_ent *w = c->wbuckets[hash_id(ino, c->nwbuckets)]; w; w = w->next)
		if (w->ino == ino)
			return w->path;
	return NULL;
}

/* Indexes every directory below dirfd (closed here); path holds its cgroup path. */
static int walk_dir(struct rtmon_container_cache *c, int dfd, char *path, size_t len, unsigned depth)
{
	DIR *d = fdopendir(dfd); /* owns dfd from here */
	struct dirent *de;
	int r = 0;

	if (!d) {
		close(dfd);
		return -errno;
	}
	while (r != -ENOSPC && r != -ENOMEM && (de = readdir(d))) {
		size_t nl = strlen(de->d_name);
		struct stat sb;
		int fd;

		if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (len + 1 + nl >= PATH_MAX)
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue; /* not a directory, or gone meanwhile */
		if (fstat(fd, &sb) < 0) {
			close(fd);
			continue;
		}
		snprintf(path + len, PATH_MAX - len, "%s%s", len == 1 ? "" : "/", de->d_name);
		r = walk_index_add(c, (uint64_t)sb.st_ino, path);
		if (r == 0 && depth < WALK_MAX_DEPTH)
			r = walk_dir(c, fd, path, strlen(path), depth + 1);
		else
			close(fd);
		path[len] = '\0';
	}
	closedir(d);
	return r == -ENOSPC ? 0 : r; /* a tree larger than the bound is indexed in part */
}

/* Re-indexes the whole tree, at most once per refresh interval. */
static void walk_tree(struct rtmon_container_cache *c)
{
	char path[PATH_MAX] = "/";
	struct stat sb;
	uint64_t now = now_ms();
	int fd;

	if (c->walked && now - c->last_walk_ms < c->refresh_ms)
		return;
	c->walked = true;
	c->last_walk_ms = now;
	c->st.walks++;
	walk_index_clear(c);
	fd = openat(c->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0)
		walk_index_add(c, (uint64_t)sb.st_ino, "/");
	walk_dir(c, fd, path, 1, 0);
}

static int resolve_path(struct rtmon_container_cache *c, uint64_t id, char **ret)
{
	const char *p;

	if (c->use_handles) {
		int r = resolve_by_handle(c, id, ret);

		if (r == 0) {
			c->st.handle_resolves++;
			return 0;
		}
		if (r == -ENOENT || r == -ENOMEM)
			return r;
		c->use_handles = false; /* EPERM (no CAP_DAC_READ_SEARCH), EOPNOTSUPP...: walk from now on */
	}
	p = walk_index_find(c, id);
	if (!p) {
		walk_tree(c);
		p = walk_index_find(c, id);
	}
	if (!p)
		return -ENOENT;
	*ret = strdup(p);
	return *ret ? 0 : -ENOMEM;
}

/* --- pods: <pods_dir>/<namespace>_<pod>_<uid>/ -------------------------- */

/*
 * Namespace and pod names are DNS labels/subdomains and the uid a UUID: none
 * contains '_', so a directory name splits into exactly three parts.
 */
static bool pod_dir_parse(const char *name, struct pod_ent *ret)
{
	const char *u1 = strchr(name, '_'), *u2 = u1 ? strchr(u1 + 1, '_') : NULL;
	size_t nl, pl, ul;

	if (!u1 || !u2 || strchr(u2 + 1, '_'))
		return false;
	nl = (size_t)(u1 - name);
	pl = (size_t)(u2 - u1 - 1);
	ul = strlen(u2 + 1);
	if (!nl || !pl || !ul || nl >= sizeof(ret->ns) || pl >= sizeof(ret->pod) || ul >= sizeof(ret->uid))
		return false;
	memcpy(ret->ns, name, nl);
	ret->ns[nl] = '\0';
	memcpy(ret->pod, u1 + 1, pl);
	ret->pod[pl] = '\0';
	memcpy(ret->uid, u2 + 1, ul + 1);
	return true;
}

static void pods_scan(struct rtmon_container_cache *c)
{
	uint64_t now = now_ms();
	struct dirent *de;
	DIR *d;

	if (c->pods_scanned && now - c->last_pod_scan_ms < c->refresh_ms)
		return;
	c->pods_scanned = true;
	c->last_pod_scan_ms = now;
	c->st.pod_scans++;
	c->npods = 0;
	d = opendir(c->pods_dir);
	if (!d)
		return;
	while ((de = readdir(d)) && c->npods < c->pods_max) {
		if (!c->pods) {
			c->pods = calloc(c->pods_max, sizeof(*c->pods));
			if (!c->pods)
				break;
		}
		if (pod_dir_parse(de->d_name, &c->pods[c->npods]))
			c->npods++;
	}
	closedir(d);
}

static const struct pod_ent *pods_find(const struct rtmon_container_cache *c, const char *uid)
{
	for (size_t i = 0; i < c->npods; i++)
		if (strcmp(c->pods[i].uid, uid) == 0)
			return &c->pods[i];
	return NULL;
}

/* Fills pod/ns from the pods dir; scans again (rate-limited) when the uid is not known. */
static void fill_pod(struct rtmon_container_cache *c, struct rtmon_container *ctr)
{
	const struct pod_ent *p;

	if (!ctr->pod_uid[0] || (ctr->pod[0] && ctr->ns[0]))
		return;
	p = pods_find(c, ctr->pod_uid);
	if (!p) {
		pods_scan(c);
		p = pods_find(c, ctr->pod_uid);
	}
	if (!p)
		return;
	snprintf(ctr->pod, sizeof(ctr->pod), "%s", p->pod);
	snprintf(ctr->ns, sizeof(ctr->ns), "%s", p->ns);
}

/* --- runtime state files: image, pod annotations, runtime -------------- */

static struct json_object *read_json(const char *path)
{
	struct json_object *o = NULL;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return NULL;
	buf = malloc(STATE_FILE_MAX + 1);
	if (!buf)
		goto out;
	while (len < STATE_FILE_MAX && (n = read(fd, buf + len, STATE_FILE_MAX - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	if (len < STATE_FILE_MAX) /* a larger file is not a state file we know: ignore it */
		o = json_tokener_parse(buf);
	free(buf);
out:
	close(fd);
	return o;
}

static const char *json_str(struct json_object *o, const char *k1, const char *k2)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, k1, &v))
		return NULL;
	if (k2 && !json_object_object_get_ex(v, k2, &v))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void set_if_empty(char *dst, size_t sz, const char *v)
{
	if (!dst[0] && v && v[0])
		snprintf(dst, sz, "%s", v);
}

/* The runtime from the cgroup name alone is vague for bare ids ("kubepods", "oci"): state says which. */
static void refine_runtime(struct rtmon_container *ctr, const char *runtime)
{
	if (strcmp(ctr->runtime, "kubepods") == 0 || strcmp(ctr->runtime, "oci") == 0)
		snprintf(ctr->runtime, sizeof(ctr->runtime), "%s", runtime);
}

/*
 * Which files, and why these: each is written by the runtime when the
 * container is created, is plain JSON, and is keyed by the full id.
 *  - containerd (CRI and docker's "moby" namespace): the OCI bundle's
 *    config.json under /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/,
 *    annotations io.kubernetes.cri.{image-name,sandbox-name,sandbox-namespace}.
 *  - CRI-O: /run/containers/storage/overlay-containers/<id>/userdata/config.json,
 *    annotations io.kubernetes.cri-o.ImageName, io.kubernetes.pod.{name,namespace}.
 *  - docker: /var/lib/docker/containers/<id>/config.v2.json, Config.Image and
 *    the Config.Labels io.kubernetes.pod.{name,namespace} (dockershim/cri-dockerd).
 * Podman keeps its image name in its database, not in a file: not read.
 */
static void fill_state(struct rtmon_container_cache *c, struct rtmon_container *ctr)
{
	static const char *const ctrd_ns[] = { "k8s.io", "moby", "default" };
	char path[PATH_MAX];
	struct json_object *o;
	const char *pfx = c->state_prefix;

	if (strlen(ctr->id) != RTMON_CONTAINER_ID_HEX)
		return;
	for (size_t i = 0; i < sizeof(ctrd_ns) / sizeof(ctrd_ns[0]) && !ctr->image[0]; i++) {
		snprintf(path, sizeof(path), "%s/run/containerd/io.containerd.runtime.v2.task/%s/%s/config.json", pfx,
			 ctrd_ns[i], ctr->id);
		o = read_json(path);
		if (!o)
			continue;
		refine_runtime(ctr, i == 1 ? "docker" : "containerd");
		set_if_empty(ctr->image, sizeof(ctr->image),
			     json_str(o, "annotations", "io.kubernetes.cri.image-name"));
		set_if_empty(ctr->pod, sizeof(ctr->pod), json_str(o, "annotations", "io.kubernetes.cri.sandbox-name"));
		set_if_empty(ctr->ns, sizeof(ctr->ns),
			     json_str(o, "annotations", "io.kubernetes.cri.sandbox-namespace"));
		json_object_put(o);
		if (i != 1)
			return; /* docker also has config.v2.json, with the image */
	}
	snprintf(path, sizeof(path), "%s/run/containers/storage/overlay-containers/%s/userdata/config.json", pfx,
		 ctr->id);
	o = read_json(path);
	if (o) {
		if (json_str(o, "annotations", "io.kubernetes.cri-o.ImageName"))
			refine_runtime(ctr, "cri-o");
		set_if_empty(ctr->image, sizeof(ctr->image),
			     json_str(o, "annotations", "io.kubernetes.cri-o.ImageName"));
		set_if_empty(ctr->pod, sizeof(ctr->pod), json_str(o, "annotations", "io.kubernetes.pod.name"));
		set_if_empty(ctr->ns, sizeof(ctr->ns), json_str(o, "annotations", "io.kubernetes.pod.namespace"));
		json_object_put(o);
		return;
	}
	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", pfx, ctr->id);
	o = read_json(path);
	if (o) {
		struct json_object *cfg = NULL;

		refine_runtime(ctr, "docker");
		set_if_empty(ctr->image, sizeof(ctr->image), json_str(o, "Config", "Image"));
		if (json_object_object_get_ex(o, "Config", &cfg)) {
			set_if_empty(ctr->pod, sizeof(ctr->pod), json_str(cfg, "Labels", "io.kubernetes.pod.name"));
			set_if_empty(ctr->ns, sizeof(ctr->ns), json_str(cfg, "Labels", "io.kubernetes.pod.namespace"));
		}
		json_object_put(o);
	}
}

/* --- entries ------------------------------------------------------------ */

static void lru_unlink(struct centry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void lru_push_front(struct rtmon_container_cache *c, struct centry *e)
{
	e->next = c->lru.next;
	e->prev = &c->lru;
	c->lru.next->prev = e;
	c->lru.next = e;
}

static void entry_clear(struct centry *e)
{
	free(e->path);
	free(e->ctr);
	e->path = NULL;
	e->ctr = NULL;
}

static void entry_remove(struct rtmon_container_cache *c, struct centry *e)
{
	struct centry **pp = &c->buckets[hash_id(e->cgid, c->nbuckets)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(e);
	entry_clear(e);
	free(e);
	c->n--;
}

static struct centry *entry_find(const struct rtmon_container_cache *c, uint64_t id)
{
	for (struct centry *e = c->buckets[hash_id(id, c->nbuckets)]; e; e = e->hnext)
		if (e->cgid == id)
			return e;
	return NULL;
}

/* (Re)resolves an entry's path and identity; leaves it negative on failure. */
static void entry_resolve(struct rtmon_container_cache *c, struct centry *e)
{
	struct rtmon_container ctr;
	char *path = NULL;

	entry_clear(e);
	if (resolve_path(c, e->cgid, &path) < 0) {
		c->st.negatives++;
		e->expires_ms = now_ms() + c->neg_ttl_ms;
		return;
	}
	e->path = path;
	if (container_parse_cgroup_path(path, &ctr) != 1)
		return;
	fill_state(c, &ctr);
	fill_pod(c, &ctr);
	e->pod_retry_ms = now_ms() + c->refresh_ms;
	e->ctr = malloc(sizeof(*e->ctr));
	if (e->ctr)
		*e->ctr = ctr;
}

static struct centry *entry_get(struct rtmon_container_cache *c, uint64_t id)
{
	struct centry *e = entry_find(c, id);

	if (e) {
		c->st.hits++;
		lru_unlink(e);
		lru_push_front(c, e);
		if (!e->path && now_ms() >= e->expires_ms) {
			entry_resolve(c, e);
		} else if (e->ctr && e->ctr->pod_uid[0] && !e->ctr->pod[0]) {
			/* the pod's log dir may appear after its first process; look at most once per interval */
			uint64_t now = now_ms();

			if (now >= e->pod_retry_ms) {
				fill_pod(c, e->ctr);
				e->pod_retry_ms = now + c->refresh_ms;
			}
		}
		return e;
	}
	c->st.misses++;
	if (c->n >= c->max_entries) {
		c->st.evictions++;
		entry_remove(c, c->lru.prev);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->cgid = id;
	e->hnext = c->buckets[hash_id(id, c->nbuckets)];
	c->buckets[hash_id(id, c->nbuckets)] = e;
	lru_push_front(c, e);
	c->n++;
	entry_resolve(c, e);
	return e;
}

/* --- public ------------------------------------------------------------- */

static int dup_or(const char *s, const char *dflt, char **ret)
{
	*ret = strdup(s && s[0] ? s : dflt);
	return *ret ? 0 : -ENOMEM;
}

int container_cache_new(const struct rtmon_container_opts *opts, struct rtmon_container_cache **ret)
{
	struct rtmon_container_cache *c;
	struct statfs sfs;
	char *root = NULL;
	int r;

	if (!ret)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->root_fd = -1;
	c->lru.next = c->lru.prev = &c->lru;
	c->max_entries = opts && opts->max_entries ? opts->max_entries : DEFAULT_MAX_ENTRIES;
	c->neg_ttl_ms = opts && opts->negative_ttl_ms ? opts->negative_ttl_ms : DEFAULT_NEGATIVE_TTL_MS;
	c->refresh_ms = opts && opts->min_refresh_ms ? opts->min_refresh_ms : DEFAULT_MIN_REFRESH_MS;
	c->pods_max = c->max_entries;
	c->walk_max = c->max_entries * 4 > 16384 ? c->max_entries * 4 : 16384;
	c->nbuckets = pow2_at_least(c->max_entries);
	c->nwbuckets = pow2_at_least(c->walk_max);
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	c->wbuckets = calloc(c->nwbuckets, sizeof(*c->wbuckets));
	r = !c->buckets || !c->wbuckets ? -ENOMEM : 0;
	if (r == 0)
		r = dup_or(opts ? opts->pods_log_dir : NULL, DEFAULT_PODS_LOG_DIR, &c->pods_dir);
	if (r == 0)
		r = dup_or(opts ? opts->state_prefix : NULL, "", &c->state_prefix);
	if (r == 0 && opts && opts->cgroup_root && opts->cgroup_root[0])
		r = dup_or(opts->cgroup_root, "", &root);
	else if (r == 0)
		r = find_cgroup2_mount(&root);
	if (r < 0)
		goto fail;
	c->root = realpath(root, NULL);
	free(root);
	if (!c->root) {
		r = -errno;
		goto fail;
	}
	c->root_fd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->root_fd < 0) {
		r = -errno;
		goto fail;
	}
	c->use_handles = !(opts && opts->no_file_handles) && fstatfs(c->root_fd, &sfs) == 0 &&
			 sfs.f_type == CGROUP2_SUPER_MAGIC;
	*ret = c;
	return 0;
fail:
	container_cache_free(c);
	return r;
}

struct rtmon_container_cache *container_cache_free(struct rtmon_container_cache *c)
{
	if (!c)
		return NULL;
	while (c->buckets && c->lru.next != &c->lru)
		entry_remove(c, c->lru.next);
	if (c->wbuckets)
		walk_index_clear(c);
	free(c->buckets);
	free(c->wbuckets);
	free(c->pods);
	free(c->pods_dir);
	free(c->state_prefix);
	free(c->root);
	if (c->root_fd >= 0)
		close(c->root_fd);
	free(c);
	return NULL;
}

const struct rtmon_container *container_cache_lookup(struct rtmon_container_cache *c, uint64_t cgroup_id)
{
	struct centry *e;

	if (!c || !cgroup_id)
		return NULL;
	e = entry_get(c, cgroup_id);
	return e ? e->ctr : NULL;
}

const char *container_cache_cgroup_path(struct rtmon_container_cache *c, uint64_t cgroup_id)
{
	struct centry *e;

	if (!c || !cgroup_id)
		return NULL;
	e = entry_get(c, cgroup_id);
	return e ? e->path : NULL;
}

size_t container_cache_size(const struct rtmon_container_cache *c)
{
	return c ? c->n : 0;
}

void container_cache_stats(const struct rtmon_container_cache *c, struct rtmon_container_stats *ret)
{
	if (!ret)
		return;
	if (c)
		*ret = c->st;
	else
		memset(ret, 0, sizeof(*ret));
}

const char *container_cache_root(const struct rtmon_container_cache *c)
{
	return c ? c->root : NULL;
}
