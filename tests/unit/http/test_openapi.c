/*
 * tests/unit/http/test_openapi.c - the OpenAPI document compiled into the
 * binary (docs/api/openapi.json as openapi_doc[]) against the route tables of
 * every module: each routed endpoint (method + path) is documented, each
 * documented endpoint is routed, path parameters are declared, public routes
 * are the ones documented without security, and every local $ref resolves.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "http/http.h"
#include "testutil.h"

static const char *const methods[] = { "get", "put", "post", "delete", "options", "head",
	"patch", "trace" };

static json_t *doc;

static void load(void)
{
	json_error_t e;

	cr_assert_gt(openapi_doc_len, 0, "the embedded OpenAPI document is empty");
	cr_assert_eq(strlen(openapi_doc), openapi_doc_len,
		"the embedded OpenAPI document has a NUL byte at %zu", strlen(openapi_doc));
	doc = json_loadb(openapi_doc, openapi_doc_len, JSON_REJECT_DUPLICATES, &e);
	cr_assert_not_null(doc, "docs/api/openapi.json line %d column %d: %s", e.line, e.column,
		e.text);
}

static void unload(void)
{
	json_decref(doc);
}

TestSuite(openapi, .init = load, .fini = unload);

/* The path prefix of the first server ("" for "/" or none), for relative paths. */
static const char *server_prefix(void)
{
	static char prefix[256];
	const char *url = json_string_value(json_object_get(json_array_get(json_object_get(doc,
										    "servers"), 0),
		"url"));

	prefix[0] = '\0';
	if (url && url[0] == '/' && strcmp(url, "/") != 0)
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(strlen(url) - (url[strlen(url) - 1] == '/')),
			url);
	return prefix;
}

/* The operation object for method + routed pattern, or NULL. */
static json_t *operation(const char *method, const char *pattern)
{
	const char *prefix = server_prefix();
	json_t *paths = json_object_get(doc, "paths");
	char lower[16];
	size_t plen = strlen(prefix);
	json_t *item;

	snprintf(lower, sizeof(lower), "%s", method);
	for (char *p = lower; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	if (plen && strncmp(pattern, prefix, plen) != 0)
		return NULL;
	item = json_object_get(paths, pattern + plen);
	return item ? json_object_get(item, lower) : NULL;
}

static bool routed(const char *method, const char *pattern)
{
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t[i].count; j++)
			if (strcasecmp(t[i].routes[j].method, method) == 0 &&
				strcmp(t[i].routes[j].pattern, pattern) == 0)
				return true;
	return false;
}

Test(openapi, is_openapi_3)
{
	const char *v = json_string_value(json_object_get(doc, "openapi"));

	cr_assert_not_null(v, "no 'openapi' version");
	cr_assert(strncmp(v, "3.", 2) == 0, "'openapi' is '%s', not 3.x", v);
	cr_assert(json_is_object(json_object_get(doc, "paths")), "no 'paths' object");
	cr_assert(json_is_string(json_object_get(json_object_get(doc, "info"), "title")),
		"no info.title");
}

Test(openapi, every_routed_endpoint_is_documented)
{
	size_t n, missing = 0;
	const struct http_route_table *t = cli_route_tables(&n);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			if (!operation(r->method, r->pattern)) {
				cr_expect_fail("%s %s (module %s) is routed but missing from "
					       "docs/api/openapi.json",
					r->method, r->pattern, t[i].module);
				missing++;
			}
		}
	}
	cr_assert_eq(missing, 0, "%zu routed endpoints are not documented", missing);
}

Test(openapi, every_documented_endpoint_is_routed)
{
	const char *prefix = server_prefix();
	json_t *paths = json_object_get(doc, "paths");
	const char *path;
	json_t *item;
	size_t extra = 0;

	json_object_foreach(paths, path, item) {
		char full[512];
		snprintf(full, sizeof(full), "%s%s", prefix, path);
		for (size_t m = 0; m < N_ELEMS(methods); m++) {
			if (!json_object_get(item, methods[m]))
				continue;
			if (!routed(methods[m], full)) {
				cr_expect_fail("docs/api/openapi.json documents %s %s, which no module routes",
					methods[m], full);
				extra++;
			}
		}
	}
	cr_assert_eq(extra, 0, "%zu documented endpoints are not routed", extra);
}

/* Follow a local "$ref" ("#/components/...") once; other values are returned as is. */
static json_t *deref(json_t *v)
{
	const char *ref = json_string_value(json_object_get(v, "$ref"));
	char copy[256];
	json_t *at = doc;

	if (!ref)
		return v;
	if (strncmp(ref, "#/", 2) != 0)
		return NULL;
	snprintf(copy, sizeof(copy), "%s", ref + 2);
	for (char *seg = copy, *next; seg && at; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		at = json_object_get(at, seg);
	}
	return at;
}

static bool declares_param(json_t *list, const char *name)
{
	size_t i;
	json_t *p;

	json_array_foreach(list, i, p) {
		json_t *d = deref(p);
		const char *in = json_string_value(json_object_get(d, "in"));
		const char *pname = json_string_value(json_object_get(d, "name"));
		if (in && pname && strcmp(in, "path") == 0 && strcmp(pname, name) == 0)
			return json_is_true(json_object_get(d, "required"));
	}
	return false;
}

Test(openapi, path_parameters_are_declared)
{
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);
	const char *prefix = server_prefix();

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			json_t *op = operation(r->method, r->pattern);
			json_t *item = json_object_get(json_object_get(doc, "paths"),
				r->pattern + strlen(prefix));
			const char *p = r->pattern;

			if (!op)
				continue; /* reported by every_routed_endpoint_is_documented */
			while ((p = strchr(p, '{'))) {
				char name[64];
				size_t len = strcspn(p + 1, "}");
				snprintf(name, sizeof(name), "%.*s", (int)len, p + 1);
				cr_expect(declares_param(json_object_get(op, "parameters"), name) ||
						declares_param(json_object_get(item, "parameters"), name),
					"%s %s: path parameter '%s' is not declared (in: path, required: true)",
					r->method, r->pattern, name);
				p += len + 1;
			}
		}
	}
}

Test(openapi, public_routes_are_documented_without_security)
{
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);
	bool global = json_array_size(json_object_get(doc, "security")) > 0;

	cr_assert(global, "the document has no global security requirement");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			json_t *op = operation(r->method, r->pattern);
			json_t *sec;
			bool open;

			if (!op)
				continue;
			sec = json_object_get(op, "security");
			open = json_is_array(sec) && json_array_size(sec) == 0;
			if (auth_policy_is_public(r->method, r->pattern))
				cr_expect(open, "%s %s is public but documented as needing authentication",
					r->method, r->pattern);
			else
				cr_expect(!open, "%s %s needs authentication but is documented as public",
					r->method, r->pattern);
			if (!auth_policy_is_public(r->method, r->pattern))
				cr_expect_not_null(json_object_get(json_object_get(op, "responses"), "401"),
					"%s %s needs authentication but documents no 401 response",
					r->method, r->pattern);
		}
	}
}

Test(openapi, operations_have_responses)
{
	json_t *paths = json_object_get(doc, "paths");
	const char *path;
	json_t *item;

	json_object_foreach(paths, path, item) {
		for (size_t m = 0; m < N_ELEMS(methods); m++) {
			json_t *op = json_object_get(item, methods[m]);
			if (!op)
				continue;
			cr_expect(json_object_size(json_object_get(op, "responses")) > 0,
				"%s %s documents no responses", methods[m], path);
		}
	}
}

static void check_refs(json_t *v, const char *where)
{
	const char *key;
	json_t *child;
	size_t i;

	if (json_is_object(v)) {
		const char *ref = json_string_value(json_object_get(v, "$ref"));
		if (ref)
			cr_expect_not_null(deref(v), "$ref '%s' in %s does not resolve", ref, where);
		json_object_foreach(v, key, child)
			check_refs(child, json_object_get(json_object_get(doc, "paths"), key) ? key
												 : where);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			check_refs(child, where);
	}
}

Test(openapi, local_refs_resolve)
{
	check_refs(doc, "the document");
}
