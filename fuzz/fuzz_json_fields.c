/*
 * fuzz/fuzz_json_fields.c - libFuzzer target for what the API reads from a
 * request body: http_json_body() (jansson), the typed field helpers, the
 * role/scope list readers of the auth handlers, agency_kind_parse(), and the
 * error body written for whatever failed, which must always be valid JSON of
 * the one error shape. The raw input also goes through the role and scope
 * list parsers, whose accepted lists must format and parse back unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/api_internal.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/mem.h"
#include "http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_request *new_request(const uint8_t *data, size_t size)
{
	struct http_request *req = xcalloc(1, sizeof(*req));

	req->fd = -1;
	req->path = xstrdup("/api/v1/fuzz");
	buf_init(&req->body, 0);
	buf_add(&req->body, data, size);
	return req;
}

/* The error body for code must be {"error":{"code":…,"message":…,"field":…}}. */
static void check_error_body(struct http_request *req, int code)
{
	json_error_t e;
	json_t *body, *error;

	http_reply_error(req, code);
	body = json_loadb(req->resp_body, req->resp_len, 0, &e);
	if (!body)
		abort();
	error = json_object_get(body, "error");
	if (!json_is_string(json_object_get(error, "code")) ||
		!json_is_string(json_object_get(error, "message")) ||
		!json_is_string(json_object_get(error, "field")) ||
		req->status != err_http_status(code))
		abort();
	json_decref(body);
}

static void check_list(const char *text, int (*parse)(const char *, uint32_t *, struct err_msg *),
	void (*format)(uint32_t, char *, size_t), uint32_t all)
{
	struct err_msg err = ERR_MSG_INIT;
	uint32_t bits = 0, again = 0;
	char formatted[512];

	if (parse(text, &bits, &err) != 0) {
		if (!err.message[0])
			abort();
		return;
	}
	if (!bits || (bits & ~all))
		abort();
	format(bits, formatted, sizeof(formatted));
	if (parse(formatted, &again, &err) != 0 || again != bits)
		abort();
}

static int fields(struct http_request *req, json_t *obj)
{
	static const char *const allowed[] = { "username", "display_name", "email", "roles",
		"scopes", "kind", "disabled", "expires_in_days", "agency_id", NULL };
	const char *s = NULL;
	int64_t n = 0;
	bool b = false;
	uint32_t bits = 0;
	enum agency_kind kind;
	int ret;

	ret = http_json_only(req, obj, allowed);
	if (!ret && json_object_get(obj, "username"))
		ret = http_json_string(req, obj, "username", 63, &s);
	if (!ret)
		ret = http_json_opt_string(req, obj, "display_name", 127, &s);
	if (!ret)
		ret = http_json_opt_int(req, obj, "expires_in_days", 0, 3650, &n);
	if (!ret)
		ret = http_json_opt_int(req, obj, "agency_id", 1, INT64_MAX, &n);
	if (!ret)
		ret = http_json_opt_bool(req, obj, "disabled", &b);
	if (!ret && json_object_get(obj, "roles"))
		ret = auth_json_bits(req, obj, "roles", auth_roles_parse, &bits);
	if (!ret && json_object_get(obj, "scopes"))
		ret = auth_json_bits(req, obj, "scopes", auth_scopes_parse, &bits);
	if (!ret && json_is_string(json_object_get(obj, "kind")) &&
		agency_kind_parse(json_string_value(json_object_get(obj, "kind")), &kind) == 0 &&
		strcmp(agency_kind_name(kind), json_string_value(json_object_get(obj, "kind"))) != 0)
		abort();
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request *req = new_request(data, size);
	json_t *obj = NULL;
	char *text;
	int ret = http_json_body(req, &obj);

	if (!ret)
		ret = fields(req, obj);
	if (ret)
		check_error_body(req, ret);
	json_decref(obj);
	http_request_free(req);

	text = xstrndup((const char *)data, size);
	check_list(text, auth_roles_parse, auth_roles_format, ROLE_ALL);
	check_list(text, auth_scopes_parse, auth_scopes_format, SCOPE_ALL);
	{
		enum agency_kind kind;
		if (agency_kind_parse(text, &kind) == 0 && strcmp(agency_kind_name(kind), text) != 0)
			abort();
	}
	free(text);
	return 0;
}
