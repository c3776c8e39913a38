/*
 * intel/case_view_api.c - what a case's page shows beyond the case itself:
 * the identifiers named in its reports with their cross-case counts, and its
 * timeline. Both are case-level data: members and the center only (404 for
 * anyone else, as GET /api/v1/cases/{id}), and every read is audited.
 *
 * The timeline is read from the audit log: every change of a case is
 * appended there in the change's own transaction (case.c, access.c), so the
 * log is the one complete history; reading it here is a read of the audit
 * module's table, never a write. Reads and denials are not history and are
 * left out, as are access requests (their reasons belong to the requester).
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

#define CASE_IDENTS_MAX 500
#define CASE_EVENTS_MAX 1000

/* Load case id if the caller may read it, else 404 (audited as a denied read). */
static int readable_case(
        struct http_request *req, const char *action, int64_t id, struct intel_case *k)
{
	struct audit_event ev;
	char idtext[24];
	int ret = intel_case_get(http_db(req), id, k);
	bool ok = !ret && intel_case_visible(http_db(req), http_principal(req), http_reach(req), k);

	if (ret && ret != ERR_NOTFOUND)
		return ret;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, action, "case", idtext, ok ? AUDIT_OK : AUDIT_DENIED);
	audit_append_now(http_db(req), &ev);
	return ok ? 0
	          : http_fail(req, ERR_NOTFOUND, "id", "no case %lld that you are a member of",
	                    (long long)id);
}

int intel_api_get_case_identifiers(struct http_request *req)
{
	struct intel_case k;
	struct store_stmt *st;
	json_t *items;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = readable_case(req, "case.identifiers", id, &k);
	if (ret)
		return ret;
	/*
	 * Per identifier: the case's reports naming it, and across the whole
	 * database the other cases and all reports naming it (the same counts as
	 * its blind hits; victims' own identifiers and duplicates never count).
	 */
	ret = store_query(http_db(req), &st,
	        "SELECT i.id, i.type, i.value, i.display, i.risk, i.review_flag, MIN(o.role),"
	        " COUNT(DISTINCT o.report_id),"
	        " (SELECT COUNT(DISTINCT r2.case_id) FROM observations o2"
	        "  JOIN reports r2 ON r2.id = o2.report_id WHERE o2.identifier_id = i.id"
	        "  AND r2.case_id IS NOT NULL AND r2.case_id <> ? AND o2.role <> 'victim'"
	        "  AND r2.duplicate_of IS NULL) AS other_cases,"
	        " i.report_count"
	        " FROM observations o JOIN reports r ON r.id = o.report_id"
	        " JOIN identifiers i ON i.id = o.identifier_id"
	        " WHERE r.case_id = ? AND o.role <> 'victim'"
	        " GROUP BY i.id, i.type, i.value, i.display, i.risk, i.review_flag, i.report_count"
	        " ORDER BY other_cases DESC, 8 DESC, i.id LIMIT ?",
	        "iii", id, id, (int64_t)CASE_IDENTS_MAX);
	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW) {
		struct ident parsed;
		enum ident_type type;
		const char *tname = store_col_text(st, 1), *value = store_col_text(st, 2);
		bool held = store_col_int64(st, 5) == 1;
		bool warned = !ident_type_parse(tname, &type) &&
		              !ident_parse(&parsed, type, value, strlen(value), NULL) &&
		              intel_warning_match(http_db(req), &parsed);
		/* Withheld hits stay withheld here too: no cross-case count for them. */
		bool counted = !held && !warned;
		json_array_append_new(items,
		        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:b,s:b}", "id",
		                (json_int_t)store_col_int64(st, 0), "type", tname, "value", value,
		                "display", store_col_text(st, 3), "risk", store_col_text(st, 4),
		                "role", store_col_text(st, 6), "case_reports",
		                (json_int_t)store_col_int64(st, 7), "other_cases",
		                counted ? json_integer(store_col_int64(st, 8)) : json_null(),
		                "all_reports",
		                counted ? json_integer(store_col_int64(st, 9)) : json_null(),
		                "warning_list", warned, "under_review", held));
	}
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200,
	        json_pack("{s:o,s:I,s:b}", "items", items, "count",
	                (json_int_t)json_array_size(items), "truncated",
	                json_array_size(items) >= CASE_IDENTS_MAX));
}

int intel_api_get_case_events(struct http_request *req)
{
	struct intel_case k;
	struct store_stmt *st;
	char idtext[24];
	json_t *items;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = readable_case(req, "case.events", id, &k);
	if (ret)
		return ret;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	/*
	 * The case's changes from the audit log, and the reports linked to it at
	 * the time they were reported, in one time order (both are UTC ISO text).
	 */
	ret = store_query(http_db(req), &st,
	        "SELECT at, action, actor, detail, 0 FROM audit_events"
	        " WHERE object_type = 'case' AND object_id = ? AND outcome = ?"
	        " AND action IN ('case.create', 'case.update', 'case.member.add',"
	        "  'case.member.remove', 'case.report.link', 'case.access.grant',"
	        "  'case.access.refuse')"
	        " UNION ALL SELECT reported_at, 'report.reported', '', crime_type, id FROM reports"
	        " WHERE case_id = ?"
	        " ORDER BY 1, 2 LIMIT ?",
	        "ttii", idtext, AUDIT_OK, id, (int64_t)CASE_EVENTS_MAX);
	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW) {
		json_t *e = json_pack("{s:s,s:s,s:s,s:s}", "at", store_col_text(st, 0), "action",
		        store_col_text(st, 1), "actor", store_col_text(st, 2), "detail",
		        store_col_text(st, 3));
		if (store_col_int64(st, 4))
			json_object_set_new(e, "report_id", json_integer(store_col_int64(st, 4)));
		json_array_append_new(items, e);
	}
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200,
	        json_pack(
	                "{s:o,s:I}", "items", items, "count", (json_int_t)json_array_size(items)));
}
