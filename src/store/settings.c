/*
 * store/settings.c - small named values of the installation (e.g. whether
 * this database holds demo data), in the store's own "store" schema.
 */
#include "store/store.h"

#include "base/err.h"
#include "base/str.h"

static const struct store_migration migrations[] = {
	{ 1, "installation settings",
		"CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)" },
};

const struct store_module_schema *store_schema(void)
{
	static const struct store_module_schema schema = { "store", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}

int store_setting_get(struct store_conn *c, const char *name, char *out, size_t size)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT value FROM settings WHERE name = ?", "t", name);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		str_copy(out, size, store_col_text(st, 0));
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int store_setting_set(struct store_conn *c, const char *name, const char *value)
{
	int ret = store_exec(c,
		"INSERT INTO settings (name, value) VALUES (?, ?)"
		" ON CONFLICT (name) DO UPDATE SET value = excluded.value",
		"tt", name, value);
	return ret < 0 ? ret : 0;
}
