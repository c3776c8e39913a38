/*
 * tests/unit/dns/fixture.c - the shared set-up of the DNS tests (fixture.h).
 */
#include "fixture.h"

#include <criterion/criterion.h>
#include <ldns/ldns.h>
#include <stdio.h>

#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "rpz/internal.h"
#include "rpz/rpz.h"
#include "store/store.h"
#include "testutil.h"

struct store *fix_db;
struct store_conn *fix_conn;
struct dns_acl *fix_acl;
struct dns_ctx fix_ctx;
int64_t fix_zone_id;
static char *dir;

void fix_change(const char *const *dels, const char *const *adds)
{
	struct rpz_rrs d = RPZ_RRS_INIT, a = RPZ_RRS_INIT;
	struct rpz_notices notices = RPZ_NOTICES_INIT;

	for (size_t i = 0; dels && dels[i]; i++)
		rpz_rrs_add(&d, dels[i], LDNS_RR_TYPE_CNAME, 60, ".");
	for (size_t i = 0; adds && adds[i]; i++)
		rpz_rrs_add(&a, adds[i], LDNS_RR_TYPE_CNAME, 60, ".");
	cr_assert_eq(store_begin(fix_conn), 0);
	cr_assert_eq(rpz_zone_write(fix_conn, fix_zone_id, &d, &a, false, "test", &notices), 0);
	cr_assert_eq(rpz_commit(fix_conn, &notices), 0);
	rpz_rrs_release(&d);
	rpz_rrs_release(&a);
}

uint32_t fix_serial(void)
{
	struct rpz_zone_info z;

	cr_assert_eq(rpz_zone_get(fix_conn, ZONE, &z, NULL), 0);
	return z.serial;
}

void fix_setup(const char *secondaries, const char *keys)
{
	struct err_msg err = ERR_MSG_INIT;
	const struct store_module_schema *schemas;
	struct config cfg;
	char path[1024];
	size_t n;
	static const char *const first[] = { "bad.example." ZONE, "*.bad.example." ZONE,
		"deep.under.other.example." ZONE, NULL };

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/rootcut.db", dir);
	cr_assert_eq(store_open(path, NULL, &fix_db, &err), 0, "store_open: %s", err.message);
	fix_conn = store_acquire(fix_db);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(fix_conn, schemas, n, &err), 0, "migrate: %s", err.message);
	config_defaults(&cfg);
	str_copy(cfg.rpz_zones, sizeof(cfg.rpz_zones), "rpz.test");
	cfg.rpz_canary[0] = '\0';
	cfg.rpz_journal_keep = 5;
	rpz_configure(&cfg);
	cr_assert_eq(rpz_zones_sync(fix_conn, &err), 0, "zones: %s", err.message);
	cr_assert_eq(rpz_zone_id(fix_conn, ZONE, &fix_zone_id), 0);
	fix_change(NULL, first);
	cr_assert_eq(dns_acl_parse(secondaries, keys, &fix_acl, &err), 0, "acl: %s", err.message);
	fix_ctx.store = fix_db;
	fix_ctx.acl = fix_acl;
	fix_ctx.cache = dns_index_cache_new();
}

void fix_teardown(void)
{
	dns_index_cache_free(fix_ctx.cache);
	dns_acl_free(fix_acl);
	fix_acl = NULL;
	store_release(fix_conn);
	store_close(fix_db);
	tu_rmdir(dir);
	dir = NULL;
}
