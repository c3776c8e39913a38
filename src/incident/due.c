/*
 * incident/due.c - deadlines that enforce themselves: a warning when a
 * deadline's warning time comes, an escalation when it is missed, each on
 * the incident's timeline, as in-app notifications and in the audit log. A
 * missed review passes to the technical service center, which then reviews
 * directly (seed 003 §3.3(一)). `rootcut serve` runs this on time
 * (scheduler.c); `rootcut incident apply-due` runs it once.
 */
#include "incident/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

struct due_row {
	int64_t id, incident_id;
	enum incident_deadline_kind kind;
	int64_t due_at;
};

static void system_event(struct audit_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->actor = "system";
	ev->source = "scheduler";
	ev->outcome = AUDIT_OK;
}

static int due_rows(struct store_conn *c, const char *sql, const char *now, struct due_row **out,
	size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, sql, "t", now);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		struct due_row *r;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		r->id = store_col_int64(st, 0);
		r->incident_id = store_col_int64(st, 1);
		r->kind = INCIDENT_DL_REPORT;
		for (int k = 1; k <= INCIDENT_DL_CLOSE_REVIEW; k++)
			if (!strcmp(store_col_text(st, 2), incident_deadline_name(k)))
				r->kind = (enum incident_deadline_kind)k;
		r->due_at = incident_time_parse(store_col_text(st, 3));
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

/* Tell whoever must act, and on a miss the service center too (once per agency). */
static int tell(struct store_conn *c, const struct incident_policy *p, const struct incident *i,
	enum incident_deadline_kind kind, bool missed, const char *title)
{
	int64_t owner, center = incident_agency_id(c, p->service_center);
	uint32_t roles;
	const char *what = missed ? "incident.deadline.missed" : "incident.deadline.warning";
	int ret;

	incident_deadline_owner(c, p, i, kind, &owner, &roles);
	ret = incident_notify_agency(c, owner, roles, i->id, what, title);
	if (ret >= 0 && missed && center && center != owner)
		ret = incident_notify_agency(c, center, ROLE_REVIEWER, i->id,
			kind == INCIDENT_DL_REVIEW ? "incident.escalated" : what, title);
	return ret < 0 ? ret : 0;
}

/* One warning or miss, in its own transaction; *did when it was still due. */
static int apply_one(struct store_conn *c, const struct incident_policy *p,
	const struct due_row *r, bool missed, int64_t now, bool *did)
{
	const char *kind = incident_deadline_name(r->kind);
	struct audit_event ev;
	struct incident i;
	char due[32], title[256], idtext[24];
	int ret;

	*did = false;
	memset(&i, 0, sizeof(i));
	incident_time(r->due_at, due);
	system_event(&ev);
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			missed ? "UPDATE incident_deadlines SET missed = 1, warned = 1 WHERE id = ?"
				 " AND missed = 0 AND met_at IS NULL AND cancelled = 0"
			       : "UPDATE incident_deadlines SET warned = 1 WHERE id = ?"
				 " AND warned = 0 AND met_at IS NULL AND cancelled = 0",
			"i", r->id);
	if (ret <= 0)
		goto out; /* an error, or another process got there first */
	ret = incident_get(c, r->incident_id, &i);
	if (!ret && missed)
		ret = incident_event_add(c, i.id, now, 0, "system", "deadline.missed",
			"%s was due %s%s", kind, due,
			r->kind == INCIDENT_DL_REVIEW
				? "; escalated: the technical service center reviews directly (§3.3(一))"
				: "; escalated to the technical service center");
	else if (!ret)
		ret = incident_event_add(c, i.id, now, 0, "system", "deadline.warning",
			"%s is due %s", kind, due);
	if (!ret && missed && r->kind == INCIDENT_DL_REVIEW) {
		ret = store_exec(c, "UPDATE incidents SET review_escalated = 1 WHERE id = ?", "i",
			i.id);
		ret = ret < 0 ? ret : 0;
	}
	snprintf(title, sizeof(title), "資安事件 Incident %lld (%s, level %d): %s %s %s",
		(long long)i.id, i.agency_code, i.level, kind, missed ? "deadline missed" : "due",
		due);
	if (!ret)
		ret = tell(c, p, &i, r->kind, missed, title);
	snprintf(idtext, sizeof(idtext), "%s due %s", kind, due);
	if (!ret)
		ret = incident_audit(c, &ev,
			missed ? "incident.deadline.missed" : "incident.deadline.warning", i.id, idtext);
	if (!ret)
		ret = store_commit(c);
	*did = ret == 0;
out:
	store_rollback(c);
	incident_release(&i);
	return ret < 0 ? ret : 0;
}

static int next_due(struct store_conn *c, const char *now, int64_t *next)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT MIN(t) FROM ("
		" SELECT warn_at AS t FROM incident_deadlines WHERE met_at IS NULL AND cancelled = 0"
		" AND warned = 0 AND warn_at IS NOT NULL AND warn_at > ?"
		" UNION ALL SELECT due_at FROM incident_deadlines WHERE met_at IS NULL"
		" AND cancelled = 0 AND missed = 0 AND due_at > ?) due",
		"tt", now, now);

	*next = 0;
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW && !store_col_null(st, 0))
		*next = incident_time_parse(store_col_text(st, 0));
	store_finish(st);
	return ret == STORE_ROW || ret == STORE_DONE ? 0 : ret;
}

int incident_due_apply(struct store_conn *c, int64_t now, int64_t *next, int *done,
	struct err_msg *err)
{
	struct incident_policy p;
	struct due_row *warn = NULL, *miss = NULL;
	size_t nw = 0, nm = 0;
	char t[32];
	int count = 0;
	bool did;
	int ret;

	incident_policy_current(&p);
	incident_time(now, t);
	/* Misses first: a miss counts as warned, so a deadline long past is not also warned of. */
	ret = due_rows(c,
		"SELECT id, incident_id, kind, due_at FROM incident_deadlines WHERE met_at IS NULL"
		" AND cancelled = 0 AND missed = 0 AND due_at <= ? ORDER BY due_at, id",
		t, &miss, &nm);
	for (size_t k = 0; !ret && k < nm; k++) {
		ret = apply_one(c, &p, &miss[k], true, now, &did);
		count += did;
	}
	if (!ret)
		ret = due_rows(c,
			"SELECT id, incident_id, kind, due_at FROM incident_deadlines WHERE met_at IS NULL"
			" AND cancelled = 0 AND warned = 0 AND missed = 0 AND warn_at IS NOT NULL"
			" AND warn_at <= ? ORDER BY warn_at, id",
			t, &warn, &nw);
	for (size_t k = 0; !ret && k < nw; k++) {
		ret = apply_one(c, &p, &warn[k], false, now, &did);
		count += did;
	}
	if (!ret && next)
		ret = next_due(c, t, next);
	free(warn);
	free(miss);
	if (done)
		*done = count;
	if (ret)
		return err_set(err, ret, "incidents", "cannot apply the incidents' due deadlines");
	return 0;
}
