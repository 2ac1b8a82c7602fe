// SPDX-License-Identifier: (MIT OR GPL-2.0-only)
/*
 * rtmon.bpf.c - rtmon's kernel side: kernel hooks -> records on a ring buffer.
 *
 * Dual-licensed so the kernel lets us use GPL-only helpers. Read-only: no
 * program here changes what the kernel or a process does (the LSM programs
 * return 0: allow).
 *
 * Tracepoints; the BTF-typed ones (tp_btf) read their arguments with plain
 * loads:
 *   sched/sched_process_exec  exec (after success: filename, argv, exe, cwd, fd 0/1)
 *   BTF sched_process_fork    fork (processes only, threads are skipped)
 *   sched/sched_process_exit  exit (thread-group leaders), flushes folded counts
 *   BTF sock/inet_sock_set_state  TCP connect (CLOSE -> SYN_SENT)
 *   syscalls connect (non-TCP inet sockets), ptrace, memfd_create, mmap,
 *   mprotect, process_vm_writev, dup2, dup3, bpf, the file watch, socket,
 *   namespaces and mounts
 * Each syscall hook comes in three variants that fill the same records
 * (SYSCALL_ENTER/SYSCALL_EXIT below): the syscall tracepoint (on_*), fentry
 * or fexit on the syscall's kernel function (fe_*) and a kprobe on it (kp_*);
 * three BPF LSM programs (ls_*: socket_connect, socket_create, bpf) read the
 * kernel's copy of the caller's arguments. The loader loads one set
 * (bpf.hooks): a syscall tracepoint puts every syscall on the host on the
 * slow path, fentry/kprobe/LSM cost only the calls they watch.
 * What can never matter is filtered here, so the host pays little: mmap and
 * mprotect only with PROT_EXEC, connect only for inet/inet6, dup only onto
 * fds 0-2 from an inet socket, ptrace only for requests that can change a
 * tracee.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "rtmon_abi.h"
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Written by the loader before load (rodata). */
const volatile struct rtmon_bpf_settings cfg = {
	.abi_version = RTMON_ABI_VERSION,
	.wakeup_bytes = 256 * 1024,
	.fold_window_ns = 1000000000ull,
};

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_ISUID_ 04000
#define S_ISGID_ 02000
#define S_ISVTX_ 01000
#define S_IWOTH_ 00002
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_ANONYMOUS 0x20
#define VM_WRITE 0x2
#define VM_EXEC 0x4
#define DATA_MASK (RTMON_EXEC_PATHS_MAX - 1)

#define PTRACE_TRACEME 0
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_POKEUSER 6
#define PTRACE_SETREGS 13
#define PTRACE_SETFPREGS 15
#define PTRACE_ATTACH 16
#define PTRACE_SETREGSET 0x4205
#define PTRACE_SEIZE 0x4206
#define PF_KTHREAD_ 0x00200000

/* ---- one hook body, three ways to reach it ---- */

/* The syscall's kernel function (the wrapper that takes the user registers). */
#if defined(__TARGET_ARCH_x86)
#define SYS_PREFIX "__x64_sys_"
#elif defined(__TARGET_ARCH_arm64)
#define SYS_PREFIX "__arm64_sys_"
#else
#error "rtmon: the syscall function prefix of this architecture is unknown"
#endif

/* The first five arguments of a syscall (all any hook reads) from the user registers its wrapper receives. */
static __always_inline void sys_args(unsigned long *a, const struct pt_regs *regs)
{
	a[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	a[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	a[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	a[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	a[4] = PT_REGS_PARM5_CORE_SYSCALL(regs);
}

/*
 * on_NAME: tracepoint syscalls/sys_enter_SYS; fe_NAME: fentry on the
 * syscall's function; kp_NAME: a kprobe on it. body(const unsigned long *a)
 * sees the same arguments (a[0..4]) from each.
 */
#define SYSCALL_ENTER(sys, name, body)                                                                         \
	SEC("tracepoint/syscalls/sys_enter_" #sys)                                                             \
	int on_##name(struct trace_event_raw_sys_enter *ctx)                                                   \
	{                                                                                                      \
		/* copied: the verifier refuses a load through a moved ctx pointer */                          \
		unsigned long a[5] = { ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], ctx->args[4] }; \
		return body(a);                                                                                \
	}                                                                                                      \
	SEC("fentry/" SYS_PREFIX #sys)                                                                         \
	int BPF_PROG(fe_##name, const struct pt_regs *regs)                                                    \
	{                                                                                                      \
		unsigned long a[5];                                                                            \
		sys_args(a, regs);                                                                             \
		return body(a);                                                                                \
	}                                                                                                      \
	SEC("kprobe/" SYS_PREFIX #sys)                                                                         \
	int BPF_KPROBE(kp_##name, const struct pt_regs *regs)                                                  \
	{                                                                                                      \
		unsigned long a[5];                                                                            \
		sys_args(a, regs);                                                                             \
		return body(a);                                                                                \
	}

/* The same at the syscall's return: body(long ret). */
#define SYSCALL_EXIT(sys, name, body)                                 \
	SEC("tracepoint/syscalls/sys_exit_" #sys)                     \
	int on_##name(struct trace_event_raw_sys_exit *ctx)           \
	{                                                             \
		return body(ctx->ret);                                \
	}                                                             \
	SEC("fexit/" SYS_PREFIX #sys)                                 \
	int BPF_PROG(fe_##name, const struct pt_regs *regs, long ret) \
	{                                                             \
		return body(ret);                                     \
	}                                                             \
	SEC("kretprobe/" SYS_PREFIX #sys)                             \
	int BPF_KRETPROBE(kp_##name, long ret)                        \
	{                                                             \
		return body(ret);                                     \
	}

/* Caller's memory (syscall hooks) or the kernel's copy of it (LSM hooks). */
static __always_inline long read_mem(void *dst, __u32 len, const void *src, bool user)
{
	return user ? bpf_probe_read_user(dst, len, src) : bpf_probe_read_kernel(dst, len, src);
}

static __always_inline long read_str(void *dst, __u32 len, const void *src, bool user)
{
	return user ? bpf_probe_read_user_str(dst, len, src) : bpf_probe_read_kernel_str(dst, len, src);
}

/* ---- counters and submission ---- */

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		*c += 1; /* per-CPU slot: no atomics needed */
}

/*
 * Batched wakeups: user space drains on a short timer, so a record only wakes
 * it when a good amount of data waits. A wakeup per event is the main cost of
 * a ring buffer monitor.
 */
static __always_inline __u64 wake_flags(void)
{
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg.wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void *reserve(__u64 size)
{
	void *r = bpf_ringbuf_reserve(&events, size, 0);

	if (!r)
		count(RTMON_CNT_DROP_RINGBUF);
	return r;
}

static __always_inline void submit(void *r)
{
	count(RTMON_CNT_SENT);
	bpf_ringbuf_submit(r, wake_flags());
}

static __always_inline bool is_self(void)
{
	return cfg.self_pid && (bpf_get_current_pid_tgid() >> 32) == cfg.self_pid;
}

/* ---- the common header ---- */

/*
 * Every record is about the current task: its fields are read through the
 * BTF task pointer (plain loads the verifier guards), not one probe-read
 * helper call per field.
 */
static __always_inline void fill_hdr(struct rtmon_rec_hdr *h, __u32 type, __u32 size)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ugid = bpf_get_current_uid_gid();

	h->type = type;
	h->size = size;
	h->ktime_ns = bpf_ktime_get_boot_ns();
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->pid = id >> 32;
	h->tid = (__u32)id;
	h->ppid = task->real_parent->tgid;
	h->uid = (__u32)ugid;
	h->gid = (__u32)(ugid >> 32);
	h->auid = task->loginuid.val;
	h->fold_count = 0;
	h->hflags = 0;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
	{
		const struct cred *cred = task->cred;

		h->euid = cred->euid.val;
		h->fsuid = cred->fsuid.val;
		/* kernel_cap_t: one u64 since 6.3, two u32 (the same 8 bytes) before */
		h->cap_eff = 0;
		bpf_core_read(&h->cap_eff, sizeof(h->cap_eff), &cred->cap_effective);
	}
}

/* ---- paths: dentry walk, components leaf first (user space reverses them) ---- */

static __always_inline bool mnt_is_internal(struct mount *mnt)
{
	unsigned long ns = (unsigned long)BPF_CORE_READ(mnt, mnt_ns);

	/* kern_mount()s carry no namespace (NULL, or MNT_NS_INTERNAL = ERR_PTR(-EINVAL)) */
	return ns < 4096 || ns >= (unsigned long)-4095;
}

/*
 * The path walk runs under bpf_loop() so the verifier checks one step, not
 * forty unrolled copies (the inlined walk exceeded the 1M-instruction limit).
 */
struct walk_ctx {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	bool trunc, pseudo, done;
};

static long walk_step(__u32 i, void *data)
{
	struct walk_ctx *w = data;
	/* locals: CO-RE reads through w-> would relocate walk_ctx itself */
	struct dentry *dentry = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	struct dentry *parent = BPF_CORE_READ(dentry, d_parent);
	struct exec_scratch *s;
	const unsigned char *name;
	__u32 zero = 0, off;
	long n;

	s = bpf_map_lookup_elem(&exec_heap, &zero);
	if (!s)
		return 1;
	if (dentry == mnt_root) {
		struct mount *mp = BPF_CORE_READ(mnt, mnt_parent);

		if (mp == mnt) {
			w->done = true; /* reached the namespace's root */
			return 1;
		}
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = mp;
		w->vfsmnt = &mp->mnt;
		return 0;
	}
	off = s->off;
	if (off - s->start > RTMON_SECTION_MAX - RTMON_NAME_LEN) {
		w->trunc = true;
		w->done = true;
		return 1;
	}
	name = BPF_CORE_READ(dentry, d_name.name);
	n = bpf_probe_read_kernel_str(&s->data[off & DATA_MASK], RTMON_NAME_LEN, name);
	if (n > 0)
		s->off = off + n;
	if (dentry == parent) {
		/* a dentry that is its own parent but not a mount root: a pseudo file */
		w->pseudo = mnt_is_internal(mnt) || i == 0;
		w->done = true;
		return 1;
	}
	w->dentry = parent;
	return 0;
}

/*
 * Writes the components of 'path' into the scratch data at off, leaf first,
 * each NUL-terminated. Returns the new offset; sets *trunc when a limit cut
 * the path, *pseudo for a detached pseudo file (memfd...) whose only
 * component is its name.
 */
static __always_inline __u32 read_path(struct exec_scratch *s, __u32 off, struct path *path, bool *trunc, bool *pseudo)
{
	struct walk_ctx w = {};

	w.dentry = BPF_CORE_READ(path, dentry);
	w.vfsmnt = BPF_CORE_READ(path, mnt);
	w.mnt = container_of(w.vfsmnt, struct mount, mnt);
	s->off = s->start = off;
	bpf_loop(RTMON_PATH_DEPTH, walk_step, &w, 0);
	*trunc = w.trunc || !w.done;
	*pseudo = w.pseudo;
	return s->off;
}

/* ---- sockets behind file descriptors ---- */

/*
 * The file behind fd in the current task. The fd table is reached through
 * the BTF task pointer (plain loads); only the slot, a pointer to pointer the
 * verifier cannot type, costs a probe read.
 */
static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = task->files;
	struct fdtable *fdt;
	struct file **fda;
	struct file *f = NULL;

	if (!files || fd < 0)
		return NULL;
	fdt = files->fdt;
	if (!fdt || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	fda = fdt->fd;
	bpf_probe_read_kernel(&f, sizeof(f), &fda[fd]);
	return f;
}

/*
 * The struct socket behind f, NULL when f is not a socket. A socket file's
 * private_data is its struct socket, whose ->file points back: two reads.
 */
static __always_inline struct socket *file_socket(struct file *f)
{
	struct socket *sock = f ? BPF_CORE_READ(f, private_data) : NULL;

	return sock && BPF_CORE_READ(sock, file) == f ? sock : NULL;
}

/* Fills *si when f is a socket; returns its family (0 when not a socket). */
static __always_inline __u16 sock_info(struct file *f, struct rtmon_sockinfo *si)
{
	struct socket *sock = file_socket(f);
	struct sock *sk;
	__u16 fam;

	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	si->family = fam;
	si->type = BPF_CORE_READ(sock, type);
	if (fam == AF_INET) {
		__u32 a = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(si->daddr, &a, 4);
	} else if (fam == AF_INET6) {
		BPF_CORE_READ_INTO(&si->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	si->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	si->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	return fam;
}

/* ---- exec ---- */

static __always_inline struct exec_scratch *exec_scratch(void)
{
	__u32 zero = 0;
	struct exec_scratch *s = bpf_map_lookup_elem(&exec_heap, &zero);

	if (!s)
		count(RTMON_CNT_DROP_SCRATCH);
	return s;
}

static __always_inline __u32 read_args(struct exec_scratch *s, __u32 off, struct task_struct *task)
{
	unsigned long start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long end = BPF_CORE_READ(task, mm, arg_end);
	unsigned long len = end - start;

	if (end <= start)
		return off;
	if (len > RTMON_SECTION_MAX) {
		len = RTMON_SECTION_MAX;
		s->rec.flags |= RTMON_EXEC_ARGS_TRUNC;
	}
	/* the verifier needs the length bounded and non-zero */
	len &= (RTMON_SECTION_MAX - 1) | RTMON_SECTION_MAX;
	if (len == 0 || len > RTMON_SECTION_MAX)
		return off;
	if (bpf_probe_read_user(&s->data[off & DATA_MASK], len, (void *)start) < 0)
		return off;
	return off + len;
}

#define S_IFREG 0100000
#define S_IFIFO 0010000
#define S_IFCHR 0020000

static __always_inline __u8 fd_kind(struct file *f, __u64 *ino)
{
	struct inode *inode;
	umode_t mode;
	__u32 major;

	if (!f)
		return RTMON_FD_CLOSED;
	inode = BPF_CORE_READ(f, f_inode);
	mode = BPF_CORE_READ(inode, i_mode) & S_IFMT;
	*ino = BPF_CORE_READ(inode, i_ino);
	switch (mode) {
	case S_IFREG:
		return RTMON_FD_FILE;
	case S_IFIFO:
		return RTMON_FD_PIPE;
	case S_IFSOCK:
		return RTMON_FD_SOCKET;
	case S_IFCHR:
		/* ttys: 4 (tty/console), 5 (tty, ptmx), 136-143 (pts) */
		major = BPF_CORE_READ(inode, i_rdev) >> 20;
		return major == 4 || major == 5 || (major >= 136 && major <= 143) ? RTMON_FD_TTY : RTMON_FD_CHR;
	default:
		return RTMON_FD_OTHER;
	}
}

static __always_inline void exec_fds(struct exec_scratch *s)
{
	for (int i = 0; i < 2; i++) {
		struct file *f = fd_file(i);
		__u64 ino = 0;

		__builtin_memset(&s->rec.fd[i], 0, sizeof(s->rec.fd[i]));
		sock_info(f, &s->rec.fd[i]);
		s->rec.fd_kind[i] = fd_kind(f, &ino);
		s->rec.fd_ino[i] = ino;
	}
}

static __always_inline __u32 exec_exe(struct exec_scratch *s, __u32 off, struct task_struct *task)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	bool trunc = false, pseudo = false;
	__u32 start = off;
	struct path p;

	if (!exe)
		return off;
	BPF_CORE_READ_INTO(&p, exe, f_path);
	off = read_path(s, off, &p, &trunc, &pseudo);
	if (trunc)
		s->rec.flags |= RTMON_EXEC_EXE_TRUNC;
	s->rec.exe_nlink = BPF_CORE_READ(exe, f_inode, __i_nlink);
	if (BPF_CORE_READ(exe, f_inode, i_mode) & (S_ISUID_ | S_ISGID_))
		s->rec.flags |= RTMON_EXEC_EXE_SETUID;
	if (pseudo) {
		char pfx[6] = {};

		s->rec.flags |= RTMON_EXEC_EXE_INTERNAL;
		bpf_probe_read_kernel(pfx, sizeof(pfx), &s->data[start & DATA_MASK]);
		if (pfx[0] == 'm' && pfx[1] == 'e' && pfx[2] == 'm' && pfx[3] == 'f' && pfx[4] == 'd' && pfx[5] == ':')
			s->rec.flags |= RTMON_EXEC_EXE_MEMFD;
	} else if (s->rec.exe_nlink == 0) {
		s->rec.flags |= RTMON_EXEC_EXE_DELETED;
	}
	return off;
}

/*
 * ---- the loader's environment: LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH, GLIBC_TUNABLES ----
 *
 * The whole environment of the new image is scanned string by string in
 * chunks (bpf_loop), nothing copied but the position of the last occurrence of
 * each variable (the one ld.so uses); those are copied at the end.
 */
#define ENV_CHUNK 256
#define ENV_SCAN_MAX 4096 /* chunks: at least 4096 variables or 1 MiB */
#define ENV_VARS 4

struct env_ctx {
	unsigned long pos, end;
	unsigned long
		var[ENV_VARS]; /* user address of the last LD_PRELOAD=, LD_AUDIT=, LD_LIBRARY_PATH=, GLIBC_TUNABLES= */
	bool at_start, done;
};

static __always_inline bool prefix_is(const char *b, const char *p, int n)
{
	char diff = 0;

	/*
	 * Fully unrolled and branch-free: the loop clang kept for the
	 * short-circuit form falls through into its own head, a back-edge the
	 * verifier of kernels before 6.3 refuses (seen on 6.1: on_exec, mmap).
	 */
#pragma clang loop unroll(full)
	for (int i = 0; i < n; i++)
		diff |= b[i] ^ p[i];
	return diff == 0;
}

/* Which loader variable the string b starts, -1 for none. */
static __always_inline int env_var_index(const char *b)
{
	if (b[0] == 'L' && b[1] == 'D' && b[2] == '_') {
		if (prefix_is(b + 3, "PRELOAD=", 8))
			return 0;
		if (prefix_is(b + 3, "AUDIT=", 6))
			return 1;
		if (prefix_is(b + 3, "LIBRARY_PATH=", 13))
			return 2;
		return -1;
	}
	return prefix_is(b, "GLIBC_TUNABLES=", 15) ? 3 : -1;
}

static long env_step(__u32 i, void *data)
{
	struct env_ctx *e = data;
	struct exec_scratch *s;
	__u32 zero = 0;
	long n;
	int k;

	if (e->pos >= e->end) {
		e->done = true;
		return 1;
	}
	s = bpf_map_lookup_elem(&exec_heap, &zero);
	if (!s)
		return 1;
	n = bpf_probe_read_user_str(s->envbuf, ENV_CHUNK, (void *)e->pos);
	if (n <= 0) {
		e->done = true; /* unreadable: nothing more ld.so could read either */
		return 1;
	}
	if (e->at_start) {
		k = env_var_index(s->envbuf);
		if (k >= 0 && k < ENV_VARS)
			e->var[k] = e->pos;
	}
	/* a full chunk may be a longer string: go on in it (the NUL took the last byte) */
	e->at_start = n < ENV_CHUNK;
	e->pos += e->at_start ? n : ENV_CHUNK - 1;
	return 0;
}

/* Copies one variable found by the scan into the section at off. */
static __always_inline __u32 env_copy(struct exec_scratch *s, __u32 off, __u32 start, unsigned long uaddr)
{
	__u64 o = off;
	long n;

	if (!uaddr || off - start > RTMON_ENV_MAX - RTMON_ENV_VAR_MAX)
		return off;
	/* a 64-bit offset, bounded right before the access, is what the verifier can follow */
	asm volatile("" : "+r"(o));
	if (o > RTMON_EXEC_PATHS_MAX + RTMON_ENV_MAX - RTMON_ENV_VAR_MAX)
		return off;
	n = bpf_probe_read_user_str(&s->data[o], RTMON_ENV_VAR_MAX, (void *)uaddr);
	return n > 0 ? off + n : off;
}

static __always_inline __u32 read_env(struct exec_scratch *s, __u32 off, struct task_struct *task)
{
	struct env_ctx e = {};
	__u32 start = off;

	e.pos = BPF_CORE_READ(task, mm, env_start);
	e.end = BPF_CORE_READ(task, mm, env_end);
	e.at_start = true;
	bpf_loop(ENV_SCAN_MAX, env_step, &e, 0);
	if (!e.done)
		s->rec.flags |= RTMON_EXEC_ENV_TRUNC;
	off = env_copy(s, off, start, e.var[0]);
	off = env_copy(s, off, start, e.var[1]);
	off = env_copy(s, off, start, e.var[2]);
	return env_copy(s, off, start, e.var[3]);
}

/* An ia32 program: the kernel starts it with the 32-bit user code segment. */
#define USER32_CS 0x23

static __always_inline bool task_compat(void)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return regs && BPF_CORE_READ(regs, cs) == USER32_CS;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct exec_scratch *s = exec_scratch();
	unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
	bool trunc = false, pseudo = false;
	__u32 off = 0, mark;
	struct path cwd;
	__u64 size;
	long n;

	if (!s)
		return 0;
	s->rec.flags = 0;
	s->rec.old_pid = ctx->old_pid;
	s->rec.exe_nlink = 0;
	s->rec.env_len = 0;

	n = bpf_probe_read_kernel_str(s->data, RTMON_SECTION_MAX, (void *)ctx + loc);
	if (n > 0)
		off = n;
	if (n == RTMON_SECTION_MAX)
		s->rec.flags |= RTMON_EXEC_FILENAME_TRUNC;
	s->rec.filename_len = off;

	mark = off;
	off = read_args(s, off, task);
	s->rec.args_len = off - mark;

	mark = off;
	off = exec_exe(s, off, task);
	s->rec.exe_len = off - mark;

	mark = off;
	BPF_CORE_READ_INTO(&cwd, task, fs, pwd);
	off = read_path(s, off, &cwd, &trunc, &pseudo);
	if (trunc)
		s->rec.flags |= RTMON_EXEC_CWD_TRUNC;
	s->rec.cwd_len = off - mark;

	mark = off;
	off = read_env(s, off, task);
	s->rec.env_len = off - mark;
	if (task_compat())
		s->rec.flags |= RTMON_EXEC_COMPAT;

	exec_fds(s);
	if (s->rec.flags & (RTMON_EXEC_ARGS_TRUNC | RTMON_EXEC_EXE_TRUNC | RTMON_EXEC_CWD_TRUNC))
		count(RTMON_CNT_PATH_TRUNC);

	/* a 64-bit size, bounded right before the call, is what the verifier can follow */
	size = (__u64)off + sizeof(s->rec);
	asm volatile("" : "+r"(size));
	if (size > sizeof(s->rec) + RTMON_EXEC_DATA_MAX)
		size = sizeof(s->rec) + RTMON_EXEC_DATA_MAX;
	fill_hdr(&s->rec.hdr, RTMON_REC_EXEC, (__u32)size);
	if (bpf_ringbuf_output(&events, s, size, wake_flags()) < 0) {
		count(RTMON_CNT_DROP_RINGBUF);
		return 0;
	}
	count(RTMON_CNT_SENT);
	return 0;
}

/* ---- fork / exit ---- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	struct rtmon_rec_fork *r;
	__u32 cpid = child->pid;
	__u32 ctgid = child->tgid;

	if (cpid != ctgid)
		return 0; /* a new thread, not a process */
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_FORK, sizeof(*r));
	r->parent_pid = parent->tgid;
	r->child_pid = ctgid;
	r->hdr.pid = ctgid;
	r->hdr.tid = cpid;
	r->hdr.ppid = r->parent_pid;
	submit(r);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 id = bpf_get_current_pid_tgid();
	struct rtmon_rec_exit *r;

	if ((__u32)id != (__u32)(id >> 32))
		return 0; /* a thread; the process exits with its leader */
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_EXIT, sizeof(*r));
	r->exit_code = task->exit_code;
	r->_pad0 = 0;
	submit(r);
	return 0;
}

/*
 * comm changes after exec (prctl PR_SET_NAME, a write to /proc/PID/comm), so
 * the process table and lineage show the name a process gives itself now.
 * Filtered here: exec's own rename (the sched_process_exec record carries
 * it), threads naming themselves (ps shows the leader's comm) and kernel
 * threads.
 */
SEC("tp_btf/task_rename")
int BPF_PROG(on_rename, struct task_struct *task, const char *comm)
{
	struct rtmon_rec_rename *r;

	if (task->pid != task->tgid || (task->flags & PF_KTHREAD_))
		return 0;
	if (BPF_CORE_READ_BITFIELD(task, in_execve) || is_self())
		return 0;
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_RENAME, sizeof(*r));
	r->hdr.pid = task->tgid;
	r->hdr.tid = task->pid;
	bpf_probe_read_kernel_str(r->hdr.comm, sizeof(r->hdr.comm), task->comm);
	if (bpf_probe_read_kernel_str(r->newcomm, sizeof(r->newcomm), comm) < 0)
		r->newcomm[0] = 0;
	submit(r);
	return 0;
}

/* ---- rare kernel-level actions (struct rtmon_rec_ksys) ---- */

static __always_inline struct rtmon_rec_ksys *ksys_reserve(__u32 kind)
{
	struct rtmon_rec_ksys *r = reserve(sizeof(*r));

	if (!r)
		return NULL;
	fill_hdr(&r->hdr, RTMON_REC_KSYS, sizeof(*r));
	r->kind = kind;
	r->flags = 0;
	r->arg0 = r->arg1 = 0;
	__builtin_memset(r->addr, 0, sizeof(r->addr));
	r->str[0] = 0;
	r->str2[0] = 0;
	return r;
}

/* ---- connect ---- */

#define TCP_SYN_SENT 2
#define TCP_LISTEN 10
#define IPPROTO_TCP 6
#define PF_KTHREAD 0x00200000

static __always_inline void emit_connect(__u16 family, __u16 port, __u16 protocol, const void *addr)
{
	struct rtmon_rec_connect *r = reserve(sizeof(*r));

	if (!r)
		return;
	fill_hdr(&r->hdr, RTMON_REC_CONNECT, sizeof(*r));
	r->family = family;
	r->port = port;
	r->protocol = protocol;
	r->_pad0 = 0;
	__builtin_memset(r->addr, 0, sizeof(r->addr));
	if (family == AF_INET)
		__builtin_memcpy(r->addr, addr, 4);
	else
		__builtin_memcpy(r->addr, addr, 16);
	submit(r);
}

/*
 * TCP: the CLOSE -> SYN_SENT transition, which the kernel makes in the
 * connecting task (connect(), sendto() with TCP Fast Open, io_uring). The
 * destination is the socket's own, not the caller's memory a syscall hook
 * reads (that copy can be changed after the hook ran), and no syscall exit
 * hook is needed: those put every syscall on the host through one more call.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_sock_state, const struct sock *sk, const int oldstate, const int newstate)
{
	__u32 addr[4] = {};
	__u16 fam;

	if (newstate == TCP_LISTEN && !is_self()) {
		struct rtmon_rec_ksys *r;

		fam = sk->__sk_common.skc_family;
		if (fam != AF_INET && fam != AF_INET6)
			return 0;
		r = ksys_reserve(RTMON_KSYS_LISTEN);
		if (!r)
			return 0;
		r->arg0 = fam;
		r->arg1 = sk->__sk_common.skc_num;
		if (fam == AF_INET)
			__builtin_memcpy(r->addr, &sk->__sk_common.skc_rcv_saddr, 4);
		else
			__builtin_memcpy(r->addr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		submit(r);
		return 0;
	}
	if (newstate != TCP_SYN_SENT || sk->sk_protocol != IPPROTO_TCP)
		return 0;
	if (bpf_get_current_task_btf()->flags & PF_KTHREAD)
		return 0; /* the kernel's own connections (MPTCP extra subflows, NFS, ...) */
	if (is_self())
		return 0;
	fam = sk->__sk_common.skc_family;
	if (fam == AF_INET) {
		addr[0] = sk->__sk_common.skc_daddr;
	} else if (fam == AF_INET6) {
		for (int i = 0; i < 4; i++)
			addr[i] = sk->__sk_common.skc_v6_daddr.in6_u.u6_addr32[i];
	} else {
		return 0;
	}
	emit_connect(fam, bpf_ntohs(sk->__sk_common.skc_dport), IPPROTO_TCP, addr);
	return 0;
}

/* Whether s (n bytes, no NUL counted) ends with the 'len' bytes of tail. */
static __always_inline bool ends_with(const char *s, int n, const char *tail, int len)
{
	if (n < len)
		return false;
	for (int i = 0; i < len; i++)
		if (s[(n - len + i) & 127] != tail[i])
			return false;
	return true;
}

/*
 * A unix connect() to a container runtime's API (docker, containerd,
 * CRI-O, podman): whoever holds that socket can start a privileged container.
 */
static __always_inline void unix_connect(const void *uaddr, bool user)
{
	char path[128] = {};
	struct rtmon_rec_ksys *r;
	long n;

	/* struct sockaddr_un: sun_family (2 bytes), then sun_path */
	n = read_str(path, sizeof(path), (const char *)uaddr + 2, user);
	if (n <= 1)
		return;
	n -= 1;
	if (!ends_with(path, (int)n, "docker.sock", 11) && !ends_with(path, (int)n, "containerd.sock", 15) &&
	    !ends_with(path, (int)n, "crio.sock", 9) && !ends_with(path, (int)n, "podman.sock", 11))
		return;
	r = ksys_reserve(RTMON_KSYS_UNIX_CONNECT);
	if (!r)
		return;
	__builtin_memcpy(r->str, path, sizeof(path));
	submit(r);
}

/*
 * Other inet sockets (UDP, ...) at connect() entry; stream sockets (TCP,
 * MPTCP) are left to the transition above, so a TCP connect is reported once.
 */
static __always_inline int connect_sock(struct socket *sock, const void *uaddr, bool user)
{
	struct sock *sk;
	__u16 fam = 0, proto;

	if (!sock || is_self())
		return 0;
	/*
	 * Stream sockets (TCP, MPTCP) are left to the SYN_SENT transition: this
	 * is the hot early exit, so it reads no user memory. Unix sockets go on
	 * only to find a container runtime's API socket.
	 */
	sk = BPF_CORE_READ(sock, sk);
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (fam == AF_UNIX) {
		unix_connect(uaddr, user);
		return 0;
	}
	if (BPF_CORE_READ(sock, type) == SOCK_STREAM)
		return 0;
	if (fam != AF_INET && fam != AF_INET6)
		return 0; /* unix and the rest: never matter to the rules */
	proto = BPF_CORE_READ(sk, sk_protocol);
	/* the address family the caller passes (AF_INET on an IPv6 socket; AF_UNSPEC disconnects) */
	if (read_mem(&fam, sizeof(fam), uaddr, user) < 0)
		return 0;
	if (fam == AF_INET) {
		struct sockaddr_in sin;

		if (read_mem(&sin, sizeof(sin), uaddr, user) < 0)
			return 0;
		emit_connect(fam, bpf_ntohs(sin.sin_port), proto, &sin.sin_addr.s_addr);
	} else if (fam == AF_INET6) {
		struct sockaddr_in6 sin6;

		if (read_mem(&sin6, sizeof(sin6), uaddr, user) < 0)
			return 0;
		emit_connect(fam, bpf_ntohs(sin6.sin6_port), proto, sin6.sin6_addr.in6_u.u6_addr8);
	}
	return 0;
}

static __always_inline int connect_args(const unsigned long *a)
{
	if (is_self())
		return 0;
	return connect_sock(file_socket(fd_file((int)a[0])), (const void *)a[1], true);
}
SYSCALL_ENTER(connect, connect, connect_args)

/*
 * The LSM hook has the socket and the kernel's copy of the address (the
 * caller cannot change it after the check), and sees io_uring's connects too.
 */
SEC("lsm/socket_connect")
int BPF_PROG(ls_connect, struct socket *sock, struct sockaddr *address, int addrlen)
{
	connect_sock(sock, address, false);
	return 0; /* read-only: never deny */
}

/* ---- ptrace, memfd_create, process_vm_writev ---- */

/*
 * The number of t's pid in the pid namespace at 'level' (the caller's): what
 * the caller passes to ptrace(). 0 when t is not visible there.
 */
static __always_inline __u32 vpid_at(struct task_struct *t, unsigned int level)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	int nr = 0;

	if (!p || BPF_CORE_READ(p, level) < level)
		return 0;
	bpf_core_read(&nr, sizeof(nr), &p->numbers[level].nr);
	return nr;
}

/* A walk of one task list (children, ptraced) for the task whose pid is 'target'. */
struct list_walk {
	unsigned long head; /* address of the list_head in the owner */
	unsigned long pos;
	unsigned long off; /* offset of the link member in task_struct */
	unsigned int level;
	__u32 target;
	struct task_struct *found;
};

static long list_step(__u32 i, void *data)
{
	struct list_walk *w = data;
	/* a local: a CO-RE read through w-> would relocate list_walk itself */
	struct list_head *pos = (struct list_head *)w->pos;
	struct task_struct *t;

	if (!pos || w->pos == w->head)
		return 1;
	t = (struct task_struct *)(w->pos - w->off);
	if (vpid_at(t, w->level) == w->target) {
		w->found = t;
		return 1;
	}
	w->pos = (unsigned long)BPF_CORE_READ(pos, next);
	return 0;
}

static __always_inline struct task_struct *list_find(unsigned long head, unsigned long off, unsigned int level,
						     __u32 target)
{
	struct list_walk w = { .head = head, .off = off, .level = level, .target = target };

	w.pos = (unsigned long)BPF_CORE_READ((struct list_head *)head, next);
	bpf_loop(256, list_step, &w, 0);
	return w.found;
}

/*
 * The target's relation to the caller, from the kernel at the time of the
 * call (not from a process table that double forks and reparenting make
 * stale): parent when it is the caller's real_parent; child when its
 * real_parent is in the caller's thread group. The target is looked for
 * among the caller's tracees (where POKE* and SETREGS* find it) and its
 * children (ATTACH/SEIZE of a program the caller started).
 */
static __u32 ptrace_rel(__u32 target)
{
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = BPF_CORE_READ(cur, real_parent), *t;
	unsigned int level = BPF_CORE_READ(cur, thread_pid, level);
	__u32 rel = RTMON_PTRACE_REL_KNOWN;

	if (!target)
		return 0;
	if (target == vpid_at(parent, level) || target == vpid_at(BPF_CORE_READ(parent, group_leader), level))
		rel |= RTMON_PTRACE_REL_PARENT;
	t = list_find((unsigned long)cur + bpf_core_field_offset(struct task_struct, ptraced),
		      bpf_core_field_offset(struct task_struct, ptrace_entry), level, target);
	if (!t)
		t = list_find((unsigned long)cur + bpf_core_field_offset(struct task_struct, children),
			      bpf_core_field_offset(struct task_struct, sibling), level, target);
	if (t && BPF_CORE_READ(t, real_parent, tgid) == BPF_CORE_READ(cur, tgid))
		rel |= RTMON_PTRACE_REL_CHILD;
	return rel;
}

static __always_inline int ptrace_args(const unsigned long *a)
{
	long req = (long)a[0];
	struct rtmon_rec_ptrace *r;
	__u32 rel;

	switch (req) {
	case PTRACE_TRACEME:
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
	case PTRACE_POKEUSER:
	case PTRACE_SETREGS:
	case PTRACE_SETFPREGS:
	case PTRACE_ATTACH:
	case PTRACE_SETREGSET:
	case PTRACE_SEIZE:
		break;
	default:
		return 0; /* PEEK*, GETREGS, CONT...: a debugger's chatter */
	}
	rel = req == PTRACE_TRACEME ? 0 : ptrace_rel((__u32)a[1]);
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_PTRACE, sizeof(*r));
	r->request = req;
	r->target_pid = (__u32)a[1];
	r->rel = rel;
	r->addr = a[2];
	submit(r);
	return 0;
}
SYSCALL_ENTER(ptrace, ptrace, ptrace_args)

static __always_inline int memfd_args(const unsigned long *a)
{
	struct rtmon_rec_memfd *r = reserve(sizeof(*r));

	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_MEMFD, sizeof(*r));
	r->flags = (__u32)a[1];
	r->_pad0 = 0;
	if (bpf_probe_read_user_str(r->name, sizeof(r->name), (void *)a[0]) < 0)
		r->name[0] = 0;
	submit(r);
	return 0;
}
SYSCALL_ENTER(memfd_create, memfd, memfd_args)

static __always_inline int vm_writev_args(const unsigned long *a)
{
	struct rtmon_rec_vm_writev *r = reserve(sizeof(*r));

	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_VM_WRITEV, sizeof(*r));
	r->target_pid = (__u32)a[0];
	r->_pad0 = 0;
	r->liovcnt = a[2];
	submit(r);
	return 0;
}
SYSCALL_ENTER(process_vm_writev, vm_writev, vm_writev_args)

/* ---- mmap / mprotect with PROT_EXEC, exact repeats folded per process ---- */

/* One call, as the hooks see it, before it is sent or folded. */
struct mem_call {
	struct rtmon_fold_key k;
	__u64 addr, len;
	__s32 fd;
};

static __always_inline void emit_mem(const struct mem_call *c)
{
	struct rtmon_rec_mem *r = reserve(sizeof(*r));

	if (!r)
		return;
	fill_hdr(&r->hdr, c->k.type, sizeof(*r));
	r->addr = c->addr;
	r->len = c->len;
	r->prot = c->k.prot;
	r->flags = c->k.flags;
	r->fd = c->fd;
	r->vma = c->k.vma;
	submit(r);
}

/* The count folded into window v, with the last repeat's details; the header is the process's. */
static __always_inline void emit_summary(const struct rtmon_fold_key *k, const struct rtmon_fold_val *v, __u64 n)
{
	struct rtmon_rec_mem *r = reserve(sizeof(*r));

	if (!r)
		return;
	r->hdr = v->hdr;
	r->hdr.type = k->type;
	r->hdr.size = sizeof(*r);
	r->hdr.fold_count = n > 0xffffffffull ? 0xffffffffu : (__u32)n;
	r->hdr.hflags = RTMON_HDR_FOLD_SUMMARY;
	r->addr = v->addr;
	r->len = v->len;
	r->prot = k->prot;
	r->flags = k->flags;
	r->fd = v->fd;
	r->vma = k->vma;
	submit(r);
}

/*
 * Sends the call, or folds it when the same exact kind of call (the whole
 * key: prot, flags, vma state, fd kind) opened a window less than
 * fold_window_ns ago. A call that differs in any of these opens its own
 * window and goes out with its own details: a harmless decoy cannot shadow
 * a real change. pending is taken with an atomic exchange, here and in
 * fold_sweep, so a count is reported once.
 */
static __always_inline void fold_or_emit(struct mem_call *c)
{
	struct rtmon_fold_val *v, nv = {};
	/* (bpf_ktime_get_coarse_ns would be cheaper, but tracing programs may not call it: not NMI-safe) */
	__u64 now = bpf_ktime_get_boot_ns();
	__u64 left;

	c->k.tgid = bpf_get_current_pid_tgid() >> 32;
	v = cfg.fold_window_ns ? bpf_map_lookup_elem(&folds, &c->k) : NULL;
	if (v && now - v->win_ns < cfg.fold_window_ns) {
		v->hdr.ktime_ns = now;
		v->hdr.tid = (__u32)bpf_get_current_pid_tgid();
		v->addr = c->addr;
		v->len = c->len;
		v->fd = c->fd;
		__sync_fetch_and_add(&v->pending, 1);
		count(RTMON_CNT_FOLDED);
		return;
	}
	if (v) {
		/* the sweep has not closed the last window yet: close it here, first */
		left = __sync_lock_test_and_set(&v->pending, 0);
		if (left)
			emit_summary(&c->k, v, left);
	}
	emit_mem(c);
	if (!cfg.fold_window_ns)
		return;
	fill_hdr(&nv.hdr, c->k.type, sizeof(struct rtmon_rec_mem));
	nv.win_ns = now;
	nv.addr = c->addr;
	nv.len = c->len;
	nv.fd = c->fd;
	bpf_map_update_elem(&folds, &c->k, &nv, BPF_ANY);
}

struct sweep_ctx {
	__u64 now;
	__u32 all;
};

static long sweep_one(struct bpf_map *map, struct rtmon_fold_key *k, struct rtmon_fold_val *v, struct sweep_ctx *c)
{
	__u64 n;

	if (!v->pending || (!c->all && c->now - v->win_ns < cfg.fold_window_ns))
		return 0;
	n = __sync_lock_test_and_set(&v->pending, 0);
	if (n)
		emit_summary(k, v, n);
	return 0;
}

/*
 * Closes the fold windows whose time is up: rtmon runs this with
 * BPF_PROG_TEST_RUN on its timer (tracing programs may not use bpf_timer),
 * and once with all = 1 at stop.
 */
SEC("syscall")
int fold_sweep(struct rtmon_sweep_args *args)
{
	struct sweep_ctx c = { .now = bpf_ktime_get_boot_ns(), .all = args->all };

	bpf_for_each_map_elem(&folds, sweep_one, &c, 0);
	return 0;
}

/*
 * What makes f a file no library should be mapped from (RTMON_MAPF_*): a
 * memfd, a deleted file, a file under a world-writable sticky directory
 * within 4 levels (/tmp, /var/tmp, /dev/shm, a container's /tmp). Pointer
 * reads only: this runs on every library ld.so maps.
 */
static __always_inline __u32 map_file_flags(struct file *f)
{
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	struct dentry *p = BPF_CORE_READ(d, d_parent);
	char pfx[6] = {};

	if (p == d) {
		/* a pseudo file: only a memfd matters */
		bpf_probe_read_kernel(pfx, sizeof(pfx), BPF_CORE_READ(d, d_name.name));
		return prefix_is(pfx, "memfd:", 6) ? RTMON_MAPF_MEMFD : 0;
	}
	if (BPF_CORE_READ(f, f_inode, __i_nlink) == 0)
		return RTMON_MAPF_DELETED;
#pragma unroll
	for (int i = 0; i < 4; i++) {
		umode_t m = BPF_CORE_READ(p, d_inode, i_mode);
		struct dentry *pp;

		if ((m & S_ISVTX_) && (m & S_IWOTH_))
			return RTMON_MAPF_SHARED_DIR;
		pp = BPF_CORE_READ(p, d_parent);
		if (!pp || pp == p)
			break;
		p = pp;
	}
	return 0;
}

/* Sends the mapping of an untrusted file whole, with its path (rare: never folded). */
static __always_inline void emit_mem_file(const struct mem_call *c, struct file *f, __u32 fl)
{
	struct exec_scratch *s = exec_scratch();
	struct rtmon_rec_mem_file *r;
	bool trunc = false, pseudo = false;
	struct path path;
	__u32 len;

	if (!s)
		return;
	BPF_CORE_READ_INTO(&path, f, f_path);
	len = read_path(s, 0, &path, &trunc, &pseudo);
	r = reserve(sizeof(*r));
	if (!r)
		return;
	fill_hdr(&r->mem.hdr, RTMON_REC_MMAP, sizeof(*r));
	r->mem.addr = c->addr;
	r->mem.len = c->len;
	r->mem.prot = c->k.prot;
	r->mem.flags = c->k.flags;
	r->mem.fd = c->fd;
	r->mem.vma = 0;
	if (len > RTMON_MAP_PATH_MAX) {
		len = RTMON_MAP_PATH_MAX;
		trunc = true;
	}
	r->file_flags = fl | (trunc ? RTMON_MAPF_PATH_TRUNC : 0);
	r->ino = BPF_CORE_READ(f, f_inode, i_ino);
	{
		/* a 64-bit size, bounded right before the call: 6.1's verifier loses a masked 32-bit one */
		__u64 n = len;

		asm volatile("" : "+r"(n));
		if (n > RTMON_MAP_PATH_MAX)
			n = RTMON_MAP_PATH_MAX;
		if (bpf_probe_read_kernel(r->path, n, s->data) < 0)
			n = 0;
		r->path_len = (__u32)n;
	}
	submit(r);
}

static __always_inline int mmap_args(const unsigned long *a)
{
	struct mem_call c = {};

	c.k.prot = (__u32)a[2];
	if (!(c.k.prot & PROT_EXEC) || is_self())
		return 0;
	c.k.type = RTMON_REC_MMAP;
	c.k.flags = (__u32)a[3];
	c.fd = (__s32)a[4];
	c.k.file = !(c.k.flags & MAP_ANONYMOUS) && c.fd >= 0;
	c.addr = a[0];
	c.len = a[1];
	if (c.k.file) {
		struct file *f = fd_file(c.fd);
		__u32 fl = f ? map_file_flags(f) : 0;

		if (fl) {
			emit_mem_file(&c, f, fl);
			return 0;
		}
		/* file-backed read-only code (ld.so mapping libraries) matters to no rule */
		if (!cfg.file_exec_mmap && !(c.k.prot & PROT_WRITE))
			return 0;
	}
	fold_or_emit(&c);
	return 0;
}
SYSCALL_ENTER(mmap, mmap, mmap_args)

struct vma_ctx {
	__u32 flags;
};

static long vma_cb(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct vma_ctx *c = data;
	unsigned long vmf = BPF_CORE_READ(vma, vm_flags);
	unsigned long start = BPF_CORE_READ(vma, vm_start);
	unsigned long end = BPF_CORE_READ(vma, vm_end);
	unsigned long stack = BPF_CORE_READ(task, mm, start_stack);

	c->flags = RTMON_VMA_KNOWN;
	if (!BPF_CORE_READ(vma, vm_file))
		c->flags |= RTMON_VMA_ANON;
	if (vmf & VM_WRITE)
		c->flags |= RTMON_VMA_WRITE;
	if (vmf & VM_EXEC)
		c->flags |= RTMON_VMA_EXEC;
	if (stack >= start && stack < end)
		c->flags |= RTMON_VMA_STACK;
	return 0;
}

static __always_inline int mprotect_args(const unsigned long *a)
{
	struct mem_call c = {};
	struct vma_ctx vc = {};

	c.k.prot = (__u32)a[2];
	if (!(c.k.prot & PROT_EXEC) || is_self())
		return 0;
	c.k.type = RTMON_REC_MPROTECT;
	c.addr = a[0];
	c.len = a[1];
	c.fd = -1;
	bpf_find_vma(bpf_get_current_task_btf(), c.addr, vma_cb, &vc, 0);
	c.k.vma = vc.flags;
	c.k.file = (vc.flags & RTMON_VMA_KNOWN) && !(vc.flags & RTMON_VMA_ANON);
	/* file-backed code that was never writable: ld.so's own business */
	if ((vc.flags & RTMON_VMA_KNOWN) && !(vc.flags & (RTMON_VMA_ANON | RTMON_VMA_WRITE)) &&
	    !(c.k.prot & PROT_WRITE) && !cfg.file_exec_mmap)
		return 0;
	fold_or_emit(&c);
	return 0;
}
SYSCALL_ENTER(mprotect, mprotect, mprotect_args)

/* ---- dup2/dup3 of an inet socket onto stdin/stdout/stderr ---- */

static __always_inline int dup_common(int oldfd, int newfd)
{
	struct rtmon_sockinfo si = {};
	struct rtmon_rec_dup *r;
	__u16 fam;

	if (newfd < 0 || newfd > 2 || is_self())
		return 0;
	fam = sock_info(fd_file(oldfd), &si);
	if (fam != AF_INET && fam != AF_INET6)
		return 0;
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_DUP, sizeof(*r));
	r->oldfd = oldfd;
	r->newfd = newfd;
	r->sock = si;
	submit(r);
	return 0;
}

static __always_inline int dup_args(const unsigned long *a)
{
	return dup_common((int)a[0], (int)a[1]);
}
SYSCALL_ENTER(dup2, dup2, dup_args)
SYSCALL_ENTER(dup3, dup3, dup_args)

/* ---- tamper evidence: signals to rtmon, bpf() that can reach BPF objects ---- */

SEC("tracepoint/signal/signal_generate")
int on_signal(struct trace_event_raw_signal_generate *ctx)
{
	struct rtmon_rec_signal *r;
	int sig = ctx->sig;

	if (!cfg.self_pid || (__u32)ctx->pid != cfg.self_pid || is_self())
		return 0;
	/* SIGHUP SIGINT SIGQUIT SIGABRT SIGKILL SIGTERM SIGSTOP SIGTSTP: the ones that stop or steer rtmon */
	if (sig != 1 && sig != 2 && sig != 3 && sig != 6 && sig != 9 && sig != 15 && sig != 19 && sig != 20)
		return 0;
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_SIGNAL, sizeof(*r));
	r->sig = sig;
	r->target_pid = ctx->pid;
	/* tamper evidence cannot wait for the batch: SIGKILL may follow */
	count(RTMON_CNT_SENT);
	bpf_ringbuf_submit(r, BPF_RB_FORCE_WAKEUP);
	return 0;
}

/* bpf() commands: enum bpf_cmd (vmlinux.h); user space names them from the same enum (src/names.c) */

/* bpf(cmd, attr): attr is the caller's memory (syscall hooks) or the kernel's copy (LSM) */
static __always_inline int bpf_cmd(__u32 cmd, const char *attr, bool user)
{
	struct rtmon_rec_bpf *r;
	__u32 first = 0;

	if (cmd == BPF_PROG_LOAD) {
		struct rtmon_rec_ksys *k;
		__u32 type = 0;

		if (is_self())
			return 0;
		/* union bpf_attr for BPF_PROG_LOAD: prog_type at 0, prog_name[16] at 48 */
		read_mem(&type, sizeof(type), attr, user);
		k = ksys_reserve(RTMON_KSYS_BPF_PROG);
		if (!k)
			return 0;
		k->arg0 = type;
		if (read_mem(k->str, 16, attr + 48, user) < 0)
			k->str[0] = 0;
		k->str[15] = 0;
		submit(k);
		return 0;
	}
	if (cmd != BPF_PROG_DETACH && cmd != BPF_PROG_GET_FD_BY_ID && cmd != BPF_MAP_GET_FD_BY_ID &&
	    cmd != BPF_LINK_GET_FD_BY_ID && cmd != BPF_LINK_DETACH)
		return 0;
	if (is_self())
		return 0;
	if (read_mem(&first, sizeof(first), attr, user) < 0)
		return 0;
	r = reserve(sizeof(*r));
	if (!r)
		return 0;
	fill_hdr(&r->hdr, RTMON_REC_BPF, sizeof(*r));
	r->cmd = cmd;
	r->id = first;
	if (cmd == BPF_LINK_DETACH) {
		/* link_detach.link_fd: the caller's fd; the link's id tells whether it is one of ours */
		struct file *f = fd_file((int)first);
		struct bpf_link *lk = f ? BPF_CORE_READ(f, private_data) : NULL;

		r->id = lk ? BPF_CORE_READ(lk, id) : 0;
	}
	submit(r);
	return 0;
}

static __always_inline int bpf_args(const unsigned long *a)
{
	return bpf_cmd((__u32)a[0], (const char *)a[1], true);
}
SYSCALL_ENTER(bpf, bpf, bpf_args)

/* security_bpf() runs in every bpf() call, after the attributes are copied in */
SEC("lsm/bpf")
int BPF_PROG(ls_bpf, int cmd, union bpf_attr *attr)
{
	bpf_cmd((__u32)cmd, (const char *)attr, false);
	return 0; /* read-only: never deny */
}

/* ---- file watch: opens, truncation, unlink and rename of watched files ---- */

#define O_ACCMODE_ 03
#define O_WRONLY_ 01
#define O_RDWR_ 02
#define O_CREAT_ 0100
#define O_TRUNC_ 01000
#define AT_FDCWD_ -100
#define AT_REMOVEDIR_ 0x200
#define PROC_SUPER_MAGIC_ 0x9fa0
#define FMODE_CREATED_ 0x100000

/* What an open does, from the flags the caller passed. */
static __always_inline __u32 open_ops(__u32 oflags)
{
	__u32 acc = oflags & O_ACCMODE_, ops = 0;

	if (acc == 0 || acc == O_RDWR_)
		ops |= RTMON_FILE_READ;
	if (acc == O_WRONLY_ || acc == O_RDWR_ || (oflags & O_CREAT_))
		ops |= RTMON_FILE_WRITE;
	if (oflags & O_TRUNC_)
		ops |= RTMON_FILE_TRUNC;
	return ops;
}

/* The watch entry of dentry d's inode, NULL when it is not watched; *k is filled either way. */
static __always_inline struct rtmon_watch_val *watch_lookup(struct dentry *d, struct rtmon_watch_key *k)
{
	struct inode *in = BPF_CORE_READ(d, d_inode);

	if (!in)
		return NULL;
	k->ino = BPF_CORE_READ(in, i_ino);
	k->dev = BPF_CORE_READ(d, d_sb, s_dev);
	k->_pad0 = 0;
	return bpf_map_lookup_elem(&watch_inodes, k);
}

struct file_match {
	struct rtmon_watch_key k;
	__u32 depth;
};

/*
 * Whether an access 'ops' to d matters: d's own inode is watched for it, or
 * its directory for its entries, or a directory 2 or 3 levels up for what is
 * below it. At most four hash lookups; the walk stops at a mount's root.
 */
static __always_inline bool watch_match(struct dentry *d, __u32 ops, struct file_match *m)
{
	struct rtmon_watch_val *v = watch_lookup(d, &m->k);
	struct dentry *p;

	if (v && (v->self_ops & ops))
		return true;
	for (__u32 depth = 1; depth <= 3; depth++) {
		p = BPF_CORE_READ(d, d_parent);
		if (!p || p == d)
			return false;
		v = watch_lookup(p, &m->k);
		if (v && ((depth == 1 ? v->child_ops : v->deep_ops) & ops)) {
			m->depth = depth;
			return true;
		}
		d = p;
	}
	return false;
}

/* A procfs file named "mem" (/proc/PID/mem, /proc/PID/task/TID/mem). */
static __always_inline bool is_proc_mem(struct dentry *d)
{
	char name[4] = {};

	if (BPF_CORE_READ(d, d_sb, s_magic) != PROC_SUPER_MAGIC_)
		return false;
	bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(d, d_name.name));
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 0;
}

static __always_inline void emit_file(__u32 ops, __u32 how, __u32 oflags, struct dentry *d, const struct file_match *m,
				      const char *upath)
{
	struct rtmon_rec_file *r = reserve(sizeof(*r));

	if (!r)
		return;
	fill_hdr(&r->hdr, RTMON_REC_FILE, sizeof(*r));
	r->ops = ops;
	r->how = how;
	r->oflags = oflags;
	r->depth = m ? m->depth : 0;
	r->watch_ino = m ? m->k.ino : 0;
	r->watch_dev = m ? m->k.dev : 0;
	r->ino = 0;
	r->dev = 0;
	for (int i = 0; i < RTMON_FILE_NAMES; i++)
		r->names[i][0] = 0;
	r->upath[0] = 0;
	if (d) {
		struct inode *in = BPF_CORE_READ(d, d_inode);

		r->ino = in ? BPF_CORE_READ(in, i_ino) : 0;
		r->dev = BPF_CORE_READ(d, d_sb, s_dev);
		for (int i = 0; i < RTMON_FILE_NAMES; i++) {
			struct dentry *p = BPF_CORE_READ(d, d_parent);

			bpf_probe_read_kernel_str(r->names[i], sizeof(r->names[i]), BPF_CORE_READ(d, d_name.name));
			if (!p || p == d)
				break;
			d = p;
		}
	}
	if (upath && bpf_probe_read_user_str(r->upath, sizeof(r->upath), upath) < 0)
		r->upath[0] = 0;
	submit(r);
}

/* After a successful open of any kind: fd 'ret', flags as passed. */
static __always_inline int file_opened(long ret, __u32 oflags)
{
	struct file_match m = {};
	struct dentry *d;
	struct file *f;
	__u32 ops;

	if (ret < 0 || is_self())
		return 0;
	f = fd_file((int)ret);
	if (!f)
		return 0;
	d = BPF_CORE_READ(f, f_path.dentry);
	if (!d)
		return 0;
	ops = open_ops(oflags);
	/* O_TRUNC on a file this open created truncates nothing: a new log is not a wiped one */
	if (BPF_CORE_READ(f, f_mode) & FMODE_CREATED_)
		ops &= ~RTMON_FILE_TRUNC;
	if ((ops & RTMON_FILE_WRITE) && is_proc_mem(d)) {
		emit_file(ops, RTMON_FILE_PROC_MEM, oflags, d, NULL, NULL);
		return 0;
	}
	if (watch_match(d, ops, &m))
		emit_file(ops, RTMON_FILE_BY_INODE, oflags, d, &m, NULL);
	return 0;
}

/*
 * The open flags are the syscall's arguments, read back from the user
 * registers saved at entry (x86-64 syscall ABI): one exit hook per open call
 * instead of an entry hook that stashes them.
 */
static __always_inline struct pt_regs *user_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

static __always_inline int openat_ret(long ret)
{
	if (ret < 0)
		return 0;
	return file_opened(ret, (__u32)BPF_CORE_READ(user_regs(), dx));
}
SYSCALL_EXIT(openat, openat_exit, openat_ret)

static __always_inline int open_ret(long ret)
{
	if (ret < 0)
		return 0;
	return file_opened(ret, (__u32)BPF_CORE_READ(user_regs(), si));
}
SYSCALL_EXIT(open, open_exit, open_ret)

static __always_inline int creat_ret(long ret)
{
	if (ret < 0)
		return 0;
	return file_opened(ret, O_CREAT_ | O_WRONLY_ | O_TRUNC_);
}
SYSCALL_EXIT(creat, creat_exit, creat_ret)

static __always_inline int openat2_ret(long ret)
{
	__u64 flags = 0;

	if (ret < 0)
		return 0;
	/* openat2(dfd, filename, struct open_how *how, size): how->flags is the first u64 */
	bpf_probe_read_user(&flags, sizeof(flags), (void *)BPF_CORE_READ(user_regs(), dx));
	return file_opened(ret, (__u32)flags);
}
SYSCALL_EXIT(openat2, openat2_exit, openat2_ret)

static __always_inline int ftruncate_args(const unsigned long *a)
{
	struct file_match m = {};
	struct dentry *d;
	struct file *f;

	if (is_self())
		return 0;
	f = fd_file((int)a[0]);
	d = f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
	if (d && watch_match(d, RTMON_FILE_TRUNC, &m))
		emit_file(RTMON_FILE_TRUNC, RTMON_FILE_BY_INODE, 0, d, &m, NULL);
	return 0;
}
SYSCALL_ENTER(ftruncate, ftruncate, ftruncate_args)

/*
 * A path the caller names for unlink, rename or truncate: absolute paths are
 * looked up in the prefix trie; a single relative name in the watched
 * directory it is relative to (dfd's, or the working directory). A
 * relative path with several components is not resolved here (see
 * docs/API.md). Reported at entry: the call may still fail.
 */
static __always_inline void path_op(int dfd, const char *upath, __u32 op)
{
	struct rtmon_watch_lpm_key k = {};
	struct file_match m = {};
	struct dentry *dir = NULL;
	struct rtmon_watch_val *v;
	__u32 *pv;
	long n;

	if (!upath || is_self())
		return;
	n = bpf_probe_read_user_str(k.path, sizeof(k.path), upath);
	if (n <= 1)
		return;
	if (k.path[0] == '/') {
		k.prefixlen = (__u32)(n - 1) * 8;
		pv = bpf_map_lookup_elem(&watch_paths, &k);
		if (pv && (*pv & op))
			emit_file(op, RTMON_FILE_BY_PATH, 0, NULL, NULL, upath);
		return;
	}
	/*
	 * Unrolled: the loop clang makes of this has a conditional jump whose
	 * fall-through is a back-edge, which verifiers before 6.3 refuse
	 * ("back-edge from insn N to N+1") even for bounded loops (seen on 6.1).
	 */
#pragma clang loop unroll(full)
	for (int i = 0; i < RTMON_WATCH_PATH_LEN; i++) {
		if (k.path[i] == 0)
			break;
		if (k.path[i] == '/')
			return;
	}
	if (dfd == AT_FDCWD_) {
		dir = BPF_CORE_READ(bpf_get_current_task_btf(), fs, pwd.dentry);
	} else {
		struct file *f = fd_file(dfd);

		dir = f ? BPF_CORE_READ(f, f_path.dentry) : NULL;
	}
	if (!dir)
		return;
	v = watch_lookup(dir, &m.k);
	if (v && (v->child_ops & op)) {
		m.depth = 1;
		emit_file(op, RTMON_FILE_BY_DIR, 0, NULL, &m, upath);
	}
}

static __always_inline int unlinkat_args(const unsigned long *a)
{
	if (a[2] & AT_REMOVEDIR_)
		return 0;
	path_op((int)a[0], (const char *)a[1], RTMON_FILE_UNLINK);
	return 0;
}
SYSCALL_ENTER(unlinkat, unlinkat, unlinkat_args)

static __always_inline int unlink_args(const unsigned long *a)
{
	path_op(AT_FDCWD_, (const char *)a[0], RTMON_FILE_UNLINK);
	return 0;
}
SYSCALL_ENTER(unlink, unlink, unlink_args)

/*
 * ---- set-user-ID bits and file capabilities, on any file ----
 *
 * chmod with S_ISUID/S_ISGID and setxattr of security.capability are rare
 * calls: filtered on the mode / the attribute name, nothing else is looked at.
 */
#define S_ISUGID_ 06000

/* A path as passed: absolute, relative to the cwd (user space joins them), or to a directory fd. */
static __always_inline void attr_path(int dfd, const char *upath, __u32 op, __u32 mode)
{
	char c = 0;

	if (!upath || is_self())
		return;
	bpf_probe_read_user(&c, 1, upath);
	if (c == '/') {
		emit_file(op, RTMON_FILE_BY_PATH, mode, NULL, NULL, upath);
	} else if (dfd == AT_FDCWD_) {
		emit_file(op, RTMON_FILE_BY_CWD, mode, NULL, NULL, upath);
	} else {
		struct file *f = fd_file(dfd);

		emit_file(op, RTMON_FILE_BY_NAMES, mode, f ? BPF_CORE_READ(f, f_path.dentry) : NULL, NULL, upath);
	}
}

/* An open file, by descriptor. */
static __always_inline void attr_fd(int fd, __u32 op, __u32 mode)
{
	struct file *f;

	if (is_self() || !(f = fd_file(fd)))
		return;
	emit_file(op, RTMON_FILE_BY_NAMES, mode, BPF_CORE_READ(f, f_path.dentry), NULL, NULL);
}

static __always_inline int chmod_args(const unsigned long *a)
{
	if (a[1] & S_ISUGID_)
		attr_path(AT_FDCWD_, (const char *)a[0], RTMON_FILE_SETUID, (__u32)a[1]);
	return 0;
}
SYSCALL_ENTER(chmod, chmod, chmod_args)

static __always_inline int fchmodat_args(const unsigned long *a)
{
	if (a[2] & S_ISUGID_)
		attr_path((int)a[0], (const char *)a[1], RTMON_FILE_SETUID, (__u32)a[2]);
	return 0;
}
SYSCALL_ENTER(fchmodat, fchmodat, fchmodat_args)

static __always_inline int fchmod_args(const unsigned long *a)
{
	if (a[1] & S_ISUGID_)
		attr_fd((int)a[0], RTMON_FILE_SETUID, (__u32)a[1]);
	return 0;
}
SYSCALL_ENTER(fchmod, fchmod, fchmod_args)

/* name is "security.capability" (the caller's string) */
static __always_inline bool is_caps_xattr(const char *name)
{
	char b[20] = {};

	if (bpf_probe_read_user_str(b, sizeof(b), name) != 20)
		return false;
	return prefix_is(b, "security.capability", 20);
}

static __always_inline int setxattr_args(const unsigned long *a)
{
	if (is_caps_xattr((const char *)a[1]))
		attr_path(AT_FDCWD_, (const char *)a[0], RTMON_FILE_SETCAP, 0);
	return 0;
}
SYSCALL_ENTER(setxattr, setxattr, setxattr_args)
SYSCALL_ENTER(lsetxattr, lsetxattr, setxattr_args)

static __always_inline int fsetxattr_args(const unsigned long *a)
{
	if (is_caps_xattr((const char *)a[1]))
		attr_fd((int)a[0], RTMON_FILE_SETCAP, 0);
	return 0;
}
SYSCALL_ENTER(fsetxattr, fsetxattr, fsetxattr_args)

static __always_inline int truncate_args(const unsigned long *a)
{
	path_op(AT_FDCWD_, (const char *)a[0], RTMON_FILE_TRUNC);
	return 0;
}
SYSCALL_ENTER(truncate, truncate, truncate_args)

/* renameat / renameat2(olddfd, oldname, newdfd, newname[, flags]) */
static __always_inline int renameat_args(const unsigned long *a)
{
	path_op((int)a[0], (const char *)a[1], RTMON_FILE_RENAME);
	path_op((int)a[2], (const char *)a[3], RTMON_FILE_RENAME_TO);
	return 0;
}
SYSCALL_ENTER(renameat2, renameat2, renameat_args)
SYSCALL_ENTER(renameat, renameat, renameat_args)

static __always_inline int rename_args(const unsigned long *a)
{
	path_op(AT_FDCWD_, (const char *)a[0], RTMON_FILE_RENAME);
	path_op(AT_FDCWD_, (const char *)a[1], RTMON_FILE_RENAME_TO);
	return 0;
}
SYSCALL_ENTER(rename, rename_path, rename_args)

/* ---- kernel modules, packet and raw sockets, namespaces and mounts ---- */

/* module:module_load (its format: taints, then the name as a __data_loc string) */
struct rtmon_tp_module_load {
	__u64 common;
	__u32 taints;
	__u32 name_loc; /* offset in the low 16 bits, length in the high 16 */
};

SEC("tracepoint/module/module_load")
int on_module_load(struct rtmon_tp_module_load *ctx)
{
	struct rtmon_rec_ksys *r = ksys_reserve(RTMON_KSYS_MODULE);

	if (!r)
		return 0;
	r->arg0 = ctx->taints;
	if (bpf_probe_read_kernel_str(r->str, sizeof(r->str), (char *)ctx + (ctx->name_loc & 0xffff)) < 0)
		r->str[0] = 0;
	submit(r);
	return 0;
}

#define AF_PACKET_ 17
#define SOCK_RAW_ 3
#define SOCK_TYPE_MASK_ 0xf

/* socket(): only packet sockets and raw inet sockets (sniffers, BPFDoor-style implants) */
static __always_inline int socket_args(const unsigned long *a)
{
	int fam = (int)a[0], type = (int)a[1] & SOCK_TYPE_MASK_;
	struct rtmon_rec_ksys *r;

	/* raw inet sockets; netlink sockets are SOCK_RAW too and everywhere (getifaddrs): not those */
	if (fam != AF_PACKET_ && !(type == SOCK_RAW_ && (fam == AF_INET || fam == AF_INET6)))
		return 0;
	if (is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_SOCKET);
	if (!r)
		return 0;
	r->arg0 = (__u32)fam;
	r->arg1 = (__u32)type;
	r->flags = (__u32)a[2];
	submit(r);
	return 0;
}
SYSCALL_ENTER(socket, socket, socket_args)

/* security_socket_create(): the same three arguments; kern = a socket the kernel makes for itself */
SEC("lsm/socket_create")
int BPF_PROG(ls_socket, int family, int type, int protocol, int kern)
{
	unsigned long a[3] = { (unsigned long)family, (unsigned long)type, (unsigned long)protocol };

	if (!kern)
		socket_args(a);
	return 0; /* read-only: never deny */
}

#define CLONE_NEW_ALL 0x7e020080 /* NEWNS NEWCGROUP NEWUTS NEWIPC NEWUSER NEWPID NEWNET, NEWTIME */

/* A task created into new namespaces (clone/clone3 with CLONE_NEW*), from the scheduler's tracepoint. */
SEC("tp_btf/task_newtask")
int BPF_PROG(on_task_newtask, struct task_struct *task, unsigned long clone_flags)
{
	struct rtmon_rec_ksys *r;

	/* (clone_flags carries no exit signal here: CSIGNAL is masked off before copy_process) */
	if (!(clone_flags & (CLONE_NEW_ALL & ~0x80ul)) || is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_CLONE_NS);
	if (r) {
		r->flags = (__u32)clone_flags;
		r->arg0 = BPF_CORE_READ(task, tgid);
		submit(r);
	}
	return 0;
}

static __always_inline int unshare_args(const unsigned long *a)
{
	__u32 flags = (__u32)a[0];
	struct rtmon_rec_ksys *r;

	if (!(flags & CLONE_NEW_ALL) || is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_UNSHARE);
	if (r) {
		r->flags = flags;
		submit(r);
	}
	return 0;
}
SYSCALL_ENTER(unshare, unshare, unshare_args)

static __always_inline int setns_args(const unsigned long *a)
{
	struct rtmon_rec_ksys *r;

	if (is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_SETNS);
	if (r) {
		r->flags = (__u32)a[1];
		r->arg0 = (__u32)a[0];
		submit(r);
	}
	return 0;
}
SYSCALL_ENTER(setns, setns, setns_args)

static __always_inline int mount_args(const unsigned long *a)
{
	struct rtmon_rec_ksys *r;

	if (is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_MOUNT);
	if (!r)
		return 0;
	if (a[0] && bpf_probe_read_user_str(r->str, sizeof(r->str), (void *)a[0]) < 0)
		r->str[0] = 0;
	if (a[1] && bpf_probe_read_user_str(r->str2, sizeof(r->str2), (void *)a[1]) < 0)
		r->str2[0] = 0;
	if (a[2] && bpf_probe_read_user_str(r->addr, sizeof(r->addr), (void *)a[2]) < 0)
		r->addr[0] = 0;
	r->arg0 = a[3];
	submit(r);
	return 0;
}
SYSCALL_ENTER(mount, mount, mount_args)

/* The new mount API: open_tree(dfd, path, flags), move_mount(from_dfd, from_path, ...), fsmount(fs_fd, ...) */
static __always_inline int tree_op(const char *upath, __u32 flags, __u64 which)
{
	struct rtmon_rec_ksys *r;

	if (is_self())
		return 0;
	r = ksys_reserve(RTMON_KSYS_OPEN_TREE);
	if (!r)
		return 0;
	r->flags = flags;
	r->arg0 = which;
	if (upath && bpf_probe_read_user_str(r->str, sizeof(r->str), upath) < 0)
		r->str[0] = 0;
	submit(r);
	return 0;
}

static __always_inline int open_tree_args(const unsigned long *a)
{
	return tree_op((const char *)a[1], (__u32)a[2], 1);
}
SYSCALL_ENTER(open_tree, open_tree, open_tree_args)

static __always_inline int move_mount_args(const unsigned long *a)
{
	return tree_op((const char *)a[1], (__u32)a[4], 2);
}
SYSCALL_ENTER(move_mount, move_mount, move_mount_args)

static __always_inline int fsmount_args(const unsigned long *a)
{
	return tree_op(NULL, (__u32)a[1], 3);
}
SYSCALL_ENTER(fsmount, fsmount, fsmount_args)
