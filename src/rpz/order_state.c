/*
 * rpz/order_state.c - the steps of an order's lifecycle (the diagram is in
 * rpz.h): each one transaction that checks the state it starts from, moves
 * the order, brings its rules up to date when what is enforced changed,
 * appends the step to the order's history and the audit log, and commits
 * before the listener hears of the new serial.
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "store/store.h"

int rpz_order_apply(struct store_conn *c, const struct rpz_order *o, int64_t now,
	const char *reason, struct rpz_notices *notices)
{
	struct rpz_rrs names = RPZ_RRS_INIT;
	const char **list = NULL;
	struct store_stmt *st;
	int64_t zone_id;
	int ret = rpz_zone_id(c, o->zone, &zone_id);

	if (ret)
		return ret;
	ret = store_query(c, &st, "SELECT domain FROM rpz_order_domains WHERE order_id = ?", "i",
		o->id);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW)
		rpz_rrs_add(&names, store_col_text(st, 0), 0, 0, "");
	store_finish(st);
	if (!ret && names.n) {
		list = xcalloc(names.n, sizeof(*list));
		for (size_t i = 0; i < names.n; i++)
			list[i] = names.v[i].owner;
		ret = rpz_rules_apply(c, zone_id, list, names.n, now, reason, notices);
	}
	free(list);
	rpz_rrs_release(&names);
	return ret;
}

struct step {
	const char *action;       /* history and audit: "file" → "order.file" */
	const char *const *from;  /* states it may start from, NULL-terminated */
	const char *to;
	const char *detail;
};

static bool state_in(const char *state, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(state, *list) == 0)
			return true;
	return false;
}

/* Begin, load and check the order's state; on success the transaction stays open. */
static int begin_step(struct store_conn *c, int64_t id, const struct step *s, struct rpz_order *o,
	struct err_msg *err)
{
	int ret = store_begin(c);

	if (ret)
		return err_set(err, ret, "order", "cannot start a transaction");
	ret = rpz_order_get(c, id, o);
	if (ret)
		return err_set(err, ret, "order", "no order %lld", (long long)id);
	if (!state_in(o->state, s->from))
		return err_set(err, ERR_CONFLICT, "state", "order %lld is %s; cannot %s it",
			(long long)id, o->state, s->action);
	return 0;
}

/* Move o to s->to, record the step, commit and tell the listener. */
static int end_step(struct store_conn *c, struct rpz_order *o, const struct step *s,
	const struct audit_event *ev, const struct rpz_notices *notices, struct err_msg *err)
{
	char now[32], action[40];
	int ret;

	rpz_time(clock_now(), now);
	ret = store_exec(c, "UPDATE rpz_orders SET state = ?, updated_at = ? WHERE id = ?", "tti",
		s->to, now, o->id);
	if (ret >= 0)
		ret = rpz_order_event_add(c, o, ev, s->action, s->to, s->detail);
	snprintf(action, sizeof(action), "order.%s", s->action);
	if (!ret)
		ret = rpz_order_audit(c, ev, action, o->id, s->detail);
	if (!ret)
		ret = rpz_commit(c, notices);
	if (ret)
		return err_set(err, ret, "order", "cannot %s order %lld", s->action,
			(long long)o->id);
	str_copy(o->state, sizeof(o->state), s->to);
	return 0;
}

int rpz_order_file(struct store_conn *c, int64_t id, const struct audit_event *ev,
	struct err_msg *err)
{
	static const char *const from[] = { "draft", NULL };
	struct step s = { "file", from, "filed", "" };
	struct rpz_order o;
	int ret = begin_step(c, id, &s, &o, err);

	if (!ret && o.domains == 0)
		ret = err_set(err, ERR_INVAL, "domains", "order %lld names no domain",
			(long long)id);
	if (!ret)
		ret = end_step(c, &o, &s, ev, NULL, err);
	store_rollback(c);
	return ret;
}

/* A date as people write it into YYYY-MM-DD (the day in Asia/Taipei). */
static int ruling_date(const char *s, char out[16], struct err_msg *err)
{
	struct tm tm;
	int64_t t;
	time_t tt;

	if (!s || !*s || rocdate_parse(s, &t))
		return err_set(err, ERR_INVAL, "order_date", "'%s' is not a date", s ? s : "");
	tt = (time_t)(t + 8 * 3600);
	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
	return 0;
}

int rpz_order_grant(struct store_conn *c, int64_t id, const char *court,
	const char *order_number, const char *order_date, const struct audit_event *ev,
	struct err_msg *err)
{
	static const char *const from[] = { "filed", NULL };
	char date[16], detail[RPZ_COURT_MAX * 2 + 32];
	struct step s = { "grant", from, "granted", detail };
	struct rpz_order o;
	int ret;

	if (!order_number || !*order_number || strlen(order_number) >= RPZ_COURT_MAX)
		return err_set(err, ERR_INVAL, "order_number", "the ruling's number (1 to %d bytes)",
			RPZ_COURT_MAX - 1);
	if (court && strlen(court) >= RPZ_COURT_MAX)
		return err_set(err, ERR_INVAL, "court", "longer than %d bytes", RPZ_COURT_MAX - 1);
	ret = ruling_date(order_date, date, err);
	if (ret)
		return ret;
	ret = begin_step(c, id, &s, &o, err);
	if (!ret && court && *court)
		str_copy(o.court, sizeof(o.court), court);
	if (!ret && !o.court[0])
		ret = err_set(err, ERR_INVAL, "court", "the court that granted the order is required");
	if (!ret) {
		snprintf(detail, sizeof(detail), "%s %s %s", o.court, order_number, date);
		ret = store_exec(c,
			"UPDATE rpz_orders SET court = ?, order_number = ?, order_date = ? WHERE id = ?",
			"ttti", o.court, order_number, date, id) < 0 ? ERR_STORE : 0;
	}
	if (!ret)
		ret = end_step(c, &o, &s, ev, NULL, err);
	store_rollback(c);
	return ret;
}

int rpz_order_enforce(struct store_conn *c, int64_t id, const struct audit_event *ev,
	struct err_msg *err)
{
	static const char *const from[] = { "granted", NULL };
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct step s = { "enforce", from, "enforced", "" };
	int64_t now = clock_now();
	struct rpz_order o;
	bool started;
	int ret = begin_step(c, id, &s, &o, err);

	if (!ret && o.expires_at && o.expires_at <= now)
		ret = err_set(err, ERR_CONFLICT, "expires_at", "order %lld has already expired",
			(long long)id);
	started = !o.starts_at || o.starts_at <= now;
	s.detail = started ? "published" : "published at starts_at";
	if (!ret) {
		str_copy(o.state, sizeof(o.state), "enforced"); /* what the rules read */
		ret = store_exec(c, "UPDATE rpz_orders SET state = 'enforced', published = ? WHERE id = ?",
			"bi", (int)started, id) < 0 ? ERR_STORE : 0;
		if (!ret && started)
			ret = rpz_order_apply(c, &o, now, "order enforced", &notices);
		str_copy(o.state, sizeof(o.state), "granted");
		if (ret)
			err_set(err, ret, "order", "cannot publish order %lld", (long long)id);
	}
	if (!ret)
		ret = end_step(c, &o, &s, ev, &notices, err);
	store_rollback(c);
	if (!ret && !started)
		rpz_scheduler_poke();
	return ret;
}

int rpz_order_lift(struct store_conn *c, int64_t id, const char *reason,
	const struct audit_event *ev, struct err_msg *err)
{
	static const char *const from[] = { "granted", "enforced", NULL };
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct step s = { "lift", from, "lifted", reason };
	struct rpz_order o;
	int ret;

	if (!reason || !*reason || strlen(reason) >= RPZ_NOTE_MAX)
		return err_set(err, ERR_INVAL, "reason", "a reason of 1 to %d bytes is required",
			RPZ_NOTE_MAX - 1);
	ret = begin_step(c, id, &s, &o, err);
	if (!ret) {
		ret = store_exec(c, "UPDATE rpz_orders SET state = 'lifted', published = 0 WHERE id = ?",
			"i", id) < 0 ? ERR_STORE : 0;
		if (!ret)
			ret = rpz_order_apply(c, &o, clock_now(), "order lifted", &notices);
		if (ret)
			err_set(err, ret, "order", "cannot withdraw the rules of order %lld",
				(long long)id);
	}
	if (!ret)
		ret = end_step(c, &o, &s, ev, &notices, err);
	store_rollback(c);
	return ret;
}
