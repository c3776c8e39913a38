/*
 * http/http.h - the HTTP API server: routes, requests, responses.
 *
 * Data flow: libmicrohttpd → server.c (limits, body, request log) → router.c
 * (method + path → route) → auth (who, and may they: auth/policy.c) → the
 * module's handler (module_api.c) → JSON response.
 *
 * A handler fills the response with http_reply_json() and returns 0, or
 * returns a negative ERR_* code after describing the problem with
 * http_fail(); the server then writes the one error body of the API:
 *   {"error":{"code":"invalid","message":"…","field":"…"}}
 * with the status err_http_status() gives.
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct auth_principal;
struct buf;
struct config;
struct err_msg;
struct http_request;
struct http_server;
struct store;
struct store_conn;

typedef int (*http_handler_fn)(struct http_request *req);

struct http_route {
	const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *pattern; /* "/api/v1/users/{id}": literal segments and {name} parameters */
	http_handler_fn handler;
	size_t max_body;     /* 0 = the configured max_body_bytes */
};

/* The routes of one module, registered with the server at start. */
struct http_route_table {
	const char *module;
	const struct http_route *routes;
	size_t count;
};

/* ---- the server ---- */

/*
 * Start serving on cfg->listen with the given route tables (which must outlive
 * the server). Returns 0 and *out, or fills err (bad address, port in use,
 * unreadable TLS files, a route without a policy row).
 */
int http_server_start(const struct config *cfg, struct store *db,
	const struct http_route_table *tables, size_t ntables, struct http_server **out,
	struct err_msg *err);
/* Stop accepting, finish requests in flight, free the server. Accepts NULL. */
void http_server_stop(struct http_server *srv);
/* Reopen the access log file (after logrotate moved it; `serve` does it on SIGHUP). */
void http_server_reopen_logs(struct http_server *srv);
/* The port actually bound (useful with port 0). */
int http_server_port(const struct http_server *srv);

/* ---- requests ---- */

const char *http_method(const struct http_request *req);
/* The path without the query string, percent-decoded. */
const char *http_path(const struct http_request *req);
/* A path parameter of the matched pattern ({id}), or NULL. */
const char *http_param(const struct http_request *req, const char *name);
/* A path parameter as a positive integer; ERR_NOTFOUND (with field) when it is not one. */
int http_param_id(struct http_request *req, const char *name, int64_t *out);
/* A query-string argument, or NULL when absent. */
const char *http_query(const struct http_request *req, const char *name);
/*
 * Every value of a repeated query-string argument (?map=a&map=b), in order:
 * up to max into out (valid for the request); returns how many there are.
 */
size_t http_query_all(const struct http_request *req, const char *name, const char **out,
	size_t max);
/* A request header (case-insensitive name), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* A cookie sent with the request, or NULL. */
const char *http_cookie(const struct http_request *req, const char *name);
/* The client's address as text ("127.0.0.1", "::1"). */
const char *http_client_addr(const struct http_request *req);
/* The raw request body and its length ("" and 0 when none). */
const char *http_body(const struct http_request *req, size_t *len);
/* Who is calling; user_id 0 for an anonymous request to a public route. */
const struct auth_principal *http_principal(const struct http_request *req);
/* How far beyond their own agency the caller may reach on this route (enum auth_reach). */
int http_reach(const struct http_request *req);
/* The server's configuration. */
const struct config *http_config(const struct http_request *req);
/* True when the request arrived over TLS. */
bool http_is_tls(const struct http_request *req);

/*
 * A database connection for this request, acquired on first use and released
 * after the handler returns (rolling back any transaction left open).
 */
struct store_conn *http_db(struct http_request *req);
/* The server's store (for handlers that need a second connection). */
struct store *http_store(struct http_request *req);

/*
 * Parse the body as a JSON object. Returns 0 and a new reference in *out (the
 * caller json_decref()s it), or ERR_PARSE with the line, column and reason in
 * the request's error (field "body").
 */
int http_json_body(struct http_request *req, json_t **out);

/* ---- responses ---- */

/* Send body (reference stolen) with status. Returns 0. */
int http_reply_json(struct http_request *req, int status, json_t *body);
/*
 * Send the JSON text in json (from a struct jsonw) with status, taking its
 * bytes without a copy: json is left empty (BUF_INIT). Returns 0.
 */
int http_reply_buf(struct http_request *req, int status, struct buf *json);
/* Send len bytes of data (copied) with the content type. Returns 0. */
int http_reply_bytes(struct http_request *req, int status, const char *content_type,
	const void *data, size_t len);
/* Add a response header (copied). */
void http_add_header(struct http_request *req, const char *name, const char *value);
/*
 * Describe a failure for the error body and return code:
 *   return http_fail(req, ERR_INVAL, "username", "must not be empty");
 */
int http_fail(struct http_request *req, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The request's error detail, for functions that take a struct err_msg *. */
struct err_msg *http_err(struct http_request *req);

/* ---- JSON field helpers: each names the field in the error when it fails ---- */

/* A required string of 1..maxlen bytes (after trimming nothing). */
int http_json_string(struct http_request *req, json_t *obj, const char *field, size_t maxlen,
	const char **out);
/* An optional string: *out stays as is when absent or null. */
int http_json_opt_string(struct http_request *req, json_t *obj, const char *field,
	size_t maxlen, const char **out);
/* An optional integer in [min, max]: *out stays as is when absent. */
int http_json_opt_int(struct http_request *req, json_t *obj, const char *field, int64_t min,
	int64_t max, int64_t *out);
/* An optional boolean: *out stays as is when absent. */
int http_json_opt_bool(struct http_request *req, json_t *obj, const char *field, bool *out);
/* Reject any member of obj whose name is not in allowed (NULL-terminated). */
int http_json_only(struct http_request *req, json_t *obj, const char *const *allowed);

/* ---- route tables ---- */

/* The routes of every module, for the OpenAPI check and `rootcut routes`. */
const struct http_route_table *http_core_routes(void);

/* The OpenAPI document served at /api/v1/openapi.json (docs/api/openapi.json). */
extern const char openapi_doc[];
extern const unsigned long openapi_doc_len;
