/* SPDX-License-Identifier: MIT */
/*
 * instance.h - one rtmon daemon per host: an flock(2) on a lock file that
 * holds the owner's pid. The lock goes with the process (no stale file to
 * clean up after a crash); --replay and --check-config take none.
 */
#ifndef RTMON_INSTANCE_H
#define RTMON_INSTANCE_H

#include <stddef.h>
#include <sys/types.h>

#define RTMON_LOCK_FILE "/run/rtmon/rtmon.lock"
/* Environment variable naming another lock file (tests run private daemons side by side). */
#define RTMON_LOCK_ENV "RTMON_LOCK_FILE"

/* The lock file to use: $RTMON_LOCK_FILE when set and not empty, else RTMON_LOCK_FILE. */
const char *instance_lock_path(void);
/*
 * Creates the file's directory when missing, opens and locks the file, and
 * writes our pid into it. Returns the fd (keep it open while running), or
 * -EBUSY with *ret_holder the pid of the process that holds it (0 when
 * unknown), or another -errno.
 */
int instance_lock(const char *path, pid_t *ret_holder);

#endif
