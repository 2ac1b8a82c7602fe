/* SPDX-License-Identifier: MIT */
/*
 * names.h - the one table per kernel constant that rtmon shows by name:
 * socket families, IP protocols, fd kinds, ptrace requests, mmap/mprotect protections,
 * mmap flags, memfd flags, signals, bpf() commands, ... The JSON formatter and the rule compiler both
 * read these, so a name in a rule is always the name in the event. Pure.
 */
#ifndef RTMON_NAMES_H
#define RTMON_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct rtmon_name_val {
	const char *name;
	int64_t val;
};

/* Each table ends with { NULL, 0 }. */
extern const struct rtmon_name_val rtmon_family_names[];
extern const struct rtmon_name_val rtmon_protocol_names[]; /* IPPROTO_* */
extern const struct rtmon_name_val rtmon_fd_kind_names[];  /* enum rtmon_fd_kind */
extern const struct rtmon_name_val rtmon_ptrace_names[];
extern const struct rtmon_name_val rtmon_prot_names[];		/* bits */
extern const struct rtmon_name_val rtmon_mmap_flag_names[];	/* bits; the low 2 bits are a type field */
extern const struct rtmon_name_val rtmon_memfd_flag_names[];	/* bits */
extern const struct rtmon_name_val rtmon_file_op_names[];	/* bits: RTMON_FILE_* (rtmon_abi.h) */
extern const struct rtmon_name_val rtmon_bpf_prog_type_names[]; /* enum bpf_prog_type */
extern const struct rtmon_name_val rtmon_sock_type_names[];	/* SOCK_* */
extern const struct rtmon_name_val rtmon_ns_flag_names[];	/* bits: CLONE_NEW* */
extern const struct rtmon_name_val rtmon_ns_op_names[];		/* namespace events: unshare, setns, clone */
extern const struct rtmon_name_val rtmon_map_file_names[];	/* RTMON_MAPF_* bits: memfd, deleted, shared_dir */
extern const struct rtmon_name_val rtmon_mount_op_names[]; /* mount events: mount, open_tree, move_mount, fsmount */
extern const struct rtmon_name_val rtmon_signal_names[];   /* the signals tamper events name; others by number */
extern const struct rtmon_name_val rtmon_bpf_cmd_names[];  /* the bpf() commands the kernel side reports */

/* The entry named 'name', NULL when there is none. */
const struct rtmon_name_val *names_find(const struct rtmon_name_val *t, const char *name);
/* The name of value v, NULL when there is none. */
const char *names_name(const struct rtmon_name_val *t, int64_t v);
/* The name of value v, or v in decimal written to buf (len bytes) when it has none. */
const char *names_label(const struct rtmon_name_val *t, int64_t v, char *buf, size_t len);
/*
 * A bit set as text, "A|B|0x40": the names of t's single bits set in v, in
 * table order, then in hex what no name covers; 'zero' when v is 0. Written
 * into buf (len bytes, cut to fit). Returns buf.
 */
const char *names_flags(const struct rtmon_name_val *t, uint64_t v, const char *zero, char *buf, size_t len);
/* The value named 'name', dflt when there is none. */
int64_t names_value(const struct rtmon_name_val *t, const char *name, int64_t dflt);

#endif
