/* SPDX-License-Identifier: MIT */
/*
 * loader.c - the libbpf-bootstrap lifecycle: open -> set rodata -> load ->
 * attach. A syscall tracepoint absent from this kernel switches its program
 * off (bpf_program__set_autoload) instead of failing the whole load, and a
 * program that fails to attach loses its capability, not the daemon: only
 * when nothing attaches does loader_open fail.
 *
 * Hooks modes (bpf.hooks): every syscall hook exists as a tracepoint (on_*),
 * fentry/fexit (fe_*) and kprobe (kp_*) program, and three as BPF LSM (ls_*).
 * One set is loaded (the others' autoload is off). A mode is probed first
 * (a two-instruction program loaded and attached); when the mode's load or
 * attach still fails, the object is reopened in the next mode: lsm ->
 * fentry -> kprobe -> tracepoint.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "loader.h"
#include "log.h"
#include "privs.h"
#include "rtmon.skel.h"
#include "watch.h"

struct rtmon_loader {
	struct rtmon_bpf *skel;
	enum rtmon_hooks hooks;
	struct ring_buffer *rb;
	int counters_fd;
	int ncpu;
	size_t ring_size;
	const volatile uint64_t *cons_pos, *prod_pos;
	size_t nprogs;
	struct bpf_link *links[64];
	/* ids of our programs, maps and links, to recognise bpf() by others that reaches them */
	uint32_t ids[3][64];
	size_t nids[3];
	/* capabilities: name, program(s), attached; lost = wanted but not available on this kernel */
	struct rtmon_cap {
		const char *name;
		bool on, lost;
	} caps[24];
	size_t ncaps;
	char lost[256];
};

static void note_id(struct rtmon_loader *l, enum rtmon_bpf_kind k, int fd)
{
	/* bpf_prog_info, bpf_map_info and bpf_link_info all start with type, id (prog: type, id) */
	union {
		struct bpf_prog_info p;
		struct bpf_map_info m;
		struct bpf_link_info k;
	} info;
	__u32 len = sizeof(info);
	uint32_t id;

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) < 0 || l->nids[k] >= 64)
		return;
	id = k == RTMON_BPF_PROG ? info.p.id : k == RTMON_BPF_MAP ? info.m.id : info.k.id;
	l->ids[k][l->nids[k]++] = id;
}

static void note_ids(struct rtmon_loader *l)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	bpf_object__for_each_program(prog, l->skel->obj) if (bpf_program__autoload(prog))
		note_id(l, RTMON_BPF_PROG, bpf_program__fd(prog));
	bpf_object__for_each_map(map, l->skel->obj) note_id(l, RTMON_BPF_MAP, bpf_map__fd(map));
	for (size_t i = 0; i < l->nprogs; i++)
		note_id(l, RTMON_BPF_LINK, bpf_link__fd(l->links[i]));
}

int loader_owns(const struct rtmon_loader *l, enum rtmon_bpf_kind k, uint32_t id)
{
	for (size_t i = 0; l && id && i < l->nids[k]; i++)
		if (l->ids[k][i] == id)
			return 1;
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf is chatty at debug level; its warnings matter */
	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	log_vmsg(level == LIBBPF_WARN ? LOG_WARNING : LOG_DEBUG, fmt, ap);
	return 0;
}

/* ---- preflight: why BPF cannot work here, named before anything is tried ---- */

static long status_field(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	size_t klen = strlen(key);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			v = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	return v;
}

static bool in_user_namespace(char *map, size_t len)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long a = 0, b = 0, n = 0;
	bool inside;

	if (!f)
		return false;
	inside = fscanf(f, "%lu %lu %lu", &a, &b, &n) != 3 || a != 0 || b != 0 || n != 4294967295ul;
	fclose(f);
	snprintf(map, len, "%lu %lu %lu", a, b, n);
	return inside;
}

static int check_caps(char *err, size_t len)
{
	uint64_t eff = privs_effective();
	bool bpf = eff & (1ull << CAP_BPF), perfmon = eff & (1ull << CAP_PERFMON);

	if ((bpf && perfmon) || (eff & (1ull << CAP_SYS_ADMIN)))
		return 0;
	snprintf(err, len,
		 "cannot load BPF programs: missing capability %s%s%s (rtmon runs as uid %u): run it as "
		 "root (sudo rtmon) or from rtmon.service, or grant CAP_BPF and CAP_PERFMON (containers: "
		 "--cap-add BPF --cap-add PERFMON)",
		 bpf ? "" : "CAP_BPF", !bpf && !perfmon ? " and " : "", perfmon ? "" : "CAP_PERFMON",
		 (unsigned)geteuid());
	return -EPERM;
}

/* 0, or -errno of a call a seccomp filter (Seccomp: 2) refuses */
static int probe_bpf_syscall(void)
{
	union bpf_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

static int probe_perf_syscall(void)
{
	struct perf_event_attr a;
	long fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_DUMMY;
	a.disabled = 1;
	fd = syscall(__NR_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close((int)fd);
	return 0;
}

static int check_syscalls(char *err, size_t len)
{
	long seccomp = status_field("Seccomp");
	int rb = probe_bpf_syscall(), rp = rb == 0 ? probe_perf_syscall() : 0;
	const char *call = rb < 0 ? "bpf" : "perf_event_open";
	int r = rb < 0 ? rb : rp;

	if (r != -EPERM && r != -EACCES && r != -ENOSYS)
		return 0;
	if (seccomp == 2)
		snprintf(err, len,
			 "cannot load BPF programs: the %s() system call is blocked by a seccomp filter "
			 "(a container or service sandbox): allow bpf and perf_event_open (systemd-nspawn: "
			 "--system-call-filter='bpf perf_event_open'; docker/podman: --security-opt "
			 "seccomp=unconfined; systemd unit: SystemCallFilter=bpf perf_event_open)",
			 call);
	else if (rb < 0)
		snprintf(err, len,
			 "cannot load BPF programs: the bpf() system call was refused (%s) although rtmon "
			 "has the capabilities: a security module (SELinux, AppArmor, lockdown) forbids it",
			 strerror(-r));
	else
		return 0; /* perf_event_paranoid and friends: the attach names it */
	return r;
}

/*
 * Checks, in the order an operator can fix them, that BPF can work here: a
 * user namespace, the capabilities, a seccomp filter, the kernel's BTF.
 * Returns 0 or -errno with one line (the cause and the fix) in err.
 */
int loader_preflight(char *err, size_t len)
{
	char map[64];
	int r;

	if (in_user_namespace(map, sizeof(map))) {
		snprintf(err, len,
			 "cannot load BPF programs: rtmon runs in a user namespace (uid_map \"%s\"): "
			 "BPF needs capabilities in the host's initial user namespace; run it on the host or in a "
			 "container without user namespacing (no --private-users, no userns-remap)",
			 map);
		return -EPERM;
	}
	r = check_caps(err, len);
	if (r == 0)
		r = check_syscalls(err, len);
	if (r == 0 && access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		snprintf(err, len,
			 "cannot load BPF programs: the kernel's BTF is missing (/sys/kernel/btf/vmlinux: "
			 "%s): the kernel needs CONFIG_DEBUG_INFO_BTF=y; in a container, bind /sys/kernel/btf "
			 "read-only",
			 strerror(errno));
		r = -ENOENT;
	}
	return r;
}

static int tracepoint_exists(const char *category, const char *name)
{
	static const char *const roots[] = { "/sys/kernel/tracing/events", "/sys/kernel/debug/tracing/events" };
	char path[256];

	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", roots[i], category, name);
		if (access(path, F_OK) == 0)
			return 1;
	}
	return 0;
}

/*
 * libbpf finds tracepoint ids in tracefs. Hosts without systemd (and some
 * containers) do not mount it: mount it where the kernel expects it. This
 * changes nothing about what the kernel or a process does. Returns false
 * (after one warning naming the fix) when tracefs cannot be used.
 */
static bool ensure_tracefs(void)
{
	if (access("/sys/kernel/tracing/events", F_OK) == 0 || access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return true;
	if (errno != EACCES &&
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0) {
		log_info("mounted tracefs on /sys/kernel/tracing");
		return true;
	}
	log_warnx("tracefs is not usable at /sys/kernel/tracing (%s): the syscall tracepoints (connect, ptrace, "
		  "memfd_create, mmap, mprotect, process_vm_writev, dup, bpf, signals) are off; mount it "
		  "(mount -t tracefs tracefs /sys/kernel/tracing) or, in a container, bind it "
		  "(--bind-ro=/sys/kernel/tracing, -v /sys/kernel/tracing:/sys/kernel/tracing:ro)",
		  errno == EACCES ? "permission denied" : "not mounted, and mounting it failed");
	return false;
}

/* One hook: its variants (NULL where it has none), whether the config wants it, its tracepoint, its capability. */
struct prog_switch {
	struct bpf_program *tp, *fe, *kp, *ls;
	bool wanted;
	const char *category, *tpname, *cap;
};

/* The variant of sw that mode loads: hooks without a variant keep their tracepoint (not a syscall one). */
static struct bpf_program *variant(const struct prog_switch *sw, enum rtmon_hooks mode)
{
	struct bpf_program *p = NULL;

	switch (mode) {
	case RTMON_HOOKS_LSM:
		p = sw->ls ? sw->ls : sw->fe;
		break;
	case RTMON_HOOKS_FENTRY:
		p = sw->fe;
		break;
	case RTMON_HOOKS_KPROBE:
		p = sw->kp;
		break;
	default:
		break;
	}
	return p ? p : sw->tp;
}

/*
 * A file the kernel has when a capability applies at all; without it the capability's programs are
 * off and nothing is lost (a kernel built without loadable modules has no module loads to see).
 */
static const char *cap_applies_if(const char *cap)
{
	return strcmp(cap, "module") == 0 ? "/proc/modules" : NULL;
}

static struct rtmon_cap *cap_get(struct rtmon_loader *l, const char *name)
{
	for (size_t i = 0; i < l->ncaps; i++)
		if (strcmp(l->caps[i].name, name) == 0)
			return &l->caps[i];
	if (l->ncaps >= sizeof(l->caps) / sizeof(l->caps[0]))
		return &l->caps[l->ncaps - 1]; /* never: the table below is shorter */
	l->caps[l->ncaps] = (struct rtmon_cap){ .name = name, .on = true };
	return &l->caps[l->ncaps++];
}

/* A program switched off: its capability is off, and lost when the kernel (not the config) is why. */
static void cap_off(struct rtmon_loader *l, const char *name, bool lost)
{
	struct rtmon_cap *c = cap_get(l, name);

	c->on = false;
	c->lost = c->lost || lost;
}

/* The env var RTMON_TEST_HIDE_TRACEPOINTS ("cat/name,...") makes tracepoints look absent: tests only. */
static bool tracepoint_hidden(const char *category, const char *name)
{
	const char *h = getenv("RTMON_TEST_HIDE_TRACEPOINTS");
	char want[128];
	size_t n;

	if (!h || !*h)
		return false;
	n = (size_t)snprintf(want, sizeof(want), "%s/%s", category, name);
	for (const char *p = h; (p = strstr(p, want)); p += n)
		if ((p == h || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Whether the kernel's BTF has function fn (the target of an fentry, fexit or LSM program). */
static bool btf_has_func(const struct btf *btf, const char *section)
{
	const char *fn = strchr(section, '/');
	char name[128];

	if (!btf || !fn)
		return btf == NULL; /* no BTF to ask: let the load decide */
	if (strncmp(section, "lsm/", 4) == 0)
		snprintf(name, sizeof(name), "bpf_lsm_%s", fn + 1);
	else
		snprintf(name, sizeof(name), "%s", fn + 1);
	return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* Whether the chosen program of a wanted hook can load here; logs why not. */
static bool hook_available(struct rtmon_loader *l, const struct prog_switch *sw, struct bpf_program *p, bool tracefs,
			   const struct btf *btf)
{
	const char *needs = cap_applies_if(sw->cap);

	if (needs && access(needs, F_OK) != 0) {
		log_info("%s: no %s on this kernel, its events cannot happen", sw->cap, needs);
		cap_off(l, sw->cap, false);
		return false;
	}
	if (p != sw->tp) {
		if (bpf_program__type(p) == BPF_PROG_TYPE_KPROBE || btf_has_func(btf, bpf_program__section_name(p)))
			return true;
		log_warnx("%s is not in this kernel's BTF, its events are off", bpf_program__section_name(p));
		cap_off(l, sw->cap, true);
		return false;
	}
	if (!tracefs) {
		cap_off(l, sw->cap, true); /* ensure_tracefs() said so, once */
		return false;
	}
	if (tracepoint_hidden(sw->category, sw->tpname) || !tracepoint_exists(sw->category, sw->tpname)) {
		log_warnx("tracepoint %s/%s is not available on this kernel, its events are off", sw->category,
			  sw->tpname);
		cap_off(l, sw->cap, true);
		return false;
	}
	return true;
}

#define SW(n, want, tp, cap)                                                                       \
	{                                                                                          \
		s->progs.on_##n, s->progs.fe_##n, s->progs.kp_##n, NULL, want, "syscalls", tp, cap \
	}

static void select_programs(struct rtmon_loader *l, const struct rtmon_loader_opts *o, bool tracefs,
			    const struct btf *btf)
{
	struct rtmon_bpf *s = l->skel;
	const struct prog_switch sw[] = {
		{ s->progs.on_sock_state, NULL, NULL, NULL, o->probe_connect, "sock", "inet_sock_set_state",
		  "connect" },
		{ s->progs.on_connect, s->progs.fe_connect, s->progs.kp_connect, s->progs.ls_connect, o->probe_connect,
		  "syscalls", "sys_enter_connect", "connect" },
		SW(ptrace, o->probe_ptrace, "sys_enter_ptrace", "ptrace"),
		SW(memfd, o->probe_memfd, "sys_enter_memfd_create", "memfd"),
		SW(mmap, o->probe_mmap, "sys_enter_mmap", "mmap"),
		SW(mprotect, o->probe_mprotect, "sys_enter_mprotect", "mprotect"),
		SW(vm_writev, o->probe_vm_writev, "sys_enter_process_vm_writev", "vm_writev"),
		SW(dup2, o->probe_dup, "sys_enter_dup2", "dup"),
		SW(dup3, o->probe_dup, "sys_enter_dup3", "dup"),
		{ s->progs.on_bpf, s->progs.fe_bpf, s->progs.kp_bpf, s->progs.ls_bpf, true, "syscalls", "sys_enter_bpf",
		  "bpf" },
		SW(openat_exit, o->probe_file, "sys_exit_openat", "file"),
		SW(open_exit, o->probe_file, "sys_exit_open", "file"),
		SW(creat_exit, o->probe_file, "sys_exit_creat", "file"),
		SW(openat2_exit, o->probe_file, "sys_exit_openat2", "file"),
		SW(ftruncate, o->probe_file, "sys_enter_ftruncate", "file"),
		SW(truncate, o->probe_file, "sys_enter_truncate", "file"),
		SW(unlinkat, o->probe_file, "sys_enter_unlinkat", "file"),
		SW(unlink, o->probe_file, "sys_enter_unlink", "file"),
		SW(renameat2, o->probe_file, "sys_enter_renameat2", "file"),
		SW(renameat, o->probe_file, "sys_enter_renameat", "file"),
		SW(rename_path, o->probe_file, "sys_enter_rename", "file"),
		{ s->progs.on_module_load, NULL, NULL, NULL, o->probe_module, "module", "module_load", "module" },
		{ s->progs.on_socket, s->progs.fe_socket, s->progs.kp_socket, s->progs.ls_socket, o->probe_socket,
		  "syscalls", "sys_enter_socket", "socket" },
		SW(unshare, o->probe_namespace, "sys_enter_unshare", "namespace"),
		SW(setns, o->probe_namespace, "sys_enter_setns", "namespace"),
		SW(mount, o->probe_namespace, "sys_enter_mount", "namespace"),
		SW(open_tree, o->probe_namespace, "sys_enter_open_tree", "namespace"),
		SW(move_mount, o->probe_namespace, "sys_enter_move_mount", "namespace"),
		SW(fsmount, o->probe_namespace, "sys_enter_fsmount", "namespace"),
		SW(chmod, o->probe_file, "sys_enter_chmod", "file"),
		SW(fchmodat, o->probe_file, "sys_enter_fchmodat", "file"),
		SW(fchmod, o->probe_file, "sys_enter_fchmod", "file"),
		SW(setxattr, o->probe_file, "sys_enter_setxattr", "file"),
		SW(lsetxattr, o->probe_file, "sys_enter_lsetxattr", "file"),
		SW(fsetxattr, o->probe_file, "sys_enter_fsetxattr", "file"),
		{ s->progs.on_task_newtask, NULL, NULL, NULL, o->probe_namespace, "task", "task_newtask", "namespace" },
		{ s->progs.on_signal, NULL, NULL, NULL, true, "signal", "signal_generate", "signal" },
	};
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->obj)
	{
		bool optional = false;

		for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++)
			optional = optional || sw[i].tp == prog || sw[i].fe == prog || sw[i].kp == prog ||
				   sw[i].ls == prog;
		if (!optional)
			cap_get(l, "core");
	}
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++) {
		struct bpf_program *chosen = variant(&sw[i], l->hooks);
		struct bpf_program *all[] = { sw[i].tp, sw[i].fe, sw[i].kp, sw[i].ls };
		bool on = sw[i].wanted;

		cap_get(l, sw[i].cap);
		if (!on)
			cap_off(l, sw[i].cap, false);
		else
			on = hook_available(l, &sw[i], chosen, tracefs, btf);
		for (size_t j = 0; j < sizeof(all) / sizeof(all[0]); j++)
			if (all[j])
				bpf_program__set_autoload(all[j], on && all[j] == chosen);
	}
}
#undef SW

/* The capability of a program: the name its switch gave it, else "core". */
static const char *prog_cap(const struct bpf_program *prog)
{
	static const struct {
		const char *prog, *cap;
	} map[] = {
		{ "on_sock_state", "connect" },
		{ "on_connect", "connect" },
		{ "on_ptrace", "ptrace" },
		{ "on_memfd", "memfd" },
		{ "on_mmap", "mmap" },
		{ "on_mprotect", "mprotect" },
		{ "on_vm_writev", "vm_writev" },
		{ "on_dup2", "dup" },
		{ "on_dup3", "dup" },
		{ "on_bpf", "bpf" },
		{ "on_signal", "signal" },
		{ "on_openat_exit", "file" },
		{ "on_open_exit", "file" },
		{ "on_creat_exit", "file" },
		{ "on_openat2_exit", "file" },
		{ "on_ftruncate", "file" },
		{ "on_truncate", "file" },
		{ "on_unlinkat", "file" },
		{ "on_unlink", "file" },
		{ "on_renameat2", "file" },
		{ "on_renameat", "file" },
		{ "on_rename_path", "file" },
		{ "on_module_load", "module" },
		{ "on_socket", "socket" },
		{ "on_unshare", "namespace" },
		{ "on_setns", "namespace" },
		{ "on_mount", "namespace" },
		{ "on_open_tree", "namespace" },
		{ "on_move_mount", "namespace" },
		{ "on_fsmount", "namespace" },
		{ "on_task_newtask", "namespace" },
		{ "on_chmod", "file" },
		{ "on_fchmodat", "file" },
		{ "on_fchmod", "file" },
		{ "on_setxattr", "file" },
		{ "on_lsetxattr", "file" },
		{ "on_fsetxattr", "file" },
	};

	const char *name = bpf_program__name(prog);

	/* fe_X, kp_X and ls_X are the variants of on_X (ls_socket: on_socket...) */
	if (strncmp(name, "fe_", 3) == 0 || strncmp(name, "kp_", 3) == 0 || strncmp(name, "ls_", 3) == 0)
		name += 3;
	else if (strncmp(name, "on_", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].prog + 3, name) == 0)
			return map[i].cap;
	return "core";
}

size_t loader_capabilities(const struct rtmon_loader *l, const char **names, bool *on, size_t max)
{
	size_t n = 0;

	for (; l && n < l->ncaps && n < max; n++) {
		names[n] = l->caps[n].name;
		on[n] = l->caps[n].on;
	}
	return n;
}

const char *loader_lost(const struct rtmon_loader *l)
{
	return l->lost;
}

static void note_lost(struct rtmon_loader *l)
{
	size_t off = 0;

	l->lost[0] = '\0';
	for (size_t i = 0; i < l->ncaps; i++)
		if (l->caps[i].lost && off < sizeof(l->lost))
			off += (size_t)snprintf(l->lost + off, sizeof(l->lost) - off, "%s%s", off ? "," : "",
						l->caps[i].name);
}

static size_t ring_bytes(uint32_t kb)
{
	size_t sz = 4096;
	size_t want = (size_t)(kb ? kb : 2048) * 1024;

	while (sz < want && sz < ((size_t)1 << 30))
		sz <<= 1; /* the kernel wants a power of two multiple of the page size */
	return sz;
}

static void explain_load_error(int r, char *err, size_t len)
{
	if (r == -EPERM || r == -EACCES)
		snprintf(err, len,
			 "cannot load BPF programs: %s (rtmon needs root, or CAP_BPF + CAP_PERFMON; "
			 "in a container also the bpf and perf_event_open system calls)",
			 strerror(-r));
	else if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		snprintf(err, len,
			 "cannot load BPF programs: the kernel has no BTF (/sys/kernel/btf/vmlinux "
			 "missing: needs CONFIG_DEBUG_INFO_BTF=y, or point bpf.btf_path at this kernel's BTF)");
	else
		snprintf(err, len, "cannot load BPF programs: %s", strerror(-r));
}

static int open_ring(struct rtmon_loader *l, rtmon_record_fn fn, void *ctx)
{
	int fd = bpf_map__fd(l->skel->maps.events);
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	l->rb = ring_buffer__new(fd, (ring_buffer_sample_fn)fn, ctx, NULL);
	if (!l->rb)
		return -errno;
	/* a read-only view of the positions, for the fill metric */
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED)
		l->cons_pos = p;
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page);
	if (p != MAP_FAILED)
		l->prod_pos = p;
	return 0;
}

/* An fentry/fexit, kprobe or LSM variant of a syscall hook (not the tracepoint every mode shares). */
static bool is_variant(const struct bpf_program *prog)
{
	const char *n = bpf_program__name(prog);

	return strncmp(n, "fe_", 3) == 0 || strncmp(n, "kp_", 3) == 0 || strncmp(n, "ls_", 3) == 0;
}

/*
 * Attaches every loaded program. A program that fails loses its capability;
 * in a mode other than tracepoint a variant that fails fails the mode (-EAGAIN:
 * the caller falls back to the next mode, which may have it).
 */
static int attach_all(struct rtmon_loader *l, char *err, size_t errlen)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, l->skel->obj)
	{
		struct bpf_link *link;

		/* fold_sweep (SEC("syscall")) is run, not attached */
		if (!bpf_program__autoload(prog) || bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL)
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			int r = -errno;

			/* this capability is lost, the others keep working; only "nothing attached" is fatal */
			snprintf(err, errlen, "cannot attach BPF program %s (%s): %s%s", bpf_program__name(prog),
				 bpf_program__section_name(prog), strerror(-r),
				 r == -ENOENT ? " (tracefs not mounted at /sys/kernel/tracing?)" : "");
			if (l->hooks != RTMON_HOOKS_TRACEPOINT && is_variant(prog))
				return -EAGAIN;
			log_warnx("%s, its capability \"%s\" is off", err, prog_cap(prog));
			cap_off(l, prog_cap(prog), true);
			continue;
		}
		if (l->nprogs >= sizeof(l->links) / sizeof(l->links[0])) {
			bpf_link__destroy(link);
			snprintf(err, errlen, "too many BPF programs");
			return -E2BIG;
		}
		l->links[l->nprogs++] = link;
	}
	if (l->nprogs == 0)
		return -ENOENT; /* err names the last failure */
	err[0] = '\0';
	return 0;
}

/*
 * The object's own .rodata (its settings as compiled, before rtmon writes any)
 * must carry this rtmon's RTMON_ABI_VERSION: an object built from another
 * rtmon_abi.h would be misread record by record.
 * RTMON_TEST_OBJECT_ABI stands in for the object's version (tests only).
 */
static int check_abi(const struct rtmon_bpf *skel, char *err, size_t errlen)
{
	const char *fake = getenv("RTMON_TEST_OBJECT_ABI");
	uint32_t have = skel->rodata->cfg.abi_version;

	if (fake && *fake)
		have = (uint32_t)strtoul(fake, NULL, 10);
	if (have != RTMON_ABI_VERSION) {
		snprintf(err, errlen,
			 "the BPF object has ABI version %u, this rtmon reads version %u: "
			 "the object was built from another bpf/rtmon_abi.h (rebuild rtmon)",
			 have, RTMON_ABI_VERSION);
		return -EPROTO;
	}
	return 0;
}

/* ---- hooks modes ---- */

#if defined(__x86_64__)
#define SYS_PREFIX "__x64_sys_"
#elif defined(__aarch64__)
#define SYS_PREFIX "__arm64_sys_"
#else
#define SYS_PREFIX "__sys_unknown_arch_"
#endif

/* Loads a two-instruction program of 'type' on kernel function fn and attaches it for an instant. */
static int probe_tracing(const struct btf *btf, enum bpf_prog_type type, enum bpf_attach_type at, const char *fn)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 }, /* return 0: never deny */
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, po, .expected_attach_type = at);
	int id = btf ? btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC) : -ENOENT;
	int fd, lfd, r = 0;

	if (id < 0)
		return -ENOENT;
	po.attach_btf_id = (__u32)id;
	fd = bpf_prog_load(type, "rtmon_probe", "GPL", insns, 2, &po);
	if (fd < 0)
		return -errno;
	lfd = bpf_raw_tracepoint_open(NULL, fd);
	if (lfd < 0)
		r = -errno;
	else
		close(lfd);
	close(fd);
	return r;
}

/* Whether the kernel's active LSMs include bpf: 1 yes, 0 no (*list says which are), -1 unknown. */
static int bpf_lsm_active(char *list, size_t len)
{
	FILE *f = fopen("/sys/kernel/security/lsm", "re");
	char *tok, *save = NULL, buf[256] = "";
	int yes = 0;

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	if (len > 0) {
		/* a bounded copy (snprintf "%s" of a longer buffer trips -Wformat-truncation at -O1) */
		size_t n = strnlen(buf, len - 1);

		memcpy(list, buf, n);
		list[n] = '\0';
	}
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		yes = yes || strcmp(tok, "bpf") == 0;
	return yes;
}

/* 0 when mode can work on this kernel, else -errno with the reason in why. */
static int probe_mode(enum rtmon_hooks mode, const struct btf *btf, char *why, size_t len)
{
	char lsms[200];
	int r;

	if ((mode == RTMON_HOOKS_LSM || mode == RTMON_HOOKS_FENTRY) && !btf) {
		snprintf(why, len, "needs the kernel's own BTF (/sys/kernel/btf/vmlinux)");
		return -ENOENT;
	}
	switch (mode) {
	case RTMON_HOOKS_LSM:
		if (bpf_lsm_active(lsms, sizeof(lsms)) == 0) {
			snprintf(why, len, "the BPF LSM is not active: boot with bpf in lsm= (active: %s)", lsms);
			return -EOPNOTSUPP;
		}
		r = probe_tracing(btf, BPF_PROG_TYPE_LSM, BPF_LSM_MAC, "bpf_lsm_socket_create");
		break;
	case RTMON_HOOKS_FENTRY:
		/* a syscall with arguments: SYSCALL_DEFINE0 wrappers (getppid...) are not in BTF */
		r = probe_tracing(btf, BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, SYS_PREFIX "mmap");
		break;
	case RTMON_HOOKS_KPROBE:
		if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) != 0) {
			snprintf(why, len, "this kernel has no kprobes (CONFIG_KPROBES)");
			return -ENOENT;
		}
		return 0;
	default:
		return 0;
	}
	if (r < 0)
		snprintf(why, len, "a test program was refused: %s", strerror(-r));
	return r;
}

/* Back to the state before load_mode(): no links, ring, object or capabilities. */
static void unload(struct rtmon_loader *l)
{
	long page = sysconf(_SC_PAGESIZE);

	for (size_t i = 0; i < l->nprogs; i++)
		bpf_link__destroy(l->links[i]);
	l->nprogs = 0;
	if (l->cons_pos)
		munmap((void *)l->cons_pos, page);
	if (l->prod_pos)
		munmap((void *)l->prod_pos, page);
	l->cons_pos = l->prod_pos = NULL;
	ring_buffer__free(l->rb);
	l->rb = NULL;
	rtmon_bpf__destroy(l->skel);
	l->skel = NULL;
	l->ncaps = 0;
	memset(l->nids, 0, sizeof(l->nids));
}

/* open -> rodata -> select (l->hooks) -> load -> ring -> attach. */
static int load_mode(struct rtmon_loader *l, const struct rtmon_loader_opts *o, rtmon_record_fn fn, void *ctx,
		     bool tracefs, const struct btf *btf, char *err, size_t errlen)
{
	int r;

	l->skel = rtmon_bpf__open_opts(&(struct bpf_object_open_opts){
		.sz = sizeof(struct bpf_object_open_opts),
		.btf_custom_path = o->btf_path && *o->btf_path ? o->btf_path : NULL,
	});
	if (!l->skel) {
		r = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-r));
		return r;
	}
	r = check_abi(l->skel, err, errlen);
	if (r < 0)
		return r;
	l->skel->rodata->cfg.self_pid = o->self_pid;
	l->skel->rodata->cfg.wakeup_bytes = (uint64_t)(o->wakeup_kb ? o->wakeup_kb : 256) * 1024;
	l->skel->rodata->cfg.fold_window_ns = (uint64_t)o->fold_window_ms * 1000000ull;
	l->skel->rodata->cfg.file_exec_mmap = o->file_exec_mmap;
	l->ring_size = ring_bytes(o->ringbuf_kb);
	if (l->skel->rodata->cfg.wakeup_bytes > l->ring_size / 4)
		l->skel->rodata->cfg.wakeup_bytes = l->ring_size / 4;
	bpf_map__set_max_entries(l->skel->maps.events, l->ring_size);
	select_programs(l, o, tracefs, btf);

	r = rtmon_bpf__load(l->skel);
	if (r < 0) {
		explain_load_error(r, err, errlen);
		return r;
	}
	l->counters_fd = bpf_map__fd(l->skel->maps.counters);
	r = open_ring(l, fn, ctx);
	if (r < 0) {
		snprintf(err, errlen, "cannot open the BPF ring buffer: %s", strerror(-r));
		return r;
	}
	return attach_all(l, err, errlen);
}

/*
 * Tries the modes from o->hooks down to tracepoint: a mode the probe refuses
 * is skipped, a mode whose load or attach fails is unloaded and the next
 * one tried. Only the tracepoint mode's failure is final.
 */
static int load_best(struct rtmon_loader *l, const struct rtmon_loader_opts *o, rtmon_record_fn fn, void *ctx,
		     char *err, size_t errlen)
{
	bool custom = o->btf_path && *o->btf_path, tracefs = ensure_tracefs();
	struct btf *btf = custom ? NULL : btf__load_vmlinux_btf();
	enum rtmon_hooks m = o->hooks == RTMON_HOOKS_AUTO ? RTMON_HOOKS_LSM : o->hooks;
	char why[512];
	int r = -ENOENT;

	if (libbpf_get_error(btf))
		btf = NULL;
	for (; m < RTMON_HOOKS_MAX; m++) {
		const char *next = config_hooks_name(m + 1);

		l->hooks = m;
		r = probe_mode(m, btf, why, sizeof(why));
		if (r == 0) {
			r = load_mode(l, o, fn, ctx, tracefs, btf, err, errlen);
			if (r < 0)
				snprintf(why, sizeof(why), "%s", err);
		}
		if (r == 0 || m == RTMON_HOOKS_TRACEPOINT)
			break;
		unload(l);
		/* auto says it quietly; a forced mode that cannot run is worth a warning */
		if (o->hooks == RTMON_HOOKS_AUTO)
			log_info("hooks: %s not available on this kernel (%s), trying %s", config_hooks_name(m), why,
				 next);
		else
			log_warnx("bpf.hooks = \"%s\": %s hooks are not available on this kernel (%s), falling back "
				  "to %s",
				  config_hooks_name(o->hooks), config_hooks_name(m), why, next);
	}
	btf__free(btf);
	return r;
}

int loader_open(const struct rtmon_loader_opts *o, rtmon_record_fn fn, void *ctx, struct rtmon_loader **ret, char *err,
		size_t errlen)
{
	struct rtmon_loader *l;
	int r;

	libbpf_set_print(libbpf_print);
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->ncpu = libbpf_num_possible_cpus();
	if (o->btf_path && *o->btf_path && access(o->btf_path, R_OK) != 0) {
		r = -errno;
		snprintf(err, errlen, "bpf.btf_path %s: %s", o->btf_path, strerror(-r));
		goto fail;
	}
	r = load_best(l, o, fn, ctx, err, errlen);
	if (r < 0)
		goto fail;
	note_lost(l);
	note_ids(l);
	*ret = l;
	return 0;
fail:
	loader_free(l);
	return r;
}

enum rtmon_hooks loader_hooks(const struct rtmon_loader *l)
{
	return l->hooks;
}

struct rtmon_loader *loader_free(struct rtmon_loader *l)
{
	if (!l)
		return NULL;
	unload(l);
	free(l);
	return NULL;
}

void loader_detach(struct rtmon_loader *l)
{
	for (size_t i = 0; i < l->nprogs; i++) {
		bpf_link__destroy(l->links[i]);
		l->links[i] = NULL;
	}
	l->nprogs = 0;
}

int loader_fd(const struct rtmon_loader *l)
{
	return ring_buffer__epoll_fd(l->rb);
}

int loader_consume(struct rtmon_loader *l)
{
	int n = ring_buffer__consume(l->rb);

	return n < 0 ? -errno : n;
}

void loader_counters(const struct rtmon_loader *l, uint64_t out[RTMON_CNT_MAX])
{
	uint64_t vals[512];

	memset(out, 0, sizeof(uint64_t) * RTMON_CNT_MAX);
	if (l->ncpu <= 0 || l->ncpu > 512)
		return;
	for (uint32_t k = 0; k < RTMON_CNT_MAX; k++) {
		/* cleared first: the kernel fills it, which memory checkers cannot see */
		memset(vals, 0, sizeof(vals));
		if (bpf_map_lookup_elem(l->counters_fd, &k, vals) < 0)
			continue;
		for (int c = 0; c < l->ncpu; c++)
			out[k] += vals[c];
	}
}

double loader_ring_fill(const struct rtmon_loader *l)
{
	uint64_t cons, prod;

	if (!l->cons_pos || !l->prod_pos || !l->ring_size)
		return 0;
	cons = __atomic_load_n(l->cons_pos, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(l->prod_pos, __ATOMIC_ACQUIRE);
	return prod > cons ? (double)(prod - cons) / (double)l->ring_size : 0;
}

int loader_fold_sweep(struct rtmon_loader *l, bool all)
{
	struct rtmon_sweep_args a = { .all = all };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &a, .ctx_size_in = sizeof(a));
	int fd = bpf_program__fd(l->skel->progs.fold_sweep);

	if (fd < 0)
		return -EBADF;
	return bpf_prog_test_run_opts(fd, &o) < 0 ? -errno : 0;
}

size_t loader_nprogs(const struct rtmon_loader *l)
{
	return l->nprogs;
}

/* The prefix trie's key for path p. */
static void lpm_key(struct rtmon_watch_lpm_key *k, const char *p)
{
	size_t len = strnlen(p, sizeof(k->path));

	memset(k, 0, sizeof(*k));
	memcpy(k->path, p, len);
	k->prefixlen = (uint32_t)len * 8;
}

int loader_set_watch(struct rtmon_loader *l, const struct rtmon_watch *old, const struct rtmon_watch *w)
{
	int fi = bpf_map__fd(l->skel->maps.watch_inodes);
	int fp = bpf_map__fd(l->skel->maps.watch_paths);

	if (fi < 0 || fp < 0)
		return -EBADF;
	/* the previous list's keys out first (what is in both goes back in below) */
	for (size_t i = 0; old && i < old->n; i++) {
		struct rtmon_watch_key k = { .ino = old->e[i].ino, .dev = old->e[i].dev };

		bpf_map_delete_elem(fi, &k);
	}
	for (size_t i = 0; old && i < old->np; i++) {
		struct rtmon_watch_lpm_key k;

		lpm_key(&k, old->p[i].path);
		bpf_map_delete_elem(fp, &k);
	}
	for (size_t i = 0; i < w->n; i++) {
		struct rtmon_watch_key k = { .ino = w->e[i].ino, .dev = w->e[i].dev };
		struct rtmon_watch_val v = { .self_ops = w->e[i].self_ops,
					     .child_ops = w->e[i].child_ops,
					     .deep_ops = w->e[i].deep_ops };

		if (bpf_map_update_elem(fi, &k, &v, BPF_ANY) < 0)
			return -errno;
	}
	for (size_t i = 0; i < w->np; i++) {
		struct rtmon_watch_lpm_key k;

		lpm_key(&k, w->p[i].path);
		if (bpf_map_update_elem(fp, &k, &w->p[i].ops, BPF_ANY) < 0)
			return -errno;
	}
	return 0;
}
