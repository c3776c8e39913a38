/*
 * tests/unit/rpz/rpz_test.h - a temporary database with every module's
 * schema on a frozen clock, and the rpz settings from a config with a short
 * journal, for the tests of src/rpz/.
 */
#pragma once
#include <criterion/criterion.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "intel/intel.h"
#include "rpz/internal.h"
#include "rpz/rpz.h"
#include "store/store.h"
#include "testutil.h"

/* 2026-01-01T00:00:00Z: the frozen start of every test. */
#define T0 1767225600
#define DAY 86400

struct rpz_test {
	struct store *db;
	struct store_conn *c;
	char *dir;
	struct config cfg;
};

/* Open the database and configure rpz from cfg after applying the key=value pairs. */
static inline void rpz_test_open(struct rpz_test *t, const char *const *kv)
{
	static const uint8_t key[32] = { 5, 5, 5 };
	const struct store_module_schema *schemas;
	struct err_msg err = ERR_MSG_INIT;
	char path[1024];
	size_t n;

	tu_clear_rootcut_env();
	t->dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/rootcut.db", t->dir);
	cr_assert_eq(store_open(path, NULL, &t->db, &err), 0, "store_open: %s", err.message);
	t->c = store_acquire(t->db);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(t->c, schemas, n, &err), 0, "migrate: %s", err.message);
	audit_set_key(key);
	clock_set_fake_ms((int64_t)T0 * 1000);
	config_defaults(&t->cfg);
	for (; kv && kv[0]; kv += 2)
		cr_assert_eq(config_set(&t->cfg, kv[0], kv[1], &err), 0, "%s: %s", kv[0],
			err.message);
	rpz_configure(&t->cfg);
	cr_assert_eq(rpz_zones_sync(t->c, &err), 0, "sync: %s: %s", err.field, err.message);
}

static inline void rpz_test_close(struct rpz_test *t)
{
	store_release(t->c);
	store_close(t->db);
	tu_rmdir(t->dir);
	clock_set_fake_ms(-1);
}

/* The zone's current serial. */
static inline uint32_t rpz_test_serial(struct rpz_test *t, const char *zone)
{
	struct rpz_zone_info z;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(rpz_zone_get(t->c, zone, &z, &err), 0, "zone %s: %s", zone, err.message);
	return z.serial;
}

struct rr_text {
	char s[64][300];
	size_t n;
};

static inline int rr_collect(void *ctx, const struct rpz_rr *rr)
{
	struct rr_text *out = ctx;

	if (out->n < 64)
		snprintf(out->s[out->n++], sizeof(out->s[0]), "%s %u %s", rr->owner,
			(unsigned)rr->type, rr->rdata);
	return 0;
}

/* Every record of zone as "owner type rdata" lines in *out. */
static inline void rpz_test_records(struct rpz_test *t, const char *zone, struct rr_text *out)
{
	struct rpz_zone_info z;
	struct err_msg err = ERR_MSG_INIT;

	out->n = 0;
	cr_assert_eq(rpz_zone_get(t->c, zone, &z, &err), 0, "zone %s: %s", zone, err.message);
	cr_assert_eq(rpz_zone_each_rr(t->c, z.id, rr_collect, out, &err), 0, "%s", err.message);
}

static inline bool rr_has(const struct rr_text *l, const char *line)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->s[i], line) == 0)
			return true;
	return false;
}
