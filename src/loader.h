/* SPDX-License-Identifier: MIT */
/*
 * loader.h - open -> rodata -> probe -> load -> attach the BPF programs, the
 * ring buffer, and the kernel-side counters.
 */
#ifndef RTMON_LOADER_H
#define RTMON_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "rtmon_abi.h"

struct rtmon_loader;

enum rtmon_bpf_kind {
	RTMON_BPF_PROG = 0,
	RTMON_BPF_MAP = 1,
	RTMON_BPF_LINK = 2
};

struct rtmon_loader_opts {
	uint32_t ringbuf_kb;
	uint32_t wakeup_kb;
	uint32_t fold_window_ms;
	bool file_exec_mmap;
	bool probe_connect, probe_ptrace, probe_memfd, probe_mmap, probe_mprotect, probe_vm_writev, probe_dup;
	bool probe_file, probe_module, probe_socket, probe_namespace;
	uint32_t self_pid;
	/* BTF of the running kernel when it has no /sys/kernel/btf/vmlinux (libbpf's btf_custom_path); NULL: none */
	const char *btf_path;
	/* where to start: auto = lsm; each mode the kernel refuses falls back to the next, tracepoint last */
	enum rtmon_hooks hooks;
};

/* Called for each record: data/size straight from the ring buffer. Return 0. */
typedef int (*rtmon_record_fn)(void *ctx, const void *data, size_t size);

/*
 * Before anything is loaded: a user namespace, missing CAP_BPF/CAP_PERFMON, a
 * seccomp filter on bpf()/perf_event_open(), missing BTF. Returns 0, or
 * -errno with one line naming the cause and the fix in err.
 */
int loader_preflight(char *err, size_t errlen);
/*
 * Loads and attaches everything. On failure returns -errno and writes one
 * line naming the missing privilege or kernel feature into err.
 */
int loader_open(const struct rtmon_loader_opts *o, rtmon_record_fn fn, void *ctx, struct rtmon_loader **ret, char *err,
		size_t errlen);
struct rtmon_loader *loader_free(struct rtmon_loader *l);
/* Detaches every program (at stop: after this nothing new reaches the ring, so a last drain sees all). */
void loader_detach(struct rtmon_loader *l);
/* The fd to watch for "records waiting" (epoll). */
int loader_fd(const struct rtmon_loader *l);
/* Drains the ring buffer, calling fn for each record. Returns records consumed or -errno. */
int loader_consume(struct rtmon_loader *l);
/* Sums the per-CPU counters (enum rtmon_counter). */
void loader_counters(const struct rtmon_loader *l, uint64_t out[RTMON_CNT_MAX]);
/* Bytes waiting in the ring / ring size. */
double loader_ring_fill(const struct rtmon_loader *l);
/* 1 when id is one of rtmon's own programs / maps / links. */
int loader_owns(const struct rtmon_loader *l, enum rtmon_bpf_kind k, uint32_t id);
size_t loader_nprogs(const struct rtmon_loader *l);
struct rtmon_watch;
/* Replaces the kernel's file watch maps: the entries of 'old' (NULL: none yet) out, those of w in. */
int loader_set_watch(struct rtmon_loader *l, const struct rtmon_watch *old, const struct rtmon_watch *w);
/*
 * Runs the kernel's fold_sweep: a summary record for every mmap/mprotect fold
 * window whose time is up (all: every window with a pending count, at stop).
 */
int loader_fold_sweep(struct rtmon_loader *l, bool all);

/*
 * The capabilities (one per optional hook, plus "core": exec/fork/exit) and whether each is attached.
 * Returns how many; names[i] are static strings. A capability is 0 when this kernel lacks it (no
 * tracepoint, or its program failed to load or attach) or when the configuration switched it off.
 */
size_t loader_capabilities(const struct rtmon_loader *l, const char **names, bool *on, size_t max);
/* Comma-separated names of the capabilities this kernel lacks ("" when none), for the startup line. */
const char *loader_lost(const struct rtmon_loader *l);
/* The hooks mode that runs (lsm, fentry, kprobe or tracepoint). */
enum rtmon_hooks loader_hooks(const struct rtmon_loader *l);

#endif
