/*
 * tests/unit/base/test_clock.c - the wall clock and its fake for tests
 * (src/base/clock.c): freezing, advancing, ROOTCUT_FAKE_NOW, ISO 8601 output.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

Test(clock, fake_clock_freezes_and_advances)
{
	clock_set_fake_ms(1700000000123);
	cr_assert_eq(clock_now_ms(), 1700000000123, "frozen at 1700000000123: %lld",
		(long long)clock_now_ms());
	cr_assert_eq(clock_now(), 1700000000, "frozen seconds: %lld", (long long)clock_now());
	clock_advance_ms(877);
	cr_assert_eq(clock_now_ms(), 1700000001000, "advanced by 877: %lld",
		(long long)clock_now_ms());
	clock_advance_ms(86400000);
	cr_assert_eq(clock_now(), 1700086401, "advanced a day: %lld", (long long)clock_now());
	clock_set_fake_ms(0);
	cr_assert_eq(clock_now_ms(), 0, "frozen at the epoch: %lld", (long long)clock_now_ms());
}

Test(clock, real_clock_after_fake)
{
	int64_t now;

	clock_set_fake_ms(5000);
	clock_set_fake_ms(-1);
	now = clock_now();
	cr_assert(now >= (int64_t)time(NULL) - 1 && now <= (int64_t)time(NULL) + 1,
		"real clock %lld is not time() %lld", (long long)now, (long long)time(NULL));
}

Test(clock, fake_now_from_environment)
{
	static const struct {
		const char *env;
		int64_t want_ms; /* -1: the real clock stays */
	} cases[] = {
		{ "1234", 1234000 },
		{ "0", 0 },
		{ "1700000000", 1700000000000 },
		{ "-5", -1 },
		{ "12x", -1 },
		{ "", -1 },
		{ "99999999999999999", -1 }, /* would overflow in milliseconds */
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		clock_set_fake_ms(-1);
		setenv("ROOTCUT_FAKE_NOW", cases[i].env, 1);
		clock_init_from_env();
		if (cases[i].want_ms >= 0)
			cr_expect_eq(clock_now_ms(), cases[i].want_ms,
				"ROOTCUT_FAKE_NOW='%s' → %lld ms, expected %lld", cases[i].env,
				(long long)clock_now_ms(), (long long)cases[i].want_ms);
		else
			cr_expect(clock_now() > 1600000000,
				"ROOTCUT_FAKE_NOW='%s' should be ignored, clock at %lld", cases[i].env,
				(long long)clock_now());
	}
	unsetenv("ROOTCUT_FAKE_NOW");
}

Test(clock, iso_formats)
{
	static const struct {
		int64_t ms;
		const char *iso, *iso_s;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z" },
		{ 1700000000123, "2023-11-14T22:13:20.123Z", "2023-11-14T22:13:20Z" },
		{ 951782400999, "2000-02-29T00:00:00.999Z", "2000-02-29T00:00:00Z" },
		{ 4102444799000, "2099-12-31T23:59:59.000Z", "2099-12-31T23:59:59Z" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char out[32];
		clock_format_iso(cases[i].ms, out, sizeof(out));
		cr_expect_str_eq(out, cases[i].iso, "clock_format_iso(%lld) = '%s', expected '%s'",
			(long long)cases[i].ms, out, cases[i].iso);
		clock_format_iso_s(cases[i].ms / 1000, out, sizeof(out));
		cr_expect_str_eq(out, cases[i].iso_s, "clock_format_iso_s(%lld) = '%s', expected '%s'",
			(long long)cases[i].ms / 1000, out, cases[i].iso_s);
	}
}

/* The direct formatting agrees with gmtime_r() + snprintf() from year 0 to 9999, and beyond. */
static void reference_iso_s(int64_t s, char *out, size_t size)
{
	time_t t = (time_t)s;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Test(clock, iso_matches_gmtime)
{
	static const int64_t edges[] = { 0, 59, 60, 86399, 86400, 68169600 /* 1972-02-29 */,
		951782399, 951782400, 951868800, 978307199, 4107542400 /* 2100-03-01 */,
		4107455999, 253402300799 /* 9999-12-31T23:59:59 */, 253402300800, 253402300801,
		-1, -86400, -86401, -2208988800 /* 1900-01-01 */, -2203891200 /* 1900-03-01 */,
		-62167219200 /* 0000-01-01 */, -62167219201, -951782400 };
	uint64_t x = 88172645463325252ULL;
	char got[32], want[32], got_ms[32];

	for (size_t i = 0; i < N_ELEMS(edges) + 200000; i++) {
		int64_t s;
		if (i < N_ELEMS(edges)) {
			s = edges[i];
		} else {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
			/* From year 0 to 9999: before 1970 too (a lookup cutoff 100 years back). */
			s = (int64_t)(x % (253402300800ULL + 62167219200ULL)) - 62167219200LL;
		}
		clock_format_iso_s(s, got, sizeof(got));
		reference_iso_s(s, want, sizeof(want));
		cr_assert_str_eq(got, want, "clock_format_iso_s(%lld) = '%s', gmtime says '%s'",
			(long long)s, got, want);
		if (s >= 0 && s < 253402300800) { /* the fraction follows four-digit years */
			clock_format_iso(s * 1000 + 7, got_ms, sizeof(got_ms));
			cr_assert(!strncmp(got_ms, want, 19) && !strcmp(got_ms + 19, ".007Z"),
				"clock_format_iso(%lld) = '%s'", (long long)s * 1000 + 7, got_ms);
		}
	}
	/* A short buffer is cut as snprintf cuts. */
	clock_format_iso_s(0, got, 11);
	cr_expect_str_eq(got, "1970-01-01", "short buffer: '%s'", got);
}

Test(clock, iso_text_orders_like_time)
{
	/* Stored timestamps are compared as text in SQL: the order must match. */
	static const int64_t s[] = { 0, 9, 59, 60, 3599, 86399, 86400, 951782400, 1700000000,
		4102444799 };

	for (size_t i = 0; i + 1 < N_ELEMS(s); i++) {
		char a[32], b[32];
		clock_format_iso_s(s[i], a, sizeof(a));
		clock_format_iso_s(s[i + 1], b, sizeof(b));
		cr_expect(strcmp(a, b) < 0, "'%s' (%lld) does not sort before '%s' (%lld)", a,
			(long long)s[i], b, (long long)s[i + 1]);
	}
}

Test(clock, monotonic_does_not_go_back)
{
	int64_t prev = clock_mono_us();

	clock_set_fake_ms(0); /* the fake wall clock does not affect the monotonic one */
	for (int i = 0; i < 1000; i++) {
		int64_t now = clock_mono_us();
		cr_assert(now >= prev, "monotonic clock went back from %lld to %lld", (long long)prev,
			(long long)now);
		prev = now;
	}
	cr_assert(clock_mono_ms() > 0, "clock_mono_ms() = %lld", (long long)clock_mono_ms());
}
