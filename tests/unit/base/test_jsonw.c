/*
 * tests/unit/base/test_jsonw.c - the streaming JSON writer (src/base/jsonw.c):
 * its output is byte for byte jansson's json_dumps(JSON_COMPACT |
 * JSON_ENSURE_ASCII) for the same values, parses back through jansson to the
 * same strings, replaces bytes that are not UTF-8 by U+FFFD, and stops at a
 * buffer's size limit.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jsonw.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define DUMP_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

/* jansson's text for the string s (len bytes), which must be valid UTF-8. */
static char *jansson_string(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	char *text;

	cr_assert_not_null(j, "jansson refuses the test string (%zu bytes)", len);
	text = json_dumps(j, DUMP_FLAGS);
	json_decref(j);
	return text;
}

/* jsonw's text for the string s, as a new buffer. */
static void jsonw_text(struct buf *out, const char *s, size_t len)
{
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_stringn(&w, s, len);
	cr_assert_eq(jsonw_finish(&w), 0, "jsonw_finish after one string");
}

/* The writer's text parses back to exactly the input, and equals jansson's text. */
static void check_string(const char *s, size_t len, const char *what)
{
	struct buf out = BUF_INIT;
	char *want = jansson_string(s, len);
	json_error_t e;
	json_t *back;

	jsonw_text(&out, s, len);
	cr_expect_str_eq(out.s, want, "%s: jsonw wrote %s, jansson %s", what, out.s, want);
	back = json_loadb(out.s, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
	cr_assert_not_null(back, "%s: jansson cannot parse %s: %s", what, out.s, e.text);
	cr_expect_eq(json_string_length(back), len, "%s: %zu bytes back, %zu written", what,
		json_string_length(back), len);
	cr_expect(memcmp(json_string_value(back), s, len) == 0, "%s: other bytes back", what);
	json_decref(back);
	free(want);
	buf_release(&out);
}

Test(jsonw, tricky_strings)
{
	static const struct {
		const char *s;
		size_t len;
		const char *what;
	} cases[] = {
		{ "", 0, "empty" },
		{ "plain ascii 123", 15, "ascii" },
		{ "\"", 1, "a quote" },
		{ "\\", 1, "a backslash" },
		{ "a\"b\\c\"\"\\\\", 10, "quotes and backslashes" },
		{ "/path/to</script>", 17, "slash stays (no JSON_ESCAPE_SLASH)" },
		{ "\b\f\n\r\t", 5, "short escapes" },
		{ "\x01\x02\x1f\x0b\x0e", 5, "other controls as \\u00XX" },
		{ "\x7f", 1, "DEL passes" },
		{ "a\0b", 3, "NUL inside" },
		{ "\0", 1, "only NUL" },
		{ "臺灣高等檢察署", 21, "CJK" },
		{ "é ü ß", 8, "two-byte characters" },
		{ "\xc2\x80", 2, "U+0080, the first non-ASCII" },
		{ "\xdf\xbf", 2, "U+07FF" },
		{ "\xe0\xa0\x80", 3, "U+0800" },
		{ "\xef\xbf\xbf", 3, "U+FFFF" },
		{ "\xef\xbb\xbf", 3, "a BOM" },
		{ "\xe2\x80\xa8\xe2\x80\xa9", 6, "line and paragraph separators" },
		{ "😀", 4, "an emoji: a surrogate pair" },
		{ "\xf0\x90\x80\x80", 4, "U+10000" },
		{ "\xf4\x8f\xbf\xbf", 4, "U+10FFFF" },
		{ "對方LINE ID是abc123，叫我匯到中信822-1234567890", 57, "mixed" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_string(cases[i].s, cases[i].len, cases[i].what);
}

Test(jsonw, every_control_character)
{
	for (int c = 0; c < 0x20; c++) {
		char s[3] = { 'x', (char)c, 'y' };
		check_string(s, sizeof(s), "a control character");
	}
}

/* Every code point, in strings of 512, in one and the other order against the stage size. */
Test(jsonw, every_code_point)
{
	struct buf s = BUF_INIT;
	uint32_t cp = 0;

	while (cp <= 0x10FFFF) {
		buf_reset(&s);
		for (int k = 0; k < 512 && cp <= 0x10FFFF; cp++) {
			unsigned char u[4];
			size_t n;
			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			if (cp < 0x80) {
				u[0] = (unsigned char)cp, n = 1;
			} else if (cp < 0x800) {
				u[0] = (unsigned char)(0xC0 | cp >> 6);
				u[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
			} else if (cp < 0x10000) {
				u[0] = (unsigned char)(0xE0 | cp >> 12);
				u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
				u[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
			} else {
				u[0] = (unsigned char)(0xF0 | cp >> 18);
				u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
				u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
				u[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
			}
			buf_add(&s, u, n);
			k++;
		}
		check_string(s.s, s.len, "a run of code points");
	}
	buf_release(&s);
}

/* Long plain runs and escapes on both sides of the writer's 256-byte stage. */
Test(jsonw, long_strings)
{
	for (size_t len = 240; len < 800; len += 7) {
		char *s = malloc(len);
		for (size_t i = 0; i < len; i++)
			s[i] = (char)("abc\"\\\n/\x01"[i % 8 == 0 ? (i / 8) % 8 : 0]);
		check_string(s, len, "a long string with escapes");
		memset(s, 'z', len);
		check_string(s, len, "a long plain string");
		for (size_t i = 0; i + 3 <= len; i += 3)
			memcpy(s + i, "\xe6\xb8\xac", 3); /* 測 */
		check_string(s, len - len % 3, "a long CJK string");
		free(s);
	}
}

/* Bytes that are not UTF-8 become \uFFFD, one per byte; the text stays valid. */
Test(jsonw, invalid_utf8)
{
	static const struct {
		const char *s;
		size_t len;
		const char *want;
	} cases[] = {
		{ "\x80", 1, "\"\\uFFFD\"" },
		{ "a\xbfz", 3, "\"a\\uFFFDz\"" },
		{ "\xc0\xaf", 2, "\"\\uFFFD\\uFFFD\"" },         /* overlong '/' */
		{ "\xc1\xbf", 2, "\"\\uFFFD\\uFFFD\"" },         /* overlong */
		{ "\xe0\x80\xaf", 3, "\"\\uFFFD\\uFFFD\\uFFFD\"" }, /* overlong, three bytes */
		{ "\xed\xa0\x80", 3, "\"\\uFFFD\\uFFFD\\uFFFD\"" }, /* a surrogate, U+D800 */
		{ "\xf4\x90\x80\x80", 4, "\"\\uFFFD\\uFFFD\\uFFFD\\uFFFD\"" }, /* above U+10FFFF */
		{ "\xf5\x80", 2, "\"\\uFFFD\\uFFFD\"" },
		{ "\xff", 1, "\"\\uFFFD\"" },
		{ "\xe4\xb8", 2, "\"\\uFFFD\\uFFFD\"" },         /* truncated at the end */
		{ "\xe4\xb8x", 3, "\"\\uFFFD\\uFFFDx\"" },       /* truncated in the middle */
		{ "\xe4\xb8\xad\xe4", 4, "\"\\u4E2D\\uFFFD\"" }, /* good, then a stray lead byte */
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf out = BUF_INIT;
		json_error_t e;
		json_t *back;

		jsonw_text(&out, cases[i].s, cases[i].len);
		cr_expect_str_eq(out.s, cases[i].want, "case %zu: %s, expected %s", i, out.s,
			cases[i].want);
		back = json_loadb(out.s, out.len, JSON_DECODE_ANY, &e);
		cr_expect_not_null(back, "case %zu: %s does not parse: %s", i, out.s, e.text);
		json_decref(back);
		buf_release(&out);
	}
}

Test(jsonw, integers_booleans_null)
{
	static const int64_t values[] = { 0, 1, -1, 9, 10, -10, 1234567890, INT32_MAX,
		INT32_MIN, INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	struct buf out = BUF_INIT;
	json_t *want = json_array();
	struct jsonw w;
	char *text;

	jsonw_init(&w, &out);
	jsonw_array_open(&w);
	for (size_t i = 0; i < N_ELEMS(values); i++) {
		jsonw_int(&w, values[i]);
		json_array_append_new(want, json_integer(values[i]));
	}
	jsonw_bool(&w, true);
	jsonw_bool(&w, false);
	jsonw_null(&w);
	jsonw_string(&w, NULL);
	jsonw_array_close(&w);
	cr_assert_eq(jsonw_finish(&w), 0, "jsonw_finish");
	json_array_append_new(want, json_true());
	json_array_append_new(want, json_false());
	json_array_append_new(want, json_null());
	json_array_append_new(want, json_null());
	text = json_dumps(want, DUMP_FLAGS);
	cr_expect_str_eq(out.s, text, "jsonw %s, jansson %s", out.s, text);
	free(text);
	json_decref(want);
	buf_release(&out);
}

/* A document shaped like GET /api/v1/session: nesting, empty containers, every kind of value. */
Test(jsonw, document_matches_jansson)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	json_t *want;
	char *text;

	want = json_pack("{s:{s:I,s:s,s:[s,s],s:[],s:{},s:b,s:n,s:s?},s:[{s:I},{s:s}],s:s,s:[[],[{}]]}",
		"user", "id", (json_int_t)7, "name", "管理者 \"admin\"", "roles", "admin", "auditor",
		"none", "empty", "ok", 1, "nothing", "also", NULL, "items", "n", (json_int_t)-3,
		"k\tey", "v\nal", "via", "token", "deep");
	cr_assert_not_null(want, "json_pack");
	jsonw_init(&w, &out);
	jsonw_object_open(&w);
	jsonw_key(&w, "user");
	jsonw_object_open(&w);
	jsonw_key_int(&w, "id", 7);
	jsonw_key_string(&w, "name", "管理者 \"admin\"");
	jsonw_key(&w, "roles");
	jsonw_array_open(&w);
	jsonw_string(&w, "admin");
	jsonw_string(&w, "auditor");
	jsonw_array_close(&w);
	jsonw_key(&w, "none");
	jsonw_array_open(&w);
	jsonw_array_close(&w);
	jsonw_key(&w, "empty");
	jsonw_object_open(&w);
	jsonw_object_close(&w);
	jsonw_key_bool(&w, "ok", true);
	jsonw_key_null(&w, "nothing");
	jsonw_key_string(&w, "also", NULL);
	jsonw_object_close(&w);
	jsonw_key(&w, "items");
	jsonw_array_open(&w);
	jsonw_object_open(&w);
	jsonw_key_int(&w, "n", -3);
	jsonw_object_close(&w);
	jsonw_object_open(&w);
	jsonw_key_string(&w, "k\tey", "v\nal");
	jsonw_object_close(&w);
	jsonw_array_close(&w);
	jsonw_key_string(&w, "via", "token");
	jsonw_key(&w, "deep");
	jsonw_array_open(&w);
	jsonw_array_open(&w);
	jsonw_array_close(&w);
	jsonw_array_open(&w);
	jsonw_object_open(&w);
	jsonw_object_close(&w);
	jsonw_array_close(&w);
	jsonw_array_close(&w);
	jsonw_object_close(&w);
	cr_assert_eq(jsonw_finish(&w), 0, "jsonw_finish");
	text = json_dumps(want, DUMP_FLAGS);
	cr_expect_str_eq(out.s, text, "\njsonw   %s\njansson %s", out.s, text);
	free(text);
	json_decref(want);
	buf_release(&out);
}

/* The writer appends: what the buffer held stays in front. */
Test(jsonw, appends_to_the_buffer)
{
	struct buf out = BUF_INIT;
	struct jsonw w;

	buf_adds(&out, "data: ");
	jsonw_init(&w, &out);
	jsonw_object_open(&w);
	jsonw_key_int(&w, "a", 1);
	jsonw_object_close(&w);
	cr_assert_eq(jsonw_finish(&w), 0, "jsonw_finish");
	cr_expect_str_eq(out.s, "data: {\"a\":1}", "got %s", out.s);
	buf_release(&out);
}

Test(jsonw, escape_without_quotes)
{
	struct buf out = BUF_INIT;

	cr_assert_eq(jsonw_escape(&out, "a\"\n臺", strlen("a\"\n臺")), 0, "jsonw_escape");
	cr_expect_str_eq(out.s, "a\\\"\\n\\u81FA", "got %s", out.s);
	buf_release(&out);
}

static int write_limited(struct buf *out)
{
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_object_open(&w);
	jsonw_key_string(&w, "name", "臺灣 \"x\" and a longer tail");
	jsonw_key_int(&w, "n", 123456);
	jsonw_object_close(&w);
	return jsonw_finish(&w);
}

/* A buffer with a maximum size: ERR_LIMIT, sticky, and nothing past the limit. */
Test(jsonw, size_limit)
{
	struct buf full = BUF_INIT;

	cr_assert_eq(write_limited(&full), 0, "without a limit");
	for (size_t max = 1; max < full.len + 5; max++) {
		struct buf out;
		int ret;

		buf_init(&out, max);
		ret = write_limited(&out);
		cr_expect(out.len <= max, "max %zu: wrote %zu bytes", max, out.len);
		if (max >= full.len)
			cr_expect(ret == 0 && !strcmp(out.s, full.s), "max %zu: %d %s", max, ret, out.s);
		else
			cr_expect_eq(ret, ERR_LIMIT, "max %zu: %d, not ERR_LIMIT", max, ret);
		buf_release(&out);
	}
	buf_release(&full);
}

Test(jsonw, unbalanced_is_an_error)
{
	struct buf out = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &out);
	jsonw_object_open(&w);
	jsonw_key(&w, "a");
	jsonw_array_open(&w);
	cr_expect_eq(jsonw_finish(&w), ERR_INTERNAL, "open containers are reported");
	buf_release(&out);
}
