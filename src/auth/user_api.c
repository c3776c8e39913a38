/*
 * auth/user_api.c - user accounts over HTTP: list, create, read, update and
 * password reset. Admins reach every agency; others see their own agency.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/api_internal.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* The accounts library names the field "agency"; the JSON body calls it agency_id. */
static int json_field_names(struct http_request *req, int ret)
{
	if (ret && !strcmp(http_err(req)->field, "agency"))
		str_copy(http_err(req)->field, sizeof(http_err(req)->field), "agency_id");
	return ret;
}

int auth_api_list_users(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	int64_t agency = http_reach(req) == REACH_ALL ? 0 : p->agency_id;
	const char *filter = http_query(req, "agency_id");
	struct auth_user *users = NULL;
	json_t *items;
	size_t n = 0;
	int64_t want;
	int ret;

	if (filter) {
		if (str_to_int64(filter, 1, INT64_MAX, &want))
			return http_fail(req, ERR_INVAL, "agency_id", "must be an agency id");
		if (agency && want != agency)
			return http_fail(req, ERR_NOTFOUND, "agency_id",
				"you can list the users of your own agency only");
		agency = want;
	}
	ret = auth_user_list(http_db(req), agency, &users, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, auth_user_json(&users[i]));
	free(users);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

/* Read the editable fields of a user from body into u. */
static int read_user_fields(struct http_request *req, json_t *body, struct auth_user *u)
{
	const char *display = u->display_name, *email = u->email;
	int64_t agency = u->agency_id;
	bool disabled = u->disabled;
	int ret = http_json_opt_string(req, body, "display_name", 120, &display);

	if (!ret)
		ret = http_json_opt_string(req, body, "email", 120, &email);
	if (!ret)
		ret = http_json_opt_int(req, body, "agency_id", 1, INT64_MAX, &agency);
	if (!ret)
		ret = http_json_opt_bool(req, body, "disabled", &disabled);
	if (!ret && json_object_get(body, "roles"))
		ret = auth_json_bits(req, body, "roles", auth_roles_parse, &u->roles);
	if (ret)
		return ret;
	/* display and email may point into u itself: copy through a temporary. */
	char tmp[128];
	str_copy(tmp, sizeof(tmp), display);
	str_copy(u->display_name, sizeof(u->display_name), tmp);
	str_copy(tmp, sizeof(tmp), email);
	str_copy(u->email, sizeof(u->email), tmp);
	u->agency_id = agency;
	u->disabled = disabled;
	return 0;
}

int auth_api_post_user(struct http_request *req)
{
	static const char *const fields[] = { "username", "display_name", "email", "agency_id",
		"roles", "password", "disabled", NULL };
	struct auth_user u = { 0 };
	const char *username = NULL, *password = NULL;
	char generated[AUTH_PASSWORD_GENERATED_SIZE];
	struct audit_event ev;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "username", 63, &username);
	if (!ret && !json_object_get(body, "roles"))
		ret = http_fail(req, ERR_INVAL, "roles", "is required");
	if (!ret && !json_object_get(body, "agency_id"))
		ret = http_fail(req, ERR_INVAL, "agency_id", "is required");
	if (!ret)
		ret = read_user_fields(req, body, &u);
	if (!ret)
		ret = http_json_opt_string(req, body, "password", 256, &password);
	if (ret)
		goto out;
	str_copy(u.username, sizeof(u.username), username);
	if (!password) {
		auth_password_generate(generated, sizeof(generated));
		password = generated;
	}
	/* Whoever set it, the account holder must choose their own password. */
	u.must_change_password = true;
	audit_event_from_request(&ev, req, "user.create", "user", NULL, AUDIT_OK);
	ret = json_field_names(req, auth_user_create(http_db(req), &u, password, &ev,
					   http_err(req)));
	if (!ret) {
		json_t *j = auth_user_json(&u);
		if (password == generated)
			json_object_set_new(j, "one_time_password", json_string(generated));
		ret = http_reply_json(req, 201, j);
	}
	explicit_bzero(generated, sizeof(generated));
out:
	json_decref(body);
	return ret;
}

int auth_api_get_user(struct http_request *req)
{
	struct auth_user u;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = auth_api_visible_user(req, id, &u);
	if (ret)
		return ret;
	return http_reply_json(req, 200, auth_user_json(&u));
}

int auth_api_patch_user(struct http_request *req)
{
	static const char *const fields[] = { "display_name", "email", "agency_id", "roles",
		"disabled", "unlock", "totp_enabled", NULL };
	struct auth_user u;
	struct audit_event ev;
	bool unlock = false, totp = true;
	char idtext[24];
	json_t *body = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = auth_api_visible_user(req, id, &u);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = read_user_fields(req, body, &u);
	if (!ret)
		ret = http_json_opt_bool(req, body, "unlock", &unlock);
	if (!ret)
		ret = http_json_opt_bool(req, body, "totp_enabled", &totp);
	if (!ret && totp && json_is_true(json_object_get(body, "totp_enabled")) && !u.totp_enabled)
		ret = http_fail(req, ERR_INVAL, "totp_enabled",
			"only the user can turn the second factor on (POST /api/v1/session/totp)");
	if (!ret && u.id == http_principal(req)->user_id && (u.disabled || !(u.roles & ROLE_ADMIN)))
		ret = http_fail(req, ERR_CONFLICT, "roles",
			"you cannot disable yourself or drop your own admin role");
	if (ret)
		goto out;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, "user.update", "user", idtext, AUDIT_OK);
	ret = json_field_names(req, auth_user_update(http_db(req), &u, &ev, http_err(req)));
	if (!ret && unlock) {
		audit_event_from_request(&ev, req, "user.unlock", "user", idtext, AUDIT_OK);
		ret = auth_user_unlock(http_db(req), id, &ev);
	}
	/* A lost authenticator: the admin turns the factor off; the user enrols again. */
	if (!ret && !totp && u.totp_enabled) {
		audit_event_from_request(&ev, req, "user.totp.reset", "user", idtext, AUDIT_OK);
		ret = auth_totp_disable(http_db(req), id, &ev);
	}
	if (!ret)
		ret = auth_user_get(http_db(req), id, &u);
	if (!ret)
		ret = http_reply_json(req, 200, auth_user_json(&u));
out:
	json_decref(body);
	return ret;
}

int auth_api_reset_password(struct http_request *req)
{
	struct auth_user u;
	struct audit_event ev;
	char generated[AUTH_PASSWORD_GENERATED_SIZE], idtext[24];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = auth_api_visible_user(req, id, &u);
	if (ret)
		return ret;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, "user.password.reset", "user", idtext, AUDIT_OK);
	auth_password_generate(generated, sizeof(generated));
	ret = auth_user_set_password(http_db(req), id, generated, true, &ev, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 200, json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id,
			"username", u.username, "one_time_password", generated));
	explicit_bzero(generated, sizeof(generated));
	return ret;
}
