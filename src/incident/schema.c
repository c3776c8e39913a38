/*
 * incident/schema.c - the incident tables: incidents, their deadlines (one
 * row per deadline a step started, open until met or cancelled), their
 * timeline, and the indicators seen (identifiers of the anti-fraud DB).
 */
#include "incident/incident.h"

#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "incidents, deadlines, timeline and indicators",
		"CREATE TABLE incidents ("
		" id @ID@,"
		" agency_id INTEGER NOT NULL REFERENCES agencies (id),"
		" state TEXT NOT NULL,"
		" level INTEGER NOT NULL,"
		" proposed_level INTEGER NOT NULL,"
		" title TEXT NOT NULL,"
		" description TEXT NOT NULL,"
		" systems TEXT NOT NULL DEFAULT '',"
		" impact_c INTEGER NOT NULL DEFAULT 0,"
		" impact_i INTEGER NOT NULL DEFAULT 0,"
		" impact_a INTEGER NOT NULL DEFAULT 0,"
		" support_requested INTEGER NOT NULL DEFAULT 0,"
		" others_affected INTEGER NOT NULL DEFAULT 0,"
		" others_note TEXT NOT NULL DEFAULT '',"
		" crime INTEGER NOT NULL DEFAULT 0,"
		" discovered_at TEXT NOT NULL,"
		" reported_at TEXT NOT NULL,"
		" phoned INTEGER NOT NULL DEFAULT 0,"
		" caller TEXT NOT NULL DEFAULT '',"
		" reported_by INTEGER REFERENCES users (id),"
		" entered_by INTEGER REFERENCES users (id),"
		" entered_at TEXT NOT NULL,"
		" review_escalated INTEGER NOT NULL DEFAULT 0,"
		" national_notified INTEGER NOT NULL DEFAULT 0,"
		" case_id INTEGER REFERENCES cases (id),"
		" close_report TEXT,"
		" created_at TEXT NOT NULL,"
		" updated_at TEXT NOT NULL);"
		"CREATE INDEX incidents_agency ON incidents (agency_id, id);"
		"CREATE TABLE incident_deadlines ("
		" id @ID@,"
		" incident_id INTEGER NOT NULL REFERENCES incidents (id),"
		" kind TEXT NOT NULL,"
		" level INTEGER NOT NULL,"
		" started_at TEXT NOT NULL,"
		" due_at TEXT NOT NULL,"
		" warn_at TEXT,"
		" met_at TEXT,"
		" warned INTEGER NOT NULL DEFAULT 0,"
		" missed INTEGER NOT NULL DEFAULT 0,"
		" cancelled INTEGER NOT NULL DEFAULT 0);"
		"CREATE INDEX incident_deadlines_incident ON incident_deadlines (incident_id, id);"
		"CREATE INDEX incident_deadlines_due ON incident_deadlines (met_at, cancelled, due_at);"
		"CREATE TABLE incident_events ("
		" id @ID@,"
		" incident_id INTEGER NOT NULL REFERENCES incidents (id),"
		" at TEXT NOT NULL,"
		" actor_user_id INTEGER,"
		" actor TEXT NOT NULL,"
		" kind TEXT NOT NULL,"
		" detail TEXT NOT NULL DEFAULT '');"
		"CREATE INDEX incident_events_incident ON incident_events (incident_id, id);"
		"CREATE TABLE incident_indicators ("
		" incident_id INTEGER NOT NULL REFERENCES incidents (id),"
		" identifier_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" PRIMARY KEY (incident_id, identifier_id))" },
};

const struct store_module_schema *incident_schema(void)
{
	static const struct store_module_schema schema = { "incident", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}
