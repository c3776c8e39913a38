/*
 * rpz/order_read.c - reading orders: one with its counts, a list filtered
 * by need-to-know, an order's domains, and its history.
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

#define ORDER_COLS                                                                                 \
	"SELECT o.id, o.agency_id, o.case_id, o.zone, o.court, o.order_number, o.order_date,"     \
	" o.action, o.redirect, o.subdomains, o.starts_at, o.expires_at, o.state, o.note,"        \
	" o.created_by, o.created_at, o.updated_at,"                                               \
	" (SELECT COUNT(*) FROM rpz_order_domains d WHERE d.order_id = o.id),"                     \
	" (SELECT COUNT(*) FROM rpz_order_domains d WHERE d.order_id = o.id"                       \
	" AND d.lifted_at IS NOT NULL) FROM rpz_orders o"

static void order_row(struct store_stmt *st, struct rpz_order *o)
{
	memset(o, 0, sizeof(*o));
	o->id = store_col_int64(st, 0);
	o->agency_id = store_col_int64(st, 1);
	o->case_id = store_col_int64(st, 2);
	str_copy(o->zone, sizeof(o->zone), store_col_text(st, 3));
	str_copy(o->court, sizeof(o->court), store_col_text(st, 4));
	str_copy(o->order_number, sizeof(o->order_number), store_col_text(st, 5));
	str_copy(o->order_date, sizeof(o->order_date), store_col_text(st, 6));
	str_copy(o->action, sizeof(o->action), store_col_text(st, 7));
	str_copy(o->redirect, sizeof(o->redirect), store_col_text(st, 8));
	o->subdomains = store_col_int64(st, 9) != 0;
	o->starts_at = rpz_time_parse(store_col_text(st, 10));
	o->expires_at = rpz_time_parse(store_col_text(st, 11));
	str_copy(o->state, sizeof(o->state), store_col_text(st, 12));
	str_copy(o->note, sizeof(o->note), store_col_text(st, 13));
	o->created_by = store_col_int64(st, 14);
	str_copy(o->created_at, sizeof(o->created_at), store_col_text(st, 15));
	str_copy(o->updated_at, sizeof(o->updated_at), store_col_text(st, 16));
	o->domains = store_col_int64(st, 17);
	o->lifted = store_col_int64(st, 18);
}

int rpz_order_get(struct store_conn *c, int64_t id, struct rpz_order *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, ORDER_COLS " WHERE o.id = ?", "i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		order_row(st, out);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

int rpz_order_list(struct store_conn *c, bool all, int64_t agency_id, int64_t user_id,
	const char *state, size_t limit, struct rpz_order **out, size_t *n)
{
	struct rpz_order *v = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = store_query(c, &st,
		ORDER_COLS " WHERE (? = 1 OR o.agency_id = ? OR o.created_by = ?"
			   " OR o.case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))"
			   " AND (? = '' OR o.state = ?) ORDER BY o.id DESC LIMIT ?",
		"biiitti", (int)all, agency_id, user_id, user_id, state ? state : "",
		state ? state : "", (int64_t)limit);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		v = xreallocarray(v, count + 1, sizeof(*v));
		order_row(st, &v[count++]);
	}
	store_finish(st);
	if (ret) {
		free(v);
		return ret;
	}
	*out = v;
	*n = count;
	return 0;
}

int rpz_order_domains(struct store_conn *c, int64_t id, size_t offset, size_t limit,
	struct rpz_order_domain **out, size_t *n)
{
	struct rpz_order_domain *v = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = store_query(c, &st,
		"SELECT d.domain, i.display, d.raw, d.identifier_id, d.lifted_at, d.lifted_by,"
		" d.lift_reason FROM rpz_order_domains d JOIN identifiers i ON i.id = d.identifier_id"
		" WHERE d.order_id = ? ORDER BY d.domain LIMIT ? OFFSET ?",
		"iii", id, (int64_t)limit, (int64_t)offset);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		struct rpz_order_domain *d;

		v = xreallocarray(v, count + 1, sizeof(*v));
		d = &v[count++];
		str_copy(d->domain, sizeof(d->domain), store_col_text(st, 0));
		str_copy(d->unicode, sizeof(d->unicode), store_col_text(st, 1));
		str_copy(d->raw, sizeof(d->raw), store_col_text(st, 2));
		d->identifier_id = store_col_int64(st, 3);
		str_copy(d->lifted_at, sizeof(d->lifted_at), store_col_text(st, 4));
		str_copy(d->lifted_by, sizeof(d->lifted_by), store_col_text(st, 5));
		str_copy(d->lift_reason, sizeof(d->lift_reason), store_col_text(st, 6));
	}
	store_finish(st);
	if (ret) {
		free(v);
		return ret;
	}
	*out = v;
	*n = count;
	return 0;
}

int rpz_order_events(struct store_conn *c, int64_t id, struct rpz_order_event **out, size_t *n)
{
	struct rpz_order_event *v = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret;

	*out = NULL;
	*n = 0;
	ret = store_query(c, &st,
		"SELECT id, at, actor, action, from_state, to_state, detail FROM rpz_order_events"
		" WHERE order_id = ? ORDER BY id",
		"i", id);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		struct rpz_order_event *e;

		v = xreallocarray(v, count + 1, sizeof(*v));
		e = &v[count++];
		e->id = store_col_int64(st, 0);
		str_copy(e->at, sizeof(e->at), store_col_text(st, 1));
		str_copy(e->actor, sizeof(e->actor), store_col_text(st, 2));
		str_copy(e->action, sizeof(e->action), store_col_text(st, 3));
		str_copy(e->from_state, sizeof(e->from_state), store_col_text(st, 4));
		str_copy(e->to_state, sizeof(e->to_state), store_col_text(st, 5));
		str_copy(e->detail, sizeof(e->detail), store_col_text(st, 6));
	}
	store_finish(st);
	if (ret) {
		free(v);
		return ret;
	}
	*out = v;
	*n = count;
	return 0;
}
