/*
 * tests/unit/auth/test_roles.c - names of roles, token scopes and agency
 * kinds (src/auth/roles.c): parse and format round trips, separators, and
 * unknown names rejected with the name in the message.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "testutil.h"

static const char *const role_names[] = { "admin", "analyst", "prosecutor", "investigator",
	"reporter", "reviewer", "dns_operator", "auditor", "api_client" };
static const char *const scope_names[] = { "read", "write", "admin", "audit", "metrics",
	"lookup" };

Test(roles, single_names)
{
	for (size_t i = 0; i < N_ELEMS(role_names); i++) {
		uint32_t bits = 0;
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_str_eq(auth_role_name(1u << i), role_names[i], "role bit %zu named '%s'", i,
			auth_role_name(1u << i));
		cr_expect_eq(auth_roles_parse(role_names[i], &bits, &err), 0, "parse role '%s': %s",
			role_names[i], err.message);
		cr_expect_eq(bits, 1u << i, "role '%s' → %#x", role_names[i], bits);
	}
	for (size_t i = 0; i < N_ELEMS(scope_names); i++) {
		uint32_t bits = 0;
		cr_expect_str_eq(auth_scope_name(1u << i), scope_names[i], "scope bit %zu named '%s'",
			i, auth_scope_name(1u << i));
		cr_expect_eq(auth_scopes_parse(scope_names[i], &bits, NULL), 0, "parse scope '%s'",
			scope_names[i]);
		cr_expect_eq(bits, 1u << i, "scope '%s' → %#x", scope_names[i], bits);
	}
	cr_expect_eq(ROLE_ALL, (1u << N_ELEMS(role_names)) - 1, "ROLE_ALL %#x", ROLE_ALL);
	cr_expect_eq(SCOPE_ALL, (1u << N_ELEMS(scope_names)) - 1, "SCOPE_ALL %#x", SCOPE_ALL);
	cr_expect_null(auth_role_name(0), "role name of 0");
	cr_expect_null(auth_role_name(ROLE_ADMIN | ROLE_ANALYST), "role name of two bits");
	cr_expect_null(auth_role_name(1u << 9), "role name of bit 9");
	cr_expect_null(auth_scope_name(1u << 6), "scope name of bit 6");
}

Test(roles, every_set_round_trips)
{
	for (uint32_t bits = 1; bits <= ROLE_ALL; bits++) {
		char text[256];
		uint32_t back = 0;
		struct err_msg err = ERR_MSG_INIT;
		auth_roles_format(bits, text, sizeof(text));
		cr_assert_eq(auth_roles_parse(text, &back, &err), 0, "roles %#x → '%s' → %s", bits,
			text, err.message);
		cr_assert_eq(back, bits, "roles %#x → '%s' → %#x", bits, text, back);
	}
	for (uint32_t bits = 1; bits <= SCOPE_ALL; bits++) {
		char text[256];
		uint32_t back = 0;
		auth_scopes_format(bits, text, sizeof(text));
		cr_assert_eq(auth_scopes_parse(text, &back, NULL), 0, "scopes %#x → '%s'", bits, text);
		cr_assert_eq(back, bits, "scopes %#x → '%s' → %#x", bits, text, back);
	}
}

Test(roles, format)
{
	char text[256];

	auth_roles_format(ROLE_ADMIN | ROLE_AUDITOR, text, sizeof(text));
	cr_expect_str_eq(text, "admin,auditor", "admin|auditor → '%s'", text);
	auth_roles_format(0, text, sizeof(text));
	cr_expect_str_eq(text, "", "no roles → '%s'", text);
	auth_roles_format(ROLE_ALL | (1u << 20), text, sizeof(text));
	cr_expect_str_eq(text,
		"admin,analyst,prosecutor,investigator,reporter,reviewer,dns_operator,auditor,"
		"api_client",
		"all roles plus an unknown bit → '%s'", text);
	auth_roles_format(ROLE_ALL, text, 12);
	cr_expect_str_eq(text, "admin,analy", "all roles into 12 bytes → '%s'", text);
	auth_scopes_format(SCOPE_READ | SCOPE_METRICS, text, sizeof(text));
	cr_expect_str_eq(text, "read,metrics", "read|metrics → '%s'", text);
}

Test(roles, list_spellings)
{
	static const struct {
		const char *in;
		uint32_t want;
	} cases[] = {
		{ "admin,auditor", ROLE_ADMIN | ROLE_AUDITOR },
		{ "admin, auditor", ROLE_ADMIN | ROLE_AUDITOR },
		{ "admin auditor", ROLE_ADMIN | ROLE_AUDITOR },
		{ " admin ,, auditor, ", ROLE_ADMIN | ROLE_AUDITOR },
		{ "admin,admin", ROLE_ADMIN },
		{ "api_client", ROLE_API_CLIENT },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint32_t bits = 0;
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_eq(auth_roles_parse(cases[i].in, &bits, &err), 0, "roles '%s': %s",
			cases[i].in, err.message);
		cr_expect_eq(bits, cases[i].want, "roles '%s' → %#x, expected %#x", cases[i].in, bits,
			cases[i].want);
	}
}

Test(roles, unknown_names_are_named)
{
	static const struct {
		const char *in, *name;
	} cases[] = {
		{ "root", "root" },
		{ "admin,root", "root" },
		{ "Admin", "Admin" },
		{ "admins", "admins" },
		{ "admi", "admi" },
		{ "admin;analyst", "admin;analyst" },
		{ "管理者", "管理者" },
		{ "analyst,\tauditor", "\tauditor" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint32_t bits = 0xdead;
		struct err_msg err = ERR_MSG_INIT;
		char want[128];
		cr_expect_eq(auth_roles_parse(cases[i].in, &bits, &err), ERR_INVAL,
			"roles '%s' accepted as %#x", cases[i].in, bits);
		cr_expect_eq(bits, 0xdead, "roles '%s' refused but changed the output", cases[i].in);
		cr_expect_str_eq(err.field, "role", "roles '%s': field '%s'", cases[i].in, err.field);
		snprintf(want, sizeof(want), "unknown role '%s'", cases[i].name);
		cr_expect_str_eq(err.message, want, "roles '%s': message '%s', expected '%s'",
			cases[i].in, err.message, want);
	}
	{
		struct err_msg err = ERR_MSG_INIT;
		uint32_t bits;
		cr_expect_eq(auth_scopes_parse("read,everything", &bits, &err), ERR_INVAL,
			"scope 'everything' accepted");
		cr_expect_str_eq(err.message, "unknown scope 'everything'", "scope message '%s'",
			err.message);
		cr_expect_str_eq(err.field, "scope", "scope field '%s'", err.field);
	}
}

Test(roles, empty_lists_are_refused)
{
	static const char *const empty[] = { "", " ", ",", " , ,, " };

	for (size_t i = 0; i < N_ELEMS(empty); i++) {
		uint32_t bits;
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_eq(auth_roles_parse(empty[i], &bits, &err), ERR_INVAL, "roles '%s' accepted",
			empty[i]);
		cr_expect_str_eq(err.message, "at least one role is required", "roles '%s': '%s'",
			empty[i], err.message);
		cr_expect_eq(auth_scopes_parse(empty[i], &bits, NULL), ERR_INVAL,
			"scopes '%s' accepted", empty[i]);
	}
}

Test(roles, agency_kinds)
{
	static const struct {
		const char *name;
		enum agency_kind kind;
	} kinds[] = {
		{ "high_prosecutors", AGENCY_HIGH_PROSECUTORS },
		{ "district_prosecutors", AGENCY_DISTRICT_PROSECUTORS },
		{ "police", AGENCY_POLICE },
		{ "investigation_bureau", AGENCY_INVESTIGATION_BUREAU },
		{ "government", AGENCY_GOVERNMENT },
		{ "isp_registry", AGENCY_ISP_REGISTRY },
		{ "bank", AGENCY_BANK },
		{ "telecom", AGENCY_TELECOM },
		{ "foreign_partner", AGENCY_FOREIGN_PARTNER },
	};
	static const char *const bad[] = { "", "Police", "police ", "unknown", "bank,telecom" };

	for (size_t i = 0; i < N_ELEMS(kinds); i++) {
		enum agency_kind k = 0;
		cr_expect_str_eq(agency_kind_name(kinds[i].kind), kinds[i].name, "kind %d named '%s'",
			kinds[i].kind, agency_kind_name(kinds[i].kind));
		cr_expect_eq(agency_kind_parse(kinds[i].name, &k), 0, "kind '%s' refused",
			kinds[i].name);
		cr_expect_eq(k, kinds[i].kind, "kind '%s' → %d", kinds[i].name, k);
	}
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		enum agency_kind k = AGENCY_BANK;
		cr_expect_eq(agency_kind_parse(bad[i], &k), ERR_INVAL, "kind '%s' accepted", bad[i]);
		cr_expect_eq(k, AGENCY_BANK, "kind '%s' refused but changed the output", bad[i]);
	}
	cr_expect_str_eq(agency_kind_name(0), "unknown", "kind 0 named '%s'", agency_kind_name(0));
	cr_expect_str_eq(agency_kind_name(AGENCY_FOREIGN_PARTNER + 1), "unknown",
		"kind past the last named '%s'", agency_kind_name(AGENCY_FOREIGN_PARTNER + 1));
}

Test(roles, console_principal)
{
	struct auth_principal p;

	memset(&p, 0x55, sizeof(p));
	auth_principal_console(&p);
	cr_expect_str_eq(p.username, "system", "console user '%s'", p.username);
	cr_expect_eq(p.roles, ROLE_ALL, "console roles %#x", p.roles);
	cr_expect_eq(p.scopes, SCOPE_ALL, "console scopes %#x", p.scopes);
	cr_expect_eq(p.user_id, 0, "console user id %lld", (long long)p.user_id);
	cr_expect_eq(p.via, AUTH_NONE, "console via %d", p.via);
}
