/*
 * incident/timeline.c - the timeline of an incident: every step, every
 * deadline set, moved, warned of or missed, every notice sent, in order.
 * Written in the transaction of what it records.
 */
#include "incident/internal.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/str.h"
#include "store/store.h"

int incident_event_add(struct store_conn *c, int64_t id, int64_t now, int64_t actor_user_id,
	const char *actor, const char *kind, const char *fmt, ...)
{
	char detail[1024], at[32];
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	incident_time(now, at);
	ret = store_exec(c,
		"INSERT INTO incident_events (incident_id, at, actor_user_id, actor, kind, detail)"
		" VALUES (?, ?, NULLIF(?, 0), ?, ?, ?)",
		"itittt", id, at, actor_user_id, actor, kind, detail);
	return ret < 0 ? ret : 0;
}

static void event_from_row(struct store_stmt *st, void *item)
{
	struct incident_event *e = item;

	e->id = store_col_int64(st, 0);
	e->at = incident_time_parse(store_col_text(st, 1));
	str_copy(e->actor, sizeof(e->actor), store_col_text(st, 2));
	str_copy(e->kind, sizeof(e->kind), store_col_text(st, 3));
	str_copy(e->detail, sizeof(e->detail), store_col_text(st, 4));
}

int incident_timeline(struct store_conn *c, int64_t id, struct incident_event **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT id, at, actor, kind, detail FROM incident_events WHERE incident_id = ?"
		" ORDER BY id",
		"i", id);

	return ret ? ret : store_collect(st, sizeof(**out), event_from_row, (void **)out, n);
}
