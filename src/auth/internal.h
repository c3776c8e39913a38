/*
 * auth/internal.h - shared by the files of src/auth/ only.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "auth/account.h"

struct auth_settings {
	int64_t argon2_t_cost;
	int64_t argon2_m_kib;
	int64_t password_min_length;
	int64_t session_ttl_s;
	int64_t session_idle_s;
	int64_t login_max_failures;
	int64_t login_lockout_s;
	int64_t login_rate_per_minute;
};

/* The settings given to auth_configure() (defaults until then). */
extern struct auth_settings auth_settings;

/* Format now + offset_s as ISO 8601 UTC seconds into out (32 bytes). */
void auth_time(int64_t offset_s, char out[32]);

/* argon2id hash of password into out (PHC string); 0 or ERR_INTERNAL. */
int auth_password_hash(const char *password, char *out, size_t size);
/* True when password matches the PHC string. */
bool auth_password_verify(const char *password, const char *phc);
/* Spend the time of one verification, for unknown user names (no timing oracle). */
void auth_password_dummy_verify(const char *password);

/* Validate a 6-digit code for secret (base32) at now, refusing steps <= *last_step. */
bool auth_totp_valid(const char *secret, const char *code, int64_t *last_step);

/* Count one login attempt from source; false when over the per-minute limit. */
bool auth_rate_allow(const char *source);

/* Copy a stored user row (columns in USER_COLUMNS order) from st. */
struct store_stmt;
void auth_user_from_row(struct store_stmt *st, struct auth_user *u);
#define AUTH_USER_COLUMNS \
	"id, username, display_name, email, agency_id, roles, disabled, must_change_password," \
	" totp_enabled, failed_logins, COALESCE(locked_until, ''), created_at," \
	" COALESCE(last_login_at, '')"
