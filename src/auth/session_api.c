/*
 * auth/session_api.c - sign in, sign out, who am I, change my password, and
 * my second factor.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/api_internal.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jsonw.h"
#include "base/str.h"
#include "store/store.h"

/* {"user":…,"agency":…,"csrf_token":…,"via":…} into out; agency NULL or a->id 0 writes null. */
static void session_json(struct buf *out, const struct auth_user *u, const struct agency *a,
	const char *csrf, const char *via)
{
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_object_open(&w);
	jsonw_key(&w, "user");
	auth_user_jsonw(&w, u);
	jsonw_key(&w, "agency");
	if (a && a->id)
		auth_agency_jsonw(&w, a);
	else
		jsonw_null(&w);
	jsonw_key_string(&w, "csrf_token", csrf);
	jsonw_key_string(&w, "via", via);
	jsonw_object_close(&w);
}

/* The session answer for u, whose agency is read here. */
static int reply_session(struct http_request *req, int status, const struct auth_user *u,
	const char *csrf)
{
	struct buf out = BUF_INIT;
	struct agency a;
	bool found = agency_get(http_db(req), u->agency_id, &a) == 0;

	session_json(&out, u, found ? &a : NULL, csrf, "session");
	return http_reply_buf(req, status, &out);
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
	return reply_session(req, status, &u, s.csrf);
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
	return reply_session(req, 200, &u, s.csrf);
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
	struct buf out = BUF_INIT;
	struct auth_user u;
	struct agency a;
	int ret = auth_user_get_with_agency(http_db(req), p->user_id, &u, &a); /* one statement */

	if (ret == ERR_NOTFOUND)
		return http_fail(req, ERR_AUTH, "session", "the account no longer exists");
	if (ret)
		return ret;
	session_json(&out, &u, &a, p->via == AUTH_SESSION ? p->csrf : NULL,
		p->via == AUTH_SESSION ? "session" : "token");
	return http_reply_buf(req, 200, &out);
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
