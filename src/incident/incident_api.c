/*
 * incident/incident_api.c - incidents over HTTP. The policy table decides
 * which roles may call each endpoint; here an incident out of the caller's
 * need-to-know (access.c) is 404, a step the caller may not take on a
 * visible incident is 403, a step out of order 409, and every read and
 * write is audited.
 */
#include "incident/incident_api.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "http/http.h"
#include "incident/internal.h"
#include "intel/intel.h"
#include "store/store.h"

/* Load incident {id} if the caller may see it; 404 (audited as denied) otherwise. */
static int load(struct http_request *req, const char *action, struct incident *i)
{
	struct audit_event ev;
	char idtext[24];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	ret = incident_get(http_db(req), id, i);
	if (ret == ERR_NOTFOUND ||
		(!ret && !incident_visible(http_db(req), http_principal(req), http_reach(req), i))) {
		incident_release(i);
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		audit_event_from_request(&ev, req, action, "incident", idtext, AUDIT_DENIED);
		audit_append_now(http_db(req), &ev);
		return http_fail(req, ERR_NOTFOUND, "id", "no incident %lld within your reach",
			(long long)id);
	}
	return ret;
}

static void audit_read(struct http_request *req, const char *action, int64_t id)
{
	struct audit_event ev;
	char idtext[24];

	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, action, "incident", id ? idtext : NULL, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
}

/* The linked case: its number only for those who may read the case. */
static json_t *case_json(struct http_request *req, int64_t case_id)
{
	const struct auth_principal *p = http_principal(req);
	int reach = auth_policy_decide(p, "GET", "/api/v1/cases/{id}");
	struct intel_case k;

	if (!case_id)
		return json_null();
	if (intel_case_get(http_db(req), case_id, &k) ||
		!intel_case_visible(http_db(req), p, reach, &k))
		return json_pack("{s:I,s:s,s:b}", "id", (json_int_t)case_id, "number", "restricted",
			"restricted", 1);
	return json_pack("{s:I,s:s,s:b}", "id", (json_int_t)case_id, "number", k.number,
		"restricted", 0);
}

/* The incident with its deadlines and case, as every answer about one incident. */
static int reply_incident(struct http_request *req, int status, struct incident *i)
{
	struct incident_deadline *d = NULL;
	size_t n = 0;
	json_t *o;
	int ret = incident_deadlines(http_db(req), i->id, &d, &n);

	if (ret)
		return ret;
	o = incident_json(i);
	json_object_set_new(o, "deadlines", incident_deadlines_json(d, n));
	json_object_set_new(o, "case", case_json(req, i->case_id));
	free(d);
	return http_reply_json(req, status, o);
}

static int list_incidents(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	const char *state = http_query(req, "state");
	struct incident_filter f = { 0 };
	struct incident *v = NULL;
	enum incident_state s;
	json_t *items;
	size_t n = 0;
	int ret;

	if (!str_empty(state) && incident_state_parse(state, &s))
		return http_fail(req, ERR_INVAL, "state", "unknown state '%s'", state);
	f.all = http_reach(req) == REACH_ALL || incident_is_service_center(http_db(req), p);
	f.agency_id = p->agency_id;
	f.state = str_empty(state) ? NULL : state;
	f.limit = 200;
	ret = incident_list(http_db(req), &f, &v, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t k = 0; k < n; k++) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:i,s:s,s:b,s:b}", "id", (json_int_t)v[k].id,
			"agency", v[k].agency_code, "state", incident_state_name(v[k].state), "level",
			v[k].level, "title", v[k].title, "support_requested", v[k].support_requested,
			"review_escalated", v[k].review_escalated);
		json_object_set_new(o, "discovered_at", incident_time_json(v[k].discovered_at));
		json_object_set_new(o, "reported_at", incident_time_json(v[k].reported_at));
		json_array_append_new(items, o);
	}
	free(v);
	audit_read(req, "incident.list", 0);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static int file_incident(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	struct incident *i = calloc(1, sizeof(*i));
	struct incident_actor a;
	struct audit_event ev;
	json_t *body = NULL;
	int ret = i ? http_json_body(req, &body) : ERR_NOMEM;

	if (!ret) {
		i->agency_id = p->agency_id;
		ret = incident_from_json(body, i, http_err(req));
	}
	audit_event_from_request(&ev, req, "incident.file", "incident", NULL, AUDIT_OK);
	a = (struct incident_actor){ p, &ev };
	if (!ret)
		ret = incident_file(http_db(req), i, &a, http_err(req));
	if (ret == ERR_DENIED) {
		ev.outcome = AUDIT_DENIED;
		ev.detail = http_err(req)->message;
		audit_append_now(http_db(req), &ev);
	}
	if (!ret) {
		incident_release(i);
		ret = incident_get(http_db(req), i->id, i);
	}
	if (!ret)
		ret = reply_incident(req, 201, i);
	json_decref(body);
	incident_release(i);
	free(i);
	return ret;
}

static int get_incident(struct http_request *req)
{
	struct incident *i = calloc(1, sizeof(*i));
	int ret = i ? load(req, "incident.read", i) : ERR_NOMEM;

	if (!ret) {
		audit_read(req, "incident.read", i->id);
		ret = reply_incident(req, 200, i);
	}
	incident_release(i);
	free(i);
	return ret;
}

static int get_timeline(struct http_request *req)
{
	struct incident *i = calloc(1, sizeof(*i));
	struct incident_event *v = NULL;
	json_t *items;
	size_t n = 0;
	int ret = i ? load(req, "incident.timeline", i) : ERR_NOMEM;

	if (!ret)
		ret = incident_timeline(http_db(req), i->id, &v, &n);
	if (!ret) {
		items = json_array();
		for (size_t k = 0; k < n; k++) {
			json_t *o = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)v[k].id, "actor",
				v[k].actor, "kind", v[k].kind, "detail", v[k].detail);
			json_object_set_new(o, "at", incident_time_json(v[k].at));
			json_array_append_new(items, o);
		}
		audit_read(req, "incident.timeline", i->id);
		ret = http_reply_json(req, 200, json_pack("{s:I,s:o}", "id", (json_int_t)i->id,
							   "items", items));
	}
	free(v);
	incident_release(i);
	free(i);
	return ret;
}

/* A decision field: "accept" (the default) or "return". */
static int decision(struct http_request *req, json_t *body, bool *accept)
{
	const char *d = NULL;
	int ret = http_json_opt_string(req, body, "decision", 16, &d);

	*accept = true;
	if (ret || !d || !strcmp(d, "accept"))
		return ret;
	if (strcmp(d, "return"))
		return http_fail(req, ERR_INVAL, "decision", "'%s' is not accept or return", d);
	*accept = false;
	return 0;
}

/* One step on {id}: visible or 404; the module answers 403 / 409 / 400 naming the field. */
static int step(struct http_request *req, enum incident_step st, const char *const *allowed)
{
	const struct auth_principal *p = http_principal(req);
	struct incident_step_args args = { 0 };
	struct incident *i = calloc(1, sizeof(*i));
	struct incident_actor a;
	struct audit_event ev;
	char action[48], idtext[24];
	json_t *body = NULL;
	bool accept = true;
	int ret;

	snprintf(action, sizeof(action), "incident.%s", incident_step_name(st));
	ret = i ? load(req, action, i) : ERR_NOMEM;
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret && (st == INCIDENT_STEP_REVIEW || st == INCIDENT_STEP_CLOSE))
		ret = decision(req, body, &accept);
	if (!accept)
		st = st == INCIDENT_STEP_REVIEW ? INCIDENT_STEP_RETURN : INCIDENT_STEP_CLOSE_RETURN;
	if (!ret)
		ret = incident_args_from_json(body, allowed, &args, http_err(req));
	snprintf(idtext, sizeof(idtext), "%lld", (long long)(i ? i->id : 0));
	audit_event_from_request(&ev, req, action, "incident", idtext, AUDIT_OK);
	a = (struct incident_actor){ p, &ev };
	if (!ret)
		ret = incident_step(http_db(req), i->id, st, &args, &a, http_err(req));
	if (ret == ERR_DENIED) {
		snprintf(action, sizeof(action), "incident.%s", incident_step_name(st));
		ev.action = action;
		ev.object_type = "incident";
		ev.outcome = AUDIT_DENIED;
		ev.detail = http_err(req)->message;
		audit_append_now(http_db(req), &ev);
	}
	if (!ret) {
		incident_release(i);
		ret = incident_get(http_db(req), i->id, i);
	}
	if (!ret)
		ret = reply_incident(req, 200, i);
	json_decref(body);
	incident_release(i);
	free(i);
	return ret;
}

static int supplement(struct http_request *req)
{
	static const char *const allowed[] = { "note", "description", "systems", NULL };
	return step(req, INCIDENT_STEP_SUPPLEMENT, allowed);
}

static int review(struct http_request *req)
{
	static const char *const allowed[] = { "decision", "level", "crime", "note", NULL };
	return step(req, INCIDENT_STEP_REVIEW, allowed);
}

static int rereview(struct http_request *req)
{
	static const char *const allowed[] = { "level", "crime", "note", "case_number", NULL };
	return step(req, INCIDENT_STEP_REREVIEW, allowed);
}

static int set_level(struct http_request *req)
{
	static const char *const allowed[] = { "level", "crime", "note", "case_number", NULL };
	return step(req, INCIDENT_STEP_LEVEL, allowed);
}

static int dispatch(struct http_request *req)
{
	static const char *const allowed[] = { "note", NULL };
	return step(req, INCIDENT_STEP_DISPATCH, allowed);
}

static int close_report(struct http_request *req)
{
	static const char *const allowed[] = { "timeline", "damage", "after_effects", "response",
		"improvements", "recovered_at", NULL };
	return step(req, INCIDENT_STEP_CLOSE_REPORT, allowed);
}

static int close_incident(struct http_request *req)
{
	static const char *const allowed[] = { "decision", "note", NULL };
	return step(req, INCIDENT_STEP_CLOSE, allowed);
}

static int get_policy(struct http_request *req)
{
	struct incident_policy p;
	char path[512], error[600], *text = NULL;
	size_t len = 0;
	int64_t loaded_at;
	FILE *f;
	json_t *o;

	incident_policy_current(&p);
	incident_policy_status(path, sizeof(path), &loaded_at, error, sizeof(error));
	f = open_memstream(&text, &len);
	if (!f)
		return ERR_NOMEM;
	incident_policy_print(&p, f);
	fclose(f);
	o = json_pack("{s:s,s:s,s:s%}", "source", p.source, "path", path, "text", text, len);
	json_object_set_new(o, "loaded_at", incident_time_json(loaded_at));
	json_object_set_new(o, "last_error", *error ? json_string(error) : json_null());
	free(text);
	return http_reply_json(req, 200, o);
}

static const struct http_route routes[] = {
	{ "GET", "/api/v1/incidents", list_incidents, 0 },
	{ "POST", "/api/v1/incidents", file_incident, 0 },
	{ "GET", "/api/v1/incidents/{id}", get_incident, 0 },
	{ "GET", "/api/v1/incidents/{id}/timeline", get_timeline, 0 },
	{ "POST", "/api/v1/incidents/{id}/supplement", supplement, 0 },
	{ "POST", "/api/v1/incidents/{id}/review", review, 0 },
	{ "POST", "/api/v1/incidents/{id}/rereview", rereview, 0 },
	{ "POST", "/api/v1/incidents/{id}/level", set_level, 0 },
	{ "POST", "/api/v1/incidents/{id}/dispatch", dispatch, 0 },
	{ "POST", "/api/v1/incidents/{id}/close-report", close_report, 0 },
	{ "POST", "/api/v1/incidents/{id}/close", close_incident, 0 },
	{ "GET", "/api/v1/incident-policy", get_policy, 0 },
};

const struct http_route_table *incident_routes(void)
{
	static const struct http_route_table table = { "incident", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
