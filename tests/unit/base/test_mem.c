/*
 * tests/unit/base/test_mem.c - allocation wrappers (src/base/mem.c): zero
 * sizes give freeable pointers, copies are terminated, and an array size that
 * overflows aborts instead of allocating too little.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "base/mem.h"

Test(mem, zero_sizes_are_freeable)
{
	void *a = xmalloc(0), *b = xcalloc(0, 8), *c = xcalloc(8, 0), *d = xrealloc(NULL, 0);

	cr_assert(a && b && c && d, "a zero-size allocation returned NULL");
	free(a);
	free(b);
	free(c);
	free(d);
}

Test(mem, calloc_zeroes_and_strings_copy)
{
	static const struct {
		const char *s;
		size_t n;
		const char *want;
	} cases[] = {
		{ "hello", 5, "hello" },
		{ "hello", 3, "hel" },
		{ "hello", 0, "" },
		{ "臺灣", 3, "臺" },
	};
	unsigned char *z = xcalloc(64, 4);

	for (size_t i = 0; i < 256; i++)
		cr_assert_eq(z[i], 0, "xcalloc byte %zu is %d", i, z[i]);
	free(z);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = xstrndup(cases[i].s, cases[i].n);
		cr_expect_str_eq(s, cases[i].want, "xstrndup('%s', %zu) = '%s'", cases[i].s,
			cases[i].n, s);
		free(s);
	}
	{
		char *s = xstrdup("abc");
		cr_expect_str_eq(s, "abc", "xstrdup('abc') = '%s'", s);
		free(s);
	}
}

Test(mem, reallocarray_grows)
{
	int *a = NULL;

	for (size_t n = 1; n <= 1000; n++) {
		a = xreallocarray(a, n, sizeof(*a));
		a[n - 1] = (int)n;
	}
	for (size_t n = 1; n <= 1000; n++)
		cr_assert_eq(a[n - 1], (int)n, "element %zu = %d after growth", n - 1, a[n - 1]);
	free(a);
}

Test(mem, reallocarray_overflow_aborts, .signal = SIGABRT)
{
	xreallocarray(NULL, SIZE_MAX / 4 + 1, 8);
}
