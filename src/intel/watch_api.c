/*
 * intel/watch_api.c - a user's watchlist over HTTP.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

int intel_api_list_watches(struct http_request *req)
{
	struct store_stmt *st;
	json_t *items;
	int ret = store_query(http_db(req), &st,
		"SELECT w.id, w.identifier_id, i.type, i.display, i.report_count, i.last_seen, w.note,"
		" w.created_at FROM watches w JOIN identifiers i ON i.id = w.identifier_id"
		" WHERE w.user_id = ? ORDER BY w.id DESC",
		"i", http_principal(req)->user_id);

	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items, json_pack("{s:I,s:I,s:s,s:s,s:I,s:s?,s:s,s:s}", "id",
			(json_int_t)store_col_int64(st, 0), "identifier_id",
			(json_int_t)store_col_int64(st, 1), "type", store_col_text(st, 2), "display",
			store_col_text(st, 3), "report_count", (json_int_t)store_col_int64(st, 4),
			"last_seen", store_col_null(st, 5) ? NULL : store_col_text(st, 5), "note",
			store_col_text(st, 6), "created_at", store_col_text(st, 7)));
	store_finish(st);
	if (ret < 0) {
		json_decref(items);
		return ret;
	}
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)json_array_size(items)));
}

int intel_api_post_watch(struct http_request *req)
{
	static const char *const fields[] = { "type", "value", "note", NULL };
	const char *type_name = NULL, *value = NULL, *note = NULL;
	enum ident_type type = 0;
	struct audit_event ev;
	struct ident id;
	json_t *body = NULL;
	int64_t watch = 0;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "value", 1000, &value);
	if (!ret)
		ret = http_json_opt_string(req, body, "type", 32, &type_name);
	if (!ret)
		ret = http_json_opt_string(req, body, "note", 500, &note);
	if (!ret && type_name && ident_type_parse(type_name, &type))
		ret = http_fail(req, ERR_INVAL, "type", "unknown identifier type '%s'", type_name);
	if (!ret && (type ? ident_parse(&id, type, value, strlen(value), http_err(req))
			  : ident_detect(&id, value, strlen(value), http_err(req)))) {
		str_copy(http_err(req)->field, sizeof(http_err(req)->field), "value");
		ret = ERR_INVAL;
	}
	audit_event_from_request(&ev, req, "watch.add", "identifier", NULL, AUDIT_OK);
	if (!ret) {
		ev.object_id = id.value;
		ret = intel_watch_add(http_db(req), http_principal(req)->user_id, &id, note, &ev, &watch,
			http_err(req));
	}
	if (!ret)
		ret = http_reply_json(req, 201, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)watch,
			"type", ident_type_name(id.type), "value", id.value, "display", id.display));
	json_decref(body);
	return ret;
}

int intel_api_delete_watch(struct http_request *req)
{
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret && intel_watch_remove(http_db(req), http_principal(req)->user_id, id))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no watch %lld of yours", (long long)id);
	return ret ? ret : http_reply_bytes(req, 204, NULL, "", 0);
}
