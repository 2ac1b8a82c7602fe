/* SPDX-License-Identifier: MIT */
/* alert.c - severity names and mappings (pure). */
#include <errno.h>
#include <string.h>

#include "alert.h"

static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };

const char *severity_name(enum rtmon_severity s)
{
	return (unsigned)s < sizeof(sev_names) / sizeof(sev_names[0]) ? sev_names[s] : "info";
}

int severity_from_name(const char *name)
{
	for (unsigned i = 0; name && i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (strcmp(name, sev_names[i]) == 0)
			return (int)i;
	return -EINVAL;
}

int severity_journal_priority(enum rtmon_severity s)
{
	/* critical 2 (crit), high 3 (err), medium 4 (warning), low 5 (notice), info 6 */
	switch (s) {
	case RTMON_SEV_CRITICAL:
		return 2;
	case RTMON_SEV_HIGH:
		return 3;
	case RTMON_SEV_MEDIUM:
		return 4;
	case RTMON_SEV_LOW:
		return 5;
	default:
		return 6;
	}
}

int alert_keep_first(const struct rtmon_alert *a)
{
	if (a->incident)
		return 1;
	return a->severity >= RTMON_SEV_HIGH && !a->folded && !a->summary_kind;
}
