/* SPDX-License-Identifier: MIT */
/* out_journal.h - structured journald records, one per alert (SPEC "Outputs: journald"). */
#ifndef RTMON_OUT_JOURNAL_H
#define RTMON_OUT_JOURNAL_H

#include "output.h"

/* Opens the journal sink. Keeps working (and retrying) when journald is absent or restarts. */
int out_journal_new(struct rtmon_sink **ret);
/* The fixed MESSAGE_ID (32 hex chars) of a rule id; unknown rules get one derived from the id. */
void journal_message_id(const char *rule_id, char out[33]);
/* 1 when journald's native socket exists (for "journal on by default when the socket exists"), else 0. */
int out_journal_available(void);

#endif
