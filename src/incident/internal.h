/*
 * incident/internal.h - shared by the files of src/incident/ only: times as
 * stored, the timeline, deadline rows, notices and audit helpers.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "incident/incident.h"

struct audit_event;
struct store_stmt;

/* Seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ" (0 → ""). */
void incident_time(int64_t t, char out[32]);
/* The stored form back into seconds; 0 for "" or a bad value. */
int64_t incident_time_parse(const char *s);

/* How often the scheduler looks at least (incident_poll_s). */
int64_t incident_poll_seconds(void);

/* Append an event to the timeline of id at now (printf-style detail). */
int incident_event_add(struct store_conn *c, int64_t id, int64_t now, int64_t actor_user_id,
	const char *actor, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/*
 * Open a deadline of kind for incident id at level, counted from start by
 * policy p (nothing when p sets none). Cancels an open one of the same kind
 * first. Records it on the timeline. *due (may be NULL) gets the due time.
 */
int incident_deadline_open(struct store_conn *c, const struct incident_policy *p, int64_t id,
	enum incident_deadline_kind kind, int level, int64_t start, int64_t now, int64_t *due);
/* Mark the open deadline of kind met at now; 0 also when none was open. */
int incident_deadline_meet(struct store_conn *c, int64_t id, enum incident_deadline_kind kind,
	int64_t now);
/* Cancel the open deadline of kind (the step is no longer needed). */
int incident_deadline_cancel(struct store_conn *c, int64_t id, enum incident_deadline_kind kind);
/*
 * Recompute the open deadlines of id for a new level from the time each
 * started; each one moved is on the timeline. Sets *moved to how many.
 */
int incident_deadlines_relevel(struct store_conn *c, const struct incident_policy *p,
	int64_t id, int level, int64_t now, int *moved);

/* Id of the agency with code; 0 when none. */
int64_t incident_agency_id(struct store_conn *c, const char *code);
/* The supervisory authority of agency_id; 0 when none. */
int64_t incident_supervisor_of(struct store_conn *c, int64_t agency_id);

/*
 * Notify every active user of agency_id holding role (enum auth_role bits)
 * about incident id, in the caller's transaction. Returns how many or < 0.
 */
int incident_notify_agency(struct store_conn *c, int64_t agency_id, uint32_t roles, int64_t id,
	const char *kind, const char *title);
/* Notify every active user of agency_id (the national offices). */
int incident_notify_office(struct store_conn *c, const char *code, int64_t id, const char *kind,
	const char *title);

/* Who is expected to act on a deadline of kind for incident i: agency and roles. */
void incident_deadline_owner(struct store_conn *c, const struct incident_policy *p,
	const struct incident *i, enum incident_deadline_kind kind, int64_t *agency_id,
	uint32_t *roles);

/* Level 3–4 side effects after a step: the national offices (once). In the caller's tx. */
int incident_level_notices(struct store_conn *c, const struct incident_policy *p,
	struct incident *i, int64_t now);
/*
 * A level 3–4 incident involving crime without a case: open one at the
 * center (or link case_number), record it and notify the center's analysts.
 * Runs its own transactions (outside any). ev: audit template.
 */
int incident_crime_case(struct store_conn *c, const struct incident_policy *p, int64_t id,
	const char *case_number, const struct audit_event *ev, struct err_msg *err);

/* Append ev as action on incident id with detail, in the caller's transaction. */
int incident_audit(struct store_conn *c, const struct audit_event *ev, const char *action,
	int64_t id, const char *detail);

/* Read an incident row (the columns of INCIDENT_COLUMNS) into i. */
void incident_from_row(struct store_stmt *st, struct incident *i);
#define INCIDENT_COLUMNS \
	"i.id, i.agency_id, COALESCE(a.supervisor_id, 0), a.code, i.state, i.level," \
	" i.proposed_level, i.title, i.description, i.systems, i.impact_c, i.impact_i," \
	" i.impact_a, i.support_requested, i.others_affected, i.others_note, i.crime," \
	" i.discovered_at, i.reported_at, i.phoned, i.caller, COALESCE(i.reported_by, 0)," \
	" COALESCE(i.entered_by, 0), i.entered_at, i.review_escalated, i.national_notified," \
	" COALESCE(i.case_id, 0), i.created_at, i.updated_at"
#define INCIDENT_FROM " FROM incidents i JOIN agencies a ON a.id = i.agency_id"
