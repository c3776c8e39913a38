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

/* Copy a stored user row (columns in AUTH_USER_COLUMNS order) from st. */
struct store_stmt;
void auth_user_from_row(struct store_stmt *st, struct auth_user *u);
/* The columns auth_user_from_row() reads, of the table named t ("" or an alias and a dot). */
#define AUTH_USER_COLUMNS_OF(t) \
	t "id, " t "username, " t "display_name, " t "email, " t "agency_id, " t "roles, " t \
	"disabled, " t "must_change_password, " t "totp_enabled, " t "failed_logins," \
	" COALESCE(" t "locked_until, ''), " t "created_at, COALESCE(" t "last_login_at, '')"
#define AUTH_USER_COLUMNS AUTH_USER_COLUMNS_OF("")
#define AUTH_USER_NCOLUMNS 13

/* Copy an agency (columns in AUTH_AGENCY_COLUMNS order, from column col on) from st. */
void auth_agency_from_row(struct store_stmt *st, int col, struct agency *a);
#define AUTH_AGENCY_COLUMNS_OF(t) \
	t "id, " t "name, " t "name_en, " t "code, " t "kind, COALESCE(" t "supervisor_id, 0), " t \
	"disabled, " t "created_at"
#define AUTH_AGENCY_COLUMNS AUTH_AGENCY_COLUMNS_OF("")

/*
 * A user and their agency with one statement (GET /api/v1/session). Returns
 * 0, or ERR_NOTFOUND when there is no such user; a->id is 0 when the agency
 * row is missing.
 */
int auth_user_get_with_agency(struct store_conn *c, int64_t id, struct auth_user *u,
	struct agency *a);
