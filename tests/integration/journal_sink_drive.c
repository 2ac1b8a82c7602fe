/* SPDX-License-Identifier: MIT */
/*
 * journal_sink_drive.c - drives the real journald sink (out_journal.c) from commands on stdin,
 * for tests/integration/journal.sh: "emit RULE N SEQ0", "emitbig RULE N SEQ0 BYTES", "tick", "metrics", "flush MS", "quit".
 * Prints "done <cmd> <ms>" after each command, so the script can tell emit never blocked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"
#include "out_journal.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* big != 0: RTMON_JSON of 'big' bytes, too large for one datagram (the memfd path) */
static void emit(struct rtmon_sink *s, const char *rule, unsigned n, unsigned seq0, size_t big)
{
	static struct rtmon_event ev;
	static char json[1 << 20];
	struct rtmon_alert a;

	for (unsigned i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		event_reset(&ev);
		ev.type = RTMON_EV_EXEC;
		ev.pid = seq0 + i;
		ev.has = RTMON_HAS_COMM;
		strcpy(ev.comm, "drive");
		a.seq = seq0 + i;
		snprintf(a.id, sizeof(a.id), "1-%u", seq0 + i);
		a.rule_id = rule;
		a.severity = RTMON_SEV_MEDIUM;
		a.risk_score = 50;
		snprintf(a.reason, sizeof(a.reason), "drive alert %u\nsecond line", seq0 + i);
		a.time_ns = 1764427000000000000ULL;
		a.host = "drivehost";
		a.event = &ev;
		snprintf(json, sizeof(json), "{\"kind\":\"alert\",\"id\":\"1-%u\",\"rule_id\":\"%s\"}", seq0 + i, rule);
		if (big >= 64 && big < sizeof(json)) {
			/* {"kind":"alert","pad":"xxxx...x"} of exactly 'big' bytes */
			int h = snprintf(json, sizeof(json), "{\"kind\":\"alert\",\"pad\":\"");

			memset(json + h, 'x', big - (size_t)h - 2);
			memcpy(json + big - 2, "\"}", 3);
		}
		s->ops->emit(s, &a, json);
	}
}

int main(void)
{
	struct rtmon_sink *s;
	char line[256], rule[64];
	unsigned n, seq0, big;
	int r, ms;

	log_init(RTMON_LOG_STDERR, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	r = out_journal_new(&s);
	if (r < 0) {
		fprintf(stderr, "out_journal_new: %s\n", strerror(-r));
		return 1;
	}
	while (fgets(line, sizeof(line), stdin)) {
		uint64_t t0 = now_ms();

		if (sscanf(line, "emitbig %63s %u %u %u", rule, &n, &seq0, &big) == 4)
			emit(s, rule, n, seq0, big);
		else if (sscanf(line, "emit %63s %u %u", rule, &n, &seq0) == 3)
			emit(s, rule, n, seq0, 0);
		else if (strncmp(line, "tick", 4) == 0)
			s->ops->tick(s, t0);
		else if (strncmp(line, "metrics", 7) == 0)
			s->ops->metrics(s, stdout);
		else if (sscanf(line, "flush %d", &ms) == 1)
			s->ops->flush(s, ms);
		else if (strncmp(line, "quit", 4) == 0)
			break;
		line[strcspn(line, "\n")] = '\0';
		printf("done %s %llu\n", line, (unsigned long long)(now_ms() - t0));
	}
	s->ops->free(s);
	return 0;
}
