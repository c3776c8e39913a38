/*
 * incident/access.c - need-to-know and who may take each step. The policy
 * table (auth/policy.c) lets roles call the endpoints; this file decides by
 * agency: an agency sees its own incidents, its supervisory authority its
 * subordinates', the service center and the center (REACH_ALL) all of them.
 *
 *   step                      who
 *   file, supplement,         reporter of the incident's agency (staff of the
 *   close_report              service center enter phoned-in reports)
 *   review, return            reviewer of the agency's supervisory authority
 *   rereview, dispatch, level reviewer of the service center (policy file)
 *   close, close_return       reviewer of the supervisory authority or the service center
 */
#include "incident/internal.h"

#include "auth/auth.h"
#include "base/err.h"

bool incident_is_service_center(struct store_conn *c, const struct auth_principal *p)
{
	struct incident_policy pol;

	if (!p || !p->agency_id)
		return false;
	incident_policy_current(&pol);
	return p->agency_id == incident_agency_id(c, pol.service_center);
}

bool incident_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct incident *i)
{
	if (!p || reach == REACH_ALL)
		return true;
	if (reach < REACH_AGENCY)
		return false;
	if (p->agency_id == i->agency_id || (i->supervisor_id && p->agency_id == i->supervisor_id))
		return true;
	return incident_is_service_center(c, p);
}

int incident_may(struct store_conn *c, const struct auth_principal *p, const struct incident *i,
	enum incident_step step, struct err_msg *err)
{
	bool authority, center;

	if (!p)
		return 0;
	authority = (p->roles & ROLE_REVIEWER) && i->supervisor_id &&
		    p->agency_id == i->supervisor_id;
	center = (p->roles & ROLE_REVIEWER) && incident_is_service_center(c, p);
	switch (step) {
	case INCIDENT_STEP_SUPPLEMENT:
	case INCIDENT_STEP_CLOSE_REPORT:
		if ((p->roles & ROLE_REPORTER) && p->agency_id == i->agency_id)
			return 0;
		return err_set(err, ERR_DENIED, "id", "only a reporter of the incident's agency may %s",
			incident_step_name(step));
	case INCIDENT_STEP_REVIEW:
	case INCIDENT_STEP_RETURN:
		if (authority)
			return 0;
		return err_set(err, ERR_DENIED, "id",
			"only a reviewer of the agency's supervisory authority reviews the report");
	case INCIDENT_STEP_REREVIEW:
	case INCIDENT_STEP_DISPATCH:
	case INCIDENT_STEP_LEVEL:
		if (center)
			return 0;
		return err_set(err, ERR_DENIED, "id",
			"only a reviewer of the technical service center may %s",
			incident_step_name(step));
	case INCIDENT_STEP_CLOSE:
	case INCIDENT_STEP_CLOSE_RETURN:
		if (authority || center)
			return 0;
		return err_set(err, ERR_DENIED, "id",
			"only a reviewer of the supervisory authority or the service center reviews "
			"the closing report");
	}
	return err_set(err, ERR_INVAL, "step", "unknown step");
}
