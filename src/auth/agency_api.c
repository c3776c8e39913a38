/*
 * auth/agency_api.c - the agency directory over HTTP: every user reads it,
 * admins maintain it.
 */
#include <string.h>

#include "audit/audit.h"
#include "auth/api_internal.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* The agency library names the field "supervisor"; the JSON body calls it supervisor_id. */
static int json_field_names(struct http_request *req, int ret)
{
	if (ret && !strcmp(http_err(req)->field, "supervisor"))
		str_copy(http_err(req)->field, sizeof(http_err(req)->field), "supervisor_id");
	return ret;
}

int auth_api_list_agencies(struct http_request *req)
{
	struct agency *list = NULL;
	json_t *items;
	size_t n = 0;
	int ret = agency_list(http_db(req), &list, &n);

	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, auth_agency_json(&list[i]));
	free(list);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

static int read_fields(struct http_request *req, json_t *body, struct agency *a)
{
	const char *name = a->name, *name_en = a->name_en, *code = a->code, *kind = NULL;
	int64_t supervisor = a->supervisor_id;
	bool disabled = a->disabled;
	json_t *sup = json_object_get(body, "supervisor_id");
	int ret = http_json_opt_string(req, body, "name", 120, &name);
	char tmp[128];

	if (!ret)
		ret = http_json_opt_string(req, body, "name_en", 120, &name_en);
	if (!ret)
		ret = http_json_opt_string(req, body, "code", 30, &code);
	if (!ret)
		ret = http_json_opt_string(req, body, "kind", 40, &kind);
	if (!ret && json_is_null(sup))
		supervisor = 0;
	else if (!ret)
		ret = http_json_opt_int(req, body, "supervisor_id", 1, INT64_MAX, &supervisor);
	if (!ret)
		ret = http_json_opt_bool(req, body, "disabled", &disabled);
	if (!ret && kind && agency_kind_parse(kind, &a->kind))
		ret = http_fail(req, ERR_INVAL, "kind",
			"unknown kind '%s' (high_prosecutors, district_prosecutors, police, "
			"investigation_bureau, government, isp_registry, bank, telecom, "
			"foreign_partner)",
			kind);
	if (ret)
		return ret;
	str_copy(tmp, sizeof(tmp), name);
	str_copy(a->name, sizeof(a->name), tmp);
	str_copy(tmp, sizeof(tmp), name_en);
	str_copy(a->name_en, sizeof(a->name_en), tmp);
	str_copy(tmp, sizeof(tmp), code);
	str_copy(a->code, sizeof(a->code), tmp);
	a->supervisor_id = supervisor;
	a->disabled = disabled;
	return 0;
}

static const char *const fields[] = { "name", "name_en", "code", "kind", "supervisor_id",
	"disabled", NULL };

int auth_api_post_agency(struct http_request *req)
{
	struct agency a = { 0 };
	struct audit_event ev;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret && !json_object_get(body, "kind"))
		ret = http_fail(req, ERR_INVAL, "kind", "is required");
	if (!ret)
		ret = read_fields(req, body, &a);
	audit_event_from_request(&ev, req, "agency.create", "agency", NULL, AUDIT_OK);
	if (!ret)
		ret = json_field_names(req, agency_create(http_db(req), &a, &ev, http_err(req)));
	if (!ret)
		ret = http_reply_json(req, 201, auth_agency_json(&a));
	json_decref(body);
	return ret;
}

int auth_api_get_agency(struct http_request *req)
{
	struct agency a;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret && agency_get(http_db(req), id, &a))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no agency with id %lld", (long long)id);
	if (ret)
		return ret;
	return http_reply_json(req, 200, auth_agency_json(&a));
}

int auth_api_patch_agency(struct http_request *req)
{
	struct agency a;
	struct audit_event ev;
	char idtext[24];
	json_t *body = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret && agency_get(http_db(req), id, &a))
		ret = http_fail(req, ERR_NOTFOUND, "id", "no agency with id %lld", (long long)id);
	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = read_fields(req, body, &a);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	audit_event_from_request(&ev, req, "agency.update", "agency", idtext, AUDIT_OK);
	if (!ret)
		ret = json_field_names(req, agency_update(http_db(req), &a, &ev, http_err(req)));
	if (!ret)
		ret = http_reply_json(req, 200, auth_agency_json(&a));
	json_decref(body);
	return ret;
}
