/*
 * intel/identifier_api.c - identifiers over HTTP: check a spelling with the
 * server's own rules (the UI validates live through this), find the record
 * of an identifier, and read it with every report and case that mentions it,
 * in full where need-to-know allows and as blind hits elsewhere.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "intel/internal.h"
#include "store/store.h"

/* Parse the type and value query arguments into id; errors name the argument. */
static int parse_query(struct http_request *req, struct ident *id)
{
	const char *type_name = http_query(req, "type"), *value = http_query(req, "value");
	enum ident_type type = 0;

	if (!value || !*value)
		return http_fail(req, ERR_INVAL, "value", "is required");
	if (type_name && *type_name && ident_type_parse(type_name, &type))
		return http_fail(req, ERR_INVAL, "type", "unknown identifier type '%s'", type_name);
	if ((type ? ident_parse(id, type, value, strlen(value), http_err(req))
		  : ident_detect(id, value, strlen(value), http_err(req)))) {
		/* Keep the parser's reason; the field is the argument the caller sent. */
		snprintf(http_err(req)->field, sizeof(http_err(req)->field), "value");
		return ERR_INVAL;
	}
	return 0;
}

int intel_api_parse_identifier(struct http_request *req)
{
	struct ident id, related[4];
	json_t *rel = json_array();
	size_t n;
	int ret = parse_query(req, &id);

	if (ret) {
		json_decref(rel);
		return ret;
	}
	n = ident_related(&id, related, 4);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rel, json_pack("{s:s,s:s}", "type",
			ident_type_name(related[i].type), "value", related[i].value));
	return http_reply_json(req, 200, json_pack("{s:s,s:s,s:s,s:o,s:b,s:o}", "type",
		ident_type_name(id.type), "value", id.value, "display", id.display, "detail",
		intel_ident_detail(&id), "sensitive", (id.flags & IDENT_SENSITIVE) != 0, "related",
		rel));
}

static int record(struct http_request *req, int64_t row)
{
	json_t *ident = NULL, *visible = NULL, *blind = NULL;
	struct audit_event ev;
	char idtext[24];
	int64_t ncases = 0;
	bool truncated = false;
	int ret = intel_identifier_json(http_db(req), row, &ident);

	if (ret == ERR_NOTFOUND)
		return http_fail(req, ERR_NOTFOUND, "id", "no identifier %lld", (long long)row);
	if (!ret)
		ret = intel_postings(http_db(req), http_principal(req), http_reach(req), row, 0,
			&visible, &blind, &ncases, &truncated);
	if (ret) {
		json_decref(ident);
		return ret;
	}
	snprintf(idtext, sizeof(idtext), "%lld", (long long)row);
	audit_event_from_request(&ev, req, "identifier.read", "identifier", idtext, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, json_pack("{s:o,s:o,s:o,s:I,s:b}", "identifier", ident,
		"reports", visible, "blind", blind, "cases", (json_int_t)ncases, "truncated",
		truncated));
}

int intel_api_get_identifier(struct http_request *req)
{
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	return ret ? ret : record(req, id);
}

int intel_api_find_identifier(struct http_request *req)
{
	struct ident id;
	int64_t row = 0;
	int ret = parse_query(req, &id);

	if (!ret)
		ret = store_query_int64(http_db(req), &row,
			"SELECT id FROM identifiers WHERE type = ? AND value = ?", "tt",
			ident_type_name(id.type), id.value);
	if (ret == ERR_NOTFOUND)
		return http_fail(req, ERR_NOTFOUND, "value", "%s %s has never been reported",
			ident_type_name(id.type), id.display);
	return ret ? ret : record(req, row);
}

/* The extracted identifiers of text as JSON, skipping those r already names (r may be NULL). */
json_t *intel_extracted_json(const char *text, const struct intel_report *r)
{
	struct intel_extracted *found = calloc(INTEL_EXTRACT_MAX, sizeof(*found));
	json_t *items = json_array();
	size_t n = found ? intel_extract(text, found, INTEL_EXTRACT_MAX) : 0;

	for (size_t i = 0; i < n; i++) {
		bool known = false;
		for (size_t j = 0; r && j < r->nidents; j++)
			known |= r->idents[j].id.type == found[i].id.type &&
				!strcmp(r->idents[j].id.value, found[i].id.value);
		if (known)
			continue;
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s%}", "type",
			ident_type_name(found[i].id.type), "value", found[i].id.value, "display",
			found[i].id.display, "role", found[i].role, "start",
			(json_int_t)found[i].start, "end", (json_int_t)found[i].end, "text",
			text + found[i].start, found[i].end - found[i].start));
	}
	free(found);
	return items;
}

int intel_api_extract(struct http_request *req)
{
	static const char *const fields[] = { "text", NULL };
	const char *text = NULL;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "text", 65536, &text);
	if (!ret)
		ret = http_reply_json(req, 200, json_pack("{s:o}", "items",
			intel_extracted_json(text, NULL)));
	json_decref(body);
	return ret;
}
