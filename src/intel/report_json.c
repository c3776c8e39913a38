/*
 * intel/report_json.c - reports and cases as JSON, and reports from JSON:
 * the one mapping between the API's field names and struct intel_report.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/json_field.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "intel/internal.h"

json_t *intel_report_json(const struct intel_report *r, bool sensitive_visible)
{
	char occurred[32], reported[32];
	json_t *idents = json_array();

	intel_time(r->occurred_at, occurred);
	intel_time(r->reported_at, reported);
	for (size_t i = 0; i < r->nidents; i++) {
		const struct intel_report_ident *ri = &r->idents[i];
		char shown[IDENT_VALUE_SIZE];
		bool masked = (ri->id.flags & IDENT_SENSITIVE) && !sensitive_visible;
		if (masked)
			ident_mask(&ri->id, shown, sizeof(shown));
		json_array_append_new(idents,
			json_pack("{s:s,s:s,s:s,s:s,s:o}", "type", ident_type_name(ri->id.type),
				"value", masked ? shown : ri->id.value, "display",
				masked ? shown : ri->id.display, "role", ri->role, "detail",
				intel_ident_detail(&ri->id)));
	}
	return json_pack("{s:I,s:s?,s:I,s:s,s:s?,s:s,s:{s:s,s:s},s:s,s:{s:I,s:s?,s:s?},s:s?,"
			 "s:s,s:o,s:o,s:o,s:s}",
		"id", (json_int_t)r->id, "source_ref", r->source_ref[0] ? r->source_ref : NULL,
		"agency_id", (json_int_t)r->agency_id, "channel", r->channel, "occurred_at",
		occurred[0] ? occurred : NULL, "reported_at", reported, "victim", "kind",
		r->victim_kind, "sector", r->victim_sector, "crime_type", r->crime_type, "loss",
		"twd", (json_int_t)r->loss_twd, "currency",
		r->loss_currency[0] ? r->loss_currency : NULL, "amount",
		r->loss_amount[0] ? r->loss_amount : NULL, "payment_method",
		r->payment_method[0] ? r->payment_method : NULL, "narrative",
		r->narrative ? r->narrative : "", "case_id",
		r->case_id ? json_integer(r->case_id) : json_null(), "duplicate_of",
		r->duplicate_of ? json_integer(r->duplicate_of) : json_null(), "identifiers", idents,
		"created_at", r->created_at);
}

json_t *intel_case_json(const struct intel_case *k)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:s,s:I,s:s,s:s}", "id", (json_int_t)k->id, "number",
		k->number, "office_id", (json_int_t)k->office_id, "title", k->title, "status",
		k->status, "created_by", (json_int_t)k->created_by, "created_at", k->created_at,
		"updated_at", k->updated_at);
}

static int time_field(struct err_msg *err, json_t *obj, const char *field, int64_t *out)
{
	const char *s = NULL;
	int ret = json_field_opt_string(obj, field, 64, &s, err);

	if (ret || !s)
		return ret;
	if (rocdate_parse(s, out))
		return err_set(err, ERR_INVAL, field,
			"'%s' is not a time (2024-03-01T14:05:00+08:00, 2024-03-01, 113/03/01 or "
			"民國113年3月1日)",
			s);
	return 0;
}

static int copy_string(struct err_msg *err, json_t *obj, const char *field, char *dst,
	size_t size, bool required)
{
	const char *s = NULL;
	int ret = required ? json_field_string(obj, field, size - 1, &s, err)
			   : json_field_opt_string(obj, field, size - 1, &s, err);

	if (!ret && s)
		str_copy(dst, size, s);
	return ret;
}

static int read_identifiers(struct err_msg *err, json_t *list, struct intel_report *r)
{
	size_t i;
	json_t *item;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return err_set(err, ERR_INVAL, "identifiers", "must be a list");
	json_array_foreach(list, i, item) {
		char field[64];
		const char *value = NULL, *type_name = NULL, *role = NULL;
		enum ident_type type = 0;
		int ret;
		snprintf(field, sizeof(field), "identifiers[%zu]", i);
		if (!json_is_object(item))
			return err_set(err, ERR_INVAL, field, "must be an object {type, value, role}");
		snprintf(field, sizeof(field), "identifiers[%zu].value", i);
		ret = json_field_string(item, "value", 1000, &value, err);
		if (!ret)
			ret = json_field_opt_string(item, "type", 32, &type_name, err);
		if (!ret)
			ret = json_field_string(item, "role", 31, &role, err);
		if (ret) {
			if (err) {
				char inner[64];
				str_copy(inner, sizeof(inner), err->field);
				snprintf(err->field, sizeof(err->field), "identifiers[%zu].%s", i,
					inner);
			}
			return ret;
		}
		if (type_name && ident_type_parse(type_name, &type))
			return err_set(err, ERR_INVAL, field, "unknown identifier type '%s'",
				type_name);
		ret = intel_report_add_ident(r, type, value, role, field, err);
		if (ret)
			return ret;
	}
	return 0;
}

int intel_report_from_json(struct http_request *req, json_t *body, struct intel_report *r)
{
	r->reported_at = clock_now();
	return intel_report_fill_json(body, r, http_err(req));
}

int intel_report_fill_json(json_t *body, struct intel_report *r, struct err_msg *err)
{
	static const char *const fields[] = { "source_ref", "agency_id", "channel", "occurred_at",
		"reported_at", "victim", "crime_type", "loss", "payment_method", "narrative",
		"identifiers", "case_id", NULL };
	json_t *victim = json_object_get(body, "victim"), *loss = json_object_get(body, "loss");
	const char *narrative = NULL;
	int ret = json_field_only(body, fields, err);

	if (!ret)
		ret = copy_string(err, body, "source_ref", r->source_ref, sizeof(r->source_ref), false);
	if (!ret)
		ret = json_field_opt_int(body, "agency_id", 1, INT64_MAX, &r->agency_id, err);
	if (!ret)
		ret = json_field_opt_int(body, "case_id", 1, INT64_MAX, &r->case_id, err);
	if (!ret)
		ret = copy_string(err, body, "channel", r->channel, sizeof(r->channel), true);
	if (!ret)
		ret = time_field(err, body, "occurred_at", &r->occurred_at);
	if (!ret)
		ret = time_field(err, body, "reported_at", &r->reported_at);
	if (!ret)
		ret = copy_string(err, body, "crime_type", r->crime_type, sizeof(r->crime_type), true);
	if (!ret)
		ret = copy_string(err, body, "payment_method", r->payment_method,
			sizeof(r->payment_method), false);
	if (!ret)
		ret = json_field_opt_string(body, "narrative", 65536, &narrative, err);
	if (!ret && victim && !json_is_object(victim))
		ret = err_set(err, ERR_INVAL, "victim", "must be an object {kind, sector}");
	if (!ret && victim)
		ret = copy_string(err, victim, "kind", r->victim_kind, sizeof(r->victim_kind), false);
	if (!ret && victim)
		ret = copy_string(err, victim, "sector", r->victim_sector, sizeof(r->victim_sector),
			false);
	if (!ret && loss && !json_is_object(loss))
		ret = err_set(err, ERR_INVAL, "loss", "must be an object {twd, currency, amount}");
	if (!ret && loss)
		ret = json_field_opt_int(loss, "twd", 0, INT64_MAX / 4, &r->loss_twd, err);
	if (!ret && loss)
		ret = copy_string(err, loss, "currency", r->loss_currency, sizeof(r->loss_currency),
			false);
	if (!ret && loss)
		ret = copy_string(err, loss, "amount", r->loss_amount, sizeof(r->loss_amount), false);
	if (!ret)
		ret = read_identifiers(err, json_object_get(body, "identifiers"), r);
	if (!ret && !r->victim_kind[0])
		str_copy(r->victim_kind, sizeof(r->victim_kind), "individual");
	if (!ret && narrative)
		r->narrative = xstrdup(narrative);
	return ret;
}
