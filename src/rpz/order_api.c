/*
 * rpz/order_api.c - court orders over HTTP. The policy table decides who
 * may call each step (see the lifecycle in rpz.h); here an order out of the
 * caller's reach is 404, a linked case's number is shown only to those who
 * may read the case, and every read and write is audited.
 */
#include "rpz/rpz_api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "http/http.h"
#include "ident/ident.h"
#include "intel/intel.h"
#include "rpz/rpz.h"
#include "store/store.h"

static void order_event(struct audit_event *ev, struct http_request *req, const char *action,
	int64_t id, char idtext[24])
{
	snprintf(idtext, 24, "%lld", (long long)id);
	audit_event_from_request(ev, req, action, "order", idtext, AUDIT_OK);
}

/* May the caller see order o? The center (REACH_ALL), its agency, its author, the case's members. */
static bool order_visible(struct http_request *req, const struct rpz_order *o)
{
	const struct auth_principal *p = http_principal(req);

	if (http_reach(req) == REACH_ALL)
		return true;
	if (http_reach(req) >= REACH_AGENCY && o->agency_id == p->agency_id)
		return true;
	if (o->created_by && o->created_by == p->user_id)
		return true;
	return o->case_id && intel_case_is_member(http_db(req), o->case_id, p->user_id);
}

/* Load order {id} if the caller may see it; 404 (audited as denied) otherwise. */
static int load_order(struct http_request *req, const char *action, struct rpz_order *o)
{
	struct audit_event ev;
	char idtext[24];
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	ret = rpz_order_get(http_db(req), id, o);
	if (ret == ERR_NOTFOUND || (!ret && !order_visible(req, o))) {
		order_event(&ev, req, action, id, idtext);
		ev.outcome = AUDIT_DENIED;
		audit_append_now(http_db(req), &ev);
		return http_fail(req, ERR_NOTFOUND, "id", "no order %lld within your reach",
			(long long)id);
	}
	return ret;
}

/* The case number, when the caller may read the case. */
static json_t *case_json(struct http_request *req, int64_t case_id)
{
	const struct auth_principal *p = http_principal(req);
	struct intel_case k;
	int reach = auth_policy_decide(p, "GET", "/api/v1/cases/{id}");

	if (!case_id)
		return json_null();
	if (intel_case_get(http_db(req), case_id, &k) ||
		!intel_case_visible(http_db(req), p, reach, &k))
		return json_pack("{s:I,s:n,s:b}", "id", (json_int_t)case_id, "number", "restricted",
			1);
	return json_pack("{s:I,s:s,s:b}", "id", (json_int_t)case_id, "number", k.number,
		"restricted", 0);
}

static json_t *time_json(int64_t t)
{
	char s[32];

	if (!t)
		return json_null();
	clock_format_iso_s(t, s, sizeof(s));
	return json_string(s);
}

static json_t *order_json(struct http_request *req, const struct rpz_order *o)
{
	return json_pack("{s:I,s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:s,s:s,s:s,s:s,s:I,s:I}",
		"id", (json_int_t)o->id, "agency_id", (json_int_t)o->agency_id, "case",
		case_json(req, o->case_id), "zone", o->zone, "court", o->court, "order_number",
		o->order_number, "order_date", o->order_date, "action", o->action, "redirect",
		o->redirect, "subdomains", o->subdomains, "starts_at", time_json(o->starts_at),
		"expires_at", time_json(o->expires_at), "state", o->state, "note", o->note,
		"created_at", o->created_at, "updated_at", o->updated_at, "domains",
		(json_int_t)o->domains, "lifted", (json_int_t)o->lifted);
}

int rpz_api_list_orders(struct http_request *req)
{
	const struct auth_principal *p = http_principal(req);
	const char *state = http_query(req, "state");
	struct rpz_order *v = NULL;
	struct audit_event ev;
	json_t *items;
	size_t n = 0;
	int ret;

	ret = rpz_order_list(http_db(req), http_reach(req) == REACH_ALL, p->agency_id, p->user_id,
		str_empty(state) ? NULL : state, 500, &v, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, order_json(req, &v[i]));
	free(v);
	audit_event_from_request(&ev, req, "order.list", "order", NULL, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* domains: an array of strings, into a new array of n pointers into body. */
static int domains_arg(struct http_request *req, json_t *body, const char ***out, size_t *n)
{
	json_t *a = json_object_get(body, "domains"), *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return http_fail(req, ERR_INVAL, "domains", "must be an array of strings");
	if (json_array_size(a) > 100000)
		return http_fail(req, ERR_LIMIT, "domains", "more than 100000 domains");
	*out = xcalloc(json_array_size(a) + 1, sizeof(**out));
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			free(*out);
			*out = NULL;
			return http_fail(req, ERR_INVAL, "domains", "domains[%zu] is not a string", i);
		}
		(*out)[(*n)++] = json_string_value(v);
	}
	return 0;
}

static int time_field(struct http_request *req, json_t *body, const char *field, int64_t *out)
{
	const char *s = NULL;
	int ret = http_json_opt_string(req, body, field, 64, &s);

	if (!ret && s && *s && rocdate_parse(s, out))
		return http_fail(req, ERR_INVAL, field, "'%s' is not a date or time", s);
	return ret;
}

/* The case to link: it must be one the caller may read. */
static int case_field(struct http_request *req, int64_t case_id)
{
	const struct auth_principal *p = http_principal(req);
	struct intel_case k;

	if (!case_id)
		return 0;
	if (intel_case_get(http_db(req), case_id, &k) ||
		!intel_case_visible(http_db(req), p, auth_policy_decide(p, "GET", "/api/v1/cases/{id}"),
			&k))
		return http_fail(req, ERR_NOTFOUND, "case_id", "no case %lld that you may read",
			(long long)case_id);
	return 0;
}

static int fill_order(struct http_request *req, json_t *body, struct rpz_order *o)
{
	const char *zone = NULL, *court = NULL, *action = NULL, *redirect = NULL, *note = NULL;
	int ret = http_json_opt_int(req, body, "case_id", 1, INT64_MAX, &o->case_id);

	if (!ret)
		ret = http_json_opt_string(req, body, "zone", 250, &zone);
	if (!ret)
		ret = http_json_opt_string(req, body, "court", RPZ_COURT_MAX - 1, &court);
	if (!ret)
		ret = http_json_opt_string(req, body, "action", 15, &action);
	if (!ret)
		ret = http_json_opt_string(req, body, "redirect", RPZ_REDIRECT_MAX - 1, &redirect);
	if (!ret)
		ret = http_json_opt_string(req, body, "note", RPZ_NOTE_MAX - 1, &note);
	if (!ret)
		ret = http_json_opt_bool(req, body, "subdomains", &o->subdomains);
	if (!ret)
		ret = time_field(req, body, "starts_at", &o->starts_at);
	if (!ret)
		ret = time_field(req, body, "expires_at", &o->expires_at);
	if (ret)
		return ret;
	str_copy(o->zone, sizeof(o->zone), zone ? zone : "");
	str_copy(o->court, sizeof(o->court), court ? court : "");
	str_copy(o->action, sizeof(o->action), action ? action : "");
	str_copy(o->redirect, sizeof(o->redirect), redirect ? redirect : "");
	str_copy(o->note, sizeof(o->note), note ? note : "");
	return case_field(req, o->case_id);
}

/*
 * Every domain of the request that cannot be a rule, as
 * [{"field":"domains[i]","index":i,"message":"…"}], or NULL when all parse.
 * Checked before anything is stored, so a refused draft leaves no order
 * behind and the form can show each refusal beside its domain.
 */
static json_t *refused_domains(const char *const *domains, size_t n)
{
	json_t *bad = NULL, *one;

	for (size_t i = 0; i < n; i++) {
		struct err_msg why = ERR_MSG_INIT;
		struct ident id;
		char field[32];

		snprintf(field, sizeof(field), "domains[%zu]", i);
		if (!rpz_domain_parse(domains[i], strlen(domains[i]), &id, field, &why))
			continue;
		one = json_pack("{s:s,s:I,s:s}", "field", field, "index", (json_int_t)i, "message",
			why.message);
		if (!one) /* a message cut inside a UTF-8 sequence */
			one = json_pack("{s:s,s:I,s:s}", "field", field, "index", (json_int_t)i,
				"message", err_str(ERR_INVAL));
		if (!bad)
			bad = json_array();
		json_array_append_new(bad, one);
	}
	return bad;
}

/* 400 with the one error body of the API (the first refusal) plus "errors": all of them. */
static int reply_refused(struct http_request *req, json_t *bad)
{
	json_t *first = json_array_get(bad, 0);

	return http_reply_json(req, 400,
		json_pack("{s:{s:s,s:O,s:O},s:o}", "error", "code", err_name(ERR_INVAL), "message",
			json_object_get(first, "message"), "field", json_object_get(first, "field"),
			"errors", bad));
}

int rpz_api_post_order(struct http_request *req)
{
	static const char *const fields[] = { "case_id", "zone", "court", "action", "redirect",
		"subdomains", "starts_at", "expires_at", "note", "domains", NULL };
	const struct auth_principal *p = http_principal(req);
	struct rpz_order o = { 0 };
	struct audit_event ev;
	const char **domains = NULL;
	char idtext[24];
	json_t *body = NULL, *bad;
	size_t n = 0;
	int ret = http_json_body(req, &body);

	o.subdomains = true;
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = fill_order(req, body, &o);
	if (!ret)
		ret = domains_arg(req, body, &domains, &n);
	if (ret)
		goto out;
	bad = refused_domains(domains, n);
	if (bad) {
		ret = reply_refused(req, bad);
		goto out;
	}
	o.agency_id = p->agency_id;
	o.created_by = p->user_id;
	order_event(&ev, req, "order.create", 0, idtext);
	ret = rpz_order_create(http_db(req), &o, &ev, http_err(req));
	if (!ret && n)
		ret = rpz_order_add_domains(http_db(req), o.id, domains, n, NULL, NULL, &ev, NULL,
			http_err(req));
	if (!ret)
		ret = rpz_order_get(http_db(req), o.id, &o);
	if (!ret)
		ret = http_reply_json(req, 201, order_json(req, &o));
out:
	free(domains);
	json_decref(body);
	return ret;
}

static json_t *domains_json(struct http_request *req, int64_t id)
{
	struct rpz_order_domain *d = NULL;
	json_t *a = json_array();
	size_t n = 0;

	rpz_order_domains(http_db(req), id, 0, 1000, &d, &n);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a,
			json_pack("{s:s,s:s,s:s,s:I,s:o,s:s,s:s}", "domain", d[i].domain, "unicode",
				d[i].unicode, "raw", d[i].raw, "identifier_id",
				(json_int_t)d[i].identifier_id, "lifted_at",
				d[i].lifted_at[0] ? json_string(d[i].lifted_at) : json_null(),
				"lifted_by", d[i].lifted_by, "lift_reason", d[i].lift_reason));
	free(d);
	return a;
}

static json_t *events_json(struct http_request *req, int64_t id)
{
	struct rpz_order_event *e = NULL;
	json_t *a = json_array();
	size_t n = 0;

	rpz_order_events(http_db(req), id, &e, &n);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a,
			json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "at", e[i].at, "actor", e[i].actor,
				"action", e[i].action, "from", e[i].from_state, "to", e[i].to_state,
				"detail", e[i].detail));
	free(e);
	return a;
}

/* The latest verification result of each of the order's names. */
static json_t *verifications_json(struct http_request *req, int64_t id)
{
	struct store_stmt *st;
	json_t *a = json_array();

	if (store_query(http_db(req), &st,
		    "SELECT v.resolver, v.checked_at, v.serial, n.name, n.blocked, n.answer"
		    " FROM rpz_verification_names n JOIN rpz_verifications v ON v.id = n.verification_id"
		    " WHERE n.order_id = ? ORDER BY v.id DESC LIMIT 200",
		    "i", id))
		return a;
	while (store_step(st) == STORE_ROW)
		json_array_append_new(a,
			json_pack("{s:s,s:s,s:I,s:s,s:b,s:s}", "resolver", store_col_text(st, 0),
				"checked_at", store_col_text(st, 1), "serial",
				(json_int_t)store_col_int64(st, 2), "name", store_col_text(st, 3),
				"blocked", (int)store_col_int64(st, 4), "answer",
				store_col_text(st, 5)));
	store_finish(st);
	return a;
}

int rpz_api_get_order(struct http_request *req)
{
	struct audit_event ev;
	struct rpz_order o;
	char idtext[24];
	json_t *j;
	int ret = load_order(req, "order.read", &o);

	if (ret)
		return ret;
	j = order_json(req, &o);
	json_object_set_new(j, "domain_list", domains_json(req, o.id));
	json_object_set_new(j, "history", events_json(req, o.id));
	json_object_set_new(j, "verifications", verifications_json(req, o.id));
	order_event(&ev, req, "order.read", o.id, idtext);
	audit_append_now(http_db(req), &ev);
	return http_reply_json(req, 200, j);
}

int rpz_api_post_order_domains(struct http_request *req)
{
	static const char *const fields[] = { "domains", NULL };
	struct rpz_order o;
	struct audit_event ev;
	const char **domains = NULL;
	char idtext[24];
	json_t *body = NULL;
	size_t n = 0, added = 0;
	int ret = load_order(req, "order.domains.add", &o);

	if (!ret)
		ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = domains_arg(req, body, &domains, &n);
	if (!ret && !n)
		ret = http_fail(req, ERR_INVAL, "domains", "at least one domain is required");
	if (ret)
		goto out;
	order_event(&ev, req, "order.domains.add", o.id, idtext);
	ret = rpz_order_add_domains(http_db(req), o.id, domains, n, NULL, NULL, &ev, &added,
		http_err(req));
	if (!ret)
		ret = rpz_order_get(http_db(req), o.id, &o);
	if (!ret)
		ret = http_reply_json(req, 200, order_json(req, &o));
out:
	free(domains);
	json_decref(body);
	return ret;
}

/* The step is the last segment of the path: file, grant, enforce, lift, lift-domain. */
static const char *step_of(struct http_request *req)
{
	const char *slash = strrchr(http_path(req), '/');

	return slash ? slash + 1 : "";
}

static int run_step(struct http_request *req, const char *step, int64_t id, json_t *body,
	const struct audit_event *ev)
{
	struct store_conn *c = http_db(req);
	const char *court = NULL, *number = NULL, *date = NULL, *reason = NULL, *domain = NULL;
	int ret = 0;

	if (strcmp(step, "file") == 0)
		return rpz_order_file(c, id, ev, http_err(req));
	if (strcmp(step, "enforce") == 0)
		return rpz_order_enforce(c, id, ev, http_err(req));
	if (strcmp(step, "grant") == 0) {
		ret = http_json_opt_string(req, body, "court", RPZ_COURT_MAX - 1, &court);
		if (!ret)
			ret = http_json_string(req, body, "order_number", RPZ_COURT_MAX - 1, &number);
		if (!ret)
			ret = http_json_string(req, body, "order_date", 64, &date);
		return ret ? ret : rpz_order_grant(c, id, court, number, date, ev, http_err(req));
	}
	ret = http_json_string(req, body, "reason", RPZ_NOTE_MAX - 1, &reason);
	if (!ret && strcmp(step, "lift") == 0)
		return rpz_order_lift(c, id, reason, ev, http_err(req));
	if (!ret)
		ret = http_json_string(req, body, "domain", 4096, &domain);
	return ret ? ret : rpz_order_lift_domain(c, id, domain, reason, ev, http_err(req));
}

int rpz_api_order_step(struct http_request *req)
{
	static const char *const fields[] = { "court", "order_number", "order_date", "reason",
		"domain", NULL };
	const char *step = step_of(req);
	struct audit_event ev;
	struct rpz_order o;
	char action[40], idtext[24];
	json_t *body = NULL;
	size_t len = 0;
	int ret;

	snprintf(action, sizeof(action), "order.%s", step);
	ret = load_order(req, action, &o);
	if (!ret && http_body(req, &len) && len)
		ret = http_json_body(req, &body);
	if (!body)
		body = json_object();
	if (!ret)
		ret = http_json_only(req, body, fields);
	if (ret)
		goto out;
	order_event(&ev, req, action, o.id, idtext);
	ret = run_step(req, step, o.id, body, &ev);
	if (!ret)
		ret = rpz_order_get(http_db(req), o.id, &o);
	if (!ret)
		ret = http_reply_json(req, 200, order_json(req, &o));
out:
	json_decref(body);
	return ret;
}
