/*
 * incident/duration.c - spans of time in the policy file ("2h", "1h30m",
 * "1mo") and adding them to a time: seconds plus calendar months, because
 * "within one month" (seed 003 §5.2) is not a fixed number of seconds.
 */
#include "incident/incident.h"

#include <string.h>
#include <time.h>

#include "base/err.h"

/* Seconds of one unit at s (its length in *n), 0 for months, -1 when unknown. */
static int64_t unit_seconds(const char *s, size_t *n)
{
	static const struct {
		const char *name;
		int64_t seconds;
	} units[] = { { "mo", 0 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		*n = strlen(units[i].name);
		if (strncmp(s, units[i].name, *n) == 0)
			return units[i].seconds;
	}
	return -1;
}

bool incident_duration_none(const struct incident_duration *d)
{
	return d->seconds == 0 && d->months == 0;
}

int incident_duration_parse(const char *s, struct incident_duration *out)
{
	struct incident_duration d = { 0, 0 };
	const int64_t max_s = 10LL * 366 * 86400;

	if (strcmp(s, "none") == 0) {
		*out = d;
		return 0;
	}
	if (!*s)
		return ERR_INVAL;
	while (*s) {
		int64_t v = 0, unit;
		size_t n;
		if (*s < '0' || *s > '9')
			return ERR_INVAL;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s++ - '0');
			if (v > max_s)
				return ERR_INVAL;
		}
		unit = unit_seconds(s, &n);
		if (unit < 0)
			return ERR_INVAL;
		s += n;
		if (unit == 0 && v <= 120 && d.months + v <= 120)
			d.months += (int)v;
		else if (unit == 0 || v * unit > max_s - d.seconds)
			return ERR_INVAL;
		else
			d.seconds += v * unit;
	}
	if (incident_duration_none(&d))
		return ERR_INVAL; /* "0h": write none */
	*out = d;
	return 0;
}

void incident_duration_format(const struct incident_duration *d, char *out, size_t size)
{
	int64_t s = d->seconds;
	size_t len = 0;

	if (incident_duration_none(d)) {
		snprintf(out, size, "none");
		return;
	}
	out[0] = '\0';
	if (d->months)
		len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%dmo", d->months);
	if (s >= 86400 && s % 86400 == 0) {
		snprintf(out + len, size > len ? size - len : 0, "%lldd", (long long)(s / 86400));
		return;
	}
	if (s / 3600)
		len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%lldh",
			(long long)(s / 3600));
	if (s % 3600 / 60)
		len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%lldm",
			(long long)(s % 3600 / 60));
	if (s % 60)
		snprintf(out + len, size > len ? size - len : 0, "%llds", (long long)(s % 60));
}

int64_t incident_duration_add(int64_t from, const struct incident_duration *d)
{
	time_t t = (time_t)from;
	struct tm tm;
	int mday;

	if (incident_duration_none(d))
		return 0;
	if (d->months) {
		gmtime_r(&t, &tm);
		mday = tm.tm_mday;
		tm.tm_mon += d->months;
		tm.tm_mday = 1;
		t = timegm(&tm); /* normalises the month; then the day, capped at its last */
		gmtime_r(&t, &tm);
		for (int last = 31; last >= 28; last--) {
			struct tm probe = tm;
			probe.tm_mday = last;
			time_t pt = timegm(&probe);
			struct tm back;
			gmtime_r(&pt, &back);
			if (back.tm_mon == tm.tm_mon) {
				tm.tm_mday = mday < last ? mday : last;
				break;
			}
		}
		from = (int64_t)timegm(&tm);
	}
	return from + d->seconds;
}
