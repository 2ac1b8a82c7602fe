/* SPDX-License-Identifier: MIT */
/*
 * rules_fields.h - private to the rules engine (rules_*.c): the fields a condition may name, and
 * how each is read from an event and its context.  Names are the event JSON
 * keys of docs/API.md plus a few derived ones (exe_base, cmdline, parent.*,
 * ancestor.*, container.*, target_is_child).
 */
#ifndef RTMON_RULES_FIELDS_H
#define RTMON_RULES_FIELDS_H

enum rf_kind {
	RF_STR,   /* one string */
	RF_MSTR,  /* several strings, the test holds when any one does (args, ancestor.*) */
	RF_NUM,   /* an integer */
	RF_BOOL,  /* true / false */
	RF_FLAGS, /* a bit set with names (prot, flags, memfd_flags) */
	RF_ADDR,  /* an IP address (string, compared by value and CIDR) */
};

enum rf_id {
	F_TYPE, F_EXE, F_EXE_BASE, F_PREV_EXE, F_COMM, F_FILENAME, F_CWD, F_ARGS, F_CMDLINE, F_ARGC,
	F_CGROUP, F_MEMFD_NAME, F_PID, F_PPID, F_UID, F_GID, F_AUID, F_TARGET_PID, F_TARGET_PPID,
	F_FD, F_OLDFD, F_NEWFD, F_DST_PORT, F_EXIT_CODE, F_FAMILY, F_PROTOCOL, F_DST_ADDR,
	F_PTRACE_REQUEST, F_PROT, F_FLAGS, F_MEMFD_FLAGS, F_EXE_MEMFD, F_EXE_DELETED,
	F_STDIN_SOCKET, F_STDOUT_SOCKET, F_VMA_ANON, F_VMA_WRITE, F_VMA_EXEC, F_TARGET_IS_CHILD, F_TARGET_IS_SELF, F_TARGET_IS_PARENT,
	F_STDIN_FAMILY, F_STDIN_ADDR, F_STDIN_PORT, F_STDOUT_FAMILY, F_STDOUT_ADDR, F_STDOUT_PORT,
	F_PARENT_EXE, F_PARENT_EXE_BASE, F_PARENT_COMM, F_PARENT_UID, F_PARENT_FILENAME,
	F_ANC_EXE, F_ANC_EXE_BASE, F_ANC_COMM, F_ANC_FILENAME,
	F_STDIN_TYPE, F_STDOUT_TYPE, F_STDIN_PEER_EXE, F_STDIN_PEER_EXE_BASE, F_STDOUT_PEER_EXE,
	F_STDOUT_PEER_EXE_BASE,
	F_PROGRAM, F_ARGS_TRUNCATED, F_PATH, F_FILE_OP,
	F_MODULE_NAME, F_MODULE_TAINTS, F_MODULE_OOT, F_MODULE_UNSIGNED, F_BPF_PROG_TYPE, F_BPF_PROG_NAME, F_SOCK_TYPE, F_LOCAL_ADDR, F_LOCAL_PORT,
	F_EUID, F_FSUID, F_CAP_EFF, F_PREV_UID, F_SETUID_IMAGE,
	F_NS_OP, F_NS_FLAGS, F_MOUNT_OP, F_MOUNT_SOURCE, F_MOUNT_TARGET, F_MOUNT_FSTYPE, F_UNIX_PATH,
	F_ENV, F_PRELOAD, F_LIBRARY_PATH, F_ENV_TRUNCATED, F_COMPAT, F_EXE_SETUID, F_MAP_FILE, F_CHILD_PID,
	F_IN_CONTAINER, F_CONT_ID, F_CONT_IMAGE, F_CONT_NS, F_CONT_POD, F_CONT_RUNTIME,
	F_MAX
};

#endif
