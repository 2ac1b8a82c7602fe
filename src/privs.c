/* SPDX-License-Identifier: MIT */
/* privs.c - see privs.h. No libcap: two syscalls do it. */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"

#define KEEP ((1ull << CAP_SYS_PTRACE) | (1ull << CAP_DAC_READ_SEARCH) | (1ull << CAP_NET_BIND_SERVICE))
/*
 * Permitted but never effective: what starting the HTTP listener's process
 * needs (listener_child.c: chroot, the uid change, emptying its bounding set).
 * They pass to the exec'd child (root, no_new_privs: at most our permitted set).
 */
#define KEEP_FOR_CHILD ((1ull << CAP_SETUID) | (1ull << CAP_SETGID) | (1ull << CAP_SYS_CHROOT) | (1ull << CAP_SETPCAP))

static int cap_last(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = 40;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = 40;
		fclose(f);
	}
	return last;
}

int privs_drop(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	uint64_t eff, keep;
	int last = cap_last();

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	eff = ((uint64_t)data[1].effective << 32) | data[0].effective;
	keep = eff & (KEEP | KEEP_FOR_CHILD);
	/* the bounding set first: dropping from it needs CAP_SETPCAP, which we still hold */
	for (int c = 0; c <= last && c < 64; c++)
		if (!(keep & (1ull << c)) && prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	memset(data, 0, sizeof(data));
	data[0].permitted = (uint32_t)keep;
	data[1].permitted = (uint32_t)(keep >> 32);
	data[0].effective = (uint32_t)(keep & KEEP);
	data[1].effective = (uint32_t)((keep & KEEP) >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

uint64_t privs_effective(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	uint64_t v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0)
			v = strtoull(line + 7, NULL, 16);
	fclose(f);
	return v;
}
