/*
 * intel/lookup_api.c - GET /api/v1/lookup (one value) and POST /api/v1/lookup
 * (up to 10,000): the real-time risk answer for banks, telecoms and the 165
 * hotline. Lookups are counted in /metrics, not audited one by one: they
 * return no case data, and a write per lookup would cap the service.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/jsonw.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

#define LOOKUP_BULK_MAX 10000

static void result_json(struct jsonw *w, const struct ident *id,
	const struct intel_lookup_result *r)
{
	bool flagged = strcmp(r->risk, "none") != 0;

	jsonw_object_open(w);
	jsonw_key_string(w, "type", ident_type_name(id->type));
	jsonw_key_string(w, "value", id->value);
	jsonw_key_string(w, "display", id->display);
	jsonw_key_string(w, "risk", r->risk);
	jsonw_key_int(w, "report_count", flagged ? r->report_count : 0);
	jsonw_key_string(w, "first_seen", flagged && r->first_seen[0] ? r->first_seen : NULL);
	jsonw_key_string(w, "last_seen", flagged && r->last_seen[0] ? r->last_seen : NULL);
	jsonw_key_bool(w, "flagged", flagged);
	jsonw_object_close(w);
}

/*
 * Look up one (type, value) and write its answer to w; *flagged tells whether
 * it is flagged. On bad input fills err and returns ERR_INVAL, writing nothing.
 */
static int lookup_one(struct http_request *req, const char *type_name, const char *value,
	struct jsonw *w, bool *flagged, struct err_msg *err)
{
	struct intel_lookup_result r;
	enum ident_type type = 0;
	struct ident id;
	int ret;

	if (str_empty(value))
		return err_set(err, ERR_INVAL, "value", "is required");
	if (!str_empty(type_name) && ident_type_parse(type_name, &type))
		return err_set(err, ERR_INVAL, "type", "unknown identifier type '%s'", type_name);
	ret = type ? ident_parse(&id, type, value, strlen(value), err)
		   : ident_detect(&id, value, strlen(value), err);
	if (ret) {
		str_copy(err->field, sizeof(err->field), "value");
		return ERR_INVAL;
	}
	ret = intel_lookup(http_db(req), &id, &r, err);
	if (ret)
		return ret;
	result_json(w, &id, &r);
	*flagged = strcmp(r.risk, "none") != 0;
	return 0;
}

int intel_api_get_lookup(struct http_request *req)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	bool flagged;
	int ret;

	jsonw_init(&w, &out);
	ret = lookup_one(req, http_query(req, "type"), http_query(req, "value"), &w, &flagged,
		http_err(req));
	if (!ret)
		ret = jsonw_finish(&w);
	if (!ret)
		return http_reply_buf(req, 200, &out);
	buf_release(&out);
	return ret;
}

int intel_api_post_lookup(struct http_request *req)
{
	static const char *const fields[] = { "items", NULL };
	struct buf out = BUF_INIT;
	struct jsonw w;
	json_t *body = NULL, *items, *item;
	size_t i, flagged = 0, errors = 0;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (ret)
		goto out;
	items = json_object_get(body, "items");
	if (!json_is_array(items) || !json_array_size(items)) {
		ret = http_fail(req, ERR_INVAL, "items", "must be a non-empty list of {type, value}");
		goto out;
	}
	if (json_array_size(items) > LOOKUP_BULK_MAX) {
		ret = http_fail(req, ERR_LIMIT, "items", "at most %d values per request",
			LOOKUP_BULK_MAX);
		goto out;
	}
	store_snapshot_begin(http_db(req)); /* a POST, but it only reads: one snapshot for all */
	jsonw_init(&w, &out);
	jsonw_object_open(&w);
	jsonw_key(&w, "items");
	jsonw_array_open(&w);
	json_array_foreach(items, i, item) {
		struct err_msg err = ERR_MSG_INIT;
		const char *type = json_string_value(json_object_get(item, "type"));
		const char *value = json_string_value(json_object_get(item, "value"));
		bool one_flagged = false;
		int r = json_is_object(item)
			? lookup_one(req, type, value, &w, &one_flagged, &err)
			: err_set(&err, ERR_INVAL, "items", "must be {type, value}");
		if (r == ERR_INVAL) {
			jsonw_object_open(&w);
			jsonw_key_string(&w, "type", type);
			jsonw_key_string(&w, "input", value);
			jsonw_key(&w, "error");
			jsonw_object_open(&w);
			jsonw_key_string(&w, "code", err_name(r));
			jsonw_key_string(&w, "field", err.field);
			jsonw_key_string(&w, "message", err.message);
			jsonw_object_close(&w);
			jsonw_object_close(&w);
			errors++;
		} else if (r) {
			ret = r;
			goto out;
		} else if (one_flagged) {
			flagged++;
		}
	}
	jsonw_array_close(&w);
	jsonw_key_int(&w, "count", (int64_t)json_array_size(items));
	jsonw_key_int(&w, "flagged", (int64_t)flagged);
	jsonw_key_int(&w, "errors", (int64_t)errors);
	jsonw_object_close(&w);
	ret = jsonw_finish(&w);
	if (!ret)
		ret = http_reply_buf(req, 200, &out);
out:
	buf_release(&out);
	json_decref(body);
	return ret;
}
