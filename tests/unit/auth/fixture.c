/*
 * tests/unit/auth/fixture.c - the shared set-up of the auth tests (fixture.h).
 */
#include "fixture.h"

#include <criterion/criterion.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/internal.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "store/store.h"
#include "testutil.h"

struct store *fix_db;
struct store_conn *fix_c;
int64_t fix_agency;
static char *dir;

void fix_setup(void)
{
	static const uint8_t key[32] = { 1, 2, 3 };
	struct err_msg err = ERR_MSG_INIT;
	const struct store_module_schema *schemas;
	char path[1024];
	size_t n;

	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/rootcut.db", dir);
	cr_assert_eq(store_open(path, NULL, &fix_db, &err), 0, "store_open: %s", err.message);
	fix_c = store_acquire(fix_db);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(fix_c, schemas, n, &err), 0, "migrate: %s", err.message);
	audit_set_key(key);
	clock_set_fake_ms((int64_t)FIX_T0 * 1000);
	/* argon2's smallest cost keeps each hash well under a millisecond. */
	auth_settings.argon2_t_cost = 1;
	auth_settings.argon2_m_kib = 8;
	fix_agency = fix_agency_new("臺北地方檢察署", "TPC");
}

void fix_teardown(void)
{
	store_release(fix_c);
	fix_c = NULL;
	store_close(fix_db);
	fix_db = NULL;
	tu_rmdir(dir);
	dir = NULL;
}

int64_t fix_agency_new(const char *name, const char *code)
{
	struct agency a = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	str_copy(a.name, sizeof(a.name), name);
	str_copy(a.code, sizeof(a.code), code);
	a.kind = AGENCY_POLICE;
	ret = agency_create(fix_c, &a, NULL, &err);
	cr_assert_eq(ret, 0, "agency '%s' (%s): %s", name, code, err.message);
	return a.id;
}

int64_t fix_user_new(const char *username, int64_t agency, uint32_t roles, const char *password)
{
	struct auth_user u = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	str_copy(u.username, sizeof(u.username), username);
	u.agency_id = agency;
	u.roles = roles;
	ret = auth_user_create(fix_c, &u, password, NULL, &err);
	cr_assert_eq(ret, 0, "user '%s': %s", username, err.message);
	return u.id;
}

int64_t fix_audit_count(const char *action)
{
	int64_t n = -1;
	int ret = store_query_int64(fix_c, &n, "SELECT COUNT(*) FROM audit_events WHERE action = ?",
		"t", action);

	cr_assert_eq(ret, 0, "count audit events '%s'", action);
	return n;
}

void fix_audit_intact(void)
{
	struct audit_verify_result res;
	int ret = audit_verify(fix_c, &res, NULL);

	cr_assert_eq(ret, 0, "audit chain broken at seq %lld: %s", (long long)res.bad_seq,
		res.reason);
}
