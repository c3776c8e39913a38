/*
 * dns/verify_api.c - POST /api/v1/rpz/verify: `rpz verify` over HTTP, for
 * DNS operators. The server asks the resolver (at most 100 names, one
 * second a try) and answers with the stored result.
 */
#include "dns/verify.h"

#include <jansson.h>

#include "audit/audit.h"
#include "base/err.h"
#include "http/http.h"

static json_t *items_json(const struct dns_verify_report *rep)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rep->n; i++) {
		const struct dns_verify_item *it = &rep->items[i];
		json_array_append_new(a, json_pack("{s:s,s:I,s:b,s:b,s:s,s:s}", "name", it->name,
			"order_id", (json_int_t)it->order_id, "expect_blocked", it->expect_blocked,
			"blocked", it->blocked, "expected", it->expect, "answer", it->answer));
	}
	return a;
}

static int post_verify(struct http_request *req)
{
	static const char *const allowed[] = { "resolver", "zone", "control", "sample", NULL };
	struct dns_verify_opts o = { 0 };
	struct dns_verify_report rep = { 0 };
	struct audit_event ev;
	json_t *body = NULL;
	int64_t sample = 20;
	int ret;

	ret = http_json_body(req, &body);
	if (!ret)
		ret = http_json_only(req, body, allowed);
	if (!ret)
		ret = http_json_string(req, body, "resolver", 64, &o.resolver);
	if (!ret)
		ret = http_json_opt_string(req, body, "zone", 255, &o.zone);
	if (!ret)
		ret = http_json_opt_string(req, body, "control", 253, &o.control);
	if (!ret)
		ret = http_json_opt_int(req, body, "sample", 1, 100, &sample);
	if (ret)
		goto out;
	audit_event_from_request(&ev, req, "rpz.verify", "rpz_verification", NULL, AUDIT_OK);
	o.sample = (size_t)sample;
	o.timeout_ms = 1000;
	o.store = true;
	o.ev = &ev;
	ret = dns_verify(http_store(req), &o, &rep, http_err(req));
	if (!ret)
		ret = http_reply_json(req, 200,
			json_pack("{s:I,s:s,s:I,s:s,s:I,s:I,s:o}", "id", (json_int_t)rep.id, "zone",
				rep.zone, "serial", (json_int_t)rep.serial, "resolver", o.resolver,
				"names", (json_int_t)rep.n, "failed", (json_int_t)rep.failed, "items",
				items_json(&rep)));
out:
	dns_verify_report_release(&rep);
	json_decref(body);
	return ret;
}

static const struct http_route routes[] = {
	{ "POST", "/api/v1/rpz/verify", post_verify, 0 },
};

const struct http_route_table *dns_routes(void)
{
	static const struct http_route_table t = { "dns", routes, 1 };

	return &t;
}
