/*
 * notify/notify.c - the notifications table and queueing a notification.
 */
#include "notify/notify.h"

#include "base/clock.h"
#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "in-app notifications",
		"CREATE TABLE notifications ("
		" id @ID@,"
		" user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
		" kind TEXT NOT NULL,"
		" title TEXT NOT NULL,"
		" link TEXT NOT NULL DEFAULT '',"
		" created_at TEXT NOT NULL,"
		" read_at TEXT);"
		"CREATE INDEX notifications_user ON notifications (user_id, read_at, id)" },
};

const struct store_module_schema *notify_schema(void)
{
	static const struct store_module_schema schema = { "notify", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}

int notify_user(struct store_conn *c, int64_t user_id, const char *kind, const char *title,
	const char *link)
{
	char now[32];
	int ret;

	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_exec(c,
		"INSERT INTO notifications (user_id, kind, title, link, created_at) VALUES (?, ?, ?, ?, ?)",
		"itttt", user_id, kind, title, link ? link : "", now);
	return ret < 0 ? ret : 0;
}
