/*
 * http/request.c - what handlers read from a request: parameters, query,
 * headers, the caller, the body as JSON, and typed JSON fields that name
 * themselves in errors.
 */
#include "http/internal.h"

#include <stdarg.h>
#include <string.h>

#include "base/json_field.h"
#include "base/str.h"
#include "store/store.h"

const char *http_method(const struct http_request *req)
{
	return req->method;
}

const char *http_path(const struct http_request *req)
{
	return req->path;
}

const char *http_param(const struct http_request *req, const char *name)
{
	for (int i = 0; i < req->nparams; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

int http_param_id(struct http_request *req, const char *name, int64_t *out)
{
	const char *v = http_param(req, name);

	if (!v || str_to_int64(v, 1, INT64_MAX, out))
		return http_fail(req, ERR_NOTFOUND, name, "'%s' is not an existing %s",
			v ? v : "", name);
	return 0;
}

const char *http_query(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct query_all {
	const char *name;
	const char **out;
	size_t max, n;
};

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	struct query_all *q = cls;

	(void)kind;
	if (key && value && !strcmp(key, q->name)) {
		if (q->n < q->max)
			q->out[q->n] = value;
		q->n++;
	}
	return MHD_YES;
}

size_t http_query_all(const struct http_request *req, const char *name, const char **out,
	size_t max)
{
	struct query_all q = { name, out, max, 0 };

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_query, &q);
	return q.n;
}

const char *http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *http_client_addr(const struct http_request *req)
{
	return req->addr;
}

const char *http_body(const struct http_request *req, size_t *len)
{
	if (len)
		*len = req->body.len;
	return req->body.s;
}

const struct auth_principal *http_principal(const struct http_request *req)
{
	return &req->principal;
}

int http_reach(const struct http_request *req)
{
	return (int)req->reach;
}

const struct config *http_config(const struct http_request *req)
{
	return req->srv->cfg;
}

bool http_is_tls(const struct http_request *req)
{
	return req->srv->tls;
}

struct store_conn *http_db(struct http_request *req)
{
	if (!req->db)
		req->db = store_acquire(req->srv->store);
	return req->db;
}

struct store *http_store(struct http_request *req)
{
	return req->srv->store;
}

struct err_msg *http_err(struct http_request *req)
{
	return &req->err;
}

int http_fail(struct http_request *req, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	str_copy(req->err.field, sizeof(req->err.field), field ? field : "");
	va_start(ap, fmt);
	vsnprintf(req->err.message, sizeof(req->err.message), fmt, ap);
	va_end(ap);
	return code;
}

int http_json_body(struct http_request *req, json_t **out)
{
	json_error_t e;
	json_t *v;

	if (!req->body.len)
		return http_fail(req, ERR_PARSE, "body", "a JSON object is required");
	v = json_loadb(req->body.s, req->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!v)
		return http_fail(req, ERR_PARSE, "body", "invalid JSON at line %d column %d: %s",
			e.line, e.column, e.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return http_fail(req, ERR_PARSE, "body", "the body must be a JSON object");
	}
	*out = v;
	return 0;
}

int http_json_opt_string(struct http_request *req, json_t *obj, const char *field,
	size_t maxlen, const char **out)
{
	return json_field_opt_string(obj, field, maxlen, out, &req->err);
}

int http_json_string(struct http_request *req, json_t *obj, const char *field, size_t maxlen,
	const char **out)
{
	return json_field_string(obj, field, maxlen, out, &req->err);
}

int http_json_opt_int(struct http_request *req, json_t *obj, const char *field, int64_t min,
	int64_t max, int64_t *out)
{
	return json_field_opt_int(obj, field, min, max, out, &req->err);
}

int http_json_opt_bool(struct http_request *req, json_t *obj, const char *field, bool *out)
{
	return json_field_opt_bool(obj, field, out, &req->err);
}

int http_json_only(struct http_request *req, json_t *obj, const char *const *allowed)
{
	return json_field_only(obj, allowed, &req->err);
}
