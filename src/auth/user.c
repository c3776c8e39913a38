/*
 * auth/user.c - user accounts: create, read, list, update, passwords, unlock.
 */
#include "auth/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

void auth_user_from_row(struct store_stmt *st, struct auth_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = store_col_int64(st, 0);
	str_copy(u->username, sizeof(u->username), store_col_text(st, 1));
	str_copy(u->display_name, sizeof(u->display_name), store_col_text(st, 2));
	str_copy(u->email, sizeof(u->email), store_col_text(st, 3));
	u->agency_id = store_col_int64(st, 4);
	u->roles = (uint32_t)store_col_int64(st, 5);
	u->disabled = store_col_int64(st, 6) != 0;
	u->must_change_password = store_col_int64(st, 7) != 0;
	u->totp_enabled = store_col_int64(st, 8) != 0;
	u->failed_logins = store_col_int64(st, 9);
	str_copy(u->locked_until, sizeof(u->locked_until), store_col_text(st, 10));
	/* A lockout that has run out is no lockout, even before the next sign-in clears it. */
	if (u->locked_until[0]) {
		char now[32];
		auth_time(0, now);
		if (strcmp(u->locked_until, now) <= 0)
			u->locked_until[0] = '\0';
	}
	str_copy(u->created_at, sizeof(u->created_at), store_col_text(st, 11));
	str_copy(u->last_login_at, sizeof(u->last_login_at), store_col_text(st, 12));
}

static int validate(struct store_conn *c, const struct auth_user *u, struct err_msg *err)
{
	size_t len = strlen(u->username);
	struct agency a;

	if (len < 3 || len > 63)
		return err_set(err, ERR_INVAL, "username", "must be 3 to 63 characters");
	if (strspn(u->username, "abcdefghijklmnopqrstuvwxyz0123456789._-") != len)
		return err_set(err, ERR_INVAL, "username",
			"only lower-case letters, digits, '.', '_' and '-' are allowed");
	if (u->email[0] && !strchr(u->email, '@'))
		return err_set(err, ERR_INVAL, "email", "'%s' is not an e-mail address", u->email);
	if (!u->roles || (u->roles & ~ROLE_ALL))
		return err_set(err, ERR_INVAL, "roles", "at least one known role is required");
	if (agency_get(c, u->agency_id, &a))
		return err_set(err, ERR_INVAL, "agency", "no agency with id %lld",
			(long long)u->agency_id);
	return 0;
}

static int audit_with_id(struct store_conn *c, const struct audit_event *ev, int64_t id,
	const char *detail)
{
	struct audit_event e;
	char buf[24];

	if (!ev)
		return 0;
	e = *ev;
	snprintf(buf, sizeof(buf), "%lld", (long long)id);
	e.object_id = buf;
	if (detail)
		e.detail = detail;
	return audit_append(c, &e);
}

int auth_user_create(struct store_conn *c, struct auth_user *u, const char *password,
	const struct audit_event *ev, struct err_msg *err)
{
	char phc[256];
	char roles[256];
	struct store_stmt *st = NULL;
	int ret = validate(c, u, err);

	if (!ret)
		ret = auth_password_check(password, u->username, err);
	if (ret)
		return ret;
	if (auth_password_hash(password, phc, sizeof(phc)))
		return err_set(err, ERR_INTERNAL, "password", "cannot hash the password");
	auth_time(0, u->created_at);
	ret = store_begin(c);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO users (username, display_name, email, agency_id, roles,"
			" password_hash, must_change_password, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"tttiitbt", u->username, u->display_name, u->email, u->agency_id,
			(int64_t)u->roles, phc, (int)u->must_change_password, u->created_at);
	if (!ret) {
		ret = store_step(st);
		if (ret == STORE_ROW) {
			u->id = store_col_int64(st, 0);
			ret = 0;
		}
		store_finish(st);
	}
	auth_roles_format(u->roles, roles, sizeof(roles));
	if (!ret)
		ret = audit_with_id(c, ev, u->id, roles);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (ret == ERR_CONFLICT)
		err_set(err, ret, "username", "user '%s' already exists", u->username);
	return ret;
}

static int get_one(struct store_conn *c, struct auth_user *out, const char *sql, const char *fmt,
	int64_t id, const char *name)
{
	struct store_stmt *st;
	int ret = *fmt == 'i' ? store_query(c, &st, sql, fmt, id) : store_query(c, &st, sql, fmt, name);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		auth_user_from_row(st, out);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int auth_user_get(struct store_conn *c, int64_t id, struct auth_user *out)
{
	return get_one(c, out, "SELECT " AUTH_USER_COLUMNS " FROM users WHERE id = ?", "i", id,
		NULL);
}

int auth_user_get_with_agency(struct store_conn *c, int64_t id, struct auth_user *u,
	struct agency *a)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " AUTH_USER_COLUMNS_OF("u.") ", " AUTH_AGENCY_COLUMNS_OF("a.")
		" FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		auth_user_from_row(st, u);
		auth_agency_from_row(st, AUTH_USER_NCOLUMNS, a);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int auth_user_find(struct store_conn *c, const char *username, struct auth_user *out)
{
	return get_one(c, out, "SELECT " AUTH_USER_COLUMNS " FROM users WHERE username = ?", "t", 0,
		username);
}

static void user_item(struct store_stmt *st, void *item)
{
	auth_user_from_row(st, item);
}

int auth_user_list(struct store_conn *c, int64_t agency_id, struct auth_user **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " AUTH_USER_COLUMNS " FROM users WHERE ? = 0 OR agency_id = ? ORDER BY id",
		"ii", agency_id, agency_id);

	return ret ? ret : store_collect(st, sizeof(**out), user_item, (void **)out, n);
}

int auth_user_update(struct store_conn *c, const struct auth_user *u,
	const struct audit_event *ev, struct err_msg *err)
{
	char roles[256];
	int ret = validate(c, u, err);

	if (ret)
		return ret;
	auth_roles_format(u->roles, roles, sizeof(roles));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE users SET display_name = ?, email = ?, agency_id = ?, roles = ?,"
			" disabled = ? WHERE id = ?",
			"ttiibi", u->display_name, u->email, u->agency_id, (int64_t)u->roles,
			(int)u->disabled, u->id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	/* A disabled account's sessions end now, not at their expiry. */
	if (ret > 0 && u->disabled)
		ret = store_exec(c, "DELETE FROM sessions WHERE user_id = ?", "i", u->id);
	if (ret >= 0)
		ret = audit_with_id(c, ev, u->id, roles);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int auth_user_set_password(struct store_conn *c, int64_t id, const char *password,
	bool must_change, const struct audit_event *ev, struct err_msg *err)
{
	struct auth_user u;
	char phc[256];
	int ret = auth_user_get(c, id, &u);

	if (ret)
		return err_set(err, ret, "user", "no user with id %lld", (long long)id);
	ret = auth_password_check(password, u.username, err);
	if (ret)
		return ret;
	if (auth_password_hash(password, phc, sizeof(phc)))
		return err_set(err, ERR_INTERNAL, "password", "cannot hash the password");
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE users SET password_hash = ?, must_change_password = ?,"
			" failed_logins = 0, locked_until = NULL WHERE id = ?",
			"tbi", phc, (int)must_change, id);
	if (ret >= 0)
		ret = store_exec(c, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	if (ret >= 0)
		ret = audit_with_id(c, ev, id, must_change ? "one-time password" : NULL);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int auth_user_unlock(struct store_conn *c, int64_t id, const struct audit_event *ev)
{
	int ret = store_begin(c);

	if (!ret)
		ret = store_exec(c,
			"UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", "i", id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	if (ret > 0)
		ret = audit_with_id(c, ev, id, NULL);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}
