/*
 * tests/unit/auth/test_accounts.c - agencies, users, sign-in, sessions and API
 * tokens against a temporary store (src/auth/agency.c, user.c, session.c,
 * token.c, ratelimit.c): validation naming the field, duplicates as
 * ERR_CONFLICT, lockout, expiry and idle timeout on the fake clock, revoked
 * and expired tokens, disabled users, and the audit trail they leave.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/internal.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "fixture.h"
#include "store/store.h"
#include "testutil.h"

TestSuite(agency, .init = fix_setup, .fini = fix_teardown);
TestSuite(user, .init = fix_setup, .fini = fix_teardown);
TestSuite(login, .init = fix_setup, .fini = fix_teardown);
TestSuite(session, .init = fix_setup, .fini = fix_teardown);
TestSuite(token, .init = fix_setup, .fini = fix_teardown);

static const char pw[] = "Correct-h0rse";

/* ---- agencies ---- */

static struct agency agency_of(const char *name, const char *code, enum agency_kind kind,
	int64_t supervisor)
{
	struct agency a = { 0 };

	str_copy(a.name, sizeof(a.name), name);
	str_copy(a.code, sizeof(a.code), code);
	a.kind = kind;
	a.supervisor_id = supervisor;
	return a;
}

Test(agency, create_get_find_list)
{
	struct audit_event ev;
	struct agency a = agency_of("臺灣高等檢察署", "TPHPO", AGENCY_HIGH_PROSECUTORS, 0);
	struct agency b, got;
	struct agency *list = NULL;
	struct err_msg err = ERR_MSG_INIT;
	size_t n = 0;

	audit_event_console(&ev, "agency.create", "agency", NULL, AUDIT_OK);
	cr_assert_eq(agency_create(fix_c, &a, &ev, &err), 0, "create: %s", err.message);
	cr_assert_gt(a.id, 0, "id %lld", (long long)a.id);
	cr_assert_str_eq(a.created_at, "2026-01-01T00:00:00Z", "created_at '%s'", a.created_at);
	b = agency_of("新北市政府警察局", "NTPD", AGENCY_POLICE, a.id);
	str_copy(b.name_en, sizeof(b.name_en), "New Taipei City Police");
	cr_assert_eq(agency_create(fix_c, &b, &ev, &err), 0, "create supervised: %s", err.message);

	static const char *const keys[] = { "NTPD", "新北市政府警察局", NULL };
	for (size_t i = 0; keys[i]; i++) {
		cr_assert_eq(agency_find(fix_c, keys[i], &got), 0, "find '%s'", keys[i]);
		cr_expect_eq(got.id, b.id, "find '%s' → %lld", keys[i], (long long)got.id);
	}
	{
		char id[16];
		snprintf(id, sizeof(id), "%lld", (long long)b.id);
		cr_assert_eq(agency_find(fix_c, id, &got), 0, "find by id '%s'", id);
		cr_expect_str_eq(got.name_en, "New Taipei City Police", "name_en '%s'", got.name_en);
		cr_expect_eq(got.kind, AGENCY_POLICE, "kind %d", got.kind);
		cr_expect_eq(got.supervisor_id, a.id, "supervisor %lld", (long long)got.supervisor_id);
	}
	cr_assert_eq(agency_find(fix_c, "nothing", &got), ERR_NOTFOUND, "find 'nothing'");
	cr_assert_eq(agency_get(fix_c, 9999, &got), ERR_NOTFOUND, "get 9999");
	cr_assert_eq(agency_list(fix_c, &list, &n), 0, "list");
	cr_assert_eq(n, 3, "list has %zu agencies (fixture + 2)", n);
	cr_assert_eq(list[2].id, b.id, "list is not in id order");
	free(list);
	cr_assert_eq(fix_audit_count("agency.create"), 2, "agency.create events");
	fix_audit_intact();
}

Test(agency, validation_names_the_field)
{
	static const struct {
		const char *label, *name, *code;
		enum agency_kind kind;
		int64_t supervisor;
		const char *field;
	} cases[] = {
		{ "empty name", "", "X1", AGENCY_BANK, 0, "name" },
		{ "empty code", "A bank", "", AGENCY_BANK, 0, "code" },
		{ "code with a space", "A bank", "X 1", AGENCY_BANK, 0, "code" },
		{ "code with a slash", "A bank", "X/1", AGENCY_BANK, 0, "code" },
		{ "kind 0", "A bank", "X1", 0, 0, "kind" },
		{ "kind 10", "A bank", "X1", AGENCY_FOREIGN_PARTNER + 1, 0, "kind" },
		{ "missing supervisor", "A bank", "X1", AGENCY_BANK, 999, "supervisor" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct agency a = agency_of(cases[i].name, cases[i].code, cases[i].kind,
			cases[i].supervisor);
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_eq(agency_create(fix_c, &a, NULL, &err), ERR_INVAL, "agency with %s accepted",
			cases[i].label);
		cr_expect_str_eq(err.field, cases[i].field, "agency with %s: field '%s', expected '%s'",
			cases[i].label, err.field, cases[i].field);
	}
}

Test(agency, duplicates_name_the_field)
{
	static const struct {
		const char *label, *name, *code, *field;
	} cases[] = {
		{ "same name", "臺北地方檢察署", "OTHER", "name" },
		{ "same code", "Another office", "TPC", "code" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct agency a = agency_of(cases[i].name, cases[i].code, AGENCY_GOVERNMENT, 0);
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_eq(agency_create(fix_c, &a, NULL, &err), ERR_CONFLICT, "agency with %s accepted",
			cases[i].label);
		cr_expect_str_eq(err.field, cases[i].field, "agency with %s: field '%s', expected '%s'",
			cases[i].label, err.field, cases[i].field);
		cr_expect_not_null(strstr(err.message, "already"), "agency with %s: message '%s'",
			cases[i].label, err.message);
	}
}

Test(agency, update)
{
	struct agency a, other, got;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(agency_get(fix_c, fix_agency, &a), 0, "get the fixture agency");
	other = agency_of("臺中地方檢察署", "TCC", AGENCY_DISTRICT_PROSECUTORS, 0);
	cr_assert_eq(agency_create(fix_c, &other, NULL, &err), 0, "create: %s", err.message);

	str_copy(a.name_en, sizeof(a.name_en), "Taipei District Prosecutors Office");
	a.kind = AGENCY_DISTRICT_PROSECUTORS;
	a.supervisor_id = other.id;
	cr_assert_eq(agency_update(fix_c, &a, NULL, &err), 0, "update: %s", err.message);
	agency_get(fix_c, a.id, &got);
	cr_expect_str_eq(got.name_en, a.name_en, "name_en '%s'", got.name_en);
	cr_expect_eq(got.supervisor_id, other.id, "supervisor %lld", (long long)got.supervisor_id);

	a.supervisor_id = a.id;
	cr_expect_eq(agency_update(fix_c, &a, NULL, &err), ERR_INVAL, "an agency supervising itself");
	cr_expect_str_eq(err.field, "supervisor", "field '%s'", err.field);
	a.supervisor_id = 0;
	str_copy(a.code, sizeof(a.code), "TCC");
	cr_expect_eq(agency_update(fix_c, &a, NULL, &err), ERR_CONFLICT, "update to a taken code");
	cr_expect_str_eq(err.field, "code", "field '%s'", err.field);
	str_copy(a.code, sizeof(a.code), "TPC");
	a.id = 9999;
	cr_expect_eq(agency_update(fix_c, &a, NULL, &err), ERR_NOTFOUND, "update of agency 9999");
}

/* ---- users ---- */

static struct auth_user user_of(const char *username, int64_t agency, uint32_t roles)
{
	struct auth_user u = { 0 };

	str_copy(u.username, sizeof(u.username), username);
	u.agency_id = agency;
	u.roles = roles;
	return u;
}

Test(user, create_get_find_list)
{
	struct audit_event ev;
	struct auth_user u = user_of("wang.xiaoming", fix_agency, ROLE_PROSECUTOR | ROLE_AUDITOR);
	struct auth_user got, *list = NULL;
	struct err_msg err = ERR_MSG_INIT;
	int64_t other = fix_agency_new("Other", "OTH");
	size_t n = 0;

	str_copy(u.display_name, sizeof(u.display_name), "王小明");
	str_copy(u.email, sizeof(u.email), "wang@example.gov.tw");
	u.must_change_password = true;
	audit_event_console(&ev, "user.create", "user", NULL, AUDIT_OK);
	cr_assert_eq(auth_user_create(fix_c, &u, pw, &ev, &err), 0, "create: %s", err.message);
	cr_assert_gt(u.id, 0, "id %lld", (long long)u.id);
	cr_assert_eq(auth_user_get(fix_c, u.id, &got), 0, "get");
	cr_expect_str_eq(got.display_name, "王小明", "display_name '%s'", got.display_name);
	cr_expect_eq(got.roles, ROLE_PROSECUTOR | ROLE_AUDITOR, "roles %#x", got.roles);
	cr_expect(got.must_change_password, "must_change_password lost");
	cr_expect(!got.disabled && !got.totp_enabled, "new user disabled or with TOTP");
	cr_expect_str_eq(got.created_at, "2026-01-01T00:00:00Z", "created_at '%s'", got.created_at);
	cr_assert_eq(auth_user_find(fix_c, "wang.xiaoming", &got), 0, "find");
	cr_assert_eq(got.id, u.id, "find → %lld", (long long)got.id);
	cr_assert_eq(auth_user_find(fix_c, "WANG.XIAOMING", &got), ERR_NOTFOUND, "find upper case");
	fix_user_new("other.user", other, ROLE_REPORTER, pw);
	cr_assert_eq(auth_user_list(fix_c, fix_agency, &list, &n), 0, "list of agency");
	cr_assert_eq(n, 1, "agency lists %zu users", n);
	free(list);
	cr_assert_eq(auth_user_list(fix_c, 0, &list, &n), 0, "list of all");
	cr_assert_eq(n, 2, "all agencies list %zu users", n);
	free(list);
	cr_assert_eq(fix_audit_count("user.create"), 1, "user.create events");
}

Test(user, validation_names_the_field)
{
	static const struct {
		const char *label, *username, *email, *password;
		uint32_t roles;
		int64_t agency; /* -1: the fixture's */
		const char *field;
	} cases[] = {
		{ "2-letter name", "ab", "", pw, ROLE_ANALYST, -1, "username" },
		{ "empty name", "", "", pw, ROLE_ANALYST, -1, "username" },
		{ "upper-case name", "Alice", "", pw, ROLE_ANALYST, -1, "username" },
		{ "name with a space", "al ice", "", pw, ROLE_ANALYST, -1, "username" },
		{ "name with '@'", "al@ice", "", pw, ROLE_ANALYST, -1, "username" },
		{ "Chinese name", "王小明", "", pw, ROLE_ANALYST, -1, "username" },
		{ "e-mail without '@'", "alice", "alice.example.com", pw, ROLE_ANALYST, -1, "email" },
		{ "no roles", "alice", "", pw, 0, -1, "roles" },
		{ "unknown role bit", "alice", "", pw, 1u << 12, -1, "roles" },
		{ "missing agency", "alice", "", pw, ROLE_ANALYST, 999, "agency" },
		{ "short password", "alice", "", "Short-1", ROLE_ANALYST, -1, "password" },
		{ "password with the name", "alice", "", "my-alice-pass1", ROLE_ANALYST, -1, "password" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct auth_user u = user_of(cases[i].username,
			cases[i].agency < 0 ? fix_agency : cases[i].agency, cases[i].roles);
		struct err_msg err = ERR_MSG_INIT;
		str_copy(u.email, sizeof(u.email), cases[i].email);
		cr_expect_eq(auth_user_create(fix_c, &u, cases[i].password, NULL, &err), ERR_INVAL,
			"user with %s accepted", cases[i].label);
		cr_expect_str_eq(err.field, cases[i].field, "user with %s: field '%s', expected '%s'",
			cases[i].label, err.field, cases[i].field);
	}
	cr_assert_eq(fix_audit_count("user.create"), 0, "refused users were audited");
}

Test(user, duplicate_name_is_a_conflict_naming_the_field)
{
	struct auth_user u = user_of("alice", fix_agency, ROLE_ANALYST);
	struct err_msg err = ERR_MSG_INIT;
	struct auth_user *list;
	size_t n;

	fix_user_new("alice", fix_agency, ROLE_ADMIN, pw);
	cr_assert_eq(auth_user_create(fix_c, &u, pw, NULL, &err), ERR_CONFLICT, "second 'alice'");
	cr_assert_str_eq(err.field, "username", "field '%s'", err.field);
	cr_assert_not_null(strstr(err.message, "'alice' already exists"), "message '%s'",
		err.message);
	auth_user_list(fix_c, 0, &list, &n);
	cr_assert_eq(n, 1, "%zu users after the conflict", n);
	free(list);
}

Test(user, update_and_disable)
{
	int64_t uid = fix_user_new("dave", fix_agency, ROLE_INVESTIGATOR, pw);
	struct auth_login in = { "dave", pw, NULL, "10.0.0.2", NULL };
	struct auth_session_new s;
	struct auth_principal p;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "login: %s", err.message);
	u.roles = ROLE_INVESTIGATOR | ROLE_REPORTER;
	str_copy(u.display_name, sizeof(u.display_name), "Dave");
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), 0, "update: %s", err.message);
	cr_assert_eq(auth_session_lookup(fix_c, s.id, &p, &err), 0, "session after update");
	cr_assert_eq(p.roles, ROLE_INVESTIGATOR | ROLE_REPORTER, "session roles %#x", p.roles);

	u.roles = 0;
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), ERR_INVAL, "update to no roles");
	cr_assert_str_eq(err.field, "roles", "field '%s'", err.field);
	u.roles = ROLE_REPORTER;
	u.disabled = true;
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), 0, "disable: %s", err.message);
	cr_assert_eq(auth_session_lookup(fix_c, s.id, &p, &err), ERR_AUTH,
		"session of a disabled user still works");
	u.id = 9999;
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), ERR_NOTFOUND, "update of user 9999");
	(void)uid;
}

Test(user, set_password_ends_sessions)
{
	int64_t uid = fix_user_new("erin", fix_agency, ROLE_ANALYST, pw);
	struct auth_login in = { "erin", pw, NULL, "10.0.0.3", NULL };
	struct auth_session_new s;
	struct auth_principal p;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "login: %s", err.message);
	cr_assert_eq(auth_user_set_password(fix_c, uid, "erin-is-here-1", false, NULL, &err),
		ERR_INVAL, "password containing the user name");
	cr_assert_eq(auth_user_set_password(fix_c, uid, "New-passw0rd-x", true, NULL, &err), 0,
		"set password: %s", err.message);
	cr_assert_eq(auth_session_lookup(fix_c, s.id, &p, &err), ERR_AUTH,
		"session survived a password change");
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "old password still works");
	in.password = "New-passw0rd-x";
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "new password: %s", err.message);
	cr_assert(u.must_change_password, "must_change_password not set");
	cr_assert_eq(auth_session_lookup(fix_c, s.id, &p, &err), 0, "new session");
	cr_assert(p.must_change_password, "the session does not carry must_change_password");
	cr_assert_eq(auth_user_set_password(fix_c, 9999, "New-passw0rd-x", false, NULL, &err),
		ERR_NOTFOUND, "password of user 9999");
}

/* ---- sign-in ---- */

Test(login, success_opens_a_session)
{
	int64_t uid = fix_user_new("frank", fix_agency, ROLE_ANALYST | ROLE_AUDITOR, pw);
	struct auth_login in = { "frank", pw, NULL, "192.0.2.7", "curl/8" };
	struct auth_session_new s;
	struct auth_principal p;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "login: %s", err.message);
	cr_assert_eq(u.id, uid, "login returned user %lld", (long long)u.id);
	cr_assert_eq(strlen(s.id), 43, "session id '%s' is not 32 random bytes", s.id);
	cr_assert_eq(s.expires_at, FIX_T0 + auth_settings.session_ttl_s, "expires_at %lld",
		(long long)s.expires_at);
	cr_assert_eq(auth_session_lookup(fix_c, s.id, &p, &err), 0, "lookup: %s", err.message);
	cr_assert_eq(p.user_id, uid, "principal %lld", (long long)p.user_id);
	cr_assert_str_eq(p.username, "frank", "principal '%s'", p.username);
	cr_assert_eq(p.agency_id, fix_agency, "principal agency %lld", (long long)p.agency_id);
	cr_assert_eq(p.agency_kind, AGENCY_POLICE, "principal agency kind %d", p.agency_kind);
	cr_assert_eq(p.roles, ROLE_ANALYST | ROLE_AUDITOR, "principal roles %#x", p.roles);
	cr_assert_eq(p.scopes, SCOPE_ALL, "a session carries scopes %#x", p.scopes);
	cr_assert_eq(p.via, AUTH_SESSION, "via %d", p.via);
	cr_assert_str_eq(p.csrf, s.csrf, "csrf '%s', expected '%s'", p.csrf, s.csrf);
	/* Only the hash of the session id is stored. */
	{
		int64_t n = -1;
		store_query_int64(fix_c, &n, "SELECT COUNT(*) FROM sessions WHERE key = ?", "t", s.id);
		cr_assert_eq(n, 0, "the session id is stored in clear");
	}
	cr_assert_eq(auth_session_lookup(fix_c, "forged", &p, &err), ERR_AUTH, "forged cookie");
	cr_assert_eq(fix_audit_count("session.login"), 1, "session.login events");
	cr_assert_eq(auth_user_get(fix_c, uid, &u), 0, "get");
	cr_assert_str_eq(u.last_login_at, "2026-01-01T00:00:00Z", "last_login_at '%s'",
		u.last_login_at);
}

Test(login, wrong_credentials)
{
	static const struct {
		const char *username, *password, *field;
	} cases[] = {
		{ "grace", "Wrong-passw0rd", "password" },
		{ "grace", "", "password" },
		{ "nobody", pw, "password" },
		{ "", pw, "password" },
		{ "GRACE", pw, "password" },
	};
	struct auth_session_new s;
	struct auth_user u;

	fix_user_new("grace", fix_agency, ROLE_ANALYST, pw);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct auth_login in = { cases[i].username, cases[i].password, NULL, "10.0.0.4", NULL };
		struct err_msg err = ERR_MSG_INIT;
		cr_expect_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "login '%s' / '%s'",
			cases[i].username, cases[i].password);
		cr_expect_str_eq(err.field, cases[i].field, "login '%s' / '%s': field '%s'",
			cases[i].username, cases[i].password, err.field);
		/* The same words whether the user exists or not: no user enumeration. */
		cr_expect_str_eq(err.message, "wrong user name or password", "login '%s': message '%s'",
			cases[i].username, err.message);
	}
	cr_assert_eq(fix_audit_count("session.login"), (int64_t)N_ELEMS(cases),
		"every failed attempt is audited");
	fix_audit_intact();
}

Test(login, lockout_after_repeated_failures)
{
	int64_t uid = fix_user_new("heidi", fix_agency, ROLE_ANALYST, pw);
	struct auth_login bad = { "heidi", "Wrong-passw0rd", NULL, "10.0.0.5", NULL };
	struct auth_login good = { "heidi", pw, NULL, "10.0.0.5", NULL };
	struct auth_session_new s;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	auth_settings.login_max_failures = 3;
	auth_settings.login_lockout_s = 600;
	for (int i = 1; i <= 2; i++)
		cr_assert_eq(auth_login(fix_c, &bad, &u, &s, &err), ERR_AUTH, "failure %d", i);
	/* A success before the limit resets the count. */
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), 0, "login after 2 failures: %s",
		err.message);
	auth_user_get(fix_c, uid, &u);
	cr_assert_eq(u.failed_logins, 0, "failed_logins %lld after a success",
		(long long)u.failed_logins);
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(auth_login(fix_c, &bad, &u, &s, &err), ERR_AUTH, "failure %d", i);
	auth_user_get(fix_c, uid, &u);
	cr_assert_str_eq(u.locked_until, "2026-01-01T00:10:00Z", "locked_until '%s'",
		u.locked_until);
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), ERR_LOCKED,
		"right password while locked");
	cr_assert_str_eq(err.field, "username", "field '%s'", err.field);
	cr_assert_not_null(strstr(err.message, "2026-01-01T00:10:00Z"), "message '%s' lacks until",
		err.message);
	clock_advance_ms(599 * 1000);
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), ERR_LOCKED, "1 s before the end");
	clock_advance_ms(2 * 1000);
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), 0, "after the lockout: %s",
		err.message);
	auth_user_get(fix_c, uid, &u);
	cr_assert_str_eq(u.locked_until, "", "still locked until '%s'", u.locked_until);
	cr_assert_gt(fix_audit_count("session.login"), 8, "attempts not audited");
	fix_audit_intact();
}

Test(login, unlock_clears_a_lockout)
{
	int64_t uid = fix_user_new("ivan", fix_agency, ROLE_ANALYST, pw);
	struct auth_login bad = { "ivan", "Wrong-passw0rd", NULL, "10.0.0.6", NULL };
	struct auth_login good = { "ivan", pw, NULL, "10.0.0.6", NULL };
	struct auth_session_new s;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	auth_settings.login_max_failures = 1;
	auth_login(fix_c, &bad, &u, &s, &err);
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), ERR_LOCKED, "locked after 1 failure");
	cr_assert_eq(auth_user_unlock(fix_c, uid, NULL), 0, "unlock");
	cr_assert_eq(auth_login(fix_c, &good, &u, &s, &err), 0, "after unlock: %s", err.message);
	cr_assert_eq(auth_user_unlock(fix_c, 9999, NULL), ERR_NOTFOUND, "unlock of user 9999");
}

Test(login, disabled_user_is_refused)
{
	struct auth_user u = user_of("judy", fix_agency, ROLE_ANALYST);
	struct auth_login in = { "judy", pw, NULL, "10.0.0.7", NULL };
	struct auth_session_new s;
	struct err_msg err = ERR_MSG_INIT;

	u.id = fix_user_new("judy", fix_agency, ROLE_ANALYST, pw);
	u.disabled = true;
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), 0, "disable: %s", err.message);
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "disabled user signed in");
	cr_assert_not_null(strstr(err.message, "disabled"), "message '%s'", err.message);
}

Test(login, rate_limit_per_source)
{
	struct auth_login in = { "nobody", pw, NULL, "203.0.113.9", NULL };
	struct auth_login other = { "nobody", pw, NULL, "203.0.113.10", NULL };
	struct auth_session_new s;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	auth_settings.login_rate_per_minute = 3;
	clock_set_fake_ms((int64_t)(FIX_T0 + 60) * 1000); /* the start of a minute */
	for (int i = 1; i <= 3; i++)
		cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "attempt %d", i);
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_RATE, "4th attempt in a minute");
	cr_assert_eq(auth_login(fix_c, &other, &u, &s, &err), ERR_AUTH, "another address is limited too");
	clock_advance_ms(60 * 1000);
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "the limit did not reset in the next minute");
}

/* ---- sessions ---- */

static struct auth_session_new login_as(const char *username)
{
	struct auth_login in = { username, pw, NULL, "10.1.1.1", NULL };
	struct auth_session_new s;
	struct auth_user u;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "login '%s': %s", username,
		err.message);
	return s;
}

static int lookup(const char *cookie)
{
	struct auth_principal p;
	struct err_msg err = ERR_MSG_INIT;

	return auth_session_lookup(fix_c, cookie, &p, &err);
}

Test(session, ends_after_its_lifetime)
{
	struct auth_session_new s;

	fix_user_new("kim", fix_agency, ROLE_ANALYST, pw);
	auth_settings.session_ttl_s = 3600;
	auth_settings.session_idle_s = 3600;
	s = login_as("kim");
	for (int minute = 0; minute < 60; minute += 10) {
		clock_set_fake_ms((int64_t)(FIX_T0 + minute * 60) * 1000);
		cr_assert_eq(lookup(s.id), 0, "session refused %d minutes after login", minute);
	}
	clock_set_fake_ms((int64_t)(FIX_T0 + 3599) * 1000);
	cr_assert_eq(lookup(s.id), 0, "session refused 1 s before its end");
	clock_set_fake_ms((int64_t)(FIX_T0 + 3600) * 1000);
	cr_assert_eq(lookup(s.id), ERR_AUTH, "session accepted at its end");
}

Test(session, ends_when_idle)
{
	struct auth_session_new s;

	fix_user_new("lee", fix_agency, ROLE_ANALYST, pw);
	auth_settings.session_ttl_s = 86400;
	auth_settings.session_idle_s = 300;
	s = login_as("lee");
	/* Use within the idle time keeps the session alive well past it. */
	for (int i = 1; i <= 6; i++) {
		clock_advance_ms(200 * 1000);
		cr_assert_eq(lookup(s.id), 0, "session refused after %d uses 200 s apart", i);
	}
	clock_advance_ms(301 * 1000);
	cr_assert_eq(lookup(s.id), ERR_AUTH, "session accepted after 301 s unused");
}

Test(session, logout_and_other_users_sessions)
{
	struct auth_session_new a, b;
	struct auth_principal p;
	struct err_msg err = ERR_MSG_INIT;

	fix_user_new("mia", fix_agency, ROLE_ANALYST, pw);
	fix_user_new("ned", fix_agency, ROLE_ANALYST, pw);
	a = login_as("mia");
	b = login_as("ned");
	cr_assert_eq(auth_session_lookup(fix_c, a.id, &p, &err), 0, "mia's session");
	cr_assert_eq(auth_session_delete(fix_c, p.session_key), 0, "logout");
	cr_assert_eq(lookup(a.id), ERR_AUTH, "session after logout");
	cr_assert_eq(auth_session_lookup(fix_c, b.id, &p, &err), 0, "ned's session after mia's logout");
	cr_assert_str_eq(p.username, "ned", "ned's session is '%s'", p.username);
	cr_assert_str_neq(a.csrf, b.csrf, "two sessions share a CSRF token");
}

/* ---- API tokens ---- */

static int64_t new_token(int64_t uid, uint32_t scopes, int64_t ttl_days, char secret[64])
{
	struct auth_token t;
	struct err_msg err = ERR_MSG_INIT;
	int ret = auth_token_create(fix_c, uid, "monitoring", scopes, ttl_days, &t, secret, NULL,
		&err);

	cr_assert_eq(ret, 0, "token_create: %s", err.message);
	return t.id;
}

static int token_lookup(const char *secret, struct auth_principal *p)
{
	struct err_msg err = ERR_MSG_INIT;

	return auth_token_lookup(fix_c, secret, p, &err);
}

Test(token, create_and_use)
{
	int64_t uid = fix_user_new("olga", fix_agency, ROLE_ADMIN | ROLE_API_CLIENT, pw);
	struct audit_event ev;
	struct auth_principal p;
	struct auth_token t, *list;
	struct err_msg err = ERR_MSG_INIT;
	char secret[AUTH_TOKEN_SECRET_SIZE];
	size_t n;

	audit_event_console(&ev, "token.create", "token", NULL, AUDIT_OK);
	cr_assert_eq(auth_token_create(fix_c, uid, "prometheus", SCOPE_METRICS | SCOPE_READ, 0, &t,
			     secret, &ev, &err),
		0, "create: %s", err.message);
	cr_assert(str_has_prefix(secret, "rct_"), "secret '%s' lacks the rct_ prefix", secret);
	cr_assert_eq(strlen(secret), 4 + 43, "secret '%s' length %zu", secret, strlen(secret));
	cr_assert(str_has_prefix(secret, t.prefix), "prefix '%s' is not the start of the secret",
		t.prefix);
	cr_assert_eq(strlen(t.prefix), 10, "prefix '%s'", t.prefix);
	cr_assert_str_eq(t.name, "prometheus", "name '%s'", t.name);
	cr_assert_str_eq(t.expires_at, "", "a token without expiry expires at '%s'", t.expires_at);
	cr_assert_str_eq(t.revoked_at, "", "new token revoked at '%s'", t.revoked_at);
	{
		int64_t n_clear = -1;
		store_query_int64(fix_c, &n_clear,
			"SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR prefix = ?", "tt", secret,
			secret);
		cr_assert_eq(n_clear, 0, "the secret is stored in clear");
	}
	cr_assert_eq(token_lookup(secret, &p), 0, "lookup");
	cr_assert_eq(p.user_id, uid, "principal %lld", (long long)p.user_id);
	cr_assert_eq(p.roles, ROLE_ADMIN | ROLE_API_CLIENT, "roles %#x", p.roles);
	cr_assert_eq(p.scopes, SCOPE_METRICS | SCOPE_READ, "the token's scopes %#x", p.scopes);
	cr_assert_eq(p.via, AUTH_TOKEN, "via %d", p.via);
	cr_assert_eq(p.token_id, t.id, "token id %lld", (long long)p.token_id);
	/* The narrowed token: admin by role, but without the admin scope. */
	cr_assert_eq(auth_policy_decide(&p, "POST", "/api/v1/users"), REACH_NONE,
		"a read+metrics token may create users");
	cr_assert_eq(auth_policy_decide(&p, "GET", "/metrics"), REACH_ALL, "metrics refused");
	cr_assert_eq(auth_token_list(fix_c, uid, &list, &n), 0, "list");
	cr_assert_eq(n, 1, "list has %zu tokens", n);
	free(list);
	cr_assert_eq(fix_audit_count("token.create"), 1, "token.create events");
}

Test(token, validation_names_the_field)
{
	static const struct {
		const char *label, *name;
		uint32_t scopes;
		int64_t ttl;
		int64_t user; /* 0: the test's user */
		int ret;
		const char *field;
	} cases[] = {
		{ "empty name", "", SCOPE_READ, 0, 0, ERR_INVAL, "name" },
		{ "no scopes", "x", 0, 0, 0, ERR_INVAL, "scopes" },
		{ "unknown scope", "x", 1u << 7, 0, 0, ERR_INVAL, "scopes" },
		{ "negative expiry", "x", SCOPE_READ, -1, 0, ERR_INVAL, "expires_in_days" },
		{ "expiry of 3651 days", "x", SCOPE_READ, 3651, 0, ERR_INVAL, "expires_in_days" },
		{ "missing user", "x", SCOPE_READ, 0, 999, ERR_INVAL, "user" },
	};
	int64_t uid = fix_user_new("pete", fix_agency, ROLE_API_CLIENT, pw);

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct auth_token t;
		struct err_msg err = ERR_MSG_INIT;
		char secret[AUTH_TOKEN_SECRET_SIZE];
		int ret = auth_token_create(fix_c, cases[i].user ? cases[i].user : uid, cases[i].name,
			cases[i].scopes, cases[i].ttl, &t, secret, NULL, &err);
		cr_expect_eq(ret, cases[i].ret, "token with %s: returned %d", cases[i].label, ret);
		cr_expect_str_eq(err.field, cases[i].field, "token with %s: field '%s', expected '%s'",
			cases[i].label, err.field, cases[i].field);
	}
}

Test(token, revoked_tokens_are_refused)
{
	int64_t uid = fix_user_new("quinn", fix_agency, ROLE_API_CLIENT, pw);
	struct auth_principal p;
	struct auth_token t;
	char secret[AUTH_TOKEN_SECRET_SIZE], other[AUTH_TOKEN_SECRET_SIZE];
	int64_t id = new_token(uid, SCOPE_LOOKUP, 0, secret);

	new_token(uid, SCOPE_LOOKUP, 0, other);
	cr_assert_eq(auth_token_revoke(fix_c, id, NULL), 0, "revoke");
	cr_assert_eq(token_lookup(secret, &p), ERR_AUTH, "revoked token accepted");
	cr_assert_eq(token_lookup(other, &p), 0, "the other token was revoked too");
	cr_assert_eq(auth_token_revoke(fix_c, id, NULL), ERR_NOTFOUND, "revoked twice");
	cr_assert_eq(auth_token_revoke(fix_c, 9999, NULL), ERR_NOTFOUND, "revoke of token 9999");
	cr_assert_eq(auth_token_get(fix_c, id, &t), 0, "get revoked");
	cr_assert_str_eq(t.revoked_at, "2026-01-01T00:00:00Z", "revoked_at '%s'", t.revoked_at);
}

Test(token, expired_tokens_are_refused)
{
	int64_t uid = fix_user_new("rita", fix_agency, ROLE_API_CLIENT, pw);
	struct auth_principal p;
	char secret[AUTH_TOKEN_SECRET_SIZE];

	new_token(uid, SCOPE_READ, 1, secret);
	clock_advance_ms((int64_t)86399 * 1000);
	cr_assert_eq(token_lookup(secret, &p), 0, "token refused 1 s before its expiry");
	clock_advance_ms(1000);
	cr_assert_eq(token_lookup(secret, &p), ERR_AUTH, "token accepted at its expiry");
}

/*
 * Lookups are cached; every change to the database, through this connection,
 * another one or another process, reaches the next lookup.
 */
Test(token, cached_lookups_see_every_change)
{
	int64_t uid = fix_user_new("uma", fix_agency, ROLE_API_CLIENT, pw);
	int64_t vid = fix_user_new("vic", fix_agency, ROLE_API_CLIENT, pw);
	struct store_conn *other = store_acquire(fix_db);
	struct err_msg err = ERR_MSG_INIT;
	struct store *process2 = NULL;
	struct auth_principal p;
	struct auth_token t;
	struct auth_user u;
	char a[AUTH_TOKEN_SECRET_SIZE], b[AUTH_TOKEN_SECRET_SIZE], c[AUTH_TOKEN_SECRET_SIZE],
		d[AUTH_TOKEN_SECRET_SIZE];
	int64_t ida = new_token(uid, SCOPE_LOOKUP, 0, a), idb = new_token(uid, SCOPE_LOOKUP, 0, b);
	int64_t idc = new_token(uid, SCOPE_LOOKUP, 0, c);

	new_token(vid, SCOPE_LOOKUP, 0, d);
	for (int i = 0; i < 3; i++) /* read, then from the cache */
		cr_assert_eq(token_lookup(a, &p), 0, "lookup %d", i);
	cr_assert_eq(p.token_id, ida, "the cached principal is token %lld", (long long)p.token_id);
	cr_assert_eq(p.roles, ROLE_API_CLIENT, "the cached roles %#x", p.roles);

	/* Revoked through another connection of the pool. */
	cr_assert_eq(auth_token_revoke(other, ida, NULL), 0, "revoke a elsewhere");
	cr_assert_eq(token_lookup(a, &p), ERR_AUTH, "a token revoked elsewhere still works");

	/* Revoked through the lookup's own connection. */
	cr_assert_eq(token_lookup(b, &p), 0, "b");
	cr_assert_eq(token_lookup(b, &p), 0, "b from the cache");
	cr_assert_eq(auth_token_revoke(fix_c, idb, NULL), 0, "revoke b here");
	cr_assert_eq(token_lookup(b, &p), ERR_AUTH, "a token revoked here still works");

	/* Revoked by another process (a second store on the same file). */
	cr_assert_eq(token_lookup(c, &p), 0, "c");
	cr_assert_eq(token_lookup(c, &p), 0, "c from the cache");
	cr_assert_eq(store_open(store_path(fix_db), NULL, &process2, &err), 0, "second store: %s",
		err.message);
	{
		struct store_conn *c2 = store_acquire(process2);
		cr_assert_eq(auth_token_revoke(c2, idc, NULL), 0, "revoke c from the second store");
		store_release(c2);
	}
	store_close(process2);
	cr_assert_eq(token_lookup(c, &p), ERR_AUTH, "a token revoked by another process still works");

	/* The user's roles changed, then the user disabled, elsewhere. */
	cr_assert_eq(token_lookup(d, &p), 0, "d");
	cr_assert_eq(token_lookup(d, &p), 0, "d from the cache");
	auth_user_get(other, vid, &u);
	u.roles = ROLE_API_CLIENT | ROLE_AUDITOR;
	cr_assert_eq(auth_user_update(other, &u, NULL, &err), 0, "roles: %s", err.message);
	cr_assert_eq(token_lookup(d, &p), 0, "d after new roles");
	cr_assert_eq(p.roles, ROLE_API_CLIENT | ROLE_AUDITOR, "roles after the change %#x", p.roles);
	u.disabled = true;
	cr_assert_eq(auth_user_update(other, &u, NULL, &err), 0, "disable: %s", err.message);
	cr_assert_eq(token_lookup(d, &p), ERR_AUTH, "the token of a user disabled elsewhere works");
	store_release(other);

	/* last_used_at is still refreshed every five minutes from the cache. */
	new_token(uid, SCOPE_LOOKUP, 0, a);
	cr_assert_eq(token_lookup(a, &p), 0, "new a");
	cr_assert_eq(token_lookup(a, &p), 0, "new a from the cache");
	clock_advance_ms(301 * 1000);
	cr_assert_eq(token_lookup(a, &p), 0, "new a five minutes later");
	cr_assert_eq(auth_token_get(fix_c, p.token_id, &t), 0, "get");
	cr_assert_str_eq(t.last_used_at, "2026-01-01T00:05:01Z", "last_used_at '%s'", t.last_used_at);
}

Test(token, disabled_users_tokens_are_refused)
{
	int64_t uid = fix_user_new("sam", fix_agency, ROLE_API_CLIENT, pw);
	struct auth_principal p;
	struct auth_user u;
	struct auth_token t;
	struct err_msg err = ERR_MSG_INIT;
	char secret[AUTH_TOKEN_SECRET_SIZE];

	new_token(uid, SCOPE_READ, 0, secret);
	auth_user_get(fix_c, uid, &u);
	u.disabled = true;
	cr_assert_eq(auth_user_update(fix_c, &u, NULL, &err), 0, "disable: %s", err.message);
	cr_assert_eq(token_lookup(secret, &p), ERR_AUTH, "token of a disabled user accepted");
	cr_assert_eq(auth_token_create(fix_c, uid, "x", SCOPE_READ, 0, &t, secret, NULL, &err),
		ERR_CONFLICT, "token created for a disabled user");
	cr_assert_str_eq(err.field, "user", "field '%s'", err.field);
}

Test(token, malformed_secrets_are_refused)
{
	static const char *const bad[] = { "", "rct_", "rct_short", "Bearer rct_x", "RCT_abc",
		"session-cookie-value" };
	int64_t uid = fix_user_new("tom", fix_agency, ROLE_API_CLIENT, pw);
	char secret[AUTH_TOKEN_SECRET_SIZE];

	new_token(uid, SCOPE_READ, 0, secret);
	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		struct auth_principal p;
		cr_expect_eq(token_lookup(bad[i], &p), ERR_AUTH, "secret '%s' accepted", bad[i]);
	}
	secret[strlen(secret) - 1] ^= 1;
	{
		struct auth_principal p;
		cr_expect_eq(token_lookup(secret, &p), ERR_AUTH, "secret with one bit flipped accepted");
	}
}
