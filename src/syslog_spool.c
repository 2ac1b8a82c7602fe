/* SPDX-License-Identifier: MIT */
/* syslog_spool.c - see syslog_spool.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, getaddrinfo_a, pthread_timedjoin_np */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syslog_spool.h"

#define SPOOL_HDR 8u
#define SPOOL_REC_MAX (16u << 20) /* a record longer than this is corruption */
#define SPOOL_COMPACT_MIN (64u << 10)

struct syslog_spool {
	int fd;
	char *path;
	uint64_t max;
	uint64_t rd, wr; /* read offset (next record), end of the last whole record */
	uint64_t count;
};

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;
		done += (size_t)r;
	}
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		done += (size_t)r;
	}
	return 0;
}

/* Walks the records from the saved read offset: counts them, cuts a torn tail. */
static int spool_compact(struct syslog_spool *s);

static int spool_scan(struct syslog_spool *s)
{
	struct stat st;
	uint64_t off, rd = 0;
	uint32_t len;

	if (fstat(s->fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size < SPOOL_HDR || pread_all(s->fd, &rd, sizeof(rd), 0) < 0 || rd < SPOOL_HDR ||
	    rd > (uint64_t)st.st_size)
		rd = SPOOL_HDR;
	s->rd = rd;
	s->count = 0;
	for (off = rd; off + 4 <= (uint64_t)st.st_size; off += 4 + len) {
		if (pread_all(s->fd, &len, sizeof(len), off) < 0 || len > SPOOL_REC_MAX ||
		    off + 4 + len > (uint64_t)st.st_size)
			break;
		s->count++;
	}
	s->wr = off;
	if ((uint64_t)st.st_size != off && ftruncate(s->fd, (off_t)off) < 0)
		return -errno;
	return pwrite_all(s->fd, &s->rd, sizeof(s->rd), 0);
}

/* mkdir -p, mode 0700 for what it creates */
static int mkdir_p(const char *dir)
{
	char *p, *tmp = strdup(dir);
	int r = 0;

	if (!tmp)
		return -ENOMEM;
	for (p = tmp + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
			r = -errno;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(tmp);
	return r;
}

int spool_open(const char *dir, const char *name, uint64_t max_bytes, struct syslog_spool **ret)
{
	struct syslog_spool *s;
	int r;

	if (!dir || !dir[0] || !name || strchr(name, '/'))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->max = max_bytes;
	if (asprintf(&s->path, "%s/%s", dir, name) < 0) {
		s->path = NULL;
		r = -ENOMEM;
		goto fail;
	}
	r = mkdir_p(dir);
	if (r < 0)
		goto fail;
	s->fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->fd < 0) {
		r = -errno;
		goto fail;
	}
	/* one writer: a second rtmon on the same spool would send every record twice */
	if (flock(s->fd, LOCK_EX | LOCK_NB) < 0) {
		r = errno == EWOULDBLOCK ? -EBUSY : -errno;
		goto fail;
	}
	r = spool_scan(s);
	if (r < 0)
		goto fail;
	*ret = s;
	return 0;
fail:
	spool_close(s);
	return r;
}

struct syslog_spool *spool_close(struct syslog_spool *s)
{
	if (!s)
		return NULL;
	if (s->fd >= 0)
		close(s->fd);
	free(s->path);
	free(s);
	return NULL;
}

int spool_append(struct syslog_spool *s, const char *data, size_t len)
{
	uint32_t l = (uint32_t)len;
	int r;

	if (len > SPOOL_REC_MAX)
		return -EMSGSIZE;
	if (s->wr + 4 + len > s->max && s->rd > SPOOL_HDR) {
		r = spool_compact(s); /* reclaim what was read before refusing */
		if (r < 0)
			return r;
	}
	if (s->wr + 4 + len > s->max)
		return -ENOSPC;
	r = pwrite_all(s->fd, &l, sizeof(l), s->wr);
	if (r == 0)
		r = pwrite_all(s->fd, data, len, s->wr + 4);
	if (r < 0) {
		/* keep the file whole: forget the partial record */
		if (ftruncate(s->fd, (off_t)s->wr) < 0)
			return -errno;
		return r;
	}
	s->wr += 4 + len;
	s->count++;
	return 0;
}

/* The length of the record at the read offset, checked against the bound and the written end. */
static int record_len(struct syslog_spool *s, uint32_t *ret)
{
	uint32_t len;
	int r = pread_all(s->fd, &len, sizeof(len), s->rd);

	if (r < 0)
		return r;
	if (len > SPOOL_REC_MAX || s->rd + 4 + len > s->wr)
		return -EBADMSG;
	*ret = len;
	return 0;
}

int spool_peek(struct syslog_spool *s, char **ret, size_t *ret_len)
{
	uint32_t len;
	char *buf;
	int r;

	if (s->count == 0)
		return 0;
	r = record_len(s, &len);
	if (r < 0)
		return r;
	buf = malloc(len + 1u);
	if (!buf)
		return -ENOMEM;
	r = pread_all(s->fd, buf, len, s->rd + 4);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 1;
}

/* Moves the unread records to the front of the file (write a copy, rename over). */
static int spool_compact(struct syslog_spool *s)
{
	char *tmp = NULL, buf[65536];
	uint64_t off, hdr = SPOOL_HDR;
	int fd = -1, r = 0;

	if (asprintf(&tmp, "%s.tmp", s->path) < 0)
		return -ENOMEM;
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	/* locked before the rename: the spool's lock moves with it */
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		goto out;
	}
	r = pwrite_all(fd, &hdr, sizeof(hdr), 0);
	for (off = s->rd; r == 0 && off < s->wr;) {
		size_t n = s->wr - off < sizeof(buf) ? (size_t)(s->wr - off) : sizeof(buf);

		r = pread_all(s->fd, buf, n, off);
		if (r == 0)
			r = pwrite_all(fd, buf, n, SPOOL_HDR + off - s->rd);
		off += n;
	}
	if (r == 0 && (fsync(fd) < 0 || rename(tmp, s->path) < 0))
		r = -errno;
	if (r < 0)
		goto out;
	close(s->fd);
	s->fd = fd;
	fd = -1;
	s->wr = SPOOL_HDR + s->wr - s->rd;
	s->rd = SPOOL_HDR;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	return r;
}

int spool_consume(struct syslog_spool *s)
{
	uint32_t len;
	int r;

	if (s->count == 0)
		return 0;
	r = record_len(s, &len);
	if (r < 0)
		return r;
	s->rd += 4 + len;
	s->count--;
	if (s->count == 0) {
		s->rd = s->wr = SPOOL_HDR;
		if (ftruncate(s->fd, SPOOL_HDR) < 0)
			return -errno;
	} else if (s->rd - SPOOL_HDR >= SPOOL_COMPACT_MIN && s->rd - SPOOL_HDR >= s->wr - s->rd) {
		r = spool_compact(s);
		if (r < 0)
			return r;
	}
	return pwrite_all(s->fd, &s->rd, sizeof(s->rd), 0);
}

uint64_t spool_count(const struct syslog_spool *s)
{
	return s ? s->count : 0;
}

uint64_t spool_bytes(const struct syslog_spool *s)
{
	return s ? s->wr : 0;
}

const char *spool_path(const struct syslog_spool *s)
{
	return s ? s->path : NULL;
}
