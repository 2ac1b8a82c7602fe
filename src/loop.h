/* SPDX-License-Identifier: MIT */
/*
 * loop.h - the single-threaded epoll loop every module registers its file
 * descriptors with (ring buffer, signalfd, timerfd, sockets, HTTP listener).
 * Callbacks run on the loop's thread; nothing blocks.
 */
#ifndef RTMON_LOOP_H
#define RTMON_LOOP_H

#include <stdint.h>

struct rtmon_loop;

/* 'events' is the epoll event mask that fired (EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP). */
typedef void (*rtmon_loop_cb)(void *ctx, int fd, uint32_t events);

int loop_new(struct rtmon_loop **ret);
struct rtmon_loop *loop_free(struct rtmon_loop *l);
/* Watches fd for 'events'; one watch per fd. Returns 0 or -errno. */
int loop_add(struct rtmon_loop *l, int fd, uint32_t events, rtmon_loop_cb cb, void *ctx);
int loop_mod(struct rtmon_loop *l, int fd, uint32_t events);
/* Stops watching fd (safe to call from inside that fd's callback). */
int loop_del(struct rtmon_loop *l, int fd);
/* Waits at most timeout_ms and dispatches what fired. Returns 0 or -errno (-EINTR is not an error). */
int loop_run_once(struct rtmon_loop *l, int timeout_ms);
/* CLOCK_MONOTONIC in ms / ns. */
uint64_t loop_now_ms(void);
uint64_t loop_now_ns(void);

#endif
