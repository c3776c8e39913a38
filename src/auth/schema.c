/*
 * auth/schema.c - tables of agencies, users, sessions and API tokens.
 */
#include "auth/internal.h"

#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "agencies, users, sessions, api tokens",
		"CREATE TABLE agencies ("
		" id @ID@,"
		" name TEXT NOT NULL UNIQUE,"
		" name_en TEXT NOT NULL DEFAULT '',"
		" code TEXT NOT NULL UNIQUE,"
		" kind TEXT NOT NULL,"
		" supervisor_id INTEGER REFERENCES agencies (id),"
		" disabled INTEGER NOT NULL DEFAULT 0,"
		" created_at TEXT NOT NULL);"
		"CREATE TABLE users ("
		" id @ID@,"
		" username TEXT NOT NULL UNIQUE,"
		" display_name TEXT NOT NULL DEFAULT '',"
		" email TEXT NOT NULL DEFAULT '',"
		" agency_id INTEGER NOT NULL REFERENCES agencies (id),"
		" roles INTEGER NOT NULL,"
		" password_hash TEXT NOT NULL,"
		" must_change_password INTEGER NOT NULL DEFAULT 0,"
		" totp_secret TEXT,"
		" totp_pending TEXT,"
		" totp_enabled INTEGER NOT NULL DEFAULT 0,"
		" totp_last_step INTEGER NOT NULL DEFAULT 0,"
		" failed_logins INTEGER NOT NULL DEFAULT 0,"
		" locked_until TEXT,"
		" disabled INTEGER NOT NULL DEFAULT 0,"
		" created_at TEXT NOT NULL,"
		" last_login_at TEXT);"
		"CREATE INDEX users_agency ON users (agency_id);"
		"CREATE TABLE sessions ("
		" key TEXT PRIMARY KEY,"
		" user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
		" csrf TEXT NOT NULL,"
		" created_at TEXT NOT NULL,"
		" expires_at TEXT NOT NULL,"
		" last_seen_at TEXT NOT NULL,"
		" source TEXT NOT NULL,"
		" user_agent TEXT NOT NULL);"
		"CREATE INDEX sessions_user ON sessions (user_id);"
		"CREATE TABLE api_tokens ("
		" id @ID@,"
		" user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
		" name TEXT NOT NULL,"
		" token_hash TEXT NOT NULL UNIQUE,"
		" prefix TEXT NOT NULL,"
		" scopes INTEGER NOT NULL,"
		" created_at TEXT NOT NULL,"
		" expires_at TEXT,"
		" last_used_at TEXT,"
		" revoked_at TEXT);"
		"CREATE INDEX api_tokens_user ON api_tokens (user_id)" },
};

const struct store_module_schema *auth_schema(void)
{
	static const struct store_module_schema schema = { "auth", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}
