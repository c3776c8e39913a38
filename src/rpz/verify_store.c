/*
 * rpz/verify_store.c - the sample `rpz verify` asks a resolver about, and the
 * stored results (rpz_verifications with one row per name asked, linked to
 * the order that seized it).
 */
#include "rpz/verify_store.h"

#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "rpz/internal.h"
#include "store/store.h"

int rpz_verify_sample(struct store_conn *c, const char *zone, size_t max, const char *control,
	rpz_verify_sample_fn fn, void *ctx, struct err_msg *err)
{
	struct rpz_zone_info z;
	struct store_stmt *st;
	char now[32];
	size_t n = 0;
	int ret = rpz_zone_get(c, zone, &z, err);

	if (ret)
		return ret;
	rpz_time(clock_now(), now);
	/*
	 * Published domains, spread over the orders: the k-th domain of every
	 * order before the (k+1)-th of any, so one large order does not crowd
	 * out the others.
	 */
	ret = store_query(c, &st,
		"SELECT d.domain, d.order_id FROM rpz_order_domains d"
		" JOIN rpz_orders o ON o.id = d.order_id"
		" WHERE o.zone = ? AND o.state = 'enforced' AND d.lifted_at IS NULL"
		" AND (o.starts_at IS NULL OR o.starts_at <= ?)"
		" AND (o.expires_at IS NULL OR o.expires_at > ?)"
		" AND NOT EXISTS (SELECT 1 FROM rpz_passthru p WHERE p.domain = d.domain)"
		" ORDER BY (SELECT COUNT(*) FROM rpz_order_domains e WHERE e.order_id = d.order_id"
		" AND e.domain < d.domain), d.order_id LIMIT ?",
		"ttti", z.name, now, now, (int64_t)max);
	if (ret)
		return err_set(err, ret, "zone", "cannot read the seized domains");
	while ((ret = store_step(st)) == STORE_ROW) {
		ret = fn(ctx, store_col_text(st, 0), store_col_int64(st, 1), true);
		n++;
		if (ret)
			break;
	}
	store_finish(st);
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
			"titiiiit", z.name, (int64_t)r->serial, r->resolver, at, (int64_t)r->n, blocked,
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
