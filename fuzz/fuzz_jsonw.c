/*
 * fuzz/fuzz_jsonw.c - libFuzzer target for the JSON writer (src/base/jsonw.c).
 *
 * The input is written as a string value, as a member name and, split at its
 * first byte's position, as a small document; jansson must parse every text
 * back. Valid UTF-8 must come back byte for byte and the text must equal
 * jansson's own json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII). Input that is
 * not UTF-8 must come back with each bad byte replaced by U+FFFD, which this
 * file computes with jansson itself as the judge of what a valid sequence is.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jsonw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

/* The bytes jsonw should produce after decoding: bad bytes as U+FFFD in UTF-8. */
static void expected_bytes(const uint8_t *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		size_t n = s[i] < 0x80 ? 1 : s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : 2;
		json_t *j = n <= len - i ? json_stringn((const char *)s + i, n) : NULL;

		if (j) {
			buf_add(out, s + i, n);
			i += n;
			json_decref(j);
		} else {
			buf_add(out, "\xEF\xBF\xBD", 3);
			i++;
		}
	}
}

static json_t *parse(const struct buf *text)
{
	json_error_t e;
	json_t *j = json_loadb(text->s, text->len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);

	if (!j)
		abort();
	return j;
}

static void same_string(const json_t *j, const struct buf *want)
{
	if (!json_is_string(j) || json_string_length(j) != want->len ||
		memcmp(json_string_value(j), want->s, want->len) != 0)
		abort();
}

/* The string s written into a buffer of at most max bytes; returns jsonw_finish(). */
static int write_limited(const char *s, size_t len, size_t max, struct buf *out)
{
	struct jsonw w;

	buf_init(out, max);
	jsonw_init(&w, out);
	jsonw_stringn(&w, s, len);
	if (out->len > max)
		abort();
	return jsonw_finish(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf text = BUF_INIT, want = BUF_INIT, want_key = BUF_INIT, limited;
	json_t *valid = json_stringn(s, size), *back, *doc, *member;
	size_t cut = size ? data[0] % (size + 1) : 0;
	char *key = strndup(s, cut); /* a member name ends at a NUL */
	struct jsonw w;

	if (!key)
		abort();
	expected_bytes(data, size, &want);
	expected_bytes((const uint8_t *)key, strlen(key), &want_key);
	if (valid && (want.len != size || memcmp(want.s, s, size)))
		abort(); /* jansson and the expectation disagree on validity */

	/* A string value. */
	jsonw_init(&w, &text);
	jsonw_stringn(&w, s, size);
	if (jsonw_finish(&w))
		abort();
	back = parse(&text);
	same_string(back, &want);
	json_decref(back);
	if (valid) {
		char *dump = json_dumps(valid, FLAGS);
		if (!dump || strcmp(dump, text.s))
			abort();
		free(dump);
	}
	for (size_t i = 0; i < text.len; i++)
		if ((unsigned char)text.s[i] >= 0x80)
			abort(); /* the output is ASCII */

	/* Exactly as long as the text fits; one byte less is ERR_LIMIT. */
	if (write_limited(s, size, text.len, &limited) || strcmp(limited.s, text.s))
		abort();
	buf_release(&limited);
	if (write_limited(s, size, text.len - 1, &limited) != ERR_LIMIT)
		abort();
	buf_release(&limited);

	/* A document: [{"<key>":"<first part>"},["<second part>",<n>,true,null,{}]] */
	buf_reset(&text);
	jsonw_init(&w, &text);
	jsonw_array_open(&w);
	jsonw_object_open(&w);
	jsonw_key(&w, key);
	jsonw_stringn(&w, s, cut);
	jsonw_object_close(&w);
	jsonw_array_open(&w);
	jsonw_stringn(&w, s + cut, size - cut);
	jsonw_int(&w, size ? (int64_t)((uint64_t)data[size - 1] << 56 | size) : INT64_MIN);
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_object_open(&w);
	jsonw_object_close(&w);
	jsonw_array_close(&w);
	jsonw_array_close(&w);
	if (jsonw_finish(&w))
		abort();
	doc = parse(&text);
	member = json_object_iter(json_array_get(doc, 0));
	if (json_array_size(doc) != 2 || json_object_size(json_array_get(doc, 0)) != 1 || !member ||
		strlen(json_object_iter_key(member)) != want_key.len ||
		memcmp(json_object_iter_key(member), want_key.s, want_key.len) ||
		json_array_size(json_array_get(doc, 1)) != 5)
		abort();
	json_decref(doc);

	free(key);
	json_decref(valid);
	buf_release(&want);
	buf_release(&want_key);
	buf_release(&text);
	return 0;
}
