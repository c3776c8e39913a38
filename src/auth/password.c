/*
 * auth/password.c - argon2id password hashing, the password policy, and
 * generated one-time passwords.
 */
#include "auth/internal.h"

#include <argon2.h>
#include <ctype.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/str.h"
#include "config/config.h"

struct auth_settings auth_settings = { 2, 19456, 12, 43200, 1800, 5, 900, 30 };

void auth_configure(const struct config *cfg)
{
	auth_settings.argon2_t_cost = cfg->argon2_t_cost;
	auth_settings.argon2_m_kib = cfg->argon2_m_kib;
	auth_settings.password_min_length = cfg->password_min_length;
	auth_settings.session_ttl_s = cfg->session_ttl_s;
	auth_settings.session_idle_s = cfg->session_idle_s;
	auth_settings.login_max_failures = cfg->login_max_failures;
	auth_settings.login_lockout_s = cfg->login_lockout_s;
	auth_settings.login_rate_per_minute = cfg->login_rate_per_minute;
}

void auth_time(int64_t offset_s, char out[32])
{
	clock_format_iso_s(clock_now() + offset_s, out, 32);
}

int auth_password_hash(const char *password, char *out, size_t size)
{
	uint8_t salt[16];
	int rc;

	if (crypto_random(salt, sizeof(salt)))
		return ERR_INTERNAL;
	rc = argon2id_hash_encoded((uint32_t)auth_settings.argon2_t_cost,
		(uint32_t)auth_settings.argon2_m_kib, 1, password, strlen(password), salt,
		sizeof(salt), 32, out, size);
	return rc == ARGON2_OK ? 0 : ERR_INTERNAL;
}

bool auth_password_verify(const char *password, const char *phc)
{
	return argon2id_verify(phc, password, strlen(password)) == ARGON2_OK;
}

void auth_password_dummy_verify(const char *password)
{
	char phc[128];

	/* Hash with the current settings: as slow as checking a real account. */
	auth_password_hash(password, phc, sizeof(phc));
}

int auth_password_check(const char *password, const char *username, struct err_msg *err)
{
	size_t len = strlen(password);
	bool lower = false, upper = false, digit = false, other = false;

	if ((int64_t)len < auth_settings.password_min_length)
		return err_set(err, ERR_INVAL, "password", "must be at least %lld characters",
			(long long)auth_settings.password_min_length);
	if (len > 256)
		return err_set(err, ERR_INVAL, "password", "must be at most 256 characters");
	for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
		lower |= islower(*p) != 0;
		upper |= isupper(*p) != 0;
		digit |= isdigit(*p) != 0;
		other |= !isalnum(*p);
	}
	if (lower + upper + digit + other < 2)
		return err_set(err, ERR_INVAL, "password",
			"must mix at least two of lower case, upper case, digits and other characters");
	if (username && *username && strcasestr(password, username))
		return err_set(err, ERR_INVAL, "password", "must not contain the user name");
	return 0;
}

int auth_password_generate(char *out, size_t size)
{
	/* No 0/O, 1/l/I: passwords read aloud or typed from paper. */
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const unsigned n = sizeof(alphabet) - 1;
	const unsigned limit = 256 - 256 % n; /* reject bytes that would bias the choice */
	size_t o = 0;

	int64_t want = auth_settings.password_min_length > 20 ? auth_settings.password_min_length : 20;

	/* Dashes count toward the length too; 20 letters always make the minimum. */
	if (size < (size_t)(want + want / 5 + 1))
		return ERR_INTERNAL;
	for (int chosen = 0; chosen < want;) {
		uint8_t byte;
		if (crypto_random(&byte, 1))
			return ERR_INTERNAL;
		if (byte >= limit)
			continue;
		if (chosen && chosen % 5 == 0)
			out[o++] = '-';
		out[o++] = alphabet[byte % n];
		chosen++;
	}
	out[o] = '\0';
	return 0;
}
