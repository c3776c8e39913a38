/*
 * incident/incident_json.c - incidents as JSON (the API's answers) and the
 * API's request bodies into a struct incident or step arguments, each bad
 * field named. Times are read as people write them (ISO 8601, ROC dates;
 * base/rocdate.h) and written as UTC ISO 8601.
 */
#include "incident/incident_api.h"

#include <string.h>

#include "base/err.h"
#include "base/json_field.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "incident/internal.h"

json_t *incident_time_json(int64_t t)
{
	char s[32];

	if (!t)
		return json_null();
	incident_time(t, s);
	return json_string(s);
}

static const char *deadline_state(const struct incident_deadline *d)
{
	if (d->cancelled)
		return "cancelled";
	if (d->met_at)
		return d->missed ? "met_late" : "met";
	return d->missed ? "missed" : "open";
}

json_t *incident_deadlines_json(const struct incident_deadline *v, size_t n)
{
	json_t *a = json_array();

	for (size_t k = 0; k < n; k++)
		json_array_append_new(a,
			json_pack("{s:s,s:i,s:o,s:o,s:o,s:o,s:s}", "kind",
				incident_deadline_name(v[k].kind), "level", v[k].level, "started_at",
				incident_time_json(v[k].started_at), "due_at", incident_time_json(v[k].due_at),
				"warn_at", incident_time_json(v[k].warn_at), "met_at",
				incident_time_json(v[k].met_at), "state", deadline_state(&v[k])));
	return a;
}

json_t *incident_json(const struct incident *i)
{
	json_t *ind = json_array(), *o, *close = json_null();

	for (size_t k = 0; k < i->nindicators; k++)
		json_array_append_new(ind,
			json_pack("{s:I,s:s,s:s}", "identifier_id", (json_int_t)i->indicators[k].identifier_id,
				"type", i->indicators[k].type, "value", i->indicators[k].value));
	if (i->close_report) {
		close = json_loads(i->close_report, 0, NULL);
		if (!close)
			close = json_null();
	}
	o = json_pack("{s:I,s:I,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:{s:i,s:i,s:i},s:b,s:b,s:s,s:b}",
		"id", (json_int_t)i->id, "agency_id", (json_int_t)i->agency_id, "agency",
		i->agency_code, "state", incident_state_name(i->state), "level", i->level,
		"proposed_level", i->proposed_level, "title", i->title, "description", i->description,
		"systems", i->systems, "impact", "confidentiality", i->impact_c, "integrity",
		i->impact_i, "availability", i->impact_a, "support_requested", i->support_requested,
		"others_affected", i->others_affected, "others_note", i->others_note, "crime",
		i->crime);
	json_object_set_new(o, "discovered_at", incident_time_json(i->discovered_at));
	json_object_set_new(o, "reported_at", incident_time_json(i->reported_at));
	json_object_set_new(o, "phoned", json_boolean(i->phoned));
	json_object_set_new(o, "caller", json_string(i->caller));
	json_object_set_new(o, "reported_by", i->reported_by ? json_integer(i->reported_by)
							     : json_null());
	json_object_set_new(o, "entered_by", i->entered_by ? json_integer(i->entered_by)
							   : json_null());
	json_object_set_new(o, "entered_at", incident_time_json(i->entered_at));
	json_object_set_new(o, "review_escalated", json_boolean(i->review_escalated));
	json_object_set_new(o, "national_notified", json_boolean(i->national_notified));
	json_object_set_new(o, "indicators", ind);
	json_object_set_new(o, "close_report", close);
	json_object_set_new(o, "created_at", incident_time_json(i->created_at));
	json_object_set_new(o, "updated_at", incident_time_json(i->updated_at));
	return o;
}

static int time_field(json_t *body, const char *field, int64_t *out, struct err_msg *err)
{
	const char *s = NULL;
	int ret = json_field_opt_string(body, field, 64, &s, err);

	if (ret || !s)
		return ret;
	if (rocdate_parse(s, out))
		return err_set(err, ERR_INVAL, field, "'%s' is not a time (ISO 8601 or a ROC date)", s);
	return 0;
}

static int text_field(json_t *body, const char *field, char *out, size_t size, bool required,
	struct err_msg *err)
{
	const char *s = NULL;
	int ret = required ? json_field_string(body, field, size - 2, &s, err)
			   : json_field_opt_string(body, field, size - 2, &s, err);

	if (!ret && s)
		str_copy(out, size, s);
	return ret;
}

static int impact_field(json_t *body, struct incident *i, struct err_msg *err)
{
	static const char *const names[] = { "confidentiality", "integrity", "availability",
		NULL };
	json_t *o = json_object_get(body, "impact");
	int *dst[] = { &i->impact_c, &i->impact_i, &i->impact_a };
	int ret;

	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return err_set(err, ERR_INVAL, "impact", "must be an object of confidentiality, "
			"integrity and availability (0 to 4)");
	ret = json_field_only(o, names, err);
	for (int k = 0; !ret && k < 3; k++) {
		int64_t v = 0;
		ret = json_field_opt_int(o, names[k], 0, 4, &v, err);
		if (ret)
			snprintf(err->field, sizeof(err->field), "impact.%s", names[k]);
		*dst[k] = (int)v;
	}
	return ret;
}

static int indicators_field(json_t *body, struct incident *i, struct err_msg *err)
{
	json_t *a = json_object_get(body, "indicators"), *v;
	char field[32];
	size_t k;
	int ret;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return err_set(err, ERR_INVAL, "indicators", "must be an array of strings "
			"(TYPE:VALUE or a value)");
	json_array_foreach(a, k, v) {
		snprintf(field, sizeof(field), "indicators[%zu]", k);
		if (!json_is_string(v))
			return err_set(err, ERR_INVAL, field, "must be a string");
		ret = incident_add_indicator(i, json_string_value(v), field, err);
		if (ret)
			return ret;
	}
	return 0;
}

int incident_from_json(json_t *body, struct incident *i, struct err_msg *err)
{
	static const char *const allowed[] = { "agency_id", "title", "description", "systems",
		"impact", "level", "support_requested", "others_affected", "others_note", "crime",
		"discovered_at", "phoned", "reported_at", "caller", "indicators", NULL };
	int64_t level = 0;
	int ret = json_field_only(body, allowed, err);

	if (!ret)
		ret = json_field_opt_int(body, "agency_id", 1, INT64_MAX, &i->agency_id, err);
	if (!ret)
		ret = text_field(body, "title", i->title, sizeof(i->title), true, err);
	if (!ret)
		ret = text_field(body, "description", i->description, sizeof(i->description), true,
			err);
	if (!ret)
		ret = text_field(body, "systems", i->systems, sizeof(i->systems), false, err);
	if (!ret)
		ret = text_field(body, "others_note", i->others_note, sizeof(i->others_note), false,
			err);
	if (!ret)
		ret = text_field(body, "caller", i->caller, sizeof(i->caller), false, err);
	if (!ret)
		ret = impact_field(body, i, err);
	if (!ret)
		ret = json_field_opt_int(body, "level", 1, INCIDENT_LEVELS, &level, err);
	if (!ret && !level)
		ret = err_set(err, ERR_INVAL, "level", "is required: the proposed level, 1 to 4");
	i->proposed_level = (int)level;
	if (!ret)
		ret = json_field_opt_bool(body, "support_requested", &i->support_requested, err);
	if (!ret)
		ret = json_field_opt_bool(body, "others_affected", &i->others_affected, err);
	if (!ret)
		ret = json_field_opt_bool(body, "crime", &i->crime, err);
	if (!ret)
		ret = json_field_opt_bool(body, "phoned", &i->phoned, err);
	if (!ret)
		ret = time_field(body, "discovered_at", &i->discovered_at, err);
	if (!ret)
		ret = time_field(body, "reported_at", &i->reported_at, err);
	if (!ret)
		ret = indicators_field(body, i, err);
	return ret;
}

int incident_args_from_json(json_t *body, const char *const *allowed,
	struct incident_step_args *a, struct err_msg *err)
{
	int64_t level = 0;
	bool crime = false;
	int ret = json_field_only(body, allowed, err);

	if (!ret)
		ret = json_field_opt_int(body, "level", 1, INCIDENT_LEVELS, &level, err);
	a->level = (int)level;
	if (!ret && json_object_get(body, "crime") && !json_is_null(json_object_get(body, "crime"))) {
		ret = json_field_opt_bool(body, "crime", &crime, err);
		a->crime_set = true;
		a->crime = crime;
	}
	if (!ret)
		ret = json_field_opt_string(body, "note", 4000, &a->note, err);
	if (!ret)
		ret = json_field_opt_string(body, "case_number", 95, &a->case_number, err);
	if (!ret)
		ret = json_field_opt_string(body, "description", 4000, &a->description, err);
	if (!ret)
		ret = json_field_opt_string(body, "systems", 1000, &a->systems, err);
	if (!ret)
		ret = json_field_opt_string(body, "timeline", 8000, &a->timeline, err);
	if (!ret)
		ret = json_field_opt_string(body, "damage", 8000, &a->damage, err);
	if (!ret)
		ret = json_field_opt_string(body, "after_effects", 8000, &a->after_effects, err);
	if (!ret)
		ret = json_field_opt_string(body, "response", 8000, &a->response, err);
	if (!ret)
		ret = json_field_opt_string(body, "improvements", 8000, &a->improvements, err);
	if (!ret)
		ret = time_field(body, "recovered_at", &a->recovered_at, err);
	return ret;
}
