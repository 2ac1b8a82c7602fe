/* SPDX-License-Identifier: MIT */
/*
 * log.h - rtmon's own diagnostics (not alerts), OpenBSD-daemon style.
 *
 * To stderr with a "rtmon: " prefix, or, when stderr is the journal
 * (JOURNAL_STREAM matches, as under systemd) or log_init() asked for it,
 * straight to journald with a proper PRIORITY. The log level and target are
 * the only mutable globals in rtmon.
 */
#ifndef RTMON_LOG_H
#define RTMON_LOG_H

#include <stdarg.h>

enum rtmon_log_target {
	RTMON_LOG_AUTO = 0,
	RTMON_LOG_STDERR,
	RTMON_LOG_JOURNAL
};

void log_init(enum rtmon_log_target target, int verbose);
/*
 * Priorities: crit = rtmon cannot run (BPF cannot be loaded), err = an
 * operation failed (a config or reload rejected), warning = running degraded.
 */
void log_crit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* appends strerror(errno) */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Error with a negative errno value appended. */
void log_errno(int neg_errno, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Raw: priority 0-7 (LOG_*), for libbpf's print callback and friends. */
void log_vmsg(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
int log_verbose(void);

#endif
