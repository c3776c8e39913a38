/*
 * tests/unit/intel/test_listing.c - src/intel/listing.c against a temporary
 * database on a frozen clock: risk decisions keep confirmed_at with the risk
 * (so confirmed never ages out of the lookup, reported does), review
 * decisions happen once, disputes need a listed identifier and clear it when
 * upheld, and every change leaves its audit event.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "intel/intel.h"
#include "intel/internal.h" /* for intel_warning_match() */
#include "store/store.h"
#include "testutil.h"

/* 2026-01-01T00:00:00Z: the frozen start of every test. */
#define T0 1767225600
#define DAY 86400

static struct store *db;
static struct store_conn *c;
static char *dir;
static int64_t agency_a, agency_b, user_a;
static int64_t loss = 1000; /* a loss of its own per report: no two are duplicates */

static int64_t agency_new(const char *name, const char *code)
{
	struct agency a = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	str_copy(a.name, sizeof(a.name), name);
	str_copy(a.code, sizeof(a.code), code);
	a.kind = AGENCY_POLICE;
	cr_assert_eq(agency_create(c, &a, NULL, &err), 0, "agency %s: %s", code, err.message);
	return a.id;
}

static void setup(void)
{
	static const uint8_t key[32] = { 7, 7, 7 };
	const struct store_module_schema *schemas;
	struct err_msg err = ERR_MSG_INIT;
	struct auth_user u = { 0 };
	struct config cfg;
	char path[1024];
	size_t n;

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/rootcut.db", dir);
	cr_assert_eq(store_open(path, NULL, &db, &err), 0, "store_open: %s", err.message);
	c = store_acquire(db);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(c, schemas, n, &err), 0, "migrate: %s", err.message);
	audit_set_key(key);
	clock_set_fake_ms((int64_t)T0 * 1000);
	config_defaults(&cfg);
	cr_assert_eq(config_set(&cfg, "argon2_t_cost", "1", &err), 0, "%s", err.message);
	cr_assert_eq(config_set(&cfg, "argon2_m_kib", "1024", &err), 0, "%s", err.message);
	cr_assert_eq(config_set(&cfg, "fanout_review_threshold", "3", &err), 0, "%s", err.message);
	cr_assert_eq(config_set(&cfg, "lookup_report_ttl_days", "365", &err), 0, "%s",
		err.message);
	auth_configure(&cfg);
	intel_configure(&cfg);
	cr_assert_eq(intel_warning_seed(c, &(int){ 0 }), 0, "seed the warning list");
	agency_a = agency_new("臺北市政府警察局", "TPPD");
	agency_b = agency_new("高雄市政府警察局", "KHPD");
	str_copy(u.username, sizeof(u.username), "relay.bank");
	u.agency_id = agency_a;
	u.roles = ROLE_API_CLIENT;
	cr_assert_eq(auth_user_create(c, &u, "Tr0ub4dor&3-horse-battery", NULL, &err), 0,
		"user: %s", err.message);
	user_a = u.id;
}

static void teardown(void)
{
	store_release(c);
	store_close(db);
	tu_rmdir(dir);
	clock_set_fake_ms(-1);
}

TestSuite(listing, .init = setup, .fini = teardown);

/* File a report of agency naming value (type, role) now; returns its id. */
static int64_t report(int64_t agency, enum ident_type type, const char *value, const char *role)
{
	struct intel_report r = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	r.agency_id = agency;
	r.reported_at = clock_now();
	r.loss_twd = ++loss;
	r.created_by = user_a;
	str_copy(r.channel, sizeof(r.channel), "165");
	str_copy(r.victim_kind, sizeof(r.victim_kind), "individual");
	str_copy(r.crime_type, sizeof(r.crime_type), "investment_fraud");
	ret = intel_report_add_ident(&r, type, value, role, "value", &err);
	cr_assert_eq(ret, 0, "ident '%s': %s", value, err.message);
	ret = intel_report_create(c, &r, NULL, &err);
	cr_assert_eq(ret, 0, "report naming '%s': %s", value, err.message);
	intel_report_release(&r);
	return r.id;
}

static struct ident parse(enum ident_type type, const char *value)
{
	struct ident id;

	cr_assert_eq(ident_parse(&id, type, value, strlen(value), NULL), 0, "parse '%s'", value);
	return id;
}

static int64_t row_of(enum ident_type type, const char *value)
{
	struct ident id = parse(type, value);
	int64_t row = 0;

	cr_assert_eq(store_query_int64(c, &row, "SELECT id FROM identifiers WHERE type = ? AND"
					       " value = ?", "tt", ident_type_name(type), id.value),
		0, "identifier '%s' is stored", value);
	return row;
}

static const char *lookup_risk(enum ident_type type, const char *value)
{
	static struct intel_lookup_result r;
	struct ident id = parse(type, value);

	cr_assert_eq(intel_lookup(c, &id, &r, NULL), 0, "lookup '%s'", value);
	return r.risk;
}

static bool confirmed_at_set(int64_t row)
{
	int64_t n = 0;

	cr_assert_eq(store_query_int64(c, &n, "SELECT COUNT(*) FROM identifiers WHERE id = ? AND"
					     " confirmed_at IS NOT NULL", "i", row), 0);
	return n == 1;
}

static struct audit_event event(void)
{
	struct audit_event ev;

	audit_event_console(&ev, "test", "test", NULL, AUDIT_OK);
	ev.actor = "console:test";
	return ev;
}

static int64_t audit_count(const char *action)
{
	int64_t n = -1;

	cr_assert_eq(store_query_int64(c, &n, "SELECT COUNT(*) FROM audit_events WHERE action = ?",
			     "t", action), 0);
	return n;
}

Test(listing, confirmed_never_ages_out_reported_does)
{
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	int64_t kept, dropped;
	char old[16];

	report(agency_a, IDENT_PHONE, "0912-000-001", "caller");
	report(agency_a, IDENT_PHONE, "0912-000-002", "caller");
	kept = row_of(IDENT_PHONE, "0912000001");
	dropped = row_of(IDENT_PHONE, "0912000002");
	cr_assert_eq(intel_risk_set(c, kept, "confirmed", "bank records", &ev, old, &err), 0,
		"confirm: %s", err.message);
	cr_assert_str_eq(old, "reported", "the old risk is given back");
	cr_assert(confirmed_at_set(kept), "confirming sets confirmed_at");
	cr_assert(!confirmed_at_set(dropped), "a reported listing has no confirmed_at");

	clock_set_fake_ms((int64_t)(T0 + 364 * DAY) * 1000);
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000002"), "reported",
		"364 days later a reported listing is still flagged");
	clock_set_fake_ms((int64_t)(T0 + 3 * 365 * DAY) * 1000);
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000002"), "none",
		"three years later the reported-only listing has aged out");
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000001"), "confirmed",
		"three years later the confirmed listing has not");

	cr_assert_eq(intel_risk_set(c, kept, "reported", "statement withdrawn", &ev, NULL, &err),
		0, "back to reported: %s", err.message);
	cr_assert(!confirmed_at_set(kept), "set back to reported, confirmed_at is unset");
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000001"), "none",
		"and it ages out like any reported listing");
	cr_assert_eq(audit_count("identifier.risk"), 2, "both decisions are audited");
}

Test(listing, seized_keeps_the_first_confirmation_time)
{
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	char first[32] = "", later[32] = "";
	struct store_stmt *st;
	int64_t row;

	report(agency_a, IDENT_DOMAIN, "fake-invest-demo.com.tw", "website");
	row = row_of(IDENT_DOMAIN, "fake-invest-demo.com.tw");
	cr_assert_eq(intel_risk_set(c, row, "confirmed", "x", &ev, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(store_query(c, &st, "SELECT confirmed_at FROM identifiers WHERE id = ?", "i",
			     row), 0);
	cr_assert_eq(store_step(st), STORE_ROW);
	str_copy(first, sizeof(first), store_col_text(st, 0));
	store_finish(st);
	clock_set_fake_ms((int64_t)(T0 + DAY) * 1000);
	cr_assert_eq(intel_risk_set(c, row, "seized", "court order", &ev, NULL, &err), 0, "%s",
		err.message);
	cr_assert_eq(store_query(c, &st, "SELECT confirmed_at FROM identifiers WHERE id = ?", "i",
			     row), 0);
	cr_assert_eq(store_step(st), STORE_ROW);
	str_copy(later, sizeof(later), store_col_text(st, 0));
	store_finish(st);
	cr_assert_str_eq(later, first, "confirmed → seized keeps confirmed_at (%s)", first);
}

Test(listing, risk_refusals_name_the_field)
{
	static const struct {
		const char *risk, *reason;
		int code;
		const char *field;
	} cases[] = {
		{ "dangerous", "x", ERR_INVAL, "risk" },
		{ "", "x", ERR_INVAL, "risk" },
		{ "none", "x", ERR_INVAL, "risk" },
		{ "confirmed", "", ERR_INVAL, "reason" },
		{ "reported", "x", ERR_CONFLICT, "risk" }, /* already reported */
	};
	struct audit_event ev = event();
	int64_t row;

	report(agency_a, IDENT_PHONE, "0912-000-003", "caller");
	row = row_of(IDENT_PHONE, "0912000003");
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct err_msg err = ERR_MSG_INIT;
		int ret = intel_risk_set(c, row, cases[i].risk, cases[i].reason, &ev, NULL, &err);
		cr_expect_eq(ret, cases[i].code, "risk '%s' reason '%s' → %d, got %d (%s)",
			cases[i].risk, cases[i].reason, cases[i].code, ret, err.message);
		cr_expect_str_eq(err.field, cases[i].field, "risk '%s' reason '%s' names '%s'",
			cases[i].risk, cases[i].reason, cases[i].field);
	}
	cr_assert_eq(intel_risk_set(c, 999999, "confirmed", "x", &ev, NULL, NULL), ERR_NOTFOUND,
		"an identifier that does not exist");
	cr_assert_eq(audit_count("identifier.risk"), 0, "refusals change and audit nothing");
}

Test(listing, warning_listed_cannot_be_flagged_but_can_be_cleared)
{
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	int64_t row;

	report(agency_a, IDENT_URL, "https://www.google.com/search?q=x", "website");
	row = row_of(IDENT_URL, "https://www.google.com/search?q=x");
	cr_assert_eq(intel_risk_set(c, row, "confirmed", "x", &ev, NULL, &err), ERR_CONFLICT,
		"a URL under a warning-listed domain cannot be confirmed");
	cr_assert(strstr(err.message, "warning list"), "the reason says why: %s", err.message);
	cr_assert_eq(intel_risk_set(c, row, "cleared", "x", &ev, NULL, &err), 0,
		"but it can be cleared: %s", err.message);
}

Test(listing, cleared_answers_none_and_stays_cleared)
{
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	int64_t row;

	report(agency_a, IDENT_PHONE, "0912-000-004", "caller");
	row = row_of(IDENT_PHONE, "0912000004");
	cr_assert_eq(intel_risk_set(c, row, "cleared", "shop line", &ev, NULL, &err), 0, "%s",
		err.message);
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000004"), "none", "cleared answers none");
	report(agency_b, IDENT_PHONE, "0912-000-004", "caller");
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0912000004"), "none",
		"a new report does not flag a cleared listing again");
}

Test(listing, review_is_decided_once)
{
	struct intel_review_item *q = NULL;
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	struct ident gw = parse(IDENT_PHONE, "0800-111-222");
	int64_t held, n_found = 0;
	size_t n = 0;

	report(agency_a, IDENT_PHONE, "0955-000-001", "caller");
	report(agency_b, IDENT_PHONE, "0955-000-001", "caller");
	report(agency_b, IDENT_PHONE, "0955-000-001", "caller");
	held = row_of(IDENT_PHONE, "0955000001");
	cr_assert_eq(intel_review_decide(c, row_of(IDENT_PHONE, "0955000001"), "correlate", "x", 0,
			     &ev, &err), 0, "held at the threshold (3): %s", err.message);
	cr_assert_eq(intel_review_decide(c, held, "correlate", "x", 0, &ev, &err), ERR_CONFLICT,
		"a decided identifier is not held again");
	report(agency_a, IDENT_PHONE, "0955-000-001", "caller");
	cr_assert_eq(intel_review_decide(c, held, "correlate", "x", 0, &ev, NULL), ERR_CONFLICT,
		"not even after another report");

	for (int i = 0; i < 3; i++)
		report(i ? agency_b : agency_a, IDENT_PHONE, "0800-111-222", "caller");
	cr_assert_eq(intel_review_queue(c, &q, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(q[i].value, gw.value)) {
			n_found++;
			cr_expect_eq(q[i].report_count, 3, "report count of the held number");
			cr_expect_eq(q[i].agencies, 2, "two distinct reporting agencies");
			cr_expect_str_eq(q[i].first_seen, "2026-01-01T00:00:00Z", "first seen");
		}
	free(q);
	cr_assert_eq(n_found, 1, "the held number is in the queue once");
	cr_assert_eq(intel_review_decide(c, row_of(IDENT_PHONE, "0800111222"), "ignore", "x", 0,
			     &ev, &err), ERR_INVAL, "an unknown decision");
	cr_assert_str_eq(err.field, "decision");
	cr_assert_eq(intel_review_decide(c, row_of(IDENT_PHONE, "0800111222"), "warning_list",
			     "bank service line", 0, &ev, &err), 0, "%s", err.message);
	cr_assert(intel_warning_match(c, &gw), "the number is on the warning list now");
	cr_assert_eq(audit_count("identifier.review"), 2, "both decisions are audited");
}

Test(listing, warning_entries)
{
	struct intel_warning_entry e;
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	struct ident nid = parse(IDENT_NATIONAL_ID, "A123456789");
	struct ident ph = parse(IDENT_PHONE, "0800-024-365");

	cr_assert_eq(intel_warning_add_entry(c, &nid, "x", 0, &ev, &e, &err), ERR_INVAL,
		"a national ID cannot go on the list");
	cr_assert_str_eq(err.field, "type");
	cr_assert_eq(intel_warning_add_entry(c, &ph, "", 0, &ev, &e, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "reason");
	cr_assert_eq(intel_warning_add_entry(c, &ph, "bank line", 0, &ev, &e, &err), 0, "%s",
		err.message);
	cr_assert_str_eq(e.value, "+886800024365");
	cr_assert_eq(intel_warning_add_entry(c, &ph, "again", 0, &ev, NULL, &err), ERR_CONFLICT);
	cr_assert_eq(intel_warning_remove_entry(c, e.id, &ev, &err), 0, "%s", err.message);
	cr_assert_eq(intel_warning_remove_entry(c, e.id, &ev, &err), ERR_NOTFOUND);
	cr_assert(!intel_warning_match(c, &ph), "removed");
	cr_assert_eq(audit_count("warning.add"), 1);
	cr_assert_eq(audit_count("warning.remove"), 1);
}

Test(listing, disputes_need_a_listing_and_clear_it_when_upheld)
{
	struct intel_dispute *d = malloc(sizeof(*d));
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	struct ident shop = parse(IDENT_PHONE, "0922-555-666");
	struct ident victim = parse(IDENT_PHONE, "0933-000-111");
	struct ident unknown = parse(IDENT_PHONE, "0987-000-111");
	int64_t id = 0, other = 0, notes = 0;

	report(agency_a, IDENT_PHONE, "0922-555-666", "caller");
	report(agency_a, IDENT_PHONE, "0933-000-111", "victim");
	cr_assert_eq(intel_dispute_file(c, &unknown, user_a, "x", "", "y", &ev, &id, &err),
		ERR_NOTFOUND, "a number never stored is not listed");
	cr_assert_str_eq(err.field, "value");
	cr_assert_eq(intel_dispute_file(c, &victim, user_a, "x", "", "y", &ev, &id, &err),
		ERR_NOTFOUND, "a victim's own number is not listed either");
	cr_assert_eq(intel_dispute_file(c, &shop, user_a, "", "", "y", &ev, &id, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "claimant");
	cr_assert_eq(intel_dispute_file(c, &shop, user_a, "王小明", "02-2345-6789", "booking line",
			     &ev, &id, &err), 0, "%s", err.message);
	cr_assert_eq(intel_dispute_file(c, &shop, user_a, "王小明", "", "again", &ev, &other,
			     &err), ERR_CONFLICT, "one open dispute per submitter");
	cr_assert_eq(intel_dispute_decide(c, id, 0, "accepted", NULL, &ev, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "decision");
	cr_assert_eq(intel_dispute_decide(c, id, 0, "upheld", "verified", &ev, &err), 0, "%s",
		err.message);
	cr_assert_eq(intel_dispute_get(c, id, d), 0);
	cr_assert_str_eq(d->status, "upheld");
	cr_assert_str_eq(lookup_risk(IDENT_PHONE, "0922555666"), "none",
		"upheld: the lookup answers none");
	cr_assert_eq(store_query_int64(c, &notes, "SELECT COUNT(*) FROM notifications WHERE"
						  " user_id = ? AND kind = 'dispute.decided'",
			     "i", user_a), 0);
	cr_assert_eq(notes, 1, "the submitter is notified");
	cr_assert_eq(intel_dispute_decide(c, id, 0, "rejected", NULL, &ev, &err), ERR_CONFLICT,
		"a decided dispute cannot be decided again");
	cr_assert_eq(audit_count("dispute.uphold"), 1);
	cr_assert_eq(audit_count("identifier.risk"), 1, "the clearing is audited on the identifier");
	free(d);
}

Test(listing, a_seized_identifier_is_not_cleared_by_a_dispute)
{
	struct intel_dispute d;
	struct audit_event ev = event();
	struct err_msg err = ERR_MSG_INIT;
	struct ident acct = parse(IDENT_BANK_ACCOUNT, "822-1234567890");
	int64_t id = 0;

	report(agency_a, IDENT_BANK_ACCOUNT, "822-1234567890", "receiving_account");
	cr_assert_eq(intel_risk_set(c, row_of(IDENT_BANK_ACCOUNT, "822-1234567890"), "seized",
			     "court order", &ev, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(intel_dispute_file(c, &acct, user_a, "x", "", "y", &ev, &id, &err), 0, "%s",
		err.message);
	cr_assert_eq(intel_dispute_decide(c, id, 0, "upheld", NULL, &ev, &err), ERR_CONFLICT,
		"upholding a dispute of a seized account is refused");
	cr_assert_eq(intel_dispute_get(c, id, &d), 0);
	cr_assert_str_eq(d.status, "open", "and the dispute stays open (nothing half done)");
	cr_assert_str_eq(lookup_risk(IDENT_BANK_ACCOUNT, "822-1234567890"), "seized");
	cr_assert_eq(intel_dispute_decide(c, id, 0, "rejected", NULL, &ev, &err), 0, "%s",
		err.message);
}

Test(listing, reach_of_a_prosecutor)
{
	struct auth_principal p = { 0 };
	int64_t row;

	report(agency_a, IDENT_PHONE, "0912-000-009", "caller");
	row = row_of(IDENT_PHONE, "0912000009");
	p.user_id = 424242;
	p.agency_id = agency_a;
	cr_assert(intel_identifier_in_reach(c, &p, REACH_AGENCY, row), "the reporting agency");
	p.agency_id = agency_b;
	cr_assert(!intel_identifier_in_reach(c, &p, REACH_AGENCY, row), "another agency");
	cr_assert(intel_identifier_in_reach(c, &p, REACH_ALL, row), "the center");
	p.user_id = user_a;
	cr_assert(intel_identifier_in_reach(c, &p, REACH_AGENCY, row), "who entered the report");
}
