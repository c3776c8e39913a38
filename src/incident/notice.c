/*
 * incident/notice.c - who hears of an incident: the users expected to act
 * (in-app notifications, src/notify), the national offices for level 3–4
 * (seed 003 §3.3(三), and the authority's officers §3.2(一)), and the
 * center when a level 3–4 incident involves crime (§4.3(一)): a case is
 * opened there or linked. Notices name the incident, never its contents.
 */
#include "incident/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "intel/intel.h"
#include "notify/notify.h"
#include "store/store.h"

int incident_notify_agency(struct store_conn *c, int64_t agency_id, uint32_t roles, int64_t id,
	const char *kind, const char *title)
{
	struct store_stmt *st;
	int64_t *users = NULL;
	size_t n = 0;
	char link[64];
	int ret;

	if (!agency_id)
		return 0;
	ret = store_query(c, &st,
		"SELECT id FROM users WHERE agency_id = ? AND (roles & ?) != 0 AND disabled = 0"
		" ORDER BY id",
		"ii", agency_id, (int64_t)roles);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		users = xreallocarray(users, n + 1, sizeof(*users));
		users[n++] = store_col_int64(st, 0);
	}
	store_finish(st);
	snprintf(link, sizeof(link), "/api/v1/incidents/%lld", (long long)id);
	for (size_t i = 0; ret == STORE_DONE && i < n; i++)
		if (notify_user(c, users[i], kind, title, link))
			ret = ERR_STORE;
	free(users);
	return ret == STORE_DONE ? (int)n : ret;
}

int incident_notify_office(struct store_conn *c, const char *code, int64_t id, const char *kind,
	const char *title)
{
	int64_t agency = incident_agency_id(c, code);

	return agency ? incident_notify_agency(c, agency, ROLE_ALL, id, kind, title) : -1;
}

void incident_deadline_owner(struct store_conn *c, const struct incident_policy *p,
	const struct incident *i, enum incident_deadline_kind kind, int64_t *agency_id,
	uint32_t *roles)
{
	int64_t center = incident_agency_id(c, p->service_center);

	*roles = ROLE_REVIEWER;
	switch (kind) {
	case INCIDENT_DL_REVIEW:
	case INCIDENT_DL_CLOSE_REVIEW:
		*agency_id = i->supervisor_id ? i->supervisor_id : center;
		return;
	case INCIDENT_DL_REREVIEW:
	case INCIDENT_DL_DISPATCH:
		*agency_id = center;
		return;
	case INCIDENT_DL_REPORT:
	case INCIDENT_DL_CLOSE_REPORT:
		break;
	}
	*agency_id = i->agency_id;
	*roles = ROLE_REPORTER;
}

int incident_level_notices(struct store_conn *c, const struct incident_policy *p,
	struct incident *i, int64_t now)
{
	char title[256];
	int ret = 0, got;

	if (i->national_notified || !p->level[i->level].notify_national)
		return 0;
	snprintf(title, sizeof(title), "%d 級資安事件 Level %d incident %lld (%s)", i->level,
		i->level, (long long)i->id, i->agency_code);
	for (size_t k = 0; k < p->noffices && !ret; k++) {
		got = incident_notify_office(c, p->offices[k], i->id, "incident.national", title);
		if (got < -1)
			return got;
		ret = incident_event_add(c, i->id, now, 0, "system", "notice.national",
			got < 0 ? "national office %s: no such agency, not notified"
				: "national office %s notified (%d users)",
			p->offices[k], got < 0 ? 0 : got);
	}
	/* §3.2(一): the authority's CISO and CIO, here its reviewers. */
	got = ret ? 0 : incident_notify_agency(c, i->supervisor_id, ROLE_REVIEWER, i->id,
			"incident.national", title);
	if (got < 0)
		return got;
	if (!ret)
		ret = store_exec(c, "UPDATE incidents SET national_notified = 1 WHERE id = ?", "i",
			i->id);
	if (ret >= 0)
		i->national_notified = true;
	return ret < 0 ? ret : 0;
}

/* Find case number, or open it at the center; *id gets it, *opened whether it is new. */
static int find_or_open(struct store_conn *c, const struct incident_policy *p,
	const struct incident *i, const char *number, const struct audit_event *ev, int64_t *id,
	bool *opened, struct err_msg *err)
{
	struct intel_case k;
	struct audit_event e;
	int ret;

	*opened = false;
	if (intel_case_find(c, number, &k) == 0) {
		*id = k.id;
		return 0;
	}
	memset(&k, 0, sizeof(k));
	str_copy(k.number, sizeof(k.number), number);
	k.office_id = incident_agency_id(c, p->center);
	if (!k.office_id)
		return err_set(err, ERR_INVAL, "center", "the policy's center '%s' is no agency",
			p->center);
	snprintf(k.title, sizeof(k.title), "資安事件 incident %lld: %s", (long long)i->id, i->title);
	if (ev) {
		e = *ev;
		e.action = "case.create";
		e.object_type = "case";
	}
	ret = intel_case_create(c, &k, 0, ev ? &e : NULL, err);
	if (!ret) {
		*id = k.id;
		*opened = true;
	}
	return ret;
}

int incident_crime_case(struct store_conn *c, const struct incident_policy *p, int64_t id,
	const char *case_number, const struct audit_event *ev, struct err_msg *err)
{
	struct incident i;
	char number[96], title[256];
	int64_t case_id = 0;
	bool opened;
	int ret = incident_get(c, id, &i);

	if (ret)
		return ret;
	if (i.case_id || !i.crime || !p->level[i.level].crime_case)
		goto out;
	if (case_number && *case_number)
		str_copy(number, sizeof(number), case_number);
	else
		snprintf(number, sizeof(number), "%d年度%s字第%lld號",
			roc_year_now(), p->case_word,
			(long long)id);
	ret = find_or_open(c, p, &i, number, ev, &case_id, &opened, err);
	if (ret)
		goto out;
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c, "UPDATE incidents SET case_id = ? WHERE id = ? AND case_id IS NULL",
			"ii", case_id, id);
	if (ret >= 0)
		ret = incident_event_add(c, id, clock_now(), 0, "system", "case",
			"%s case %s (level %d, involves crime)", opened ? "opened" : "linked to", number,
			i.level);
	snprintf(title, sizeof(title), "資安事件涉及犯罪 Incident %lld (level %d) involves crime: case %s",
		(long long)id, i.level, number);
	if (!ret)
		ret = incident_notify_agency(c, incident_agency_id(c, p->center), ROLE_ANALYST, id,
			"incident.crime", title);
	if (ret >= 0)
		ret = incident_audit(c, ev, "incident.case", id, number);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
out:
	incident_release(&i);
	return ret;
}
