/*
 * tests/unit/base/test_buf.c - growable byte strings (src/base/buf.c): the
 * BUF_INIT invariants, growth, the size limit that guards outside input, JSON
 * escaping, detaching and reading lines.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

Test(buf, init_is_empty_and_terminated)
{
	struct buf b = BUF_INIT;
	struct buf c;

	cr_assert_not_null(b.s, "BUF_INIT: s is NULL");
	cr_assert_str_eq(b.s, "", "BUF_INIT: s is '%s'", b.s);
	cr_assert_eq(b.len, 0, "BUF_INIT: len %zu", b.len);
	buf_init(&c, 7);
	cr_assert_str_eq(c.s, "", "buf_init: s is '%s'", c.s);
	cr_assert_eq(c.max, 7, "buf_init(7): max %zu", c.max);
	/* Releasing and resetting a never-grown buffer is harmless. */
	buf_reset(&b);
	buf_release(&b);
	cr_assert_str_eq(b.s, "", "release of an empty buffer: s is '%s'", b.s);
}

Test(buf, appends)
{
	static const struct {
		const char *parts[4];
		const char *want;
	} cases[] = {
		{ { "", NULL }, "" },
		{ { "a", NULL }, "a" },
		{ { "ab", "", "cd", NULL }, "abcd" },
		{ { "臺灣", "高檢署", NULL }, "臺灣高檢署" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf b = BUF_INIT;
		for (const char *const *p = cases[i].parts; *p; p++)
			cr_assert_eq(buf_adds(&b, *p), 0, "buf_adds('%s')", *p);
		cr_expect_str_eq(b.s, cases[i].want, "appends → '%s', expected '%s'", b.s,
			cases[i].want);
		cr_expect_eq(b.len, strlen(cases[i].want), "appends → '%s': len %zu", cases[i].want,
			b.len);
		buf_release(&b);
	}
}

Test(buf, add_binary_and_char)
{
	struct buf b = BUF_INIT;
	static const char bytes[] = { 'x', '\0', 'y' };

	cr_assert_eq(buf_add(&b, bytes, sizeof(bytes)), 0, "buf_add of 3 bytes with a NUL");
	cr_assert_eq(b.len, 3, "buf_add of 'x\\0y': len %zu", b.len);
	cr_assert_eq(memcmp(b.s, bytes, 3), 0, "buf_add of 'x\\0y': bytes differ");
	cr_assert_eq(b.s[3], '\0', "buf_add of 'x\\0y': not NUL-terminated");
	cr_assert_eq(buf_addch(&b, 'z'), 0, "buf_addch('z')");
	cr_assert_eq(b.len, 4, "buf_addch('z'): len %zu", b.len);
	cr_assert_eq(b.s[3], 'z', "buf_addch('z'): got '%c'", b.s[3]);
	buf_release(&b);
}

Test(buf, addf_formats)
{
	static const struct {
		int n;
		const char *s;
		const char *want;
	} cases[] = {
		{ 0, "", "0:" },
		{ -12, "x", "-12:x" },
		{ 2147483647, "高檢署", "2147483647:高檢署" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf b = BUF_INIT;
		cr_assert_eq(buf_addf(&b, "%d:%s", cases[i].n, cases[i].s), 0, "buf_addf(%d, '%s')",
			cases[i].n, cases[i].s);
		cr_expect_str_eq(b.s, cases[i].want, "buf_addf(%d, '%s') → '%s'", cases[i].n,
			cases[i].s, b.s);
		buf_release(&b);
	}
}

Test(buf, grows_past_many_doublings)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < 100000; i++)
		cr_assert_eq(buf_addf(&b, "%d,", i % 10), 0, "append %d", i);
	cr_assert_eq(b.len, 200000, "100000 appends of 2 bytes: len %zu", b.len);
	for (size_t i = 0; i < b.len; i += 2)
		cr_assert_eq(b.s[i], (char)('0' + (i / 2) % 10), "byte %zu is '%c'", i, b.s[i]);
	cr_assert_eq(b.s[b.len], '\0', "200000 bytes: not NUL-terminated");
	buf_release(&b);
}

Test(buf, limit_refuses_and_keeps_contents)
{
	struct buf b;

	buf_init(&b, 8);
	cr_assert_eq(buf_adds(&b, "12345678"), 0, "8 bytes into max 8");
	cr_assert_eq(buf_addch(&b, '9'), ERR_LIMIT, "9th byte into max 8 accepted");
	cr_assert_str_eq(b.s, "12345678", "after refused addch: '%s'", b.s);
	cr_assert_eq(buf_adds(&b, "abc"), ERR_LIMIT, "3 more bytes into a full max-8 buffer");
	cr_assert_eq(buf_addf(&b, "%s", "q"), ERR_LIMIT, "buf_addf into a full max-8 buffer");
	cr_assert_str_eq(b.s, "12345678", "after refused adds/addf: '%s'", b.s);
	cr_assert_eq(b.len, 8, "after refusals: len %zu", b.len);
	buf_reset(&b);
	cr_assert_eq(buf_adds(&b, "abcdefgh"), 0, "8 bytes after reset into max 8");
	buf_release(&b);
	cr_assert_eq(b.max, 8, "buf_release keeps max: %zu", b.max);
	cr_assert_eq(buf_adds(&b, "123456789"), ERR_LIMIT, "9 bytes after release into max 8");
	cr_assert_str_eq(b.s, "", "refused first growth leaves '%s'", b.s);
}

Test(buf, grow_refuses_overflowing_sizes)
{
	struct buf b = BUF_INIT;

	cr_assert_eq(buf_grow(&b, SIZE_MAX), ERR_LIMIT, "buf_grow(SIZE_MAX)");
	cr_assert_eq(buf_grow(&b, SIZE_MAX / 2 + 1), ERR_LIMIT, "buf_grow(SIZE_MAX/2+1)");
	cr_assert_eq(buf_adds(&b, "ok"), 0, "buffer usable after refused growth");
	buf_release(&b);
}

Test(buf, reset_keeps_allocation)
{
	struct buf b = BUF_INIT;
	char *before;

	buf_adds(&b, "some text");
	before = b.s;
	buf_reset(&b);
	cr_assert_eq(b.len, 0, "reset: len %zu", b.len);
	cr_assert_str_eq(b.s, "", "reset: s '%s'", b.s);
	cr_assert_eq(b.s, before, "reset moved the allocation");
	buf_release(&b);
}

Test(buf, json_escaping)
{
	static const struct {
		const char *in;
		const char *want;
	} cases[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "say \"hi\"", "say \\\"hi\\\"" },
		{ "back\\slash", "back\\\\slash" },
		{ "line\nbreak", "line\\u000abreak" },
		{ "tab\there", "tab\\u0009here" },
		{ "\x01\x1f", "\\u0001\\u001f" },
		{ "\x7f", "\x7f" },
		{ "</script>", "</script>" },
		{ "臺灣", "臺灣" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf b = BUF_INIT;
		cr_assert_eq(buf_add_json_escaped(&b, cases[i].in), 0, "escape '%s'", cases[i].in);
		cr_expect_str_eq(b.s, cases[i].want, "escape '%s' → '%s', expected '%s'",
			cases[i].in, b.s, cases[i].want);
		buf_release(&b);
	}
}

Test(buf, json_escaping_respects_limit)
{
	struct buf b;

	buf_init(&b, 4);
	cr_assert_eq(buf_add_json_escaped(&b, "\n"), ERR_LIMIT, "escape '\\n' (6 bytes) into max 4");
	buf_release(&b);
}

Test(buf, detach_hands_over_the_bytes)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	cr_assert_str_eq(s, "hello", "detach 'hello' → '%s'", s);
	cr_assert_eq(len, 5, "detach 'hello': len %zu", len);
	cr_assert_str_eq(b.s, "", "after detach the buffer holds '%s'", b.s);
	cr_assert_eq(b.len, 0, "after detach len %zu", b.len);
	free(s);

	/* An empty buffer still gives a string the caller may free. */
	s = buf_detach(&b, &len);
	cr_assert_str_eq(s, "", "detach of empty → '%s'", s);
	cr_assert_eq(len, 0, "detach of empty: len %zu", len);
	cr_assert_neq(s, buf_empty, "detach of empty returned the shared static string");
	free(s);
	s = buf_detach(&b, NULL);
	free(s);
}

Test(buf, getline_splits_lines)
{
	static const struct {
		const char *text;
		const char *lines[5];
	} cases[] = {
		{ "", { NULL } },
		{ "one", { "one", NULL } },
		{ "one\n", { "one", NULL } },
		{ "a\nb\r\n\nlast", { "a", "b", "", "last", NULL } },
		{ "\r\n", { "", NULL } },
		{ "x\ry\n", { "x\ry", NULL } },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf b = BUF_INIT;
		size_t n = 0;
		int ret;
		/* glibc's fmemopen refuses a zero-sized buffer: read empty input from /dev/null. */
		FILE *f = *cases[i].text
			? fmemopen((void *)cases[i].text, strlen(cases[i].text), "r")
			: fopen("/dev/null", "r");

		cr_assert_not_null(f, "fmemopen for case %zu", i);
		while ((ret = buf_getline(&b, f)) == 0) {
			cr_assert_not_null(cases[i].lines[n], "text %zu: extra line '%s'", i, b.s);
			cr_expect_str_eq(b.s, cases[i].lines[n], "text %zu line %zu: '%s', expected '%s'",
				i, n, b.s, cases[i].lines[n]);
			n++;
		}
		cr_expect_eq(ret, ERR_EOF, "text %zu ends with %d, not ERR_EOF", i, ret);
		cr_expect_null(cases[i].lines[n], "text %zu: line %zu '%s' missing", i, n,
			cases[i].lines[n]);
		fclose(f);
		buf_release(&b);
	}
}

Test(buf, getline_limit)
{
	static const char text[] = "short\nthis line is too long\nok\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct buf b;

	buf_init(&b, 10);
	cr_assert_eq(buf_getline(&b, f), 0, "line 'short' under max 10");
	cr_assert_str_eq(b.s, "short", "first line '%s'", b.s);
	cr_assert_eq(buf_getline(&b, f), ERR_LIMIT, "21-byte line under max 10 accepted");
	fclose(f);
	buf_release(&b);
}
