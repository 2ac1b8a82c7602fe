/* SPDX-License-Identifier: MIT */
/* out_stdout.h - alert JSON lines on stdout, flushed per line. */
#ifndef RTMON_OUT_STDOUT_H
#define RTMON_OUT_STDOUT_H

#include <stdio.h>

#include "output.h"

int out_stdout_new(FILE *f, struct rtmon_sink **ret);

#endif
