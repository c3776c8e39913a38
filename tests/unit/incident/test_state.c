/*
 * tests/unit/incident/test_state.c - the incident state machine
 * (src/incident/state.c): every step from every state, table-driven.
 */
#include <criterion/criterion.h>

#include "base/err.h"
#include "incident/incident.h"
#include "testutil.h"

struct row {
	enum incident_state from;
	bool support, escalated, supervisor;
	enum incident_step step;
	enum incident_state to; /* 0 = refused */
};

Test(state, transitions)
{
	static const struct row rows[] = {
		{ INCIDENT_REPORTED, false, false, true, INCIDENT_STEP_REVIEW, INCIDENT_REVIEWED },
		{ INCIDENT_REPORTED, false, false, true, INCIDENT_STEP_RETURN, INCIDENT_RETURNED },
		{ INCIDENT_RETURNED, false, false, true, INCIDENT_STEP_SUPPLEMENT, INCIDENT_REPORTED },
		{ INCIDENT_RETURNED, false, false, true, INCIDENT_STEP_REVIEW, 0 },
		{ INCIDENT_REPORTED, false, false, true, INCIDENT_STEP_SUPPLEMENT, 0 },
		/* the service center waits for the authority until its deadline passes */
		{ INCIDENT_REPORTED, false, false, true, INCIDENT_STEP_REREVIEW, 0 },
		{ INCIDENT_REPORTED, false, true, true, INCIDENT_STEP_REREVIEW, INCIDENT_REREVIEWED },
		{ INCIDENT_RETURNED, false, true, true, INCIDENT_STEP_REREVIEW, INCIDENT_REREVIEWED },
		{ INCIDENT_REPORTED, false, false, false, INCIDENT_STEP_REREVIEW, INCIDENT_REREVIEWED },
		{ INCIDENT_REVIEWED, true, false, true, INCIDENT_STEP_REREVIEW, INCIDENT_REREVIEWED },
		{ INCIDENT_REVIEWED, true, false, true, INCIDENT_STEP_DISPATCH, 0 },
		{ INCIDENT_REREVIEWED, true, false, true, INCIDENT_STEP_DISPATCH, INCIDENT_DISPATCHED },
		{ INCIDENT_REREVIEWED, false, false, true, INCIDENT_STEP_DISPATCH, 0 },
		{ INCIDENT_REREVIEWED, true, false, true, INCIDENT_STEP_CLOSE_REPORT, 0 },
		{ INCIDENT_REREVIEWED, false, false, true, INCIDENT_STEP_CLOSE_REPORT,
			INCIDENT_CLOSE_REPORTED },
		{ INCIDENT_DISPATCHED, true, false, true, INCIDENT_STEP_CLOSE_REPORT,
			INCIDENT_CLOSE_REPORTED },
		{ INCIDENT_REREVIEWED, true, false, true, INCIDENT_STEP_LEVEL, INCIDENT_REREVIEWED },
		{ INCIDENT_DISPATCHED, true, false, true, INCIDENT_STEP_LEVEL, INCIDENT_DISPATCHED },
		{ INCIDENT_REVIEWED, true, false, true, INCIDENT_STEP_LEVEL, 0 },
		{ INCIDENT_CLOSE_REPORTED, true, false, true, INCIDENT_STEP_CLOSE, INCIDENT_CLOSED },
		{ INCIDENT_CLOSE_REPORTED, true, false, true, INCIDENT_STEP_CLOSE_RETURN,
			INCIDENT_DISPATCHED },
		{ INCIDENT_CLOSE_REPORTED, false, false, true, INCIDENT_STEP_CLOSE_RETURN,
			INCIDENT_REREVIEWED },
		{ INCIDENT_CLOSED, false, false, true, INCIDENT_STEP_CLOSE, 0 },
		{ INCIDENT_CLOSED, false, false, true, INCIDENT_STEP_LEVEL, 0 },
		{ INCIDENT_CLOSED, false, true, true, INCIDENT_STEP_REREVIEW, 0 },
	};

	for (size_t k = 0; k < N_ELEMS(rows); k++) {
		const struct row *r = &rows[k];
		struct incident_facts f = { r->from, r->support, r->escalated, r->supervisor };
		struct err_msg err = ERR_MSG_INIT;
		enum incident_state to = incident_next_state(&f, r->step, &err);
		cr_assert_eq(to, r->to, "row %zu: %s --%s--> got %s, expected %s", k,
			incident_state_name(r->from), incident_step_name(r->step),
			to ? incident_state_name(to) : "refused",
			r->to ? incident_state_name(r->to) : "refused");
		if (!r->to)
			cr_assert_str_eq(err.field, "state", "row %zu: the refusal names the state", k);
	}
}

Test(state, names_round_trip)
{
	for (int s = INCIDENT_REPORTED; s <= INCIDENT_CLOSED; s++) {
		enum incident_state back;
		cr_assert_eq(incident_state_parse(incident_state_name(s), &back), 0);
		cr_assert_eq(back, s);
	}
	cr_assert_eq(incident_state_parse("open", &(enum incident_state){ 0 }), ERR_INVAL);
}
