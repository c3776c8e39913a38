/*
 * intel/lookup_api.c - GET /api/v1/lookup (one value) and POST /api/v1/lookup
 * (up to 10,000): the real-time risk answer for banks, telecoms and the 165
 * hotline. Lookups are counted in /metrics, not audited one by one: they
 * return no case data, and a write per lookup would cap the service.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "intel/internal.h"

#define LOOKUP_BULK_MAX 10000

static json_t *result_json(const struct ident *id, const struct intel_lookup_result *r)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:s?,s:s?,s:b}", "type", ident_type_name(id->type),
		"value", id->value, "display", id->display, "risk", r->risk, "report_count",
		(json_int_t)(strcmp(r->risk, "none") ? r->report_count : 0), "first_seen",
		strcmp(r->risk, "none") && r->first_seen[0] ? r->first_seen : NULL, "last_seen",
		strcmp(r->risk, "none") && r->last_seen[0] ? r->last_seen : NULL, "flagged",
		strcmp(r->risk, "none") != 0);
}

/* Look up one (type, value); on bad input fills err and returns ERR_INVAL. */
static int lookup_one(struct http_request *req, const char *type_name, const char *value,
	json_t **out, struct err_msg *err)
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
	if (!ret)
		*out = result_json(&id, &r);
	return ret;
}

int intel_api_get_lookup(struct http_request *req)
{
	json_t *out = NULL;
	int ret = lookup_one(req, http_query(req, "type"), http_query(req, "value"), &out,
		http_err(req));

	return ret ? ret : http_reply_json(req, 200, out);
}

int intel_api_post_lookup(struct http_request *req)
{
	static const char *const fields[] = { "items", NULL };
	json_t *body = NULL, *items, *results, *item;
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
	results = json_array();
	json_array_foreach(items, i, item) {
		struct err_msg err = ERR_MSG_INIT;
		json_t *one = NULL;
		const char *type = json_string_value(json_object_get(item, "type"));
		const char *value = json_string_value(json_object_get(item, "value"));
		int r = json_is_object(item) ? lookup_one(req, type, value, &one, &err)
					     : err_set(&err, ERR_INVAL, "items", "must be {type, value}");
		if (r == ERR_INVAL) {
			one = json_pack("{s:s?,s:s?,s:{s:s,s:s,s:s}}", "type", type, "input", value,
				"error", "code", err_name(r), "field", err.field, "message", err.message);
			errors++;
		} else if (r) {
			json_decref(results);
			ret = r;
			goto out;
		} else if (json_is_true(json_object_get(one, "flagged"))) {
			flagged++;
		}
		json_array_append_new(results, one);
	}
	ret = http_reply_json(req, 200, json_pack("{s:o,s:I,s:I,s:I}", "items", results, "count",
		(json_int_t)json_array_size(results), "flagged", (json_int_t)flagged, "errors",
		(json_int_t)errors));
out:
	json_decref(body);
	return ret;
}
