/* SPDX-License-Identifier: MIT */
/*
 * privs.h - least privilege after start-up. Once every BPF program is
 * attached and the outputs are open, rtmon keeps only what enrichment needs:
 * CAP_SYS_PTRACE (/proc/<pid>/exe, cwd of any process), CAP_DAC_READ_SEARCH
 * (/proc and the cgroup file handles of the container cache),
 * CAP_NET_BIND_SERVICE (a listener on a port below 1024 after a reload);
 * it sets PR_SET_NO_NEW_PRIVS and shrinks the bounding set to match.
 */
#ifndef RTMON_PRIVS_H
#define RTMON_PRIVS_H

#include <stdint.h>

/* Returns 0, or -errno (the caller logs and goes on: a failed drop is not fatal). */
int privs_drop(void);
/* The effective capability mask of this process (from /proc/self/status), for tests and logs. */
uint64_t privs_effective(void);

#endif
