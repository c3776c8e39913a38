/*
 * base/log.c - levelled log lines with an ISO 8601 UTC time stamp.
 */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"

static enum log_level min_level = LOG_INFO;
static const char *const names[] = { "debug", "info", "warn", "error" };

void log_set_level(enum log_level level)
{
	min_level = level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char stamp[32];
	char line[2048];
	va_list ap;

	if (level < min_level)
		return;
	clock_format_iso(clock_now_ms(), stamp, sizeof(stamp));
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf per line keeps lines from different threads whole. */
	fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}
