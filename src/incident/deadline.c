/*
 * incident/deadline.c - deadlines: computed from the policy when the step
 * that starts them happens (pure: incident_deadline_due), stored one row
 * each, met by the step they wait for, moved when the service center changes
 * the level, and warned of and escalated by due.c.
 *
 * Invariants:
 *  1. An incident has at most one open deadline of each kind (met_at NULL,
 *     cancelled 0); opening one cancels the previous.
 *  2. due_at = started_at + the policy's span for (kind, level), so a level
 *     change recomputes it from started_at, never from the change.
 *  3. warned and missed are set once each, by the scheduler, in the same
 *     transaction as the timeline entry and the notification.
 */
#include "incident/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "store/store.h"

static const char *const kind_names[] = { NULL, "report", "review", "rereview", "dispatch",
	"close_report", "close_review" };

const char *incident_deadline_name(enum incident_deadline_kind k)
{
	return k >= 1 && k <= INCIDENT_DL_CLOSE_REVIEW ? kind_names[k] : "unknown";
}

static int kind_parse(const char *s)
{
	for (int k = 1; k <= INCIDENT_DL_CLOSE_REVIEW; k++)
		if (!strcmp(kind_names[k], s))
			return k;
	return 0;
}

static const struct incident_duration *span(const struct incident_policy *p,
	enum incident_deadline_kind kind, int level)
{
	const struct incident_level_policy *l = &p->level[level];

	switch (kind) {
	case INCIDENT_DL_REPORT:
		return &p->report_within;
	case INCIDENT_DL_REVIEW:
		return &l->review;
	case INCIDENT_DL_REREVIEW:
		return &l->rereview;
	case INCIDENT_DL_DISPATCH:
		return &l->dispatch;
	case INCIDENT_DL_CLOSE_REPORT:
		return &l->close_report;
	case INCIDENT_DL_CLOSE_REVIEW:
		return &l->close_review;
	}
	return NULL;
}

int64_t incident_deadline_due(const struct incident_policy *p, enum incident_deadline_kind kind,
	int level, int64_t start)
{
	const struct incident_duration *d;

	if (level < 1 || level > INCIDENT_LEVELS)
		return 0;
	d = span(p, kind, level);
	return d ? incident_duration_add(start, d) : 0;
}

int64_t incident_deadline_warn(const struct incident_policy *p, int64_t start, int64_t due)
{
	int64_t lead = incident_duration_add(due, &p->warn_before) - due;
	int64_t warn = due - lead;

	if (!due || incident_duration_none(&p->warn_before) || warn <= start)
		return 0;
	return warn;
}

int incident_deadline_cancel(struct store_conn *c, int64_t id, enum incident_deadline_kind kind)
{
	int ret = store_exec(c,
		"UPDATE incident_deadlines SET cancelled = 1 WHERE incident_id = ? AND kind = ?"
		" AND met_at IS NULL AND cancelled = 0",
		"it", id, incident_deadline_name(kind));
	return ret < 0 ? ret : 0;
}

int incident_deadline_open(struct store_conn *c, const struct incident_policy *p, int64_t id,
	enum incident_deadline_kind kind, int level, int64_t start, int64_t now, int64_t *due_out)
{
	int64_t due = incident_deadline_due(p, kind, level, start);
	int64_t warn = incident_deadline_warn(p, start, due);
	char s[32], d[32], w[32];
	int ret = incident_deadline_cancel(c, id, kind);

	if (due_out)
		*due_out = due;
	if (ret || !due)
		return ret;
	incident_time(start, s);
	incident_time(due, d);
	incident_time(warn, w);
	ret = store_exec(c,
		"INSERT INTO incident_deadlines (incident_id, kind, level, started_at, due_at, warn_at)"
		" VALUES (?, ?, ?, ?, ?, NULLIF(?, ''))",
		"itittt", id, incident_deadline_name(kind), (int64_t)level, s, d, w);
	if (ret < 0)
		return ret;
	return incident_event_add(c, id, now, 0, "system", "deadline.set", "%s due %s (level %d)",
		incident_deadline_name(kind), d, level);
}

int incident_deadline_meet(struct store_conn *c, int64_t id, enum incident_deadline_kind kind,
	int64_t now)
{
	char t[32];
	int ret;

	incident_time(now, t);
	ret = store_exec(c,
		"UPDATE incident_deadlines SET met_at = ? WHERE incident_id = ? AND kind = ?"
		" AND met_at IS NULL AND cancelled = 0",
		"tit", t, id, incident_deadline_name(kind));
	return ret < 0 ? ret : 0;
}

static void deadline_from_row(struct store_stmt *st, void *item)
{
	struct incident_deadline *d = item;

	d->id = store_col_int64(st, 0);
	d->kind = (enum incident_deadline_kind)kind_parse(store_col_text(st, 1));
	d->level = (int)store_col_int64(st, 2);
	d->started_at = incident_time_parse(store_col_text(st, 3));
	d->due_at = incident_time_parse(store_col_text(st, 4));
	d->warn_at = incident_time_parse(store_col_text(st, 5));
	d->met_at = incident_time_parse(store_col_text(st, 6));
	d->warned = store_col_int64(st, 7) != 0;
	d->missed = store_col_int64(st, 8) != 0;
	d->cancelled = store_col_int64(st, 9) != 0;
}

int incident_deadlines(struct store_conn *c, int64_t id, struct incident_deadline **out,
	size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT id, kind, level, started_at, due_at, COALESCE(warn_at, ''),"
		" COALESCE(met_at, ''), warned, missed, cancelled FROM incident_deadlines"
		" WHERE incident_id = ? ORDER BY id",
		"i", id);

	return ret ? ret : store_collect(st, sizeof(**out), deadline_from_row, (void **)out, n);
}

int incident_deadlines_relevel(struct store_conn *c, const struct incident_policy *p,
	int64_t id, int level, int64_t now, int *moved)
{
	struct incident_deadline *v = NULL;
	size_t n = 0;
	int ret = incident_deadlines(c, id, &v, &n);

	*moved = 0;
	for (size_t k = 0; !ret && k < n; k++) {
		struct incident_deadline *d = &v[k];
		int64_t due, warn;
		char old[32], dt[32], wt[32];
		if (d->met_at || d->cancelled || d->kind == INCIDENT_DL_REPORT || d->level == level)
			continue;
		due = incident_deadline_due(p, d->kind, level, d->started_at);
		warn = incident_deadline_warn(p, d->started_at, due);
		incident_time(d->due_at, old);
		incident_time(due, dt);
		incident_time(warn, wt);
		if (!due) { /* the new level sets none */
			ret = store_exec(c, "UPDATE incident_deadlines SET cancelled = 1 WHERE id = ?",
				"i", d->id);
		} else {
			/* A deadline moved later can be warned of and missed again. */
			ret = store_exec(c,
				"UPDATE incident_deadlines SET level = ?, due_at = ?, warn_at = NULLIF(?, ''),"
				" warned = CASE WHEN ? > due_at THEN 0 ELSE warned END,"
				" missed = CASE WHEN ? > due_at THEN 0 ELSE missed END WHERE id = ?",
				"itttti", (int64_t)level, dt, wt, dt, dt, d->id);
		}
		if (ret >= 0)
			ret = incident_event_add(c, id, now, 0, "system", "deadline.moved",
				"%s due %s, was %s (level %d → %d)", incident_deadline_name(d->kind),
				due ? dt : "none", old, d->level, level);
		if (!ret)
			(*moved)++;
	}
	free(v);
	return ret < 0 ? ret : 0;
}
