/*
 * tests/unit/http/test_request.c - what handlers read from a request body and
 * write back (src/http/request.c, response.c): the JSON body, typed fields
 * that name themselves when they fail, unknown fields, and the one error body
 * {"error":{"code","message","field"}} with its status. The request is built
 * directly (no server), which these functions allow: they touch only the
 * body, the error detail and the response fields.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "http/internal.h"
#include "testutil.h"

static struct http_request *request_with_body(const char *body)
{
	struct http_request *req = xcalloc(1, sizeof(*req));

	req->fd = -1;
	req->path = xstrdup("/api/v1/test");
	buf_init(&req->body, 0);
	buf_adds(&req->body, body);
	return req;
}

Test(json_body, parse)
{
	static const struct {
		const char *body;
		int ret;
		const char *reason; /* part of the message when it fails */
	} cases[] = {
		{ "{}", 0, NULL },
		{ "{\"a\":1}", 0, NULL },
		{ " \n{ \"a\" : [1, {\"b\": null}] }\n ", 0, NULL },
		{ "{\"名\":\"臺灣\"}", 0, NULL },
		{ "", ERR_PARSE, "a JSON object is required" },
		{ "[]", ERR_PARSE, "must be a JSON object" },
		{ "\"text\"", ERR_PARSE, "'[' or '{' expected" },
		{ "42", ERR_PARSE, "'[' or '{' expected" },
		{ "null", ERR_PARSE, "'[' or '{' expected" },
		{ "{\"a\":\"x\\u0000y\"}", ERR_PARSE, "\\u0000 is not allowed" },
		{ "{", ERR_PARSE, "invalid JSON at line 1" },
		{ "{\"a\":}", ERR_PARSE, "invalid JSON at line 1 column 6" },
		{ "{\"a\":1,\"a\":2}", ERR_PARSE, "duplicate" },
		{ "{\"a\":1}{\"b\":2}", ERR_PARSE, "invalid JSON" },
		{ "{\"a\":\"\xff\"}", ERR_PARSE, "invalid JSON" },
		{ "{'a':1}", ERR_PARSE, "invalid JSON" },
		{ "{\n\n\"a\" 1}", ERR_PARSE, "line 3" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_request *req = request_with_body(cases[i].body);
		json_t *obj = NULL;
		int ret = http_json_body(req, &obj);

		cr_expect_eq(ret, cases[i].ret, "body '%s' → %s (%s)", cases[i].body, err_name(ret),
			req->err.message);
		if (ret == 0) {
			cr_expect(json_is_object(obj), "body '%s' is not an object", cases[i].body);
			json_decref(obj);
		} else {
			cr_expect_str_eq(req->err.field, "body", "body '%s': field '%s'", cases[i].body,
				req->err.field);
			cr_expect_not_null(strstr(req->err.message, cases[i].reason),
				"body '%s': message '%s' lacks '%s'", cases[i].body, req->err.message,
				cases[i].reason);
		}
		http_request_free(req);
	}
}

Test(json_body, embedded_nul_is_not_a_terminator)
{
	static const char body[] = "{\"a\":1}\0{\"b\":2}";
	struct http_request *req = request_with_body("");
	json_t *obj = NULL;

	buf_add(&req->body, body, sizeof(body) - 1);
	cr_assert_eq(http_json_body(req, &obj), ERR_PARSE, "body with a NUL then more JSON accepted");
	http_request_free(req);
}

static json_t *obj_of(const char *text)
{
	json_error_t e;
	/* With NULs allowed, as a caller parsing more leniently than http_json_body() might. */
	json_t *v = json_loads(text, JSON_ALLOW_NUL, &e);

	cr_assert_not_null(v, "test JSON '%s': %s", text, e.text);
	return v;
}

Test(json_fields, strings)
{
	static const struct {
		const char *json, *field;
		size_t maxlen;
		bool required;
		int ret;
		const char *want;   /* value on success (NULL: left as is) */
		const char *reason; /* on failure */
	} cases[] = {
		{ "{\"name\":\"abc\"}", "name", 3, true, 0, "abc", NULL },
		{ "{\"name\":\"臺灣\"}", "name", 6, true, 0, "臺灣", NULL },
		{ "{\"name\":\"abcd\"}", "name", 3, true, ERR_INVAL, NULL, "at most 3 bytes" },
		{ "{\"name\":\"臺灣\"}", "name", 5, true, ERR_INVAL, NULL, "at most 5 bytes" },
		{ "{\"name\":\"\"}", "name", 3, true, ERR_INVAL, NULL, "is required" },
		{ "{}", "name", 3, true, ERR_INVAL, NULL, "is required" },
		{ "{\"name\":null}", "name", 3, true, ERR_INVAL, NULL, "is required" },
		{ "{\"name\":1}", "name", 3, true, ERR_INVAL, NULL, "must be a string" },
		{ "{\"name\":[\"a\"]}", "name", 3, true, ERR_INVAL, NULL, "must be a string" },
		{ "{\"name\":\"a\\u0000b\"}", "name", 9, true, ERR_INVAL, NULL, "NUL" },
		{ "{}", "name", 3, false, 0, NULL, NULL },
		{ "{\"name\":null}", "name", 3, false, 0, NULL, NULL },
		{ "{\"name\":\"\"}", "name", 3, false, 0, "", NULL },
		{ "{\"name\":true}", "name", 3, false, ERR_INVAL, NULL, "must be a string" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_request *req = request_with_body("");
		json_t *obj = obj_of(cases[i].json);
		const char *out = "unchanged";
		int ret = cases[i].required
			? http_json_string(req, obj, cases[i].field, cases[i].maxlen, &out)
			: http_json_opt_string(req, obj, cases[i].field, cases[i].maxlen, &out);

		cr_expect_eq(ret, cases[i].ret, "%s string %s of %s (max %zu) → %s (%s)",
			cases[i].required ? "required" : "optional", cases[i].field, cases[i].json,
			cases[i].maxlen, err_name(ret), req->err.message);
		if (ret == 0 && cases[i].ret == 0)
			cr_expect_str_eq(out, cases[i].want ? cases[i].want : "unchanged",
				"string %s of %s → '%s'", cases[i].field, cases[i].json, out);
		if (ret) {
			cr_expect_str_eq(req->err.field, cases[i].field, "%s: field '%s'", cases[i].json,
				req->err.field);
			cr_expect_not_null(strstr(req->err.message, cases[i].reason),
				"%s: message '%s' lacks '%s'", cases[i].json, req->err.message,
				cases[i].reason);
			cr_expect_str_eq(out, "unchanged", "%s failed but set the output", cases[i].json);
		}
		json_decref(obj);
		http_request_free(req);
	}
}

Test(json_fields, integers_and_booleans)
{
	static const struct {
		const char *json;
		int64_t min, max;
		int ret;
		int64_t want;
	} ints[] = {
		{ "{\"n\":5}", 1, 10, 0, 5 },
		{ "{\"n\":1}", 1, 10, 0, 1 },
		{ "{\"n\":10}", 1, 10, 0, 10 },
		{ "{}", 1, 10, 0, 77 },
		{ "{\"n\":null}", 1, 10, 0, 77 },
		{ "{\"n\":0}", 1, 10, ERR_INVAL, 77 },
		{ "{\"n\":11}", 1, 10, ERR_INVAL, 77 },
		{ "{\"n\":-9223372036854775808}", INT64_MIN, 0, 0, INT64_MIN },
		{ "{\"n\":5.0}", 1, 10, ERR_INVAL, 77 },
		{ "{\"n\":\"5\"}", 1, 10, ERR_INVAL, 77 },
		{ "{\"n\":true}", 1, 10, ERR_INVAL, 77 },
		{ "{\"n\":1e2}", 1, 1000, ERR_INVAL, 77 },
	};
	static const struct {
		const char *json;
		int ret;
		bool want;
	} bools[] = {
		{ "{\"b\":true}", 0, true },
		{ "{\"b\":false}", 0, false },
		{ "{}", 0, true },
		{ "{\"b\":null}", 0, true },
		{ "{\"b\":1}", ERR_INVAL, true },
		{ "{\"b\":\"true\"}", ERR_INVAL, true },
	};

	for (size_t i = 0; i < N_ELEMS(ints); i++) {
		struct http_request *req = request_with_body("");
		json_t *obj = obj_of(ints[i].json);
		int64_t out = 77;
		int ret = http_json_opt_int(req, obj, "n", ints[i].min, ints[i].max, &out);
		cr_expect_eq(ret, ints[i].ret, "int n of %s in %lld..%lld → %s", ints[i].json,
			(long long)ints[i].min, (long long)ints[i].max, err_name(ret));
		cr_expect_eq(out, ints[i].want, "int n of %s → %lld", ints[i].json, (long long)out);
		if (ret)
			cr_expect_str_eq(req->err.field, "n", "%s: field '%s'", ints[i].json,
				req->err.field);
		json_decref(obj);
		http_request_free(req);
	}
	for (size_t i = 0; i < N_ELEMS(bools); i++) {
		struct http_request *req = request_with_body("");
		json_t *obj = obj_of(bools[i].json);
		bool out = true;
		int ret = http_json_opt_bool(req, obj, "b", &out);
		cr_expect_eq(ret, bools[i].ret, "bool b of %s → %s", bools[i].json, err_name(ret));
		cr_expect_eq(out, bools[i].want, "bool b of %s → %d", bools[i].json, out);
		if (ret)
			cr_expect_str_eq(req->err.field, "b", "%s: field '%s'", bools[i].json,
				req->err.field);
		json_decref(obj);
		http_request_free(req);
	}
}

Test(json_fields, only_known_members)
{
	static const char *const allowed[] = { "username", "password", "totp", NULL };
	static const struct {
		const char *json;
		const char *bad; /* NULL: accepted */
	} cases[] = {
		{ "{}", NULL },
		{ "{\"username\":\"a\",\"password\":\"b\",\"totp\":null}", NULL },
		{ "{\"username\":\"a\",\"admin\":true}", "admin" },
		{ "{\"Username\":\"a\"}", "Username" },
		{ "{\"\":1}", "" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_request *req = request_with_body("");
		json_t *obj = obj_of(cases[i].json);
		int ret = http_json_only(req, obj, allowed);
		if (!cases[i].bad) {
			cr_expect_eq(ret, 0, "members of %s refused: %s", cases[i].json, req->err.message);
		} else {
			cr_expect_eq(ret, ERR_INVAL, "members of %s accepted", cases[i].json);
			cr_expect_str_eq(req->err.field, cases[i].bad, "%s: field '%s', expected '%s'",
				cases[i].json, req->err.field, cases[i].bad);
			cr_expect_str_eq(req->err.message, "unknown field", "%s: message '%s'",
				cases[i].json, req->err.message);
		}
		json_decref(obj);
		http_request_free(req);
	}
}

Test(error_body, one_shape_for_every_error)
{
	static const struct {
		int code;
		const char *field, *message;
		int status;
		const char *want_message;
	} cases[] = {
		{ ERR_INVAL, "username", "must not be empty", 400, "must not be empty" },
		{ ERR_NOTFOUND, "id", "no user with id 5", 404, "no user with id 5" },
		{ ERR_DENIED, "role", "", 403, "permission denied" },
		{ ERR_AUTH, "", "", 401, "authentication required or failed" },
		{ ERR_LIMIT, "body", "too big", 413, "too big" },
		{ ERR_METHOD, "method", "PUT is not allowed", 405, "PUT is not allowed" },
		{ ERR_INTERNAL, "", "", 500, "internal error" },
		{ ERR_INVAL, "name", "quote \" and \\ and \n", 400, "quote \" and \\ and \n" },
		/* Not UTF-8: the body falls back to the code's description, never invalid JSON. */
		{ ERR_INVAL, "name", "bad \xff byte", 400, "invalid value" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_request *req = request_with_body("");
		json_error_t e;
		json_t *body, *error;

		if (*cases[i].message)
			http_fail(req, cases[i].code, cases[i].field, "%s", cases[i].message);
		else
			str_copy(req->err.field, sizeof(req->err.field), cases[i].field);
		http_reply_error(req, cases[i].code);
		cr_expect_eq(req->status, cases[i].status, "%s: status %d, expected %d",
			err_name(cases[i].code), req->status, cases[i].status);
		cr_expect_str_eq(req->content_type, "application/json", "%s: content type '%s'",
			err_name(cases[i].code), req->content_type);
		body = json_loadb(req->resp_body, req->resp_len, 0, &e);
		cr_assert_not_null(body, "%s '%s': the error body is not JSON: %s",
			err_name(cases[i].code), cases[i].message, req->resp_body);
		error = json_object_get(body, "error");
		cr_expect_eq(json_object_size(body), 1, "%s: body has %zu members",
			err_name(cases[i].code), json_object_size(body));
		cr_expect_str_eq(json_string_value(json_object_get(error, "code")),
			err_name(cases[i].code), "%s: code '%s'", err_name(cases[i].code),
			json_string_value(json_object_get(error, "code")));
		cr_expect_str_eq(json_string_value(json_object_get(error, "message")),
			cases[i].want_message, "%s '%s': message '%s'", err_name(cases[i].code),
			cases[i].message, json_string_value(json_object_get(error, "message")));
		cr_expect(json_is_string(json_object_get(error, "field")), "%s: no field string",
			err_name(cases[i].code));
		if (i + 1 < N_ELEMS(cases))
			cr_expect_str_eq(json_string_value(json_object_get(error, "field")),
				cases[i].field, "%s: field '%s'", err_name(cases[i].code),
				json_string_value(json_object_get(error, "field")));
		json_decref(body);
		http_request_free(req);
	}
}

Test(params, lookup_and_ids)
{
	static const struct {
		const char *value;
		int ret;
		int64_t want;
	} cases[] = {
		{ "1", 0, 1 },
		{ "42", 0, 42 },
		{ "9223372036854775807", 0, INT64_MAX },
		{ "0", ERR_NOTFOUND, 0 },
		{ "-1", ERR_NOTFOUND, 0 },
		{ "abc", ERR_NOTFOUND, 0 },
		{ "1.5", ERR_NOTFOUND, 0 },
		{ "", ERR_NOTFOUND, 0 },
		{ "99999999999999999999", ERR_NOTFOUND, 0 },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_request *req = request_with_body("");
		int64_t id = 0;
		int ret;

		req->param_names[0] = xstrdup("id");
		req->param_values[0] = xstrdup(cases[i].value);
		req->nparams = 1;
		cr_expect_str_eq(http_param(req, "id"), cases[i].value, "param id '%s'",
			http_param(req, "id"));
		cr_expect_null(http_param(req, "other"), "param 'other' of '%s'", cases[i].value);
		ret = http_param_id(req, "id", &id);
		cr_expect_eq(ret, cases[i].ret, "id '%s' → %s", cases[i].value, err_name(ret));
		if (!ret)
			cr_expect_eq(id, cases[i].want, "id '%s' → %lld", cases[i].value, (long long)id);
		else
			cr_expect_str_eq(req->err.field, "id", "id '%s': field '%s'", cases[i].value,
				req->err.field);
		http_request_free(req);
	}
}
