/* SPDX-License-Identifier: (MIT OR GPL-2.0-only) */
/*
 * maps.bpf.h - every map rtmon's BPF programs use, each documented.
 */
#ifndef RTMON_MAPS_BPF_H
#define RTMON_MAPS_BPF_H

/* Records to user space. Size set by the loader from bpf.ringbuf_kb. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

/* Per-CPU counters (enum rtmon_counter): sent, drops by cause, folded. No atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTMON_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * Per-CPU scratch for exec records, which are too large for the BPF stack
 * (fixed part + four 4 KiB sections + the environment section + one component
 * of slack so that masked offsets never point past the end).
 */
struct exec_scratch {
	struct rtmon_rec_exec rec;
	char data[RTMON_EXEC_DATA_MAX + RTMON_NAME_LEN];
	char envbuf[256]; /* one chunk of the environment under scan (env_step) */
	/*
	 * Write offset into data, kept here rather than on the stack on
	 * purpose: the verifier does not track values in map memory, so every
	 * path-walk step looks alike to it and verification converges.
	 */
	__u32 off;
	__u32 start;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_scratch);
} exec_heap SEC(".maps");

/*
 * Folding of mmap/mprotect repeats: one window per exact kind of call
 * (struct rtmon_fold_key, rtmon_abi.h). The record that opens a window goes
 * out at once; repeats within fold_window_ns only count; the fold_sweep
 * program, which rtmon runs on its timer, reports each count as a summary
 * record when its window closes (also after the process exited), so a fold
 * is never a silent loss. LRU: a full table forgets the oldest windows.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct rtmon_fold_key);
	__type(value, struct rtmon_fold_val);
} folds SEC(".maps");

/* File watch: inodes whose opens / ftruncate matter (struct rtmon_watch_val), filled by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rtmon_watch_key);
	__type(value, struct rtmon_watch_val);
} watch_inodes SEC(".maps");

/* File watch: absolute path prefixes whose unlink / rename matter (value: RTMON_FILE_* ops). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rtmon_watch_lpm_key);
	__type(value, __u32);
} watch_paths SEC(".maps");

#endif
