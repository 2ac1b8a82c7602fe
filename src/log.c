/* SPDX-License-Identifier: MIT */
/* log.c - see log.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "log.h"

/* The only mutable globals in rtmon (STYLE.md): log level and target. */
static int log_to_journal;
static int log_level = LOG_INFO;

static int stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_init(enum rtmon_log_target target, int verbose)
{
	log_to_journal = target == RTMON_LOG_JOURNAL || (target == RTMON_LOG_AUTO && stderr_is_journal());
	log_level = verbose > 0 ? LOG_DEBUG : LOG_INFO;
}

int log_verbose(void)
{
	return log_level >= LOG_DEBUG;
}

void log_vmsg(int priority, const char *fmt, va_list ap)
{
	char buf[2048];

	if (priority > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* Never let a message forge extra lines: fold control characters. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if (log_to_journal &&
	    sd_journal_send("MESSAGE=%s", buf, "PRIORITY=%d", priority, "SYSLOG_IDENTIFIER=rtmon", NULL) >= 0)
		return;
	fprintf(stderr, "rtmon: %s\n", buf);
}

static void log_msg(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(priority, fmt, ap);
	va_end(ap);
}

static void log_with_errno(int priority, int err, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_msg(priority, "%s: %s", buf, strerror(err));
}

void log_warn(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_WARNING, err, fmt, ap);
	va_end(ap);
}

void log_errno(int neg_errno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_ERR, -neg_errno, fmt, ap);
	va_end(ap);
}

#define LOG_FN(name, prio)               \
	void name(const char *fmt, ...)  \
	{                                \
		va_list ap;              \
		va_start(ap, fmt);       \
		log_vmsg(prio, fmt, ap); \
		va_end(ap);              \
	}
LOG_FN(log_crit, LOG_CRIT)
LOG_FN(log_err, LOG_ERR)
LOG_FN(log_warnx, LOG_WARNING)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_notice, LOG_NOTICE)
LOG_FN(log_debug, LOG_DEBUG)

void fatal(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_CRIT, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
