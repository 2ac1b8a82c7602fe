/* SPDX-License-Identifier: MIT */
/*
 * syslog_relp.h - RELP delivery (librelp) in a thread of its own.
 *
 * librelp's client API blocks: relpCltConnect() and relpCltSendSyslog()
 * (when its window of unacknowledged messages is full) wait on the network.
 * The loop must never wait, so RELP alone gets one worker thread per
 * destination.  The hand-off is the destination's bounded queue itself,
 * guarded by 'mu': the loop thread appends (and refills from the spool), the
 * worker takes the oldest entry, hands it to librelp and releases it once
 * librelp has accepted it.  librelp keeps what the server has not yet
 * acknowledged and sends it again after relpCltReconnect(), which is how a
 * relay killed with SIGKILL loses nothing (it may see a message twice).
 */
#ifndef RTMON_SYSLOG_RELP_H
#define RTMON_SYSLOG_RELP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "syslog_queue.h"

struct relp_shared {
	pthread_mutex_t mu;
	pthread_cond_t cv;	   /* worker: work or stop; loop thread: progress (flush) */
	struct squeue *q;	   /* under mu */
	bool stop;		   /* under mu */
	bool connected;		   /* under mu */
	uint64_t sent, reconnects; /* under mu */
	int shutdown_now;	   /* librelp's "abort waits" flag (relpEngineSetShutdownImmdtPtr) */
};

struct relp_worker;

/* Initializes the lock and a CLOCK_MONOTONIC condition variable around q. 0 or -errno. */
int relp_shared_init(struct relp_shared *sh, struct squeue *q);
void relp_shared_fini(struct relp_shared *sh);

/* Starts the worker for c (host, port). The shared block must outlive it. 0 or -errno. */
int relp_worker_start(const struct rtmon_syslog_conf *c, struct relp_shared *sh, struct relp_worker **ret);
/*
 * Stops the worker: waits up to timeout_ms for the queue to drain into librelp,
 * then closes the RELP session (librelp waits for the server's last
 * acknowledgments) and joins the thread. NULL-safe; returns NULL.
 */
struct relp_worker *relp_worker_stop(struct relp_worker *w, int timeout_ms);

#endif
