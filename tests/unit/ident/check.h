/*
 * tests/unit/ident/check.h - table helpers shared by the ident tests: parse
 * one input and compare value, display and the error message, naming the
 * input in every assertion.
 */
#pragma once
#include <stddef.h>

#include "base/err.h"
#include "ident/ident.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* An accepted spelling: its canonical value and (if not NULL) display form. */
struct ok_case {
	const char *in;
	const char *value;
	const char *display;
};

/* A rejected spelling and a part of the reason the message must contain. */
struct bad_case {
	const char *in;
	const char *reason;
};

/*
 * Parse in as type, assert success, value and display; assert that the value
 * parses back to itself. Fills *out when out is not NULL.
 */
void check_ok(enum ident_type type, const char *in, const char *value, const char *display,
	struct ident *out);

/* Parse in as type, assert failure with field = type name and reason in the message. */
void check_bad(enum ident_type type, const char *in, const char *reason);

void check_ok_table(enum ident_type type, const struct ok_case *cases, size_t n);
void check_bad_table(enum ident_type type, const struct bad_case *cases, size_t n);
