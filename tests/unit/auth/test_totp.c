/*
 * tests/unit/auth/test_totp.c - the TOTP second factor (src/auth/totp.c):
 * RFC 6238 appendix B SHA-1 vectors on the fake clock, the ±1 step window,
 * replay refusal, and enrolment, confirmation and sign-in against a store.
 */
#include <criterion/criterion.h>
#include <liboath/oath.h>
#include <string.h>

#include "auth/internal.h"
#include "base/clock.h"
#include "base/err.h"
#include "fixture.h"
#include "store/store.h"
#include "testutil.h"

/* The RFC 6238 SHA-1 seed "12345678901234567890" in base32. */
static const char rfc_secret[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/* RFC 6238 appendix B, SHA-1, reduced to the 6 digits rootcut uses. */
static const struct {
	int64_t t;
	const char *code;
} rfc_vectors[] = {
	{ 59, "287082" },
	{ 1111111109, "081804" },
	{ 1111111111, "050471" },
	{ 1234567890, "005924" },
	{ 2000000000, "279037" },
	{ 20000000000, "353130" },
};

Test(totp, rfc6238_vectors)
{
	for (size_t i = 0; i < N_ELEMS(rfc_vectors); i++) {
		int64_t last = 0;
		clock_set_fake_ms(rfc_vectors[i].t * 1000);
		cr_expect(auth_totp_valid(rfc_secret, rfc_vectors[i].code, &last),
			"T=%lld: code %s refused", (long long)rfc_vectors[i].t, rfc_vectors[i].code);
		cr_expect_eq(last, rfc_vectors[i].t / 30, "T=%lld: last step %lld, expected %lld",
			(long long)rfc_vectors[i].t, (long long)last, (long long)rfc_vectors[i].t / 30);
	}
}

Test(totp, a_code_is_good_once)
{
	for (size_t i = 0; i < N_ELEMS(rfc_vectors); i++) {
		int64_t last = 0;
		clock_set_fake_ms(rfc_vectors[i].t * 1000);
		cr_assert(auth_totp_valid(rfc_secret, rfc_vectors[i].code, &last), "T=%lld first use",
			(long long)rfc_vectors[i].t);
		cr_expect(!auth_totp_valid(rfc_secret, rfc_vectors[i].code, &last),
			"T=%lld: code %s accepted twice", (long long)rfc_vectors[i].t,
			rfc_vectors[i].code);
		clock_advance_ms(30000);
		cr_expect(!auth_totp_valid(rfc_secret, rfc_vectors[i].code, &last),
			"T=%lld: code %s replayed one step later", (long long)rfc_vectors[i].t,
			rfc_vectors[i].code);
	}
}

Test(totp, window_of_one_step_each_way)
{
	static const struct {
		int64_t offset_s; /* from the code's own time */
		bool want;
	} cases[] = {
		{ 0, true }, { 29, true }, { 30, true }, { 59, true }, { 60, false }, { 90, false },
		{ -30, true }, { -31, false }, { -60, false }, { -600, false },
	};
	/* 1111111111 is 1 s into its step (step starts at 1111111110). */
	const int64_t t = 1111111110;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t last = 0;
		clock_set_fake_ms((t + cases[i].offset_s) * 1000);
		cr_expect_eq(auth_totp_valid(rfc_secret, "050471", &last), cases[i].want,
			"code of T=%lld checked %+lld s later: expected %s", (long long)t,
			(long long)cases[i].offset_s, cases[i].want ? "accepted" : "refused");
	}
}

Test(totp, an_older_step_after_a_newer_one_is_refused)
{
	int64_t last = 0;

	/* At T=1111111111 both the current (050471) and the previous step's code fit the window. */
	clock_set_fake_ms(1111111111LL * 1000);
	cr_assert(auth_totp_valid(rfc_secret, "050471", &last), "current step's code");
	cr_expect(!auth_totp_valid(rfc_secret, "081804", &last),
		"the previous step's code accepted after the current one");
}

Test(totp, malformed_codes_and_secrets)
{
	static const char *const codes[] = { "", "28708", "2870822", "28708a", " 87082", "287082 ",
		"２８７０８２", "-28708" };

	clock_set_fake_ms(59 * 1000);
	for (size_t i = 0; i < N_ELEMS(codes); i++) {
		int64_t last = 0;
		cr_expect(!auth_totp_valid(rfc_secret, codes[i], &last), "code '%s' accepted",
			codes[i]);
		cr_expect_eq(last, 0, "code '%s' refused but moved the last step", codes[i]);
	}
	{
		int64_t last = 0;
		cr_expect(!auth_totp_valid(rfc_secret, NULL, &last), "NULL code accepted");
		cr_expect(!auth_totp_valid("not base32!", "287082", &last), "bad secret accepted");
		cr_expect(!auth_totp_valid("", "287082", &last), "empty secret accepted");
	}
}

/* ---- enrolment and sign-in against a store ---- */

TestSuite(totp_store, .init = fix_setup, .fini = fix_teardown);

static void code_for(const char *secret, int64_t at, char out[7])
{
	char *raw = NULL;
	size_t len = 0;

	oath_init();
	cr_assert_eq(oath_base32_decode(secret, strlen(secret), &raw, &len), OATH_OK,
		"decode secret '%s'", secret);
	cr_assert_eq(oath_totp_generate(raw, len, (time_t)at, 30, 0, 6, out), OATH_OK,
		"code for '%s' at %lld", secret, (long long)at);
	free(raw);
}

static int64_t enrol(int64_t uid, char secret[64])
{
	struct err_msg err = ERR_MSG_INIT;
	char uri[256], code[7];

	cr_assert_eq(auth_totp_begin(fix_c, uid, secret, 64, uri, sizeof(uri), &err), 0,
		"totp_begin: %s", err.message);
	code_for(secret, clock_now(), code);
	cr_assert_eq(auth_totp_confirm(fix_c, uid, code, NULL, &err), 0, "confirm %s: %s", code,
		err.message);
	return clock_now();
}

Test(totp_store, enrolment)
{
	int64_t uid = fix_user_new("alice", fix_agency, ROLE_ANALYST, "Secret-passw0rd-1");
	struct err_msg err = ERR_MSG_INIT;
	struct auth_user u;
	char secret[64], uri[256], code[7];

	cr_assert_eq(auth_totp_confirm(fix_c, uid, "123456", NULL, &err), ERR_CONFLICT,
		"confirm before begin");
	cr_assert_str_eq(err.field, "totp", "field '%s'", err.field);
	cr_assert_eq(auth_totp_begin(fix_c, uid, secret, sizeof(secret), uri, sizeof(uri), &err), 0,
		"begin: %s", err.message);
	cr_assert_eq(strlen(secret), 32, "secret '%s' is not 160 bits of base32", secret);
	cr_assert_null(strchr(secret, '='), "secret '%s' is padded", secret);
	cr_assert(strstr(uri, "otpauth://totp/rootcut:alice?secret=") == uri, "uri '%s'", uri);
	cr_assert_not_null(strstr(uri, secret), "uri '%s' lacks the secret", uri);
	auth_user_get(fix_c, uid, &u);
	cr_assert(!u.totp_enabled, "enabled before confirmation");

	code_for(secret, clock_now() + 120, code);
	cr_assert_eq(auth_totp_confirm(fix_c, uid, code, NULL, &err), ERR_INVAL,
		"a code 4 steps ahead confirmed");
	cr_assert_str_eq(err.field, "code", "field '%s'", err.field);
	code_for(secret, clock_now(), code);
	cr_assert_eq(auth_totp_confirm(fix_c, uid, code, NULL, &err), 0, "confirm: %s", err.message);
	auth_user_get(fix_c, uid, &u);
	cr_assert(u.totp_enabled, "not enabled after confirmation");
	cr_assert_eq(auth_totp_begin(fix_c, 999, secret, sizeof(secret), uri, sizeof(uri), &err),
		ERR_NOTFOUND, "begin for user 999");
}

Test(totp_store, sign_in_needs_a_fresh_code)
{
	int64_t uid = fix_user_new("bob", fix_agency, ROLE_INVESTIGATOR, "Secret-passw0rd-2");
	struct auth_session_new s;
	struct auth_user u;
	char secret[64], code[7];
	int64_t confirmed_at = enrol(uid, secret);
	struct auth_login in = { "bob", "Secret-passw0rd-2", NULL, "10.0.0.1", "test" };
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "sign-in without a code");
	cr_assert_str_eq(err.field, "totp", "field '%s'", err.field);

	/* The code used to confirm cannot be used again to sign in. */
	code_for(secret, confirmed_at, code);
	in.totp = code;
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "confirmation code replayed");
	cr_assert_str_eq(err.field, "totp", "field '%s'", err.field);

	clock_advance_ms(30000);
	code_for(secret, clock_now(), code);
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "fresh code %s: %s", code,
		err.message);
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "same code for a second sign-in");

	in.totp = "000000";
	clock_advance_ms(30000);
	code_for(secret, clock_now(), code);
	if (strcmp(code, "000000") != 0)
		cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), ERR_AUTH, "wrong code accepted");
}

Test(totp_store, disable_needs_reauthentication)
{
	int64_t uid = fix_user_new("carol", fix_agency, ROLE_ANALYST, "Secret-passw0rd-3");
	struct err_msg err = ERR_MSG_INIT;
	struct auth_session_new s;
	struct auth_user u;
	char secret[64], code[8];
	struct auth_login in = { "carol", "Secret-passw0rd-3", NULL, "10.0.0.1", NULL };
	struct auth_login wrong = { "carol", "wrong", NULL, "10.0.0.1", NULL };

	enrol(uid, secret);
	/* Turning the factor off takes what a sign-in takes: password and a current code. */
	cr_assert_eq(auth_reauthenticate(fix_c, &wrong, &err), ERR_AUTH, "a wrong password passed");
	cr_assert_str_eq(err.field, "password", "field '%s'", err.field);
	cr_assert_eq(auth_reauthenticate(fix_c, &in, &err), ERR_AUTH, "no code passed");
	cr_assert_str_eq(err.field, "totp", "field '%s'", err.field);
	clock_advance_ms(30000);
	code_for(secret, clock_now(), code);
	in.totp = code;
	cr_assert_eq(auth_reauthenticate(fix_c, &in, &err), 0, "password and code: %s", err.message);
	cr_assert_eq(auth_reauthenticate(fix_c, &in, &err), ERR_AUTH, "the same code twice passed");
	cr_assert_eq(auth_totp_disable(fix_c, uid, NULL), 0, "disable");
	in.totp = NULL;
	cr_assert_eq(auth_login(fix_c, &in, &u, &s, &err), 0, "sign-in without TOTP after disabling: %s",
		err.message);
	cr_assert(!u.totp_enabled, "still enabled");
}
