/*
 * tests/unit/rpz/test_zone_write.c - src/rpz/zone_write.c, zone_store.c,
 * serial.c and zones.c: a change raises the serial by one and is journaled
 * deletions first; the journal replays from any kept serial and refuses
 * older ones (AXFR then); serials wrap per RFC 1982; the listener hears of
 * each commit; configured zones are created with their canary.
 */
#include "rpz_test.h"

static struct rpz_test t;

static void setup(void)
{
	static const char *const kv[] = { "rpz_journal_keep", "3", "rpz_zones",
		"rpz.rootcut.tw, gambling.rpz.rootcut.tw", NULL };

	rpz_test_open(&t, kv);
}

static void teardown(void)
{
	rpz_test_close(&t);
}

TestSuite(zone_write, .init = setup, .fini = teardown);

static int64_t zone_id(const char *name)
{
	struct rpz_zone_info z;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(rpz_zone_get(t.c, name, &z, &err), 0, "zone %s: %s", name, err.message);
	return z.id;
}

/* Add (or delete) one CNAME . rule in its own transaction. */
static void change(const char *zone, const char *owner, bool add)
{
	struct rpz_rrs l = RPZ_RRS_INIT;
	struct rpz_notices n = RPZ_NOTICES_INIT;

	rpz_rrs_add(&l, owner, RPZ_TYPE_CNAME, 60, ".");
	cr_assert_eq(store_begin(t.c), 0);
	cr_assert_eq(rpz_zone_write(t.c, zone_id(zone), add ? NULL : &l, add ? &l : NULL, false,
			     "test", &n),
		0, "write %s %s", add ? "add" : "del", owner);
	cr_assert_eq(rpz_commit(t.c, &n), 0);
	rpz_rrs_release(&l);
}

Test(zone_write, configured_zones_with_canary)
{
	struct rpz_zone_info *zones;
	struct err_msg err = ERR_MSG_INIT;
	struct rr_text rrs;
	size_t n;

	cr_assert_eq(rpz_zone_list(t.c, &zones, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2, "two configured zones, got %zu", n);
	cr_assert_str_eq(zones[0].name, "gambling.rpz.rootcut.tw.", "ordered by name");
	cr_assert_str_eq(zones[1].name, "rpz.rootcut.tw.");
	cr_assert_eq(zones[1].serial, 2, "created at 1, the canary makes 2: got %u",
		zones[1].serial);
	cr_assert_eq(zones[1].refresh, 60, "short refresh by default");
	cr_assert_str_eq(zones[1].mname, "ns.rootcut.tw.");
	cr_assert_eq(zones[1].records, 1, "only the canary");
	cr_assert_eq(zones[1].changed_at, T0, "changed now");
	free(zones);
	rpz_test_records(&t, "rpz.rootcut.tw", &rrs);
	cr_assert(rr_has(&rrs, "rpz-canary.rootcut.tw.rpz.rootcut.tw. 5 ."), "canary: %s",
		rrs.n ? rrs.s[0] : "(none)");
}

Test(zone_write, sync_again_changes_nothing)
{
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(rpz_zones_sync(t.c, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_test_serial(&t, "rpz.rootcut.tw."), 2, "no change, no new serial");
	cr_assert_eq(config_set(&t.cfg, "rpz_refresh_s", "30", &err), 0);
	rpz_configure(&t.cfg);
	cr_assert_eq(rpz_zones_sync(t.c, &err), 0, "%s", err.message);
	cr_assert_eq(rpz_test_serial(&t, "rpz.rootcut.tw."), 3, "a new SOA refresh is a change");
}

struct journal {
	char s[32][320];
	size_t n;
};

static int collect_change(void *ctx, uint32_t serial, bool add, const struct rpz_rr *rr)
{
	struct journal *j = ctx;

	if (j->n < 32)
		snprintf(j->s[j->n++], sizeof(j->s[0]), "%u %s %s", serial, add ? "+" : "-",
			rr->owner);
	return 0;
}

Test(zone_write, journal_replays_deletions_first)
{
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_rrs dels = RPZ_RRS_INIT, adds = RPZ_RRS_INIT;
	struct journal j = { .n = 0 };
	int64_t id = zone_id("rpz.rootcut.tw");

	change("rpz.rootcut.tw", "a.example.rpz.rootcut.tw.", true); /* serial 3 */
	rpz_rrs_add(&dels, "a.example.rpz.rootcut.tw.", RPZ_TYPE_CNAME, 60, ".");
	rpz_rrs_add(&adds, "b.example.rpz.rootcut.tw.", RPZ_TYPE_CNAME, 60, ".");
	cr_assert_eq(store_begin(t.c), 0);
	cr_assert_eq(rpz_zone_write(t.c, id, &dels, &adds, false, "swap", NULL), 0);
	cr_assert_eq(store_commit(t.c), 0);
	cr_assert_eq(rpz_test_serial(&t, "rpz.rootcut.tw"), 4);
	cr_assert_eq(rpz_zone_each_change(t.c, id, 2, collect_change, &j, &err), 0, "%s",
		err.message);
	cr_assert_eq(j.n, 3, "three changes from serial 2, got %zu", j.n);
	cr_assert_str_eq(j.s[0], "3 + a.example.rpz.rootcut.tw.");
	cr_assert_str_eq(j.s[1], "4 - a.example.rpz.rootcut.tw.", "deletion first: %s", j.s[1]);
	cr_assert_str_eq(j.s[2], "4 + b.example.rpz.rootcut.tw.");
	j.n = 0;
	cr_assert_eq(rpz_zone_each_change(t.c, id, 4, collect_change, &j, &err), 0);
	cr_assert_eq(j.n, 0, "up to date: nothing to send");
	cr_assert_eq(rpz_zone_each_change(t.c, id, 5, collect_change, &j, &err), ERR_NOTFOUND,
		"a serial ahead of ours: full transfer");
	rpz_rrs_release(&dels);
	rpz_rrs_release(&adds);
}

Test(zone_write, journal_is_bounded)
{
	struct err_msg err = ERR_MSG_INIT;
	struct journal j = { .n = 0 };
	int64_t id = zone_id("rpz.rootcut.tw"), rows;
	char owner[64];

	for (int i = 0; i < 6; i++) { /* serials 3 … 8 */
		snprintf(owner, sizeof(owner), "d%d.example.rpz.rootcut.tw.", i);
		change("rpz.rootcut.tw", owner, true);
	}
	cr_assert_eq(rpz_test_serial(&t, "rpz.rootcut.tw"), 8);
	cr_assert_eq(rpz_zone_each_change(t.c, id, 4, collect_change, &j, &err), ERR_NOTFOUND,
		"keep 3: serial 4 is beyond the journal");
	cr_assert_eq(j.n, 0, "fn never called when the journal does not reach back");
	cr_assert_eq(rpz_zone_each_change(t.c, id, 5, collect_change, &j, &err), 0,
		"serial 5 is kept: %s", err.message);
	cr_assert_eq(j.n, 3, "6, 7, 8");
	cr_assert_eq(store_query_int64(t.c, &rows,
			     "SELECT COUNT(*) FROM rpz_journal WHERE zone_id = ?", "i", id),
		0);
	cr_assert_eq(rows, 3, "journal rows trimmed to 3, got %lld", (long long)rows);
	cr_assert_eq(store_query_int64(t.c, &rows,
			     "SELECT COUNT(*) FROM rpz_history WHERE zone_id = ?", "i", id),
		0);
	cr_assert_eq(rows, 7, "history kept for good (serials 2 … 8), got %lld", (long long)rows);
}

Test(zone_write, a_wrong_difference_is_refused)
{
	struct rpz_rrs l = RPZ_RRS_INIT;

	rpz_rrs_add(&l, "never.example.rpz.rootcut.tw.", RPZ_TYPE_CNAME, 60, ".");
	cr_assert_eq(store_begin(t.c), 0);
	cr_assert_eq(rpz_zone_write(t.c, zone_id("rpz.rootcut.tw"), &l, NULL, false, "x", NULL),
		ERR_INTERNAL, "deleting a record that is not there");
	store_rollback(t.c);
	cr_assert_eq(rpz_test_serial(&t, "rpz.rootcut.tw"), 2, "rolled back");
	rpz_rrs_release(&l);
}

Test(zone_write, serial_arithmetic)
{
	static const struct {
		uint32_t a, b;
		bool before;
	} cases[] = {
		{ 1, 2, true }, { 2, 1, false }, { 7, 7, false },
		{ 0xffffffffu, 0, true }, { 0, 0xffffffffu, false },
		{ 0xfffffff0u, 5, true }, { 5, 0x80000004u, true }, { 5, 0x80000005u, false },
	};
	int64_t v;

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		cr_expect_eq(rpz_serial_before(cases[i].a, cases[i].b), cases[i].before,
			"serial %u before %u", cases[i].a, cases[i].b);
	cr_assert_eq(rpz_serial_of(0x100000002ll), 2, "version 2^32+2 has serial 2");
	cr_assert_eq(rpz_serial_version(0x100000002ll, 0xffffffffu, &v), 0);
	cr_assert_eq(v, 0xffffffffll, "three changes behind across the wrap");
	cr_assert_eq(rpz_serial_version(10, 11, &v), ERR_NOTFOUND, "ahead");
	cr_assert_eq(rpz_serial_version(10, 0xfffffff0u, &v), ERR_NOTFOUND, "before version 0");
}

static char heard_zone[RPZ_NAME_MAX];
static uint32_t heard_serial;
static int heard;

static void listener(void *ctx, const char *zone, uint32_t serial)
{
	(void)ctx;
	str_copy(heard_zone, sizeof(heard_zone), zone);
	heard_serial = serial;
	heard++;
}

Test(zone_write, listener_after_commit)
{
	heard = 0;
	rpz_zone_set_listener(listener, NULL);
	change("gambling.rpz.rootcut.tw", "x.example.gambling.rpz.rootcut.tw.", true);
	rpz_zone_set_listener(NULL, NULL);
	cr_assert_eq(heard, 1, "called once");
	cr_assert_str_eq(heard_zone, "gambling.rpz.rootcut.tw.");
	cr_assert_eq(heard_serial, 3);
}
