/*
 * tests/unit/ident/check.c - table helpers shared by the ident tests
 * (see check.h).
 */
#include "check.h"

#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"

void check_ok(enum ident_type type, const char *in, const char *value, const char *display,
	struct ident *out)
{
	struct ident id, again;
	struct err_msg err = ERR_MSG_INIT;
	int ret = ident_parse(&id, type, in, strlen(in), &err);

	cr_assert_eq(ret, 0, "%s '%s' rejected: %s", ident_type_name(type), in, err.message);
	cr_assert_str_eq(id.value, value, "%s '%s' → '%s', expected '%s'", ident_type_name(type),
		in, id.value, value);
	if (display)
		cr_assert_str_eq(id.display, display, "%s '%s' displays '%s', expected '%s'",
			ident_type_name(type), in, id.display, display);
	cr_assert_eq(id.type, type, "%s '%s' has the wrong type", ident_type_name(type), in);
	ret = ident_parse(&again, type, id.value, strlen(id.value), &err);
	cr_assert_eq(ret, 0, "%s value '%s' (from '%s') does not parse back: %s",
		ident_type_name(type), id.value, in, err.message);
	cr_assert_str_eq(again.value, id.value, "%s value '%s' (from '%s') re-parses to '%s'",
		ident_type_name(type), id.value, in, again.value);
	if (out)
		*out = id;
}

void check_bad(enum ident_type type, const char *in, const char *reason)
{
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;
	int ret = ident_parse(&id, type, in, strlen(in), &err);

	cr_assert_eq(ret, ERR_INVAL, "%s '%s' accepted as '%s'", ident_type_name(type), in,
		id.value);
	cr_assert_str_eq(err.field, ident_type_name(type), "%s '%s': field '%s'",
		ident_type_name(type), in, err.field);
	cr_assert(strstr(err.message, "cannot parse ") == err.message,
		"%s '%s': message '%s' does not start with 'cannot parse'", ident_type_name(type),
		in, err.message);
	cr_assert(strstr(err.message, reason) != NULL, "%s '%s': message '%s' lacks '%s'",
		ident_type_name(type), in, err.message, reason);
}

void check_ok_table(enum ident_type type, const struct ok_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_ok(type, cases[i].in, cases[i].value, cases[i].display, NULL);
}

void check_bad_table(enum ident_type type, const struct bad_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_bad(type, cases[i].in, cases[i].reason);
}
