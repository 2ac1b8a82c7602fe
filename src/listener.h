/* SPDX-License-Identifier: MIT */
/*
 * listener.h - privilege separation of the HTTP/SSE listener (issue 19).
 *
 * The monitor keeps the "sse" sink's identity, the listening socket and a
 * copy of the alert ring; the HTTP code (out_sse.c, libmicrohttpd) runs in a
 * child, "rtmond --listener-child", exec'd with only a SOCK_SEQPACKET
 * socketpair (fd 3), the listening socket (fd 4) and a second socketpair for
 * snapshot requests (fd 5). The child confines
 * itself (listener_child_main) and serves what the monitor sends it:
 *
 *   'C' key\0value\0...   the settings (first message; again only with a new child)
 *   'A' ID\nSEQ\nJSON     one alert, in ring order
 * and on fd 5, in answer to each 'R' the child sends when it serves /metrics
 * or /healthz (it waits at most 500 ms, else answers with the last one):
 *
 *   'M' TEXT              the daemon's Prometheus metrics
 *   'H' 0|1 JSON          the health object and whether it is healthy
 * The monitor never blocks on it: alerts are
 * sent from a cursor into the monitor's ring when the socket is writable; a
 * child too slow to keep up with the ring loses the alerts that left it
 * (rtmon_listener_dropped_total). When the child dies the monitor logs the
 * status, starts a new one after a back-off (0.1 s doubling to 30 s, reset
 * after 10 s of life) and re-sends the whole ring, so SSE clients resuming
 * with Last-Event-ID lose nothing still in the ring.
 */
#ifndef RTMON_LISTENER_H
#define RTMON_LISTENER_H

#include "out_sse.h"

#define RTMON_LISTENER_ARG "--listener-child"
#define RTMON_LISTENER_SOCK_FD 3
#define RTMON_LISTENER_LISTEN_FD 4
#define RTMON_LISTENER_REQ_FD 5

/* The monitor's side: an "sse" sink that runs the listener in a child. opts->listen_fd is ignored. */
int listener_new(const struct rtmon_sse_opts *opts, struct rtmon_sink **ret);
/* The pid of the running child, 0 when none (tests, logs). */
int listener_pid(struct rtmon_sink *s);

/* The child's main (rtmond --listener-child). Returns the exit code. */
int listener_child_main(int verbose);

#endif
