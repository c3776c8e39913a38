/*
 * base/err.h - the one error vocabulary of rootcut.
 *
 * Functions return 0 (ERR_OK) or a negative code below. Human-readable detail
 * travels separately in a struct err_msg (field + reason) that the callee fills
 * only on failure. One function maps a code to an HTTP status, another to a CLI
 * exit status, so every edge reports errors the same way.
 */
#pragma once
#include <errno.h>
#include <stdarg.h>

enum err_code {
	ERR_OK = 0,
	ERR_NOMEM = -ENOMEM,
	ERR_INVAL = -EINVAL,   /* bad input: a field has a wrong value */
	ERR_IO = -EIO,         /* file or socket failure */
	ERR_PARSE = -1000,     /* input could not be parsed at all */
	ERR_NOTFOUND = -1001,  /* the named object does not exist (or is not visible) */
	ERR_DENIED = -1002,    /* authenticated, but not allowed */
	ERR_AUTH = -1003,      /* not authenticated, or wrong credentials */
	ERR_CONFLICT = -1004,  /* already exists, or a state transition not allowed now */
	ERR_LIMIT = -1005,     /* a size or rate limit was exceeded */
	ERR_LOCKED = -1006,    /* account locked after repeated failures */
	ERR_STORE = -1007,     /* database failure */
	ERR_INTERNAL = -1008,  /* a bug or an unexpected state */
	ERR_EOF = -1009,       /* end of input (not an error for loops) */
	ERR_UNSUPPORTED = -1010, /* a feature not available in this build or state */
	ERR_METHOD = -1011,    /* the path exists but not with this HTTP method */
	ERR_HEADERS = -1012,   /* too many or too large request headers */
	ERR_RATE = -1013,      /* too many attempts; try again later */
};

/* Detail of a failure: which field and why. Filled only on failure. */
struct err_msg {
	char field[64];    /* name of the offending field, "" when not about one */
	char message[512]; /* lower-case reason, no final period */
};

#define ERR_MSG_INIT { "", "" }

/* A short stable identifier for code, e.g. "not_found" (used in JSON error bodies). */
const char *err_name(int code);

/* A human description of code, e.g. "not found". */
const char *err_str(int code);

/* The HTTP status that reports code: 400, 401, 403, 404, 409, 413, 423, 500 … */
int err_http_status(int code);

/* The process exit status that reports code (0 for ERR_OK, 1-9 for failures). */
int err_exit_code(int code);

/*
 * Record field and a printf-style reason in e (which may be NULL) and return
 * code, so callers can write `return err_set(e, ERR_INVAL, "phone", "too many digits");`.
 */
int err_set(struct err_msg *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Put printf-style context in front of e's message ("file:3: " + message). */
void err_prefix(struct err_msg *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clear e to the empty state. */
void err_clear(struct err_msg *e);
