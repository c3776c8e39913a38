/*
 * graph/graph_api.c - POST /api/v1/flows/import (the body is the file, as
 * `rootcut import flows`) and GET /api/v1/graph/{analysis}: clusters,
 * layering, call-centers, path, neighbourhood, with the options of query.c
 * as query arguments; GET /api/v1/graph/upstream and /case-priority, the
 * rankings (upstream.c). Every analysis reads report and case nodes, so every
 * one is audited (graph.query, the analysis and its arguments).
 */
#include "graph/graph_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "graph/internal.h"
#include "http/http.h"
#include "store/store.h"

#define IMPORT_MAX_BODY (256u * 1024 * 1024)

static json_t *import_json(const struct graph_import_result *res)
{
	json_t *rejects = json_array();

	for (size_t i = 0; i < res->nrejects; i++)
		json_array_append_new(rejects,
			json_pack("{s:I,s:s,s:s}", "line", (json_int_t)res->rejects[i].line, "field",
				res->rejects[i].field, "reason", res->rejects[i].reason));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:b}", "rows", (json_int_t)res->rows,
		"accepted", (json_int_t)res->accepted, "duplicates", (json_int_t)res->duplicates,
		"rejected", (json_int_t)res->rejected, "identifiers", (json_int_t)res->identifiers,
		"rejects", rejects, "rejects_truncated", (size_t)res->rejected > res->nrejects);
}

static int post_import(struct http_request *req)
{
	struct graph_import_options opt = { 0 };
	struct graph_import_result res = { 0 };
	struct audit_event ev;
	const char *kind = http_query(req, "kind"), *format = http_query(req, "format");
	const char *type = http_header(req, "Content-Type");
	size_t len = 0;
	const char *body = http_body(req, &len);
	FILE *in;
	int ret;

	if (!kind || graph_flow_kind_parse(kind, &opt.kind))
		return http_fail(req, ERR_INVAL, "kind",
			"must be transfer, call, resolution, contact or chain");
	opt.format = GRAPH_IMPORT_CSV;
	if (type && (strstr(type, "ndjson") || strstr(type, "jsonl")))
		opt.format = GRAPH_IMPORT_JSONL;
	if (format && !strcmp(format, "jsonl"))
		opt.format = GRAPH_IMPORT_JSONL;
	else if (format && strcmp(format, "csv"))
		return http_fail(req, ERR_INVAL, "format", "must be csv or jsonl");
	if (!len)
		return http_fail(req, ERR_INVAL, "body", "is empty: send the file as the body");
	in = fmemopen((void *)body, len, "r");
	if (!in)
		return http_fail(req, ERR_INTERNAL, "body", "cannot read the body");
	audit_event_from_request(&ev, req, "flow.import", "import", kind, AUDIT_OK);
	opt.ev = &ev;
	opt.name = "request body";
	ret = graph_import(http_store(req), in, &opt, &res, http_err(req));
	fclose(in);
	if (!ret)
		ret = http_reply_json(req, 200, import_json(&res));
	graph_import_result_release(&res);
	return ret;
}

static const char *const args[] = { "depth", "max_nodes", "time_ms", "limit", "min_units",
	"max_fanout", "min_victims", "max_gap_days", "start", "from", "to", "id", "half_life_days",
	"candidates", NULL };

/* Run analysis name with the request's query arguments as options; audited. */
static int run_analysis(struct http_request *req, const char *name)
{
	struct graph_viewer v = { http_db(req), http_principal(req), http_reach(req) };
	struct graph_query q;
	enum graph_analysis what;
	struct audit_event ev;
	struct buf detail = BUF_INIT;
	json_t *out = NULL;
	int ret;

	if (!name || graph_analysis_parse(name, &what))
		return http_fail(req, ERR_NOTFOUND, "analysis",
			"no analysis '%s' (clusters, layering, call-centers, path, neighbourhood, "
			"upstream, case-priority)",
			name ? name : "");
	graph_query_defaults(&q, what);
	for (int i = 0; args[i]; i++) {
		const char *val = http_query(req, args[i]);
		if (!val)
			continue;
		ret = graph_query_set(&q, v.c, args[i], val, http_err(req));
		if (ret == ERR_NOTFOUND && !http_err(req)->field[0])
			return http_fail(req, ERR_INVAL, args[i], "is not an option of %s", name);
		if (ret)
			return ret;
		buf_addf(&detail, "%s%s=%s", detail.len ? " " : "", args[i], val);
	}
	ret = graph_query_run(&q, &v, &out, http_err(req));
	audit_event_from_request(&ev, req, "graph.query", "graph", graph_analysis_name(what),
		ret ? AUDIT_FAILED : AUDIT_OK);
	ev.detail = detail.s;
	audit_append_now(v.c, &ev);
	buf_release(&detail);
	if (ret)
		return ret;
	return http_reply_json(req, 200, out);
}

static int get_analysis(struct http_request *req)
{
	return run_analysis(req, http_param(req, "analysis"));
}

static int get_upstream(struct http_request *req)
{
	return run_analysis(req, "upstream");
}

static int get_case_priority(struct http_request *req)
{
	return run_analysis(req, "case-priority");
}

/*
 * GET /api/v1/graph/export?what=neighbourhood|cluster&format=graphml|gexf|csv
 * &id=IDENT or &case=ID [&depth=N&limit=N&max_nodes=N&time_ms=N]
 */
static int get_export(struct http_request *req)
{
	struct graph_viewer v = { http_db(req), http_principal(req), http_reach(req) };
	struct graph_limits lim = { 2, 1000000, 10000, 5000 };
	const char *what = http_query(req, "what"), *format = http_query(req, "format");
	const char *id = http_query(req, "id"), *kase = http_query(req, "case");
	static const char *const nums[] = { "depth", "limit", "max_nodes", "time_ms" };
	static const int64_t maxes[] = { 10, 100000, 50000000, 120000 };
	enum graph_export_format fmt = GRAPH_EXPORT_GRAPHML;
	int64_t ident = 0, case_id = 0, n;
	bool cluster = what && !strcmp(what, "cluster"), truncated = false;
	struct audit_event ev;
	struct buf body = BUF_INIT, detail = BUF_INIT;
	struct graph *g = NULL;
	char disposition[96];
	int ret;

	if (what && !cluster && strcmp(what, "neighbourhood"))
		return http_fail(req, ERR_INVAL, "what", "must be neighbourhood or cluster");
	if (format && graph_export_format_parse(format, &fmt))
		return http_fail(req, ERR_INVAL, "format", "must be graphml, gexf or csv");
	if (cluster)
		lim.depth = 6;
	for (int i = 0; i < 4; i++) {
		const char *val = http_query(req, nums[i]);
		if (!val)
			continue;
		if (str_to_int64(val, 1, maxes[i], &n))
			return http_fail(req, ERR_INVAL, nums[i], "must be a number from 1 to %lld",
				(long long)maxes[i]);
		if (i == 0)
			lim.depth = (int)n;
		else if (i == 1)
			lim.max_results = (int)n;
		else if (i == 2)
			lim.max_nodes = n;
		else
			lim.time_ms = n;
	}
	if (id) {
		ret = graph_ident_ref(v.c, id, "id", &ident, http_err(req));
		if (ret)
			return ret;
	} else if (!kase || str_to_int64(kase, 1, INT64_MAX, &case_id)) {
		return http_fail(req, ERR_INVAL, kase ? "case" : "id",
			kase ? "must be a case id" : "give id (an identifier) or case");
	}
	buf_addf(&detail, "what=%s format=%s %s=%s", cluster ? "cluster" : "neighbourhood",
		format ? format : "graphml", id ? "id" : "case", id ? id : kase);
	ret = graph_acquire(v.c, &g);
	if (!ret)
		ret = graph_export(g, &v, ident, case_id, cluster, fmt, &lim, &body, &truncated,
			http_err(req));
	graph_release(g);
	audit_event_from_request(&ev, req, "graph.export", "graph",
		cluster ? "cluster" : "neighbourhood", ret ? AUDIT_FAILED : AUDIT_OK);
	ev.detail = detail.s;
	audit_append_now(v.c, &ev);
	buf_release(&detail);
	if (!ret) {
		snprintf(disposition, sizeof(disposition), "attachment; filename=\"rootcut-%s.%s\"",
			cluster ? "cluster" : "neighbourhood",
			fmt == GRAPH_EXPORT_GRAPHML ? "graphml" : fmt == GRAPH_EXPORT_GEXF ? "gexf" : "csv");
		http_add_header(req, "Content-Disposition", disposition);
		http_add_header(req, "X-Rootcut-Truncated", truncated ? "true" : "false");
		ret = http_reply_bytes(req, 200, graph_export_content_type(fmt), body.s, body.len);
	}
	buf_release(&body);
	return ret;
}

static const struct http_route routes[] = {
	{ "POST", "/api/v1/flows/import", post_import, IMPORT_MAX_BODY },
	/* before {analysis}: the router takes the first match */
	{ "GET", "/api/v1/graph/upstream", get_upstream, 0 },
	{ "GET", "/api/v1/graph/case-priority", get_case_priority, 0 },
	{ "GET", "/api/v1/graph/export", get_export, 0 },
	{ "GET", "/api/v1/graph/{analysis}", get_analysis, 0 },
};

const struct http_route_table *graph_routes(void)
{
	static const struct http_route_table table = { "graph", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
