/*
 * rpz/rpz_api.c - the zones as published, their history by serial, the
 * passthru list and verification results over HTTP, and the rpz route
 * table (orders are in order_api.c). Every read and write is audited.
 */
#include "rpz/rpz_api.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "http/http.h"
#include "rpz/rpz.h"
#include "rpz/zone_store.h"
#include "store/store.h"

static void audit_read(struct http_request *req, const char *action, const char *type,
	const char *id)
{
	struct audit_event ev;

	audit_event_from_request(&ev, req, action, type, id, AUDIT_OK);
	audit_append_now(http_db(req), &ev);
}

static int get_zones(struct http_request *req)
{
	struct rpz_zone_info *z = NULL;
	json_t *items = json_array();
	size_t n = 0;
	char when[32];
	int ret = rpz_zone_list(http_db(req), &z, &n, http_err(req));

	if (ret) {
		json_decref(items);
		return ret;
	}
	for (size_t i = 0; i < n; i++) {
		clock_format_iso_s(z[i].changed_at, when, sizeof(when));
		json_array_append_new(items,
			json_pack("{s:s,s:I,s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "name", z[i].name,
				"serial", (json_int_t)z[i].serial, "rules", (json_int_t)z[i].records,
				"mname", z[i].mname, "rname", z[i].rname, "refresh",
				(json_int_t)z[i].refresh, "retry", (json_int_t)z[i].retry, "expire",
				(json_int_t)z[i].expire, "minimum", (json_int_t)z[i].minimum, "ttl",
				(json_int_t)z[i].ttl, "changed_at", when));
	}
	free(z);
	audit_read(req, "rpz.zones.read", "rpz_zone", NULL);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static int get_history(struct http_request *req)
{
	struct rpz_history_entry *h = NULL;
	const char *zone = http_param(req, "name");
	json_t *items;
	size_t n = 0;
	int ret = rpz_history(http_db(req), zone, 1000, &h, &n, http_err(req));

	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items,
			json_pack("{s:I,s:I,s:I,s:s,s:s}", "serial", (json_int_t)h[i].serial,
				"added", (json_int_t)h[i].added, "deleted", (json_int_t)h[i].deleted,
				"reason", h[i].reason, "changed_at", h[i].changed_at));
	free(h);
	audit_read(req, "rpz.history.read", "rpz_zone", zone);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static json_t *passthru_json(const struct rpz_passthru *p)
{
	return json_pack("{s:I,s:s,s:b,s:s,s:s,s:s}", "id", (json_int_t)p->id, "domain", p->domain,
		"subdomains", p->subdomains, "reason", p->reason, "created_by", p->created_by,
		"created_at", p->created_at);
}

static int get_passthru(struct http_request *req)
{
	struct rpz_passthru *v = NULL;
	json_t *items;
	size_t n = 0;
	int ret = rpz_passthru_list(http_db(req), &v, &n);

	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, passthru_json(&v[i]));
	free(v);
	audit_read(req, "passthru.list", "passthru", NULL);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static int post_passthru(struct http_request *req)
{
	static const char *const fields[] = { "domain", "subdomains", "reason", NULL };
	const char *domain = NULL, *reason = NULL;
	struct rpz_passthru p;
	struct audit_event ev;
	bool subdomains = true;
	json_t *body = NULL;
	int ret = http_json_body(req, &body);

	if (!ret)
		ret = http_json_only(req, body, fields);
	if (!ret)
		ret = http_json_string(req, body, "domain", 4096, &domain);
	if (!ret)
		ret = http_json_string(req, body, "reason", RPZ_NOTE_MAX - 1, &reason);
	if (!ret)
		ret = http_json_opt_bool(req, body, "subdomains", &subdomains);
	if (!ret) {
		audit_event_from_request(&ev, req, "passthru.add", "passthru", NULL, AUDIT_OK);
		ret = rpz_passthru_add(http_db(req), domain, subdomains, reason, &ev, &p,
			http_err(req));
	}
	if (!ret)
		ret = http_reply_json(req, 201, passthru_json(&p));
	json_decref(body);
	return ret;
}

static int delete_passthru(struct http_request *req)
{
	struct audit_event ev;
	int64_t id;
	int ret = http_param_id(req, "id", &id);

	if (ret)
		return ret;
	audit_event_from_request(&ev, req, "passthru.remove", "passthru", NULL, AUDIT_OK);
	ret = rpz_passthru_remove(http_db(req), id, NULL, &ev, http_err(req));
	return ret ? ret : http_reply_json(req, 200, json_pack("{s:b}", "removed", 1));
}

static int get_verifications(struct http_request *req)
{
	struct store_stmt *st;
	json_t *items;
	int ret = store_query(http_db(req), &st,
		"SELECT id, zone, serial, resolver, checked_at, names, blocked, as_expected, actor"
		" FROM rpz_verifications ORDER BY id DESC LIMIT 200",
		"");

	if (ret)
		return ret;
	items = json_array();
	while ((ret = store_step(st)) == STORE_ROW)
		json_array_append_new(items,
			json_pack("{s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:I,s:s}", "id",
				(json_int_t)store_col_int64(st, 0), "zone", store_col_text(st, 1),
				"serial", (json_int_t)store_col_int64(st, 2), "resolver",
				store_col_text(st, 3), "checked_at", store_col_text(st, 4), "names",
				(json_int_t)store_col_int64(st, 5), "blocked",
				(json_int_t)store_col_int64(st, 6), "as_expected",
				(json_int_t)store_col_int64(st, 7), "actor", store_col_text(st, 8)));
	store_finish(st);
	if (ret) {
		json_decref(items);
		return ret;
	}
	audit_read(req, "rpz.verifications.read", "rpz_verification", NULL);
	return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

static const struct http_route routes[] = {
	{ "GET", "/api/v1/orders", rpz_api_list_orders, 0 },
	{ "POST", "/api/v1/orders", rpz_api_post_order, 0 },
	{ "GET", "/api/v1/orders/{id}", rpz_api_get_order, 0 },
	{ "POST", "/api/v1/orders/{id}/domains", rpz_api_post_order_domains, 0 },
	{ "POST", "/api/v1/orders/{id}/file", rpz_api_order_step, 0 },
	{ "POST", "/api/v1/orders/{id}/grant", rpz_api_order_step, 0 },
	{ "POST", "/api/v1/orders/{id}/enforce", rpz_api_order_step, 0 },
	{ "POST", "/api/v1/orders/{id}/lift", rpz_api_order_step, 0 },
	{ "POST", "/api/v1/orders/{id}/lift-domain", rpz_api_order_step, 0 },
	{ "GET", "/api/v1/rpz/zones", get_zones, 0 },
	{ "GET", "/api/v1/rpz/zones/{name}/history", get_history, 0 },
	{ "GET", "/api/v1/rpz/passthru", get_passthru, 0 },
	{ "POST", "/api/v1/rpz/passthru", post_passthru, 0 },
	{ "DELETE", "/api/v1/rpz/passthru/{id}", delete_passthru, 0 },
	{ "GET", "/api/v1/rpz/verifications", get_verifications, 0 },
};

const struct http_route_table *rpz_routes(void)
{
	static const struct http_route_table table = { "rpz", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
