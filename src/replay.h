/* SPDX-License-Identifier: MIT */
/* replay.h - reading a recording for --replay. */
#ifndef RTMON_REPLAY_H
#define RTMON_REPLAY_H

#include <stdio.h>

#include "event.h"

typedef void (*rtmon_replay_fn)(void *ud, struct rtmon_event *ev);
/* Reads every event line of f (named path in messages) into *ev and calls fn(ud, ev) for it. Returns 0. */
int replay_read(FILE *f, const char *path, struct rtmon_event *ev, rtmon_replay_fn fn, void *ud);

#endif
