/*
 * audit/audit_api.c - the audit log over HTTP, for auditors: filtered listing
 * (newest first, paged by sequence number) and an on-demand chain check.
 * Reading the audit log is itself audited.
 */
#include "audit/audit_api.h"

#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "http/http.h"
#include "store/store.h"

/* Filters: each is applied only when given, so one prepared statement serves all. */
static const char list_sql[] =
	"SELECT seq, at, actor_user_id, actor, agency_id, action, object_type, object_id, source,"
	" outcome, detail FROM audit_events"
	" WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action = ? OR action LIKE ?)"
	" AND (? IS NULL OR object_type = ?) AND (? IS NULL OR object_id = ?)"
	" AND (? IS NULL OR outcome = ?) AND (? = 0 OR agency_id = ?)"
	" AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?) AND (? = 0 OR seq < ?)"
	" ORDER BY seq DESC LIMIT ?";

static json_t *row_json(struct store_stmt *st)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "seq",
		(json_int_t)store_col_int64(st, 0), "at", store_col_text(st, 1), "actor_user_id",
		(json_int_t)store_col_int64(st, 2), "actor", store_col_text(st, 3), "agency_id",
		(json_int_t)store_col_int64(st, 4), "action", store_col_text(st, 5), "object_type",
		store_col_text(st, 6), "object_id", store_col_text(st, 7), "source",
		store_col_text(st, 8), "outcome", store_col_text(st, 9), "detail",
		store_col_text(st, 10));
}

static int int_query(struct http_request *req, const char *name, int64_t min, int64_t max,
	int64_t *out)
{
	const char *v = http_query(req, name);

	if (v && str_to_int64(v, min, max, out))
		return http_fail(req, ERR_INVAL, name, "must be a whole number from %lld to %lld",
			(long long)min, (long long)max);
	return 0;
}

static int list_events(struct http_request *req)
{
	const char *actor = http_query(req, "actor"), *action = http_query(req, "action");
	const char *otype = http_query(req, "object_type"), *oid = http_query(req, "object_id");
	const char *outcome = http_query(req, "outcome");
	const char *since = http_query(req, "since"), *until = http_query(req, "until");
	int64_t agency = 0, before = 0, limit = 100;
	struct buf prefix = BUF_INIT;
	struct store_stmt *st;
	struct audit_event ev;
	json_t *items;
	int ret = int_query(req, "agency_id", 1, INT64_MAX, &agency);

	if (!ret)
		ret = int_query(req, "before_seq", 1, INT64_MAX, &before);
	if (!ret)
		ret = int_query(req, "limit", 1, 1000, &limit);
	if (ret)
		return ret;
	/* action=user.* lists a family of actions. */
	if (action && action[0] && action[strlen(action) - 1] == '*')
		buf_addf(&prefix, "%.*s%%", (int)strlen(action) - 1, action);
	ret = store_query(http_db(req), &st, list_sql, "ttttttttttt" "ii" "tttt" "ii" "i", actor, actor,
		action, action, prefix.len ? prefix.s : NULL, otype, otype, oid, oid, outcome,
		outcome, agency, agency, since, since, until, until, before, before, limit);
	buf_release(&prefix);
	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items, row_json(st));
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	audit_event_from_request(&ev, req, "audit.read", "audit", "", AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)json_array_size(items)));
}

static int verify_chain(struct http_request *req)
{
	struct audit_verify_result res;
	struct audit_event ev;
	int ret = audit_verify(http_db(req), &res, NULL);

	if (ret && ret != ERR_CONFLICT)
		return ret;
	audit_event_from_request(&ev, req, "audit.verify", "audit", "",
		ret ? AUDIT_FAILED : AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, json_pack("{s:b,s:I,s:o,s:o,s:s?}", "intact", ret == 0,
		"events", (json_int_t)res.events, "bad_seq",
		res.bad_seq ? json_integer(res.bad_seq) : json_null(), "bad_id",
		res.bad_id ? json_integer(res.bad_id) : json_null(), "reason",
		ret ? res.reason : NULL));
}

static const struct http_route routes[] = {
	{ "GET", "/api/v1/audit", list_events, 0 },
	{ "GET", "/api/v1/audit/verify", verify_chain, 0 },
};

const struct http_route_table *audit_routes(void)
{
	static const struct http_route_table table = { "audit", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
