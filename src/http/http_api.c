/*
 * http/http_api.c - the server's own endpoints: health check, the OpenAPI
 * document and Prometheus metrics.
 */
#include "http/internal.h"

#include "base/buf.h"
#include "base/clock.h"
#include "base/jsonw.h"
#include "store/store.h"

static int get_health(struct http_request *req)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	char now[32];
	int64_t one = 0;
	int ret = store_query_int64(http_db(req), &one, "SELECT 1", "");

	clock_format_iso(clock_now_ms(), now, sizeof(now));
	jsonw_init(&w, &out);
	jsonw_object_open(&w);
	jsonw_key_string(&w, "status", ret ? "degraded" : "ok");
	jsonw_key_string(&w, "version", ROOTCUT_VERSION);
	jsonw_key_string(&w, "database", ret ? "unavailable" : "ok");
	jsonw_key_string(&w, "time", now);
	jsonw_object_close(&w);
	return http_reply_buf(req, ret ? 503 : 200, &out);
}

static int get_openapi(struct http_request *req)
{
	return http_reply_bytes(req, 200, "application/json", openapi_doc, openapi_doc_len);
}

static int get_metrics(struct http_request *req)
{
	struct buf out = BUF_INIT;
	int ret;

	http_metrics_render(req->srv, &out);
	ret = http_reply_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", out.s,
		out.len);
	buf_release(&out);
	return ret;
}

static const struct http_route routes[] = {
	{ "GET", "/api/v1/health", get_health, 0 },
	{ "GET", "/api/v1/openapi.json", get_openapi, 0 },
	{ "GET", "/metrics", get_metrics, 0 },
};

const struct http_route_table *http_core_routes(void)
{
	static const struct http_route_table table = { "http", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
