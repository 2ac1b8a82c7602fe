/* SPDX-License-Identifier: MIT */
/*
 * replay.c - reads a recording (--record's JSON lines) for --replay: each
 * event line into the caller's event, handed to the caller's function.
 * Alert lines and comments are skipped; bad lines are logged (the first 10).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmt_json.h"
#include "log.h"
#include "replay.h"

int replay_read(FILE *f, const char *path, struct rtmon_event *ev, rtmon_replay_fn fn, void *ud)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int bad = 0;

	while ((n = getline(&line, &cap, f)) > 0) {
		int r;

		lineno++;
		if (n <= 1 || line[0] == '#')
			continue;
		r = fmt_event_from_json(line, ev);
		if (r == -ENOMSG)
			continue; /* an alert line in a mixed recording */
		if (r < 0) {
			if (bad++ < 10)
				log_warnx("%s:%zu: not an event, skipped", path, lineno);
			continue;
		}
		fn(ud, ev);
	}
	free(line);
	return 0;
}
