/*
 * incident/steps.c - the steps after filing: review by the supervisory
 * authority, re-review and dispatch by the service center, level changes,
 * the closing report and its review. Each step, in one transaction: who may
 * (access.c), whether now (state.c), the deadlines it meets, starts or
 * moves (deadline.c), the timeline, notices and the audit event.
 */
#include "incident/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "intel/case_number.h"
#include "store/store.h"

#define NOTE_MAX 4000
#define CLOSE_FIELD_MAX 8000

struct step_ctx {
	struct store_conn *c;
	struct incident_policy p;
	struct incident *i;
	const struct incident_step_args *args;
	int64_t now;
	int64_t actor_id;
	const char *actor;
};

static int event(struct step_ctx *s, const char *kind, const char *fmt, const char *arg)
{
	return incident_event_add(s->c, s->i->id, s->now, s->actor_id, s->actor, kind, fmt, arg);
}

static int tell(struct step_ctx *s, int64_t agency_id, uint32_t roles, const char *kind,
	const char *what)
{
	char title[256];
	int ret;

	snprintf(title, sizeof(title), "資安事件 Incident %lld (%s, level %d): %s",
		(long long)s->i->id, s->i->agency_code, s->i->level, what);
	ret = incident_notify_agency(s->c, agency_id, roles, s->i->id, kind, title);
	return ret < 0 ? ret : 0;
}

static int64_t service_center(struct step_ctx *s)
{
	return incident_agency_id(s->c, s->p.service_center);
}

static int check_args(enum incident_step step, const struct incident_step_args *a,
	struct err_msg *err)
{
	struct case_number num;
	const char *close_fields[] = { a->timeline, a->damage, a->after_effects, a->response,
		a->improvements };
	static const char *const close_names[] = { "timeline", "damage", "after_effects",
		"response", "improvements" };

	if (a->level < 0 || a->level > INCIDENT_LEVELS)
		return err_set(err, ERR_INVAL, "level", "must be 1 to 4");
	if (step == INCIDENT_STEP_LEVEL && !a->level)
		return err_set(err, ERR_INVAL, "level", "is required");
	if (a->note && strlen(a->note) > NOTE_MAX)
		return err_set(err, ERR_INVAL, "note", "is longer than %d bytes", NOTE_MAX);
	if ((step == INCIDENT_STEP_RETURN || step == INCIDENT_STEP_CLOSE_RETURN ||
		    step == INCIDENT_STEP_LEVEL) && str_empty(a->note))
		return err_set(err, ERR_INVAL, "note", "say why (what is missing, or why the level "
			"changes)");
	if (a->case_number && *a->case_number && case_number_parse(a->case_number, &num, err)) {
		char why[sizeof(err->message)];
		str_copy(why, sizeof(why), err->message);
		return err_set(err, ERR_INVAL, "case_number", "%s", why);
	}
	if (step == INCIDENT_STEP_SUPPLEMENT) {
		if (str_empty(a->note) && str_empty(a->description) && str_empty(a->systems))
			return err_set(err, ERR_INVAL, "note", "say what was added");
		if (a->description && strlen(a->description) > 4000)
			return err_set(err, ERR_INVAL, "description", "is longer than 4000 bytes");
		if (a->systems && strlen(a->systems) > 1000)
			return err_set(err, ERR_INVAL, "systems", "is longer than 1000 bytes");
	}
	if (step != INCIDENT_STEP_CLOSE_REPORT)
		return 0;
	for (size_t k = 0; k < sizeof(close_fields) / sizeof(close_fields[0]); k++) {
		if (str_empty(close_fields[k]))
			return err_set(err, ERR_INVAL, close_names[k], "is required in a closing report "
				"(seed 003 §4.1(三)4)");
		if (strlen(close_fields[k]) > CLOSE_FIELD_MAX)
			return err_set(err, ERR_INVAL, close_names[k], "is longer than %d bytes",
				CLOSE_FIELD_MAX);
	}
	return 0;
}

/* A new level (and crime mark) from a review or re-review; moves the open deadlines. */
static int apply_level(struct step_ctx *s)
{
	const struct incident_step_args *a = s->args;
	char detail[64];
	int old = s->i->level, moved = 0, ret = 0;

	if (a->crime_set && a->crime != s->i->crime) {
		s->i->crime = a->crime;
		ret = event(s, "crime", "%s", a->crime ? "marked as involving crime (§4.3)"
							: "no longer marked as involving crime");
	}
	if (ret || !a->level || a->level == old)
		return ret;
	s->i->level = a->level;
	snprintf(detail, sizeof(detail), "level %d → %d", old, a->level);
	ret = incident_event_add(s->c, s->i->id, s->now, s->actor_id, s->actor, "level",
		"%s%s%s", detail, a->note ? ": " : "", a->note ? a->note : "");
	if (!ret)
		ret = incident_deadlines_relevel(s->c, &s->p, s->i->id, a->level, s->now, &moved);
	return ret;
}

static int do_supplement(struct step_ctx *s)
{
	const struct incident_step_args *a = s->args;
	int ret = 0;

	if (a->description && *a->description)
		str_copy(s->i->description, sizeof(s->i->description), a->description);
	if (a->systems && *a->systems)
		str_copy(s->i->systems, sizeof(s->i->systems), a->systems);
	ret = event(s, "supplement", "more information: %s", a->note ? a->note : "(details updated)");
	/* The authority's deadline runs again from the supplement. */
	if (!ret)
		ret = incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_REVIEW, s->i->level,
			s->now, s->now, NULL);
	if (!ret)
		ret = tell(s, s->i->supervisor_id, ROLE_REVIEWER, "incident.supplemented",
			"more information supplied");
	return ret;
}

static int do_review(struct step_ctx *s, bool accept)
{
	int ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_REVIEW, s->now);

	if (!ret && accept)
		ret = apply_level(s);
	if (!ret && accept)
		ret = incident_event_add(s->c, s->i->id, s->now, s->actor_id, s->actor, "review",
			"accepted by the supervisory authority at level %d%s%s", s->i->level,
			s->args->note ? ": " : "", s->args->note ? s->args->note : "");
	if (!ret && accept)
		ret = incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_REREVIEW, s->i->level,
			s->now, s->now, NULL);
	if (!ret && accept)
		ret = tell(s, service_center(s), ROLE_REVIEWER, "incident.reviewed",
			"reviewed; re-review due");
	if (!ret && !accept)
		ret = event(s, "return", "returned for more information: %s", s->args->note);
	if (!ret && !accept)
		ret = tell(s, s->i->agency_id, ROLE_REPORTER, "incident.returned",
			"returned for more information");
	return ret;
}

/* The response starts: dispatch due when support was requested, else the closing report. */
static int start_response(struct step_ctx *s)
{
	if (s->i->support_requested)
		return incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_DISPATCH, s->i->level,
			s->now, s->now, NULL);
	return incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_CLOSE_REPORT, s->i->level,
		s->now, s->now, NULL);
}

static int do_rereview(struct step_ctx *s)
{
	bool direct = s->i->state == INCIDENT_REPORTED || s->i->state == INCIDENT_RETURNED;
	int ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_REVIEW, s->now);

	if (!ret)
		ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_REREVIEW, s->now);
	if (!ret)
		ret = apply_level(s);
	if (!ret)
		ret = incident_event_add(s->c, s->i->id, s->now, s->actor_id, s->actor, "rereview",
			"%s by the technical service center at level %d%s%s",
			direct ? (s->i->supervisor_id ? "reviewed directly (the authority's deadline passed)"
						       : "reviewed directly (no supervisory authority)")
			       : "re-reviewed",
			s->i->level, s->args->note ? ": " : "", s->args->note ? s->args->note : "");
	if (!ret)
		ret = start_response(s);
	if (!ret)
		ret = tell(s, s->i->agency_id, ROLE_REPORTER, "incident.rereviewed",
			s->i->support_requested ? "re-reviewed; support will be dispatched"
						: "re-reviewed; closing report due");
	if (!ret)
		ret = tell(s, s->i->supervisor_id, ROLE_REVIEWER, "incident.rereviewed", "re-reviewed");
	return ret;
}

static int do_dispatch(struct step_ctx *s)
{
	int ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_DISPATCH, s->now);

	if (!ret)
		ret = event(s, "dispatch", "support dispatched: %s",
			s->args->note && *s->args->note ? s->args->note : "(no note)");
	if (!ret)
		ret = incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_CLOSE_REPORT,
			s->i->level, s->now, s->now, NULL);
	if (!ret)
		ret = tell(s, s->i->agency_id, ROLE_REPORTER, "incident.dispatched",
			"support dispatched");
	return ret;
}

static char *close_report_json(const struct incident_step_args *a)
{
	char rec[32];
	json_t *o;
	char *s;

	incident_time(a->recovered_at, rec);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "timeline", a->timeline, "damage", a->damage,
		"after_effects", a->after_effects, "response", a->response, "improvements",
		a->improvements, "recovered_at", *rec ? rec : NULL);
	s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s;
}

static int do_close_report(struct step_ctx *s)
{
	char *text = close_report_json(s->args);
	int ret = text ? 0 : ERR_NOMEM;

	if (!ret)
		ret = store_exec(s->c, "UPDATE incidents SET close_report = ? WHERE id = ?", "ti", text,
			s->i->id);
	free(text);
	if (ret >= 0)
		ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_CLOSE_REPORT, s->now);
	if (!ret)
		ret = event(s, "close_report", "%s", "closing report submitted");
	if (!ret)
		ret = incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_CLOSE_REVIEW,
			s->i->level, s->now, s->now, NULL);
	if (!ret)
		ret = tell(s, s->i->supervisor_id ? s->i->supervisor_id : service_center(s),
			ROLE_REVIEWER, "incident.close_reported", "closing report to review");
	return ret;
}

static int do_close(struct step_ctx *s, bool accept)
{
	int ret = incident_deadline_meet(s->c, s->i->id, INCIDENT_DL_CLOSE_REVIEW, s->now);

	if (!ret && accept)
		ret = event(s, "close", "%s", "closing report accepted; incident closed");
	if (!ret && !accept)
		ret = event(s, "close_return", "closing report returned: %s", s->args->note);
	if (!ret && !accept)
		ret = incident_deadline_open(s->c, &s->p, s->i->id, INCIDENT_DL_CLOSE_REPORT,
			s->i->level, s->now, s->now, NULL);
	if (!ret)
		ret = tell(s, s->i->agency_id, ROLE_REPORTER,
			accept ? "incident.closed" : "incident.close_returned",
			accept ? "closed" : "closing report returned");
	return ret;
}

static int do_level(struct step_ctx *s)
{
	int ret = apply_level(s);

	if (!ret)
		ret = tell(s, s->i->agency_id, ROLE_REPORTER, "incident.level", "level changed");
	return ret;
}

static int run(struct step_ctx *s, enum incident_step step)
{
	switch (step) {
	case INCIDENT_STEP_SUPPLEMENT:
		return do_supplement(s);
	case INCIDENT_STEP_REVIEW:
	case INCIDENT_STEP_RETURN:
		return do_review(s, step == INCIDENT_STEP_REVIEW);
	case INCIDENT_STEP_REREVIEW:
		return do_rereview(s);
	case INCIDENT_STEP_DISPATCH:
		return do_dispatch(s);
	case INCIDENT_STEP_LEVEL:
		return do_level(s);
	case INCIDENT_STEP_CLOSE_REPORT:
		return do_close_report(s);
	case INCIDENT_STEP_CLOSE:
	case INCIDENT_STEP_CLOSE_RETURN:
		return do_close(s, step == INCIDENT_STEP_CLOSE);
	}
	return ERR_INVAL;
}

static int save(struct step_ctx *s, enum incident_state next)
{
	char now[32];
	int ret;

	incident_time(s->now, now);
	ret = store_exec(s->c,
		"UPDATE incidents SET state = ?, level = ?, crime = ?, description = ?, systems = ?,"
		" updated_at = ? WHERE id = ?",
		"tibttti", incident_state_name(next), (int64_t)s->i->level, (int)s->i->crime,
		s->i->description, s->i->systems, now, s->i->id);
	s->i->state = next;
	return ret < 0 ? ret : 0;
}

/* After the commit: a level 3–4 crime incident opens or links a case (own transactions). */
static void crime_case(struct step_ctx *s, const struct incident_actor *a)
{
	struct err_msg err = ERR_MSG_INIT;

	if (s->i->case_id || !s->i->crime || !s->p.level[s->i->level].crime_case)
		return;
	if (incident_crime_case(s->c, &s->p, s->i->id, s->args->case_number, a->ev, &err)) {
		log_error("incident %lld: cannot open or link a case: %s: %s", (long long)s->i->id,
			err.field, err.message);
		if (!store_begin(s->c) &&
			!incident_event_add(s->c, s->i->id, s->now, 0, "system", "case",
				"could not open or link a case: %s", err.message))
			store_commit(s->c);
		store_rollback(s->c);
	}
}

int incident_step(struct store_conn *c, int64_t id, enum incident_step step,
	const struct incident_step_args *args, const struct incident_actor *a,
	struct err_msg *err)
{
	struct incident i;
	struct step_ctx s = { .c = c, .i = &i, .args = args, .now = clock_now() };
	struct incident_facts f;
	enum incident_state next;
	char action[48];
	int ret = incident_get(c, id, &i);

	if (ret)
		return ret == ERR_NOTFOUND ? err_set(err, ret, "id", "no incident %lld", (long long)id)
					   : ret;
	incident_policy_current(&s.p);
	s.actor_id = a->p ? a->p->user_id : 0;
	s.actor = a->p ? a->p->username : "console";
	f = (struct incident_facts){ i.state, i.support_requested, i.review_escalated,
		i.supervisor_id != 0 };
	ret = incident_may(c, a->p, &i, step, err);
	if (!ret)
		ret = check_args(step, args, err);
	next = ret ? 0 : incident_next_state(&f, step, err);
	if (!ret && !next)
		ret = ERR_CONFLICT;
	if (!ret)
		ret = store_begin(c);
	if (!ret)
		ret = run(&s, step);
	if (!ret)
		ret = save(&s, next);
	if (!ret)
		ret = incident_level_notices(c, &s.p, &i, s.now);
	snprintf(action, sizeof(action), "incident.%s", incident_step_name(step));
	if (!ret)
		ret = incident_audit(c, a->ev, action, id, args->note);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (!ret && (step == INCIDENT_STEP_REVIEW || step == INCIDENT_STEP_REREVIEW ||
		    step == INCIDENT_STEP_LEVEL))
		crime_case(&s, a);
	if (!ret)
		incident_scheduler_poke();
	incident_release(&i);
	return ret;
}
