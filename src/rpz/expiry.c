/*
 * rpz/expiry.c - time-driven steps. RPZ has no per-rule expiry: the
 * publisher must remove the rule and raise the serial. Orders whose
 * expires_at has come become "expired" and lose their rules; orders enforced
 * with a later starts_at are published when it comes. The serve process runs
 * this at each due time (scheduler.c); any command may run it too.
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

static void system_event(struct audit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->actor = "system";
	ev->source = "scheduler";
	ev->outcome = AUDIT_OK;
}

/* The ids matching sql (one text parameter: now) into a new array. */
static int due_ids(struct store_conn *c, const char *sql, const char *now, int64_t **ids,
	size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, sql, "t", now);

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

/* One order's due step, in its own transaction; *changed when it was still due. */
static int apply_one(struct store_conn *c, int64_t id, int64_t now, bool expire, bool *changed)
{
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct audit_event ev;
	struct rpz_order o;
	const char *to = expire ? "expired" : "enforced";
	int ret;

	*changed = false;
	system_event(&ev);
	ret = store_begin(c);
	if (!ret)
		ret = rpz_order_get(c, id, &o);
	if (ret || strcmp(o.state, "enforced") ||
		(expire ? !o.expires_at || o.expires_at > now : !o.starts_at || o.starts_at > now))
		goto out; /* another process got there first */
	ret = store_exec(c,
		"UPDATE rpz_orders SET state = ?, published = ? WHERE id = ? AND (? = 1 OR published = 0)",
		"tbib", to, (int)!expire, id, (int)expire);
	if (ret <= 0)
		goto out; /* error, or published already */
	ret = 0;
	if (!ret)
		ret = rpz_order_apply(c, &o, now, expire ? "order expired" : "order started",
			&notices);
	if (!ret)
		ret = rpz_order_event_add(c, &o, &ev, expire ? "expire" : "publish", to,
			expire ? "expires_at reached" : "starts_at reached");
	if (!ret)
		ret = rpz_order_audit(c, &ev, expire ? "order.expire" : "order.publish", id,
			expire ? "expires_at reached" : "starts_at reached");
	if (!ret)
		ret = rpz_commit(c, &notices);
	*changed = ret == 0;
out:
	store_rollback(c);
	return ret;
}

static int next_due(struct store_conn *c, const char *now, int64_t *next)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT MIN(t) FROM ("
		" SELECT expires_at AS t FROM rpz_orders WHERE state = 'enforced'"
		" AND expires_at IS NOT NULL AND expires_at > ?"
		" UNION ALL SELECT starts_at FROM rpz_orders WHERE state = 'enforced' AND published = 0"
		" AND starts_at IS NOT NULL AND starts_at > ?) due",
		"tt", now, now);

	*next = 0;
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW && !store_col_null(st, 0))
		*next = rpz_time_parse(store_col_text(st, 0));
	store_finish(st);
	return ret == STORE_ROW || ret == STORE_DONE ? 0 : ret;
}

int rpz_due_apply(struct store_conn *c, int64_t now, int64_t *next, int *applied,
	struct err_msg *err)
{
	int64_t *expiring = NULL, *starting = NULL;
	size_t ne = 0, ns = 0;
	char t[32];
	int count = 0;
	bool changed;
	int ret;

	rpz_time(now, t);
	ret = due_ids(c,
		"SELECT id FROM rpz_orders WHERE state = 'enforced' AND expires_at IS NOT NULL"
		" AND expires_at <= ? ORDER BY id",
		t, &expiring, &ne);
	if (!ret)
		ret = due_ids(c,
			"SELECT id FROM rpz_orders WHERE state = 'enforced' AND published = 0"
			" AND starts_at <= ? ORDER BY id",
			t, &starting, &ns);
	for (size_t i = 0; !ret && i < ne; i++) {
		ret = apply_one(c, expiring[i], now, true, &changed);
		count += changed;
	}
	for (size_t i = 0; !ret && i < ns; i++) {
		ret = apply_one(c, starting[i], now, false, &changed);
		count += changed;
	}
	if (!ret && next)
		ret = next_due(c, t, next);
	free(expiring);
	free(starting);
	if (applied)
		*applied = count;
	if (ret)
		return err_set(err, ret, "orders", "cannot apply the orders' due starts and expiries");
	return 0;
}
