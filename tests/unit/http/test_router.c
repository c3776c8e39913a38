/*
 * tests/unit/http/test_router.c - the router (src/http/router.c) built from
 * the route tables of every module: literal and {param} segments, 404 versus
 * 405, HEAD answered by GET, trailing and doubled slashes, too many segments,
 * and patterns the router refuses to compile.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "http/internal.h"
#include "testutil.h"

static struct http_router router;

static void build(void)
{
	struct err_msg err = ERR_MSG_INIT;
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	cr_assert_eq(http_router_build(&router, t, n, &err), 0, "router from every module: %s",
		err.message);
}

static void release(void)
{
	http_router_release(&router);
}

TestSuite(router, .init = build, .fini = release);

static struct http_request *new_request(void)
{
	struct http_request *req = xcalloc(1, sizeof(*req));

	req->fd = -1;
	buf_init(&req->body, 0);
	return req;
}

Test(router, matches)
{
	static const struct {
		const char *method, *path;
		int ret;
		const char *pattern;   /* of the matched route, when ret is 0 */
		const char *param_id;  /* value of {id}, or NULL */
	} cases[] = {
		{ "GET", "/api/v1/health", 0, "/api/v1/health", NULL },
		{ "HEAD", "/api/v1/health", 0, "/api/v1/health", NULL },
		{ "GET", "/metrics", 0, "/metrics", NULL },
		{ "GET", "/api/v1/session", 0, "/api/v1/session", NULL },
		{ "POST", "/api/v1/session", 0, "/api/v1/session", NULL },
		{ "DELETE", "/api/v1/session", 0, "/api/v1/session", NULL },
		{ "POST", "/api/v1/session/totp/confirm", 0, "/api/v1/session/totp/confirm", NULL },
		{ "GET", "/api/v1/users/42", 0, "/api/v1/users/{id}", "42" },
		{ "PATCH", "/api/v1/users/42", 0, "/api/v1/users/{id}", "42" },
		{ "HEAD", "/api/v1/users/7", 0, "/api/v1/users/{id}", "7" },
		{ "POST", "/api/v1/users/42/password", 0, "/api/v1/users/{id}/password", "42" },
		{ "GET", "/api/v1/users/not-a-number", 0, "/api/v1/users/{id}", "not-a-number" },
		{ "GET", "/api/v1/users/%20", 0, "/api/v1/users/{id}", "%20" },
		{ "DELETE", "/api/v1/tokens/3", 0, "/api/v1/tokens/{id}", "3" },
		/* 405: the path exists under other methods */
		{ "POST", "/api/v1/health", ERR_METHOD, NULL, NULL },
		{ "PUT", "/api/v1/session", ERR_METHOD, NULL, NULL },
		{ "DELETE", "/api/v1/users/42", ERR_METHOD, NULL, NULL },
		{ "GET", "/api/v1/users/42/password", ERR_METHOD, NULL, NULL },
		{ "GET", "/api/v1/tokens/3", ERR_METHOD, NULL, NULL },
		{ "HEAD", "/api/v1/tokens/3", ERR_METHOD, NULL, NULL },
		{ "get", "/api/v1/health", ERR_METHOD, NULL, NULL },
		{ "BREW", "/api/v1/health", ERR_METHOD, NULL, NULL },
		{ "OPTIONS", "/api/v1/users", ERR_METHOD, NULL, NULL },
		/* 404: no route has this path */
		{ "GET", "/api/v1/nothing", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "api/v1/health", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/API/V1/HEALTH", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/health/", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/health//", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "//api/v1/health", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api//v1/health", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/users/", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/users//password", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/users/42/", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/users/42/password/x", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/health?x=1", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/api/v1/../v1/health", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", ERR_NOTFOUND, NULL, NULL },
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", ERR_NOTFOUND, NULL, NULL },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct http_compiled_route *cr = NULL;
		struct http_request *req = new_request();
		int ret = http_router_match(&router, cases[i].method, cases[i].path, req, &cr);

		cr_expect_eq(ret, cases[i].ret, "%s '%s' → %s, expected %s", cases[i].method,
			cases[i].path, err_name(ret), err_name(cases[i].ret));
		if (ret == 0 && cases[i].ret == 0) {
			cr_expect_str_eq(cr->route->pattern, cases[i].pattern, "%s '%s' matched '%s'",
				cases[i].method, cases[i].path, cr->route->pattern);
			if (cases[i].param_id)
				cr_expect_str_eq(http_param(req, "id") ? http_param(req, "id") : "(none)",
					cases[i].param_id, "%s '%s': {id} = '%s'", cases[i].method,
					cases[i].path, http_param(req, "id"));
			else
				cr_expect_eq(req->nparams, 0, "%s '%s' has %d parameters", cases[i].method,
					cases[i].path, req->nparams);
		} else {
			cr_expect_eq(req->nparams, 0, "%s '%s' failed but stored %d parameters",
				cases[i].method, cases[i].path, req->nparams);
		}
		http_request_free(req);
	}
}

Test(router, every_route_matches_itself)
{
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			const struct http_compiled_route *cr = NULL;
			char path[256];
			const char *p = r->pattern;
			size_t o = 0;
			int ret;

			/* Put "1" in every {param}. */
			while (*p && o + 2 < sizeof(path)) {
				if (*p == '{') {
					path[o++] = '1';
					p = strchr(p, '}') + 1;
				} else {
					path[o++] = *p++;
				}
			}
			path[o] = '\0';
			ret = http_router_match(&router, r->method, path, NULL, &cr);
			cr_expect_eq(ret, 0, "%s %s (as '%s') does not match: %s", r->method, r->pattern,
				path, err_name(ret));
			if (!ret)
				cr_expect_eq(cr->route, r, "%s '%s' matched %s %s instead of its own route",
					r->method, path, cr->route->method, cr->route->pattern);
			if (!ret && strcmp(r->method, "GET") == 0) {
				ret = http_router_match(&router, "HEAD", path, NULL, &cr);
				cr_expect(ret == 0 && cr->route == r, "HEAD '%s' is not answered by GET %s",
					path, r->pattern);
			}
		}
	}
}

Test(router, metrics_slots_are_distinct)
{
	for (size_t i = 0; i < router.count; i++)
		cr_expect_eq(router.routes[i].metrics_index, (int)i, "route %s %s has slot %d",
			router.routes[i].route->method, router.routes[i].route->pattern,
			router.routes[i].metrics_index);
}

Test(router, policy_facts_are_compiled_in)
{
	static const struct {
		const char *method, *path;
		bool public_route, csrf_exempt;
	} cases[] = {
		{ "GET", "/api/v1/health", true, false },
		{ "POST", "/api/v1/session", true, true },
		{ "GET", "/api/v1/session", false, false },
		{ "PATCH", "/api/v1/users/5", false, false },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const struct http_compiled_route *cr = NULL;
		cr_assert_eq(http_router_match(&router, cases[i].method, cases[i].path, NULL, &cr), 0,
			"%s %s", cases[i].method, cases[i].path);
		cr_expect_eq(cr->public_route, cases[i].public_route, "%s %s: public %d",
			cases[i].method, cases[i].path, cr->public_route);
		cr_expect_eq(cr->csrf_exempt, cases[i].csrf_exempt, "%s %s: csrf_exempt %d",
			cases[i].method, cases[i].path, cr->csrf_exempt);
	}
}

static int dummy(struct http_request *req)
{
	(void)req;
	return 0;
}

Test(router_build, refuses_bad_patterns_and_routes_without_policy)
{
	static const struct {
		const char *method, *pattern, *reason;
	} cases[] = {
		{ "GET", "api/v1/health", "bad route pattern" },
		{ "GET", "", "bad route pattern" },
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", "bad route pattern" },
		{ "GET", "/api/v1/secret", "no row in the policy table" },
		{ "PUT", "/api/v1/health", "no row in the policy table" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct http_route routes[] = {
			{ "GET", "/api/v1/health", dummy, 0 },
			{ cases[i].method, cases[i].pattern, dummy, 0 },
		};
		struct http_route_table table = { "test", routes, 2 };
		struct http_router r;
		struct err_msg err = ERR_MSG_INIT;

		cr_expect_eq(http_router_build(&r, &table, 1, &err), ERR_INTERNAL,
			"route %s '%s' accepted", cases[i].method, cases[i].pattern);
		cr_expect_not_null(strstr(err.message, cases[i].reason),
			"route %s '%s': message '%s' lacks '%s'", cases[i].method, cases[i].pattern,
			err.message, cases[i].reason);
		cr_expect_not_null(strstr(err.message, cases[i].pattern),
			"route %s '%s': message '%s' does not name the pattern", cases[i].method,
			cases[i].pattern, err.message);
		http_router_release(&r);
	}
}

Test(router_build, sixteen_segments_is_the_most)
{
	static const struct http_route routes[] = {
		{ "GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", dummy, 0 },
	};
	struct http_route_table table = { "test", routes, 1 };
	struct http_router r;
	struct err_msg err = ERR_MSG_INIT;

	/* The pattern compiles (then fails only for lack of a policy row). */
	cr_assert_eq(http_router_build(&r, &table, 1, &err), ERR_INTERNAL, "build");
	cr_assert_not_null(strstr(err.message, "policy"), "16 segments refused: '%s'", err.message);
	http_router_release(&r);
}

Test(router_build, empty_tables)
{
	struct http_router r;
	struct err_msg err = ERR_MSG_INIT;
	const struct http_compiled_route *cr = NULL;

	cr_assert_eq(http_router_build(&r, NULL, 0, &err), 0, "no tables: %s", err.message);
	cr_assert_eq(http_router_match(&r, "GET", "/api/v1/health", NULL, &cr), ERR_NOTFOUND,
		"match in an empty router");
	http_router_release(&r);
}
