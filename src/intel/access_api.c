/*
 * intel/access_api.c - access requests over HTTP: ask a case (from a blind
 * hit), list mine and those I decide, grant or refuse.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "intel/internal.h"
#include "store/store.h"

static json_t *request_json(const struct intel_access_request *a)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:s?,s:s,s:s}", "id", (json_int_t)a->id,
		"case_id", (json_int_t)a->case_id, "case_number", a->case_number, "requester_id",
		(json_int_t)a->requester_id, "requester", a->requester, "requester_agency_id",
		(json_int_t)a->requester_agency_id, "reason", a->reason, "status", a->status,
		"decided_at", a->decided_at[0] ? a->decided_at : NULL, "note", a->note, "created_at",
		a->created_at);
}

int intel_api_post_access_request(struct http_request *req)
{
	static const char *const fields[] = { "reason", NULL };
	struct intel_access_request a;
	struct audit_event ev;
	const char *reason = NULL;
	json_t *body = NULL;
	int64_t case_id, id = 0;
	int ret = http_param_id(req, "id", &case_id);

	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "reason", 2000, &reason);
	audit_event_from_request(&ev, req, "case.access.request", "case", NULL, AUDIT_OK);
	if (!ret)
		ret = intel_access_request(http_db(req), case_id, http_principal(req), reason, &ev, &id,
			http_err(req));
	if (!ret)
		ret = intel_access_get(http_db(req), id, &a);
	if (!ret)
		ret = http_reply_json(req, 201, request_json(&a));
	json_decref(body);
	return ret;
}

int intel_api_list_access_requests(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	bool all = http_reach(req) == REACH_ALL;
	struct store_stmt *st;
	json_t *mine = json_array(), *to_decide = json_array();
	int ret = store_query(http_db(req), &st,
		"SELECT a.id FROM access_requests a WHERE a.requester_id = ?"
		" OR (a.status = 'pending' AND (? = 1 OR a.case_id IN (SELECT case_id FROM case_members"
		" WHERE user_id = ? AND role IN ('owner', 'prosecutor'))))"
		" ORDER BY a.id DESC LIMIT 500",
		"ibi", p->user_id, all, p->user_id);

	if (ret) {
		json_decref(mine);
		json_decref(to_decide);
		return ret;
	}
	while ((ret = store_step(st)) == STORE_ROW) {
		struct intel_access_request a;
		/* Another cached statement on the same connection: safe while st steps. */
		if (intel_access_get(http_db(req), store_col_int64(st, 0), &a))
			continue;
		json_array_append_new(a.requester_id == p->user_id ? mine : to_decide,
			request_json(&a));
	}
	store_finish(st);
	if (ret < 0) {
		json_decref(mine);
		json_decref(to_decide);
		return ret;
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:o}", "mine", mine, "to_decide",
		to_decide));
}

int intel_api_decide_access_request(struct http_request *req)
{
	static const char *const fields[] = { "grant", "note", NULL };
	struct intel_access_request a;
	struct audit_event ev;
	const char *note = NULL;
	bool grant = false;
	json_t *body = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret && intel_access_get(http_db(req), id, &a))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no access request %lld", (long long)id);
	if (!ret && !intel_access_may_decide(http_db(req), http_principal(req), http_reach(req),
			    a.case_id))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no access request %lld that you decide",
			(long long)id);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret && !json_is_boolean(json_object_get(body, "grant")))
		ret = http_fail(req, ERR_INVAL, "grant", "must be true or false");
	if (!ret)
		ret = http_json_opt_bool(req, body, "grant", &grant);
	if (!ret)
		ret = http_json_opt_string(req, body, "note", 500, &note);
	audit_event_from_request(&ev, req, "case.access.decide", "case", NULL, AUDIT_OK);
	if (!ret)
		ret = intel_access_decide(http_db(req), id, http_principal(req), grant, note, &ev,
			http_err(req));
	if (!ret)
		ret = intel_access_get(http_db(req), id, &a);
	if (!ret)
		ret = http_reply_json(req, 200, request_json(&a));
	json_decref(body);
	return ret;
}
