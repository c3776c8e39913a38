/*
 * auth/auth_api.c - the route table of the auth module and the JSON forms of
 * its records (users, agencies, tokens) shared by its handlers.
 */
#include "auth/auth_api.h"

#include <string.h>

#include "auth/api_internal.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/jsonw.h"
#include "base/str.h"

void auth_bits_jsonw(struct jsonw *w, uint32_t bits, const char *(*name)(uint32_t))
{
	jsonw_array_open(w);
	for (int i = 0; i < 32; i++)
		if (bits & (1u << i) && name(1u << i))
			jsonw_string(w, name(1u << i));
	jsonw_array_close(w);
}

json_t *auth_bits_json(uint32_t bits, const char *(*name)(uint32_t))
{
	json_t *a = json_array();

	for (int i = 0; i < 32; i++)
		if (bits & (1u << i) && name(1u << i))
			json_array_append_new(a, json_string(name(1u << i)));
	return a;
}

void auth_user_jsonw(struct jsonw *w, const struct auth_user *u)
{
	jsonw_object_open(w);
	jsonw_key_int(w, "id", u->id);
	jsonw_key_string(w, "username", u->username);
	jsonw_key_string(w, "display_name", u->display_name);
	jsonw_key_string(w, "email", u->email);
	jsonw_key_int(w, "agency_id", u->agency_id);
	jsonw_key(w, "roles");
	auth_bits_jsonw(w, u->roles, auth_role_name);
	jsonw_key_bool(w, "disabled", u->disabled);
	jsonw_key_bool(w, "must_change_password", u->must_change_password);
	jsonw_key_bool(w, "totp_enabled", u->totp_enabled);
	jsonw_key_bool(w, "locked", u->locked_until[0] != '\0');
	jsonw_key_string(w, "locked_until", u->locked_until[0] ? u->locked_until : NULL);
	jsonw_key_string(w, "created_at", u->created_at);
	jsonw_key_string(w, "last_login_at", u->last_login_at[0] ? u->last_login_at : NULL);
	jsonw_object_close(w);
}

void auth_agency_jsonw(struct jsonw *w, const struct agency *a)
{
	jsonw_object_open(w);
	jsonw_key_int(w, "id", a->id);
	jsonw_key_string(w, "name", a->name);
	jsonw_key_string(w, "name_en", a->name_en);
	jsonw_key_string(w, "code", a->code);
	jsonw_key_string(w, "kind", agency_kind_name(a->kind));
	jsonw_key(w, "supervisor_id");
	if (a->supervisor_id)
		jsonw_int(w, a->supervisor_id);
	else
		jsonw_null(w);
	jsonw_key_bool(w, "disabled", a->disabled);
	jsonw_key_string(w, "created_at", a->created_at);
	jsonw_object_close(w);
}

/* The jansson form of what write() writes for obj: one definition of each record's fields. */
static json_t *as_jansson(void (*write)(struct jsonw *, const void *), const void *obj)
{
	struct buf text = BUF_INIT;
	struct jsonw w;
	json_t *j = NULL;

	jsonw_init(&w, &text);
	write(&w, obj);
	if (jsonw_finish(&w) == 0)
		j = json_loadb(text.s, text.len, 0, NULL);
	buf_release(&text);
	return j;
}

static void write_user(struct jsonw *w, const void *u)
{
	auth_user_jsonw(w, u);
}

static void write_agency(struct jsonw *w, const void *a)
{
	auth_agency_jsonw(w, a);
}

json_t *auth_user_json(const struct auth_user *u)
{
	return as_jansson(write_user, u);
}

json_t *auth_agency_json(const struct agency *a)
{
	return as_jansson(write_agency, a);
}

json_t *auth_token_json(const struct auth_token *t)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:s?,s:s?,s:s?,s:b}", "id",
		(json_int_t)t->id, "user_id", (json_int_t)t->user_id, "username", t->username,
		"name", t->name, "prefix", t->prefix, "scopes",
		auth_bits_json(t->scopes, auth_scope_name), "created_at", t->created_at,
		"expires_at", t->expires_at[0] ? t->expires_at : NULL, "last_used_at",
		t->last_used_at[0] ? t->last_used_at : NULL, "revoked_at",
		t->revoked_at[0] ? t->revoked_at : NULL, "active", t->revoked_at[0] == '\0');
}

int auth_json_bits(struct http_request *req, json_t *obj, const char *field,
	int (*parse)(const char *, uint32_t *, struct err_msg *), uint32_t *out)
{
	json_t *v = json_object_get(obj, field);
	char list[512] = "";
	size_t i;
	json_t *item;
	int ret;

	if (json_is_string(v)) {
		/* Cut short, "…,administrator" would read as the role "admin". */
		if (json_string_length(v) >= sizeof(list))
			return http_fail(req, ERR_INVAL, field, "too many names");
		str_copy(list, sizeof(list), json_string_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return http_fail(req, ERR_INVAL, field, "must be a list of names");
			if (strlen(list) + json_string_length(item) + 2 >= sizeof(list))
				return http_fail(req, ERR_INVAL, field, "too many names");
			if (list[0])
				strncat(list, ",", sizeof(list) - strlen(list) - 1);
			strncat(list, json_string_value(item), sizeof(list) - strlen(list) - 1);
		}
	} else {
		return http_fail(req, ERR_INVAL, field, "must be a list of names");
	}
	ret = parse(list, out, http_err(req));
	if (ret)
		str_copy(http_err(req)->field, sizeof(http_err(req)->field), field);
	return ret;
}

void auth_set_session_cookie(struct http_request *req, const char *value, int64_t max_age)
{
	char cookie[256];

	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
		AUTH_SESSION_COOKIE, value, (long long)max_age, http_is_tls(req) ? "; Secure" : "");
	http_add_header(req, "Set-Cookie", cookie);
}

int auth_api_visible_user(struct http_request *req, int64_t id, struct auth_user *out)
{
	int ret = auth_user_get(http_db(req), id, out);

	if (ret == ERR_NOTFOUND || (!ret && !auth_reach_allows(http_principal(req),
						(enum auth_reach)http_reach(req), out->agency_id, out->id)))
		return http_fail(req, ERR_NOTFOUND, "id", "no user with id %lld", (long long)id);
	return ret;
}

int auth_api_get_policy(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	static const char *const reach_names[] = { "none", "self", "agency", "all" };
	json_t *allowed = json_array();
	size_t n;
	const struct auth_policy *rows = auth_policy_rows(&n);

	for (size_t i = 0; i < n; i++) {
		enum auth_reach r;
		if (rows[i].public_route || (i && strcmp(rows[i - 1].method, rows[i].method) == 0 &&
						   strcmp(rows[i - 1].pattern, rows[i].pattern) == 0))
			continue;
		r = auth_policy_decide(p, rows[i].method, rows[i].pattern);
		if (r != REACH_NONE)
			json_array_append_new(allowed,
				json_pack("{s:s,s:s,s:s}", "method", rows[i].method, "path",
					rows[i].pattern, "reach", reach_names[r]));
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:o}", "roles",
		auth_bits_json(p->roles, auth_role_name), "endpoints", allowed));
}

static const struct http_route routes[] = {
	{ "POST", "/api/v1/session", auth_api_post_session, 8192 },
	{ "GET", "/api/v1/session", auth_api_get_session, 0 },
	{ "DELETE", "/api/v1/session", auth_api_delete_session, 0 },
	{ "POST", "/api/v1/session/password", auth_api_post_password, 8192 },
	{ "POST", "/api/v1/session/totp", auth_api_post_totp, 0 },
	{ "POST", "/api/v1/session/totp/confirm", auth_api_post_totp_confirm, 8192 },
	{ "DELETE", "/api/v1/session/totp", auth_api_delete_totp, 8192 },
	{ "GET", "/api/v1/users", auth_api_list_users, 0 },
	{ "POST", "/api/v1/users", auth_api_post_user, 0 },
	{ "GET", "/api/v1/users/{id}", auth_api_get_user, 0 },
	{ "PATCH", "/api/v1/users/{id}", auth_api_patch_user, 0 },
	{ "POST", "/api/v1/users/{id}/password", auth_api_reset_password, 0 },
	{ "GET", "/api/v1/agencies", auth_api_list_agencies, 0 },
	{ "POST", "/api/v1/agencies", auth_api_post_agency, 0 },
	{ "GET", "/api/v1/agencies/{id}", auth_api_get_agency, 0 },
	{ "PATCH", "/api/v1/agencies/{id}", auth_api_patch_agency, 0 },
	{ "GET", "/api/v1/tokens", auth_api_list_tokens, 0 },
	{ "POST", "/api/v1/tokens", auth_api_post_token, 0 },
	{ "DELETE", "/api/v1/tokens/{id}", auth_api_delete_token, 0 },
	{ "GET", "/api/v1/policy", auth_api_get_policy, 0 },
};

const struct http_route_table *auth_routes(void)
{
	static const struct http_route_table table = { "auth", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
