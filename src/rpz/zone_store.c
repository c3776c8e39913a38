/*
 * rpz/zone_store.c - reading the RPZ zones as stored (the contract of
 * zone_store.h): zones with their SOA values, their records, and the journal
 * from a serial on; and the one change listener, called after each commit.
 */
#include "rpz/zone_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "rpz/internal.h"
#include "store/store.h"

#define ZONE_COLS                                                                                  \
	"SELECT z.id, z.name, z.version, z.mname, z.rname, z.refresh, z.retry, z.expire,"         \
	" z.minimum, z.ttl, z.changed_at,"                                                         \
	" z.records FROM rpz_zones z"

static void zone_row(struct store_stmt *st, struct rpz_zone_info *z)
{
	memset(z, 0, sizeof(*z));
	z->id = store_col_int64(st, 0);
	str_copy(z->name, sizeof(z->name), store_col_text(st, 1));
	z->serial = rpz_serial_of(store_col_int64(st, 2));
	str_copy(z->mname, sizeof(z->mname), store_col_text(st, 3));
	str_copy(z->rname, sizeof(z->rname), store_col_text(st, 4));
	z->refresh = (uint32_t)store_col_int64(st, 5);
	z->retry = (uint32_t)store_col_int64(st, 6);
	z->expire = (uint32_t)store_col_int64(st, 7);
	z->minimum = (uint32_t)store_col_int64(st, 8);
	z->ttl = (uint32_t)store_col_int64(st, 9);
	z->changed_at = rpz_time_parse(store_col_text(st, 10));
	z->records = (size_t)store_col_int64(st, 11);
}

int rpz_zone_list(struct store_conn *c, struct rpz_zone_info **out, size_t *n,
	struct err_msg *err)
{
	struct rpz_zone_info *v = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = store_query(c, &st, ZONE_COLS " ORDER BY z.name", "");
	if (ret)
		return err_set(err, ret, "zone", "cannot read the zones");
	while ((ret = store_step(st)) == STORE_ROW) {
		v = xreallocarray(v, count + 1, sizeof(*v));
		zone_row(st, &v[count++]);
	}
	store_finish(st);
	if (ret) {
		free(v);
		return err_set(err, ret, "zone", "cannot read the zones");
	}
	*out = v;
	*n = count;
	return 0;
}

int rpz_zone_get(struct store_conn *c, const char *name, struct rpz_zone_info *out,
	struct err_msg *err)
{
	char abs[RPZ_NAME_MAX];
	struct store_stmt *st;
	int ret;

	if (rpz_absolute(name, abs, sizeof(abs)))
		return err_set(err, ERR_NOTFOUND, "zone", "no zone '%s'", name);
	ret = store_query(c, &st, ZONE_COLS " WHERE z.name = ?", "t", abs);
	if (ret)
		return err_set(err, ret, "zone", "cannot read zone '%s'", abs);
	ret = store_step(st);
	if (ret == STORE_ROW)
		zone_row(st, out);
	store_finish(st);
	if (ret == STORE_DONE)
		return err_set(err, ERR_NOTFOUND, "zone", "no zone '%s'", abs);
	return ret == STORE_ROW ? 0 : err_set(err, ret, "zone", "cannot read zone '%s'", abs);
}

int rpz_zone_id(struct store_conn *c, const char *name, int64_t *id)
{
	char abs[RPZ_NAME_MAX];

	if (rpz_absolute(name, abs, sizeof(abs)))
		return ERR_NOTFOUND;
	return store_query_int64(c, id, "SELECT id FROM rpz_zones WHERE name = ?", "t", abs);
}

int rpz_zone_each_rr(struct store_conn *c, int64_t zone_id, rpz_rr_fn fn, void *ctx,
	struct err_msg *err)
{
	struct store_stmt *st;
	struct rpz_rr rr;
	int ret;

	ret = store_query(c, &st,
		"SELECT owner, type, ttl, rdata FROM rpz_records WHERE zone_id = ?"
		" ORDER BY owner, type, rdata",
		"i", zone_id);
	if (ret)
		return err_set(err, ret, "zone", "cannot read the records");
	while ((ret = store_step(st)) == STORE_ROW) {
		rr.owner = store_col_text(st, 0);
		rr.type = (uint16_t)store_col_int64(st, 1);
		rr.ttl = (uint32_t)store_col_int64(st, 2);
		rr.rdata = store_col_text(st, 3);
		ret = fn(ctx, &rr);
		if (ret)
			break;
	}
	store_finish(st);
	if (ret < 0 && ret != ERR_STORE)
		return ret; /* fn's own code */
	return ret ? err_set(err, ret, "zone", "cannot read the records") : 0;
}

static int zone_versions(struct store_conn *c, int64_t zone_id, int64_t *version, int64_t *floor)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT version, journal_floor FROM rpz_zones WHERE id = ?",
		"i", zone_id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*version = store_col_int64(st, 0);
		*floor = store_col_int64(st, 1);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int rpz_zone_each_change(struct store_conn *c, int64_t zone_id, uint32_t from,
	rpz_change_fn fn, void *ctx, struct err_msg *err)
{
	int64_t version, floor, start;
	struct store_stmt *st;
	struct rpz_rr rr;
	int ret;

	ret = zone_versions(c, zone_id, &version, &floor);
	if (ret)
		return err_set(err, ret, "zone", "no zone %lld", (long long)zone_id);
	if (rpz_serial_version(version, from, &start) || start < floor)
		return err_set(err, ERR_NOTFOUND, "serial",
			"the journal does not reach back to serial %u", from);
	if (start == version)
		return 0;
	ret = store_query(c, &st,
		"SELECT version, op, owner, type, ttl, rdata FROM rpz_journal"
		" WHERE zone_id = ? AND version > ? AND version <= ? ORDER BY version, op, seq",
		"iii", zone_id, start, version);
	if (ret)
		return err_set(err, ret, "zone", "cannot read the journal");
	while ((ret = store_step(st)) == STORE_ROW) {
		rr.owner = store_col_text(st, 2);
		rr.type = (uint16_t)store_col_int64(st, 3);
		rr.ttl = (uint32_t)store_col_int64(st, 4);
		rr.rdata = store_col_text(st, 5);
		ret = fn(ctx, rpz_serial_of(store_col_int64(st, 0)), store_col_int64(st, 1) != 0,
			&rr);
		if (ret)
			break;
	}
	store_finish(st);
	if (ret < 0 && ret != ERR_STORE)
		return ret;
	return ret ? err_set(err, ret, "zone", "cannot read the journal") : 0;
}

/* ---- the listener ---- */

static pthread_mutex_t listener_lock = PTHREAD_MUTEX_INITIALIZER;
static rpz_change_listener listener_fn;
static void *listener_ctx;

void rpz_zone_set_listener(rpz_change_listener fn, void *ctx)
{
	pthread_mutex_lock(&listener_lock);
	listener_fn = fn;
	listener_ctx = ctx;
	pthread_mutex_unlock(&listener_lock);
}

int rpz_commit(struct store_conn *c, const struct rpz_notices *notices)
{
	rpz_change_listener fn;
	void *ctx;
	int ret = store_commit(c);

	if (ret || !notices || !notices->n)
		return ret;
	rpz_highwater_save(c);
	pthread_mutex_lock(&listener_lock);
	fn = listener_fn;
	ctx = listener_ctx;
	pthread_mutex_unlock(&listener_lock);
	for (size_t i = 0; fn && i < notices->n; i++)
		fn(ctx, notices->item[i].zone, notices->item[i].serial);
	return 0;
}
