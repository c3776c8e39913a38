/*
 * intel/report_api.c - reports over HTTP: file one (and learn at once who
 * else has seen its identifiers), list and read them under need-to-know.
 * Reading a report is audited.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

int intel_api_correlations(struct http_request *req, const struct intel_report *r, json_t **out)
{
	const struct auth_principal *p = http_principal(req);
	json_t *shared = json_array();
	int64_t related_total = 0;
	int ret = 0;

	for (size_t i = 0; i < r->nidents && !ret; i++) {
		const struct intel_report_ident *ri = &r->idents[i];
		json_t *ident = NULL, *visible = NULL, *blind = NULL;
		int64_t row = 0, ncases = 0, nreports;
		bool truncated = false, repeat = false;
		for (size_t j = 0; j < i; j++)
			repeat |= !strcmp(r->idents[j].id.value, ri->id.value) &&
				r->idents[j].id.type == ri->id.type;
		if (repeat || intel_role_is_victim(ri->role))
			continue;
		ret = store_query_int64(http_db(req), &row,
			"SELECT id FROM identifiers WHERE type = ? AND value = ?", "tt",
			ident_type_name(ri->id.type), ri->id.value);
		if (ret == ERR_NOTFOUND) {
			ret = 0;
			continue;
		}
		if (!ret)
			ret = intel_identifier_json(http_db(req), row, &ident);
		if (ret)
			break;
		if (intel_warning_match(http_db(req), &ri->id)) {
			json_object_set_new(ident, "warning_list", json_true());
			json_decref(ident);
			continue; /* never correlates */
		}
		if (json_is_true(json_object_get(ident, "under_review"))) {
			json_array_append_new(shared, json_pack("{s:o,s:s}", "identifier", ident,
				"note", "this identifier is awaiting review; its hits are withheld"));
			continue;
		}
		ret = intel_postings(http_db(req), p, http_reach(req), row, r->id, &visible, &blind,
			&ncases, &truncated);
		if (ret) {
			json_decref(ident);
			break;
		}
		nreports = (int64_t)json_array_size(visible);
		for (size_t k = 0; k < json_array_size(blind); k++)
			nreports += json_integer_value(json_object_get(json_array_get(blind, k), "reports"));
		if (!nreports) {
			json_decref(ident);
			json_decref(visible);
			json_decref(blind);
			continue;
		}
		related_total += nreports;
		json_array_append_new(shared, json_pack("{s:o,s:s,s:I,s:I,s:o,s:o,s:b}", "identifier",
			ident, "role", ri->role, "other_reports", (json_int_t)nreports, "cases",
			(json_int_t)ncases, "reports", visible, "blind", blind, "truncated", truncated));
	}
	if (ret) {
		json_decref(shared);
		return ret;
	}
	*out = json_pack("{s:I,s:I,s:o}", "shared_identifiers", (json_int_t)json_array_size(shared),
		"related_reports", (json_int_t)related_total, "items", shared);
	return 0;
}

int intel_api_post_report(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	struct intel_report r = { 0 };
	struct audit_event ev;
	json_t *body = NULL, *corr = NULL, *out;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = intel_report_from_json(req, body, &r);
	if (ret)
		goto out;
	if (!r.agency_id)
		r.agency_id = p->agency_id;
	if (r.agency_id != p->agency_id && http_reach(req) != REACH_ALL) {
		ret = http_fail(req, ERR_DENIED, "agency_id", "you may file reports for your own agency only");
		goto out;
	}
	if (r.case_id) {
		struct intel_case k;
		if (intel_case_get(http_db(req), r.case_id, &k) ||
			!intel_case_visible(http_db(req), p, http_reach(req), &k)) {
			ret = http_fail(req, ERR_NOTFOUND, "case_id", "no case %lld you are a member of",
				(long long)r.case_id);
			goto out;
		}
	}
	r.created_by = p->user_id;
	audit_event_from_request(&ev, req, "report.create", "report", NULL, AUDIT_OK);
	ret = intel_report_create(http_db(req), &r, &ev, http_err(req));
	if (ret == ERR_CONFLICT && r.id)
		http_fail(req, ERR_CONFLICT, "source_ref",
			"a report with source_ref '%s' is already stored (id %lld)", r.source_ref,
			(long long)r.id);
	if (!ret)
		ret = intel_api_correlations(req, &r, &corr);
	if (ret)
		goto out;
	out = json_pack("{s:o,s:o,s:o}", "report", intel_report_json(&r, true), "correlations", corr,
		"extracted", intel_extracted_json(r.narrative ? r.narrative : "", &r));
	ret = http_reply_json(req, 201, out);
out:
	intel_report_release(&r);
	json_decref(body);
	return ret;
}

/* Load report id if the caller may read it; 404 otherwise (never its data). */
static int visible_report(struct http_request *req, int64_t id, struct intel_report *r)
{
	int ret = intel_report_get(http_db(req), id, r);

	if (ret == ERR_NOTFOUND ||
		(!ret && !intel_report_visible(http_db(req), http_principal(req), http_reach(req), r))) {
		struct audit_event ev;
		char idtext[24];
		if (!ret)
			intel_report_release(r);
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		audit_event_from_request(&ev, req, "report.read", "report", idtext, AUDIT_DENIED);
		audit_append_now(http_db(req), &ev);
		return http_fail(req, ERR_NOTFOUND, "id", "no report %lld that you may read",
			(long long)id);
	}
	return ret;
}

static void audit_read(struct http_request *req, const char *action, const char *type, int64_t id)
{
	struct audit_event ev;
	char idtext[24];

	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, action, type, idtext, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
}

int intel_api_get_report(struct http_request *req)
{
	struct intel_report r;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_report(req, id, &r);
	if (ret)
		return ret;
	audit_read(req, "report.read", "report", id);
	ret = http_reply_json(req, 200, intel_report_json(&r, true));
	intel_report_release(&r);
	return ret;
}

int intel_api_get_report_correlations(struct http_request *req)
{
	struct intel_report r;
	json_t *corr = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = visible_report(req, id, &r);
	if (ret)
		return ret;
	ret = intel_api_correlations(req, &r, &corr);
	intel_report_release(&r);
	if (ret)
		return ret;
	audit_read(req, "report.correlations", "report", id);
	return http_reply_json(req, 200, corr);
}

int intel_api_list_reports(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	const char *crime = http_query(req, "crime_type"), *since = http_query(req, "since");
	const char *until = http_query(req, "until");
	int64_t limit = 50, before = 0, case_id = 0;
	const char *v;
	struct store_stmt *st;
	json_t *items;
	int ret = 0;

	if ((v = http_query(req, "limit")) && str_to_int64(v, 1, 500, &limit))
		return http_fail(req, ERR_INVAL, "limit", "must be 1 to 500");
	if ((v = http_query(req, "before_id")) && str_to_int64(v, 1, INT64_MAX, &before))
		return http_fail(req, ERR_INVAL, "before_id", "must be a report id");
	if ((v = http_query(req, "case_id")) && str_to_int64(v, 1, INT64_MAX, &case_id))
		return http_fail(req, ERR_INVAL, "case_id", "must be a case id");
	if ((v = http_query(req, "q"))) {
		/* Text search: its own query (search.c); the other filters do not apply. */
		if (crime || since || until || case_id)
			return http_fail(req, ERR_INVAL, "q", "cannot be combined with other filters");
		ret = intel_report_search(http_db(req), p, http_reach(req), v, before, limit, &st);
		if (ret == ERR_INVAL)
			return http_fail(req, ERR_INVAL, "q", "give one to three words of 1 to 100 bytes");
	} else {
		ret = store_query(http_db(req), &st,
			"SELECT r.id, r.agency_id, a.name, r.channel, r.reported_at, r.crime_type, r.loss_twd,"
			" COALESCE(r.case_id, 0), COALESCE(r.duplicate_of, 0) FROM reports r"
			" JOIN agencies a ON a.id = r.agency_id"
			" WHERE (? = 1 OR r.agency_id = ? OR r.created_by = ?"
			"  OR r.case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))"
			" AND (? IS NULL OR r.crime_type = ?) AND (? IS NULL OR r.reported_at >= ?)"
			" AND (? IS NULL OR r.reported_at < ?) AND (? = 0 OR r.id < ?) AND (? = 0 OR r.case_id = ?)"
			" ORDER BY r.id DESC LIMIT ?",
			"biii" "tttttt" "iiii" "i", http_reach(req) == REACH_ALL, p->agency_id, p->user_id,
			p->user_id, crime, crime, since, since, until, until, before, before, case_id,
			case_id, limit);
	}
	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items,
			json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I,s:o,s:o}", "id",
				(json_int_t)store_col_int64(st, 0), "agency_id",
				(json_int_t)store_col_int64(st, 1), "agency", store_col_text(st, 2),
				"channel", store_col_text(st, 3), "reported_at", store_col_text(st, 4),
				"crime_type", store_col_text(st, 5), "loss_twd",
				(json_int_t)store_col_int64(st, 6), "case_id",
				store_col_int64(st, 7) ? json_integer(store_col_int64(st, 7)) : json_null(),
				"duplicate_of",
				store_col_int64(st, 8) ? json_integer(store_col_int64(st, 8)) : json_null()));
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)json_array_size(items)));
}
