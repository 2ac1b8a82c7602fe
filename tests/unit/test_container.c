/* SPDX-License-Identifier: MIT */
/*
 * test_container: proves that container_parse_cgroup_path() recognises the
 * cgroup names of every runtime (and no host cgroup), and that the cgroup id
 * cache resolves ids to paths, pods and images on temp trees and on the real
 * cgroup2 mount, honouring its bounds, negative entries and rate limits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cmocka.h>

#include "container.h"

#define ID1 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define ID2 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID3 "0c8e0a5d3b3e4f9a8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b"
#define UID_U "1d4b3b3e_5f3c_4d2a_9c4b_6b0d7d3f2a11" /* as the systemd driver writes it */
#define UID_D "1d4b3b3e-5f3c-4d2a-9c4b-6b0d7d3f2a11"
#define STATIC_UID "6b8e0c5f7e0a4b5e9d1c2f3a4b5c6d7e" /* static pods: a config hash */

struct parse_case {
	const char *path;
	int want; /* 1 container, 0 host */
	const char *runtime;
	const char *id;
	const char *pod_uid;
};

static const struct parse_case parse_cases[] = {
	/* Docker: cgroupfs driver, systemd driver, docker-in-docker (innermost wins) */
	{ "/docker/" ID1, 1, "docker", ID1, "" },
	{ "/system.slice/docker-" ID2 ".scope", 1, "docker", ID2, "" },
	{ "/docker/" ID1 "/docker/" ID2, 1, "docker", ID2, "" },
	{ "/moby/" ID1, 1, "docker", ID1, "" },
	/* containerd under Kubernetes, systemd driver: burstable, besteffort, guaranteed (no QoS slice) */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice/cri-containerd-" ID1 ".scope",
	  1, "containerd", ID1, UID_D },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U ".slice/cri-containerd-" ID2
	  ".scope",
	  1, "containerd", ID2, UID_D },
	{ "/kubepods.slice/kubepods-pod" UID_U ".slice/cri-containerd-" ID3 ".scope", 1, "containerd", ID3, UID_D },
	/* containerd, systemd cgroup driver on v1 when systemd does not manage the unit */
	{ "/system.slice/containerd.service/kubepods-burstable-pod" UID_U ".slice:cri-containerd:" ID1, 1, "containerd",
	  ID1, UID_D },
	/* cgroupfs driver: the runtime is not in the name ("kubepods", refined by the cache) */
	{ "/kubepods/burstable/pod" UID_D "/" ID1, 1, "kubepods", ID1, UID_D },
	{ "/kubepods/besteffort/pod" UID_D "/" ID2, 1, "kubepods", ID2, UID_D },
	{ "/kubepods/pod" UID_D "/" ID3, 1, "kubepods", ID3, UID_D },
	{ "/kubepods/pod" STATIC_UID "/" ID3, 1, "kubepods", ID3, STATIC_UID },
	{ "/kubepods/burstable/pod" UID_D "/crio-" ID1, 1, "cri-o", ID1, UID_D },
	/* CRI-O, systemd driver; conmon is the host side; the payload's "container" subcgroup */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U ".slice/crio-" ID2 ".scope", 1,
	  "cri-o", ID2, UID_D },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U ".slice/crio-" ID2
	  ".scope/container",
	  1, "cri-o", ID2, UID_D },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_U ".slice/crio-conmon-" ID2 ".scope",
	  0, NULL, NULL, NULL },
	/* docker as the kubelet's runtime (cri-dockerd), systemd driver */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice/docker-" ID3 ".scope", 1,
	  "docker", ID3, UID_D },
	/* Podman: systemd rootful, cgroupfs, rootless, in a pod; conmon is not the container */
	{ "/machine.slice/libpod-" ID1 ".scope", 1, "podman", ID1, "" },
	{ "/libpod_parent/libpod-" ID2, 1, "podman", ID2, "" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID3 ".scope/container", 1, "podman", ID3,
	  "" },
	{ "/machine.slice/machine-libpod_pod_" ID1 ".slice/libpod-" ID2 ".scope", 1, "podman", ID2, "" },
	{ "/machine.slice/libpod-conmon-" ID1 ".scope", 0, NULL, NULL, NULL },
	/* containerd without CRI (ctr / nerdctl) */
	{ "/default/" ID1, 1, "containerd", ID1, "" },
	{ "/k8s.io/" ID2, 1, "containerd", ID2, "" },
	{ "/system.slice/nerdctl-" ID3 ".scope", 1, "containerd", ID3, "" },
	/* a bare 64-hex cgroup elsewhere: some OCI runtime, refined from state by the cache */
	{ "/rtmon-test/" ID1, 1, "oci", ID1, "" },
	/* nested under a host prefix: nspawn payload, a kind node inside docker, kubelet.slice */
	{ "/rtmon-nspawn-1/payload/kubepods/burstable/pod" UID_D "/" ID1, 1, "kubepods", ID1, UID_D },
	{ "/system.slice/docker-" ID1 ".scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UID_U ".slice/cri-containerd-" ID2 ".scope",
	  1, "containerd", ID2, UID_D },
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-pod" UID_U ".slice/cri-containerd-" ID3 ".scope", 1,
	  "containerd", ID3, UID_D },
	{ "/system.slice/docker-" ID1 ".scope/kubelet.slice", 1, "docker", ID1, "" },
	/* LXC 4+, LXC 3, LXC 1/2; the monitor is the host side */
	{ "/lxc.payload.web1", 1, "lxc", "web1", "" },
	{ "/lxc.payload.web1/system.slice/cron.service", 1, "lxc", "web1", "" },
	{ "/lxc.payload/web2", 1, "lxc", "web2", "" },
	{ "/lxc/web3", 1, "lxc", "web3", "" },
	{ "/lxc.monitor.web1", 0, NULL, NULL, NULL },
	/* systemd-nspawn: the payload is the container, the supervisor is nspawn itself */
	{ "/machine.slice/systemd-nspawn@debian.service", 1, "nspawn", "debian", "" },
	{ "/machine.slice/systemd-nspawn@debian.service/payload/system.slice/cron.service", 1, "nspawn", "debian", "" },
	{ "/machine.slice/systemd-nspawn@debian.service/supervisor", 0, NULL, NULL, NULL },
	/* host cgroups */
	{ "/", 0, NULL, NULL, NULL },
	{ "", 0, NULL, NULL, NULL },
	{ "/init.scope", 0, NULL, NULL, NULL },
	{ "/user.slice/user-1000.slice/session-3.scope", 0, NULL, NULL, NULL },
	{ "/system.slice/sshd.service", 0, NULL, NULL, NULL },
	{ "/system.slice/docker.service", 0, NULL, NULL, NULL },
	{ "/system.slice/containerd.service", 0, NULL, NULL, NULL },
	{ "/kubepods.slice", 0, NULL, NULL, NULL },
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice", 0, NULL, NULL, NULL },
	{ "/kubepods/burstable/pod" UID_D, 0, NULL, NULL, NULL },
	/* plain runc with a custom cgroupsPath: nothing in the name says "container" */
	{ "/rtmon-test/ctr1", 0, NULL, NULL, NULL },
	/* near misses: wrong id length, upper case, not hex, a bad pod uid */
	{ "/system.slice/docker-"
	  "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c3842814297"
	  ".scope",
	  0, NULL, NULL, NULL },
	{ "/docker/4F797C539E6C745DE61A93CA3FF892358ECBCACCD8414D5DB545C38428142970", 0, NULL, NULL, NULL },
	{ "/docker/zf797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970", 0, NULL, NULL, NULL },
	{ "/kubepods/burstable/podnot-a-uid/" ID1, 1, "kubepods", ID1, "" },
	{ "/docker-" ID1 ".scopex", 0, NULL, NULL, NULL },
};

static void parse__table__expected_identity(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *tc = &parse_cases[i];
		struct rtmon_container ctr;
		int r;

		memset(&ctr, 0x5a, sizeof(ctr));
		r = container_parse_cgroup_path(tc->path, &ctr);
		if (r != tc->want)
			fail_msg("%s: got %d, want %d", tc->path, r, tc->want);
		if (!tc->want) {
			/* untouched on 0 */
			for (size_t j = 0; j < sizeof(ctr); j++)
				if (((unsigned char *)&ctr)[j] != 0x5a)
					fail_msg("%s: ret written for a host cgroup", tc->path);
			continue;
		}
		if (strcmp(ctr.runtime, tc->runtime) || strcmp(ctr.id, tc->id) || strcmp(ctr.pod_uid, tc->pod_uid))
			fail_msg("%s: got runtime=%s id=%s pod_uid=%s", tc->path, ctr.runtime, ctr.id, ctr.pod_uid);
		assert_string_equal(ctr.pod, "");
		assert_string_equal(ctr.ns, "");
		assert_string_equal(ctr.image, "");
	}
}

static void parse__null__einval(void **state)
{
	struct rtmon_container ctr;

	(void)state;
	assert_int_equal(container_parse_cgroup_path(NULL, &ctr), -EINVAL);
	assert_int_equal(container_parse_cgroup_path("/", NULL), -EINVAL);
}

static void parse__overlong_lxc_name__host(void **state)
{
	char path[256];
	struct rtmon_container ctr;

	(void)state;
	snprintf(path, sizeof(path), "/lxc.payload.%0*d", 80, 7);
	assert_int_equal(container_parse_cgroup_path(path, &ctr), 0);
}

/* ------------------------------------------------------------------ */
/* cache on temp trees                                                 */
/* ------------------------------------------------------------------ */

struct tree {
	char dir[64];	 /* mkdtemp */
	char cg[128];	 /* dir/cg: the fake cgroup root */
	char pods[128];	 /* dir/pods */
	char state[128]; /* dir/state: runtime state prefix */
};

static void xmkdir_p(const char *path)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				fail_msg("mkdir %s: %s", buf, strerror(errno));
			*p = '/';
		}
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", buf, strerror(errno));
}

static uint64_t mkcg(const struct tree *t, const char *rel)
{
	char p[1024];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", t->cg, rel);
	xmkdir_p(p);
	assert_int_equal(stat(p, &sb), 0);
	return (uint64_t)sb.st_ino;
}

static void write_file(const char *path, const char *text)
{
	char dir[1024];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	xmkdir_p(dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "/tmp/rtmon-ctrtest.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->cg, sizeof(t->cg), "%s/cg", t->dir);
	snprintf(t->pods, sizeof(t->pods), "%s/pods", t->dir);
	snprintf(t->state, sizeof(t->state), "%s/state", t->dir);
	mkdir(t->cg, 0755);
	mkdir(t->pods, 0755);
	mkdir(t->state, 0755);
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char cmd[256];
	int r;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	r = system(cmd);
	free(t);
	return r == 0 ? 0 : -1;
}

static struct rtmon_container_cache *cache_for(const struct tree *t, size_t max, unsigned ttl, unsigned refresh)
{
	struct rtmon_container_cache *c = NULL;

	assert_int_equal(container_cache_new(&(struct rtmon_container_opts){ .cgroup_root = t->cg,
									     .pods_log_dir = t->pods,
									     .state_prefix = t->state,
									     .max_entries = max,
									     .negative_ttl_ms = ttl,
									     .min_refresh_ms = refresh },
					     &c),
			 0);
	return c;
}

#define KUBE_LEAF \
	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_U ".slice/cri-containerd-" ID1 ".scope"

static void cache__kubepods_tree__path_container_and_pod(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c;
	const struct rtmon_container *ctr;
	struct rtmon_container_stats st;
	char p[512];
	uint64_t leaf = mkcg(t, KUBE_LEAF), host = mkcg(t, "/system.slice/sshd.service");
	struct stat sb;

	snprintf(p, sizeof(p), "%s/shop_web-7d9_" UID_D, t->pods);
	xmkdir_p(p);
	snprintf(p, sizeof(p), "%s/kube-system_coredns-1_00000000-0000-0000-0000-000000000001", t->pods);
	xmkdir_p(p);
	snprintf(p, sizeof(p), "%s/not_a_valid_podname", t->pods); /* four parts: ignored */
	xmkdir_p(p);
	c = cache_for(t, 0, 0, 0);

	assert_string_equal(container_cache_cgroup_path(c, leaf), KUBE_LEAF);
	ctr = container_cache_lookup(c, leaf);
	assert_non_null(ctr);
	assert_string_equal(ctr->runtime, "containerd");
	assert_string_equal(ctr->id, ID1);
	assert_string_equal(ctr->pod_uid, UID_D);
	assert_string_equal(ctr->pod, "web-7d9");
	assert_string_equal(ctr->ns, "shop");
	assert_string_equal(ctr->image, "");

	assert_null(container_cache_lookup(c, host));
	assert_string_equal(container_cache_cgroup_path(c, host), "/system.slice/sshd.service");
	assert_int_equal(stat(t->cg, &sb), 0);
	assert_string_equal(container_cache_cgroup_path(c, (uint64_t)sb.st_ino), "/");
	assert_null(container_cache_lookup(c, 0));

	container_cache_stats(c, &st);
	assert_int_equal(st.walks, 1); /* one walk indexed all three */
	assert_int_equal(st.handle_resolves, 0);
	assert_int_equal(st.misses, 3);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.pod_scans, 1);
	assert_int_equal(container_cache_size(c), 3);
	container_cache_free(c);
}

static void cache__unknown_id__negative_until_expiry(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 0, 80, 10);
	struct rtmon_container_stats st;
	char outside[256], inside[256];
	struct stat sb;

	/* a directory outside the root: its inode is not in the tree yet */
	snprintf(outside, sizeof(outside), "%s/later", t->dir);
	xmkdir_p(outside);
	assert_int_equal(stat(outside, &sb), 0);
	assert_null(container_cache_cgroup_path(c, (uint64_t)sb.st_ino));
	container_cache_stats(c, &st);
	assert_int_equal(st.negatives, 1);
	assert_int_equal(st.walks, 1);

	/* it appears in the tree (rename keeps the inode) but the entry is negative for 80 ms */
	snprintf(inside, sizeof(inside), "%s/docker/" ID2, t->cg);
	mkcg(t, "/docker");
	assert_int_equal(rename(outside, inside), 0);
	usleep(20 * 1000);
	assert_null(container_cache_cgroup_path(c, (uint64_t)sb.st_ino));
	container_cache_stats(c, &st);
	assert_int_equal(st.walks, 1);
	assert_int_equal(st.negatives, 1);

	usleep(100 * 1000);
	assert_string_equal(container_cache_cgroup_path(c, (uint64_t)sb.st_ino), "/docker/" ID2);
	assert_string_equal(container_cache_lookup(c, (uint64_t)sb.st_ino)->runtime, "docker");
	container_cache_stats(c, &st);
	assert_int_equal(st.walks, 2);
	container_cache_free(c);
}

static void cache__misses__walk_rate_limited(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 0, 1, 60000);
	struct rtmon_container_stats st;
	uint64_t a = mkcg(t, "/a");

	assert_string_equal(container_cache_cgroup_path(c, a), "/a");
	/* ids unknown to the tree: no second walk within the interval */
	for (uint64_t bogus = 1; bogus < 50; bogus++)
		container_cache_cgroup_path(c, bogus + 0x7fff000000000000ULL);
	container_cache_stats(c, &st);
	assert_int_equal(st.walks, 1);
	assert_int_equal(st.negatives, 49);
	/* a cgroup created after the walk is not found until the interval passes */
	uint64_t b = mkcg(t, "/b");
	assert_null(container_cache_cgroup_path(c, b));
	container_cache_free(c);

	c = cache_for(t, 0, 1, 1);
	assert_string_equal(container_cache_cgroup_path(c, a), "/a");
	usleep(5 * 1000);
	assert_string_equal(container_cache_cgroup_path(c, b), "/b"); /* cached index: no walk needed */
	container_cache_stats(c, &st);
	assert_int_equal(st.walks, 1);
	container_cache_free(c);
}

static void cache__lru_bound__evicts_oldest(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 4, 0, 0);
	struct rtmon_container_stats st;
	uint64_t ids[6];
	char rel[32];

	for (int i = 0; i < 6; i++) {
		snprintf(rel, sizeof(rel), "/c%d", i);
		ids[i] = mkcg(t, rel);
	}
	for (int i = 0; i < 6; i++)
		assert_non_null(container_cache_cgroup_path(c, ids[i]));
	assert_int_equal(container_cache_size(c), 4);
	container_cache_stats(c, &st);
	assert_int_equal(st.evictions, 2);
	assert_int_equal(st.misses, 6);
	/* c5 was used last: a hit; c0 was evicted: a miss, resolved again */
	assert_string_equal(container_cache_cgroup_path(c, ids[5]), "/c5");
	assert_string_equal(container_cache_cgroup_path(c, ids[0]), "/c0");
	container_cache_stats(c, &st);
	assert_int_equal(st.hits, 1);
	assert_int_equal(st.misses, 7);
	assert_int_equal(st.evictions, 3);
	assert_int_equal(container_cache_size(c), 4);
	container_cache_free(c);
}

static void cache__pod_dir_appears_later__filled_on_next_lookup(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 0, 0, 30);
	const struct rtmon_container *ctr;
	char p[512];
	uint64_t leaf = mkcg(t, "/kubepods/besteffort/pod" UID_D "/" ID2);

	ctr = container_cache_lookup(c, leaf);
	assert_non_null(ctr);
	assert_string_equal(ctr->pod_uid, UID_D);
	assert_string_equal(ctr->pod, "");
	snprintf(p, sizeof(p), "%s/prod_api-0_" UID_D, t->pods);
	xmkdir_p(p);
	ctr = container_cache_lookup(c, leaf); /* within the interval: no rescan */
	assert_string_equal(ctr->pod, "");
	usleep(50 * 1000);
	ctr = container_cache_lookup(c, leaf);
	assert_string_equal(ctr->pod, "api-0");
	assert_string_equal(ctr->ns, "prod");
	assert_string_equal(ctr->runtime, "kubepods"); /* no runtime state: stays vague */
	container_cache_free(c);
}

static void cache__runtime_state__image_pod_and_runtime(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 0, 0, 0);
	const struct rtmon_container *ctr;
	char p[1024];
	uint64_t ctrd = mkcg(t, "/kubepods/burstable/pod" UID_D "/" ID1);
	uint64_t crio = mkcg(t, "/kubepods/burstable/pod" STATIC_UID "/" ID2);
	uint64_t dock = mkcg(t, "/docker/" ID3);

	snprintf(p, sizeof(p), "%s/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json", t->state);
	write_file(p, "{\"ociVersion\":\"1.1.0\",\"annotations\":{\"io.kubernetes.cri.image-name\":"
		      "\"docker.io/library/nginx:1.27\",\"io.kubernetes.cri.sandbox-name\":\"web-7d9\","
		      "\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}");
	snprintf(p, sizeof(p), "%s/run/containers/storage/overlay-containers/" ID2 "/userdata/config.json", t->state);
	write_file(p, "{\"annotations\":{\"io.kubernetes.cri-o.ImageName\":\"quay.io/app/api:v2\","
		      "\"io.kubernetes.pod.name\":\"kube-apiserver-node1\",\"io.kubernetes.pod.namespace\":\"kube-"
		      "system\"}}");
	snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" ID3 "/config.v2.json", t->state);
	write_file(p, "{\"ID\":\"" ID3 "\",\"Config\":{\"Image\":\"redis:7\",\"Labels\":{}}}");

	ctr = container_cache_lookup(c, ctrd);
	assert_string_equal(ctr->runtime, "containerd");
	assert_string_equal(ctr->image, "docker.io/library/nginx:1.27");
	assert_string_equal(ctr->pod, "web-7d9");
	assert_string_equal(ctr->ns, "shop");
	ctr = container_cache_lookup(c, crio);
	assert_string_equal(ctr->runtime, "cri-o");
	assert_string_equal(ctr->image, "quay.io/app/api:v2");
	assert_string_equal(ctr->pod, "kube-apiserver-node1");
	assert_string_equal(ctr->ns, "kube-system");
	assert_string_equal(ctr->pod_uid, STATIC_UID);
	ctr = container_cache_lookup(c, dock);
	assert_string_equal(ctr->runtime, "docker");
	assert_string_equal(ctr->image, "redis:7");
	assert_string_equal(ctr->pod, "");
	container_cache_free(c);
}

static void cache__bad_state_json__ignored(void **state)
{
	struct tree *t = *state;
	struct rtmon_container_cache *c = cache_for(t, 0, 0, 0);
	const struct rtmon_container *ctr;
	char p[1024];
	uint64_t dock = mkcg(t, "/docker/" ID1);

	snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" ID1 "/config.v2.json", t->state);
	write_file(p, "{\"Config\":{\"Image\":42}"); /* truncated, wrong type */
	ctr = container_cache_lookup(c, dock);
	assert_non_null(ctr);
	assert_string_equal(ctr->runtime, "docker");
	assert_string_equal(ctr->image, "");
	container_cache_free(c);
}

static void cache__bad_root__error(void **state)
{
	struct rtmon_container_cache *c = NULL;

	(void)state;
	assert_int_equal(container_cache_new(&(struct rtmon_container_opts){ .cgroup_root = "/nonexistent/rtmon" }, &c),
			 -ENOENT);
	assert_null(c);
	assert_int_equal(container_cache_new(NULL, NULL), -EINVAL);
	assert_null(container_cache_free(NULL));
}

/* ------------------------------------------------------------------ */
/* the real cgroup2 mount (root only)                                  */
/* ------------------------------------------------------------------ */

static void cache__real_cgroup2__handle_walk_and_vanished(void **state)
{
	struct rtmon_container_cache *c = NULL, *w = NULL;
	struct rtmon_container_stats st;
	char base[256], leaf[512], rel[512];
	const struct rtmon_container *ctr;
	struct stat sb;
	uint64_t id;

	(void)state;
	if (geteuid() != 0 || container_cache_new(NULL, &c) < 0) {
		print_message("skipped: needs root and a cgroup2 mount\n");
		skip();
	}
	snprintf(base, sizeof(base), "%s/rtmon-unit-%d", container_cache_root(c), (int)getpid());
	snprintf(rel, sizeof(rel), "/rtmon-unit-%d/kubepods/besteffort/pod" UID_D "/" ID3, (int)getpid());
	snprintf(leaf, sizeof(leaf), "%s/kubepods/besteffort/pod" UID_D "/" ID3, base);
	if (mkdir(base, 0755) < 0) {
		container_cache_free(c);
		print_message("skipped: cannot create cgroups: %s\n", strerror(errno));
		skip();
	}
	xmkdir_p(leaf);
	assert_int_equal(stat(leaf, &sb), 0);
	id = (uint64_t)sb.st_ino;

	ctr = container_cache_lookup(c, id);
	assert_non_null(ctr);
	assert_string_equal(ctr->id, ID3);
	assert_string_equal(ctr->pod_uid, UID_D);
	assert_string_equal(container_cache_cgroup_path(c, id), rel);
	container_cache_stats(c, &st);
	assert_int_equal(st.handle_resolves, 1);
	assert_int_equal(st.walks, 0);

	assert_int_equal(container_cache_new(&(struct rtmon_container_opts){ .no_file_handles = true }, &w), 0);
	assert_string_equal(container_cache_cgroup_path(w, id), rel);
	container_cache_stats(w, &st);
	assert_int_equal(st.walks, 1);
	assert_int_equal(st.handle_resolves, 0);

	/* the cgroup goes away: the known entry stays (ids are not reused), a fresh cache gets nothing */
	for (size_t blen = strlen(base); strlen(leaf) > blen; *strrchr(leaf, '/') = '\0')
		assert_int_equal(rmdir(leaf), 0); /* leaf first, up to base */
	rmdir(base);
	assert_int_not_equal(stat(base, &sb), 0);
	assert_string_equal(container_cache_cgroup_path(c, id), rel);
	container_cache_free(c);
	c = NULL;
	assert_int_equal(container_cache_new(NULL, &c), 0);
	assert_null(container_cache_cgroup_path(c, id));
	container_cache_stats(c, &st);
	assert_int_equal(st.negatives, 1);
	assert_int_equal(st.walks, 0); /* ESTALE from the kernel is final: no walk */
	container_cache_free(c);
	container_cache_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse__table__expected_identity),
		cmocka_unit_test(parse__null__einval),
		cmocka_unit_test(parse__overlong_lxc_name__host),
		cmocka_unit_test_setup_teardown(cache__kubepods_tree__path_container_and_pod, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(cache__unknown_id__negative_until_expiry, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(cache__misses__walk_rate_limited, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(cache__lru_bound__evicts_oldest, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(cache__pod_dir_appears_later__filled_on_next_lookup, tree_setup,
						tree_teardown),
		cmocka_unit_test_setup_teardown(cache__runtime_state__image_pod_and_runtime, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(cache__bad_state_json__ignored, tree_setup, tree_teardown),
		cmocka_unit_test(cache__bad_root__error),
		cmocka_unit_test(cache__real_cgroup2__handle_walk_and_vanished),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
