/*
 * notify/notify_api.c - a user's own notifications: list (unread first) and
 * mark as read.
 */
#include "notify/notify_api.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "auth/auth.h"
#include "http/http.h"
#include "store/store.h"

static int list_notifications(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	const char *unread = http_query(req, "unread");
	struct store_stmt *st;
	int64_t count = 0;
	json_t *items;
	int ret = store_query(http_db(req), &st,
		"SELECT id, kind, title, link, created_at, read_at FROM notifications"
		" WHERE user_id = ? AND (? = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT 200",
		"ib", p->user_id, unread && !strcmp(unread, "1"));

	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?}", "id",
			(json_int_t)store_col_int64(st, 0), "kind", store_col_text(st, 1), "title",
			store_col_text(st, 2), "link", store_col_text(st, 3), "created_at",
			store_col_text(st, 4), "read_at",
			store_col_null(st, 5) ? NULL : store_col_text(st, 5)));
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	ret = store_query_int64(http_db(req), &count,
		"SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "i",
		p->user_id);
	if (ret) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "unread",
		(json_int_t)count));
}

static int mark_read(struct http_request *req)
{
	char now[32];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_exec(http_db(req),
		"UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?",
		"tii", now, id, http_principal(req)->user_id);
	if (ret == 0)
		return http_fail(req, ERR_NOTFOUND, "id", "no notification %lld", (long long)id);
	return ret < 0 ? ret : http_reply_bytes(req, 204, NULL, "", 0);
}

static const struct http_route routes[] = {
	{ "GET", "/api/v1/notifications", list_notifications, 0 },
	{ "POST", "/api/v1/notifications/{id}/read", mark_read, 0 },
};

const struct http_route_table *notify_routes(void)
{
	static const struct http_route_table table = { "notify", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
