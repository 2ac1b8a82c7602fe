/* SPDX-License-Identifier: (MIT OR GPL-2.0-only) */
/*
 * rtmon_abi.h - the records the BPF programs put on the ring buffer.
 *
 * This is the one header shared by bpf/ (compiled by clang -target bpf) and
 * src/ (compiled by gcc).  Only fixed-width types, explicit padding and
 * static size checks, so both compilers lay the structs out identically.
 * Bump RTMON_ABI_VERSION on any layout change; the loader checks it.
 */
#ifndef RTMON_ABI_H
#define RTMON_ABI_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RTMON_ABI_VERSION 6

/*
 * Layout checks, in both compilers: every struct's size and the offset of
 * what follows the header, written relative to sizeof(struct rtmon_rec_hdr)
 * so that a field added to the header changes one assertion, not all.
 */
#define RTMON_OFF(type, field) __builtin_offsetof(struct type, field)
#define RTMON_HDR_SIZE sizeof(struct rtmon_rec_hdr)

#define RTMON_COMM_LEN 16
#define RTMON_NAME_LEN 256     /* one path component / memfd name, with NUL */
#define RTMON_SECTION_MAX 4096 /* each variable section of an exec record */
#define RTMON_PATH_DEPTH 40    /* path components walked in the kernel */

/* Record types; the numbering is ABI. */
enum rtmon_rec_type {
	RTMON_REC_EXEC = 1,
	RTMON_REC_EXIT = 2,
	RTMON_REC_FORK = 3,
	RTMON_REC_CONNECT = 4,
	RTMON_REC_PTRACE = 5,
	RTMON_REC_MEMFD = 6,
	RTMON_REC_MMAP = 7,
	RTMON_REC_MPROTECT = 8,
	RTMON_REC_VM_WRITEV = 9,
	RTMON_REC_DUP = 10,
	RTMON_REC_SIGNAL = 11, /* a signal sent to rtmon by another process (tamper evidence) */
	RTMON_REC_BPF = 12,    /* bpf() by another process that can reach BPF objects (tamper evidence) */
	RTMON_REC_RENAME = 13, /* a process changed its comm after exec (prctl PR_SET_NAME, /proc/PID/comm) */
	RTMON_REC_FILE = 14,   /* an access to a watched file: open, truncate, unlink, rename */
	RTMON_REC_KSYS = 15,   /* a rare kernel-level action (struct rtmon_rec_ksys: module, bpf prog, socket, ...) */
	RTMON_REC_MAX
};

/* Per-CPU counters (index into the 'counters' map). */
enum rtmon_counter {
	RTMON_CNT_SENT = 0,	    /* records submitted */
	RTMON_CNT_DROP_RINGBUF = 1, /* reserve/output failed: ring buffer full */
	RTMON_CNT_DROP_SCRATCH = 2, /* per-CPU scratch lookup failed */
	RTMON_CNT_FOLDED = 3,	    /* repeats folded into a later record's fold_count */
	RTMON_CNT_PATH_TRUNC = 4,   /* paths/args cut at a capture limit */
	/* 5: was connect stash overflow (ABI 2) */
	RTMON_CNT_MAX = 8
};

/* Flags in rtmon_rec_exec.flags */
#define RTMON_EXEC_ARGS_TRUNC (1u << 0)
#define RTMON_EXEC_EXE_TRUNC (1u << 1)
#define RTMON_EXEC_CWD_TRUNC (1u << 2)
#define RTMON_EXEC_FILENAME_TRUNC (1u << 3)
#define RTMON_EXEC_EXE_DELETED (1u << 4)  /* executable has no links left */
#define RTMON_EXEC_EXE_MEMFD (1u << 5)	  /* executable is an anonymous memfd */
#define RTMON_EXEC_EXE_INTERNAL (1u << 6) /* exe on a kernel-internal mount */
#define RTMON_EXEC_EXE_SETUID (1u << 7)	  /* the executable is set-user-ID or set-group-ID */
#define RTMON_EXEC_ENV_TRUNC (1u << 8)	  /* the environment was not scanned to its end (limit) */
#define RTMON_EXEC_COMPAT (1u << 9)	  /* a 32-bit (ia32 compat) program: its syscalls skip syscall tracepoints */

/* Peer of a socket (fd 0/1 at exec, the socket duplicated by dup2). */
struct rtmon_sockinfo {
	__u16 family;	/* AF_*; 0 = not a socket */
	__u16 type;	/* SOCK_STREAM, SOCK_DGRAM, ... */
	__u16 dport;	/* host byte order */
	__u16 lport;	/* host byte order */
	__u8 daddr[16]; /* IPv4 in the first 4 bytes, or IPv6 */
};
_Static_assert(sizeof(struct rtmon_sockinfo) == 24 && RTMON_OFF(rtmon_sockinfo, daddr) == 8, "rtmon_sockinfo layout");

/* Flags in rtmon_rec_hdr.hflags */
#define RTMON_HDR_FOLD_SUMMARY (1u << 0) /* closes a fold window: fold_count repeats, the last one's details */

struct rtmon_rec_hdr {
	__u32 type;	 /* enum rtmon_rec_type */
	__u32 size;	 /* whole record in bytes */
	__u64 ktime_ns;	 /* bpf_ktime_get_boot_ns() */
	__u64 cgroup_id; /* cgroup v2 id */
	__u32 pid;	 /* tgid */
	__u32 tid;
	__u32 ppid; /* real_parent->tgid */
	__u32 uid;
	__u32 gid;
	__u32 auid;	  /* loginuid, 4294967295 when unset */
	__u32 fold_count; /* RTMON_HDR_FOLD_SUMMARY: exact repeats folded since the window's first record */
	__u32 hflags;	  /* RTMON_HDR_* */
	char comm[RTMON_COMM_LEN];
	__u32 euid;    /* effective uid (kernel uids, as uid) */
	__u32 fsuid;   /* the uid file access is checked with */
	__u64 cap_eff; /* effective capabilities (bit n = capability n) */
};
_Static_assert(sizeof(struct rtmon_rec_hdr) == 88, "rtmon_rec_hdr layout");
_Static_assert(RTMON_OFF(rtmon_rec_hdr, ktime_ns) == 8 && RTMON_OFF(rtmon_rec_hdr, pid) == 24 &&
		       RTMON_OFF(rtmon_rec_hdr, comm) == 56 && RTMON_OFF(rtmon_rec_hdr, euid) == 72 &&
		       RTMON_OFF(rtmon_rec_hdr, cap_eff) == 80,
	       "rtmon_rec_hdr offsets");

/*
 * Exec: four variable sections follow the fixed part, in this order:
 *   filename (as passed to execve, NUL-terminated),
 *   args     (argv strings, each NUL-terminated),
 *   exe      (path components leaf first, each NUL-terminated),
 *   cwd      (path components leaf first, each NUL-terminated).
 * The *_len fields give each section's byte length.
 */
struct rtmon_rec_exec {
	struct rtmon_rec_hdr hdr;
	__u32 flags;
	__u16 filename_len;
	__u16 args_len;
	__u16 exe_len;
	__u16 cwd_len;
	__u32 old_pid; /* tid that called execve */
	__u32 exe_nlink;
	__u8 fd_kind[2];	     /* enum rtmon_fd_kind of fd 0 and fd 1 */
	__u16 env_len;		     /* the loader variables section (RTMON_ENV_MAX at most) */
	struct rtmon_sockinfo fd[2]; /* fd 0 and fd 1, when sockets */
	__u64 fd_ino[2];	     /* inode of fd 0 and fd 1 (pipes: who is at the other end) */
				     /* the sections follow at offset sizeof(struct rtmon_rec_exec) */
};
_Static_assert(sizeof(struct rtmon_rec_exec) == RTMON_HDR_SIZE + 24 + 48 + 16, "rtmon_rec_exec layout");
_Static_assert(RTMON_OFF(rtmon_rec_exec, flags) == RTMON_HDR_SIZE &&
		       RTMON_OFF(rtmon_rec_exec, fd) == RTMON_HDR_SIZE + 24 &&
		       RTMON_OFF(rtmon_rec_exec, fd_ino) == RTMON_HDR_SIZE + 24 + 48,
	       "rtmon_rec_exec offsets");

/* What a file descriptor is (fd 0/1 at exec). */
enum rtmon_fd_kind {
	RTMON_FD_CLOSED = 0,
	RTMON_FD_FILE = 1, /* regular file */
	RTMON_FD_PIPE = 2, /* pipe or FIFO */
	RTMON_FD_SOCKET = 3,
	RTMON_FD_TTY = 4, /* terminal (tty, pts, console) */
	RTMON_FD_CHR = 5, /* another character device (/dev/null, ...) */
	RTMON_FD_OTHER = 6,
};

/*
 * The environment section: the NAME=value strings (NUL-terminated, each cut
 * at RTMON_ENV_VAR_MAX) of the variables that change what the dynamic loader
 * loads: LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH, GLIBC_TUNABLES. The kernel
 * scans the whole environment; nothing else of it is copied.
 */
#define RTMON_ENV_VAR_MAX 256
#define RTMON_ENV_MAX (4 * RTMON_ENV_VAR_MAX)

/* The largest exec record: fixed part + filename, args, exe, cwd + the environment section. */
#define RTMON_EXEC_PATHS_MAX (4 * RTMON_SECTION_MAX)
#define RTMON_EXEC_DATA_MAX (RTMON_EXEC_PATHS_MAX + RTMON_ENV_MAX)

struct rtmon_rec_exit {
	struct rtmon_rec_hdr hdr;
	__u32 exit_code; /* (status << 8) | signal, as wait() sees it */
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_rec_exit) == RTMON_HDR_SIZE + 8 &&
		       RTMON_OFF(rtmon_rec_exit, exit_code) == RTMON_HDR_SIZE,
	       "rtmon_rec_exit layout");

struct rtmon_rec_fork {
	struct rtmon_rec_hdr hdr; /* pid = child tgid, ppid = parent tgid */
	__u32 parent_pid;
	__u32 child_pid;
};
_Static_assert(sizeof(struct rtmon_rec_fork) == RTMON_HDR_SIZE + 8 &&
		       RTMON_OFF(rtmon_rec_fork, parent_pid) == RTMON_HDR_SIZE,
	       "rtmon_rec_fork layout");

/*
 * An outgoing connection: TCP from the kernel's SYN_SENT transition (the
 * address the kernel uses, whatever the caller's memory says afterwards; also
 * TCP Fast Open and io_uring), other inet sockets (UDP, ...) from connect().
 */
struct rtmon_rec_connect {
	struct rtmon_rec_hdr hdr;
	__u16 family;	/* AF_INET / AF_INET6 (v4-mapped addresses stay inet6 here) */
	__u16 port;	/* host byte order */
	__u16 protocol; /* IPPROTO_* of the socket (sk_protocol) */
	__u16 _pad0;
	__u8 addr[16]; /* IPv4 in the first 4 bytes, or IPv6 */
};
_Static_assert(sizeof(struct rtmon_rec_connect) == RTMON_HDR_SIZE + 8 + 16 &&
		       RTMON_OFF(rtmon_rec_connect, addr) == RTMON_HDR_SIZE + 8,
	       "rtmon_rec_connect layout");

/* Flags in rtmon_rec_ptrace.rel: the target's relation to the caller, from the kernel at the call */
#define RTMON_PTRACE_REL_KNOWN (1u << 0)  /* the fields below were read */
#define RTMON_PTRACE_REL_CHILD (1u << 1)  /* the target's real_parent is in the caller's thread group */
#define RTMON_PTRACE_REL_PARENT (1u << 2) /* the target is the caller's real_parent (or its thread group) */

struct rtmon_rec_ptrace {
	struct rtmon_rec_hdr hdr;
	__s64 request;
	__u32 target_pid; /* as passed (the caller's pid namespace) */
	__u32 rel;	  /* RTMON_PTRACE_REL_* */
	__u64 addr;
};
_Static_assert(sizeof(struct rtmon_rec_ptrace) == RTMON_HDR_SIZE + 24 &&
		       RTMON_OFF(rtmon_rec_ptrace, addr) == RTMON_HDR_SIZE + 16,
	       "rtmon_rec_ptrace layout");

struct rtmon_rec_memfd {
	struct rtmon_rec_hdr hdr;
	__u32 flags;
	__u32 _pad0;
	char name[RTMON_NAME_LEN];
};
_Static_assert(sizeof(struct rtmon_rec_memfd) == RTMON_HDR_SIZE + 8 + RTMON_NAME_LEN &&
		       RTMON_OFF(rtmon_rec_memfd, name) == RTMON_HDR_SIZE + 8,
	       "rtmon_rec_memfd layout");

/* mmap and mprotect */
#define RTMON_VMA_KNOWN (1u << 0) /* the vma fields below were read */
#define RTMON_VMA_ANON (1u << 1)  /* no backing file */
#define RTMON_VMA_WRITE (1u << 2) /* vma was writable before the call */
#define RTMON_VMA_EXEC (1u << 3)  /* vma was executable before the call */
#define RTMON_VMA_STACK (1u << 4)

struct rtmon_rec_mem {
	struct rtmon_rec_hdr hdr;
	__u64 addr;
	__u64 len;
	__u32 prot;
	__u32 flags; /* mmap flags; 0 for mprotect */
	__s32 fd;    /* -1 for anonymous / mprotect */
	__u32 vma;   /* RTMON_VMA_* for mprotect */
};
_Static_assert(sizeof(struct rtmon_rec_mem) == RTMON_HDR_SIZE + 32 &&
		       RTMON_OFF(rtmon_rec_mem, prot) == RTMON_HDR_SIZE + 16,
	       "rtmon_rec_mem layout");

/*
 * A file-backed PROT_EXEC mmap of a file no library should come from: a
 * memfd, a deleted file, or a file under a world-writable sticky directory
 * (/tmp, /var/tmp, /dev/shm: up to 4 levels up). ld.so mapping system
 * libraries is never sent; these are, whole and unfolded: an RTMON_REC_MMAP
 * record longer than struct rtmon_rec_mem.
 */
#define RTMON_MAPF_MEMFD (1u << 0)
#define RTMON_MAPF_DELETED (1u << 1)
#define RTMON_MAPF_SHARED_DIR (1u << 2) /* under a world-writable sticky directory */
#define RTMON_MAPF_PATH_TRUNC (1u << 3)
#define RTMON_MAP_PATH_MAX 1024

struct rtmon_rec_mem_file {
	struct rtmon_rec_mem mem;
	__u32 file_flags; /* RTMON_MAPF_* */
	__u32 path_len;	  /* bytes of path used: components leaf first, each NUL-terminated */
	__u64 ino;
	char path[RTMON_MAP_PATH_MAX];
};
_Static_assert(sizeof(struct rtmon_rec_mem_file) == sizeof(struct rtmon_rec_mem) + 16 + RTMON_MAP_PATH_MAX &&
		       RTMON_OFF(rtmon_rec_mem_file, path) == sizeof(struct rtmon_rec_mem) + 16,
	       "rtmon_rec_mem_file layout");

/*
 * Kernel folding of mmap/mprotect: only exact repeats share a key (same
 * process, call, prot, mmap flags, vma state before the call and fd kind),
 * so a call that differs in any of these is never hidden behind another.
 */
struct rtmon_fold_key {
	__u32 tgid;
	__u32 type; /* RTMON_REC_MMAP / RTMON_REC_MPROTECT */
	__u32 prot;
	__u32 flags; /* mmap flags; 0 for mprotect */
	__u32 vma;   /* RTMON_VMA_* (mprotect) */
	__u32 file;  /* 1: file-backed (fd >= 0, not MAP_ANONYMOUS) */
};
_Static_assert(sizeof(struct rtmon_fold_key) == 24, "rtmon_fold_key layout");

/* The window open for one key: the header of its first record, the last repeat's details. */
struct rtmon_fold_val {
	struct rtmon_rec_hdr hdr; /* first record's; ktime_ns and tid: the last repeat's */
	__u64 win_ns;		  /* when the window opened */
	__u64 addr;		  /* last repeat */
	__u64 len;
	__u64 pending; /* repeats folded and not reported yet (64-bit: BPF atomics) */
	__s32 fd;
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_fold_val) == RTMON_HDR_SIZE + 40 &&
		       RTMON_OFF(rtmon_fold_val, pending) == RTMON_HDR_SIZE + 24,
	       "rtmon_fold_val layout");

/* Input of the fold_sweep program (BPF_PROG_TEST_RUN ctx_in) */
struct rtmon_sweep_args {
	__u32 all; /* 1: report every pending fold, window closed or not (at stop) */
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_sweep_args) == 8, "rtmon_sweep_args layout");

struct rtmon_rec_vm_writev {
	struct rtmon_rec_hdr hdr;
	__u32 target_pid;
	__u32 _pad0;
	__u64 liovcnt;
};
_Static_assert(sizeof(struct rtmon_rec_vm_writev) == RTMON_HDR_SIZE + 16 &&
		       RTMON_OFF(rtmon_rec_vm_writev, liovcnt) == RTMON_HDR_SIZE + 8,
	       "rtmon_rec_vm_writev layout");

struct rtmon_rec_dup {
	struct rtmon_rec_hdr hdr;
	__s32 oldfd;
	__s32 newfd;
	struct rtmon_sockinfo sock;
};
_Static_assert(sizeof(struct rtmon_rec_dup) == RTMON_HDR_SIZE + 8 + sizeof(struct rtmon_sockinfo) &&
		       RTMON_OFF(rtmon_rec_dup, sock) == RTMON_HDR_SIZE + 8,
	       "rtmon_rec_dup layout");

struct rtmon_rec_signal {
	struct rtmon_rec_hdr hdr;
	__s32 sig;
	__u32 target_pid;
};
_Static_assert(sizeof(struct rtmon_rec_signal) == RTMON_HDR_SIZE + 8 &&
		       RTMON_OFF(rtmon_rec_signal, sig) == RTMON_HDR_SIZE,
	       "rtmon_rec_signal layout");

struct rtmon_rec_rename {
	struct rtmon_rec_hdr hdr; /* comm: the name before */
	char newcomm[RTMON_COMM_LEN];
};
_Static_assert(sizeof(struct rtmon_rec_rename) == RTMON_HDR_SIZE + RTMON_COMM_LEN &&
		       RTMON_OFF(rtmon_rec_rename, newcomm) == RTMON_HDR_SIZE,
	       "rtmon_rec_rename layout");

struct rtmon_rec_bpf {
	struct rtmon_rec_hdr hdr;
	__u32 cmd; /* BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID, BPF_LINK_GET_FD_BY_ID, BPF_LINK_DETACH, ... */
	__u32 id;  /* the object id asked for (GET_FD_BY_ID) or the link id behind link_fd (LINK_DETACH) */
};
_Static_assert(sizeof(struct rtmon_rec_bpf) == RTMON_HDR_SIZE + 8 && RTMON_OFF(rtmon_rec_bpf, cmd) == RTMON_HDR_SIZE,
	       "rtmon_rec_bpf layout");

/*
 * File watch (RTMON_REC_FILE). The loader compiles the rules' path patterns
 * into two maps: watched inodes (files and directories, by the kernel's
 * s_dev and i_ino) for opens and ftruncate, and path prefixes (an LPM trie
 * over the path bytes) for unlink and rename, which name a path that may be
 * gone by the syscall's exit. What matches neither never leaves the kernel.
 */
#define RTMON_FILE_READ (1u << 0)      /* opened for reading */
#define RTMON_FILE_WRITE (1u << 1)     /* opened for writing (or created) */
#define RTMON_FILE_TRUNC (1u << 2)     /* opened with O_TRUNC (or creat), or ftruncate() */
#define RTMON_FILE_UNLINK (1u << 3)    /* unlink / unlinkat (not rmdir) */
#define RTMON_FILE_RENAME (1u << 4)    /* rename*: this path is the source (moved away or over) */
#define RTMON_FILE_RENAME_TO (1u << 5) /* rename*: this path is the destination (replaced) */
#define RTMON_FILE_OPS_ALL 0x3fu       /* the ops a watch can ask for */
/* reported for any file, without a watch: */
#define RTMON_FILE_SETUID (1u << 6) /* chmod/fchmod/fchmodat with S_ISUID or S_ISGID (mode in oflags) */
#define RTMON_FILE_SETCAP (1u << 7) /* setxattr/lsetxattr/fsetxattr of security.capability (file capabilities) */

/* How a file record's path is given (rtmon_rec_file.how) */
enum rtmon_file_how {
	RTMON_FILE_BY_INODE = 1, /* watched inode at 'depth' above the file: watch_dev/watch_ino; names[] below it */
	RTMON_FILE_BY_PATH = 2,	 /* upath: the absolute path as the caller passed it (unlink, rename) */
	RTMON_FILE_BY_DIR = 3, /* watched directory watch_dev/watch_ino (the caller's dirfd or cwd) + upath (a name) */
	RTMON_FILE_PROC_MEM = 4, /* a procfs "mem" file: names[] = mem, <pid|tid>, [task, <pid>] */
	RTMON_FILE_BY_CWD = 5,	 /* upath: a relative path as passed, relative to the caller's working directory */
	RTMON_FILE_BY_NAMES = 6, /* names[]: the file's (or, with upath, its directory's) last components, leaf first */
};

struct rtmon_watch_key {
	__u64 ino;
	__u32 dev; /* the kernel's s_dev (MKDEV: major << 20 | minor) */
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_watch_key) == 16 && RTMON_OFF(rtmon_watch_key, dev) == 8, "rtmon_watch_key layout");

struct rtmon_watch_val {
	__u32 self_ops;	 /* RTMON_FILE_* that matter on this inode itself */
	__u32 child_ops; /* ... on an entry directly in this directory */
	__u32 deep_ops;	 /* ... on an entry 2 or 3 levels below this directory */
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_watch_val) == 16, "rtmon_watch_val layout");

#define RTMON_WATCH_PATH_LEN 128 /* bytes of a path the prefix trie compares */
#define RTMON_FILE_NAME_LEN 64	 /* each component name in a file record */
#define RTMON_FILE_UPATH_LEN 256 /* the caller's path string (unlink, rename) */
#define RTMON_FILE_NAMES 4	 /* components below the watched inode, leaf first */

struct rtmon_watch_lpm_key {
	__u32 prefixlen; /* bits */
	char path[RTMON_WATCH_PATH_LEN];
};
_Static_assert(sizeof(struct rtmon_watch_lpm_key) == 4 + RTMON_WATCH_PATH_LEN, "rtmon_watch_lpm_key layout");

struct rtmon_rec_file {
	struct rtmon_rec_hdr hdr;
	__u32 ops;	 /* RTMON_FILE_* of this access */
	__u32 how;	 /* enum rtmon_file_how */
	__u32 oflags;	 /* open(2) flags as passed (opens only) */
	__u32 depth;	 /* BY_INODE: 0 = the file is the watched inode, 1 = its directory, ... */
	__u64 ino;	 /* the file's inode (opens, ftruncate); 0 when unknown */
	__u64 watch_ino; /* the watched inode that matched (BY_INODE, BY_DIR) */
	__u32 watch_dev;
	__u32 dev; /* the file's s_dev */
	char names[RTMON_FILE_NAMES][RTMON_FILE_NAME_LEN];
	char upath[RTMON_FILE_UPATH_LEN];
};
_Static_assert(sizeof(struct rtmon_rec_file) ==
		       RTMON_HDR_SIZE + 40 + RTMON_FILE_NAMES * RTMON_FILE_NAME_LEN + RTMON_FILE_UPATH_LEN,
	       "rtmon_rec_file layout");
_Static_assert(RTMON_OFF(rtmon_rec_file, names) == RTMON_HDR_SIZE + 40 &&
		       RTMON_OFF(rtmon_rec_file, upath) == RTMON_HDR_SIZE + 40 + RTMON_FILE_NAMES * RTMON_FILE_NAME_LEN,
	       "rtmon_rec_file offsets");

/*
 * Rare actions that change what the kernel runs or how a process sees the
 * system, one record type with a kind: each is filtered in the kernel to what
 * can matter and is sent whole.
 */
enum rtmon_ksys_kind {
	RTMON_KSYS_MODULE = 1,	  /* a kernel module loaded: str = name, arg0 = taints */
	RTMON_KSYS_BPF_PROG = 2,  /* bpf(BPF_PROG_LOAD): arg0 = prog type, str = prog name */
	RTMON_KSYS_SOCKET = 3,	  /* socket() of a packet or raw socket: arg0 = family, arg1 = type, flags = protocol */
	RTMON_KSYS_LISTEN = 4,	  /* a TCP socket entered LISTEN: arg0 = family, arg1 = port, addr */
	RTMON_KSYS_UNSHARE = 5,	  /* unshare(): flags = CLONE_NEW* asked for */
	RTMON_KSYS_SETNS = 6,	  /* setns(): flags = nstype as passed */
	RTMON_KSYS_MOUNT = 7,	  /* mount(): str = source, str2 = target, arg0 = mount flags; fstype in addr */
	RTMON_KSYS_OPEN_TREE = 8, /* open_tree / move_mount / fsmount: str = path (open_tree / move_mount from) */
	RTMON_KSYS_UNIX_CONNECT = 9, /* connect() to a container runtime's unix socket: str = its path */
	RTMON_KSYS_CLONE_NS =
		10, /* clone() of a task into new namespaces: flags = CLONE_NEW* asked for, arg0 = child pid */
};

#define RTMON_KSYS_STR 128

struct rtmon_rec_ksys {
	struct rtmon_rec_hdr hdr;
	__u32 kind; /* enum rtmon_ksys_kind */
	__u32 flags;
	__u64 arg0, arg1;
	__u8 addr[16]; /* LISTEN: the local address (IPv4 in the first 4 bytes); MOUNT: fstype (NUL-terminated) */
	char str[RTMON_KSYS_STR];
	char str2[RTMON_KSYS_STR];
};
_Static_assert(sizeof(struct rtmon_rec_ksys) == sizeof(struct rtmon_rec_hdr) + 40 + 2 * RTMON_KSYS_STR,
	       "rtmon_rec_ksys layout");

/* Global settings the loader writes into .rodata before load. */
struct rtmon_bpf_settings {
	__u32 abi_version;
	__u32 self_pid;	      /* rtmon's own tgid: its events are not reported */
	__u64 wakeup_bytes;   /* force a wakeup once this much data waits */
	__u64 fold_window_ns; /* mmap/mprotect repeats within this window are folded */
	__u32 file_exec_mmap; /* also report file-backed read-only PROT_EXEC mmaps */
	__u32 _pad0;
};
_Static_assert(sizeof(struct rtmon_bpf_settings) == 32 && RTMON_OFF(rtmon_bpf_settings, abi_version) == 0 &&
		       RTMON_OFF(rtmon_bpf_settings, fold_window_ns) == 16,
	       "rtmon_bpf_settings layout");

#endif /* RTMON_ABI_H */
