/*
 * store/sqlite.c - the SQLite backend: connection pool, statement cache,
 * parameter binding and transactions.
 *
 * Invariants:
 *  1. Every connection runs in WAL mode with foreign keys on and a busy timeout.
 *  2. A connection is used by one thread at a time (store_acquire/release).
 *  3. Within this process at most one write transaction is open (write_lock),
 *     held from store_begin() until commit or rollback.
 *  4. Prepared statements are cached per connection, keyed by the SQL string's
 *     address (all SQL is string literals), and reset when finished.
 */
#include "store/store.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "store/internal.h"

int store_sqlite_err(struct store_conn *c, int rc, const char *what)
{
	int primary = rc & 0xff;

	if (primary == SQLITE_CONSTRAINT)
		return ERR_CONFLICT;
	if (c)
		atomic_fetch_add(&c->owner->errors, 1);
	log_error("store: %s: %s", what, c ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	if (primary == SQLITE_NOMEM)
		return ERR_NOMEM;
	return ERR_STORE;
}

int store_exec_script(struct store_conn *c, const char *sql, struct err_msg *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		err_set(err, ERR_STORE, "", "sql failed: %s", msg ? msg : sqlite3_errstr(rc));
		log_error("store: script failed: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return ERR_STORE;
	}
	return 0;
}

#define STORE_MMAP_BYTES "2147418112" /* SQLITE_MAX_MMAP_SIZE's default, 0x7fff0000 */

static int conn_open(struct store *s, struct store_conn *c, struct err_msg *err)
{
	static _Atomic uint64_t next_id = 1;
	int flags = s->opt.read_only ? SQLITE_OPEN_READONLY
				     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	char pragmas[256];
	int rc;

	c->owner = s;
	c->id = atomic_fetch_add(&next_id, 1);
	flags |= SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(s->path, &c->db, flags, NULL);
	if (rc != SQLITE_OK)
		return err_set(err, ERR_STORE, "data", "cannot open database '%s': %s", s->path,
			c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(c->db, s->opt.busy_timeout_ms);
	sqlite3_extended_result_codes(c->db, 1);
	/*
	 * Reads map the database (up to SQLite's own cap, 2 GB) instead of copying
	 * pages with pread(2) into each connection's page cache: a lookup in a
	 * large database touched 1.6 pages outside the 2 MB cache per request.
	 */
	snprintf(pragmas, sizeof(pragmas),
		"PRAGMA foreign_keys=ON; PRAGMA synchronous=%s; PRAGMA temp_store=MEMORY;"
		" PRAGMA mmap_size=" STORE_MMAP_BYTES ";",
		s->opt.synchronous_full ? "FULL" : "NORMAL");
	rc = store_exec_script(c, pragmas, err);
	if (rc)
		return rc;
	if (!s->opt.read_only)
		rc = store_exec_script(c, "PRAGMA journal_mode=WAL;", err);
	return rc;
}

static void conn_close(struct store_conn *c)
{
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close(c->db);
}

/*
 * Before SQLite starts: no memory statistics. They cost a global mutex on
 * every allocation SQLite makes, shared by all connections and threads, and
 * nothing reads them. (SQLITE_MISUSE when SQLite was already started: then
 * it keeps them, which is only slower.)
 */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const char *path, const struct store_options *opt, struct store **out,
	struct err_msg *err)
{
	static const struct store_options defaults = STORE_OPTIONS_DEFAULT;
	static pthread_once_t setup = PTHREAD_ONCE_INIT;
	struct store *s;
	int ret = 0;

	pthread_once(&setup, sqlite_setup);
	s = xcalloc(1, sizeof(*s));

	s->path = xstrdup(path);
	s->opt = opt ? *opt : defaults;
	if (s->opt.pool_size < 1)
		s->opt.pool_size = 1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	s->conns = xcalloc((size_t)s->opt.pool_size, sizeof(*s->conns));
	s->in_use = xcalloc((size_t)s->opt.pool_size, sizeof(*s->in_use));
	for (int i = 0; i < s->opt.pool_size && !ret; i++)
		ret = conn_open(s, &s->conns[i], err);
	if (ret) {
		store_close(s);
		return ret;
	}
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->opt.pool_size; i++)
		if (s->conns[i].db)
			conn_close(&s->conns[i]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	pthread_mutex_destroy(&s->write_lock);
	free(s->conns);
	free(s->in_use);
	free(s->path);
	free(s);
}

const char *store_path(const struct store *s)
{
	return s->path;
}

struct store_conn *store_acquire(struct store *s)
{
	struct store_conn *c = NULL;
	bool waited = false;

	pthread_mutex_lock(&s->lock);
	while (!c) {
		for (int i = 0; i < s->opt.pool_size; i++) {
			if (!s->in_use[i]) {
				s->in_use[i] = true;
				c = &s->conns[i];
				break;
			}
		}
		if (!c) {
			waited = true;
			pthread_cond_wait(&s->freed, &s->lock);
		}
	}
	pthread_mutex_unlock(&s->lock);
	atomic_fetch_add(&s->acquires, 1);
	if (waited)
		atomic_fetch_add(&s->acquire_waits, 1);
	return c;
}

void store_release(struct store_conn *c)
{
	struct store *s;

	if (!c)
		return;
	store_rollback(c);
	s = c->owner;
	pthread_mutex_lock(&s->lock);
	s->in_use[c - s->conns] = false;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/*
 * BEGIN, COMMIT and ROLLBACK run for every transaction, so they go through the
 * statement cache like any other SQL: sqlite3_exec() would parse them each time.
 */
static int run_plain(struct store_conn *c, const char *sql)
{
	int ret = store_exec(c, sql, "");

	return ret < 0 ? ret : 0;
}

/*
 * End a read snapshot with COMMIT: unlike ROLLBACK it leaves statements that
 * are still being read intact (they keep their own read transaction).
 */
static void end_snapshot(struct store_conn *c)
{
	c->snapshot = false;
	if (!sqlite3_get_autocommit(c->db) && run_plain(c, "COMMIT"))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_tx = false;
}

int store_begin(struct store_conn *c)
{
	int ret;

	if (c->snapshot)
		end_snapshot(c);
	if (c->in_tx)
		return ERR_INTERNAL;
	pthread_mutex_lock(&c->owner->write_lock);
	ret = run_plain(c, "BEGIN IMMEDIATE");
	if (ret) {
		pthread_mutex_unlock(&c->owner->write_lock);
		return ret;
	}
	c->in_tx = true;
	c->holds_write_lock = true;
	return 0;
}

int store_begin_read(struct store_conn *c)
{
	int ret;

	if (c->snapshot)
		end_snapshot(c);
	if (c->in_tx)
		return ERR_INTERNAL;
	ret = run_plain(c, "BEGIN");
	if (!ret)
		c->in_tx = true;
	return ret;
}

int store_snapshot_begin(struct store_conn *c)
{
	int ret;

	if (c->in_tx)
		return 0;
	ret = run_plain(c, "BEGIN");
	if (!ret)
		c->in_tx = c->snapshot = true;
	return ret;
}

static void end_tx(struct store_conn *c)
{
	c->in_tx = false;
	c->snapshot = false;
	if (c->holds_write_lock) {
		c->holds_write_lock = false;
		pthread_mutex_unlock(&c->owner->write_lock);
	}
}

int store_commit(struct store_conn *c)
{
	int ret;

	if (!c->in_tx)
		return ERR_INTERNAL;
	ret = run_plain(c, "COMMIT");
	if (ret) {
		store_rollback(c);
		return ret;
	}
	atomic_fetch_add(&c->owner->commits, 1);
	end_tx(c);
	return 0;
}

void store_rollback(struct store_conn *c)
{
	if (!c->in_tx)
		return;
	/* A ROLLBACK must happen: without a free cache slot, compile it on the spot. */
	if (!sqlite3_get_autocommit(c->db) && run_plain(c, "ROLLBACK") == ERR_LIMIT)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	end_tx(c);
}

static struct store_stmt *cache_find(struct store_conn *c, const char *sql)
{
	struct store_stmt *free_slot = NULL;

	for (int i = 0; i < STORE_STMT_CACHE; i++) {
		struct store_stmt *e = &c->cache[i];
		if (e->sql == sql && !e->busy) {
			/*
			 * The same address with other text is SQL built into a buffer
			 * at run time: prepare it again rather than run the old one.
			 */
			if (e->stmt && strcmp(sqlite3_sql(e->stmt), sql) != 0) {
				sqlite3_finalize(e->stmt);
				e->stmt = NULL;
				e->sql = NULL;
			}
			return e;
		}
		if (!e->stmt && !free_slot)
			free_slot = e;
	}
	if (!free_slot) {
		/* Evict round-robin among statements not handed out. */
		for (int n = 0; n < STORE_STMT_CACHE && !free_slot; n++) {
			struct store_stmt *e = &c->cache[c->next_evict++ % STORE_STMT_CACHE];
			if (!e->busy) {
				sqlite3_finalize(e->stmt);
				e->stmt = NULL;
				e->sql = NULL;
				free_slot = e;
			}
		}
	}
	return free_slot;
}

static int bind_args(struct store_stmt *st, const char *fmt, va_list ap)
{
	int idx = 1;
	int rc = SQLITE_OK;

	/* Too many values would fail in sqlite3_bind_*() as a database error; both are bugs. */
	if (strlen(fmt) != (size_t)sqlite3_bind_parameter_count(st->stmt)) {
		log_error("store: %zu parameters bound, %d expected: %s", strlen(fmt),
			sqlite3_bind_parameter_count(st->stmt), st->sql);
		return ERR_INTERNAL;
	}
	for (const char *f = fmt; *f && rc == SQLITE_OK; f++, idx++) {
		const char *s;
		switch (*f) {
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st->stmt, idx);
			break;
		case 'T':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_STATIC)
			       : sqlite3_bind_null(st->stmt, idx);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st->stmt, idx, va_arg(ap, int64_t));
			break;
		case 'b':
			rc = sqlite3_bind_int(st->stmt, idx, va_arg(ap, int) ? 1 : 0);
			break;
		case 'n':
			rc = sqlite3_bind_null(st->stmt, idx);
			break;
		default:
			log_error("store: bad bind format '%c' for %s", *f, st->sql);
			return ERR_INTERNAL;
		}
	}
	if (rc != SQLITE_OK)
		return store_sqlite_err(st->conn, rc, st->sql);
	return 0;
}

static int bind_vals(struct store_stmt *st, const struct store_val *v, size_t n)
{
	int rc = SQLITE_OK;

	if (n != (size_t)sqlite3_bind_parameter_count(st->stmt)) {
		log_error("store: %zu parameters bound, %d expected: %s", n,
			sqlite3_bind_parameter_count(st->stmt), st->sql);
		return ERR_INTERNAL;
	}
	for (size_t k = 0; k < n && rc == SQLITE_OK; k++) {
		int idx = (int)k + 1;
		switch (v[k].type) {
		case 't':
		case 'T':
			rc = v[k].t ? sqlite3_bind_text(st->stmt, idx, v[k].t, -1,
					      v[k].type == 'T' ? SQLITE_STATIC : SQLITE_TRANSIENT)
				    : sqlite3_bind_null(st->stmt, idx);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st->stmt, idx, v[k].i);
			break;
		case 'b':
			rc = sqlite3_bind_int(st->stmt, idx, v[k].i ? 1 : 0);
			break;
		case 'n':
			rc = sqlite3_bind_null(st->stmt, idx);
			break;
		default:
			log_error("store: bad bind type '%c' for %s", v[k].type, st->sql);
			return ERR_INTERNAL;
		}
	}
	if (rc != SQLITE_OK)
		return store_sqlite_err(st->conn, rc, st->sql);
	return 0;
}

/* The cached statement of sql, prepared and marked busy; NULL with *ret on failure. */
static struct store_stmt *stmt_get(struct store_conn *c, const char *sql, int *ret)
{
	struct store_stmt *st = cache_find(c, sql);
	int rc;

	if (!st) {
		*ret = ERR_LIMIT; /* every cache slot is handed out: a leak of store_finish() */
		return NULL;
	}
	if (!st->stmt) {
		rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL);
		if (rc != SQLITE_OK) {
			*ret = store_sqlite_err(c, rc, sql);
			return NULL;
		}
		st->sql = sql;
		st->conn = c;
	}
	st->busy = true;
	return st;
}

static int query_v(struct store_conn *c, struct store_stmt **out, const char *sql,
	const char *fmt, va_list ap)
{
	int ret = 0;
	struct store_stmt *st = stmt_get(c, sql, &ret);

	if (!st)
		return ret < 0 ? ret : ERR_INTERNAL;
	ret = bind_args(st, fmt, ap);
	if (ret) {
		store_finish(st);
		return ret;
	}
	*out = st;
	return 0;
}

int store_query(struct store_conn *c, struct store_stmt **out, const char *sql, const char *fmt,
	...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = query_v(c, out, sql, fmt, ap);
	va_end(ap);
	return ret;
}

int store_step(struct store_stmt *st)
{
	int rc;

	/* A statement that writes ends a read snapshot first, and runs as it would without one. */
	if (st->conn->snapshot && !sqlite3_stmt_busy(st->stmt) && !sqlite3_stmt_readonly(st->stmt))
		end_snapshot(st->conn);
	rc = sqlite3_step(st->stmt);

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	return store_sqlite_err(st->conn, rc, st->sql);
}

void store_finish(struct store_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
	st->busy = false;
}

int store_exec(struct store_conn *c, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = query_v(c, &st, sql, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	bool changes = !sqlite3_stmt_readonly(st->stmt);

	do
		ret = store_step(st);
	while (ret == STORE_ROW);
	store_finish(st);
	/* A read-only statement changed nothing; sqlite3_changes() would repeat an older count. */
	return ret < 0 ? ret : changes ? sqlite3_changes(c->db) : 0;
}

int store_exec_vals(struct store_conn *c, const char *sql, const struct store_val *v, size_t n)
{
	int ret = 0;
	struct store_stmt *st = stmt_get(c, sql, &ret);
	bool changes;

	if (!st)
		return ret < 0 ? ret : ERR_INTERNAL;
	ret = bind_vals(st, v, n);
	if (ret) {
		store_finish(st);
		return ret;
	}
	changes = !sqlite3_stmt_readonly(st->stmt);
	do
		ret = store_step(st);
	while (ret == STORE_ROW);
	store_finish(st);
	return ret < 0 ? ret : changes ? sqlite3_changes(c->db) : 0;
}

int store_query_int64(struct store_conn *c, int64_t *out, const char *sql, const char *fmt, ...)
{
	struct store_stmt *st;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = query_v(c, &st, sql, fmt, ap);
	va_end(ap);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*out = store_col_int64(st, 0);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

const char *store_col_text(struct store_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st->stmt, col);

	return s ? (const char *)s : "";
}

int64_t store_col_int64(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

bool store_col_null(struct store_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

int store_integrity_check(struct store_conn *c, struct err_msg *err)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "PRAGMA integrity_check", "");

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		const char *result = store_col_text(st, 0);
		ret = strcmp(result, "ok") == 0
			? 0
			: err_set(err, ERR_STORE, "", "integrity check failed: %s", result);
	} else if (ret == STORE_DONE) {
		ret = err_set(err, ERR_STORE, "", "integrity check returned nothing");
	}
	store_finish(st);
	return ret;
}

/* Make the fresh copy a single self-contained file and check it page by page. */
static int finish_copy(sqlite3 *dest, const char *path, struct err_msg *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(dest, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
		strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0) {
		sqlite3_finalize(st);
		return 0;
	}
	err_set(err, ERR_IO, "file", "the copy in '%s' failed its integrity check: %s", path,
		st && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
						 : sqlite3_errmsg(dest));
	sqlite3_finalize(st);
	return ERR_IO;
}

int store_backup(struct store *s, const char *path, struct err_msg *err)
{
	struct store_conn *c = store_acquire(s);
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int ret = ERR_IO;
	int rc;

	rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		err_set(err, ERR_IO, "file", "cannot create backup '%s': %s", path,
			dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
		goto out;
	}
	b = sqlite3_backup_init(dest, "main", c->db, "main");
	if (!b) {
		err_set(err, ERR_IO, "file", "cannot back up to '%s': %s", path,
			sqlite3_errmsg(dest));
		goto out;
	}
	/* Copy in steps so writers in other processes are not blocked for long. */
	do {
		rc = sqlite3_backup_step(b, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		err_set(err, ERR_IO, "file", "backup to '%s' failed: %s", path, sqlite3_errstr(rc));
	else
		ret = finish_copy(dest, path, err);
out:
	sqlite3_close(dest);
	store_release(c);
	return ret;
}

int store_bulk_begin(struct store_conn *c, int cache_mib)
{
	char sql[256];

	if (c->in_tx)
		return ERR_INTERNAL;
	if (cache_mib < 2)
		cache_mib = 2;
	/*
	 * mmap_size is capped by the library's SQLITE_MAX_MMAP_SIZE (2 GB by
	 * default); reads then map the database instead of copying it.
	 */
	snprintf(sql, sizeof(sql),
		"PRAGMA cache_size=-%lld; PRAGMA mmap_size=%lld; PRAGMA foreign_keys=OFF;"
		" PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;",
		(long long)cache_mib * 1024, (long long)cache_mib * 1048576LL);
	return store_exec_script(c, sql, NULL);
}

int store_bulk_end(struct store_conn *c)
{
	char sql[256];
	int rc, log = 0, done = 0;

	if (c->in_tx)
		return ERR_INTERNAL;
	snprintf(sql, sizeof(sql),
		"PRAGMA cache_size=-2000; PRAGMA mmap_size=" STORE_MMAP_BYTES ";"
		" PRAGMA foreign_keys=ON; PRAGMA synchronous=%s; PRAGMA wal_autocheckpoint=1000;",
		c->owner->opt.synchronous_full ? "FULL" : "NORMAL");
	if (store_exec_script(c, sql, NULL))
		return ERR_STORE;
	rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	if (rc != SQLITE_OK)
		return store_sqlite_err(c, rc, "checkpoint after a bulk load");
	return 0;
}

int store_index_drop(struct store_conn *c, const char *name, char **def)
{
	struct store_stmt *st;
	char sql[256];
	int ret;

	*def = NULL;
	if (!c->in_tx || strchr(name, '"') || strlen(name) > 128)
		return ERR_INTERNAL;
	ret = store_query(c, &st, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
		"t", name);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW && !store_col_null(st, 0))
		*def = xstrdup(store_col_text(st, 0));
	store_finish(st);
	if (ret < 0)
		return ret;
	if (!*def)
		return ERR_NOTFOUND; /* none, or an index of a constraint (no definition) */
	snprintf(sql, sizeof(sql), "DROP INDEX \"%s\"", name);
	ret = store_exec_script(c, sql, NULL);
	if (ret) {
		free(*def);
		*def = NULL;
	}
	return ret;
}

int store_index_create(struct store_conn *c, const char *def)
{
	if (!c->in_tx)
		return ERR_INTERNAL;
	return store_exec_script(c, def, NULL);
}

int store_stamp(struct store_conn *c, struct store_stamp *out)
{
	int64_t version = 0;
	int ret = store_query_int64(c, &version, "PRAGMA data_version", "");

	if (ret)
		return ret;
	out->conn = c->id;
	out->version = version;
	out->changes = (int64_t)sqlite3_total_changes64(c->db);
	return 0;
}

bool store_stamp_equal(const struct store_stamp *a, const struct store_stamp *b)
{
	return a->conn == b->conn && a->version == b->version && a->changes == b->changes;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	out->acquires = atomic_load(&s->acquires);
	out->acquire_waits = atomic_load(&s->acquire_waits);
	out->commits = atomic_load(&s->commits);
	out->errors = atomic_load(&s->errors);
}
