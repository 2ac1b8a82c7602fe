/* SPDX-License-Identifier: MIT */
/*
 * event.h - one observed action, decoded and enriched (struct rtmon_event).
 *
 * This is the plain struct that every pure module works on: the decoder
 * fills it from a ring-buffer record, the JSON reader fills it from a
 * recording, the rules engine and formatters read it.  Fixed buffers, no
 * pointers, so one instance can be reused for every event with no
 * allocation.  A field is meaningful only when its RTMON_HAS_* bit is set
 * in 'has': absent when unknown, never made up.
 */
#ifndef RTMON_EVENT_H
#define RTMON_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTMON_PATH_MAX 4096
#define RTMON_ARGS_MAX 4096
#define RTMON_COMM_MAX 16
#define RTMON_MEMFD_NAME_MAX 256
#define RTMON_ADDR_STR 64 /* "ffff:...:ffff" or dotted quad, NUL-terminated */
#define RTMON_UID_UNSET 4294967295u

enum rtmon_event_type {
	RTMON_EV_NONE = 0,
	RTMON_EV_EXEC,
	RTMON_EV_EXIT,
	RTMON_EV_FORK,
	RTMON_EV_CONNECT,
	RTMON_EV_PTRACE,
	RTMON_EV_MEMFD_CREATE,
	RTMON_EV_MMAP,
	RTMON_EV_MPROTECT,
	RTMON_EV_PROCESS_VM_WRITEV,
	RTMON_EV_DUP,
	RTMON_EV_SIGNAL,       /* a signal sent to rtmon by another process */
	RTMON_EV_BPF,	       /* bpf() by another process reaching BPF objects */
	RTMON_EV_RENAME,       /* comm changed after exec (prctl PR_SET_NAME, /proc/PID/comm) */
	RTMON_EV_FILE,	       /* an access to a watched file (open, truncate, unlink, rename) */
	RTMON_EV_MODULE,       /* a kernel module loaded */
	RTMON_EV_BPF_PROG,     /* bpf(BPF_PROG_LOAD) by another process than rtmon */
	RTMON_EV_SOCKET,       /* a packet or raw socket created */
	RTMON_EV_LISTEN,       /* a TCP socket listening */
	RTMON_EV_NAMESPACE,    /* unshare() of new namespaces, setns() */
	RTMON_EV_MOUNT,	       /* mount(), open_tree(), move_mount(), fsmount() */
	RTMON_EV_UNIX_CONNECT, /* connect() to a container runtime's API socket */
	RTMON_EV_MAX
};

/* Presence bits in rtmon_event.has */
enum {
	RTMON_HAS_PPID = 1u << 0,
	RTMON_HAS_UID = 1u << 1, /* uid, gid */
	RTMON_HAS_AUID = 1u << 2,
	RTMON_HAS_COMM = 1u << 3,
	RTMON_HAS_EXE = 1u << 4,
	RTMON_HAS_ARGS = 1u << 5,
	RTMON_HAS_CWD = 1u << 6,
	RTMON_HAS_CGROUP = 1u << 7,
	RTMON_HAS_FILENAME = 1u << 8,
	RTMON_HAS_NET = 1u << 9,	/* family, dst_addr, dst_port */
	RTMON_HAS_PTRACE = 1u << 10,	/* ptrace_request, target_pid */
	RTMON_HAS_MEM = 1u << 11,	/* prot, flags, fd, addr, len */
	RTMON_HAS_MEMFD = 1u << 12,	/* memfd_name, memfd_flags */
	RTMON_HAS_STDIO = 1u << 13,	/* stdin_socket, stdout_socket (+ peer) */
	RTMON_HAS_EXIT = 1u << 14,	/* exit_code */
	RTMON_HAS_DUP = 1u << 15,	/* oldfd, newfd (+ sock) */
	RTMON_HAS_TARGET = 1u << 16,	/* target_pid (process_vm_writev) */
	RTMON_HAS_VMA = 1u << 17,	/* vma_* (mprotect) */
	RTMON_HAS_CONTAINER = 1u << 18, /* container_id (from recordings) */
	RTMON_HAS_TID = 1u << 19,
	RTMON_HAS_TARGET_PPID = 1u << 20, /* target_ppid: parent of the ptrace/vm_writev target */
	RTMON_HAS_CGROUP_PATH = 1u << 21, /* cgroup_path */
	RTMON_HAS_SIGNAL = 1u << 22,	  /* signal, target_pid */
	RTMON_HAS_BPF = 1u << 23,	  /* bpf_cmd, bpf_id */
	RTMON_HAS_STDIN_PEER = 1u << 24,  /* stdin_pipe_peer: the process writing into our stdin pipe */
	RTMON_HAS_STDOUT_PEER = 1u << 25, /* stdout_pipe_peer: the process reading our stdout pipe */
	RTMON_HAS_PROGRAM = 1u << 26,	  /* program: what ld.so or busybox runs (event_resolve_program) */
	RTMON_HAS_PTRACE_REL = 1u << 27,  /* target_is_child, target_is_parent: the kernel's, at the call */
	RTMON_HAS_PREV_COMM = 1u << 28,	  /* prev_comm (rename) */
	RTMON_HAS_FILE = 1u << 29,	  /* path, file_ops (+ open_flags, inode): a file event */
	RTMON_HAS_KSYS = 1u << 30,
	RTMON_HAS_CREDS = 1u << 31,
	/* euid, fsuid, cap_eff (every live event) */ /* the ksys_* fields: module, bpf_prog, socket, listen, namespace, mount, unix_connect */
};

/* A socket as seen behind a file descriptor. family 0 = not a socket. */
struct rtmon_sock {
	uint16_t family;	   /* AF_INET, AF_INET6, AF_UNIX, ... */
	uint16_t type;		   /* SOCK_STREAM, ... */
	uint16_t port;		   /* remote port, host order */
	char addr[RTMON_ADDR_STR]; /* remote address text; "" when none */
};

struct rtmon_event {
	enum rtmon_event_type type;
	uint32_t has;	  /* RTMON_HAS_* */
	uint64_t time_ns; /* realtime, ns since the epoch */

	uint32_t pid, tid, ppid;
	uint32_t uid, gid, auid;
	uint32_t euid, fsuid; /* RTMON_HAS_CREDS */
	uint64_t cap_eff;     /* effective capabilities, bit n = capability n */
	uint64_t cgroup_id;
	uint32_t fold_count; /* fold_summary: exact repeats the kernel folded in its window */
	bool fold_summary;   /* this event reports fold_count repeats (details: the last one) */
	char comm[RTMON_COMM_MAX + 1];

	/* exec (exe/cwd/args also filled for other events from the process table) */
	char exe[RTMON_PATH_MAX];
	/*
	 * The program actually run when exe is a launcher: the dynamic loader
	 * (ld.so PROGRAM: its path, made absolute against cwd) or busybox (the
	 * applet name). Rules read it for exe_base (and exe, when it is a path).
	 */
	char program[RTMON_PATH_MAX];
	char cwd[RTMON_PATH_MAX];
	char filename[RTMON_PATH_MAX];
	char args[RTMON_ARGS_MAX]; /* argv strings, each NUL-terminated */
	uint32_t args_len;	   /* bytes used in args */
	uint32_t argc;
	bool args_truncated;
	bool exe_truncated;
	bool exe_deleted; /* the executable file has no links */
	bool exe_memfd;	  /* the executable is an anonymous memfd */
	bool exe_setuid;  /* exec: the executable is set-user-ID or set-group-ID */
	bool compat;	  /* exec: a 32-bit (ia32) program, whose syscalls skip syscall tracepoints */
	/*
	 * exec: the dynamic loader's variables set in the new image's environment
	 * (LD_PRELOAD, LD_AUDIT, LD_LIBRARY_PATH, GLIBC_TUNABLES), "NAME=value"
	 * strings, each NUL-terminated; env_truncated: the kernel could not scan
	 * the whole environment.
	 */
	char env[1024];
	uint32_t env_len;
	bool env_truncated;
	/* derived from env by event_set_env(): the libraries LD_PRELOAD and LD_AUDIT name, the LD_LIBRARY_PATH dirs */
	char preload[1024], library_path[1024];
	uint32_t preload_len, library_path_len;
	bool stdin_socket, stdout_socket;
	struct rtmon_sock stdin_sock, stdout_sock;
	uint8_t stdin_kind, stdout_kind; /* enum rtmon_fd_kind (rtmon_abi.h) */
	uint64_t stdin_ino, stdout_ino;	 /* inode numbers (pipes identify the other end) */
	/* the other end of a stdin/stdout pipe, when it is a process rtmon saw exec (pipeline peers) */
	uint32_t stdin_peer_pid, stdout_peer_pid;
	char stdin_peer_exe[256], stdout_peer_exe[256];

	/* connect */
	uint16_t family; /* AF_INET / AF_INET6 / AF_UNIX */
	uint16_t dst_port;
	char dst_addr[RTMON_ADDR_STR];
	uint16_t protocol; /* IPPROTO_* of the socket; 0 = unknown */

	/* ptrace */
	int64_t ptrace_request;
	uint32_t target_pid;			/* ptrace and process_vm_writev */
	uint32_t target_ppid;			/* the target's parent (process table), to tell own children */
	bool target_is_child, target_is_parent; /* RTMON_HAS_PTRACE_REL: the kernel's relation at the call */

	/* mmap / mprotect */
	uint64_t mem_addr, mem_len;
	uint32_t prot, mmap_flags;
	int32_t fd;
	bool vma_anon, vma_write, vma_exec; /* mprotect: the vma before the call */
	/* mmap of a file no library should come from (RTMON_MAPF_* of rtmon_abi.h): path and inode below */
	uint32_t map_file;

	/* memfd_create */
	char memfd_name[RTMON_MEMFD_NAME_MAX];
	uint32_t memfd_flags;

	/* exit */
	uint32_t exit_code;

	/* dup2/dup3 onto fd 0-2 */
	int32_t oldfd, newfd;
	struct rtmon_sock dup_sock;

	/* rename: the comm before (comm is the new one) */
	char prev_comm[RTMON_COMM_MAX + 1];

	/* file: the path (resolved by watch_resolve() from the record's fields below), what was done */
	char path[RTMON_PATH_MAX];
	uint32_t file_ops;   /* RTMON_FILE_* (rtmon_abi.h) */
	uint32_t open_flags; /* open(2) flags as passed; 0 for truncate/unlink/rename */
	uint32_t file_mode;  /* setuid: the mode chmod was given */
	uint64_t inode;	     /* the file's inode number; 0 when unknown */
	/* the kernel's view, before resolution (live events only) */
	uint32_t file_how, file_depth, watch_dev;
	uint64_t watch_ino;
	char file_names[4][64]; /* components below the watched inode, leaf first */
	char file_upath[256];	/* the caller's path string (unlink, rename, truncate) */

	/*
	 * module: ksys_str = name, ksys_arg0 = taints; bpf_prog: arg0 = program type, str = its name;
	 * socket: family (above), ksys_arg1 = socket type, ksys_flags = protocol; listen: family,
	 * ksys_arg1 = port, ksys_addr = local address; namespace: ksys_op 1 unshare (flags: CLONE_NEW*)
	 * / 2 setns (flags: nstype); mount: ksys_op 0 mount (str = source, str2 = target, ksys_addr =
	 * fstype, arg0 = flags) / 1 open_tree / 2 move_mount / 3 fsmount (str = path); unix_connect: str.
	 */
	uint32_t ksys_op, ksys_flags;
	uint64_t ksys_arg0, ksys_arg1;
	char ksys_str[128], ksys_str2[128];
	char ksys_addr[RTMON_ADDR_STR];

	/* signal to rtmon; bpf() */
	int32_t sig;
	uint32_t bpf_cmd, bpf_id;

	/* container id as recorded (replay only; live events use the cgroup) */
	char container_id[72];
	/* cgroup v2 path of the task ("/system.slice/foo.service"), from the cgroup id */
	char cgroup_path[512];
};

/* "exec", "connect", ... ; NULL when out of range */
const char *event_type_name(enum rtmon_event_type t);
/* Inverse of event_type_name(); RTMON_EV_NONE when unknown. */
enum rtmon_event_type event_type_from_name(const char *name);
/* Resets every field; 'has' becomes 0. */
void event_reset(struct rtmon_event *ev);
/* Appends one argv string (stops, setting args_truncated, when full). */
void event_add_arg(struct rtmon_event *ev, const char *arg);
/*
 * Sets the loader variables of an exec ("NAME=value" strings, each
 * NUL-terminated, len bytes) and derives preload and library_path from them.
 */
void event_set_env(struct rtmon_event *ev, const char *data, size_t len);
/* Iterates argv: returns the next string after 'prev' (NULL to start), NULL at the end. */
const char *event_next_arg(const struct rtmon_event *ev, const char *prev);
/* argv as one line: each NUL becomes a space, trailing spaces dropped, cut to fit 'len'. Returns out. */
const char *event_cmdline(const struct rtmon_event *ev, char *out, size_t len);
/* "ip:port", "[v6]:port" into out. */
void event_peer_text(char *out, size_t len, uint16_t family, const char *addr, uint16_t port);
/*
 * The remote peer an event is about, as event_peer_text(): the socket dup'ed
 * onto stdio, the destination of an inet connect, or the socket on stdin
 * (else stdout) at exec. "" when none.
 */
void event_peer(const struct rtmon_event *ev, char *out, size_t len);
/*
 * At exec: sets program when exe is the dynamic loader run directly (ld.so
 * [OPTIONS] PROGRAM: the first non-option argument, absolute against cwd)
 * or busybox (the applet: basename of argv[0], or argv[1] when argv[0] is
 * busybox itself). Leaves the event alone otherwise, or when program is set.
 */
void event_resolve_program(struct rtmon_event *ev);

/* One ancestor of the acting process, for rules and alerts (borrowed strings). */
struct rtmon_ancestor {
	uint32_t pid;
	uint32_t uid;
	const char *comm;     /* never NULL */
	const char *exe;      /* NULL when unknown */
	const char *program;  /* NULL when exe is not a launcher (see rtmon_event.program) */
	const char *filename; /* the path its last execve was given; NULL when unknown */
};

#endif /* RTMON_EVENT_H */
