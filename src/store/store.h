/*
 * store/store.h - the database: a pool of connections, statements, transactions
 * and versioned migrations. SQLite (WAL) now; PostgreSQL later behind the same
 * interface.
 *
 * Data flow: domain module → store → SQL. Every statement is parameterised
 * ('?' placeholders, bound by position); SQL text is never built from input.
 * SQL is written in the portable subset described in docs/internals/sql.md so
 * that the PostgreSQL backend needs no rewrite: '?' placeholders (renumbered to
 * $n by that backend), RETURNING instead of last-insert-id, TEXT timestamps in
 * ISO 8601 UTC, INTEGER booleans, and the @ID@ token for an identity key.
 *
 * Threads: a struct store is shared; a struct store_conn belongs to one thread
 * between store_acquire() and store_release().
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err_msg;
struct store;
struct store_conn;
struct store_stmt;

struct store_options {
	int pool_size;          /* connections in the pool (>= 1) */
	int busy_timeout_ms;    /* how long a writer from another process waits */
	bool synchronous_full;  /* fsync every commit (true) or only WAL checkpoints */
	bool read_only;         /* open read-only (e.g. `audit verify` on a copy) */
};

#define STORE_OPTIONS_DEFAULT { 4, 5000, true, false }

/* One versioned schema change of one module; versions start at 1 and only grow. */
struct store_migration {
	int version;
	const char *name; /* short description, e.g. "users and agencies" */
	const char *sql;  /* one or more statements separated by ';' */
};

/* The migrations of one module, in version order. */
struct store_module_schema {
	const char *module;
	const struct store_migration *migrations;
	size_t count;
};

enum store_step_result { STORE_DONE = 0, STORE_ROW = 1 };

/*
 * Open (creating if needed) the database at path with opt (NULL for defaults).
 * On success *out owns the pool; free it with store_close(). Fills err.
 */
int store_open(const char *path, const struct store_options *opt, struct store **out,
	struct err_msg *err);
/* Close every connection and free s. Accepts NULL. */
void store_close(struct store *s);
/* The file name the store was opened with. */
const char *store_path(const struct store *s);

/* Take a connection from the pool, waiting if all are in use. Never NULL. */
struct store_conn *store_acquire(struct store *s);
/* Return c to its pool (rolling back a transaction left open). Accepts NULL. */
void store_release(struct store_conn *c);

/*
 * Start a write transaction. Writers in this process queue on a mutex before
 * BEGIN IMMEDIATE, so they never spin on SQLITE_BUSY among themselves.
 */
int store_begin(struct store_conn *c);
/* Start a read transaction (a consistent snapshot for several SELECTs). */
int store_begin_read(struct store_conn *c);
/*
 * Start a read snapshot: the reads that follow share one read transaction
 * (one WAL read lock, one check of the database size) instead of taking one
 * each, e.g. for the whole of a GET request. Unlike store_begin_read() it
 * gives way by itself: store_begin(), store_begin_read() and any statement
 * that writes end it first, and then run exactly as they would without it,
 * so code that writes needs no change. store_rollback() and store_release()
 * end it. Does nothing inside a transaction. Returns 0 or ERR_STORE.
 */
int store_snapshot_begin(struct store_conn *c);
/* Commit; durable on return when synchronous_full. */
int store_commit(struct store_conn *c);
/* Roll back if a transaction is open; otherwise a no-op. */
void store_rollback(struct store_conn *c);

/*
 * Prepare sql (cached per connection, keyed by the string's address and
 * checked against its text, so SQL built into a reused buffer is prepared
 * again; constant strings are the fast case) and bind its
 * parameters from fmt: one letter per '?' — 't' const char * (NULL binds NULL),
 * 'T' the same without a copy (the text must stay unchanged until
 * store_finish(); with store_exec() and store_query_int64() until they return),
 * 'i' int64_t, 'n' NULL (no argument), 'b' bool as 0/1 (int argument).
 * Returns 0 and *out, to be stepped with store_step() and finished with
 * store_finish(); or ERR_STORE (logged with the SQL, never with the values).
 */
int store_query(struct store_conn *c, struct store_stmt **out, const char *sql, const char *fmt,
	...);
/* Advance: STORE_ROW, STORE_DONE, or ERR_STORE / ERR_CONFLICT (unique or foreign key). */
int store_step(struct store_stmt *st);
/* Reset st and return it to the cache. Accepts NULL. */
void store_finish(struct store_stmt *st);

/*
 * Run a statement that returns no rows (or ignore them). Returns the number of
 * rows changed (>= 0) or a negative error (ERR_CONFLICT on a constraint).
 */
int store_exec(struct store_conn *c, const char *sql, const char *fmt, ...);

/*
 * store_exec() with the parameters in an array: n values, v[k] bound to the
 * k-th '?', each typed by its format letter as in store_query() ('t', 'T',
 * 'i', 'n', 'b'). For statements whose parameters are counted at run time,
 * e.g. an INSERT of many rows at once (VALUES (?, ?), (?, ?) …).
 */
struct store_val {
	char type;     /* format letter */
	int64_t i;     /* 'i', 'b' */
	const char *t; /* 't', 'T' */
};
int store_exec_vals(struct store_conn *c, const char *sql, const struct store_val *v, size_t n);

/*
 * Run a query expected to return at most one row with one integer column.
 * Returns 0 with *out set, ERR_NOTFOUND when no row, or an error.
 */
int store_query_int64(struct store_conn *c, int64_t *out, const char *sql, const char *fmt, ...);

/*
 * Step st to its end, turning each row into one item of size bytes with fn
 * (which fills the zeroed item from the current row), and finish st. On 0,
 * *out is a malloc'ed array of *n items (NULL when none) for the caller to
 * free; on an error nothing is returned. The usual tail of a list function:
 *
 *	ret = store_query(c, &st, "SELECT …", …);
 *	return ret ? ret : store_collect(st, sizeof(**out), agency_from_row, (void **)out, n);
 */
typedef void (*store_row_fn)(struct store_stmt *st, void *item);
int store_collect(struct store_stmt *st, size_t size, store_row_fn fn, void **out, size_t *n);

/* Column accessors for the current row; text is valid until the next step. */
const char *store_col_text(struct store_stmt *st, int col); /* "" for NULL */
int64_t store_col_int64(struct store_stmt *st, int col);
bool store_col_null(struct store_stmt *st, int col);

/* Apply every pending migration of every schema in one transaction each. */
int store_migrate(struct store_conn *c, const struct store_module_schema *schemas, size_t n,
	struct err_msg *err);

/* Run PRAGMA integrity_check; 0 when "ok", else ERR_STORE with the first problem in err. */
int store_integrity_check(struct store_conn *c, struct err_msg *err);

/*
 * Copy the live database to path consistently (online backup) as one
 * self-contained file (rollback journal mode, no -wal/-shm), and check its
 * integrity. Fills err.
 */
int store_backup(struct store *s, const char *path, struct err_msg *err);

/*
 * Bulk loading on c, a connection that one long import holds (the others are
 * untouched): store_bulk_begin() gives it a page cache of cache_mib MiB and
 * memory-mapped reads, turns foreign-key checks off (the importer checks),
 * and stops fsyncing its commits and checkpointing the WAL after them
 * (SQLite's synchronous=NORMAL, wal_autocheckpoint=0): each commit only
 * appends to the WAL. Call outside a transaction.
 *
 * store_bulk_end() restores the connection's settings, then checkpoints: the
 * WAL is fsynced, copied into the database (fsynced) and truncated, waiting
 * up to the busy timeout for readers of older snapshots. Only when it
 * returns 0 is every commit made since store_bulk_begin() durable; before
 * that a crash may lose the latest of them (never part of one: each stays
 * atomic). ERR_STORE when the checkpoint could not finish (the data is
 * stored, and a later checkpoint makes it durable).
 */
int store_bulk_begin(struct store_conn *c, int cache_mib);
int store_bulk_end(struct store_conn *c);

/*
 * For a bulk load inside one write transaction: drop the index name (a
 * string of the caller's code, never input), returning in *def (malloc'ed)
 * the statement that recreates it as it was; store_index_create(c, def)
 * before the commit builds it again in one sorted pass, which costs less
 * than keeping it up to date row by row. Readers never see it missing: both
 * happen in the transaction. ERR_NOTFOUND when there is no such index.
 */
int store_index_drop(struct store_conn *c, const char *name, char **def);
int store_index_create(struct store_conn *c, const char *def);

/*
 * A stamp of the database as connection c sees it, for caches of rows that
 * must not outlive a change: two stamps of the same connection are equal
 * only when nothing was committed in between, by any other connection or
 * process (PRAGMA data_version) or through c itself (its count of changed
 * rows). Stamps of different connections are never equal. Take the stamp
 * before reading the rows it stands for; inside a snapshot both see the same
 * state. Returns 0 or ERR_STORE.
 */
struct store_stamp {
	uint64_t conn;   /* the connection */
	int64_t version; /* PRAGMA data_version */
	int64_t changes; /* sqlite3_total_changes64() of the connection */
};
int store_stamp(struct store_conn *c, struct store_stamp *out);
bool store_stamp_equal(const struct store_stamp *a, const struct store_stamp *b);

/* Statistics for /metrics. */
struct store_stats {
	uint64_t acquires;      /* connections handed out */
	uint64_t acquire_waits; /* acquires that had to wait for a free connection */
	uint64_t commits;
	uint64_t errors;
};
void store_get_stats(struct store *s, struct store_stats *out);

/* ---- installation settings (settings.c) ---- */

/* The store's own schema (the settings table); migrate it first. */
const struct store_module_schema *store_schema(void);
/* Read setting name into out; ERR_NOTFOUND when unset. */
int store_setting_get(struct store_conn *c, const char *name, char *out, size_t size);
/* Set (insert or replace) a setting; use inside or outside a transaction. */
int store_setting_set(struct store_conn *c, const char *name, const char *value);
