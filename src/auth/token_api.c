/*
 * auth/token_api.c - API tokens over HTTP: one's own, or everyone's for admins.
 * The secret appears once, in the answer to its creation.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/api_internal.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

int auth_api_list_tokens(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	int64_t user = http_reach(req) == REACH_ALL ? 0 : p->user_id;
	const char *filter = http_query(req, "user_id");
	struct auth_token *list = NULL;
	json_t *items;
	size_t n = 0;
	int64_t want;
	int ret;

	if (filter) {
		if (str_to_int64(filter, 1, INT64_MAX, &want))
			return http_fail(req, ERR_INVAL, "user_id", "must be a user id");
		if (user && want != user)
			return http_fail(req, ERR_NOTFOUND, "user_id", "you can list your own tokens only");
		user = want;
	}
	ret = auth_token_list(http_db(req), user, &list, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, auth_token_json(&list[i]));
	free(list);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

int auth_api_post_token(struct http_request *req)
{
	static const char *const fields[] = { "name", "scopes", "expires_in_days", "user_id", NULL };
	const struct auth_principal *p = http_principal(req);
	const char *name = NULL;
	char secret[AUTH_TOKEN_SECRET_SIZE];
	struct auth_token t;
	struct auth_user owner;
	struct audit_event ev;
	uint32_t scopes = 0;
	int64_t days = 90, user = p->user_id;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "name", 100, &name);
	if (!ret && !json_object_get(body, "scopes"))
		ret = http_fail(req, ERR_INVAL, "scopes", "is required");
	if (!ret)
		ret = auth_json_bits(req, body, "scopes", auth_scopes_parse, &scopes);
	if (!ret)
		ret = http_json_opt_int(req, body, "expires_in_days", 0, 3650, &days);
	if (!ret)
		ret = http_json_opt_int(req, body, "user_id", 1, INT64_MAX, &user);
	if (!ret && user != p->user_id && http_reach(req) != REACH_ALL)
		ret = http_fail(req, ERR_DENIED, "user_id", "you can create tokens for yourself only");
	if (!ret && auth_user_get(http_db(req), user, &owner))
		ret = http_fail(req, ERR_INVAL, "user_id", "no user with id %lld", (long long)user);
	/* A token never carries more than its creator's session could do. */
	if (!ret && p->via == AUTH_TOKEN && (scopes & ~p->scopes))
		ret = http_fail(req, ERR_DENIED, "scopes", "a token cannot grant scopes it lacks");
	audit_event_from_request(&ev, req, "token.create", "token", NULL, AUDIT_OK);
	if (!ret)
		ret = auth_token_create(http_db(req), user, name, scopes, days, &t, secret, &ev,
			http_err(req));
	if (!ret) {
		json_t *j = auth_token_json(&t);
		json_object_set_new(j, "token", json_string(secret));
		ret = http_reply_json(req, 201, j);
		explicit_bzero(secret, sizeof(secret));
	}
	json_decref(body);
	return ret;
}

int auth_api_delete_token(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	struct auth_token t;
	struct audit_event ev;
	char idtext[24];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret && (auth_token_get(http_db(req), id, &t) ||
			    !auth_reach_allows(p, (enum auth_reach)http_reach(req), t.agency_id,
				    t.user_id)))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no token with id %lld", (long long)id);
	if (ret)
		return ret;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, "token.revoke", "token", idtext, AUDIT_OK);
	ret = auth_token_revoke(http_db(req), id, &ev);
	if (ret == ERR_NOTFOUND)
		return http_fail(req, ERR_CONFLICT, "id", "token %lld is already revoked",
			(long long)id);
	if (ret)
		return ret;
	return http_reply_bytes(req, 204, NULL, "", 0);
}
