/*
 * tests/unit/audit/test_chain.c - the hash-chained audit log
 * (src/audit/chain.c, audit.c): an intact chain verifies, and each way of
 * tampering with the stored rows - edit, delete, insert, reorder, truncate,
 * a forged head, another key - is detected at the right sequence number.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/internal.h"
#include "store/store.h"
#include "testutil.h"

static const uint8_t key[32] = { 0x42, 0x13, 0x37 };
static char *dir;
static struct store *db;
static struct store_conn *c;

static void setup(void)
{
	struct err_msg err = ERR_MSG_INIT;
	char path[1024];

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/audit.db", dir);
	cr_assert_eq(store_open(path, NULL, &db, &err), 0, "store_open: %s", err.message);
	c = store_acquire(db);
	struct store_module_schema schemas[2] = { *store_schema(), *audit_schema() };
	cr_assert_eq(store_migrate(c, schemas, 2, &err), 0, "migrate: %s", err.message);
	audit_set_key(key);
	clock_set_fake_ms(1767225600000);
}

static void teardown(void)
{
	store_release(c);
	store_close(db);
	tu_rmdir(dir);
}

TestSuite(chain, .init = setup, .fini = teardown);

#define EVENTS 6

/* Append EVENTS events, each in its own transaction, one second apart. */
static void append_events(void)
{
	static const char *const actions[EVENTS] = { "user.create", "session.login",
		"agency.update", "token.create", "session.login", "audit.read" };

	for (int i = 0; i < EVENTS; i++) {
		struct audit_event ev;
		char id[16];
		snprintf(id, sizeof(id), "%d", 100 + i);
		audit_event_console(&ev, actions[i], "user", id, i == 4 ? AUDIT_FAILED : AUDIT_OK);
		ev.actor_user_id = i;
		ev.agency_id = 7;
		ev.detail = i == 2 ? "name: 臺北 → 新北" : NULL;
		cr_assert_eq(audit_append_now(c, &ev), 0, "append event %d", i + 1);
		clock_advance_ms(1000);
	}
}

static void tamper(const char *sql)
{
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(store_exec_script(c, sql, &err), 0, "tamper '%s': %s", sql, err.message);
}

Test(chain, empty_log_is_intact)
{
	struct audit_verify_result res;

	cr_assert_eq(audit_verify(c, &res, NULL), 0, "empty log: %s", res.reason);
	cr_assert_eq(res.events, 0, "events %lld", (long long)res.events);
	cr_assert_eq(res.bad_seq, 0, "bad_seq %lld", (long long)res.bad_seq);
}

Test(chain, appended_events_verify)
{
	struct audit_verify_result res;
	struct store_stmt *st;
	int64_t seq = 0;

	append_events();
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "intact log: seq %lld %s",
		(long long)res.bad_seq, res.reason);
	cr_assert_eq(res.events, EVENTS, "events %lld", (long long)res.events);
	cr_assert_eq(store_query(c, &st,
			     "SELECT seq, at, actor, action, object_id, source, outcome, detail,"
			     " prev_hash, hash FROM audit_events ORDER BY id",
			     ""),
		0, "read events");
	while (store_step(st) == STORE_ROW) {
		seq++;
		cr_expect_eq(store_col_int64(st, 0), seq, "event %lld has seq %lld", (long long)seq,
			(long long)store_col_int64(st, 0));
		cr_expect_str_eq(store_col_text(st, 2), "system", "event %lld actor '%s'",
			(long long)seq, store_col_text(st, 2));
		cr_expect_str_eq(store_col_text(st, 5), "console", "event %lld source '%s'",
			(long long)seq, store_col_text(st, 5));
		cr_expect_eq(strlen(store_col_text(st, 9)), 64, "event %lld hash '%s'", (long long)seq,
			store_col_text(st, 9));
		if (seq == 1)
			cr_expect_str_eq(store_col_text(st, 8),
				"0000000000000000000000000000000000000000000000000000000000000000",
				"first event's prev_hash '%s'", store_col_text(st, 8));
		if (seq == 3)
			cr_expect_str_eq(store_col_text(st, 7), "name: 臺北 → 新北", "detail '%s'",
				store_col_text(st, 7));
		if (seq == 5)
			cr_expect_str_eq(store_col_text(st, 6), "failed", "outcome '%s'",
				store_col_text(st, 6));
	}
	store_finish(st);
	cr_assert_eq(seq, EVENTS, "%lld events stored", (long long)seq);
}

Test(chain, tampering_is_detected_at_the_right_event)
{
	static const struct {
		const char *label;
		const char *sql;
		int64_t bad_seq;
		const char *reason;
	} cases[] = {
		{ "edited detail", "UPDATE audit_events SET detail = 'nothing' WHERE seq = 3", 3,
			"edited" },
		{ "edited actor", "UPDATE audit_events SET actor = 'mallory' WHERE seq = 1", 1,
			"edited" },
		{ "edited time", "UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 6",
			6, "edited" },
		{ "edited outcome", "UPDATE audit_events SET outcome = 'ok' WHERE seq = 5", 5,
			"edited" },
		{ "edited user id", "UPDATE audit_events SET actor_user_id = 99 WHERE seq = 2", 2,
			"edited" },
		{ "edited hash", "UPDATE audit_events SET hash = prev_hash WHERE seq = 4", 4,
			"edited" },
		{ "edited prev_hash",
			"UPDATE audit_events SET prev_hash = (SELECT hash FROM audit_events WHERE seq = 1)"
			" WHERE seq = 3",
			3, "does not continue the chain" },
		{ "deleted first", "DELETE FROM audit_events WHERE seq = 1", 1, "deleted" },
		{ "deleted middle", "DELETE FROM audit_events WHERE seq = 4", 4, "deleted" },
		{ "deleted middle, later renumbered",
			"DELETE FROM audit_events WHERE seq = 3;"
			"UPDATE audit_events SET seq = -seq WHERE seq > 3;"
			"UPDATE audit_events SET seq = -seq - 1 WHERE seq < 0",
			3, "does not continue the chain" },
		{ "inserted in the middle",
			"UPDATE audit_events SET id = id + 100, seq = -seq WHERE seq > 2;"
			"UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0;"
			"INSERT INTO audit_events (id, seq, at, actor_user_id, actor, agency_id, action,"
			" object_type, object_id, source, outcome, detail, prev_hash, hash)"
			" SELECT 3, 3, at, actor_user_id, actor, agency_id, 'user.delete', object_type,"
			" object_id, source, outcome, detail, hash, hash FROM audit_events WHERE seq = 2",
			3, "edited" },
		{ "a copy of an event inserted",
			"UPDATE audit_events SET id = id + 100, seq = -seq WHERE seq > 2;"
			"UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0;"
			"INSERT INTO audit_events (id, seq, at, actor_user_id, actor, agency_id, action,"
			" object_type, object_id, source, outcome, detail, prev_hash, hash)"
			" SELECT 3, 3, at, actor_user_id, actor, agency_id, action, object_type,"
			" object_id, source, outcome, detail, prev_hash, hash FROM audit_events"
			" WHERE seq = 2",
			3, "does not continue the chain" },
		{ "two events swapped",
			"UPDATE audit_events SET id = 100 WHERE seq = 2;"
			"UPDATE audit_events SET id = 2 WHERE seq = 3;"
			"UPDATE audit_events SET id = 3 WHERE seq = 2",
			2, "moved" },
		{ "two events swapped with their seq",
			"UPDATE audit_events SET id = 100, seq = -2 WHERE seq = 2;"
			"UPDATE audit_events SET id = 2, seq = 2 WHERE seq = 3;"
			"UPDATE audit_events SET id = 3, seq = 3 WHERE seq = -2",
			2, "does not continue the chain" },
		{ "last event cut off", "DELETE FROM audit_events WHERE seq = 6", 6,
			"deleted from the end" },
		{ "last two events cut off", "DELETE FROM audit_events WHERE seq >= 5", 5,
			"deleted from the end" },
		{ "every event cut off", "DELETE FROM audit_events", 1, "deleted from the end" },
		{ "head removed", "DELETE FROM audit_head", 7, "head record was altered" },
		{ "head moved back",
			"UPDATE audit_head SET seq = 5, hash = (SELECT hash FROM audit_events WHERE seq = 5)",
			7, "head record was altered" },
		{ "forged event appended",
			"INSERT INTO audit_events (seq, at, actor_user_id, actor, agency_id, action,"
			" object_type, object_id, source, outcome, detail, prev_hash, hash)"
			" SELECT 7, at, actor_user_id, actor, agency_id, action, object_type, object_id,"
			" source, outcome, detail, hash, hash FROM audit_events WHERE seq = 6",
			7, "edited" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct audit_verify_result res;
		int ret;

		/* A fresh chain for every case, with row ids from 1 again. */
		tamper("DELETE FROM audit_events; DELETE FROM audit_head; DELETE FROM sqlite_sequence");
		append_events();
		ret = audit_verify(c, &res, NULL);
		cr_assert_eq(ret, 0, "%s: the chain before tampering is broken at %lld: %s",
			cases[i].label, (long long)res.bad_seq, res.reason);
		tamper(cases[i].sql);
		ret = audit_verify(c, &res, NULL);
		cr_expect_eq(ret, ERR_CONFLICT, "%s: not detected (returned %d)", cases[i].label, ret);
		cr_expect_eq(res.bad_seq, cases[i].bad_seq, "%s: first bad event %lld, expected %lld (%s)",
			cases[i].label, (long long)res.bad_seq, (long long)cases[i].bad_seq,
			res.reason);
		cr_expect_not_null(strstr(res.reason, cases[i].reason),
			"%s: reason '%s' lacks '%s'", cases[i].label, res.reason, cases[i].reason);
	}
}

Test(chain, bad_id_names_the_row)
{
	struct audit_verify_result res;
	int64_t id = 0;

	append_events();
	store_query_int64(c, &id, "SELECT id FROM audit_events WHERE seq = 4", "");
	tamper("UPDATE audit_events SET object_id = '999' WHERE seq = 4");
	cr_assert_eq(audit_verify(c, &res, NULL), ERR_CONFLICT, "edit not detected");
	cr_assert_eq(res.bad_id, id, "bad_id %lld, expected row %lld", (long long)res.bad_id,
		(long long)id);
	cr_assert_eq(res.events, 3, "events checked before the bad one: %lld",
		(long long)res.events);
}

Test(chain, another_key_fails)
{
	static const uint8_t other[32] = { 0x42, 0x13, 0x38 };
	struct audit_verify_result res;

	append_events();
	audit_set_key(other);
	cr_assert_eq(audit_verify(c, &res, NULL), ERR_CONFLICT, "verified with another key");
	cr_assert_eq(res.bad_seq, 1, "another key fails at %lld", (long long)res.bad_seq);
	audit_set_key(key);
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "the right key again: %s", res.reason);
}

Test(chain, head_signed_with_another_key_fails)
{
	static const uint8_t other[32] = { 9 };
	struct audit_verify_result res;
	uint8_t mac[CRYPTO_SHA256_LEN];
	char hash[CRYPTO_SHA256_HEX_LEN], text[128], hex[CRYPTO_SHA256_HEX_LEN];
	struct store_stmt *st;
	int n;

	/* Every event intact; only the head's MAC comes from another key. */
	append_events();
	cr_assert_eq(store_query(c, &st, "SELECT hash FROM audit_head", ""), 0, "read head");
	cr_assert_eq(store_step(st), STORE_ROW, "head row");
	snprintf(hash, sizeof(hash), "%s", store_col_text(st, 0));
	store_finish(st);
	n = snprintf(text, sizeof(text), "head\n%d\n%s", EVENTS, hash);
	crypto_hmac_sha256(other, sizeof(other), text, (size_t)n, mac);
	crypto_hex(mac, sizeof(mac), hex);
	cr_assert_eq(store_exec(c, "UPDATE audit_head SET mac = ?", "t", hex), 1, "re-sign head");
	cr_assert_eq(audit_verify(c, &res, NULL), ERR_CONFLICT, "head of another key verified");
	cr_assert_eq(res.bad_seq, EVENTS + 1, "bad_seq %lld", (long long)res.bad_seq);
	cr_assert_not_null(strstr(res.reason, "head"), "reason '%s'", res.reason);
	cr_assert_eq(res.events, EVENTS, "events checked %lld", (long long)res.events);
}

Test(chain, rolled_back_events_leave_no_trace)
{
	struct audit_verify_result res;
	struct audit_event ev;

	append_events();
	audit_event_console(&ev, "user.delete", "user", "1", AUDIT_OK);
	cr_assert_eq(store_begin(c), 0, "begin");
	cr_assert_eq(audit_append(c, &ev), 0, "append inside a transaction");
	store_rollback(c);
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "after a rollback: seq %lld %s",
		(long long)res.bad_seq, res.reason);
	cr_assert_eq(res.events, EVENTS, "events %lld", (long long)res.events);
	cr_assert_eq(audit_append_now(c, &ev), 0, "append after the rollback");
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "after the next append: %s", res.reason);
	cr_assert_eq(res.events, EVENTS + 1, "events %lld", (long long)res.events);
}

static int64_t progress_calls, progress_last;

static void progress(int64_t done, int64_t total)
{
	progress_calls++;
	progress_last = done;
	cr_assert_leq(done, total, "progress %lld of %lld", (long long)done, (long long)total);
}

Test(chain, progress_is_reported)
{
	struct audit_verify_result res;

	append_events();
	cr_assert_eq(audit_verify(c, &res, progress), 0, "verify: %s", res.reason);
	cr_assert_geq(progress_calls, 1, "progress never called");
	cr_assert_eq(progress_last, EVENTS, "last progress %lld", (long long)progress_last);
}

Test(chain, key_file)
{
	struct err_msg err = ERR_MSG_INIT;
	struct audit_verify_result res;
	struct stat st;
	char path[1024];

	cr_assert_eq(audit_open(c, dir, false, &err), ERR_NOTFOUND, "missing key without create");
	cr_assert_not_null(strstr(err.message, "audit.key"), "message '%s'", err.message);
	cr_assert_eq(audit_open(c, dir, true, &err), 0, "create the key: %s", err.message);
	snprintf(path, sizeof(path), "%s/audit.key", dir);
	cr_assert_eq(stat(path, &st), 0, "no key file '%s'", path);
	cr_assert_eq(st.st_mode & 0777, 0600, "key file mode %o", st.st_mode & 0777);
	cr_assert_eq(st.st_size, 65, "key file of %lld bytes", (long long)st.st_size);
	append_events();
	/* Reloading the same file gives the same key: the chain still verifies. */
	audit_set_key(key);
	cr_assert_eq(audit_open(c, dir, false, &err), 0, "reload: %s", err.message);
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "verify after reloading the key: %s",
		res.reason);
	/* create=true must not replace an existing key. */
	cr_assert_eq(audit_open(c, dir, true, &err), 0, "load with create: %s", err.message);
	cr_assert_eq(audit_verify(c, &res, NULL), 0, "the key was replaced: %s", res.reason);
}

Test(chain, a_missing_key_is_not_replaced_for_an_existing_log)
{
	struct err_msg err = ERR_MSG_INIT;
	char path[1024];

	cr_assert_eq(audit_open(c, dir, true, &err), 0, "create the key: %s", err.message);
	append_events();
	snprintf(path, sizeof(path), "%s/audit.key", dir);
	cr_assert_eq(unlink(path), 0, "remove '%s'", path);
	err_clear(&err);
	cr_assert_eq(audit_open(c, dir, true, &err), ERR_NOTFOUND, "a new key was made");
	cr_assert_not_null(strstr(err.message, "restore"), "message '%s'", err.message);
	cr_assert_neq(access(path, F_OK), 0, "a key file was written");
}

Test(chain, a_different_key_is_recognised)
{
	struct err_msg err = ERR_MSG_INIT;
	char *path;

	cr_assert_eq(audit_open(c, dir, true, &err), 0, "create the key: %s", err.message);
	append_events();
	path = tu_write_file(dir, "audit.key",
		"1111111111111111111111111111111111111111111111111111111111111111\n");
	cr_assert_eq(audit_open(c, dir, false, &err), ERR_CONFLICT, "another key was accepted");
	cr_assert_not_null(strstr(err.message, "not the key"), "message '%s'", err.message);
	free(path);
}

Test(chain, bad_key_files_are_refused)
{
	static const char *const bad[] = { "", "00", "zz\n",
		"000000000000000000000000000000000000000000000000000000000000000",
		"00000000000000000000000000000000000000000000000000000000000000000\n",
		"0000000000000000000000000000000000000000000000000000000000000g00\n" };

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		struct err_msg err = ERR_MSG_INIT;
		char *path = tu_write_file(dir, "audit.key", bad[i]);
		cr_expect_eq(audit_open(c, dir, false, &err), ERR_INVAL, "key file '%s' accepted",
			bad[i]);
		cr_expect_str_eq(err.field, "audit.key", "key file '%s': field '%s'", bad[i],
			err.field);
		free(path);
	}
}
