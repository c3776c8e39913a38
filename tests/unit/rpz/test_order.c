/*
 * tests/unit/rpz/test_order.c - src/rpz/order*.c, rules.c, passthru.c and
 * expiry.c on a frozen clock: the lifecycle refuses steps out of order; an
 * enforced order publishes its rules in one change (serial + 1) and a lift
 * withdraws them; passthru wins over every order; IDN, defanged names and
 * URLs are seized by their host in A-labels; expiry and a later start apply
 * by themselves at the right time.
 */
#include "ident/ident.h"
#include "rpz_test.h"

static struct rpz_test t;
static int64_t agency;
static const char *const zone = "rpz.rootcut.tw.";

static void setup(void)
{
	static const char *const kv[] = { "rpz_redirect", "192.0.2.80, 2001:db8::80", NULL };
	struct agency a = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	rpz_test_open(&t, kv);
	str_copy(a.name, sizeof(a.name), "臺灣臺北地方檢察署");
	str_copy(a.code, sizeof(a.code), "TPDP");
	a.kind = AGENCY_DISTRICT_PROSECUTORS;
	cr_assert_eq(agency_create(t.c, &a, NULL, &err), 0, "agency: %s", err.message);
	agency = a.id;
}

static void teardown(void)
{
	rpz_test_close(&t);
}

TestSuite(order, .init = setup, .fini = teardown);

/* A draft with domains; action "" = nxdomain. */
static int64_t draft(const char *action, bool subdomains, const char *const *domains, size_t n)
{
	struct rpz_order o = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	size_t added = 0;

	o.agency_id = agency;
	str_copy(o.action, sizeof(o.action), action);
	str_copy(o.court, sizeof(o.court), "臺灣臺北地方法院");
	o.subdomains = subdomains;
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "create: %s: %s", err.field,
		err.message);
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, domains, n, NULL, NULL, NULL, &added, &err),
		0, "domains: %s: %s", err.field, err.message);
	return o.id;
}

static void through(int64_t id, const char *last)
{
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(rpz_order_file(t.c, id, NULL, &err), 0, "file: %s", err.message);
	if (strcmp(last, "filed") == 0)
		return;
	cr_assert_eq(rpz_order_grant(t.c, id, "", "113年度聲扣字第1號", "113/05/01", NULL, &err),
		0, "grant: %s: %s", err.field, err.message);
	if (strcmp(last, "granted") == 0)
		return;
	cr_assert_eq(rpz_order_enforce(t.c, id, NULL, &err), 0, "enforce: %s", err.message);
}

static int64_t enforced(const char *action, bool subdomains, const char *const *domains,
	size_t n)
{
	int64_t id = draft(action, subdomains, domains, n);

	through(id, "enforced");
	return id;
}

Test(order, lifecycle_in_order_only)
{
	static const char *const d[] = { "bad.example.com" };
	struct err_msg err = ERR_MSG_INIT;
	int64_t id = draft("", true, d, 1);
	struct rpz_order o;

	cr_assert_eq(rpz_order_enforce(t.c, id, NULL, &err), ERR_CONFLICT, "draft → enforced");
	cr_assert_str_eq(err.field, "state");
	cr_assert_eq(rpz_order_grant(t.c, id, "", "1", "2024-05-01", NULL, &err), ERR_CONFLICT,
		"draft → granted");
	through(id, "filed");
	err_clear(&err);
	cr_assert_eq(rpz_order_grant(t.c, id, "", "", "2024-05-01", NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "order_number");
	cr_assert_eq(rpz_order_grant(t.c, id, "", "1", "not a date", NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "order_date");
	cr_assert_eq(rpz_order_grant(t.c, id, "", "113年度聲扣字第1號", "113/05/01", NULL, &err),
		0);
	cr_assert_eq(rpz_order_get(t.c, id, &o), 0);
	cr_assert_str_eq(o.order_date, "2024-05-01", "ROC 113/05/01 is 2024-05-01");
	cr_assert_eq(rpz_order_add_domains(t.c, id, d, 1, NULL, NULL, NULL, NULL, &err),
		ERR_CONFLICT, "no domains after filing");
	cr_assert_eq(rpz_order_lift(t.c, id, "", NULL, &err), ERR_INVAL, "a lift needs a reason");
	cr_assert_str_eq(err.field, "reason");
}

Test(order, enforce_publishes_in_one_change)
{
	static const char *const d[] = { "bad.example.com", "worse.example.net" };
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;
	int64_t id = draft("", true, d, 2);

	through(id, "granted");
	cr_assert_eq(rpz_test_serial(&t, zone), 2, "nothing published before enforcement");
	cr_assert_eq(rpz_order_enforce(t.c, id, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_test_serial(&t, zone), 3, "one change for the whole order");
	rpz_test_records(&t, zone, &rrs);
	cr_assert_eq(rrs.n, 5, "canary + 2 × (name, wildcard): %zu", rrs.n);
	cr_assert(rr_has(&rrs, "bad.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert(rr_has(&rrs, "*.bad.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert(rr_has(&rrs, "*.worse.example.net.rpz.rootcut.tw. 5 ."));
	cr_assert_eq(rpz_order_lift(t.c, id, "the court revoked the order", NULL, &err), 0);
	cr_assert_eq(rpz_test_serial(&t, zone), 4, "one change for the lift");
	rpz_test_records(&t, zone, &rrs);
	cr_assert_eq(rrs.n, 1, "only the canary is left: %zu", rrs.n);
}

Test(order, actions_and_subdomains)
{
	static const char *const nodata[] = { "nodata.example.com" };
	static const char *const redirect[] = { "redirect.example.com" };
	struct rpz_order o = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;
	const char *one[] = { "cname.example.com" };

	enforced("nodata", false, nodata, 1);
	enforced("redirect", true, redirect, 1);
	o.agency_id = agency;
	str_copy(o.action, sizeof(o.action), "redirect");
	str_copy(o.redirect, sizeof(o.redirect), "Warning.165.gov.tw");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	cr_assert_str_eq(o.redirect, "warning.165.gov.tw.", "a host name made absolute");
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, one, 1, NULL, NULL, NULL, NULL, &err), 0);
	cr_assert_eq(rpz_order_file(t.c, o.id, NULL, &err), 0);
	cr_assert_eq(rpz_order_grant(t.c, o.id, "臺灣臺北地方法院", "2", "2024-05-02", NULL, &err),
		0);
	cr_assert_eq(rpz_order_enforce(t.c, o.id, NULL, &err), 0);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "nodata.example.com.rpz.rootcut.tw. 5 *."), "nodata: CNAME *.");
	cr_assert(!rr_has(&rrs, "*.nodata.example.com.rpz.rootcut.tw. 5 *."), "no subdomains");
	cr_assert(rr_has(&rrs, "redirect.example.com.rpz.rootcut.tw. 1 192.0.2.80"), "A");
	cr_assert(rr_has(&rrs, "redirect.example.com.rpz.rootcut.tw. 28 2001:db8::80"), "AAAA");
	cr_assert(rr_has(&rrs, "*.redirect.example.com.rpz.rootcut.tw. 1 192.0.2.80"));
	cr_assert(rr_has(&rrs, "cname.example.com.rpz.rootcut.tw. 5 warning.165.gov.tw."));
}

Test(order, strictest_order_wins)
{
	static const char *const d[] = { "both.example.com" };
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;
	int64_t nx;

	enforced("redirect", false, d, 1);
	nx = enforced("nxdomain", false, d, 1);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "both.example.com.rpz.rootcut.tw. 5 ."), "nxdomain wins");
	cr_assert(!rr_has(&rrs, "both.example.com.rpz.rootcut.tw. 1 192.0.2.80"));
	cr_assert_eq(rpz_order_lift(t.c, nx, "appeal granted", NULL, &err), 0);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "both.example.com.rpz.rootcut.tw. 1 192.0.2.80"),
		"the redirect order still stands");
}

Test(order, idn_defanged_and_urls)
{
	static const char *const d[] = { "詐騙.tw", "hxxps://www[.]Fake-Invest.com/login?x=1",
		"bad(.)example.org", "http://1.2.3.4/x", "nope", "ok.example.com" };
	struct rpz_order_domain *list;
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_order o = { 0 };
	size_t n;

	o.agency_id = agency;
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, d, N_ELEMS(d), NULL, NULL, NULL, NULL, &err),
		ERR_INVAL, "strict: the IP address refuses the lot");
	cr_assert_str_eq(err.field, "domains[3]", "field %s", err.field);
	cr_assert(strstr(err.message, "IP address"), "reason: %s", err.message);
	cr_assert_eq(rpz_order_domains(t.c, o.id, 0, 100, &list, &n), 0);
	cr_assert_eq(n, 0, "nothing added");
	free(list);
}

struct bad_rows {
	size_t index[8];
	char why[8][200];
	size_t n;
};

static void on_bad(void *ctx, size_t index, const char *raw, const struct err_msg *why)
{
	struct bad_rows *b = ctx;

	(void)raw;
	if (b->n < 8) {
		b->index[b->n] = index;
		str_copy(b->why[b->n++], sizeof(b->why[0]), why->message);
	}
}

Test(order, lenient_reports_every_bad_row)
{
	static const char *const d[] = { "詐騙.tw", "hxxps://www[.]Fake-Invest.com/login?x=1",
		"bad(.)example.org", "http://1.2.3.4/x", "nope", "BAD(.)example.org" };
	struct rpz_order_domain *list;
	struct err_msg err = ERR_MSG_INIT;
	struct bad_rows bad = { .n = 0 };
	struct rpz_order o = { 0 };
	size_t n, added = 0;
	int64_t idents;

	o.agency_id = agency;
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, d, N_ELEMS(d), on_bad, &bad, NULL, &added,
			     &err),
		0, "%s", err.message);
	cr_assert_eq(added, 3, "three distinct good ones, got %zu", added);
	cr_assert_eq(bad.n, 2, "two bad rows reported");
	cr_assert_eq(bad.index[0], 3);
	cr_assert_eq(bad.index[1], 4);
	cr_assert_eq(rpz_order_domains(t.c, o.id, 0, 100, &list, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(list[0].domain, "bad.example.org");
	cr_assert_str_eq(list[1].domain, "www.fake-invest.com", "a URL's host, not widened");
	cr_assert_str_eq(list[2].domain, "xn--912aw42a.tw", "IDN in A-labels: %s",
		list[2].domain);
	cr_assert_str_eq(list[2].unicode, "詐騙.tw");
	free(list);
	cr_assert_eq(store_query_int64(t.c, &idents,
			     "SELECT COUNT(*) FROM identifiers WHERE type = 'domain'", ""),
		0);
	cr_assert_eq(idents, 3, "each one an identifier of the anti-fraud database");
}

Test(order, passthru_wins)
{
	static const char *const d[] = { "sites.example.com", "evil.example.com",
		"bank.example.org" };
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;

	enforced("", true, d, 3);
	cr_assert_eq(rpz_passthru_add(t.c, "example.com", true, "a shared platform", NULL, NULL,
			     &err),
		0, "%s", err.message);
	cr_assert_eq(rpz_passthru_add(t.c, "bank.example.org", false, "a bank", NULL, NULL, &err),
		0, "%s", err.message);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(!rr_has(&rrs, "sites.example.com.rpz.rootcut.tw. 5 ."),
		"nothing under a passthru with subdomains is blocked");
	cr_assert(!rr_has(&rrs, "*.evil.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert(rr_has(&rrs, "example.com.rpz.rootcut.tw. 5 rpz-passthru."));
	cr_assert(rr_has(&rrs, "*.example.com.rpz.rootcut.tw. 5 rpz-passthru."));
	cr_assert(rr_has(&rrs, "bank.example.org.rpz.rootcut.tw. 5 rpz-passthru."));
	cr_assert(rr_has(&rrs, "*.bank.example.org.rpz.rootcut.tw. 5 ."),
		"the exact passthru leaves the order's wildcard");
	cr_assert_eq(rpz_passthru_add(t.c, "example.com", false, "again", NULL, NULL, &err),
		ERR_CONFLICT);
	cr_assert_eq(rpz_passthru_remove(t.c, 0, "example.com", NULL, &err), 0, "%s",
		err.message);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "sites.example.com.rpz.rootcut.tw. 5 ."), "blocked again");
	cr_assert(!rr_has(&rrs, "example.com.rpz.rootcut.tw. 5 rpz-passthru."));
}

Test(order, lift_one_domain)
{
	static const char *const d[] = { "a.example.com", "mistake.example.com" };
	struct rpz_order_event *ev;
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;
	size_t n;
	int64_t id = enforced("", false, d, 2);
	uint32_t serial = rpz_test_serial(&t, zone);

	cr_assert_eq(rpz_order_lift_domain(t.c, id, "mistake.example.com", "", NULL, &err),
		ERR_INVAL, "a reason is required");
	cr_assert_eq(rpz_order_lift_domain(t.c, id, "other.example.com", "typo", NULL, &err),
		ERR_NOTFOUND);
	cr_assert_str_eq(err.field, "domain");
	cr_assert_eq(rpz_order_lift_domain(t.c, id, "MISTAKE.example.com", "typo in the list",
			     NULL, &err),
		0, "%s", err.message);
	cr_assert_eq(rpz_test_serial(&t, zone), serial + 1);
	rpz_test_records(&t, zone, &rrs);
	cr_assert(!rr_has(&rrs, "mistake.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert(rr_has(&rrs, "a.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert_eq(rpz_order_lift_domain(t.c, id, "mistake.example.com", "again", NULL, &err),
		ERR_CONFLICT);
	cr_assert_eq(rpz_order_events(t.c, id, &ev, &n), 0);
	cr_assert_eq(n, 6, "create, domains, file, grant, enforce, lift_domain: %zu", n);
	cr_assert_str_eq(ev[5].action, "lift_domain");
	cr_assert(strstr(ev[5].detail, "typo in the list"), "reason kept: %s", ev[5].detail);
	free(ev);
}

Test(order, expiry_and_start_by_time)
{
	static const char *const d1[] = { "expiring.example.com" };
	static const char *const d2[] = { "later.example.com" };
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_order o = { 0 };
	struct rr_text rrs;
	int64_t next = 0, id1, id2;
	int applied = 0;

	o.agency_id = agency;
	o.expires_at = T0 + DAY;
	str_copy(o.court, sizeof(o.court), "臺灣臺北地方法院");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	id1 = o.id;
	cr_assert_eq(rpz_order_add_domains(t.c, id1, d1, 1, NULL, NULL, NULL, NULL, &err), 0);
	through(id1, "enforced");
	memset(&o, 0, sizeof(o));
	o.agency_id = agency;
	o.starts_at = T0 + 3600;
	o.expires_at = T0 + 2 * DAY;
	str_copy(o.court, sizeof(o.court), "臺灣臺北地方法院");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	id2 = o.id;
	cr_assert_eq(rpz_order_add_domains(t.c, id2, d2, 1, NULL, NULL, NULL, NULL, &err), 0);
	through(id2, "enforced");
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "expiring.example.com.rpz.rootcut.tw. 5 ."));
	cr_assert(!rr_has(&rrs, "later.example.com.rpz.rootcut.tw. 5 ."), "not started yet");

	cr_assert_eq(rpz_due_apply(t.c, clock_now(), &next, &applied, &err), 0, "%s",
		err.message);
	cr_assert_eq(applied, 0);
	cr_assert_eq(next, T0 + 3600, "next due: the start");
	clock_set_fake_ms((int64_t)(T0 + 3600) * 1000);
	cr_assert_eq(rpz_due_apply(t.c, clock_now(), &next, &applied, &err), 0);
	cr_assert_eq(applied, 1);
	cr_assert_eq(next, T0 + DAY, "next due: the first expiry");
	rpz_test_records(&t, zone, &rrs);
	cr_assert(rr_has(&rrs, "later.example.com.rpz.rootcut.tw. 5 ."), "started");

	clock_set_fake_ms((int64_t)(T0 + DAY) * 1000);
	cr_assert_eq(rpz_due_apply(t.c, clock_now(), &next, &applied, &err), 0);
	cr_assert_eq(applied, 1);
	cr_assert_eq(rpz_order_get(t.c, id1, &o), 0);
	cr_assert_str_eq(o.state, "expired");
	rpz_test_records(&t, zone, &rrs);
	cr_assert(!rr_has(&rrs, "expiring.example.com.rpz.rootcut.tw. 5 ."), "expired away");
	cr_assert_eq(next, T0 + 2 * DAY);
	cr_assert_eq(rpz_due_apply(t.c, clock_now(), &next, &applied, &err), 0);
	cr_assert_eq(applied, 0, "applying twice changes nothing");
}

Test(order, bad_fields_are_named)
{
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_order o = { 0 };

	o.agency_id = agency;
	str_copy(o.action, sizeof(o.action), "sinkhole");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "action");
	str_copy(o.action, sizeof(o.action), "redirect");
	str_copy(o.redirect, sizeof(o.redirect), "192.0.2.1, warn.example.com");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "redirect");
	o.redirect[0] = '\0';
	str_copy(o.action, sizeof(o.action), "nxdomain");
	str_copy(o.zone, sizeof(o.zone), "other.zone");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "zone");
	o.zone[0] = '\0';
	o.case_id = 999;
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), ERR_NOTFOUND);
	cr_assert_str_eq(err.field, "case_id");
	o.case_id = 0;
	o.expires_at = T0 - 1;
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "expires_at");
}
