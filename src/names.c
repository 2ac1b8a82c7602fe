/* SPDX-License-Identifier: MIT */
/* names.c - see names.h. */
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/bpf.h>

#include "names.h"
#include "rtmon_abi.h"

const struct rtmon_name_val rtmon_family_names[] = {
	{ "unix", AF_UNIX },	   { "inet", AF_INET },	    { "inet6", AF_INET6 },
	{ "netlink", AF_NETLINK }, { "packet", AF_PACKET }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_protocol_names[] = {
	{ "icmp", 1 },	 { "tcp", 6 },	     { "udp", 17 },    { "icmpv6", 58 },
	{ "sctp", 132 }, { "udplite", 136 }, { "mptcp", 262 }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_fd_kind_names[] = {
	{ "closed", 0 }, { "file", 1 }, { "pipe", 2 },	{ "socket", 3 },
	{ "tty", 4 },	 { "chr", 5 },	{ "other", 6 }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_ptrace_names[] = {
	{ "PTRACE_TRACEME", 0 },
	{ "PTRACE_PEEKTEXT", 1 },
	{ "PTRACE_PEEKDATA", 2 },
	{ "PTRACE_PEEKUSER", 3 },
	{ "PTRACE_POKETEXT", 4 },
	{ "PTRACE_POKEDATA", 5 },
	{ "PTRACE_POKEUSER", 6 },
	{ "PTRACE_CONT", 7 },
	{ "PTRACE_KILL", 8 },
	{ "PTRACE_SINGLESTEP", 9 },
	{ "PTRACE_GETREGS", 12 },
	{ "PTRACE_SETREGS", 13 },
	{ "PTRACE_GETFPREGS", 14 },
	{ "PTRACE_SETFPREGS", 15 },
	{ "PTRACE_ATTACH", 16 },
	{ "PTRACE_DETACH", 17 },
	{ "PTRACE_SYSCALL", 24 },
	{ "PTRACE_SETOPTIONS", 0x4200 },
	{ "PTRACE_GETEVENTMSG", 0x4201 },
	{ "PTRACE_GETSIGINFO", 0x4202 },
	{ "PTRACE_SETSIGINFO", 0x4203 },
	{ "PTRACE_GETREGSET", 0x4204 },
	{ "PTRACE_SETREGSET", 0x4205 },
	{ "PTRACE_SEIZE", 0x4206 },
	{ "PTRACE_INTERRUPT", 0x4207 },
	{ "PTRACE_LISTEN", 0x4208 },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_prot_names[] = {
	{ "PROT_READ", 0x1 },
	{ "PROT_WRITE", 0x2 },
	{ "PROT_EXEC", 0x4 },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_mmap_flag_names[] = {
	{ "MAP_SHARED", 0x01 },
	{ "MAP_PRIVATE", 0x02 },
	{ "MAP_SHARED_VALIDATE", 0x03 },
	{ "MAP_FIXED", 0x10 },
	{ "MAP_ANONYMOUS", 0x20 },
	{ "MAP_GROWSDOWN", 0x100 },
	{ "MAP_DENYWRITE", 0x800 },
	{ "MAP_EXECUTABLE", 0x1000 },
	{ "MAP_LOCKED", 0x2000 },
	{ "MAP_NORESERVE", 0x4000 },
	{ "MAP_POPULATE", 0x8000 },
	{ "MAP_NONBLOCK", 0x10000 },
	{ "MAP_STACK", 0x20000 },
	{ "MAP_HUGETLB", 0x40000 },
	{ "MAP_SYNC", 0x80000 },
	{ "MAP_FIXED_NOREPLACE", 0x100000 },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_memfd_flag_names[] = {
	{ "MFD_CLOEXEC", 0x1 },	    { "MFD_ALLOW_SEALING", 0x2 }, { "MFD_HUGETLB", 0x4 },
	{ "MFD_NOEXEC_SEAL", 0x8 }, { "MFD_EXEC", 0x10 },	  { NULL, 0 },
};

const struct rtmon_name_val rtmon_file_op_names[] = {
	{ "read", 0x1 },       { "write", 0x2 },   { "truncate", 0x4 }, { "unlink", 0x8 }, { "rename", 0x10 },
	{ "rename_to", 0x20 }, { "setuid", 0x40 }, { "setcap", 0x80 },	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_bpf_prog_type_names[] = {
	{ "socket_filter", 1 },
	{ "kprobe", 2 },
	{ "sched_cls", 3 },
	{ "sched_act", 4 },
	{ "tracepoint", 5 },
	{ "xdp", 6 },
	{ "perf_event", 7 },
	{ "cgroup_skb", 8 },
	{ "cgroup_sock", 9 },
	{ "lwt_in", 10 },
	{ "lwt_out", 11 },
	{ "lwt_xmit", 12 },
	{ "sock_ops", 13 },
	{ "sk_skb", 14 },
	{ "cgroup_device", 15 },
	{ "sk_msg", 16 },
	{ "raw_tracepoint", 17 },
	{ "cgroup_sock_addr", 18 },
	{ "lwt_seg6local", 19 },
	{ "lirc_mode2", 20 },
	{ "sk_reuseport", 21 },
	{ "flow_dissector", 22 },
	{ "cgroup_sysctl", 23 },
	{ "raw_tracepoint_writable", 24 },
	{ "cgroup_sockopt", 25 },
	{ "tracing", 26 },
	{ "struct_ops", 27 },
	{ "ext", 28 },
	{ "lsm", 29 },
	{ "sk_lookup", 30 },
	{ "syscall", 31 },
	{ "netfilter", 32 },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_sock_type_names[] = {
	{ "stream", 1 }, { "dgram", 2 }, { "raw", 3 }, { "rdm", 4 }, { "seqpacket", 5 }, { "packet", 10 }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_ns_flag_names[] = {
	{ "CLONE_NEWTIME", 0x80 },	{ "CLONE_NEWNS", 0x20000 },	{ "CLONE_NEWCGROUP", 0x2000000 },
	{ "CLONE_NEWUTS", 0x4000000 },	{ "CLONE_NEWIPC", 0x8000000 },	{ "CLONE_NEWUSER", 0x10000000 },
	{ "CLONE_NEWPID", 0x20000000 }, { "CLONE_NEWNET", 0x40000000 }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_ns_op_names[] = {
	{ "unshare", 1 },
	{ "setns", 2 },
	{ "clone", 3 },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_map_file_names[] = {
	{ "memfd", RTMON_MAPF_MEMFD },
	{ "deleted", RTMON_MAPF_DELETED },
	{ "shared_dir", RTMON_MAPF_SHARED_DIR },
	{ "path_truncated", RTMON_MAPF_PATH_TRUNC },
	{ NULL, 0 },
};

const struct rtmon_name_val rtmon_mount_op_names[] = {
	{ "mount", 0 }, { "open_tree", 1 }, { "move_mount", 2 }, { "fsmount", 3 }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_signal_names[] = {
	{ "SIGHUP", SIGHUP },	{ "SIGINT", SIGINT },	{ "SIGQUIT", SIGQUIT },
	{ "SIGABRT", SIGABRT }, { "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 },
	{ "SIGUSR2", SIGUSR2 }, { "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM },
	{ "SIGTERM", SIGTERM }, { "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT },
	{ "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP }, { NULL, 0 },
};

const struct rtmon_name_val rtmon_bpf_cmd_names[] = {
	{ "BPF_PROG_DETACH", BPF_PROG_DETACH },		  { "BPF_PROG_GET_FD_BY_ID", BPF_PROG_GET_FD_BY_ID },
	{ "BPF_MAP_GET_FD_BY_ID", BPF_MAP_GET_FD_BY_ID }, { "BPF_LINK_GET_FD_BY_ID", BPF_LINK_GET_FD_BY_ID },
	{ "BPF_LINK_DETACH", BPF_LINK_DETACH },		  { NULL, 0 },
};

const struct rtmon_name_val *names_find(const struct rtmon_name_val *t, const char *name)
{
	for (; name && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

const char *names_name(const struct rtmon_name_val *t, int64_t v)
{
	for (; t->name; t++)
		if (t->val == v)
			return t->name;
	return NULL;
}

const char *names_label(const struct rtmon_name_val *t, int64_t v, char *buf, size_t len)
{
	const char *n = names_name(t, v);

	if (n)
		return n;
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

int64_t names_value(const struct rtmon_name_val *t, const char *name, int64_t dflt)
{
	const struct rtmon_name_val *n = names_find(t, name);

	return n ? n->val : dflt;
}

/* Appends "%s%s" (sep, s) at *off in buf, cut to len; false once buf is full. */
static bool put_part(char *buf, size_t len, size_t *off, const char *sep, const char *s)
{
	int n = snprintf(buf + *off, len - *off, "%s%s", sep, s);

	if (n < 0 || (size_t)n >= len - *off) {
		*off = len - 1;
		return false;
	}
	*off += (size_t)n;
	return true;
}

const char *names_flags(const struct rtmon_name_val *t, uint64_t v, const char *zero, char *buf, size_t len)
{
	char hex[24];
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (!v) {
		snprintf(buf, len, "%s", zero);
		return buf;
	}
	for (; t->name; t++) {
		uint64_t bit = (uint64_t)t->val;

		/* single bits only: a composite name (MAP_SHARED_VALIDATE) would repeat its bits */
		if (!bit || (bit & (bit - 1)) || !(v & bit))
			continue;
		if (!put_part(buf, len, &off, off ? "|" : "", t->name))
			return buf;
		v &= ~bit;
	}
	if (v) {
		snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
		put_part(buf, len, &off, off ? "|" : "", hex);
	}
	return buf;
}
