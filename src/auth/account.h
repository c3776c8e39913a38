/*
 * auth/account.h - agencies, users, sessions and API tokens as stored records,
 * and the operations the API and the CLI perform on them.
 *
 * Every function takes a store connection; those that write open their own
 * write transaction unless the name says otherwise, and record an audit event
 * in it when given one (struct audit_event *ev, NULL for none).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

struct audit_event;
struct config;
struct err_msg;
struct store_conn;
struct store_module_schema;

/* The auth module's schema, for store_migrate(). */
const struct store_module_schema *auth_schema(void);

/*
 * Take the password, session and lockout settings from cfg. Call once at
 * start (serve or a CLI command) before any other function here.
 */
void auth_configure(const struct config *cfg);

/* ---- agencies ---- */

struct agency {
	int64_t id;
	char name[128];        /* official name, usually Chinese: 臺灣高等檢察署 */
	char name_en[128];     /* English name, may be empty */
	char code[32];         /* short unique code, e.g. "TPHPO" */
	enum agency_kind kind;
	int64_t supervisor_id; /* supervisory authority (上級機關), 0 if none */
	bool disabled;
	char created_at[32];
};

/* Create a; on success sets a->id and a->created_at. ERR_INVAL / ERR_CONFLICT name the field. */
int agency_create(struct store_conn *c, struct agency *a, const struct audit_event *ev,
	struct err_msg *err);
int agency_get(struct store_conn *c, int64_t id, struct agency *out);
/* Find by numeric id, code or exact name. */
int agency_find(struct store_conn *c, const char *key, struct agency *out);
/* All agencies ordered by id; *out is malloc'ed, free it with free(). */
int agency_list(struct store_conn *c, struct agency **out, size_t *n);
/* Update name, name_en, code, kind, supervisor and disabled of a->id. */
int agency_update(struct store_conn *c, const struct agency *a, const struct audit_event *ev,
	struct err_msg *err);

/* ---- users ---- */

struct auth_user {
	int64_t id;
	char username[64];
	char display_name[128];
	char email[128];
	int64_t agency_id;
	uint32_t roles;
	bool disabled;
	bool must_change_password;
	bool totp_enabled;
	int64_t failed_logins;
	char locked_until[32];  /* "" when not locked */
	char created_at[32];
	char last_login_at[32];
};

/* Check a password against the policy (length, not all one class, not the user name). */
int auth_password_check(const char *password, const char *username, struct err_msg *err);
/* Room for a generated password: up to 128 characters and a dash every five. */
#define AUTH_PASSWORD_GENERATED_SIZE 160
/*
 * Write a random one-time password into out (AUTH_PASSWORD_GENERATED_SIZE
 * bytes): readable characters in groups of five, at least 20 and at least
 * password_min_length characters, so it always passes the policy.
 */
int auth_password_generate(char *out, size_t size);

/* Create u with password; sets u->id. must_change_password is taken from u. */
int auth_user_create(struct store_conn *c, struct auth_user *u, const char *password,
	const struct audit_event *ev, struct err_msg *err);
int auth_user_get(struct store_conn *c, int64_t id, struct auth_user *out);
int auth_user_find(struct store_conn *c, const char *username, struct auth_user *out);
/* Users of agency_id (0 = all), ordered by id; *out is malloc'ed. */
int auth_user_list(struct store_conn *c, int64_t agency_id, struct auth_user **out, size_t *n);
/* Update display_name, email, agency_id, roles and disabled of u->id. */
int auth_user_update(struct store_conn *c, const struct auth_user *u,
	const struct audit_event *ev, struct err_msg *err);
/* Set a new password (checked against the policy); ends the user's sessions. */
int auth_user_set_password(struct store_conn *c, int64_t id, const char *password,
	bool must_change, const struct audit_event *ev, struct err_msg *err);
/* Clear a lockout and the failure count. */
int auth_user_unlock(struct store_conn *c, int64_t id, const struct audit_event *ev);

/* ---- sign-in and sessions ---- */

struct auth_login {
	const char *username;
	const char *password;
	const char *totp;       /* the 6-digit code, NULL when none was sent */
	const char *source;     /* client address */
	const char *user_agent;
};

struct auth_session_new {
	char id[64];         /* the secret session id for the cookie; never stored or logged */
	char csrf[48];
	int64_t expires_at;  /* seconds since the epoch */
};

/*
 * Check the credentials (rate limit per source, lockout, password, TOTP) and
 * open a session. Every attempt is audited. Returns 0, ERR_AUTH (wrong
 * credentials; field "totp" when a code is needed or wrong), ERR_LOCKED or ERR_RATE.
 */
int auth_login(struct store_conn *c, const struct auth_login *in, struct auth_user *user,
	struct auth_session_new *out, struct err_msg *err);
/*
 * Check in->username's credentials again (password, and TOTP when enabled)
 * without opening a session: before a password change or turning TOTP off.
 * Failures count toward the lockout exactly as sign-ins do.
 */
int auth_reauthenticate(struct store_conn *c, const struct auth_login *in,
	struct err_msg *err);
/* Open a session for u, whose credentials the caller has just checked. */
int auth_session_open(struct store_conn *c, const struct auth_login *in,
	const struct auth_user *u, struct auth_session_new *out);
/* End the session whose cookie value hashes to session_key. */
int auth_session_delete(struct store_conn *c, const char *session_key);
/* Fill p from a session cookie value. ERR_AUTH when unknown, expired or idle. */
int auth_session_lookup(struct store_conn *c, const char *cookie, struct auth_principal *p,
	struct err_msg *err);

/* ---- TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s) ---- */

/* Start enrolment: a new secret (base32) and its otpauth:// URI; not active until confirmed. */
int auth_totp_begin(struct store_conn *c, int64_t user_id, char *secret, size_t secret_size,
	char *uri, size_t uri_size, struct err_msg *err);
/* Activate the pending secret when code is right. */
int auth_totp_confirm(struct store_conn *c, int64_t user_id, const char *code,
	const struct audit_event *ev, struct err_msg *err);
/*
 * Turn the second factor off. The caller has checked the right to: the user
 * re-authenticated (auth_reauthenticate), or an admin resets a lost device.
 */
int auth_totp_disable(struct store_conn *c, int64_t user_id, const struct audit_event *ev);

/* ---- API tokens ---- */

struct auth_token {
	int64_t id;
	int64_t user_id;
	char username[64];
	int64_t agency_id;
	char name[128];
	char prefix[16];       /* the first characters of the secret, to recognise it */
	uint32_t scopes;
	char created_at[32];
	char expires_at[32];   /* "" = never */
	char last_used_at[32];
	char revoked_at[32];   /* "" = active */
};

#define AUTH_TOKEN_SECRET_SIZE 64

/*
 * Create a token for user_id; the secret (shown once, stored only hashed) is
 * written into secret. ttl_days 0 = no expiry.
 */
int auth_token_create(struct store_conn *c, int64_t user_id, const char *name, uint32_t scopes,
	int64_t ttl_days, struct auth_token *out, char secret[AUTH_TOKEN_SECRET_SIZE],
	const struct audit_event *ev, struct err_msg *err);
/* Tokens of user_id (0 = all), newest first; *out is malloc'ed. */
int auth_token_list(struct store_conn *c, int64_t user_id, struct auth_token **out, size_t *n);
int auth_token_get(struct store_conn *c, int64_t id, struct auth_token *out);
int auth_token_revoke(struct store_conn *c, int64_t id, const struct audit_event *ev);
/* Fill p from a bearer secret. ERR_AUTH when unknown, revoked, expired or the user is disabled. */
int auth_token_lookup(struct store_conn *c, const char *secret, struct auth_principal *p,
	struct err_msg *err);
