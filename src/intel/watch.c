/*
 * intel/watch.c - watchlists: a user watches an identifier, and every new
 * report that names it (and counts: not a duplicate, not the victim's own,
 * not warning-listed) notifies them in-app. The notification names the
 * identifier and the report id only; reading the report still needs need-to-know.
 */
#include "intel/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "notify/notify.h"
#include "store/store.h"

#define WATCHES_PER_USER 1000

int intel_watch_add(struct store_conn *c, int64_t user_id, const struct ident *id,
	const char *note, const struct audit_event *ev, int64_t *watch_id, struct err_msg *err)
{
	struct store_stmt *st = NULL;
	int64_t row = 0, have = 0;
	char now[32];
	int ret;

	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_query_int64(c, &have, "SELECT COUNT(*) FROM watches WHERE user_id = ?", "i",
			user_id);
	if (!ret && have >= WATCHES_PER_USER)
		ret = err_set(err, ERR_LIMIT, "value", "at most %d watches per user", WATCHES_PER_USER);
	/* Watching something never reported yet is allowed: the row waits for it. */
	if (!ret)
		ret = intel_ident_upsert(c, id, &row);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO watches (user_id, identifier_id, note, created_at) VALUES (?, ?, ?, ?)"
			" RETURNING id",
			"iitt", user_id, row, note ? note : "", now);
	if (!ret) {
		ret = store_step(st);
		if (ret == STORE_ROW) {
			*watch_id = store_col_int64(st, 0);
			ret = 0;
		}
		store_finish(st);
	}
	if (ret == ERR_CONFLICT)
		err_set(err, ret, "value", "you already watch %s", id->display);
	if (!ret && ev)
		ret = audit_append(c, ev);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_watch_remove(struct store_conn *c, int64_t user_id, int64_t watch_id)
{
	int ret = store_exec(c, "DELETE FROM watches WHERE id = ? AND user_id = ?", "ii", watch_id,
		user_id);

	return ret < 0 ? ret : ret == 0 ? ERR_NOTFOUND : 0;
}

int intel_watch_notify(struct store_conn *c, const struct intel_report *r, int64_t identifier_row,
	const struct ident *id)
{
	struct store_stmt *st;
	char title[512], link[64];
	int64_t users[64];
	size_t n = 0;
	int ret = store_query(c, &st,
		"SELECT user_id FROM watches WHERE identifier_id = ? AND user_id <> ? LIMIT 64", "ii",
		identifier_row, r->created_by);

	if (ret)
		return ret;
	while (n < 64 && store_step(st) == STORE_ROW)
		users[n++] = store_col_int64(st, 0);
	store_finish(st);
	snprintf(title, sizeof(title),
		"關注的識別碼出現在新通報 A watched identifier is in a new report: %s %s (report %lld)",
		ident_type_name(id->type), id->display, (long long)r->id);
	snprintf(link, sizeof(link), "/api/v1/identifiers/%lld", (long long)identifier_row);
	for (size_t i = 0; i < n && !ret; i++)
		ret = notify_user(c, users[i], "watch.hit", title, link);
	return ret;
}
