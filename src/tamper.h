/* SPDX-License-Identifier: MIT */
/*
 * tamper.h - tamper evidence: another process ptraces rtmon or writes its
 * memory, sends it a signal that stops or steers it, or reaches its BPF
 * programs, maps or links through bpf(). Built in (rule id rtmon_tamper,
 * T1562.001), not configurable away.
 */
#ifndef RTMON_TAMPER_H
#define RTMON_TAMPER_H

#include <stddef.h>

#include "event.h"
#include "rules.h"

struct rtmon_loader;

/*
 * Fills *ret (rule, reason) and returns 1 when the event tampers with the
 * rtmon process self_pid, whose BPF objects 'bpf' knows; 0 otherwise.
 */
int tamper_check(const struct rtmon_event *ev, uint32_t self_pid, const struct rtmon_loader *bpf,
		 struct rtmon_match *ret);

#endif
