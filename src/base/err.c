/*
 * base/err.c - names, messages, HTTP and exit statuses for enum err_code.
 */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"

static const struct {
	int code;
	const char *name;
	const char *text;
	int http;
	int exit;
} table[] = {
	{ ERR_OK, "ok", "success", 200, 0 },
	{ ERR_NOMEM, "no_memory", "out of memory", 503, 7 },
	{ ERR_INVAL, "invalid", "invalid value", 400, 2 },
	{ ERR_IO, "io", "input/output error", 500, 7 },
	{ ERR_PARSE, "parse", "cannot parse input", 400, 2 },
	{ ERR_NOTFOUND, "not_found", "not found", 404, 3 },
	{ ERR_DENIED, "forbidden", "permission denied", 403, 4 },
	{ ERR_AUTH, "unauthorized", "authentication required or failed", 401, 4 },
	{ ERR_CONFLICT, "conflict", "conflicts with the current state", 409, 5 },
	{ ERR_LIMIT, "too_large", "a size or rate limit was exceeded", 413, 6 },
	{ ERR_LOCKED, "locked", "account locked after repeated failures", 423, 4 },
	{ ERR_STORE, "store", "database error", 500, 7 },
	{ ERR_INTERNAL, "internal", "internal error", 500, 8 },
	{ ERR_EOF, "eof", "end of input", 400, 2 },
	{ ERR_UNSUPPORTED, "unsupported", "not supported", 501, 6 },
	{ ERR_METHOD, "method_not_allowed", "method not allowed", 405, 2 },
	{ ERR_HEADERS, "headers_too_large", "too many or too large request headers", 431, 6 },
	{ ERR_RATE, "rate_limited", "too many attempts, try again later", 429, 6 },
};

static int find(int code)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].code == code)
			return (int)i;
	return -1;
}

const char *err_name(int code)
{
	int i = find(code);
	return i < 0 ? "internal" : table[i].name;
}

const char *err_str(int code)
{
	int i = find(code);
	return i < 0 ? "unknown error" : table[i].text;
}

int err_http_status(int code)
{
	int i = find(code);
	return i < 0 ? 500 : table[i].http;
}

int err_exit_code(int code)
{
	int i = find(code);
	return i < 0 ? 8 : table[i].exit;
}

int err_set(struct err_msg *e, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	str_copy(e->field, sizeof(e->field), field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return code;
}

void err_clear(struct err_msg *e)
{
	if (e) {
		e->field[0] = '\0';
		e->message[0] = '\0';
	}
}

void err_prefix(struct err_msg *e, const char *fmt, ...)
{
	char prefix[256];
	char old[sizeof(e->message)];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	str_copy(old, sizeof(old), e->message);
	snprintf(e->message, sizeof(e->message), "%s%s", prefix, old);
}
