/*
 * tests/unit/rpz/test_verify_store.c - src/rpz/verify_store.c: a stored
 * verification keeps every name asked with its order and its audit event;
 * an unknown order or zone is refused naming the field.
 */
#include "rpz/verify_store.h"
#include "base/clock.h"
#include "rpz_test.h"

static struct rpz_test t;

static void setup(void)
{
	rpz_test_open(&t, NULL);
}

static void teardown(void)
{
	rpz_test_close(&t);
}

TestSuite(verify_store, .init = setup, .fini = teardown);

Test(verify_store, stored_with_audit)
{
	const struct rpz_verify_name names[] = {
		{ "rpz-canary.rootcut.tw", 0, true, true, "NXDOMAIN" },
		{ "control.example", 0, false, false, "NOERROR A 192.0.2.7" },
	};
	struct rpz_verify_result r = { "rpz.rootcut.tw", 2, "127.0.0.1:5300", T0, names, 2 };
	struct err_msg err = ERR_MSG_INIT;
	struct audit_event ev;
	int64_t id = 0, n;
	char when[32];

	audit_event_console(&ev, "rpz.verify", NULL, NULL, AUDIT_OK);
	cr_assert_eq(rpz_verify_store(t.c, &r, &ev, &id, &err), 0, "%s: %s", err.field,
		err.message);
	cr_assert_gt(id, 0);
	cr_assert_eq(store_query_int64(t.c, &n,
			     "SELECT as_expected FROM rpz_verifications WHERE id = ?", "i", id),
		0);
	cr_assert_eq(n, 2, "both as expected");
	clock_format_iso_s(T0, when, sizeof(when));
	cr_assert_eq(store_query_int64(t.c, &n,
			     "SELECT checked_at = ? FROM rpz_verifications WHERE id = ?", "ti", when,
			     id),
		0);
	cr_assert_eq(n, 1, "checked_at is the time of the check, %s", when);
	cr_assert_eq(store_query_int64(t.c, &n,
			     "SELECT COUNT(*) FROM audit_events WHERE action = 'rpz.verify'", ""),
		0);
	cr_assert_eq(n, 1, "audited once");
}

Test(verify_store, unknown_order_or_zone)
{
	const struct rpz_verify_name names[] = {
		{ "a.example", 0, true, true, "NXDOMAIN" },
		{ "b.example", 4242, true, false, "NOERROR" },
	};
	struct rpz_verify_result r = { "rpz.rootcut.tw", 2, "127.0.0.1:5300", T0, names, 2 };
	struct err_msg err = ERR_MSG_INIT;
	int64_t n;

	cr_assert_eq(rpz_verify_store(t.c, &r, NULL, NULL, &err), ERR_NOTFOUND);
	cr_assert_str_eq(err.field, "names[1].order_id", "field: %s", err.field);
	cr_assert_eq(store_query_int64(t.c, &n, "SELECT COUNT(*) FROM rpz_verifications", ""), 0);
	cr_assert_eq(n, 0, "nothing kept");
	r.zone = "nope.example";
	err_clear(&err);
	cr_assert_eq(rpz_verify_store(t.c, &r, NULL, NULL, &err), ERR_NOTFOUND);
	cr_assert_str_eq(err.field, "zone");
}

struct sample {
	char names[16][64];
	int64_t orders[16];
	bool expect[16];
	size_t n;
};

static int collect(void *ctx, const char *name, int64_t order_id, bool expect_blocked)
{
	struct sample *s = ctx;

	if (s->n < 16) {
		str_copy(s->names[s->n], sizeof(s->names[0]), name);
		s->orders[s->n] = order_id;
		s->expect[s->n++] = expect_blocked;
	}
	return 0;
}

static int64_t enforced_order(int64_t agency, const char *const *domains, size_t n)
{
	struct rpz_order o = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	o.agency_id = agency;
	str_copy(o.court, sizeof(o.court), "臺灣臺北地方法院");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, domains, n, NULL, NULL, NULL, NULL, &err), 0);
	cr_assert_eq(rpz_order_file(t.c, o.id, NULL, &err), 0);
	cr_assert_eq(rpz_order_grant(t.c, o.id, "", "1", "2026-01-01", NULL, &err), 0);
	cr_assert_eq(rpz_order_enforce(t.c, o.id, NULL, &err), 0, "%s", err.message);
	return o.id;
}

Test(verify_store, sample_spreads_over_orders)
{
	static const char *const big[] = { "a1.example.com", "a2.example.com", "a3.example.com",
		"a4.example.com", "a5.example.com" };
	static const char *const small[] = { "b1.example.com" };
	struct err_msg err = ERR_MSG_INIT;
	struct sample s = { .n = 0 };
	struct agency a = { 0 };
	int64_t o1, o2;

	str_copy(a.name, sizeof(a.name), "臺灣臺北地方檢察署");
	str_copy(a.code, sizeof(a.code), "TPDP");
	a.kind = AGENCY_DISTRICT_PROSECUTORS;
	cr_assert_eq(agency_create(t.c, &a, NULL, &err), 0, "%s", err.message);
	o1 = enforced_order(a.id, big, 5);
	o2 = enforced_order(a.id, small, 1);
	cr_assert_eq(rpz_verify_sample(t.c, "rpz.rootcut.tw", 4, "control.example", collect, &s,
			     &err),
		0, "%s", err.message);
	cr_assert_eq(s.n, 5, "2 + 1 seized, the canary, the control: %zu", s.n);
	cr_assert_eq(s.orders[0], o1);
	cr_assert_eq(s.orders[2], o2, "the small order is not crowded out");
	cr_assert_str_eq(s.names[3], "rpz-canary.rootcut.tw");
	cr_assert_str_eq(s.names[4], "control.example");
	cr_assert(!s.expect[4], "the control must resolve");
}
