/*
 * intel/case_api.c - cases over HTTP: open one, list and read those the
 * caller is a member of (the center sees all), change status, manage members,
 * link reports. Reading a case is audited.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/err.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

static void case_event(struct audit_event *ev, struct http_request *req, const char *action,
	int64_t id, char idtext[24])
{
	snprintf(idtext, 24, "%lld", (long long)id);
	audit_event_from_request(ev, req, action, "case", idtext, AUDIT_OK);
}

/* Load case id if the caller may see it; 404 (audited as denied) otherwise. */
static int visible_case(struct http_request *req, int64_t id, struct intel_case *k)
{
	int ret = intel_case_get(http_db(req), id, k);

	if (ret == ERR_NOTFOUND ||
		(!ret && !intel_case_visible(http_db(req), http_principal(req), http_reach(req), k))) {
		struct audit_event ev;
		char idtext[24];
		case_event(&ev, req, "case.read", id, idtext);
		ev.outcome = AUDIT_DENIED;
		audit_append_now(http_db(req), &ev);
		return http_fail(req, ERR_NOTFOUND, "id", "no case %lld that you are a member of",
			(long long)id);
	}
	return ret;
}

int intel_api_post_case(struct http_request *req)
{
	static const char *const fields[] = { "number", "office_id", "title", "status", NULL };
	const struct auth_principal *p = http_principal(req);
	struct intel_case k = { 0 };
	struct audit_event ev;
	const char *number = NULL, *title = NULL, *status = NULL;
	char idtext[24];
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "number", 90, &number);
	if (!ret)
		ret = http_json_opt_int(req, body, "office_id", 1, INT64_MAX, &k.office_id);
	if (!ret)
		ret = http_json_opt_string(req, body, "title", 250, &title);
	if (!ret)
		ret = http_json_opt_string(req, body, "status", 20, &status);
	if (ret)
		goto out;
	if (!k.office_id)
		k.office_id = p->agency_id;
	if (k.office_id != p->agency_id && http_reach(req) != REACH_ALL) {
		ret = http_fail(req, ERR_DENIED, "office_id", "you may open cases for your own office only");
		goto out;
	}
	str_copy(k.number, sizeof(k.number), number);
	str_copy(k.title, sizeof(k.title), title ? title : "");
	str_copy(k.status, sizeof(k.status), status ? status : "open");
	case_event(&ev, req, "case.create", 0, idtext);
	ret = intel_case_create(http_db(req), &k, p->user_id, &ev, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 201, intel_case_json(&k));
out:
	json_decref(body);
	return ret;
}

int intel_api_list_cases(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	const char *status = http_query(req, "status");
	struct store_stmt *st;
	json_t *items;
	int ret = store_query(http_db(req), &st,
		"SELECT k.id, k.number, k.office_id, a.name, k.title, k.status, k.updated_at,"
		" (SELECT COUNT(*) FROM reports r WHERE r.case_id = k.id)"
		" FROM cases k JOIN agencies a ON a.id = k.office_id"
		" WHERE (? = 1 OR k.id IN (SELECT case_id FROM case_members WHERE user_id = ?))"
		" AND (? IS NULL OR k.status = ?) ORDER BY k.updated_at DESC, k.id DESC LIMIT 500",
		"bitt", http_reach(req) == REACH_ALL, p->user_id, status, status);

	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items,
			json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:I}", "id",
				(json_int_t)store_col_int64(st, 0), "number", store_col_text(st, 1),
				"office_id", (json_int_t)store_col_int64(st, 2), "office",
				store_col_text(st, 3), "title", store_col_text(st, 4), "status",
				store_col_text(st, 5), "updated_at", store_col_text(st, 6), "reports",
				(json_int_t)store_col_int64(st, 7)));
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)json_array_size(items)));
}

static json_t *members_json(struct store_conn *c, int64_t case_id)
{
	struct intel_case_member *m = NULL;
	json_t *out = json_array();
	size_t n = 0;

	if (intel_case_members(c, case_id, &m, &n))
		return out;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s}", "user_id",
			(json_int_t)m[i].user_id, "username", m[i].username, "display_name",
			m[i].display_name, "agency_id", (json_int_t)m[i].agency_id, "role", m[i].role,
			"added_at", m[i].added_at));
	free(m);
	return out;
}

int intel_api_get_case(struct http_request *req)
{
	struct intel_case k;
	struct audit_event ev;
	struct store_stmt *st;
	json_t *out, *reports;
	char idtext[24];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_case(req, id, &k);
	if (ret)
		return ret;
	reports = json_array();
	ret = store_query(http_db(req), &st,
		"SELECT id, reported_at, crime_type, loss_twd, channel FROM reports WHERE case_id = ?"
		" ORDER BY reported_at",
		"i", id);
	if (ret) {
		json_decref(reports);
		return ret;
	}
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(reports, json_pack("{s:I,s:s,s:s,s:I,s:s}", "id",
			(json_int_t)store_col_int64(st, 0), "reported_at", store_col_text(st, 1),
			"crime_type", store_col_text(st, 2), "loss_twd",
			(json_int_t)store_col_int64(st, 3), "channel", store_col_text(st, 4)));
	store_finish(st);
	if (ret < 0) {
		json_decref(reports);
		return ret;
	}
	out = intel_case_json(&k);
	json_object_set_new(out, "members", members_json(http_db(req), id));
	json_object_set_new(out, "reports", reports);
	case_event(&ev, req, "case.read", id, idtext);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, out);
}

/* Changing a case takes membership (owner or prosecutor) unless the center reaches all. */
static int may_change(struct http_request *req, const struct intel_case *k)
{
	const struct auth_principal *p = http_principal(req);
	struct intel_case_member *m = NULL;
	size_t n = 0;
	bool ok = http_reach(req) == REACH_ALL;

	if (!ok && !intel_case_members(http_db(req), k->id, &m, &n))
		for (size_t i = 0; i < n; i++)
			ok |= m[i].user_id == p->user_id &&
				(!strcmp(m[i].role, "owner") || !strcmp(m[i].role, "prosecutor"));
	free(m);
	return ok ? 0
		  : http_fail(req, ERR_DENIED, "case", "only the case's owner or prosecutor may change it");
}

int intel_api_patch_case(struct http_request *req)
{
	static const char *const fields[] = { "title", "status", NULL };
	struct intel_case k;
	struct audit_event ev;
	const char *title = NULL, *status = NULL;
	char idtext[24];
	json_t *body = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_case(req, id, &k);
	if (!ret)
		ret = may_change(req, &k);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_opt_string(req, body, "title", 250, &title);
	if (!ret)
		ret = http_json_opt_string(req, body, "status", 20, &status);
	if (ret)
		goto out;
	if (title)
		str_copy(k.title, sizeof(k.title), title);
	if (status)
		str_copy(k.status, sizeof(k.status), status);
	case_event(&ev, req, "case.update", id, idtext);
	ret = intel_case_update(http_db(req), &k, &ev, http_err(req));
	if (!ret)
		ret = intel_case_get(http_db(req), id, &k);
	if (!ret)
		ret = http_reply_json(req, 200, intel_case_json(&k));
out:
	json_decref(body);
	return ret;
}

int intel_api_post_case_member(struct http_request *req)
{
	static const char *const fields[] = { "user_id", "role", NULL };
	struct intel_case k;
	struct audit_event ev;
	const char *role = "investigator";
	int64_t id, user = 0;
	char idtext[24];
	json_t *body = NULL;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_case(req, id, &k);
	if (!ret)
		ret = may_change(req, &k);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_opt_int(req, body, "user_id", 1, INT64_MAX, &user);
	if (!ret && !user)
		ret = http_fail(req, ERR_INVAL, "user_id", "is required");
	if (!ret)
		ret = http_json_opt_string(req, body, "role", 20, &role);
	case_event(&ev, req, "case.member.add", id, idtext);
	if (!ret)
		ret = intel_case_add_member(http_db(req), id, user, role, &ev, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 200, json_pack("{s:o}", "members",
			members_json(http_db(req), id)));
	json_decref(body);
	return ret;
}

int intel_api_delete_case_member(struct http_request *req)
{
	struct intel_case k;
	struct audit_event ev;
	int64_t id, user;
	char idtext[24];
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = http_param_id(req, "user_id", &user);
	if (!ret)
		ret = visible_case(req, id, &k);
	if (!ret)
		ret = may_change(req, &k);
	case_event(&ev, req, "case.member.remove", id, idtext);
	if (!ret)
		ret = intel_case_remove_member(http_db(req), id, user, &ev, http_err(req));
	return ret ? ret : http_reply_bytes(req, 204, NULL, "", 0);
}

int intel_api_post_case_report(struct http_request *req)
{
	static const char *const fields[] = { "report_id", NULL };
	const struct auth_principal *p = http_principal(req);
	struct intel_case k;
	struct intel_report r;
	struct audit_event ev;
	int64_t id, report = 0;
	char idtext[24];
	json_t *body = NULL;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_case(req, id, &k);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_opt_int(req, body, "report_id", 1, INT64_MAX, &report);
	if (!ret && !report)
		ret = http_fail(req, ERR_INVAL, "report_id", "is required");
	json_decref(body);
	if (ret)
		return ret;
	/* Linking needs sight of the report too: no pulling others' reports into a case. */
	ret = intel_report_get(http_db(req), report, &r);
	if (ret || !intel_report_visible(http_db(req), p, http_reach(req), &r)) {
		if (!ret)
			intel_report_release(&r);
		return http_fail(req, ERR_NOTFOUND, "report_id", "no report %lld that you may read",
			(long long)report);
	}
	intel_report_release(&r);
	case_event(&ev, req, "case.report.link", id, idtext);
	ret = intel_case_link_report(http_db(req), id, report, &ev, http_err(req));
	return ret ? ret : http_reply_json(req, 200, json_pack("{s:I,s:I}", "case_id",
				   (json_int_t)id, "report_id", (json_int_t)report));
}
