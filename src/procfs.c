/* SPDX-License-Identifier: MIT */
/* procfs.c - see procfs.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfs.h"

static ssize_t read_file_at(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* ppid, comm and uid from stat and status; -ENOENT when the process vanished. */
static int read_stat(int dirfd, uint32_t *ppid, char *comm, size_t commlen, uint32_t *uid)
{
	char buf[1024];
	ssize_t n = read_file_at(dirfd, "stat", buf, sizeof(buf) - 1);
	char *open, *close_p, *u;
	unsigned long pp;

	if (n <= 0)
		return n < 0 ? (int)n : -ENOENT;
	buf[n] = 0;
	/* "pid (comm) S ppid ...": comm may hold spaces and parentheses, so use the last ')' */
	open = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (!open || !close_p || close_p < open || sscanf(close_p + 1, " %*c %lu", &pp) != 1)
		return -EBADMSG;
	*close_p = 0;
	snprintf(comm, commlen, "%s", open + 1);
	*ppid = (uint32_t)pp;
	n = read_file_at(dirfd, "status", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = 0;
		u = strstr(buf, "\nUid:");
		if (u)
			*uid = (uint32_t)strtoul(u + 5, NULL, 10);
	}
	return 0;
}

/* The link's target, "" when it cannot be read. */
static void read_link_at(int dirfd, const char *name, char *buf, size_t len)
{
	ssize_t n = readlinkat(dirfd, name, buf, len - 1);

	buf[n < 0 ? 0 : n] = 0;
}

int procfs_read_pid(const char *procroot, uint32_t pid, struct rtmon_procfs_proc *ret)
{
	char path[128];
	struct stat st;
	ssize_t n;
	int dirfd, r;

	snprintf(path, sizeof(path), "%s/%u", procroot, pid);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	ret->ppid = 0;
	ret->uid = 0;
	r = read_stat(dirfd, &ret->ppid, ret->comm, sizeof(ret->comm), &ret->uid);
	if (r < 0)
		goto out;
	/* a setuid program started before rtmon (sudo waiting for its child) is one all the same */
	ret->setuid_image = fstatat(dirfd, "exe", &st, 0) == 0 && (st.st_mode & (S_ISUID | S_ISGID));
	read_link_at(dirfd, "exe", ret->exe, sizeof(ret->exe));
	read_link_at(dirfd, "cwd", ret->cwd, sizeof(ret->cwd));
	n = read_file_at(dirfd, "cmdline", ret->args, sizeof(ret->args));
	ret->args_len = n > 0 ? (size_t)n : 0;
out:
	close(dirfd);
	return r;
}

int procfs_pids(const char *procroot, int (*fn)(void *ud, uint32_t pid), void *ud)
{
	DIR *d = opendir(procroot);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (*end || pid == 0)
			continue;
		if (fn(ud, (uint32_t)pid))
			break;
	}
	closedir(d);
	return 0;
}
