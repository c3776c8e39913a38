/*
 * intel/demo_load.c - the demonstration data of `rootcut init --demo` (see
 * demo.h): reports from demo.c through the bulk importer, and cases opened
 * around the rings they contain, so `make run` shows correlations at once.
 */
#include "intel/demo.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "intel/import.h"
#include "intel/intel.h"
#include "store/store.h"

/* Banks' customer-service lines: victims of fake-support calls name them, but they are not the scammers'. */
static const char *const service_lines[] = { "0800-700-365", "(02)2383-1000", "(02)2182-1313",
	"(02)2745-8080" };

struct demo_case {
	int serial;
	const char *type, *role; /* the ring identifier the case is built around */
	const char *office, *owner, *member;
	const char *title;
};

static const struct demo_case demo_cases[] = {
	{ 1001, "bank_account", "first_layer_account", "TPDP", "prosecutor.tp", "investigator.cib",
		"人頭帳戶水房案 Money-mule accounts (demo)" },
	{ 1002, "phone", "caller", "KSDP", "prosecutor.ks", "investigator.cib",
		"假冒公務員機房案 Impersonation call center (demo)" },
	{ 1003, "wallet", "wallet", "TPDP", "prosecutor.tp", NULL,
		"虛擬貨幣投資詐騙案 Crypto investment fraud (demo)" },
};

static int add_service_lines(struct store_conn *c, struct err_msg *err)
{
	int ret = 0;

	for (size_t i = 0; i < sizeof(service_lines) / sizeof(service_lines[0]) && !ret; i++) {
		struct ident id;
		struct audit_event ev;
		const char *v = service_lines[i];
		ret = ident_parse(&id, IDENT_PHONE, v, strlen(v), err);
		audit_event_console(&ev, "warning.add", "warning", NULL, AUDIT_OK);
		if (!ret)
			ret = intel_warning_add(c, &id, "銀行客服專線 bank service line (demo)", 0, &ev,
				err);
		if (ret == ERR_CONFLICT)
			ret = 0;
	}
	return ret;
}

int64_t demo_load_until(void)
{
	int64_t local = clock_now() + TAIPEI_UTC_OFFSET_S;

	return local - local % 86400 - TAIPEI_UTC_OFFSET_S;
}

static int import_reports(struct store *db, int64_t n, struct demo_load_result *out,
	struct err_msg *err)
{
	struct demo_options gen = { n, 1, demo_load_until(), false, NULL };
	struct import_options opt = { 0 };
	struct import_result res;
	struct audit_event ev;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return err_set(err, ERR_NOMEM, "demo", "cannot generate the reports");
	ret = demo_generate(f, &gen);
	fclose(f);
	if (ret) {
		free(text);
		return err_set(err, ret, "demo", "cannot generate the reports");
	}
	f = fmemopen(text, len, "r");
	opt.format = IMPORT_FORMAT_JSONL;
	audit_event_console(&ev, "report.import", "import", NULL, AUDIT_OK);
	opt.ev = &ev;
	opt.name = "demo reports";
	ret = f ? intel_import(db, f, &opt, &res, err) : ERR_NOMEM;
	if (f)
		fclose(f);
	free(text);
	if (ret)
		return ret;
	out->accepted = res.accepted;
	if (res.rejected)
		ret = err_set(err, ERR_INTERNAL, "demo", "%lld generated reports were rejected: line %lld: %s: %s",
			(long long)res.rejected, (long long)res.rejects[0].line, res.rejects[0].field,
			res.rejects[0].reason);
	import_result_release(&res);
	return ret;
}

/* The busiest identifier of type in role: the core of a ring. */
static int64_t ring_core(struct store_conn *c, const char *type, const char *role)
{
	int64_t id = 0;

	if (store_query_int64(c, &id,
		    "SELECT i.id FROM identifiers i WHERE i.type = ? AND i.review_flag = 0"
		    " AND EXISTS (SELECT 1 FROM observations o WHERE o.identifier_id = i.id AND o.role = ?)"
		    " ORDER BY i.report_count DESC, i.id LIMIT 1",
		    "tt", type, role))
		return 0;
	return id;
}

static int open_case(struct store_conn *c, const struct demo_case *d, struct err_msg *err)
{
	struct intel_case k = { 0 };
	struct auth_user owner, member;
	struct agency office;
	struct audit_event ev;
	struct store_stmt *st;
	int64_t core, reports[12];
	size_t n = 0;
	int ret;

	snprintf(k.number, sizeof(k.number), "%d年度偵字第%d號", roc_year_now(), d->serial);
	if (intel_case_find(c, k.number, &k) == 0)
		return 0;
	core = ring_core(c, d->type, d->role);
	if (!core || agency_find(c, d->office, &office) || auth_user_find(c, d->owner, &owner))
		return 0; /* not a demo database, or no such ring: nothing to show */
	k.office_id = office.id;
	str_copy(k.title, sizeof(k.title), d->title);
	audit_event_console(&ev, "case.create", "case", NULL, AUDIT_OK);
	ret = intel_case_create(c, &k, owner.id, &ev, err);
	if (!ret && d->member && auth_user_find(c, d->member, &member) == 0) {
		audit_event_console(&ev, "case.member.add", "case", NULL, AUDIT_OK);
		ret = intel_case_add_member(c, k.id, member.id, "investigator", &ev, err);
	}
	if (!ret)
		ret = store_query(c, &st,
			"SELECT DISTINCT o.report_id FROM observations o JOIN reports r ON r.id = o.report_id"
			" WHERE o.identifier_id = ? AND r.case_id IS NULL AND r.duplicate_of IS NULL"
			" ORDER BY o.report_id LIMIT 12",
			"i", core);
	if (!ret) {
		while (n < 12 && store_step(st) == STORE_ROW)
			reports[n++] = store_col_int64(st, 0);
		store_finish(st);
	}
	for (size_t i = 0; i < n && !ret; i++) {
		audit_event_console(&ev, "case.report.link", "case", NULL, AUDIT_OK);
		ret = intel_case_link_report(c, k.id, reports[i], &ev, err);
	}
	return ret ? ret : 1;
}

int demo_load(struct store *db, int64_t reports, struct demo_load_result *out,
	struct err_msg *err)
{
	struct store_conn *c = store_acquire(db);
	int ret = add_service_lines(c, err);

	memset(out, 0, sizeof(*out));
	store_release(c);
	if (!ret)
		ret = import_reports(db, reports, out, err);
	c = store_acquire(db);
	for (size_t i = 0; i < sizeof(demo_cases) / sizeof(demo_cases[0]) && !ret; i++) {
		ret = open_case(c, &demo_cases[i], err);
		if (ret > 0) {
			out->cases++;
			ret = 0;
		}
	}
	store_release(c);
	return ret;
}
