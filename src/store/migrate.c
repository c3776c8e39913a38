/*
 * store/migrate.c - versioned schema migrations registered by each module.
 *
 * Each module lists its migrations (version 1, 2, …); schema_migrations records
 * which (module, version) pairs are applied. Each migration runs in its own
 * write transaction together with its bookkeeping row, so a crash leaves it
 * either fully applied or not at all. Portable tokens in the SQL text are
 * rewritten for the backend here (see docs/internals/sql.md):
 *   @ID@             an auto-assigned integer primary key that is never reused
 *   @WITHOUT_ROWID@  cluster the table by its primary key (SQLite); nothing elsewhere
 */
#include "store/store.h"

#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/internal.h"

static const char create_table[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" module TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL,"
	" PRIMARY KEY (module, version))";

static const struct {
	const char *token;
	const char *sqlite;
} tokens[] = {
	{ "@ID@", "INTEGER PRIMARY KEY AUTOINCREMENT" },
	{ "@WITHOUT_ROWID@", " WITHOUT ROWID" },
};

static void rewrite_tokens(struct buf *out, const char *sql)
{
	while (*sql) {
		size_t i, best_at = strlen(sql), best = 0;
		for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
			const char *p = strstr(sql, tokens[i].token);
			if (p && (size_t)(p - sql) < best_at) {
				best_at = (size_t)(p - sql);
				best = i + 1;
			}
		}
		buf_add(out, sql, best_at);
		sql += best_at;
		if (best) {
			buf_adds(out, tokens[best - 1].sqlite);
			sql += strlen(tokens[best - 1].token);
		}
	}
}

static int applied_version(struct store_conn *c, const char *module, int64_t *out)
{
	int ret = store_query_int64(c, out,
		"SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = ?", "t",
		module);
	return ret == ERR_NOTFOUND ? (*out = 0, 0) : ret;
}

static int apply_one(struct store_conn *c, const char *module, const struct store_migration *m,
	struct err_msg *err)
{
	struct buf sql = BUF_INIT;
	char now[32];
	int64_t have = 0;
	int ret;

	rewrite_tokens(&sql, m->sql);
	ret = store_begin(c);
	if (!ret)
		ret = applied_version(c, module, &have);
	/* Another process may have applied it since store_migrate() looked. */
	if (ret || have >= m->version)
		goto out;
	ret = store_exec_script(c, sql.s, err);
	if (ret)
		goto out;
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_exec(c,
		"INSERT INTO schema_migrations (module, version, name, applied_at) VALUES (?, ?, ?, ?)",
		"titt", module, (int64_t)m->version, m->name, now);
	if (ret < 0)
		goto out;
	ret = store_commit(c);
	if (!ret)
		log_info("store: migrated %s to version %d (%s)", module, m->version, m->name);
out:
	if (ret && err && !err->message[0])
		err_set(err, ret, "", "migration %s %d (%s) failed", module, m->version, m->name);
	store_rollback(c);
	buf_release(&sql);
	return ret < 0 ? ret : 0;
}

int store_migrate(struct store_conn *c, const struct store_module_schema *schemas, size_t n,
	struct err_msg *err)
{
	int ret = store_exec_script(c, create_table, err);

	for (size_t i = 0; i < n && !ret; i++) {
		const struct store_module_schema *m = &schemas[i];
		int64_t have = 0;

		ret = applied_version(c, m->module, &have);
		for (size_t j = 0; j < m->count && !ret; j++) {
			if (m->migrations[j].version != (int)j + 1) {
				ret = err_set(err, ERR_INTERNAL, "", "migration %s #%zu has version %d",
					m->module, j, m->migrations[j].version);
			} else if (m->migrations[j].version > have) {
				ret = apply_one(c, m->module, &m->migrations[j], err);
			}
		}
		if (!ret && have > (int64_t)m->count)
			ret = err_set(err, ERR_CONFLICT, "data",
				"database has %s schema version %lld, newer than this rootcut (%zu); "
				"upgrade rootcut",
				m->module, (long long)have, m->count);
	}
	return ret;
}
