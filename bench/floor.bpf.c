// SPDX-License-Identifier: (MIT OR GPL-2.0-only)
/*
 * floor.bpf.c - the cost floor of any tracepoint + ring buffer monitor: the
 * SAME tracepoints rtmon attaches, each only reserving and submitting a
 * 16-byte record (no argument reads, no filtering, no process table).
 *
 * Each syscall hook also as fentry/fexit on the syscall's kernel function
 * (fe_*) and, where rtmon has one, as a BPF LSM program (ls_*): floor -H
 * picks the set that matches rtmon's bpf.hooks mode.
 *
 * Two wakeup policies, chosen by the loader (rodata):
 *   batched = 0: a forced wakeup of the consumer per event;
 *   batched = 1: BPF_RB_NO_WAKEUP unless wakeup_bytes wait (as rtmon does),
 *                user space drains on a 10 ms timer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#if defined(__TARGET_ARCH_x86)
#define SYS(name) "__x64_sys_" #name
#else
#define SYS(name) "__arm64_sys_" #name
#endif

char LICENSE[] SEC("license") = "Dual MIT/GPL";

const volatile __u32 batched = 0;
const volatile __u64 wakeup_bytes = 256 * 1024;

struct floor_rec {
	__u32 type;
	__u32 pid;
	__u64 ktime_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

/* [0] sent, [1] dropped (ring full) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		*c += 1;
}

static __always_inline int emit(__u32 type)
{
	struct floor_rec *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	__u64 flags;

	if (!r) {
		count(1);
		return 0;
	}
	r->type = type;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->ktime_ns = bpf_ktime_get_boot_ns();
	if (!batched)
		flags = BPF_RB_FORCE_WAKEUP;
	else if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	else
		flags = BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(r, flags);
	count(0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int f_exec(void *ctx)
{
	return emit(1);
}

SEC("tp_btf/sched_process_fork")
int f_fork(void *ctx)
{
	return emit(3);
}

SEC("tracepoint/sched/sched_process_exit")
int f_exit(void *ctx)
{
	return emit(2);
}

/* rtmon takes TCP connects from the SYN_SENT transition, the rest from connect() entry */
SEC("tp_btf/inet_sock_set_state")
int f_sock_state(__u64 *ctx)
{
	return (int)ctx[2] == 2 /* TCP_SYN_SENT */ ? emit(4) : 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int f_connect(void *ctx)
{
	return emit(4);
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int f_ptrace(void *ctx)
{
	return emit(5);
}

SEC("tracepoint/syscalls/sys_enter_memfd_create")
int f_memfd(void *ctx)
{
	return emit(6);
}

SEC("tracepoint/syscalls/sys_enter_mmap")
int f_mmap(void *ctx)
{
	return emit(7);
}

SEC("tracepoint/syscalls/sys_enter_mprotect")
int f_mprotect(void *ctx)
{
	return emit(8);
}

SEC("tracepoint/syscalls/sys_enter_process_vm_writev")
int f_vm_writev(void *ctx)
{
	return emit(9);
}

SEC("tracepoint/syscalls/sys_enter_dup2")
int f_dup2(void *ctx)
{
	return emit(10);
}

SEC("tracepoint/syscalls/sys_enter_dup3")
int f_dup3(void *ctx)
{
	return emit(10);
}

SEC("tracepoint/signal/signal_generate")
int f_signal(void *ctx)
{
	return emit(11);
}

SEC("tracepoint/syscalls/sys_enter_bpf")
int f_bpf(void *ctx)
{
	return emit(12);
}

/* the file watch's hooks (rtmon checks its watch maps; the floor sends every call) */
SEC("tracepoint/syscalls/sys_exit_openat")
int f_openat_exit(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_exit_open")
int f_open_exit(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int f_creat_exit(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int f_openat2_exit(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_ftruncate")
int f_ftruncate(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_truncate")
int f_truncate(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int f_unlinkat(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_unlink")
int f_unlink(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_renameat2")
int f_renameat2(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_renameat")
int f_renameat(void *ctx)
{
	return emit(14);
}

SEC("tracepoint/syscalls/sys_enter_rename")
int f_rename(void *ctx)
{
	return emit(14);
}

/* rare kernel-level actions */
SEC("tracepoint/syscalls/sys_enter_socket")
int f_socket(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int f_unshare(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_setns")
int f_setns(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_mount")
int f_mount(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_open_tree")
int f_open_tree(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_move_mount")
int f_move_mount(void *ctx)
{
	return emit(15);
}

SEC("tracepoint/syscalls/sys_enter_fsmount")
int f_fsmount(void *ctx)
{
	return emit(15);
}

/* the same syscalls at their kernel functions (floor -H fentry, -H lsm) */
SEC("fentry/" SYS(connect))
int fe_connect(void *ctx)
{
	return emit(4);
}

SEC("fentry/" SYS(ptrace))
int fe_ptrace(void *ctx)
{
	return emit(5);
}

SEC("fentry/" SYS(memfd_create))
int fe_memfd(void *ctx)
{
	return emit(6);
}

SEC("fentry/" SYS(mmap))
int fe_mmap(void *ctx)
{
	return emit(7);
}

SEC("fentry/" SYS(mprotect))
int fe_mprotect(void *ctx)
{
	return emit(8);
}

SEC("fentry/" SYS(process_vm_writev))
int fe_vm_writev(void *ctx)
{
	return emit(9);
}

SEC("fentry/" SYS(dup2))
int fe_dup2(void *ctx)
{
	return emit(10);
}

SEC("fentry/" SYS(dup3))
int fe_dup3(void *ctx)
{
	return emit(10);
}

SEC("fentry/" SYS(bpf))
int fe_bpf(void *ctx)
{
	return emit(12);
}

SEC("fexit/" SYS(openat))
int fe_openat_exit(void *ctx)
{
	return emit(14);
}

SEC("fexit/" SYS(open))
int fe_open_exit(void *ctx)
{
	return emit(14);
}

SEC("fexit/" SYS(creat))
int fe_creat_exit(void *ctx)
{
	return emit(14);
}

SEC("fexit/" SYS(openat2))
int fe_openat2_exit(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(ftruncate))
int fe_ftruncate(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(truncate))
int fe_truncate(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(unlinkat))
int fe_unlinkat(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(unlink))
int fe_unlink(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(renameat2))
int fe_renameat2(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(renameat))
int fe_renameat(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(rename))
int fe_rename(void *ctx)
{
	return emit(14);
}

SEC("fentry/" SYS(socket))
int fe_socket(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(unshare))
int fe_unshare(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(setns))
int fe_setns(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(mount))
int fe_mount(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(open_tree))
int fe_open_tree(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(move_mount))
int fe_move_mount(void *ctx)
{
	return emit(15);
}

SEC("fentry/" SYS(fsmount))
int fe_fsmount(void *ctx)
{
	return emit(15);
}

/* BPF LSM where rtmon has it (floor -H lsm); return 0: never deny */
SEC("lsm/socket_connect")
int ls_connect(void *ctx)
{
	return emit(4);
}

SEC("lsm/socket_create")
int ls_socket(void *ctx)
{
	return emit(15);
}

SEC("lsm/bpf")
int ls_bpf(void *ctx)
{
	return emit(12);
}
