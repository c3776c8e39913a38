/*
 * tests/unit/auth/test_auth_api.c - the JSON forms shared by the auth
 * handlers (src/auth/auth_api.c): lists of role and scope names read from a
 * request body as an array or a comma-separated string, and the records
 * written back. The request is built directly; these functions only touch
 * its error detail.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "auth/api_internal.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "http/internal.h"
#include "testutil.h"

static struct http_request *bare_request(void)
{
	struct http_request *req = xcalloc(1, sizeof(*req));

	req->fd = -1;
	buf_init(&req->body, 0);
	return req;
}

static int bits_of(const char *json, uint32_t *out, struct err_msg *err)
{
	struct http_request *req = bare_request();
	json_error_t e;
	json_t *obj = json_loads(json, 0, &e);
	int ret;

	cr_assert_not_null(obj, "test JSON '%.60s…': %s", json, e.text);
	ret = auth_json_bits(req, obj, "roles", auth_roles_parse, out);
	*err = req->err;
	json_decref(obj);
	http_request_free(req);
	return ret;
}

Test(auth_api, role_lists)
{
	static const struct {
		const char *json;
		int ret;
		uint32_t want;
		const char *reason;
	} cases[] = {
		{ "{\"roles\":[\"admin\",\"auditor\"]}", 0, ROLE_ADMIN | ROLE_AUDITOR, NULL },
		{ "{\"roles\":\"admin, auditor\"}", 0, ROLE_ADMIN | ROLE_AUDITOR, NULL },
		{ "{\"roles\":[\"api_client\"]}", 0, ROLE_API_CLIENT, NULL },
		{ "{\"roles\":[]}", ERR_INVAL, 0, "at least one role" },
		{ "{\"roles\":\"\"}", ERR_INVAL, 0, "at least one role" },
		{ "{\"roles\":[\"root\"]}", ERR_INVAL, 0, "unknown role 'root'" },
		{ "{\"roles\":[\"admin,root\"]}", ERR_INVAL, 0, "unknown role 'root'" },
		{ "{\"roles\":[1]}", ERR_INVAL, 0, "must be a list of names" },
		{ "{\"roles\":[null]}", ERR_INVAL, 0, "must be a list of names" },
		{ "{\"roles\":{\"admin\":true}}", ERR_INVAL, 0, "must be a list of names" },
		{ "{\"roles\":7}", ERR_INVAL, 0, "must be a list of names" },
		{ "{}", ERR_INVAL, 0, "must be a list of names" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct err_msg err;
		uint32_t bits = 0xdead;
		int ret = bits_of(cases[i].json, &bits, &err);

		cr_expect_eq(ret, cases[i].ret, "%s → %s (%s)", cases[i].json, err_name(ret),
			err.message);
		if (!ret && !cases[i].ret)
			cr_expect_eq(bits, cases[i].want, "%s → %#x, expected %#x", cases[i].json, bits,
				cases[i].want);
		if (ret) {
			cr_expect_str_eq(err.field, "roles", "%s: field '%s'", cases[i].json, err.field);
			cr_expect_not_null(strstr(err.message, cases[i].reason),
				"%s: message '%s' lacks '%s'", cases[i].json, err.message, cases[i].reason);
			cr_expect_eq(bits, 0xdead, "%s refused but changed the output", cases[i].json);
		}
	}
}

Test(auth_api, long_lists_are_refused_not_cut)
{
	/*
	 * 63 times "analyst," and two spaces put "administrator" at byte 506: cut
	 * at 511 bytes it would read as "admin", a role nobody asked for.
	 */
	char json[1024], list[700] = "";
	struct err_msg err;
	uint32_t bits = 0;
	int ret;

	for (int i = 0; i < 63; i++)
		memcpy(list + 8 * i, "analyst,", 9);
	memcpy(list + 504, "  administrator", 16);
	snprintf(json, sizeof(json), "{\"roles\":\"%s\"}", list);
	ret = bits_of(json, &bits, &err);
	cr_expect_eq(ret, ERR_INVAL, "a 519-byte list ending in 'administrator' accepted as %#x",
		bits);
	cr_expect_str_eq(err.field, "roles", "field '%s'", err.field);

	/* The same names as an array hit the same limit. */
	{
		struct buf b = BUF_INIT;
		buf_adds(&b, "{\"roles\":[");
		for (int i = 0; i < 100; i++)
			buf_addf(&b, "%s\"analyst\"", i ? "," : "");
		buf_adds(&b, "]}");
		ret = bits_of(b.s, &bits, &err);
		cr_expect_eq(ret, ERR_INVAL, "an array of 100 names accepted");
		cr_expect_not_null(strstr(err.message, "too many names"), "message '%s'", err.message);
		buf_release(&b);
	}
}

Test(auth_api, bits_json_lists_known_names)
{
	json_t *a = auth_bits_json(ROLE_ADMIN | ROLE_API_CLIENT | (1u << 20), auth_role_name);
	char *text = json_dumps(a, JSON_COMPACT);

	cr_expect_str_eq(text, "[\"admin\",\"api_client\"]", "roles as JSON '%s'", text);
	free(text);
	json_decref(a);
}

Test(auth_api, records_as_json)
{
	struct auth_user u = { 0 };
	struct auth_token t = { 0 };
	json_t *j;

	u.id = 3;
	str_copy(u.username, sizeof(u.username), "alice");
	u.roles = ROLE_ANALYST;
	str_copy(u.created_at, sizeof(u.created_at), "2026-01-01T00:00:00Z");
	j = auth_user_json(&u);
	cr_assert_not_null(j, "user JSON");
	cr_expect(json_is_null(json_object_get(j, "locked_until")), "unlocked user: locked_until");
	cr_expect(json_is_false(json_object_get(j, "locked")), "unlocked user: locked");
	cr_expect(json_is_null(json_object_get(j, "last_login_at")), "never signed in");
	cr_expect_null(json_object_get(j, "password_hash"), "user JSON carries a password hash");
	json_decref(j);

	t.id = 9;
	t.scopes = SCOPE_READ;
	str_copy(t.revoked_at, sizeof(t.revoked_at), "2026-01-02T00:00:00Z");
	j = auth_token_json(&t);
	cr_assert_not_null(j, "token JSON");
	cr_expect(json_is_false(json_object_get(j, "active")), "revoked token is active");
	cr_expect_null(json_object_get(j, "token_hash"), "token JSON carries the hash");
	json_decref(j);
}
