/*
 * base/clock.c - wall and monotonic clocks, with a fake wall clock for tests.
 */
#include "base/clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"

static _Atomic int64_t fake_ms = -1;
/* ROOTCUT_FAKE_NOW_FILE, test only: set once at start, before any thread. */
static char fake_file[512];

/* The seconds in fake_file into fake_ms; an unreadable or bad file changes nothing. */
static void read_fake_file(void)
{
	char text[32];
	FILE *f = fopen(fake_file, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	int64_t v;

	if (f)
		fclose(f);
	text[n] = '\0';
	text[strcspn(text, " \t\r\n")] = '\0';
	if (n && str_to_int64(text, 0, INT64_MAX / 1000, &v) == 0)
		atomic_store(&fake_ms, v * 1000);
}

int64_t clock_now_ms(void)
{
	struct timespec ts;
	int64_t f;

	if (fake_file[0])
		read_fake_file();
	f = atomic_load(&fake_ms);

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
	s = getenv("ROOTCUT_FAKE_NOW_FILE");
	if (s && *s && strlen(s) < sizeof(fake_file)) {
		snprintf(fake_file, sizeof(fake_file), "%s", s);
		read_fake_file();
	}
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

/*
 * Timestamps are formatted on every request (the access log, token and
 * session checks), so without gmtime_r() and snprintf(): the civil date comes
 * from Howard Hinnant's days_from_civil inverse, the digits are written
 * directly. Years outside 0..9999, negative milliseconds and short buffers
 * take the old snprintf() path, so the output is the same in every case.
 */
static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/*
 * "YYYY-MM-DDTHH:MM:SS" of s into out (19 bytes, no NUL); false outside the
 * years 0000 to 9999 (|s| below 2^50 keeps the arithmetic exact).
 */
static bool format_seconds(int64_t s, char *out)
{
	int64_t days, z, era, y;
	unsigned sod, doe, yoe, doy, mp, d, m;

	if (s < -(INT64_C(1) << 50) || s > (INT64_C(1) << 50))
		return false;
	days = s / 86400 - (s % 86400 < 0); /* rounded down, also before 1970 */
	sod = (unsigned)(s - days * 86400);
	z = days + 719468; /* days since 0000-03-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = (int64_t)yoe + era * 400 + (m <= 2);
	if (y < 0 || y > 9999)
		return false;
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, sod / 3600);
	out[13] = ':';
	put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	put2(out + 17, sod % 60);
	return true;
}

void clock_format_iso(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	unsigned frac = (unsigned)(ms % 1000);

	if (ms >= 0 && size >= 25 && format_seconds(ms / 1000, out)) {
		out[19] = '.';
		out[20] = (char)('0' + frac / 100);
		put2(out + 21, frac % 100);
		out[23] = 'Z';
		out[24] = '\0';
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

void clock_format_iso_s(int64_t s, char *out, size_t size)
{
	time_t t = (time_t)s;
	struct tm tm;

	if (size >= 21 && format_seconds(s, out)) {
		out[19] = 'Z';
		out[20] = '\0';
		return;
	}
	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
