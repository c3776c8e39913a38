/*
 * base/clock.c - wall and monotonic clocks, with a fake wall clock for tests.
 */
#include "base/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/str.h"

static _Atomic int64_t fake_ms = -1;

int64_t clock_now_ms(void)
{
	struct timespec ts;
	int64_t f = atomic_load(&fake_ms);

	if (f >= 0)
		return f;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now(void)
{
	return clock_now_ms() / 1000;
}

void clock_set_fake_ms(int64_t ms)
{
	atomic_store(&fake_ms, ms);
}

void clock_advance_ms(int64_t ms)
{
	atomic_fetch_add(&fake_ms, ms);
}

void clock_init_from_env(void)
{
	const char *s = getenv("ROOTCUT_FAKE_NOW");
	int64_t v;

	if (s && str_to_int64(s, 0, INT64_MAX / 1000, &v) == 0)
		clock_set_fake_ms(v * 1000);
}

int64_t clock_mono_ms(void)
{
	return clock_mono_us() / 1000;
}

int64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_format_iso(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void clock_format_iso_s(int64_t s, char *out, size_t size)
{
	time_t t = (time_t)s;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
