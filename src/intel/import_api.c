/*
 * intel/import_api.c - POST /api/v1/import: the body is a CSV, TSV or JSON
 * Lines file, imported as `rootcut import reports` does (import.c). Callers
 * with agency reach (prosecutors, investigators, reporters) file every row
 * as their own agency; analysts may name another with ?agency= or per row.
 * One audit event per import, with the counts.
 */
#include "intel/import_api.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "http/http.h"
#include "intel/import.h"
#include "store/store.h"

#define MAX_OPTIONS 64

static int read_options(struct http_request *req, struct import_options *opt, const char **maps,
	const char **sets)
{
	const struct auth_principal *p = http_principal(req);
	const char *v;
	int64_t n;

	opt->format = IMPORT_FORMAT_CSV;
	v = http_header(req, "Content-Type");
	if (v && (str_has_prefix(v, "application/x-ndjson") || str_has_prefix(v, "application/jsonl")))
		opt->format = IMPORT_FORMAT_JSONL;
	else if (v && str_has_prefix(v, "text/tab-separated-values"))
		opt->format = IMPORT_FORMAT_TSV;
	if ((v = http_query(req, "format")) && import_format_parse(v, &opt->format))
		return http_fail(req, ERR_INVAL, "format", "must be csv, tsv or jsonl");
	if ((v = http_query(req, "encoding")) && import_encoding_parse(v, &opt->encoding))
		return http_fail(req, ERR_INVAL, "encoding", "must be utf-8 or big5");
	if ((v = http_query(req, "batch"))) {
		if (str_to_int64(v, 1, 1000000, &n))
			return http_fail(req, ERR_INVAL, "batch", "must be 1 to 1000000");
		opt->batch = (int)n;
	}
	if ((v = http_query(req, "skip"))) {
		if (str_to_int64(v, 0, 1000000, &n))
			return http_fail(req, ERR_INVAL, "skip", "must be a number of lines");
		opt->skip_lines = (int)n;
	}
	opt->columns = http_query(req, "columns");
	opt->nmap = http_query_all(req, "map", maps, MAX_OPTIONS);
	opt->nset = http_query_all(req, "set", sets, MAX_OPTIONS);
	if (opt->nmap > MAX_OPTIONS || opt->nset > MAX_OPTIONS)
		return http_fail(req, ERR_LIMIT, opt->nmap > MAX_OPTIONS ? "map" : "set",
			"at most %d values", MAX_OPTIONS);
	opt->map = maps;
	opt->set = sets;
	opt->agency_id = p->agency_id;
	opt->agency_forced = http_reach(req) != REACH_ALL;
	if ((v = http_query(req, "agency"))) {
		struct agency a;
		if (agency_find(http_db(req), v, &a))
			return http_fail(req, ERR_INVAL, "agency", "no agency '%s'", v);
		if (opt->agency_forced && a.id != p->agency_id)
			return http_fail(req, ERR_DENIED, "agency",
				"you may file reports for your own agency only");
		opt->agency_id = a.id;
	}
	opt->created_by = p->user_id;
	opt->principal = p;
	opt->reach = http_reach(req);
	return 0;
}

static json_t *result_json(const struct import_result *res)
{
	json_t *rejects = json_array(), *ids = json_array();

	for (size_t i = 0; i < res->nrejects; i++)
		json_array_append_new(rejects,
			json_pack("{s:I,s:s,s:s}", "line", (json_int_t)res->rejects[i].line, "field",
				res->rejects[i].field, "reason", res->rejects[i].reason));
	for (size_t i = 0; i < res->nreport_ids; i++)
		json_array_append_new(ids, json_integer(res->report_ids[i]));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:b,s:o,s:b}", "rows", (json_int_t)res->rows,
		"accepted", (json_int_t)res->accepted, "rejected", (json_int_t)res->rejected,
		"duplicates", (json_int_t)res->duplicates, "likely_duplicates",
		(json_int_t)res->likely_duplicates, "rejects", rejects, "rejects_truncated",
		(size_t)res->rejected > res->nrejects, "report_ids", ids, "report_ids_truncated",
		(size_t)res->accepted > res->nreport_ids);
}

int intel_api_post_import(struct http_request *req)
{
	const char *maps[MAX_OPTIONS], *sets[MAX_OPTIONS];
	struct import_options opt = { 0 };
	struct import_result res = { 0 };
	struct audit_event ev;
	size_t len = 0;
	const char *body = http_body(req, &len);
	FILE *in;
	int ret = read_options(req, &opt, maps, sets);

	if (ret)
		return ret;
	if (!len)
		return http_fail(req, ERR_INVAL, "body", "is empty: send the file as the body");
	in = fmemopen((void *)body, len, "r");
	if (!in)
		return http_fail(req, ERR_INTERNAL, "body", "cannot read the body");
	audit_event_from_request(&ev, req, "report.import", "import", NULL, AUDIT_OK);
	opt.ev = &ev;
	opt.name = "request body";
	ret = intel_import(http_store(req), in, &opt, &res, http_err(req));
	fclose(in);
	if (!ret)
		ret = http_reply_json(req, 200, result_json(&res));
	import_result_release(&res);
	return ret;
}
