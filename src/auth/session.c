/*
 * auth/session.c - signing in (rate limit, lockout, password, TOTP) and
 * browser sessions.
 *
 * Session states:
 *
 *   auth_login() ──► active ──(no request for session_idle_s)──► idle-expired
 *                      │ └────(session_ttl_s after login)──────► expired
 *                      └─(logout, password change, disable)───► deleted
 *
 * The cookie carries 32 random bytes; the table stores only their SHA-256,
 * so a copy of the database opens no session. last_seen_at is refreshed at
 * most once a minute, so reading pages does not turn into a write per request.
 */
#include "auth/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

struct stored_login {
	struct auth_user user;
	bool agency_disabled;
	char *phc;
	char *totp_secret;
	int64_t totp_last_step;
};

static int load_login(struct store_conn *c, const char *username, struct stored_login *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " AUTH_USER_COLUMNS ", password_hash, COALESCE(totp_secret, ''),"
		" totp_last_step, (SELECT disabled FROM agencies a WHERE a.id = users.agency_id)"
		" FROM users WHERE username = ?",
		"t", username);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		auth_user_from_row(st, &out->user);
		out->phc = xstrdup(store_col_text(st, 13));
		out->totp_secret = xstrdup(store_col_text(st, 14));
		out->totp_last_step = store_col_int64(st, 15);
		out->agency_disabled = store_col_int64(st, 16) != 0;
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

static void release_login(struct stored_login *l)
{
	free(l->phc);
	if (l->totp_secret)
		explicit_bzero(l->totp_secret, strlen(l->totp_secret));
	free(l->totp_secret);
}

static void login_event(struct audit_event *ev, const struct auth_login *in,
	const struct auth_user *u, const char *outcome, const char *detail)
{
	memset(ev, 0, sizeof(*ev));
	ev->actor_user_id = u ? u->id : 0;
	ev->actor = in->username;
	ev->agency_id = u ? u->agency_id : 0;
	ev->action = "session.login";
	ev->object_type = "user";
	ev->object_id = in->username;
	ev->source = in->source;
	ev->outcome = outcome;
	ev->detail = detail;
}

/* Record a failed attempt; lock the account when it is one too many. */
static int record_failure(struct store_conn *c, const struct auth_login *in,
	const struct auth_user *u, const char *why)
{
	struct audit_event ev;
	char until[32];
	int64_t failures = 0;
	bool lock;
	int ret = store_begin(c);

	if (!ret && u)
		ret = store_exec(c, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?",
			"i", u->id);
	if (ret >= 0 && u)
		ret = store_query_int64(c, &failures, "SELECT failed_logins FROM users WHERE id = ?",
			"i", u->id);
	lock = u && failures >= auth_settings.login_max_failures;
	if (ret >= 0 && lock) {
		auth_time(auth_settings.login_lockout_s, until);
		ret = store_exec(c,
			"UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?", "ti",
			until, u->id);
	}
	login_event(&ev, in, u, AUDIT_FAILED, lock ? "account locked after repeated failures" : why);
	if (ret >= 0)
		ret = audit_append(c, &ev);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

static int create_session(struct store_conn *c, const struct auth_login *in,
	const struct auth_user *u, int64_t totp_step, struct auth_session_new *out)
{
	char key[CRYPTO_SHA256_HEX_LEN], now[32], expires[32];
	struct audit_event ev;
	int ret;

	if (crypto_random_token(32, out->id) || crypto_random_token(24, out->csrf))
		return ERR_INTERNAL;
	crypto_sha256_hex(out->id, strlen(out->id), key);
	auth_time(0, now);
	auth_time(auth_settings.session_ttl_s, expires);
	out->expires_at = clock_now() + auth_settings.session_ttl_s;
	login_event(&ev, in, u, AUDIT_OK, NULL);
	if (!in->password)
		ev.action = "session.renew"; /* after a password change, not a sign-in */
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"INSERT INTO sessions (key, user_id, csrf, created_at, expires_at, last_seen_at,"
			" source, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"titttttt", key, u->id, out->csrf, now, expires, now, in->source,
			in->user_agent ? in->user_agent : "");
	if (ret >= 0)
		ret = store_exec(c,
			"UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ?,"
			" totp_last_step = CASE WHEN ? > totp_last_step THEN ? ELSE totp_last_step END"
			" WHERE id = ?",
			"tiii", now, totp_step, totp_step, u->id);
	/* Sessions that ended long ago are swept here rather than by a timer. */
	if (ret >= 0)
		ret = store_exec(c, "DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", "it",
			u->id, now);
	if (ret >= 0)
		ret = audit_append(c, &ev);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

/*
 * The checks of a sign-in, in an order that reveals nothing to a guesser:
 * rate limit, then the password (an unknown name costs the same argon2 time
 * and gets the same answer), and only for the right password whether the
 * account is locked or disabled (its own flag or its agency's), then the
 * second factor. Failures count toward the lockout; *step is the TOTP time
 * step used, to be stored so the code cannot be replayed.
 */
static int check_credentials(struct store_conn *c, const struct auth_login *in,
	struct stored_login *l, int64_t *step, struct err_msg *err)
{
	char now[32];
	int ret;

	if (!auth_rate_allow(in->source))
		return err_set(err, ERR_RATE, "username",
			"too many sign-in attempts from this address; wait a minute");
	ret = load_login(c, in->username, l);
	if (ret == ERR_NOTFOUND) {
		auth_password_dummy_verify(in->password);
		record_failure(c, in, NULL, "unknown user name");
		return err_set(err, ERR_AUTH, "password", "wrong user name or password");
	}
	if (ret)
		return ret;
	auth_time(0, now);
	bool locked = l->user.locked_until[0] && strcmp(l->user.locked_until, now) > 0;
	if (!auth_password_verify(in->password, l->phc)) {
		/* While locked, wrong passwords are not counted again, and look like any other. */
		record_failure(c, in, locked ? NULL : &l->user, locked ? "attempt while locked"
								       : "wrong password");
		return err_set(err, ERR_AUTH, "password", "wrong user name or password");
	}
	if (locked) {
		record_failure(c, in, NULL, "right password while locked");
		return err_set(err, ERR_LOCKED, "username",
			"account locked after repeated failures until %s", l->user.locked_until);
	}
	if (l->user.disabled || l->agency_disabled) {
		record_failure(c, in, NULL, l->user.disabled ? "account disabled" : "agency disabled");
		return err_set(err, ERR_AUTH, "username", "this account is disabled");
	}
	*step = l->totp_last_step;
	if (l->user.totp_enabled && str_empty(in->totp))
		return err_set(err, ERR_AUTH, "totp", "enter the 6-digit code from your authenticator");
	if (l->user.totp_enabled && !auth_totp_valid(l->totp_secret, in->totp, step)) {
		record_failure(c, in, &l->user, "wrong one-time code");
		return err_set(err, ERR_AUTH, "totp", "wrong or already used one-time code");
	}
	return 0;
}

int auth_login(struct store_conn *c, const struct auth_login *in, struct auth_user *user,
	struct auth_session_new *out, struct err_msg *err)
{
	struct stored_login l = { 0 };
	int64_t step = 0;
	int ret = check_credentials(c, in, &l, &step, err);

	if (!ret)
		ret = create_session(c, in, &l.user, step, out);
	if (!ret) {
		/* create_session() cleared these in the table: answer as it now stands. */
		l.user.locked_until[0] = '\0';
		l.user.failed_logins = 0;
		*user = l.user;
	}
	release_login(&l);
	return ret;
}

int auth_session_open(struct store_conn *c, const struct auth_login *in,
	const struct auth_user *u, struct auth_session_new *out)
{
	return create_session(c, in, u, 0, out);
}

int auth_reauthenticate(struct store_conn *c, const struct auth_login *in,
	struct err_msg *err)
{
	struct stored_login l = { 0 };
	int64_t step = 0;
	int ret = check_credentials(c, in, &l, &step, err);

	if (!ret)
		ret = store_exec(c,
			"UPDATE users SET failed_logins = 0,"
			" totp_last_step = CASE WHEN ? > totp_last_step THEN ? ELSE totp_last_step END"
			" WHERE id = ?",
			"iii", step, step, l.user.id);
	release_login(&l);
	return ret < 0 ? ret : 0;
}

int auth_session_delete(struct store_conn *c, const char *session_key)
{
	int ret = store_exec(c, "DELETE FROM sessions WHERE key = ?", "t", session_key);
	return ret < 0 ? ret : 0;
}

static void fill_principal(struct store_stmt *st, struct auth_principal *p)
{
	memset(p, 0, sizeof(*p));
	p->user_id = store_col_int64(st, 0);
	str_copy(p->username, sizeof(p->username), store_col_text(st, 1));
	p->agency_id = store_col_int64(st, 2);
	p->roles = (uint32_t)store_col_int64(st, 3);
	if (agency_kind_parse(store_col_text(st, 4), &p->agency_kind))
		p->agency_kind = AGENCY_GOVERNMENT;
	p->must_change_password = store_col_int64(st, 5) != 0;
}

int auth_session_lookup(struct store_conn *c, const char *cookie, struct auth_principal *p,
	struct err_msg *err)
{
	char key[CRYPTO_SHA256_HEX_LEN], now[32], idle_since[32], last_seen[32];
	struct store_stmt *st;
	int ret;

	crypto_sha256_hex(cookie, strlen(cookie), key);
	auth_time(0, now);
	auth_time(-auth_settings.session_idle_s, idle_since);
	ret = store_query(c, &st,
		"SELECT u.id, u.username, u.agency_id, u.roles, a.kind, u.must_change_password,"
		" s.csrf, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id"
		" JOIN agencies a ON a.id = u.agency_id"
		" WHERE s.key = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled = 0"
		" AND a.disabled = 0",
		"ttt", key, now, idle_since);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		fill_principal(st, p);
		str_copy(p->csrf, sizeof(p->csrf), store_col_text(st, 6));
		str_copy(last_seen, sizeof(last_seen), store_col_text(st, 7));
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = err_set(err, ERR_AUTH, "session", "the session has ended; sign in again");
	}
	store_finish(st);
	if (ret)
		return ret;
	p->via = AUTH_SESSION;
	p->scopes = SCOPE_ALL;
	str_copy(p->session_key, sizeof(p->session_key), key);
	auth_time(-60, idle_since);
	if (strcmp(last_seen, idle_since) < 0)
		store_exec(c, "UPDATE sessions SET last_seen_at = ? WHERE key = ?", "tt", now, key);
	return 0;
}
