/*
 * rpz/verify_store.c - the sample `rpz verify` asks a resolver about, and the
 * stored results (rpz_verifications with one row per name asked, linked to
 * the order that seized it).
 */
#include "rpz/verify_store.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "rpz/internal.h"
#include "store/store.h"

/* The ids of the zone's active orders at now, oldest first. */
static int active_orders(struct store_conn *c, const char *zone, const char *now, int64_t **ids,
	size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT id FROM rpz_orders WHERE zone = ? AND state = 'enforced'"
		" AND (starts_at IS NULL OR starts_at <= ?) AND (expires_at IS NULL OR expires_at > ?)"
		" ORDER BY id",
		"ttt", zone, now, now);

	*ids = NULL;
	*n = 0;
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = store_col_int64(st, 0);
	}
	store_finish(st);
	return ret;
}

/* Up to quota published domains of order id into fn. */
static int sample_order(struct store_conn *c, int64_t id, size_t quota, rpz_verify_sample_fn fn,
	void *ctx)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT d.domain FROM rpz_order_domains d WHERE d.order_id = ? AND d.lifted_at IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM rpz_passthru p WHERE p.domain = d.domain)"
		" ORDER BY d.domain LIMIT ?",
		"ii", id, (int64_t)quota);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		ret = fn(ctx, store_col_text(st, 0), id, true);
		if (ret)
			break;
	}
	store_finish(st);
	return ret;
}

int rpz_verify_sample(struct store_conn *c, const char *zone, size_t max, const char *control,
	rpz_verify_sample_fn fn, void *ctx, struct err_msg *err)
{
	struct rpz_zone_info z;
	int64_t *ids = NULL;
	size_t n = 0, quota;
	char now[32];
	int ret = rpz_zone_get(c, zone, &z, err);

	if (ret)
		return ret;
	rpz_time(clock_now(), now);
	ret = active_orders(c, z.name, now, &ids, &n);
	/* Spread over the orders, so one large order does not crowd out the others. */
	quota = n ? (max + n - 1) / n : 0;
	for (size_t i = 0; !ret && i < n && max; i++) {
		size_t q = quota < max ? quota : max;

		ret = sample_order(c, ids[i], q, fn, ctx);
		max -= q;
	}
	free(ids);
	if (ret)
		return ret < 0 && ret != ERR_STORE ? ret :
			err_set(err, ret, "zone", "cannot read the seized domains");
	if (rpz_settings()->canary[0])
		ret = fn(ctx, rpz_settings()->canary, 0, true);
	if (!ret && control && *control)
		ret = fn(ctx, control, 0, false);
	return ret;
}

static int check(const struct rpz_verify_result *r, struct err_msg *err)
{
	if (!r->resolver || !*r->resolver || strlen(r->resolver) > 300)
		return err_set(err, ERR_INVAL, "resolver", "missing or longer than 300 bytes");
	if (r->n > RPZ_VERIFY_MAX_NAMES)
		return err_set(err, ERR_INVAL, "names", "more than %d names",
			(int)RPZ_VERIFY_MAX_NAMES);
	for (size_t i = 0; i < r->n; i++) {
		char field[32];

		snprintf(field, sizeof(field), "names[%zu].name", i);
		if (!r->names[i].name || !*r->names[i].name || strlen(r->names[i].name) > 253)
			return err_set(err, ERR_INVAL, field, "missing or longer than 253 bytes");
	}
	return 0;
}

static int store_name(struct store_conn *c, int64_t id, size_t i, const struct rpz_verify_name *v,
	struct err_msg *err)
{
	static const char sql[] =
		"INSERT INTO rpz_verification_names (verification_id, seq, name, order_id,"
		" expect_blocked, blocked, answer) VALUES (?, ?, ?, ?, ?, ?, ?)";
	const char *answer = v->answer ? v->answer : "";
	char field[40];
	int ret;

	if (v->order_id)
		ret = store_exec(c, sql, "iitibbt", id, (int64_t)i, v->name, v->order_id,
			(int)v->expect_blocked, (int)v->blocked, answer);
	else
		ret = store_exec(c, sql, "iitnbbt", id, (int64_t)i, v->name,
			(int)v->expect_blocked, (int)v->blocked, answer);
	if (ret == ERR_CONFLICT) {
		snprintf(field, sizeof(field), "names[%zu].order_id", i);
		return err_set(err, ERR_NOTFOUND, field, "no order %lld", (long long)v->order_id);
	}
	return ret < 0 ? err_set(err, ret, "names", "cannot store the result") : 0;
}

int rpz_verify_store(struct store_conn *c, const struct rpz_verify_result *r,
	const struct audit_event *ev, int64_t *id_out, struct err_msg *err)
{
	struct rpz_zone_info z;
	struct audit_event e;
	struct store_stmt *st;
	char at[32], idtext[24], detail[160];
	int64_t id = 0, blocked = 0, as_expected = 0;
	int ret = check(r, err);

	if (ret)
		return ret;
	ret = rpz_zone_get(c, r->zone ? r->zone : "", &z, err);
	if (ret)
		return ret;
	for (size_t i = 0; i < r->n; i++) {
		blocked += r->names[i].blocked;
		as_expected += r->names[i].blocked == r->names[i].expect_blocked;
	}
	rpz_time(r->checked_at ? r->checked_at : clock_now(), at);
	ret = store_begin(c);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO rpz_verifications (zone, serial, resolver, checked_at, names, blocked,"
			" as_expected, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"tittiiit", z.name, (int64_t)r->serial, r->resolver, at, (int64_t)r->n, blocked,
			as_expected, ev && ev->actor ? ev->actor : "system");
	if (!ret) {
		ret = store_step(st) == STORE_ROW ? 0 : ERR_STORE;
		if (!ret)
			id = store_col_int64(st, 0);
		store_finish(st);
	}
	if (ret) {
		err_set(err, ret, "resolver", "cannot store the result");
		goto out;
	}
	for (size_t i = 0; !ret && i < r->n; i++)
		ret = store_name(c, id, i, &r->names[i], err);
	if (!ret && ev) {
		e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		snprintf(detail, sizeof(detail), "%s serial %u: %lld of %zu as expected", z.name,
			r->serial, (long long)as_expected, r->n);
		e.object_type = "rpz_verification";
		e.object_id = idtext;
		e.detail = detail;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	if (!ret && id_out)
		*id_out = id;
	if (ret && err && !err->message[0])
		err_set(err, ret, "resolver", "cannot store the result");
out:
	store_rollback(c);
	return ret;
}
