/*
 * auth/session_api.c - sign in, sign out, who am I, change my password, and
 * my second factor.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/api_internal.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

static json_t *session_json(struct http_request *req, const struct auth_user *u,
	const char *csrf, const char *via)
{
	struct agency a;
	json_t *agency = json_null();

	if (agency_get(http_db(req), u->agency_id, &a) == 0) {
		json_decref(agency);
		agency = auth_agency_json(&a);
	}
	return json_pack("{s:o,s:o,s:s?,s:s}", "user", auth_user_json(u), "agency", agency,
		"csrf_token", csrf, "via", via);
}

static int open_session(struct http_request *req, const char *username, const char *password,
	const char *totp, int status)
{
	struct auth_login in = { username, password, totp, http_client_addr(req),
		http_header(req, "User-Agent") };
	struct auth_session_new s;
	struct auth_user u;
	int ret = auth_login(http_db(req), &in, &u, &s, http_err(req));

	if (ret)
		return ret;
	auth_set_session_cookie(req, s.id, s.expires_at - clock_now());
	explicit_bzero(s.id, sizeof(s.id));
	return http_reply_json(req, status, session_json(req, &u, s.csrf, "session"));
}

/* A new session for a user whose credentials were just checked. */
static int fresh_session(struct http_request *req, int64_t user_id)
{
	struct auth_login in = { http_principal(req)->username, NULL, NULL, http_client_addr(req),
		http_header(req, "User-Agent") };
	struct auth_session_new s;
	struct auth_user u;
	int ret = auth_user_get(http_db(req), user_id, &u);

	if (!ret)
		ret = auth_session_open(http_db(req), &in, &u, &s);
	if (ret)
		return ret;
	auth_set_session_cookie(req, s.id, s.expires_at - clock_now());
	explicit_bzero(s.id, sizeof(s.id));
	return http_reply_json(req, 200, session_json(req, &u, s.csrf, "session"));
}

int auth_api_post_session(struct http_request *req)
{
	static const char *const fields[] = { "username", "password", "totp", NULL };
	const char *username = NULL, *password = NULL, *totp = NULL;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "username", 63, &username);
	if (!ret)
		ret = http_json_string(req, body, "password", 256, &password);
	if (!ret)
		ret = http_json_opt_string(req, body, "totp", 16, &totp);
	if (!ret)
		ret = open_session(req, username, password, totp, 201);
	json_decref(body);
	return ret;
}

int auth_api_get_session(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	struct store_conn *c = http_db(req);
	struct auth_user u;
	json_t *body;
	int ret = store_begin_read(c); /* the user and their agency from one snapshot */

	if (ret)
		return ret;
	if (auth_user_get(c, p->user_id, &u)) {
		store_rollback(c);
		return http_fail(req, ERR_AUTH, "session", "the account no longer exists");
	}
	body = session_json(req, &u, p->via == AUTH_SESSION ? p->csrf : NULL,
		p->via == AUTH_SESSION ? "session" : "token");
	store_rollback(c);
	return http_reply_json(req, 200, body);
}

int auth_api_delete_session(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	struct audit_event ev;
	int ret;

	if (p->via != AUTH_SESSION)
		return http_fail(req, ERR_CONFLICT, "authorization",
			"API tokens have no session; revoke the token instead");
	ret = auth_session_delete(http_db(req), p->session_key);
	if (ret)
		return ret;
	audit_event_from_request(&ev, req, "session.logout", "user", p->username, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	auth_set_session_cookie(req, "", 0);
	return http_reply_bytes(req, 204, NULL, "", 0);
}

int auth_api_post_password(struct http_request *req)
{
	static const char *const fields[] = { "current_password", "new_password", "totp", NULL };
	const struct auth_principal *p = http_principal(req);
	const char *current = NULL, *next = NULL, *totp = NULL;
	struct auth_login check;
	struct audit_event ev;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "current_password", 256, &current);
	if (!ret)
		ret = http_json_string(req, body, "new_password", 256, &next);
	if (!ret)
		ret = http_json_opt_string(req, body, "totp", 16, &totp);
	if (ret)
		goto out;
	if (strcmp(current, next) == 0) {
		ret = http_fail(req, ERR_INVAL, "new_password", "must differ from the current one");
		goto out;
	}
	/* The current password is checked exactly as a sign-in is: lockout applies. */
	check = (struct auth_login){ p->username, current, totp, http_client_addr(req),
		http_header(req, "User-Agent") };
	ret = auth_reauthenticate(http_db(req), &check, http_err(req));
	if (ret) {
		if (!strcmp(http_err(req)->field, "password"))
			ret = http_fail(req, ERR_AUTH, "current_password", "wrong password");
		goto out;
	}
	audit_event_from_request(&ev, req, "user.password.change", "user", p->username, AUDIT_OK);
	ret = auth_user_set_password(http_db(req), p->user_id, next, false, &ev, http_err(req));
	if (ret) {
		if (!strcmp(http_err(req)->field, "password"))
			str_copy(http_err(req)->field, sizeof(http_err(req)->field), "new_password");
		goto out;
	}
	/* Changing the password ends every session; the caller, just checked, gets a fresh one. */
	ret = fresh_session(req, p->user_id);
out:
	json_decref(body);
	return ret;
}

int auth_api_post_totp(struct http_request *req)
{
	char secret[64], uri[512];
	int ret = auth_totp_begin(http_db(req), http_principal(req)->user_id, secret,
		sizeof(secret), uri, sizeof(uri), http_err(req));

	if (ret)
		return ret;
	ret = http_reply_json(req, 200, json_pack("{s:s,s:s,s:s}", "secret", secret, "otpauth_uri",
		uri, "next", "POST /api/v1/session/totp/confirm with a current code"));
	explicit_bzero(secret, sizeof(secret));
	return ret;
}

int auth_api_post_totp_confirm(struct http_request *req)
{
	static const char *const fields[] = { "code", NULL };
	const struct auth_principal *p = http_principal(req);
	const char *code = NULL;
	struct audit_event ev;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "code", 16, &code);
	audit_event_from_request(&ev, req, "user.totp.enable", "user", p->username, AUDIT_OK);
	if (!ret)
		ret = auth_totp_confirm(http_db(req), p->user_id, code, &ev, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 200, json_pack("{s:b}", "totp_enabled", 1));
	json_decref(body);
	return ret;
}

int auth_api_delete_totp(struct http_request *req)
{
	static const char *const fields[] = { "password", "totp", NULL };
	const struct auth_principal *p = http_principal(req);
	const char *password = NULL, *totp = NULL;
	struct auth_login check;
	struct audit_event ev;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "password", 256, &password);
	if (!ret)
		ret = http_json_opt_string(req, body, "totp", 16, &totp);
	/* Password and a current code, with the lockout of a sign-in: no free guessing. */
	check = (struct auth_login){ p->username, password, totp, http_client_addr(req),
		http_header(req, "User-Agent") };
	if (!ret)
		ret = auth_reauthenticate(http_db(req), &check, http_err(req));
	audit_event_from_request(&ev, req, "user.totp.disable", "user", p->username, AUDIT_OK);
	if (!ret)
		ret = auth_totp_disable(http_db(req), p->user_id, &ev);
	if (!ret)
		ret = http_reply_json(req, 200, json_pack("{s:b}", "totp_enabled", 0));
	json_decref(body);
	return ret;
}
