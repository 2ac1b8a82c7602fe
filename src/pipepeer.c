/* SPDX-License-Identifier: MIT */
/* pipepeer.c - see pipepeer.h. */
#include <stdio.h>
#include <string.h>

#include "pipepeer.h"
#include "rtmon_abi.h"

static void set_peer(uint32_t *pid, char *exe, size_t len, const struct rtmon_pipepeer_slot *s)
{
	*pid = s->pid;
	snprintf(exe, len, "%s", s->exe);
}

void pipepeer_exec(struct rtmon_pipepeers *pp, struct rtmon_event *ev)
{
	uint64_t in = ev->stdin_kind == RTMON_FD_PIPE ? ev->stdin_ino : 0;
	uint64_t out = ev->stdout_kind == RTMON_FD_PIPE ? ev->stdout_ino : 0;
	struct rtmon_pipepeer_slot *me = NULL;

	if (ev->type != RTMON_EV_EXEC || (!in && !out))
		return;
	for (uint32_t i = 0; i < RTMON_PIPEPEER_SLOTS; i++) {
		struct rtmon_pipepeer_slot *s = &pp->slot[i];

		if (!s->pid || ev->time_ns > s->time_ns + RTMON_PIPEPEER_TTL_NS)
			continue;
		if (s->pid == ev->pid) {
			me = s; /* an earlier exec of this same process: replace it */
			continue;
		}
		/* the earlier process writes into our stdin, or reads our stdout */
		if (in && s->ino_out == in && !(ev->has & RTMON_HAS_STDIN_PEER)) {
			set_peer(&ev->stdin_peer_pid, ev->stdin_peer_exe, sizeof(ev->stdin_peer_exe), s);
			ev->has |= RTMON_HAS_STDIN_PEER;
		}
		if (out && s->ino_in == out && !(ev->has & RTMON_HAS_STDOUT_PEER)) {
			set_peer(&ev->stdout_peer_pid, ev->stdout_peer_exe, sizeof(ev->stdout_peer_exe), s);
			ev->has |= RTMON_HAS_STDOUT_PEER;
		}
	}
	if (!me) {
		me = &pp->slot[pp->next];
		pp->next = (pp->next + 1) % RTMON_PIPEPEER_SLOTS;
	}
	me->pid = ev->pid;
	me->ino_in = in;
	me->ino_out = out;
	me->time_ns = ev->time_ns;
	snprintf(me->exe, sizeof(me->exe), "%.255s", (ev->has & RTMON_HAS_EXE) ? ev->exe : ev->comm);
}
