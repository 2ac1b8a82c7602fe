/* SPDX-License-Identifier: MIT */
/*
 * container.h - container / Kubernetes identity of a cgroup.
 *
 * container_parse_cgroup_path() (container_parse.c) is pure: it turns a cgroup v2 path such as
 * "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/
 * cri-containerd-<id>.scope" into the runtime, container id and pod uid.
 * The cache (container_cache.c, struct rtmon_container_cache) maps a cgroup id (the cgroup2
 * directory's inode, what bpf_get_current_cgroup_id() returns) to its path and
 * identity; it is bounded and refreshed on a miss.
 */
#ifndef RTMON_CONTAINER_H
#define RTMON_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the length of a full container id (docker, containerd, cri-o, podman): 64 hex digits */
#define RTMON_CONTAINER_ID_HEX 64

struct rtmon_container {
	char id[72];	  /* full container id (64 hex for docker/containerd/crio/podman) */
	char runtime[16]; /* "docker", "containerd", "cri-o", "podman", "kubepods", ... */
	char pod_uid[40]; /* Kubernetes pod uid, "" when not a pod */
	char pod[254];	  /* pod name, "" when unknown */
	char ns[254];	  /* Kubernetes namespace, "" when unknown */
	char image[256];  /* image name, "" when unknown */
};

/*
 * Parses a cgroup path. Returns 1 and fills *ret when the path belongs to a
 * container, 0 for a host cgroup (ret untouched), -EINVAL on a NULL path.
 */
int container_parse_cgroup_path(const char *path, struct rtmon_container *ret);

struct rtmon_container_cache;

struct rtmon_container_opts {
	const char *cgroup_root;  /* cgroup2 mount; NULL = autodetect (/sys/fs/cgroup or .../unified) */
	const char *pods_log_dir; /* /var/log/pods; NULL = default */
	size_t max_entries;	  /* 0 = default (4096) */
	/* appended (container area); zero/NULL = default */
	const char
		*state_prefix; /* prefix of the runtime state dirs (/run/containerd, /var/lib/docker, ...); NULL = "" */
	unsigned negative_ttl_ms; /* how long an unresolvable cgroup id stays negative; 0 = 1000 */
	unsigned min_refresh_ms;  /* at most one cgroup tree walk / pods-dir scan per interval; 0 = 100 */
	bool no_file_handles;	  /* never resolve with open_by_handle_at, always walk the tree */
};

int container_cache_new(const struct rtmon_container_opts *opts, struct rtmon_container_cache **ret);
struct rtmon_container_cache *container_cache_free(struct rtmon_container_cache *c);
/*
 * Looks up a cgroup id. Returns a pointer owned by the cache (valid until the
 * next call) or NULL for host processes / unknown cgroups.
 */
const struct rtmon_container *container_cache_lookup(struct rtmon_container_cache *c, uint64_t cgroup_id);
/* The cgroup v2 path of a cgroup id ("/user.slice/..."), owned by the cache; NULL when unknown. */
const char *container_cache_cgroup_path(struct rtmon_container_cache *c, uint64_t cgroup_id);
size_t container_cache_size(const struct rtmon_container_cache *c);

/* appended (container area): counters for metrics and tests */
struct rtmon_container_stats {
	uint64_t hits;		  /* lookups answered from the cache */
	uint64_t misses;	  /* lookups that had to resolve the id */
	uint64_t handle_resolves; /* ids resolved with open_by_handle_at */
	uint64_t walks;		  /* cgroup tree walks */
	uint64_t pod_scans;	  /* pods-dir scans */
	uint64_t evictions;	  /* entries dropped by the LRU bound */
	uint64_t negatives;	  /* ids that could not be resolved */
};
void container_cache_stats(const struct rtmon_container_cache *c, struct rtmon_container_stats *ret);
/* The cgroup2 mount the cache resolves against ("/sys/fs/cgroup/unified"). */
const char *container_cache_root(const struct rtmon_container_cache *c);

#endif
