/* SPDX-License-Identifier: MIT */
/*
 * syslog_spool.h - the optional on-disk overflow of one syslog destination.
 *
 * One file per destination in the spool directory, capped in size:
 *   [u64 read offset][u32 len][len bytes][u32 len][len bytes]...
 * Records are appended when the in-memory queue is full and read back in
 * order as it drains; the read offset is kept in the header, so a restart
 * resumes where the last run stopped (a torn record at the tail is cut).
 * The file is truncated when fully read and compacted when half read.
 * Local, small, synchronous file I/O on the loop thread (no network waits).
 * No logging: errors are returned as -errno.
 */
#ifndef RTMON_SYSLOG_SPOOL_H
#define RTMON_SYSLOG_SPOOL_H

#include <stddef.h>
#include <stdint.h>

struct syslog_spool;

/*
 * Opens or creates dir/name (mode 0600) and locks it (flock): -EBUSY when
 * another process has it open. max_bytes caps the file.
 */
int spool_open(const char *dir, const char *name, uint64_t max_bytes, struct syslog_spool **ret);
struct syslog_spool *spool_close(struct syslog_spool *s);
/* Appends one record; -ENOSPC when it would pass the cap, -EIO etc. on write errors. */
int spool_append(struct syslog_spool *s, const char *data, size_t len);
/* Reads the oldest record: 1 with *ret (malloc'ed) and *ret_len, 0 when empty, -errno. */
int spool_peek(struct syslog_spool *s, char **ret, size_t *ret_len);
/* Drops the oldest record (the one spool_peek() returned). 0 or -errno. */
int spool_consume(struct syslog_spool *s);
/* Records waiting, and the file's size in bytes. */
uint64_t spool_count(const struct syslog_spool *s);
uint64_t spool_bytes(const struct syslog_spool *s);
const char *spool_path(const struct syslog_spool *s);

#endif
