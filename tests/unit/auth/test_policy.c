/*
 * tests/unit/auth/test_policy.c - the one policy table (src/auth/policy.c)
 * against the routes of every module (cli_route_tables()): every route has a
 * row, no row is orphaned, exactly health, the OpenAPI document and sign-in
 * are public, decide() gives the widest reach, and tokens are narrowed by
 * their scopes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "http/http.h"
#include "testutil.h"

static bool is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static bool routed(const char *method, const char *pattern)
{
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t[i].count; j++)
			if (strcmp(t[i].routes[j].method, method) == 0 &&
				strcmp(t[i].routes[j].pattern, pattern) == 0)
				return true;
	return false;
}

Test(policy, every_route_of_every_module_has_a_row)
{
	size_t n, total = 0;
	const struct http_route_table *t = cli_route_tables(&n);

	cr_assert_gt(n, 0, "no route tables");
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			cr_expect(auth_policy_has(r->method, r->pattern),
				"route %s %s of module %s has no policy row", r->method, r->pattern,
				t[i].module);
			total++;
		}
	}
	cr_assert_gt(total, 20, "only %zu routes in all tables", total);
}

Test(policy, every_row_belongs_to_a_route)
{
	size_t n;
	const struct auth_policy *rows = auth_policy_rows(&n);

	for (size_t i = 0; i < n; i++)
		cr_expect(routed(rows[i].method, rows[i].pattern),
			"policy row %s %s has no route (a typo, or a removed endpoint)", rows[i].method,
			rows[i].pattern);
}

Test(policy, public_routes_are_exactly_health_openapi_login)
{
	static const struct {
		const char *method, *pattern;
	} public_ones[] = {
		{ "GET", "/api/v1/health" },
		{ "GET", "/api/v1/openapi.json" },
		{ "POST", "/api/v1/session" },
	};
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	for (size_t i = 0; i < N_ELEMS(public_ones); i++)
		cr_expect(auth_policy_is_public(public_ones[i].method, public_ones[i].pattern),
			"%s %s is not public", public_ones[i].method, public_ones[i].pattern);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t[i].count; j++) {
			const struct http_route *r = &t[i].routes[j];
			bool want = false;
			for (size_t k = 0; k < N_ELEMS(public_ones); k++)
				want |= strcmp(r->method, public_ones[k].method) == 0 &&
					strcmp(r->pattern, public_ones[k].pattern) == 0;
			cr_expect_eq(auth_policy_is_public(r->method, r->pattern), want,
				"%s %s: public is %d, expected %d", r->method, r->pattern,
				!want, want);
			/* Only signing in may change state without a CSRF token. */
			cr_expect_eq(auth_policy_csrf_exempt(r->method, r->pattern),
				strcmp(r->method, "POST") == 0 && strcmp(r->pattern, "/api/v1/session") == 0,
				"%s %s: wrong CSRF exemption", r->method, r->pattern);
		}
	}
}

Test(policy, rows_are_well_formed)
{
	size_t n;
	const struct auth_policy *rows = auth_policy_rows(&n);

	for (size_t i = 0; i < n; i++) {
		const struct auth_policy *r = &rows[i];
		if (r->public_route) {
			cr_expect_eq(r->roles, ROLE_NONE, "public row %s %s grants roles %#x", r->method,
				r->pattern, r->roles);
			continue;
		}
		cr_expect_neq(r->roles, 0, "row %s %s grants no role", r->method, r->pattern);
		cr_expect_eq(r->roles & ~ROLE_ALL, 0, "row %s %s grants unknown roles %#x",
			r->method, r->pattern, r->roles);
		cr_expect(r->scope && !(r->scope & (r->scope - 1)) && !(r->scope & ~SCOPE_ALL),
			"row %s %s needs scope %#x, not one known scope", r->method, r->pattern,
			r->scope);
		cr_expect(r->reach >= REACH_SELF && r->reach <= REACH_ALL,
			"row %s %s has reach %d", r->method, r->pattern, r->reach);
		cr_expect(!r->csrf_exempt, "row %s %s is CSRF-exempt but not public", r->method,
			r->pattern);
		/* A token that may only read must not change anything. */
		if (is_write(r->method))
			cr_expect_neq(r->scope, SCOPE_READ, "write row %s %s needs only the read scope",
				r->method, r->pattern);
	}
}

Test(policy, a_full_principal_reaches_every_route)
{
	struct auth_principal p;
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);

	auth_principal_console(&p);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < t[i].count; j++)
			cr_expect_neq(auth_policy_decide(&p, t[i].routes[j].method, t[i].routes[j].pattern),
				REACH_NONE, "no role reaches %s %s", t[i].routes[j].method,
				t[i].routes[j].pattern);
}

Test(policy, decide_gives_the_widest_reach)
{
	static const struct {
		uint32_t roles, scopes;
		const char *method, *pattern;
		enum auth_reach want;
	} cases[] = {
		/* sessions carry every scope */
		{ ROLE_ADMIN, SCOPE_ALL, "GET", "/api/v1/users", REACH_ALL },
		{ ROLE_ANALYST, SCOPE_ALL, "GET", "/api/v1/users", REACH_AGENCY },
		{ ROLE_ANALYST | ROLE_ADMIN, SCOPE_ALL, "GET", "/api/v1/users", REACH_ALL },
		{ ROLE_INVESTIGATOR, SCOPE_ALL, "POST", "/api/v1/users", REACH_NONE },
		{ ROLE_ADMIN, SCOPE_ALL, "POST", "/api/v1/users", REACH_ALL },
		{ ROLE_REPORTER, SCOPE_ALL, "GET", "/api/v1/tokens", REACH_SELF },
		{ ROLE_REPORTER | ROLE_ADMIN, SCOPE_ALL, "GET", "/api/v1/tokens", REACH_ALL },
		{ ROLE_REPORTER, SCOPE_ALL, "DELETE", "/api/v1/tokens/{id}", REACH_SELF },
		{ ROLE_AUDITOR, SCOPE_ALL, "GET", "/api/v1/audit", REACH_ALL },
		{ ROLE_ADMIN, SCOPE_ALL, "GET", "/api/v1/audit", REACH_NONE },
		{ ROLE_ANALYST, SCOPE_ALL, "GET", "/api/v1/audit/verify", REACH_NONE },
		{ ROLE_ADMIN, SCOPE_ALL, "GET", "/metrics", REACH_ALL },
		{ ROLE_ANALYST, SCOPE_ALL, "GET", "/metrics", REACH_NONE },
		{ ROLE_DNS_OPERATOR, SCOPE_ALL, "GET", "/api/v1/agencies", REACH_ALL },
		{ ROLE_DNS_OPERATOR, SCOPE_ALL, "PATCH", "/api/v1/agencies/{id}", REACH_NONE },
		{ ROLE_API_CLIENT, SCOPE_ALL, "GET", "/api/v1/session", REACH_SELF },
		/* tokens are narrowed by their scopes */
		{ ROLE_ADMIN, SCOPE_READ, "GET", "/api/v1/users", REACH_AGENCY },
		{ ROLE_ADMIN, SCOPE_ADMIN, "GET", "/api/v1/users", REACH_ALL },
		{ ROLE_ADMIN, SCOPE_READ, "POST", "/api/v1/users", REACH_NONE },
		{ ROLE_ADMIN, SCOPE_READ, "DELETE", "/api/v1/tokens/{id}", REACH_NONE },
		{ ROLE_ADMIN, SCOPE_WRITE, "DELETE", "/api/v1/tokens/{id}", REACH_SELF },
		{ ROLE_ADMIN, SCOPE_METRICS, "GET", "/metrics", REACH_ALL },
		{ ROLE_ADMIN, SCOPE_METRICS, "GET", "/api/v1/users", REACH_NONE },
		{ ROLE_API_CLIENT, SCOPE_METRICS, "GET", "/metrics", REACH_ALL },
		{ ROLE_API_CLIENT, SCOPE_READ, "GET", "/metrics", REACH_NONE },
		{ ROLE_AUDITOR, SCOPE_READ, "GET", "/api/v1/audit", REACH_NONE },
		{ ROLE_AUDITOR, SCOPE_AUDIT, "GET", "/api/v1/audit", REACH_ALL },
		{ ROLE_ALL, SCOPE_LOOKUP, "GET", "/api/v1/users", REACH_NONE },
		{ ROLE_ALL, 0, "GET", "/api/v1/session", REACH_NONE },
		/* public routes need nothing */
		{ ROLE_NONE, 0, "GET", "/api/v1/health", REACH_ALL },
		{ ROLE_NONE, 0, "POST", "/api/v1/session", REACH_SELF },
		{ ROLE_NONE, 0, "GET", "/api/v1/session", REACH_NONE },
		/* unknown endpoints are closed */
		{ ROLE_ALL, SCOPE_ALL, "GET", "/api/v1/nothing", REACH_NONE },
		{ ROLE_ALL, SCOPE_ALL, "PUT", "/api/v1/users/{id}", REACH_NONE },
		{ ROLE_ALL, SCOPE_ALL, "GET", "/api/v1/users/1", REACH_NONE },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct auth_principal p = { 0 };
		enum auth_reach got;
		char roles[256], scopes[128];

		p.user_id = 5;
		p.roles = cases[i].roles;
		p.scopes = cases[i].scopes;
		got = auth_policy_decide(&p, cases[i].method, cases[i].pattern);
		auth_roles_format(cases[i].roles, roles, sizeof(roles));
		auth_scopes_format(cases[i].scopes, scopes, sizeof(scopes));
		cr_expect_eq(got, cases[i].want, "roles '%s' scopes '%s' on %s %s: reach %d, expected %d",
			roles, scopes, cases[i].method, cases[i].pattern, got, cases[i].want);
	}
}

Test(policy, reach_allows)
{
	static const struct {
		enum auth_reach reach;
		int64_t agency, owner;
		bool want;
	} cases[] = {
		/* the caller is user 5 of agency 2 */
		{ REACH_ALL, 9, 9, true },
		{ REACH_ALL, 0, 0, true },
		{ REACH_AGENCY, 2, 0, true },
		{ REACH_AGENCY, 2, 8, true },
		{ REACH_AGENCY, 3, 0, false },
		{ REACH_AGENCY, 3, 5, true }, /* one's own object, filed under another agency */
		{ REACH_SELF, 2, 5, true },
		{ REACH_SELF, 2, 8, false },
		{ REACH_SELF, 2, 0, false },  /* no single owner: not one's own */
		{ REACH_NONE, 2, 5, false },
	};
	struct auth_principal p = { 0 };

	p.user_id = 5;
	p.agency_id = 2;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		cr_expect_eq(auth_reach_allows(&p, cases[i].reach, cases[i].agency, cases[i].owner),
			cases[i].want, "reach %d, object of agency %lld owned by %lld: expected %d",
			cases[i].reach, (long long)cases[i].agency, (long long)cases[i].owner,
			cases[i].want);
}
