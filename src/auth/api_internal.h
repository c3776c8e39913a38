/*
 * auth/api_internal.h - shared by the HTTP handler files of src/auth/.
 */
#pragma once
#include <jansson.h>

#include "auth/internal.h"
#include "http/http.h"

struct jsonw;

/*
 * The JSON forms of the records, written with a struct jsonw (the one
 * definition of their fields); the json_t forms are parsed from the same text.
 */
void auth_user_jsonw(struct jsonw *w, const struct auth_user *u);
void auth_agency_jsonw(struct jsonw *w, const struct agency *a);
void auth_bits_jsonw(struct jsonw *w, uint32_t bits, const char *(*name)(uint32_t));
json_t *auth_user_json(const struct auth_user *u);
json_t *auth_agency_json(const struct agency *a);
json_t *auth_token_json(const struct auth_token *t);
json_t *auth_bits_json(uint32_t bits, const char *(*name)(uint32_t));

/* Read a list of names (JSON array of strings, or a comma-separated string). */
int auth_json_bits(struct http_request *req, json_t *obj, const char *field,
	int (*parse)(const char *, uint32_t *, struct err_msg *), uint32_t *out);

/* Set (or with max_age 0, clear) the session cookie. */
void auth_set_session_cookie(struct http_request *req, const char *value, int64_t max_age);

/* Load a user the caller may see under their reach; ERR_NOTFOUND otherwise. */
int auth_api_visible_user(struct http_request *req, int64_t id, struct auth_user *out);

int auth_api_post_session(struct http_request *req);
int auth_api_get_session(struct http_request *req);
int auth_api_delete_session(struct http_request *req);
int auth_api_post_password(struct http_request *req);
int auth_api_post_totp(struct http_request *req);
int auth_api_post_totp_confirm(struct http_request *req);
int auth_api_delete_totp(struct http_request *req);
int auth_api_list_users(struct http_request *req);
int auth_api_post_user(struct http_request *req);
int auth_api_get_user(struct http_request *req);
int auth_api_patch_user(struct http_request *req);
int auth_api_reset_password(struct http_request *req);
int auth_api_list_agencies(struct http_request *req);
int auth_api_post_agency(struct http_request *req);
int auth_api_get_agency(struct http_request *req);
int auth_api_patch_agency(struct http_request *req);
int auth_api_list_tokens(struct http_request *req);
int auth_api_post_token(struct http_request *req);
int auth_api_delete_token(struct http_request *req);
int auth_api_get_policy(struct http_request *req);
