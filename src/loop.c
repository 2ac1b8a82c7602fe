/* SPDX-License-Identifier: MIT */
/* loop.c - see loop.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

struct watch {
	rtmon_loop_cb cb;
	void *ctx;
	uint64_t gen; /* bumped on every add/del so stale epoll events are ignored */
	int active;
};

struct rtmon_loop {
	int epfd;
	struct watch *w; /* indexed by fd */
	size_t nw;
};

int loop_new(struct rtmon_loop **ret)
{
	struct rtmon_loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int r = -errno;

		free(l);
		return r;
	}
	*ret = l;
	return 0;
}

struct rtmon_loop *loop_free(struct rtmon_loop *l)
{
	if (!l)
		return NULL;
	close(l->epfd);
	free(l->w);
	free(l);
	return NULL;
}

static int grow(struct rtmon_loop *l, int fd)
{
	size_t n;
	struct watch *w;

	if ((size_t)fd < l->nw)
		return 0;
	n = l->nw ? l->nw : 64;
	while (n <= (size_t)fd)
		n *= 2;
	w = realloc(l->w, n * sizeof(*w));
	if (!w)
		return -ENOMEM;
	memset(w + l->nw, 0, (n - l->nw) * sizeof(*w));
	l->w = w;
	l->nw = n;
	return 0;
}

int loop_add(struct rtmon_loop *l, int fd, uint32_t events, rtmon_loop_cb cb, void *ctx)
{
	struct epoll_event ev = { .events = events };
	int r;

	if (fd < 0 || !cb)
		return -EINVAL;
	r = grow(l, fd);
	if (r < 0)
		return r;
	if (l->w[fd].active)
		return -EEXIST;
	l->w[fd].gen++;
	ev.data.u64 = ((uint64_t)(uint32_t)fd) | (l->w[fd].gen << 32);
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	l->w[fd].cb = cb;
	l->w[fd].ctx = ctx;
	l->w[fd].active = 1;
	return 0;
}

int loop_mod(struct rtmon_loop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].active)
		return -ENOENT;
	ev.data.u64 = ((uint64_t)(uint32_t)fd) | (l->w[fd].gen << 32);
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

int loop_del(struct rtmon_loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->nw || !l->w[fd].active)
		return -ENOENT;
	l->w[fd].active = 0;
	l->w[fd].gen++;
	/* the fd may already be closed: epoll forgot it then, which is fine */
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	return 0;
}

int loop_run_once(struct rtmon_loop *l, int timeout_ms)
{
	struct epoll_event evs[32];
	int n = epoll_wait(l->epfd, evs, 32, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)evs[i].data.u64;
		uint64_t gen = evs[i].data.u64 >> 32;
		struct watch *w;

		if ((size_t)fd >= l->nw)
			continue;
		w = &l->w[fd];
		/* a watch removed (or replaced) by an earlier callback in this batch */
		if (!w->active || (w->gen & 0xffffffffu) != gen)
			continue;
		w->cb(w->ctx, fd, evs[i].events);
	}
	return 0;
}

uint64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t loop_now_ms(void)
{
	return loop_now_ns() / 1000000ull;
}
