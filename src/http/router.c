/*
 * http/router.c - compile the modules' route tables and match requests.
 *
 * A pattern is a path of literal segments and {name} parameters. Matching is
 * a scan over the compiled routes comparing segment by segment; with the few
 * hundred routes of rootcut this costs well under a microsecond and needs no
 * index. A path that matches only under another method gives 405, not 404.
 */
#include "http/internal.h"

#include <string.h>

#include "auth/auth.h"
#include "base/mem.h"

static int split(char *path, char **segments, int max)
{
	int n = 0;
	char *p = path;

	if (*p != '/')
		return -1;
	while (*p == '/') {
		*p++ = '\0';
		if (n == max)
			return -1;
		segments[n++] = p;
		while (*p && *p != '/')
			p++;
	}
	if (*p)
		return -1;
	/* "/" alone yields one empty segment; so does a trailing slash. */
	return n;
}

static bool is_param(const char *seg)
{
	size_t len = strlen(seg);
	return len > 2 && seg[0] == '{' && seg[len - 1] == '}';
}

static int compile(struct http_compiled_route *cr, const struct http_route *route,
	const char *module, struct err_msg *err)
{
	char *copy = xstrdup(route->pattern);
	char *segs[HTTP_MAX_SEGMENTS];
	int n = split(copy, segs, HTTP_MAX_SEGMENTS);

	if (n < 0) {
		free(copy);
		return err_set(err, ERR_INTERNAL, "route", "bad route pattern '%s'",
			route->pattern);
	}
	cr->route = route;
	cr->module = module;
	cr->nsegments = n;
	for (int i = 0; i < n; i++) {
		cr->segments[i] = xstrdup(segs[i]);
		if (is_param(segs[i]))
			cr->param_mask |= 1u << i;
	}
	free(copy);
	if (!auth_policy_has(route->method, route->pattern))
		return err_set(err, ERR_INTERNAL, "route",
			"route %s %s of module %s has no row in the policy table (auth/policy.c)",
			route->method, route->pattern, module);
	cr->public_route = auth_policy_is_public(route->method, route->pattern);
	cr->csrf_exempt = auth_policy_csrf_exempt(route->method, route->pattern);
	return 0;
}

int http_router_build(struct http_router *r, const struct http_route_table *tables, size_t n,
	struct err_msg *err)
{
	size_t total = 0;
	int ret = 0;

	for (size_t i = 0; i < n; i++)
		total += tables[i].count;
	r->routes = xcalloc(total, sizeof(*r->routes));
	r->count = 0;
	for (size_t i = 0; i < n && !ret; i++) {
		for (size_t j = 0; j < tables[i].count && !ret; j++) {
			struct http_compiled_route *cr = &r->routes[r->count];
			ret = compile(cr, &tables[i].routes[j], tables[i].module, err);
			cr->metrics_index = (int)r->count;
			r->count++;
		}
	}
	return ret;
}

void http_router_release(struct http_router *r)
{
	for (size_t i = 0; i < r->count; i++)
		for (int j = 0; j < r->routes[i].nsegments; j++)
			free(r->routes[i].segments[j]);
	free(r->routes);
	r->routes = NULL;
	r->count = 0;
}

/* From the last segment back: "api" and "v1" are the same for every route. */
static bool path_matches(const struct http_compiled_route *cr, char **segs, int n)
{
	if (cr->nsegments != n)
		return false;
	for (int i = n - 1; i >= 0; i--) {
		if (cr->param_mask & (1u << i)) {
			if (!*segs[i])
				return false;
		} else if (strcmp(cr->segments[i], segs[i]) != 0) {
			return false;
		}
	}
	return true;
}

static void store_params(const struct http_compiled_route *cr, char **segs,
	struct http_request *req)
{
	for (int i = 0; i < cr->nsegments && req->nparams < HTTP_MAX_PARAMS; i++) {
		const char *s = cr->segments[i];
		if (!(cr->param_mask & (1u << i)))
			continue;
		req->param_names[req->nparams] = xstrndup(s + 1, strlen(s) - 2);
		req->param_values[req->nparams] = xstrdup(segs[i]);
		req->nparams++;
	}
}

int http_router_match(const struct http_router *r, const char *method, const char *path,
	struct http_request *req, const struct http_compiled_route **out)
{
	char *copy = xstrdup(path);
	char *segs[HTTP_MAX_SEGMENTS];
	int n = split(copy, segs, HTTP_MAX_SEGMENTS);
	int ret = ERR_NOTFOUND;
	bool head = strcmp(method, "HEAD") == 0;

	for (size_t i = 0; n > 0 && i < r->count; i++) {
		const struct http_compiled_route *cr = &r->routes[i];
		if (!path_matches(cr, segs, n))
			continue;
		if (strcmp(cr->route->method, method) == 0 ||
			(head && strcmp(cr->route->method, "GET") == 0)) {
			if (req)
				store_params(cr, segs, req);
			*out = cr;
			ret = 0;
			break;
		}
		ret = ERR_METHOD;
	}
	free(copy);
	return ret;
}
