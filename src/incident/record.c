/*
 * incident/record.c - how incidents are written down: stored times, the
 * audit events of every step and read, and the agency lookups the steps
 * share.
 */
#include "incident/internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "store/store.h"

void incident_time(int64_t t, char out[32])
{
	if (!t) {
		out[0] = '\0';
		return;
	}
	clock_format_iso_s(t, out, 32);
}

int64_t incident_time_parse(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (!s || !*s)
		return 0;
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return 0;
	return (int64_t)timegm(&tm);
}

int incident_audit(struct store_conn *c, const struct audit_event *ev, const char *action,
	int64_t id, const char *detail)
{
	struct audit_event e;
	char idtext[24];

	if (!ev)
		return 0;
	e = *ev;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	e.action = action;
	e.object_type = "incident";
	e.object_id = id ? idtext : NULL;
	e.detail = detail;
	return audit_append(c, &e);
}

int64_t incident_agency_id(struct store_conn *c, const char *code)
{
	int64_t id = 0;

	if (!code || !*code ||
		store_query_int64(c, &id, "SELECT id FROM agencies WHERE code = ?", "t", code))
		return 0;
	return id;
}

int64_t incident_supervisor_of(struct store_conn *c, int64_t agency_id)
{
	int64_t id = 0;

	if (store_query_int64(c, &id,
		    "SELECT COALESCE(supervisor_id, 0) FROM agencies WHERE id = ?", "i", agency_id))
		return 0;
	return id;
}
