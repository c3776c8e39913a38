/*
 * rpz/zone_write.c - the one way a zone changes: records, serial, journal
 * and history together, inside the caller's write transaction.
 *
 * Invariants (checked by tests/unit/rpz/test_zone_write.c):
 *  1. rpz_records is the zone at rpz_zones.version; the serial is
 *     rpz_serial_of(version).
 *  2. Every version after journal_floor has its whole change in rpz_journal
 *     (deletions op 0, additions op 1), so replaying versions floor+1 …
 *     version over the records at floor gives rpz_records.
 *  3. version - journal_floor <= rpz_journal_keep after every change.
 *  4. rpz_history has one row per version above 1, kept for good.
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

void rpz_rrs_add(struct rpz_rrs *l, const char *owner, uint16_t type, uint32_t ttl,
	const char *rdata)
{
	struct rpz_rr_buf *r;

	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 16;
		l->v = xreallocarray(l->v, l->alloc, sizeof(*l->v));
	}
	r = &l->v[l->n++];
	str_copy(r->owner, sizeof(r->owner), owner);
	r->type = type;
	r->ttl = ttl;
	str_copy(r->rdata, sizeof(r->rdata), rdata);
}

void rpz_rrs_release(struct rpz_rrs *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

static void notice(struct rpz_notices *notices, const char *zone, uint32_t serial)
{
	size_t i;

	if (!notices)
		return;
	for (i = 0; i < notices->n; i++)
		if (strcmp(notices->item[i].zone, zone) == 0)
			break;
	if (i == notices->n) {
		if (notices->n == RPZ_MAX_ZONES)
			return;
		notices->n++;
		str_copy(notices->item[i].zone, sizeof(notices->item[i].zone), zone);
	}
	notices->item[i].serial = serial;
}

static int apply_one(struct store_conn *c, int64_t zone_id, int64_t version, int64_t seq,
	bool add, const struct rpz_rr_buf *r)
{
	int ret;

	if (add)
		ret = store_exec(c,
			"INSERT INTO rpz_records (zone_id, owner, type, rdata, ttl) VALUES (?, ?, ?, ?, ?)",
			"ititi", zone_id, r->owner, (int64_t)r->type, r->rdata, (int64_t)r->ttl);
	else
		ret = store_exec(c,
			"DELETE FROM rpz_records WHERE zone_id = ? AND owner = ? AND type = ? AND rdata = ?",
			"itit", zone_id, r->owner, (int64_t)r->type, r->rdata);
	if (ret == ERR_CONFLICT || ret == 0)
		return ERR_INTERNAL; /* the difference was computed from another state */
	if (ret < 0)
		return ret;
	return store_exec(c,
		"INSERT INTO rpz_journal (zone_id, version, seq, op, owner, type, rdata, ttl)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"iiiititi", zone_id, version, seq, (int64_t)add, r->owner, (int64_t)r->type,
		r->rdata, (int64_t)r->ttl) < 0 ? ERR_STORE : 0;
}

static int read_zone(struct store_conn *c, int64_t zone_id, int64_t *version, int64_t *floor,
	char name[RPZ_NAME_MAX])
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT version, journal_floor, name FROM rpz_zones WHERE id = ?", "i", zone_id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*version = store_col_int64(st, 0);
		*floor = store_col_int64(st, 1);
		str_copy(name, RPZ_NAME_MAX, store_col_text(st, 2));
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

/* Keep the journal of the last journal_keep versions; older secondaries get AXFR. */
static int trim_journal(struct store_conn *c, int64_t zone_id, int64_t version, int64_t floor)
{
	int64_t keep = rpz_settings()->journal_keep;
	int ret;

	if (keep < 1)
		keep = 1;
	if (version - floor <= keep)
		return 0;
	ret = store_exec(c, "DELETE FROM rpz_journal WHERE zone_id = ? AND version <= ?", "ii",
		zone_id, version - keep);
	if (ret < 0)
		return ret;
	ret = store_exec(c, "UPDATE rpz_zones SET journal_floor = ? WHERE id = ?", "ii",
		version - keep, zone_id);
	return ret < 0 ? ret : 0;
}

int rpz_zone_write(struct store_conn *c, int64_t zone_id, const struct rpz_rrs *dels,
	const struct rpz_rrs *adds, bool force, const char *reason, struct rpz_notices *notices)
{
	size_t ndel = dels ? dels->n : 0, nadd = adds ? adds->n : 0;
	char name[RPZ_NAME_MAX], now[32];
	int64_t version, floor, seq = 0;
	int ret;

	if (!ndel && !nadd && !force)
		return 0;
	ret = read_zone(c, zone_id, &version, &floor, name);
	if (ret)
		return ret;
	version++;
	for (size_t i = 0; !ret && i < ndel; i++)
		ret = apply_one(c, zone_id, version, seq++, false, &dels->v[i]);
	for (size_t i = 0; !ret && i < nadd; i++)
		ret = apply_one(c, zone_id, version, seq++, true, &adds->v[i]);
	if (ret)
		return ret;
	rpz_time(clock_now(), now);
	ret = store_exec(c,
		"UPDATE rpz_zones SET version = ?, changed_at = ?, records = records + ? WHERE id = ?",
		"itii", version, now, (int64_t)nadd - (int64_t)ndel, zone_id);
	if (ret >= 0)
		ret = store_exec(c,
			"INSERT INTO rpz_history (zone_id, version, serial, added, deleted, reason,"
			" changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			"iiiiitt", zone_id, version, (int64_t)rpz_serial_of(version), (int64_t)nadd,
			(int64_t)ndel, reason ? reason : "", now);
	if (ret < 0)
		return ret;
	ret = trim_journal(c, zone_id, version, floor);
	if (!ret)
		notice(notices, name, rpz_serial_of(version));
	return ret;
}
