/*
 * incident/state.c - the incident state machine (the diagram is in
 * incident.h): which step may follow which state, as a pure function so
 * the rules are tested without a database. Who may take a step is decided
 * in access.c; deadlines in deadline.c.
 */
#include "incident/incident.h"

#include <string.h>

#include "base/err.h"

static const char *const state_names[] = { NULL, "reported", "returned", "reviewed",
	"rereviewed", "dispatched", "close_reported", "closed" };
static const char *const step_names[] = { NULL, "supplement", "review", "return", "rereview",
	"dispatch", "level", "close_report", "close", "close_return" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *incident_state_name(enum incident_state s)
{
	return s >= 1 && (size_t)s < COUNT(state_names) ? state_names[s] : "unknown";
}

int incident_state_parse(const char *name, enum incident_state *out)
{
	for (size_t i = 1; i < COUNT(state_names); i++) {
		if (!strcmp(state_names[i], name)) {
			*out = (enum incident_state)i;
			return 0;
		}
	}
	return ERR_INVAL;
}

const char *incident_step_name(enum incident_step s)
{
	return s >= 1 && (size_t)s < COUNT(step_names) ? step_names[s] : "unknown";
}

/* The state an incident responds in, after the re-review (and dispatch, if asked). */
static enum incident_state responding(const struct incident_facts *f)
{
	return f->support_requested ? INCIDENT_DISPATCHED : INCIDENT_REREVIEWED;
}

static enum incident_state refuse(const struct incident_facts *f, enum incident_step step,
	const char *why, struct err_msg *err)
{
	err_set(err, ERR_CONFLICT, "state", "incident is %s; cannot %s%s%s",
		incident_state_name(f->state), incident_step_name(step), *why ? ": " : "", why);
	return 0;
}

enum incident_state incident_next_state(const struct incident_facts *f, enum incident_step step,
	struct err_msg *err)
{
	enum incident_state s = f->state;

	switch (step) {
	case INCIDENT_STEP_SUPPLEMENT:
		return s == INCIDENT_RETURNED ? INCIDENT_REPORTED : refuse(f, step, "", err);
	case INCIDENT_STEP_REVIEW:
	case INCIDENT_STEP_RETURN:
		if (s != INCIDENT_REPORTED)
			return refuse(f, step, "", err);
		return step == INCIDENT_STEP_REVIEW ? INCIDENT_REVIEWED : INCIDENT_RETURNED;
	case INCIDENT_STEP_REREVIEW:
		if (s == INCIDENT_REVIEWED)
			return INCIDENT_REREVIEWED;
		/* §3.3(一): the service center reviews directly when the authority is late. */
		if ((s == INCIDENT_REPORTED || s == INCIDENT_RETURNED) &&
			(f->review_escalated || !f->has_supervisor))
			return INCIDENT_REREVIEWED;
		return refuse(f, step,
			s == INCIDENT_REPORTED || s == INCIDENT_RETURNED
				? "the supervisory authority reviews first, until its deadline passes"
				: "",
			err);
	case INCIDENT_STEP_DISPATCH:
		if (s == INCIDENT_REREVIEWED && f->support_requested)
			return INCIDENT_DISPATCHED;
		return refuse(f, step, s == INCIDENT_REREVIEWED ? "no support was requested" : "",
			err);
	case INCIDENT_STEP_LEVEL:
		if (s == INCIDENT_REREVIEWED || s == INCIDENT_DISPATCHED ||
			s == INCIDENT_CLOSE_REPORTED)
			return s;
		return refuse(f, step, "the level changes at review and re-review until then", err);
	case INCIDENT_STEP_CLOSE_REPORT:
		if (s == responding(f))
			return INCIDENT_CLOSE_REPORTED;
		return refuse(f, step,
			s == INCIDENT_REREVIEWED ? "support was requested and is not dispatched yet" : "",
			err);
	case INCIDENT_STEP_CLOSE:
		return s == INCIDENT_CLOSE_REPORTED ? INCIDENT_CLOSED : refuse(f, step, "", err);
	case INCIDENT_STEP_CLOSE_RETURN:
		return s == INCIDENT_CLOSE_REPORTED ? responding(f) : refuse(f, step, "", err);
	}
	err_set(err, ERR_INVAL, "step", "unknown step");
	return 0;
}
