/*
 * tests/unit/store/test_store.c - the SQLite store (src/store/): opening,
 * migrations (once, in order, refusing a newer schema), parameter binding of
 * every format letter, conflicts, transactions, the statement cache, backup
 * with an integrity check, and writers on several threads.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/err.h"
#include "store/internal.h"
#include "store/store.h"
#include "testutil.h"

static char *dir;
static struct store *db;

static struct store *open_at(const char *name, const struct store_options *opt)
{
	struct err_msg err = ERR_MSG_INIT;
	struct store *s = NULL;
	char path[1024];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = store_open(path, opt, &s, &err);
	cr_assert_eq(ret, 0, "store_open('%s'): %s", path, err.message);
	return s;
}

static void setup(void)
{
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	db = open_at("test.db", NULL);
	c = store_acquire(db);
	cr_assert_eq(store_migrate(c, store_schema(), 1, &err), 0, "store schema: %s", err.message);
	cr_assert_eq(store_exec_script(c,
			     "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER,"
			     " flag INTEGER, parent INTEGER REFERENCES t (id))",
			     &err),
		0, "create table t: %s", err.message);
	store_release(c);
}

static void teardown(void)
{
	store_close(db);
	db = NULL;
	tu_rmdir(dir);
	dir = NULL;
}

TestSuite(store, .init = setup, .fini = teardown);

static int64_t count(struct store_conn *c, const char *sql)
{
	int64_t n = -1;
	int ret = store_query_int64(c, &n, sql, "");

	cr_assert_eq(ret, 0, "%s: %s", sql, err_str(ret));
	return n;
}

static const char count_t[] = "SELECT COUNT(*) FROM t";

Test(store, pragmas_of_every_connection)
{
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct store *s;
	struct store_conn *conns[3];

	opt.pool_size = 3;
	s = open_at("pragmas.db", &opt);
	for (int i = 0; i < 3; i++)
		conns[i] = store_acquire(s);
	for (int i = 0; i < 3; i++) {
		struct store_stmt *st;
		int64_t fk = -1, sync = -1;
		cr_assert_eq(store_query(conns[i], &st, "PRAGMA journal_mode", ""), 0, "journal_mode");
		cr_assert_eq(store_step(st), STORE_ROW, "journal_mode row");
		cr_expect_str_eq(store_col_text(st, 0), "wal", "connection %d journal_mode '%s'", i,
			store_col_text(st, 0));
		store_finish(st);
		store_query_int64(conns[i], &fk, "PRAGMA foreign_keys", "");
		cr_expect_eq(fk, 1, "connection %d foreign_keys %lld", i, (long long)fk);
		store_query_int64(conns[i], &sync, "PRAGMA synchronous", "");
		cr_expect_eq(sync, 2, "connection %d synchronous %lld (2 = FULL)", i, (long long)sync);
		int64_t mapped = -1;
		store_query_int64(conns[i], &mapped, "PRAGMA mmap_size", "");
		cr_expect_gt(mapped, 0, "connection %d mmap_size %lld: reads are not mapped", i,
			(long long)mapped);
	}
	for (int i = 0; i < 3; i++)
		store_release(conns[i]);
	store_close(s);
}

/* After a bulk load the connection is back at the defaults, memory-mapped reads included. */
Test(store, bulk_end_restores_the_defaults)
{
	struct store_conn *c = store_acquire(db);
	int64_t mapped = -1, fk = -1;

	cr_assert_eq(store_bulk_begin(c, 8), 0, "store_bulk_begin");
	cr_assert_eq(store_bulk_end(c), 0, "store_bulk_end");
	store_query_int64(c, &mapped, "PRAGMA mmap_size", "");
	cr_expect_gt(mapped, 0, "mmap_size %lld after a bulk load", (long long)mapped);
	store_query_int64(c, &fk, "PRAGMA foreign_keys", "");
	cr_expect_eq(fk, 1, "foreign_keys %lld after a bulk load", (long long)fk);
	store_release(c);
}

Test(store, open_failure_names_the_path)
{
	struct err_msg err = ERR_MSG_INIT;
	struct store *s = NULL;
	char path[1024];

	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", dir);
	cr_assert_eq(store_open(path, NULL, &s, &err), ERR_STORE, "store_open('%s') succeeded",
		path);
	cr_assert_null(s, "store_open failed but set *out");
	cr_assert_str_eq(err.field, "data", "field '%s'", err.field);
	cr_assert_not_null(strstr(err.message, path), "message '%s' lacks '%s'", err.message, path);
	store_close(NULL);
	store_release(NULL);
	store_finish(NULL);
}

/* ---- migrations ---- */

static const struct store_migration mig_v[] = {
	{ 1, "first", "CREATE TABLE mlog (v INTEGER); INSERT INTO mlog VALUES (1)" },
	{ 2, "second", "INSERT INTO mlog VALUES (2); CREATE TABLE m2 (x @ID@, y TEXT)" },
	{ 3, "third", "INSERT INTO mlog VALUES (3)" },
	{ 4, "fourth", "INSERT INTO mlog VALUES (4); ALTER TABLE m2 ADD COLUMN z INTEGER" },
};

static void migrate(struct store_conn *c, size_t n, int want, const char *what)
{
	struct store_module_schema schema = { "mtest", mig_v, n };
	struct err_msg err = ERR_MSG_INIT;
	int ret = store_migrate(c, &schema, 1, &err);

	cr_assert_eq(ret, want, "%s: store_migrate returned %d (%s)", what, ret, err.message);
}

static void expect_log(struct store_conn *c, const char *want, const char *what)
{
	struct store_stmt *st;
	char got[64] = "";

	cr_assert_eq(store_query(c, &st, "SELECT v FROM mlog ORDER BY rowid", ""), 0, "read mlog");
	while (store_step(st) == STORE_ROW)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%lld,",
			(long long)store_col_int64(st, 0));
	store_finish(st);
	cr_assert_str_eq(got, want, "%s: migrations ran as '%s', expected '%s'", what, got, want);
}

Test(store, migrations_run_once_in_order)
{
	struct store_conn *c = store_acquire(db);
	char ver[16];
	int64_t n;

	migrate(c, 3, 0, "first run of 1..3");
	expect_log(c, "1,2,3,", "first run of 1..3");
	migrate(c, 3, 0, "second run of 1..3");
	expect_log(c, "1,2,3,", "second run of 1..3");
	migrate(c, 4, 0, "run of 1..4");
	expect_log(c, "1,2,3,4,", "run of 1..4");
	n = count(c, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'mtest'");
	cr_assert_eq(n, 4, "schema_migrations has %lld rows for mtest", (long long)n);
	/* @ID@ became an auto-increment key; the ALTER of migration 4 applied. */
	cr_assert_eq(store_exec(c, "INSERT INTO m2 (y, z) VALUES ('a', 1)", ""), 1, "insert m2");
	n = count(c, "SELECT MAX(x) FROM m2");
	cr_assert_eq(n, 1, "@ID@ column gave %lld", (long long)n);
	cr_assert_eq(store_setting_get(c, "nothing", ver, sizeof(ver)), ERR_NOTFOUND,
		"unset setting found");
	store_release(c);
}

Test(store, newer_schema_is_refused)
{
	struct store_module_schema schema = { "mtest", mig_v, 2 };
	struct store_conn *c = store_acquire(db);
	struct err_msg err = ERR_MSG_INIT;

	migrate(c, 4, 0, "apply 1..4");
	cr_assert_eq(store_migrate(c, &schema, 1, &err), ERR_CONFLICT,
		"a database at version 4 opened by code that knows 2");
	cr_assert_not_null(strstr(err.message, "newer"), "message '%s' lacks 'newer'", err.message);
	cr_assert_not_null(strstr(err.message, "mtest"), "message '%s' lacks the module",
		err.message);
	expect_log(c, "1,2,3,4,", "after the refusal");
	store_release(c);
}

Test(store, versions_must_count_from_one)
{
	static const struct store_migration gap[] = {
		{ 1, "one", "CREATE TABLE g1 (a INTEGER)" },
		{ 3, "three", "CREATE TABLE g3 (a INTEGER)" },
	};
	struct store_module_schema schema = { "gap", gap, 2 };
	struct store_conn *c = store_acquire(db);
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(store_migrate(c, &schema, 1, &err), ERR_INTERNAL, "versions 1, 3 accepted");
	cr_assert_not_null(strstr(err.message, "gap"), "message '%s' lacks the module", err.message);
	store_release(c);
}

Test(store, failed_migration_applies_nothing_of_itself)
{
	static const struct store_migration bad[] = {
		{ 1, "good", "CREATE TABLE b1 (a INTEGER)" },
		{ 2, "bad", "CREATE TABLE b2 (a INTEGER); INSERT INTO no_such_table VALUES (1)" },
	};
	struct store_module_schema schema = { "bad", bad, 2 };
	struct store_conn *c = store_acquire(db);
	struct err_msg err = ERR_MSG_INIT;
	int64_t n;

	cr_assert_eq(store_migrate(c, &schema, 1, &err), ERR_STORE, "failing migration succeeded");
	cr_assert_not_null(strstr(err.message, "no_such_table"), "message '%s' lacks the cause",
		err.message);
	n = count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b2'");
	cr_assert_eq(n, 0, "table b2 of the failed migration exists");
	n = count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b1'");
	cr_assert_eq(n, 1, "table b1 of the good migration is missing");
	n = count(c, "SELECT MAX(version) FROM schema_migrations WHERE module = 'bad'");
	cr_assert_eq(n, 1, "recorded version %lld, expected 1", (long long)n);
	store_release(c);
}

/* ---- binding ---- */

Test(store, binds_every_format_letter)
{
	static const struct {
		const char *label;
		const char *name;     /* 't' (NULL binds NULL) */
		int64_t n;            /* 'i' */
		int flag;             /* 'b' */
		const char *want_flag;
	} cases[] = {
		{ "plain", "alpha", 0, 0, "0" },
		{ "NULL text", NULL, -1, 1, "1" },
		{ "max int64", "max", INT64_MAX, 2, "1" },
		{ "min int64", "min", INT64_MIN, -1, "1" },
		{ "quotes", "O'Brien \"x\"; DROP TABLE t; --", 42, 0, "0" },
		{ "utf-8", "臺灣高等檢察署", 7, 1, "1" },
		{ "empty", "", 8, 0, "0" },
	};
	struct store_conn *c = store_acquire(db);

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct store_stmt *st;
		int ret = store_exec(c, "INSERT INTO t (id, name, n, flag, parent) VALUES (?, ?, ?, ?, ?)",
			"itibn", (int64_t)i + 1, cases[i].name, cases[i].n, cases[i].flag);
		cr_expect_eq(ret, 1, "insert %s returned %d", cases[i].label, ret);
		ret = store_query(c, &st,
			"SELECT name, n, flag, parent, typeof(name), typeof(flag) FROM t WHERE id = ?",
			"i", (int64_t)i + 1);
		cr_assert_eq(ret, 0, "select %s", cases[i].label);
		cr_assert_eq(store_step(st), STORE_ROW, "row of %s", cases[i].label);
		if (cases[i].name) {
			cr_expect_str_eq(store_col_text(st, 0), cases[i].name, "%s: name '%s'",
				cases[i].label, store_col_text(st, 0));
			cr_expect(!store_col_null(st, 0), "%s: name is NULL", cases[i].label);
		} else {
			cr_expect(store_col_null(st, 0), "%s: name is not NULL", cases[i].label);
			cr_expect_str_eq(store_col_text(st, 0), "", "%s: NULL reads as '%s'",
				cases[i].label, store_col_text(st, 0));
		}
		cr_expect_eq(store_col_int64(st, 1), cases[i].n, "%s: n %lld", cases[i].label,
			(long long)store_col_int64(st, 1));
		cr_expect_str_eq(store_col_text(st, 2), cases[i].want_flag, "%s: flag %s",
			cases[i].label, store_col_text(st, 2));
		cr_expect(store_col_null(st, 3), "%s: 'n' did not bind NULL", cases[i].label);
		cr_expect_str_eq(store_col_text(st, 4), cases[i].name ? "text" : "null",
			"%s: name typeof %s", cases[i].label, store_col_text(st, 4));
		cr_expect_str_eq(store_col_text(st, 5), "integer", "%s: flag typeof %s",
			cases[i].label, store_col_text(st, 5));
		cr_expect_eq(store_step(st), STORE_DONE, "%s: second row", cases[i].label);
		store_finish(st);
	}
	cr_assert_eq(count(c, count_t), (int64_t)N_ELEMS(cases), "rows after inserts");
	store_release(c);
}

Test(store, bind_mismatches_are_refused)
{
	static const char two[] = "SELECT ?, ?";
	static const char none[] = "SELECT 1";
	struct store_conn *c = store_acquire(db);
	struct store_stmt *st = NULL;

	cr_expect_eq(store_query(c, &st, two, "t", "a"), ERR_INTERNAL, "1 value for 2 parameters");
	cr_expect_eq(store_query(c, &st, two, "tii", "a", (int64_t)1, (int64_t)2), ERR_INTERNAL,
		"3 values for 2 parameters");
	cr_expect_eq(store_query(c, &st, two, "tx", "a", 1), ERR_INTERNAL, "format letter 'x'");
	cr_expect_eq(store_query(c, &st, none, "i", (int64_t)1), ERR_INTERNAL,
		"1 value for no parameters");
	cr_expect_eq(store_query(c, &st, "SELEC nonsense", ""), ERR_STORE, "bad SQL");
	/* The refused statements went back to the cache: the right call works. */
	cr_assert_eq(store_query(c, &st, two, "ti", "a", (int64_t)5), 0, "2 values for 2");
	cr_assert_eq(store_step(st), STORE_ROW, "row");
	cr_assert_eq(store_col_int64(st, 1), 5, "second column %lld",
		(long long)store_col_int64(st, 1));
	store_finish(st);
	store_release(c);
}

Test(store, query_int64_notfound_and_settings)
{
	struct store_conn *c = store_acquire(db);
	char value[32];
	int64_t v = 77;

	cr_assert_eq(store_query_int64(c, &v, "SELECT n FROM t WHERE id = ?", "i", (int64_t)999),
		ERR_NOTFOUND, "no row");
	cr_assert_eq(v, 77, "ERR_NOTFOUND changed *out");
	cr_assert_eq(store_setting_set(c, "demo", "yes"), 0, "setting_set");
	cr_assert_eq(store_setting_set(c, "demo", "no"), 0, "setting_set again (replace)");
	cr_assert_eq(store_setting_get(c, "demo", value, sizeof(value)), 0, "setting_get");
	cr_assert_str_eq(value, "no", "setting demo = '%s'", value);
	store_release(c);
}

/* ---- conflicts and transactions ---- */

Test(store, unique_and_foreign_key_violations_are_conflicts)
{
	static const char ins[] = "INSERT INTO t (id, name, parent) VALUES (?, ?, ?)";
	struct store_conn *c = store_acquire(db);
	struct store_stmt *st;

	cr_assert_eq(store_exec(c, ins, "itn", (int64_t)1, "a"), 1, "first insert");
	cr_expect_eq(store_exec(c, ins, "itn", (int64_t)2, "a"), ERR_CONFLICT, "duplicate name");
	cr_expect_eq(store_exec(c, ins, "itn", (int64_t)1, "b"), ERR_CONFLICT, "duplicate key");
	cr_expect_eq(store_exec(c, ins, "iti", (int64_t)3, "c", (int64_t)99), ERR_CONFLICT,
		"parent 99 does not exist (foreign key)");
	/* A conflict seen by store_step, as with INSERT … RETURNING. */
	cr_assert_eq(store_query(c, &st, "INSERT INTO t (name) VALUES (?) RETURNING id", "t", "a"), 0,
		"prepare RETURNING");
	cr_expect_eq(store_step(st), ERR_CONFLICT, "duplicate name through RETURNING");
	store_finish(st);
	cr_expect_eq(count(c, count_t), 1, "rows after conflicts");
	store_release(c);
}

Test(store, transactions_commit_and_roll_back)
{
	static const char ins[] = "INSERT INTO t (name) VALUES (?)";
	struct store_conn *c = store_acquire(db);

	cr_assert_eq(store_begin(c), 0, "begin");
	cr_assert_eq(store_begin(c), ERR_INTERNAL, "nested begin accepted");
	cr_assert_eq(store_begin_read(c), ERR_INTERNAL, "begin_read inside a write accepted");
	store_exec(c, ins, "t", "rolled back");
	store_rollback(c);
	cr_assert_eq(count(c, count_t), 0, "row of a rolled-back transaction survived");
	store_rollback(c); /* no transaction: a no-op */
	cr_assert_eq(store_commit(c), ERR_INTERNAL, "commit without begin accepted");

	cr_assert_eq(store_begin(c), 0, "begin");
	store_exec(c, ins, "t", "committed");
	cr_assert_eq(store_commit(c), 0, "commit");
	cr_assert_eq(count(c, count_t), 1, "committed row missing");

	/* A transaction left open is rolled back when the connection is released. */
	cr_assert_eq(store_begin(c), 0, "begin");
	store_exec(c, ins, "t", "abandoned");
	store_release(c);
	c = store_acquire(db);
	cr_assert_eq(count(c, count_t), 1, "row of an abandoned transaction survived");
	/* … and the write lock was released with it. */
	cr_assert_eq(store_begin(c), 0, "begin after an abandoned transaction");
	store_rollback(c);

	/* A conflict inside a transaction leaves it usable for rollback. */
	cr_assert_eq(store_begin(c), 0, "begin");
	cr_assert_eq(store_exec(c, ins, "t", "committed"), ERR_CONFLICT, "duplicate in tx");
	store_rollback(c);
	cr_assert_eq(count(c, count_t), 1, "rows after a rolled-back conflict");
	store_release(c);
}

Test(store, read_transaction_sees_a_snapshot)
{
	static const char ins[] = "INSERT INTO t (name) VALUES (?)";
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct store_conn *reader, *writer;

	opt.pool_size = 2;
	store_close(db);
	db = open_at("test.db", &opt);
	reader = store_acquire(db);
	writer = store_acquire(db);
	cr_assert_eq(store_begin_read(reader), 0, "begin_read");
	cr_assert_eq(count(reader, count_t), 0, "empty at the snapshot");
	cr_assert_eq(store_exec(writer, ins, "t", "later"), 1, "write beside the reader");
	cr_assert_eq(count(reader, count_t), 0, "reader saw a write after its snapshot");
	store_rollback(reader);
	cr_assert_eq(count(reader, count_t), 1, "after the snapshot the write is visible");
	store_release(reader);
	store_release(writer);
}

/*
 * A snapshot is a read transaction that gives way: a write through it (an
 * autocommit statement, store_begin) ends it first and is committed as without
 * it; store_begin_read ends it too; rows being read survive its end.
 */
Test(store, snapshot_gives_way_to_writes)
{
	static const char ins[] = "INSERT INTO t (name) VALUES (?)";
	static const char names[] = "SELECT name FROM t ORDER BY name";
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct store_conn *c, *other;
	struct store_stmt *st;

	opt.pool_size = 2;
	store_close(db);
	db = open_at("test.db", &opt);
	c = store_acquire(db);
	other = store_acquire(db);

	/* Reads share the snapshot: a write beside it is not seen until it ends. */
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(store_snapshot_begin(c), 0, "a second snapshot is a no-op");
	cr_assert_eq(count(c, count_t), 0, "empty at the snapshot");
	cr_assert_eq(store_exec(other, ins, "t", "a"), 1, "write beside the snapshot");
	cr_assert_eq(count(c, count_t), 0, "the snapshot saw a later write");

	/* An autocommit write through it ends it and is committed. */
	cr_assert_eq(store_exec(c, ins, "t", "b"), 1, "write through the snapshot");
	cr_assert_eq(count(other, count_t), 2, "the write through a snapshot was not committed");
	cr_assert_eq(count(c, count_t), 2, "after the write the connection reads the latest");
	store_rollback(c); /* nothing left to roll back */
	cr_assert_eq(count(other, count_t), 2, "a rollback after the write undid it");

	/* store_begin and store_begin_read end it and start their own transaction. */
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(count(c, count_t), 2, "read in the snapshot");
	cr_assert_eq(store_begin(c), 0, "store_begin inside a snapshot");
	store_exec(c, ins, "t", "c");
	cr_assert_eq(store_commit(c), 0, "commit");
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(count(c, count_t), 3, "read in the snapshot");
	cr_assert_eq(store_begin_read(c), 0, "store_begin_read inside a snapshot");
	store_rollback(c);

	/* Inside a transaction a snapshot changes nothing: the write stays in it. */
	cr_assert_eq(store_begin(c), 0, "begin");
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot inside a transaction");
	store_exec(c, ins, "t", "d");
	store_rollback(c);
	cr_assert_eq(count(c, count_t), 3, "the write of a rolled-back transaction survived");

	/* A write while rows are still being read: the read goes on, the write commits. */
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(store_query(c, &st, names, ""), 0, "query");
	cr_assert_eq(store_step(st), STORE_ROW, "first row");
	cr_assert_eq(store_exec(c, ins, "t", "e"), 1, "write while reading");
	cr_assert_eq(store_step(st), STORE_ROW, "the read went on after the snapshot ended");
	store_finish(st);
	cr_assert_eq(count(other, count_t), 4, "the write while reading was not committed");

	/* Released with a snapshot open: nothing stays locked, the next user starts clean. */
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(count(c, count_t), 4, "read in the snapshot");
	store_release(c);
	c = store_acquire(db);
	cr_assert_eq(store_begin(c), 0, "begin after a released snapshot");
	store_rollback(c);
	store_release(c);
	store_release(other);
}

/* Stamps are equal only while nothing was committed, by anyone, in between. */
Test(store, stamps_change_with_every_commit)
{
	static const char ins[] = "INSERT INTO t (name) VALUES (?)";
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct store_conn *c, *other;
	struct store_stamp s1, s2, s3;

	opt.pool_size = 2;
	store_close(db);
	db = open_at("test.db", &opt);
	c = store_acquire(db);
	other = store_acquire(db);
	cr_assert_eq(store_stamp(c, &s1), 0, "stamp");
	cr_assert_eq(store_stamp(c, &s2), 0, "stamp again");
	cr_expect(store_stamp_equal(&s1, &s2), "two stamps without a change differ");
	cr_assert_eq(store_stamp(other, &s3), 0, "stamp of another connection");
	cr_expect(!store_stamp_equal(&s1, &s3), "stamps of two connections are equal");

	cr_assert_eq(store_exec(other, ins, "t", "elsewhere"), 1, "write elsewhere");
	cr_assert_eq(store_stamp(c, &s2), 0, "stamp");
	cr_expect(!store_stamp_equal(&s1, &s2), "a commit of another connection kept the stamp");

	cr_assert_eq(store_exec(c, ins, "t", "here"), 1, "write here");
	cr_assert_eq(store_stamp(c, &s1), 0, "stamp");
	cr_expect(!store_stamp_equal(&s1, &s2), "a commit of this connection kept the stamp");

	/* Inside a snapshot the stamp is the snapshot's. */
	cr_assert_eq(store_snapshot_begin(c), 0, "snapshot");
	cr_assert_eq(store_stamp(c, &s1), 0, "stamp in the snapshot");
	cr_assert_eq(store_stamp(c, &s2), 0, "stamp in the snapshot again");
	cr_expect(store_stamp_equal(&s1, &s2), "two stamps in one snapshot differ");
	store_rollback(c);
	store_release(c);
	store_release(other);
}

Test(store, read_only_store_refuses_writes)
{
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct store *ro;
	struct store_conn *c;

	opt.read_only = true;
	ro = open_at("test.db", &opt);
	c = store_acquire(ro);
	cr_assert_eq(count(c, count_t), 0, "read through a read-only store");
	cr_assert_lt(store_exec(c, "INSERT INTO t (name) VALUES ('x')", ""), 0,
		"insert through a read-only store");
	store_release(c);
	store_close(ro);
}

/* ---- the statement cache ---- */

#define MANY (3 * STORE_STMT_CACHE)
static char many_sql[MANY][48]; /* distinct addresses: the cache is keyed by the string */

Test(store, cache_handles_more_statements_than_slots)
{
	struct store_conn *c = store_acquire(db);

	for (int i = 0; i < MANY; i++)
		snprintf(many_sql[i], sizeof(many_sql[i]), "SELECT %d + ?", i);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < MANY; i++) {
			int64_t v = -1;
			int ret = store_query_int64(c, &v, many_sql[i], "i", (int64_t)round);
			cr_assert_eq(ret, 0, "round %d '%s': %s", round, many_sql[i], err_str(ret));
			cr_assert_eq(v, i + round, "round %d '%s' = %lld", round, many_sql[i],
				(long long)v);
		}
	}
	store_release(c);
}

Test(store, cache_full_of_open_statements_is_a_limit)
{
	static struct store_stmt *open_st[STORE_STMT_CACHE];
	struct store_conn *c = store_acquire(db);
	struct store_stmt *st;

	for (int i = 0; i < STORE_STMT_CACHE; i++)
		snprintf(many_sql[i], sizeof(many_sql[i]), "SELECT %d", i);
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		cr_assert_eq(store_query(c, &open_st[i], many_sql[i], ""), 0, "open '%s'",
			many_sql[i]);
	/* The same SQL while its statement is out gets a second slot: none is left. */
	cr_assert_eq(store_query(c, &st, many_sql[0], ""), ERR_LIMIT,
		"a %d-th open statement was handed out", STORE_STMT_CACHE + 1);
	for (int i = 0; i < STORE_STMT_CACHE; i++)
		store_finish(open_st[i]);
	cr_assert_eq(store_query(c, &st, many_sql[0], ""), 0, "after finishing them all");
	cr_assert_eq(store_step(st), STORE_ROW, "row");
	store_finish(st);
	store_release(c);
}

Test(store, same_sql_twice_at_once)
{
	static const char sql[] = "SELECT name FROM t ORDER BY id";
	struct store_conn *c = store_acquire(db);
	struct store_stmt *a, *b;

	store_exec(c, "INSERT INTO t (name) VALUES ('x'), ('y')", "");
	cr_assert_eq(store_query(c, &a, sql, ""), 0, "first cursor");
	cr_assert_eq(store_step(a), STORE_ROW, "first cursor row 1");
	cr_assert_eq(store_query(c, &b, sql, ""), 0, "second cursor on the same SQL");
	cr_assert_neq(a, b, "the same statement was handed out twice");
	cr_assert_eq(store_step(b), STORE_ROW, "second cursor row 1");
	cr_assert_str_eq(store_col_text(b, 0), "x", "second cursor starts at '%s'",
		store_col_text(b, 0));
	cr_assert_eq(store_step(a), STORE_ROW, "first cursor row 2");
	cr_assert_str_eq(store_col_text(a, 0), "y", "first cursor went on to '%s'",
		store_col_text(a, 0));
	store_finish(a);
	store_finish(b);
	store_release(c);
}

/* ---- backup ---- */

Test(store, backup_is_a_consistent_copy)
{
	struct store_conn *c = store_acquire(db);
	struct err_msg err = ERR_MSG_INIT;
	struct store *copy;
	struct store_conn *cc;
	char path[1024];

	cr_assert_eq(store_begin(c), 0, "begin");
	for (int i = 0; i < 500; i++)
		store_exec(c, "INSERT INTO t (name, n) VALUES (?, ?)", "ti", (const char *)NULL, (int64_t)i);
	store_exec(c, "UPDATE t SET name = 'row' || id", "");
	cr_assert_eq(store_commit(c), 0, "commit 500 rows");
	store_release(c);

	snprintf(path, sizeof(path), "%s/backup.db", dir);
	cr_assert_eq(store_backup(db, path, &err), 0, "backup to '%s': %s", path, err.message);
	copy = open_at("backup.db", NULL);
	cc = store_acquire(copy);
	cr_assert_eq(store_integrity_check(cc, &err), 0, "integrity of the copy: %s", err.message);
	cr_assert_eq(count(cc, count_t), 500, "rows in the copy");
	cr_assert_eq(count(cc, "SELECT SUM(n) FROM t"), 499 * 500 / 2, "sum of n in the copy");
	store_release(cc);
	store_close(copy);

	c = store_acquire(db);
	cr_assert_eq(store_integrity_check(c, &err), 0, "integrity of the original: %s",
		err.message);
	store_release(c);
}

Test(store, backup_to_a_bad_path_names_it)
{
	struct err_msg err = ERR_MSG_INIT;
	char path[1024];

	snprintf(path, sizeof(path), "%s/no/such/dir/backup.db", dir);
	cr_assert_eq(store_backup(db, path, &err), ERR_IO, "backup to '%s' succeeded", path);
	cr_assert_str_eq(err.field, "file", "field '%s'", err.field);
	cr_assert_not_null(strstr(err.message, path), "message '%s' lacks '%s'", err.message, path);
	/* The connection went back to the pool. */
	store_release(store_acquire(db));
}

/* ---- several threads ---- */

#define THREADS 8
#define PER_THREAD 150

struct worker {
	int id;
	int failures;
	int last_error;
};

static void *write_rows(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < PER_THREAD; i++) {
		struct store_conn *c = store_acquire(db);
		char name[32];
		int ret;

		snprintf(name, sizeof(name), "w%d-%d", w->id, i);
		ret = store_begin(c);
		if (!ret)
			ret = store_exec(c, "INSERT INTO t (name, n) VALUES (?, ?)", "ti", name,
				(int64_t)w->id);
		if (ret >= 0)
			ret = store_exec(c, "UPDATE t SET flag = COALESCE(flag, 0) + 1 WHERE name = ?", "t",
				name);
		if (ret >= 0)
			ret = store_commit(c);
		if (ret < 0) {
			w->failures++;
			w->last_error = ret;
		}
		/* Some plain reads in between, outside any transaction. */
		if (i % 10 == 0) {
			int64_t n;
			if (store_query_int64(c, &n, count_t, ""))
				w->failures++;
		}
		store_release(c);
	}
	return NULL;
}

Test(store, concurrent_writers_all_commit, .timeout = 120)
{
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	pthread_t th[THREADS];
	struct worker w[THREADS];
	struct store_stats stats;
	struct store_conn *c;
	struct err_msg err = ERR_MSG_INIT;

	opt.pool_size = 3; /* fewer connections than threads: some wait for one */
	opt.synchronous_full = false;
	store_close(db);
	db = open_at("test.db", &opt);
	for (int i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ i, 0, 0 };
		cr_assert_eq(pthread_create(&th[i], NULL, write_rows, &w[i]), 0, "thread %d", i);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < THREADS; i++)
		cr_expect_eq(w[i].failures, 0, "thread %d had %d failures (last %s)", i,
			w[i].failures, err_str(w[i].last_error));
	c = store_acquire(db);
	cr_assert_eq(count(c, count_t), THREADS * PER_THREAD, "rows written");
	cr_assert_eq(count(c, "SELECT COUNT(*) FROM t WHERE flag = 1"), THREADS * PER_THREAD,
		"rows updated once");
	for (int i = 0; i < THREADS; i++) {
		int64_t n = -1;
		store_query_int64(c, &n, "SELECT COUNT(*) FROM t WHERE n = ?", "i", (int64_t)i);
		cr_expect_eq(n, PER_THREAD, "thread %d has %lld rows", i, (long long)n);
	}
	cr_assert_eq(store_integrity_check(c, &err), 0, "integrity: %s", err.message);
	store_release(c);
	store_get_stats(db, &stats);
	cr_expect_geq(stats.commits, THREADS * PER_THREAD, "commits counted: %llu",
		(unsigned long long)stats.commits);
	cr_expect_geq(stats.acquires, THREADS * PER_THREAD, "acquires counted: %llu",
		(unsigned long long)stats.acquires);
	cr_expect_eq(stats.errors, 0, "errors counted: %llu", (unsigned long long)stats.errors);
}

struct other_process {
	struct store *s;
	int id;
	int failures;
};

static void *write_through(void *arg)
{
	struct other_process *p = arg;
	struct store_conn *c = store_acquire(p->s);

	for (int i = 0; i < 100; i++) {
		char name[16];
		int ret;
		snprintf(name, sizeof(name), "p%d-%d", p->id, i);
		ret = store_begin(c);
		if (!ret)
			ret = store_exec(c, "INSERT INTO t (name) VALUES (?)", "t", name);
		if (ret >= 0)
			ret = store_commit(c);
		if (ret < 0) {
			store_rollback(c);
			p->failures++;
		}
	}
	store_release(c);
	return NULL;
}

Test(store, two_stores_on_one_file_write_at_once, .timeout = 120)
{
	/*
	 * Two pools on one file stand for two processes: their writers do not share
	 * the in-process write lock, so SQLite's lock and the busy timeout order them.
	 */
	struct other_process p[2] = { { db, 0, 0 }, { open_at("test.db", NULL), 1, 0 } };
	pthread_t th[2];
	struct store_conn *c;

	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, write_through, &p[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		cr_expect_eq(p[i].failures, 0, "store %d had %d failed transactions", i,
			p[i].failures);
	c = store_acquire(p[1].s);
	cr_assert_eq(count(c, count_t), 200, "rows seen by the second store");
	store_release(c);
	store_close(p[1].s);
}

/* ---- two processes migrating one new database at once ---- */

static const struct store_migration race_v[] = {
	{ 1, "r1", "CREATE TABLE r1 (a INTEGER)" },
	{ 2, "r2", "CREATE TABLE r2 (a INTEGER)" },
	{ 3, "r3", "CREATE TABLE r3 (a INTEGER)" },
	{ 4, "r4", "CREATE TABLE r4 (a INTEGER)" },
	{ 5, "r5", "CREATE TABLE r5 (a INTEGER)" },
	{ 6, "r6", "CREATE TABLE r6 (a INTEGER)" },
	{ 7, "r7", "CREATE TABLE r7 (a INTEGER)" },
	{ 8, "r8", "CREATE TABLE r8 (a INTEGER)" },
};

struct migrator {
	struct store *s;
	pthread_barrier_t *start;
	int ret;
	char message[512];
};

static void *run_migrate(void *arg)
{
	struct migrator *m = arg;
	struct store_module_schema schema = { "race", race_v, N_ELEMS(race_v) };
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *conn = store_acquire(m->s);

	pthread_barrier_wait(m->start);
	m->ret = store_migrate(conn, &schema, 1, &err);
	snprintf(m->message, sizeof(m->message), "%s", err.message);
	store_release(conn);
	return NULL;
}

Test(store, two_processes_migrate_a_new_database_at_once, .timeout = 120)
{
	for (int round = 0; round < 20; round++) {
		char name[32];
		pthread_barrier_t start;
		struct migrator m[2];
		pthread_t th[2];
		struct store_conn *conn;

		snprintf(name, sizeof(name), "race%d.db", round);
		pthread_barrier_init(&start, NULL, 2);
		for (int i = 0; i < 2; i++) {
			m[i] = (struct migrator){ open_at(name, NULL), &start, -1, "" };
			pthread_create(&th[i], NULL, run_migrate, &m[i]);
		}
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		for (int i = 0; i < 2; i++)
			cr_expect_eq(m[i].ret, 0, "round %d: migration %d failed: %s", round, i,
				m[i].message);
		conn = store_acquire(m[0].s);
		cr_expect_eq(count(conn, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'race'"),
			(int64_t)N_ELEMS(race_v), "round %d: versions recorded", round);
		store_release(conn);
		for (int i = 0; i < 2; i++)
			store_close(m[i].s);
		pthread_barrier_destroy(&start);
	}
}

struct named {
	int64_t id;
	char name[16];
	int zero; /* store_collect() zeroes each item before the row fills it */
};

static void named_from_row(struct store_stmt *st, void *item)
{
	struct named *it = item;

	cr_assert_eq(it->zero, 0);
	it->id = store_col_int64(st, 0);
	snprintf(it->name, sizeof(it->name), "%s", store_col_text(st, 1));
}

Test(store, collect_gathers_every_row_in_order)
{
	struct store_conn *c = store_acquire(db);
	struct store_stmt *st;
	struct named *items = (void *)1;
	size_t n = 99;
	char name[16];

	for (int i = 1; i <= 20; i++) { /* more than the first allocation of 8 */
		snprintf(name, sizeof(name), "n%02d", i);
		cr_assert_eq(store_exec(c, "INSERT INTO t (id, name) VALUES (?, ?)", "it", (int64_t)i,
				     name),
			1);
	}
	cr_assert_eq(store_query(c, &st, "SELECT id, name FROM t ORDER BY id DESC", ""), 0);
	cr_assert_eq(store_collect(st, sizeof(*items), named_from_row, (void **)&items, &n), 0);
	cr_assert_eq(n, 20);
	for (size_t k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "n%02zu", 20 - k);
		cr_assert_eq(items[k].id, (int64_t)(20 - k));
		cr_assert_str_eq(items[k].name, name);
	}
	free(items);

	cr_assert_eq(store_query(c, &st, "SELECT id, name FROM t WHERE id > 100", ""), 0);
	cr_assert_eq(store_collect(st, sizeof(*items), named_from_row, (void **)&items, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(items);
	store_release(c);
}

Test(store, collect_returns_the_error_of_a_failing_step)
{
	struct store_conn *c = store_acquire(db);
	struct store_stmt *st;
	struct named *items = (void *)1;
	size_t n = 99;

	cr_assert_eq(store_exec(c, "INSERT INTO t (id, name) VALUES (1, 'x')", ""), 1);
	/* abs() of the smallest integer overflows at run time, on the first row */
	cr_assert_eq(store_query(c, &st, "SELECT abs(-9223372036854775807 - 1), name FROM t", ""), 0);
	cr_assert_lt(store_collect(st, sizeof(*items), named_from_row, (void **)&items, &n), 0);
	cr_assert_null(items);
	cr_assert_eq(n, 0);
	store_release(c);
}

Test(store, sql_built_in_a_reused_buffer_is_not_mistaken_for_the_last)
{
	struct store_conn *c = store_acquire(db);
	char sql[64];
	int64_t v = 0;

	/* The cache is keyed by the address: the same buffer with other text must not hit. */
	snprintf(sql, sizeof(sql), "SELECT %d", 1);
	cr_assert_eq(store_query_int64(c, &v, sql, ""), 0);
	cr_assert_eq(v, 1);
	snprintf(sql, sizeof(sql), "SELECT %d", 2);
	cr_assert_eq(store_query_int64(c, &v, sql, ""), 0);
	cr_assert_eq(v, 2, "the second text ran, not the cached first: %lld", (long long)v);
	cr_assert_eq(store_query_int64(c, &v, sql, ""), 0);
	cr_assert_eq(v, 2, "and stays cached");
	store_release(c);
}
