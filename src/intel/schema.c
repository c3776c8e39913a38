/*
 * intel/schema.c - tables of the anti-fraud database.
 *
 * identifiers holds each distinct (type, value) once with its running counts;
 * observations is the posting list identifier → report (clustered by
 * identifier, so "who else has seen this" is one range scan). Related reports
 * and cases are computed from the postings at query time, never stored
 * pairwise (MISP's pairwise correlation table grew to 291 GB).
 */
#include "intel/intel.h"

#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "identifiers, reports, observations, cases",
		"CREATE TABLE identifiers ("
		" id @ID@,"
		" type TEXT NOT NULL,"
		" value TEXT NOT NULL,"
		" display TEXT NOT NULL,"
		" detail TEXT NOT NULL DEFAULT '{}',"
		" sensitive INTEGER NOT NULL DEFAULT 0,"
		" first_seen TEXT,"
		" last_seen TEXT,"
		" report_count INTEGER NOT NULL DEFAULT 0,"
		" loss_twd INTEGER NOT NULL DEFAULT 0,"
		" risk TEXT NOT NULL DEFAULT 'none',"
		" confirmed_at TEXT,"
		" review_flag INTEGER NOT NULL DEFAULT 0,"
		" created_at TEXT NOT NULL,"
		" UNIQUE (type, value));"
		"CREATE TABLE cases ("
		" id @ID@,"
		" number TEXT NOT NULL UNIQUE,"
		" roc_year INTEGER NOT NULL,"
		" word TEXT NOT NULL,"
		" serial INTEGER NOT NULL,"
		" office_id INTEGER NOT NULL REFERENCES agencies (id),"
		" title TEXT NOT NULL DEFAULT '',"
		" status TEXT NOT NULL DEFAULT 'open',"
		" created_by INTEGER NOT NULL,"
		" created_at TEXT NOT NULL,"
		" updated_at TEXT NOT NULL);"
		"CREATE INDEX cases_office ON cases (office_id);"
		"CREATE TABLE case_members ("
		" case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
		" user_id INTEGER NOT NULL REFERENCES users (id),"
		" role TEXT NOT NULL,"
		" added_by INTEGER NOT NULL,"
		" added_at TEXT NOT NULL,"
		" PRIMARY KEY (case_id, user_id));"
		"CREATE INDEX case_members_user ON case_members (user_id);"
		"CREATE TABLE reports ("
		" id @ID@,"
		" source_ref TEXT UNIQUE,"
		" agency_id INTEGER NOT NULL REFERENCES agencies (id),"
		" channel TEXT NOT NULL,"
		" occurred_at TEXT,"
		" reported_at TEXT NOT NULL,"
		" victim_kind TEXT NOT NULL,"
		" victim_sector TEXT NOT NULL DEFAULT '',"
		" crime_type TEXT NOT NULL,"
		" loss_twd INTEGER NOT NULL DEFAULT 0,"
		" loss_currency TEXT NOT NULL DEFAULT '',"
		" loss_amount TEXT NOT NULL DEFAULT '',"
		" payment_method TEXT NOT NULL DEFAULT '',"
		" narrative TEXT NOT NULL DEFAULT '',"
		" case_id INTEGER REFERENCES cases (id),"
		" duplicate_of INTEGER REFERENCES reports (id),"
		" created_by INTEGER NOT NULL,"
		" created_at TEXT NOT NULL);"
		"CREATE INDEX reports_case ON reports (case_id);"
		"CREATE INDEX reports_reported ON reports (reported_at);"
		"CREATE TABLE observations ("
		" identifier_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,"
		" role TEXT NOT NULL,"
		" raw TEXT NOT NULL DEFAULT '',"
		" PRIMARY KEY (identifier_id, report_id, role))@WITHOUT_ROWID@;"
		"CREATE INDEX observations_report ON observations (report_id);"
		"CREATE TABLE warning_list ("
		" id @ID@,"
		" type TEXT NOT NULL,"
		" value TEXT NOT NULL,"
		" reason TEXT NOT NULL,"
		" created_by INTEGER NOT NULL,"
		" created_at TEXT NOT NULL,"
		" UNIQUE (type, value))" },
	{ 2, "access requests, watches, disputes",
		"CREATE TABLE access_requests ("
		" id @ID@,"
		" case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
		" requester_id INTEGER NOT NULL REFERENCES users (id),"
		" identifier_id INTEGER REFERENCES identifiers (id),"
		" reason TEXT NOT NULL,"
		" status TEXT NOT NULL DEFAULT 'pending',"
		" decided_by INTEGER,"
		" decided_at TEXT,"
		" note TEXT NOT NULL DEFAULT '',"
		" created_at TEXT NOT NULL);"
		"CREATE INDEX access_requests_case ON access_requests (case_id, status);"
		"CREATE INDEX access_requests_requester ON access_requests (requester_id);"
		"CREATE TABLE watches ("
		" id @ID@,"
		" user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
		" identifier_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" note TEXT NOT NULL DEFAULT '',"
		" created_at TEXT NOT NULL,"
		" UNIQUE (user_id, identifier_id));"
		"CREATE INDEX watches_identifier ON watches (identifier_id);"
		"CREATE TABLE disputes ("
		" id @ID@,"
		" identifier_id INTEGER NOT NULL REFERENCES identifiers (id),"
		" submitted_by INTEGER NOT NULL REFERENCES users (id),"
		" claimant TEXT NOT NULL,"
		" contact TEXT NOT NULL DEFAULT '',"
		" reason TEXT NOT NULL,"
		" status TEXT NOT NULL DEFAULT 'open',"
		" decided_by INTEGER,"
		" decided_at TEXT,"
		" note TEXT NOT NULL DEFAULT '',"
		" created_at TEXT NOT NULL);"
		"CREATE INDEX disputes_identifier ON disputes (identifier_id, status)" },
	{ 3, "index of identifiers held for review",
		"CREATE INDEX identifiers_review ON identifiers (review_flag) WHERE review_flag = 1" },
};

const struct store_module_schema *intel_schema(void)
{
	static const struct store_module_schema schema = { "intel", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}
