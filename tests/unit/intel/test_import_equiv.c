/*
 * tests/unit/intel/test_import_equiv.c - the bulk import writer
 * (src/intel/import_store.c) must leave the database that storing the same
 * reports one by one with intel_report_create() leaves: same reports (ids,
 * duplicate links), same observations, same identifier counts, first and last
 * seen, risk and review flags, same watch notifications. Both databases get
 * a few thousand generated reports (src/intel/demo.c: rings, repeat reports
 * through a second channel, warning-listed numbers) on a frozen clock.
 *
 * Identifier row ids may differ (intel_ident_upsert() consumes an
 * AUTOINCREMENT id on every conflict, the writer one per new identifier), so
 * identifiers are compared by (type, value).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "intel/demo.h"
#include "intel/import.h"
#include "intel/intel.h"
#include "store/store.h"
#include "testutil.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static char *dir;
static struct store *one, *bulk; /* one by one; bulk import */
static char *reports;            /* the generated JSON Lines */
static size_t reports_len;

static void open_db(const char *name, struct store **out, bool watch)
{
	static const char *const agencies[][2] = { { "CIB", "刑事警察局" }, { "BOT", "臺灣銀行" },
		{ "TPDP", "臺北地檢署" }, { "TCDP", "臺中地檢署" }, { "KSDP", "高雄地檢署" } };
	const struct store_module_schema *schemas;
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	char path[1024];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(store_open(path, NULL, out, &err), 0, "store_open: %s", err.message);
	c = store_acquire(*out);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(c, schemas, n, &err), 0, "migrate: %s", err.message);
	for (size_t i = 0; i < N_ELEMS(agencies); i++) {
		struct agency a = { 0 };
		str_copy(a.code, sizeof(a.code), agencies[i][0]);
		str_copy(a.name, sizeof(a.name), agencies[i][1]);
		a.kind = AGENCY_POLICE;
		cr_assert_eq(agency_create(c, &a, NULL, &err), 0, "agency: %s", err.message);
	}
	cr_assert_eq(intel_warning_seed(c, &(int){ 0 }), 0, "seed the warning list");
	{
		struct ident id;
		cr_assert_eq(ident_parse(&id, IDENT_PHONE, "(02)2383-1000", 13, &err), 0, "%s",
			err.message);
		cr_assert_eq(intel_warning_add(c, &id, "bank service line", 0, NULL, &err), 0, "%s",
			err.message);
	}
	if (watch) {
		struct auth_user u = { 0 };
		struct ident id;
		str_copy(u.username, sizeof(u.username), "watcher");
		u.agency_id = 1;
		u.roles = ROLE_ANALYST;
		cr_assert_eq(auth_user_create(c, &u, "Tr0ub4dor&3-horse-battery", NULL, &err), 0,
			"user: %s", err.message);
		/* A value from the data: the first report's first identifier. */
		{
			json_t *first = json_loadb(reports, strcspn(reports, "\n"), 0, NULL);
			json_t *idv = json_array_get(json_object_get(first, "identifiers"), 0);
			enum ident_type type;
			const char *v = json_string_value(json_object_get(idv, "value"));
			ident_type_parse(json_string_value(json_object_get(idv, "type")), &type);
			cr_assert_eq(ident_parse(&id, type, v, strlen(v), &err), 0, "%s", err.message);
			cr_assert_eq(intel_watch_add(c, u.id, &id, "", NULL, &(int64_t){ 0 }, &err), 0, "watch: %s",
				err.message);
			json_decref(first);
		}
	}
	store_release(c);
}

static void setup(void)
{
	static const uint8_t key[32] = { 7, 7, 7 };
	struct demo_options opt = { 3000, 42, T0, false, NULL };
	struct err_msg err = ERR_MSG_INIT;
	struct config cfg;
	FILE *f;

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	audit_set_key(key);
	clock_set_fake_ms((int64_t)T0 * 1000);
	config_defaults(&cfg);
	cr_assert_eq(config_set(&cfg, "argon2_t_cost", "1", &err), 0, "%s", err.message);
	cr_assert_eq(config_set(&cfg, "argon2_m_kib", "1024", &err), 0, "%s", err.message);
	/* Low, so that ring identifiers cross it and get their review flag. */
	cr_assert_eq(config_set(&cfg, "fanout_review_threshold", "12", &err), 0, "%s", err.message);
	auth_configure(&cfg);
	intel_configure(&cfg);
	f = open_memstream(&reports, &reports_len);
	cr_assert_eq(demo_generate(f, &opt), 0, "generate");
	fclose(f);
}

static void teardown(void)
{
	store_close(one);
	store_close(bulk);
	one = bulk = NULL;
	free(reports);
	reports = NULL;
	clock_set_fake_ms(-1);
	tu_rmdir(dir);
}

TestSuite(import_equiv, .init = setup, .fini = teardown);

/* Store lines [from, to) of the generated reports one by one, as POST /api/v1/reports does. */
static void store_one_by_one(size_t from, size_t to)
{
	struct store_conn *c = store_acquire(one);
	const char *p = reports;
	size_t line = 0;

	for (; *p; line++) {
		size_t len = strcspn(p, "\n");
		if (line >= from && line < to) {
			struct err_msg err = ERR_MSG_INIT;
			struct intel_report r = { 0 };
			json_t *obj = json_loadb(p, len, 0, NULL);
			struct agency a;
			int ret;
			cr_assert_not_null(obj, "line %zu is JSON", line + 1);
			cr_assert_eq(agency_find(c, json_string_value(json_object_get(obj, "agency")), &a),
				0);
			json_object_del(obj, "agency");
			ret = intel_report_fill_json(obj, &r, &err);
			cr_assert_eq(ret, 0, "line %zu: %s: %s", line + 1, err.field, err.message);
			r.agency_id = a.id;
			ret = intel_report_create(c, &r, NULL, &err);
			cr_assert(ret == 0 || ret == ERR_CONFLICT, "line %zu: %s: %s", line + 1, err.field,
				err.message);
			intel_report_release(&r);
			json_decref(obj);
		}
		p += len;
		if (*p)
			p++;
	}
	store_release(c);
}

static void import_lines_opt(size_t to, int batch, bool bulk_mode, int64_t *accepted)
{
	struct import_options opt = { 0 };
	struct import_result res;
	struct err_msg err = ERR_MSG_INIT;
	const char *p = reports;
	FILE *in;

	for (size_t line = 0; line < to && *p; line++) {
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	in = fmemopen(reports, (size_t)(p - reports), "r");
	opt.format = IMPORT_FORMAT_JSONL;
	opt.batch = batch;
	opt.bulk = bulk_mode;
	cr_assert_eq(intel_import(bulk, in, &opt, &res, &err), 0, "import: %s", err.message);
	cr_assert_eq(res.rejected, 0, "no row rejected (first: line %lld %s %s)",
		res.nrejects ? (long long)res.rejects[0].line : 0LL,
		res.nrejects ? res.rejects[0].field : "", res.nrejects ? res.rejects[0].reason : "");
	*accepted = res.accepted;
	import_result_release(&res);
	fclose(in);
}

static void import_lines(size_t to, int batch, int64_t *accepted)
{
	import_lines_opt(to, batch, false, accepted);
}

/* The rows of sql (one text column per row) as lines. */
static char *dump(struct store *s, const char *sql)
{
	struct store_conn *c = store_acquire(s);
	struct store_stmt *st;
	struct buf b = BUF_INIT;

	cr_assert_eq(store_query(c, &st, sql, ""), 0, "query %s", sql);
	while (store_step(st) == STORE_ROW) {
		buf_adds(&b, store_col_text(st, 0));
		buf_addch(&b, '\n');
	}
	store_finish(st);
	store_release(c);
	return buf_detach(&b, NULL);
}

static void same(const char *what, const char *sql)
{
	char *a = dump(one, sql), *b = dump(bulk, sql);
	const char *pa = a, *pb = b;
	size_t line = 1;

	while (*pa && *pb && *pa == *pb) {
		if (*pa == '\n')
			line++;
		pa++, pb++;
	}
	if (*pa || *pb) {
		const char *sa = pa, *sb = pb;
		while (sa > a && sa[-1] != '\n')
			sa--;
		while (sb > b && sb[-1] != '\n')
			sb--;
		cr_assert_fail("%s differ at row %zu:\n  one by one: %.*s\n  import:     %.*s", what,
			line, (int)strcspn(sa, "\n"), sa, (int)strcspn(sb, "\n"), sb);
	}
	cr_assert(strlen(a) > 0, "%s: some rows", what);
	free(a);
	free(b);
}

static void compare(void)
{
	same("reports",
		"SELECT id || '|' || IFNULL(source_ref, '') || '|' || agency_id || '|' || channel"
		" || '|' || IFNULL(occurred_at, '') || '|' || reported_at || '|' || victim_kind || '|'"
		" || victim_sector || '|' || crime_type || '|' || loss_twd || '|' || loss_currency"
		" || '|' || loss_amount || '|' || payment_method || '|' || narrative || '|'"
		" || IFNULL(case_id, '') || '|' || IFNULL(duplicate_of, '') || '|' || created_by"
		" || '|' || created_at FROM reports ORDER BY id");
	same("identifiers",
		"SELECT type || '|' || value || '|' || display || '|' || detail || '|' || sensitive"
		" || '|' || IFNULL(first_seen, '') || '|' || IFNULL(last_seen, '') || '|'"
		" || report_count || '|' || loss_twd || '|' || risk || '|' || review_flag || '|'"
		" || created_at FROM identifiers ORDER BY type, value");
	same("observations",
		"SELECT i.type || '|' || i.value || '|' || o.report_id || '|' || o.role || '|' || o.raw"
		" FROM observations o JOIN identifiers i ON i.id = o.identifier_id"
		" ORDER BY i.type, i.value, o.report_id, o.role");
	same("flagged identifiers",
		"SELECT type || '|' || value || '|' || report_count FROM identifiers"
		" WHERE review_flag = 1 UNION ALL SELECT 'any' ORDER BY 1");
}

Test(import_equiv, empty_database)
{
	int64_t accepted = 0;

	open_db("one.db", &one, false);
	open_db("bulk.db", &bulk, false);
	store_one_by_one(0, 3000);
	import_lines(3000, 500, &accepted);
	cr_assert_eq(accepted, 3000, "all 3000 reports stored");
	compare();
}

Test(import_equiv, existing_rows_and_watches)
{
	int64_t accepted = 0;

	open_db("one.db", &one, true);
	open_db("bulk.db", &bulk, true);
	/* A first import of 1000 reports, then the whole file: 2000 new, 1000 already stored. */
	store_one_by_one(0, 3000);
	import_lines(1000, 137, &accepted);
	cr_assert_eq(accepted, 1000);
	import_lines(3000, 611, &accepted);
	cr_assert_eq(accepted, 2000, "the first 1000 are already stored");
	compare();
	same("notifications",
		"SELECT user_id || '|' || kind || '|' || title || '|' || created_at FROM notifications"
		" ORDER BY id");
}

/* --bulk: one transaction, secondary indexes dropped and rebuilt: the same rows, the same schema. */
Test(import_equiv, bulk)
{
	int64_t accepted = 0;

	open_db("one.db", &one, true);
	open_db("bulk.db", &bulk, true);
	store_one_by_one(0, 3000);
	import_lines_opt(1000, 0, true, &accepted);
	cr_assert_eq(accepted, 1000);
	import_lines_opt(3000, 0, true, &accepted);
	cr_assert_eq(accepted, 2000, "the first 1000 are already stored");
	compare();
	same("notifications",
		"SELECT user_id || '|' || kind || '|' || title || '|' || created_at FROM notifications"
		" ORDER BY id");
	same("indexes",
		"SELECT name || '|' || tbl_name || '|' || sql FROM sqlite_master WHERE type = 'index'"
		" AND sql IS NOT NULL ORDER BY name");
	{
		struct err_msg err = ERR_MSG_INIT;
		struct store_conn *c = store_acquire(bulk);
		cr_assert_eq(store_integrity_check(c, &err), 0, "%s", err.message);
		store_release(c);
	}
}
