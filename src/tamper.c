/* SPDX-License-Identifier: MIT */
/* tamper.c - see tamper.h. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <linux/bpf.h>

#include "fmt_json.h"
#include "names.h"
#include "loader.h"
#include "tamper.h"

#define MITRE_IMPAIR "T1562.001"

static const struct rtmon_rule_info tamper_rules[] = {
	{ .id = "rtmon_tamper",
	  .description = "Another process interfered with rtmon itself",
	  .severity = RTMON_SEV_CRITICAL,
	  .risk_score = 95,
	  .mitre = { MITRE_IMPAIR, "T1055.008" },
	  .n_mitre = 2 },
	{ .id = "rtmon_tamper",
	  .description = "Another process interfered with rtmon itself",
	  .severity = RTMON_SEV_MEDIUM,
	  .risk_score = 50,
	  .mitre = { MITRE_IMPAIR },
	  .n_mitre = 1 },
	{ .id = "rtmon_tamper",
	  .description = "Another process stopped or reloaded rtmon",
	  .severity = RTMON_SEV_LOW,
	  .risk_score = 20,
	  .mitre = { MITRE_IMPAIR },
	  .n_mitre = 1 },
};

enum {
	HIGH,
	MEDIUM,
	LOW
};

static int check_signal(const struct rtmon_event *ev, struct rtmon_match *m)
{
	const char *n = names_name(rtmon_signal_names, ev->sig);
	int sev;

	/* SIGKILL and SIGSTOP cannot be handled: rtmon stops seeing; SIGTERM/SIGINT/SIGHUP are service control */
	sev = ev->sig == SIGKILL || ev->sig == SIGSTOP || ev->sig == SIGTSTP || ev->sig == SIGQUIT ||
			      ev->sig == SIGABRT ?
		      HIGH :
		      LOW;
	m->rule = &tamper_rules[sev];
	snprintf(m->reason, sizeof(m->reason), "%s (pid %u, exe %.300s) sent %s to rtmon", ev->comm, ev->pid,
		 (ev->has & RTMON_HAS_EXE) ? ev->exe : "?", n ? n : "a signal");
	return 1;
}

static int check_bpf(const struct rtmon_event *ev, const struct rtmon_loader *bpf, struct rtmon_match *m)
{
	const char *cmd = names_name(rtmon_bpf_cmd_names, ev->bpf_cmd);
	enum rtmon_bpf_kind k;
	int detach = 0;

	switch (ev->bpf_cmd) {
	case BPF_PROG_GET_FD_BY_ID:
		k = RTMON_BPF_PROG;
		break;
	case BPF_MAP_GET_FD_BY_ID:
		k = RTMON_BPF_MAP;
		break;
	case BPF_LINK_GET_FD_BY_ID:
		k = RTMON_BPF_LINK;
		break;
	case BPF_LINK_DETACH:
		k = RTMON_BPF_LINK;
		detach = 1;
		break;
	default:
		return 0;
	}
	if (!loader_owns(bpf, k, ev->bpf_id))
		return 0;
	/* getting an fd by id is how bpftool lists objects, and how a detach starts */
	m->rule = &tamper_rules[detach ? HIGH : MEDIUM];
	snprintf(m->reason, sizeof(m->reason), "%s (pid %u, exe %.300s) called bpf(%s) on rtmon's %s id %u", ev->comm,
		 ev->pid, (ev->has & RTMON_HAS_EXE) ? ev->exe : "?", cmd ? cmd : "?",
		 k == RTMON_BPF_PROG ? "program" :
		 k == RTMON_BPF_MAP  ? "map" :
				       "link",
		 ev->bpf_id);
	return 1;
}

int tamper_check(const struct rtmon_event *ev, uint32_t self_pid, const struct rtmon_loader *bpf, struct rtmon_match *m)
{
	memset(m, 0, sizeof(*m));
	if (!self_pid || ev->pid == self_pid)
		return 0;
	switch (ev->type) {
	case RTMON_EV_SIGNAL:
		return ev->target_pid == self_pid ? check_signal(ev, m) : 0;
	case RTMON_EV_BPF:
		return bpf ? check_bpf(ev, bpf, m) : 0;
	case RTMON_EV_PTRACE:
	case RTMON_EV_PROCESS_VM_WRITEV:
		if (ev->target_pid != self_pid || (ev->type == RTMON_EV_PTRACE && ev->ptrace_request == 0))
			return 0;
		m->rule = &tamper_rules[HIGH];
		snprintf(m->reason, sizeof(m->reason), "%s (pid %u, exe %.300s) %s rtmon (pid %u)", ev->comm, ev->pid,
			 (ev->has & RTMON_HAS_EXE) ? ev->exe : "?",
			 ev->type == RTMON_EV_PTRACE ? "ptraced" : "wrote into the memory of", self_pid);
		return 1;
	default:
		return 0;
	}
}
