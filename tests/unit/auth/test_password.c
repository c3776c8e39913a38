/*
 * tests/unit/auth/test_password.c - argon2id hashing, the password policy and
 * generated one-time passwords (src/auth/password.c). Hashing uses argon2's
 * smallest cost so the round trips take microseconds.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "auth/internal.h"
#include "base/err.h"
#include "config/config.h"
#include "testutil.h"

static void cheap(void)
{
	auth_settings.argon2_t_cost = 1;
	auth_settings.argon2_m_kib = 8;
	auth_settings.password_min_length = 12;
}

TestSuite(password, .init = cheap);

Test(password, hash_and_verify_round_trip)
{
	static const char *const passwords[] = { "correct horse battery", "Tr0ub4dor&3xyz",
		"臺灣高等檢察署密碼12345", "x", "" };

	for (size_t i = 0; i < N_ELEMS(passwords); i++) {
		char phc[256];
		cr_assert_eq(auth_password_hash(passwords[i], phc, sizeof(phc)), 0, "hash '%s'",
			passwords[i]);
		cr_expect(strncmp(phc, "$argon2id$v=19$m=8,t=1,p=1$", 27) == 0,
			"hash of '%s' is '%s', not argon2id with the configured cost", passwords[i], phc);
		cr_expect(auth_password_verify(passwords[i], phc), "'%s' does not verify against '%s'",
			passwords[i], phc);
		cr_expect(!auth_password_verify("wrong password", phc),
			"'wrong password' verifies against the hash of '%s'", passwords[i]);
	}
}

Test(password, near_misses_do_not_verify)
{
	static const char *const others[] = { "Secret-Passw0rd ", "secret-passw0rd",
		"Secret-Passw0r", "Secret-Passw0rdd", "" };
	char phc[256];

	cr_assert_eq(auth_password_hash("Secret-Passw0rd", phc, sizeof(phc)), 0, "hash");
	for (size_t i = 0; i < N_ELEMS(others); i++)
		cr_expect(!auth_password_verify(others[i], phc), "'%s' verifies as 'Secret-Passw0rd'",
			others[i]);
}

Test(password, salts_differ)
{
	char a[256], b[256];

	auth_password_hash("same password 1", a, sizeof(a));
	auth_password_hash("same password 1", b, sizeof(b));
	cr_assert_str_neq(a, b, "two hashes of one password are equal: '%s'", a);
}

Test(password, bad_hashes_never_verify)
{
	static const char *const bad[] = { "", "plain", "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
		"$argon2id$v=19$m=8,t=1,p=1$$", "$2b$10$abcdefghijklmnopqrstuu" };

	for (size_t i = 0; i < N_ELEMS(bad); i++)
		cr_expect(!auth_password_verify("anything", bad[i]), "password verifies against '%s'",
			bad[i]);
}

Test(password, hash_into_a_small_buffer_fails)
{
	char phc[16];

	cr_assert_eq(auth_password_hash("long enough pass", phc, sizeof(phc)), ERR_INTERNAL,
		"hash into 16 bytes succeeded");
}

Test(password, policy)
{
	static const struct {
		const char *password, *username;
		const char *reason; /* NULL: accepted */
	} cases[] = {
		{ "Abcdefgh1234", "alice", NULL },
		{ "abcdefgh1234", "alice", NULL },
		{ "abcdefghijk!", "alice", NULL },
		{ "ABCDEFGHIJK1", "alice", NULL },
		{ "密碼密碼密碼1", "alice", NULL }, /* multi-byte letters count as 'other' */
		{ "correct horse battery staple", NULL, NULL },
		{ "Abcdefgh123", "alice", "at least 12 characters" },
		{ "", "alice", "at least 12 characters" },
		{ "abcdefghijkl", "alice", "mix at least two" },
		{ "ABCDEFGHIJKL", "alice", "mix at least two" },
		{ "123456789012", "alice", "mix at least two" },
		{ "!!!!!!!!!!!!", "alice", "mix at least two" },
		{ "xx-alice-2024", "alice", "must not contain the user name" },
		{ "xx-ALICE-2024", "alice", "must not contain the user name" },
		{ "xx-alice-2024", "", NULL },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct err_msg err = ERR_MSG_INIT;
		int ret = auth_password_check(cases[i].password, cases[i].username, &err);
		if (!cases[i].reason) {
			cr_expect_eq(ret, 0, "password '%s' (user %s) refused: %s", cases[i].password,
				cases[i].username, err.message);
			continue;
		}
		cr_expect_eq(ret, ERR_INVAL, "password '%s' (user %s) accepted", cases[i].password,
			cases[i].username);
		cr_expect_str_eq(err.field, "password", "password '%s': field '%s'", cases[i].password,
			err.field);
		cr_expect_not_null(strstr(err.message, cases[i].reason),
			"password '%s': message '%s' lacks '%s'", cases[i].password, err.message,
			cases[i].reason);
	}
}

Test(password, length_limits)
{
	char p[300];
	struct err_msg err = ERR_MSG_INIT;

	memset(p, 'a', sizeof(p));
	p[0] = 'A';
	p[256] = '\0';
	cr_expect_eq(auth_password_check(p, "bob", &err), 0, "256 characters refused: %s",
		err.message);
	p[256] = 'a';
	p[257] = '\0';
	cr_expect_eq(auth_password_check(p, "bob", &err), ERR_INVAL, "257 characters accepted");
	cr_expect_not_null(strstr(err.message, "at most 256"), "message '%s'", err.message);
	auth_settings.password_min_length = 20;
	cr_expect_eq(auth_password_check("Abcdefgh1234", "bob", &err), ERR_INVAL,
		"12 characters accepted with a minimum of 20");
	cr_expect_not_null(strstr(err.message, "at least 20"), "message '%s'", err.message);
}

Test(password, generated_one_time_passwords)
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char prev[32] = "";

	for (int i = 0; i < 200; i++) {
		char p[32];
		struct err_msg err = ERR_MSG_INIT;
		cr_assert_eq(auth_password_generate(p, sizeof(p)), 0, "generate #%d", i);
		cr_assert_eq(strlen(p), 23, "generated '%s' is not 23 characters", p);
		for (int j = 0; j < 23; j++) {
			if (j % 6 == 5)
				cr_assert_eq(p[j], '-', "generated '%s': no dash at %d", p, j);
			else
				cr_assert_not_null(strchr(alphabet, p[j]),
					"generated '%s': '%c' at %d is not in the readable alphabet", p, p[j],
					j);
		}
		cr_assert_eq(auth_password_check(p, "someone", &err), 0,
			"generated '%s' fails the policy: %s", p, err.message);
		cr_assert_str_neq(p, prev, "generated the same password twice: '%s'", p);
		memcpy(prev, p, sizeof(prev));
	}
	cr_assert_eq(auth_password_generate(prev, 23), ERR_INTERNAL, "generate into 23 bytes");
}

Test(password, configure_takes_the_settings)
{
	struct config cfg;

	config_defaults(&cfg);
	config_set(&cfg, "argon2_t_cost", "3", NULL);
	config_set(&cfg, "password_min_length", "16", NULL);
	config_set(&cfg, "login_max_failures", "9", NULL);
	config_set(&cfg, "session_idle_s", "120", NULL);
	auth_configure(&cfg);
	cr_expect_eq(auth_settings.argon2_t_cost, 3, "argon2_t_cost %lld",
		(long long)auth_settings.argon2_t_cost);
	cr_expect_eq(auth_settings.argon2_m_kib, 19456, "argon2_m_kib %lld",
		(long long)auth_settings.argon2_m_kib);
	cr_expect_eq(auth_settings.password_min_length, 16, "password_min_length %lld",
		(long long)auth_settings.password_min_length);
	cr_expect_eq(auth_settings.login_max_failures, 9, "login_max_failures %lld",
		(long long)auth_settings.login_max_failures);
	cr_expect_eq(auth_settings.session_idle_s, 120, "session_idle_s %lld",
		(long long)auth_settings.session_idle_s);
	cr_expect_eq(auth_settings.session_ttl_s, 43200, "session_ttl_s %lld",
		(long long)auth_settings.session_ttl_s);
}
