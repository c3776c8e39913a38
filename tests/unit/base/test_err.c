/*
 * tests/unit/base/test_err.c - the error vocabulary (src/base/err.c): every
 * code has a stable name, a description, an HTTP status and an exit status;
 * err_set/err_prefix fill the detail only where asked.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	int code;
	const char *name;
	int http;
} codes[] = {
	{ ERR_OK, "ok", 200 },
	{ ERR_NOMEM, "no_memory", 503 },
	{ ERR_INVAL, "invalid", 400 },
	{ ERR_IO, "io", 500 },
	{ ERR_PARSE, "parse", 400 },
	{ ERR_NOTFOUND, "not_found", 404 },
	{ ERR_DENIED, "forbidden", 403 },
	{ ERR_AUTH, "unauthorized", 401 },
	{ ERR_CONFLICT, "conflict", 409 },
	{ ERR_LIMIT, "too_large", 413 },
	{ ERR_LOCKED, "locked", 423 },
	{ ERR_STORE, "store", 500 },
	{ ERR_INTERNAL, "internal", 500 },
	{ ERR_EOF, "eof", 400 },
	{ ERR_UNSUPPORTED, "unsupported", 501 },
	{ ERR_METHOD, "method_not_allowed", 405 },
	{ ERR_HEADERS, "headers_too_large", 431 },
	{ ERR_RATE, "rate_limited", 429 },
};

Test(err, every_code_is_mapped)
{
	for (size_t i = 0; i < N_ELEMS(codes); i++) {
		int c = codes[i].code;
		cr_expect_str_eq(err_name(c), codes[i].name, "err_name(%d) = '%s', expected '%s'", c,
			err_name(c), codes[i].name);
		cr_expect_eq(err_http_status(c), codes[i].http, "err_http_status(%s) = %d, expected %d",
			codes[i].name, err_http_status(c), codes[i].http);
		cr_expect_str_neq(err_str(c), "unknown error", "err_str(%s) has no text",
			codes[i].name);
		if (c == ERR_OK)
			cr_expect_eq(err_exit_code(c), 0, "err_exit_code(ok) = %d", err_exit_code(c));
		else
			cr_expect(err_exit_code(c) >= 1 && err_exit_code(c) <= 9,
				"err_exit_code(%s) = %d, not 1..9", codes[i].name, err_exit_code(c));
	}
}

Test(err, names_are_unique)
{
	for (size_t i = 0; i < N_ELEMS(codes); i++)
		for (size_t j = i + 1; j < N_ELEMS(codes); j++)
			cr_expect_str_neq(err_name(codes[i].code), err_name(codes[j].code),
				"codes %d and %d share the name '%s'", codes[i].code, codes[j].code,
				err_name(codes[i].code));
}

Test(err, unknown_code_is_internal)
{
	static const int unknown[] = { -1, -9999, 1, 12345 };

	for (size_t i = 0; i < N_ELEMS(unknown); i++) {
		int c = unknown[i];
		cr_expect_str_eq(err_name(c), "internal", "err_name(%d) = '%s'", c, err_name(c));
		cr_expect_str_eq(err_str(c), "unknown error", "err_str(%d) = '%s'", c, err_str(c));
		cr_expect_eq(err_http_status(c), 500, "err_http_status(%d) = %d", c,
			err_http_status(c));
		cr_expect_eq(err_exit_code(c), 8, "err_exit_code(%d) = %d", c, err_exit_code(c));
	}
}

Test(err, set_fills_field_and_message)
{
	struct err_msg e = ERR_MSG_INIT;
	int ret = err_set(&e, ERR_INVAL, "phone", "cannot parse phone '%s': %s", "0912", "too short");

	cr_assert_eq(ret, ERR_INVAL, "err_set returns its code, got %d", ret);
	cr_assert_str_eq(e.field, "phone", "field '%s'", e.field);
	cr_assert_str_eq(e.message, "cannot parse phone '0912': too short", "message '%s'",
		e.message);
	ret = err_set(&e, ERR_CONFLICT, NULL, "again");
	cr_assert_str_eq(e.field, "", "NULL field gives '%s'", e.field);
	cr_assert_eq(err_set(NULL, ERR_AUTH, "x", "ignored"), ERR_AUTH, "err_set(NULL) return");
}

Test(err, set_truncates_long_text)
{
	struct err_msg e = ERR_MSG_INIT;
	char big[2000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&e, ERR_INVAL, big, "%s", big);
	cr_assert_eq(strlen(e.field), sizeof(e.field) - 1, "field of 1999 bytes → %zu bytes",
		strlen(e.field));
	cr_assert_eq(strlen(e.message), sizeof(e.message) - 1, "message of 1999 bytes → %zu bytes",
		strlen(e.message));
}

Test(err, prefix_and_clear)
{
	struct err_msg e = ERR_MSG_INIT;

	err_set(&e, ERR_INVAL, "threads", "'x' is not a number");
	err_prefix(&e, "%s:%d: ", "rootcut.conf", 3);
	cr_assert_str_eq(e.message, "rootcut.conf:3: 'x' is not a number", "prefixed '%s'",
		e.message);
	cr_assert_str_eq(e.field, "threads", "prefix changed the field to '%s'", e.field);
	err_prefix(NULL, "ignored");
	err_clear(&e);
	cr_assert_str_eq(e.field, "", "cleared field '%s'", e.field);
	cr_assert_str_eq(e.message, "", "cleared message '%s'", e.message);
	err_clear(NULL);
}
