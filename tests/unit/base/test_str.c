/*
 * tests/unit/base/test_str.c - small string helpers (src/base/str.c): bounded
 * copy, prefixes, constant-time comparison, whole-string number parsing,
 * lower-casing and trimming.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

Test(str, copy_truncates_and_terminates)
{
	static const struct {
		const char *src;
		size_t size;
		const char *want;
	} cases[] = {
		{ "hello", 16, "hello" },
		{ "hello", 6, "hello" },
		{ "hello", 5, "hell" },
		{ "hello", 1, "" },
		{ "", 4, "" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char dst[32];
		size_t n;
		memset(dst, 'X', sizeof(dst));
		n = str_copy(dst, cases[i].size, cases[i].src);
		cr_expect_eq(n, strlen(cases[i].src), "str_copy('%s', %zu) returned %zu",
			cases[i].src, cases[i].size, n);
		cr_expect_str_eq(dst, cases[i].want, "str_copy('%s', %zu) → '%s', expected '%s'",
			cases[i].src, cases[i].size, dst, cases[i].want);
		cr_expect_eq(dst[cases[i].size], 'X', "str_copy('%s', %zu) wrote past the end",
			cases[i].src, cases[i].size);
	}
}

Test(str, copy_into_zero_size_writes_nothing)
{
	char dst[1] = { 'X' };

	cr_assert_eq(str_copy(dst, 0, "abc"), 3, "str_copy('abc', 0) return");
	cr_assert_eq(dst[0], 'X', "str_copy('abc', 0) wrote a byte");
}

Test(str, prefix_and_empty)
{
	static const struct {
		const char *s, *prefix;
		bool want;
	} cases[] = {
		{ "/api/v1/users", "/api/", true },
		{ "/api", "/api/", false },
		{ "abc", "", true },
		{ "", "", true },
		{ "", "a", false },
		{ "Bearer x", "bearer", false },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		cr_expect_eq(str_has_prefix(cases[i].s, cases[i].prefix), cases[i].want,
			"str_has_prefix('%s', '%s') should be %d", cases[i].s, cases[i].prefix,
			cases[i].want);
	cr_expect(str_empty(NULL), "str_empty(NULL)");
	cr_expect(str_empty(""), "str_empty(\"\")");
	cr_expect(!str_empty(" "), "str_empty(\" \") should be false");
}

Test(str, equal_constant_time)
{
	static const struct {
		const char *a, *b;
		bool want;
	} cases[] = {
		{ "", "", true },
		{ "abc", "abc", true },
		{ "abc", "abd", false },
		{ "abc", "ab", false },
		{ "ab", "abc", false },
		{ "", "a", false },
		{ "Abc", "abc", false },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		cr_expect_eq(str_equal_ct(cases[i].a, cases[i].b), cases[i].want,
			"str_equal_ct('%s', '%s') should be %d", cases[i].a, cases[i].b, cases[i].want);
}

Test(str, to_int64)
{
	static const struct {
		const char *s;
		int64_t min, max;
		int ret;
		int64_t want;
	} cases[] = {
		{ "0", 0, 10, 0, 0 },
		{ "10", 0, 10, 0, 10 },
		{ "11", 0, 10, ERR_INVAL, 0 },
		{ "-1", 0, 10, ERR_INVAL, 0 },
		{ "-5", -10, 10, 0, -5 },
		{ "+7", 0, 10, 0, 7 },
		{ "007", 0, 10, 0, 7 },
		{ "9223372036854775807", INT64_MIN, INT64_MAX, 0, INT64_MAX },
		{ "-9223372036854775808", INT64_MIN, INT64_MAX, 0, INT64_MIN },
		{ "9223372036854775808", INT64_MIN, INT64_MAX, ERR_INVAL, 0 },
		{ "-9223372036854775809", INT64_MIN, INT64_MAX, ERR_INVAL, 0 },
		{ "99999999999999999999999", INT64_MIN, INT64_MAX, ERR_INVAL, 0 },
		{ "", 0, 10, ERR_INVAL, 0 },
		{ " 1", 0, 10, ERR_INVAL, 0 },
		{ "1 ", 0, 10, ERR_INVAL, 0 },
		{ "\t1", 0, 10, ERR_INVAL, 0 },
		{ "1a", 0, 10, ERR_INVAL, 0 },
		{ "0x10", 0, 100, ERR_INVAL, 0 },
		{ "1e3", 0, 10000, ERR_INVAL, 0 },
		{ "1.0", 0, 10, ERR_INVAL, 0 },
		{ "-", 0, 10, ERR_INVAL, 0 },
		{ "+", 0, 10, ERR_INVAL, 0 },
		{ "１", 0, 10, ERR_INVAL, 0 },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t v = 4242;
		int ret = str_to_int64(cases[i].s, cases[i].min, cases[i].max, &v);
		cr_expect_eq(ret, cases[i].ret, "str_to_int64('%s', %lld..%lld) returned %d",
			cases[i].s, (long long)cases[i].min, (long long)cases[i].max, ret);
		if (cases[i].ret == 0)
			cr_expect_eq(v, cases[i].want, "str_to_int64('%s') → %lld, expected %lld",
				cases[i].s, (long long)v, (long long)cases[i].want);
		else
			cr_expect_eq(v, 4242, "str_to_int64('%s') failed but changed *out to %lld",
				cases[i].s, (long long)v);
	}
	cr_expect_eq(str_to_int64(NULL, 0, 10, &(int64_t){ 0 }), ERR_INVAL, "str_to_int64(NULL)");
}

Test(str, lower)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "ABC xyz 123", "abc xyz 123" },
		{ "Ünïcode 臺灣", "Ünïcode 臺灣" }, /* ASCII only: other bytes pass through */
		{ "@[`{", "@[`{" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char s[64];
		str_copy(s, sizeof(s), cases[i].in);
		str_lower(s);
		cr_expect_str_eq(s, cases[i].want, "str_lower('%s') → '%s'", cases[i].in, s);
	}
}

Test(str, trim)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "   ", "" },
		{ "x", "x" },
		{ "  x", "x" },
		{ "x  ", "x" },
		{ " \t\r\n key = value \r\n", "key = value" },
		{ "a b", "a b" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char s[64];
		char *r;
		str_copy(s, sizeof(s), cases[i].in);
		r = str_trim(s);
		cr_expect_eq(r, s, "str_trim('%s') did not return its argument", cases[i].in);
		cr_expect_str_eq(s, cases[i].want, "str_trim('%s') → '%s', expected '%s'",
			cases[i].in, s, cases[i].want);
	}
}
