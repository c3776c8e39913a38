/*
 * intel/listing_api.c - listing management over HTTP: the warning list, the
 * review queue, risk decisions and disputes (logic in listing.c). Who may
 * call what is the policy table; a prosecutor decides risk only for
 * identifiers named in a report they may read. Writes are audited.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

/* An identifier type from a request ("" or NULL = detect, *type = 0); fails naming field. */
static int type_arg(struct http_request *req, const char *name, const char *field,
	enum ident_type *type)
{
	*type = 0;
	if (!str_empty(name) && ident_type_parse(name, type))
		return http_fail(req, ERR_INVAL, field, "unknown identifier type '%s'", name);
	return 0;
}

/* Parse value as type (0 = detect); the error names "value". */
static int parse_value(struct http_request *req, enum ident_type type, const char *value,
	struct ident *id)
{
	int ret = type ? ident_parse(id, type, value, strlen(value), http_err(req))
		       : ident_detect(id, value, strlen(value), http_err(req));

	if (ret) {
		str_copy(http_err(req)->field, sizeof(http_err(req)->field), "value");
		return ERR_INVAL;
	}
	return 0;
}

static json_t *opt_string(const char *s)
{
	return str_empty(s) ? json_null() : json_string(s);
}

/* ---- the warning list ---- */

static json_t *warning_json(const struct intel_warning_entry *e)
{
	struct ident id;
	enum ident_type type;
	const char *display = e->value;

	/* Entries are canonical; a CIDR range or an unparsable legacy value shows as stored. */
	if (!ident_type_parse(e->type, &type) &&
		!ident_parse(&id, type, e->value, strlen(e->value), NULL))
		display = id.display;
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s}", "id", (json_int_t)e->id, "type", e->type,
		"value", e->value, "display", display, "reason", e->reason, "created_by",
		opt_string(e->created_by_name), "created_at", e->created_at);
}

int intel_api_list_warnings(struct http_request *req)
{
	struct intel_warning_entry *list = NULL;
	enum ident_type type;
	json_t *items;
	size_t n = 0;
	int ret = type_arg(req, http_query(req, "type"), "type", &type);

	if (!ret)
		ret = intel_warning_entries(http_db(req), type, &list, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, warning_json(&list[i]));
	free(list);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

int intel_api_post_warning(struct http_request *req)
{
	static const char *const fields[] = { "type", "value", "reason", NULL };
	struct intel_warning_entry *e = xmalloc(sizeof(*e));
	const char *type_name = NULL, *value = NULL, *reason = NULL;
	struct audit_event ev;
	enum ident_type type = 0;
	struct ident id;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_opt_string(req, body, "type", 32, &type_name);
	if (!ret)
		ret = http_json_string(req, body, "value", IDENT_INPUT_MAX, &value);
	if (!ret)
		ret = http_json_string(req, body, "reason", 2000, &reason);
	if (!ret)
		ret = type_arg(req, type_name, "type", &type);
	if (!ret)
		ret = parse_value(req, type, value, &id);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "warning.add", "warning_list", NULL, AUDIT_OK);
	ret = intel_warning_add_entry(http_db(req), &id, reason, http_principal(req)->user_id, &ev,
		e, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 201, warning_json(e));
out:
	free(e);
	json_decref(body);
	return ret;
}

int intel_api_delete_warning(struct http_request *req)
{
	struct audit_event ev;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	audit_event_from_request(&ev, req, "warning.remove", "warning_list", NULL, AUDIT_OK);
	ret = intel_warning_remove_entry(http_db(req), id, &ev, http_err(req));
	return ret ? ret : http_reply_bytes(req, 204, NULL, "", 0);
}

/* ---- review ---- */

int intel_api_list_review(struct http_request *req)
{
	struct intel_review_item *list = NULL;
	json_t *items;
	size_t n = 0;
	int ret = intel_review_queue(http_db(req), &list, &n);

	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items,
			json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:o,s:o}", "identifier_id",
				(json_int_t)list[i].identifier_id, "type", list[i].type, "value",
				list[i].value, "display", list[i].display, "report_count",
				(json_int_t)list[i].report_count, "agencies",
				(json_int_t)list[i].agencies, "first_seen",
				opt_string(list[i].first_seen), "last_seen",
				opt_string(list[i].last_seen)));
	free(list);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

/* Read {decision|risk, reason} style bodies: two required strings. */
static int two_fields(struct http_request *req, json_t **body, const char *a, const char **va,
	const char *b, const char **vb)
{
	const char *fields[] = { a, b, NULL };
	int ret = http_json_body(req, body);

	if (!ret)
		ret = http_json_only(req, *body, fields);
	if (!ret)
		ret = http_json_string(req, *body, a, 32, va);
	if (!ret)
		ret = http_json_string(req, *body, b, 2000, vb);
	return ret;
}

int intel_api_post_review(struct http_request *req)
{
	const char *decision = NULL, *reason = NULL;
	struct audit_event ev;
	json_t *body = NULL, *out = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = two_fields(req, &body, "decision", &decision, "reason", &reason);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "identifier.review", "identifier", NULL, AUDIT_OK);
	ret = intel_review_decide(http_db(req), id, decision, reason, http_principal(req)->user_id,
		&ev, http_err(req));
	if (!ret)
		ret = intel_identifier_json(http_db(req), id, &out);
	if (!ret) {
		json_object_set_new(out, "decision", json_string(decision));
		ret = http_reply_json(req, 200, out);
	}
out:
	json_decref(body);
	return ret;
}

/* ---- risk ---- */

int intel_api_post_risk(struct http_request *req)
{
	const char *risk = NULL, *reason = NULL;
	struct audit_event ev;
	char idtext[24], old[16] = "";
	json_t *body = NULL, *out = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	if (!intel_identifier_in_reach(http_db(req), http_principal(req), http_reach(req), id)) {
		audit_event_from_request(&ev, req, "identifier.risk", "identifier", idtext,
			AUDIT_DENIED);
		audit_append_now(http_db(req), &ev);
		return http_fail(req, ERR_NOTFOUND, "id",
			"no identifier %lld named in a report you may read", (long long)id);
	}
	ret = two_fields(req, &body, "risk", &risk, "reason", &reason);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "identifier.risk", "identifier", idtext, AUDIT_OK);
	ret = intel_risk_set(http_db(req), id, risk, reason, &ev, old, http_err(req));
	if (!ret)
		ret = intel_identifier_json(http_db(req), id, &out);
	if (!ret) {
		json_object_set_new(out, "previous_risk", json_string(old));
		ret = http_reply_json(req, 200, out);
	}
out:
	json_decref(body);
	return ret;
}

/* ---- disputes ---- */

static json_t *dispute_json(const struct intel_dispute *d)
{
	return json_pack("{s:I,s:{s:I,s:s,s:s,s:s},s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s}", "id",
		(json_int_t)d->id, "identifier", "id", (json_int_t)d->identifier_id, "type",
		d->type, "value", d->value, "display", d->display, "claimant", d->claimant, "contact",
		d->contact, "reason", d->reason, "status", d->status, "submitted_by", d->submitter,
		"created_at", d->created_at, "decided_by", opt_string(d->decider), "decided_at",
		opt_string(d->decided_at), "note", d->note);
}

int intel_api_post_dispute(struct http_request *req)
{
	static const char *const fields[] = { "type", "value", "claimant", "contact", "reason",
		NULL };
	const char *type_name = NULL, *value = NULL, *claimant = NULL, *contact = NULL;
	const char *reason = NULL;
	struct intel_dispute *d = xmalloc(sizeof(*d));
	struct audit_event ev;
	enum ident_type type = 0;
	struct ident id;
	json_t *body = NULL;
	int64_t dispute_id = 0;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_opt_string(req, body, "type", 32, &type_name);
	if (!ret)
		ret = http_json_string(req, body, "value", IDENT_INPUT_MAX, &value);
	if (!ret)
		ret = http_json_string(req, body, "claimant", 200, &claimant);
	if (!ret)
		ret = http_json_opt_string(req, body, "contact", 200, &contact);
	if (!ret)
		ret = http_json_string(req, body, "reason", 2000, &reason);
	if (!ret)
		ret = type_arg(req, type_name, "type", &type);
	if (!ret)
		ret = parse_value(req, type, value, &id);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "dispute.create", "dispute", NULL, AUDIT_OK);
	ret = intel_dispute_file(http_db(req), &id, http_principal(req)->user_id, claimant,
		contact, reason, &ev, &dispute_id, http_err(req));
	if (!ret)
		ret = intel_dispute_get(http_db(req), dispute_id, d);
	if (!ret)
		ret = http_reply_json(req, 201, dispute_json(d));
out:
	free(d);
	json_decref(body);
	return ret;
}

int intel_api_list_disputes(struct http_request *req)
{
	const char *status = http_query(req, "status");
	const struct auth_principal *p = http_principal(req);
	struct intel_dispute *list = NULL;
	struct audit_event ev;
	json_t *items;
	size_t n = 0;
	int ret;

	if (status && strcmp(status, "open") && strcmp(status, "upheld") &&
		strcmp(status, "rejected"))
		return http_fail(req, ERR_INVAL, "status", "must be open, upheld or rejected");
	ret = intel_dispute_list(http_db(req), http_reach(req) == REACH_ALL ? 0 : p->user_id,
		status, &list, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, dispute_json(&list[i]));
	free(list);
	/* Claimants and their contacts are personal data: reading them is audited. */
	audit_event_from_request(&ev, req, "dispute.list", "dispute", NULL, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, json_pack("{s:o,s:I}", "items", items, "count",
		(json_int_t)n));
}

int intel_api_post_dispute_decision(struct http_request *req)
{
	static const char *const fields[] = { "decision", "note", NULL };
	struct intel_dispute *d = xmalloc(sizeof(*d));
	const char *decision = NULL, *note = NULL;
	struct audit_event ev;
	json_t *body = NULL;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "decision", 32, &decision);
	if (!ret)
		ret = http_json_opt_string(req, body, "note", 2000, &note);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "dispute.decide", "dispute", NULL, AUDIT_OK);
	ret = intel_dispute_decide(http_db(req), id, http_principal(req)->user_id, decision, note,
		&ev, http_err(req));
	if (!ret)
		ret = intel_dispute_get(http_db(req), id, d);
	if (!ret)
		ret = http_reply_json(req, 200, dispute_json(d));
out:
	free(d);
	json_decref(body);
	return ret;
}
