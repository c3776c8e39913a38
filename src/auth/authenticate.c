/*
 * auth/authenticate.c - find who is calling: a bearer token in the
 * Authorization header, else the session cookie.
 */
#include "auth/internal.h"

#include <string.h>
#include <strings.h>

#include "base/err.h"
#include "http/http.h"

int auth_authenticate(struct store_conn *c, struct http_request *req, struct auth_principal *p,
	struct err_msg *err)
{
	const char *authz = http_header(req, "Authorization");
	const char *cookie;

	memset(p, 0, sizeof(*p));
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return err_set(err, ERR_AUTH, "authorization",
				"use 'Authorization: Bearer <token>'");
		return auth_token_lookup(c, authz + 7, p, err);
	}
	cookie = http_cookie(req, AUTH_SESSION_COOKIE);
	if (cookie)
		return auth_session_lookup(c, cookie, p, err);
	return 0;
}
