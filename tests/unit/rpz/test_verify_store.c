/*
 * tests/unit/rpz/test_verify_store.c - src/rpz/verify_store.c: a stored
 * verification keeps every name asked with its order and its audit event;
 * an unknown order or zone is refused naming the field.
 */
#include "rpz/verify_store.h"
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

	audit_event_console(&ev, "rpz.verify", NULL, NULL, AUDIT_OK);
	cr_assert_eq(rpz_verify_store(t.c, &r, &ev, &id, &err), 0, "%s: %s", err.field,
		err.message);
	cr_assert_gt(id, 0);
	cr_assert_eq(store_query_int64(t.c, &n,
			     "SELECT as_expected FROM rpz_verifications WHERE id = ?", "i", id),
		0);
	cr_assert_eq(n, 2, "both as expected");
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
