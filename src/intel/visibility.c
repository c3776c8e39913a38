/*
 * intel/visibility.c - need-to-know (偵查不公開) for reports: who may read a
 * report in full. Cases decide the same in case.c (members and the center).
 *
 * A report is visible to: callers the policy grants REACH_ALL (the center's
 * analysts); users of the agency that filed it; the user who entered it; and
 * members of the case it is linked to.
 */
#include "intel/internal.h"

#include "auth/auth.h"

bool intel_report_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct intel_report *r)
{
	if (reach == REACH_ALL)
		return true;
	if (reach >= REACH_AGENCY && r->agency_id == p->agency_id)
		return true;
	if (r->created_by && r->created_by == p->user_id)
		return true;
	return r->case_id && intel_case_is_member(c, r->case_id, p->user_id);
}
