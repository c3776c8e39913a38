/*
 * intel/stats_api.c - statistics over HTTP for the dashboard and management
 * reports: GET /api/v1/stats/reports, /stats/cases and /stats/top-identifiers
 * (logic and the need-to-know rule in stats.c / stats.h). Counts are not
 * audited, like the report and case lists: they name no report or case.
 */
#include "intel/intel_api.h"

#include <string.h>

#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "intel/internal.h"
#include "intel/stats.h"

#define STATS_DEFAULT_DAYS 30
#define STATS_MAX_DAYS     3700 /* ten years and a little */

/* since and until (any spelling rocdate_parse() takes; a date is Taipei midnight). */
static int period(struct http_request *req, int64_t *since, int64_t *until)
{
	const char *s = http_query(req, "since"), *u = http_query(req, "until");

	*until = clock_now() + 1; /* what was stored this second counts */
	if (!str_empty(u) && rocdate_parse(u, until))
		return http_fail(req, ERR_INVAL, "until", "'%s' is not a time", u);
	*since = *until - (int64_t)STATS_DEFAULT_DAYS * 86400;
	if (!str_empty(s) && rocdate_parse(s, since))
		return http_fail(req, ERR_INVAL, "since", "'%s' is not a time", s);
	if (*since >= *until)
		return http_fail(req, ERR_INVAL, "until", "must be after since");
	if (*until - *since > (int64_t)STATS_MAX_DAYS * 86400)
		return http_fail(req, ERR_INVAL, "since", "the period is longer than %d days",
		        STATS_MAX_DAYS);
	return 0;
}

static int group_arg(
        struct http_request *req, const char *dflt, const char *allowed, enum intel_stats_group *g)
{
	const char *name = http_query(req, "group_by");

	if (str_empty(name))
		name = dflt;
	if (intel_stats_group_parse(name, g) || !strstr(allowed, intel_stats_group_name(*g)))
		return http_fail(req, ERR_INVAL, "group_by", "must be one of %s", allowed);
	return 0;
}

static json_t *stats_json(const struct intel_stats *s, enum intel_stats_group g, int64_t since,
        int64_t until, int reach, bool reports)
{
	char from[32], to[32];
	json_t *groups = json_array(), *out;

	intel_time(since, from);
	intel_time(until, to);
	for (size_t i = 0; i < s->nbuckets; i++) {
		const struct intel_stats_bucket *b = &s->buckets[i];
		json_t *o = json_pack("{s:s,s:I}", "key", b->key, "count", (json_int_t)b->count);
		if (g == INTEL_STATS_AGENCY) {
			json_object_set_new(o, "agency_id", json_integer(b->agency_id));
			json_object_set_new(o, "name", json_string(b->name));
		}
		if (reports) {
			json_object_set_new(o, "loss_twd", json_integer(b->loss_twd));
			json_object_set_new(o, "duplicates", json_integer(b->duplicates));
		}
		json_array_append_new(groups, o);
	}
	out = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o}", "since", from, "until", to, "group_by",
	        intel_stats_group_name(g), "scope", reach == REACH_ALL ? "all" : "readable",
	        "count", (json_int_t)s->count, "groups", groups);
	if (reports) {
		json_object_set_new(out, "loss_twd", json_integer(s->loss_twd));
		json_object_set_new(out, "duplicates", json_integer(s->duplicates));
	}
	return out;
}

int intel_api_stats_reports(struct http_request *req)
{
	struct intel_stats s = {0};
	enum intel_stats_group g;
	int64_t since, until;
	int ret = period(req, &since, &until);

	if (!ret)
		ret = group_arg(req, "crime_type", "crime_type, agency, channel, day, week", &g);
	if (!ret)
		ret = intel_stats_reports(
		        http_db(req), http_principal(req), http_reach(req), since, until, g, &s);
	if (!ret)
		ret = http_reply_json(
		        req, 200, stats_json(&s, g, since, until, http_reach(req), true));
	intel_stats_release(&s);
	return ret;
}

int intel_api_stats_cases(struct http_request *req)
{
	struct intel_stats s = {0};
	enum intel_stats_group g;
	int64_t since, until;
	int ret = period(req, &since, &until);

	if (!ret)
		ret = group_arg(req, "agency", "agency, status, day, week", &g);
	if (!ret)
		ret = intel_stats_cases(
		        http_db(req), http_principal(req), http_reach(req), since, until, g, &s);
	if (!ret)
		ret = http_reply_json(
		        req, 200, stats_json(&s, g, since, until, http_reach(req), false));
	intel_stats_release(&s);
	return ret;
}

int intel_api_stats_top_identifiers(struct http_request *req)
{
	const char *v = http_query(req, "limit"), *s = http_query(req, "since");
	struct intel_stats_ident *list = NULL;
	int64_t limit = 10, since = 0;
	json_t *items;
	size_t n = 0;
	int ret;

	if (!str_empty(v) && str_to_int64(v, 1, 100, &limit))
		return http_fail(req, ERR_INVAL, "limit", "must be 1 to 100");
	if (!str_empty(s) && rocdate_parse(s, &since))
		return http_fail(req, ERR_INVAL, "since", "'%s' is not a time", s);
	ret = intel_stats_top_identifiers(
	        http_db(req), http_principal(req), http_reach(req), since, (int)limit, &list, &n);
	if (ret)
		return ret;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items,
		        json_pack("{s:{s:I,s:s,s:s,s:s,s:s},s:I,s:I,s:I,s:I,s:I}", "identifier",
		                "id", (json_int_t)list[i].id, "type", list[i].type, "value",
		                list[i].value, "display", list[i].display, "risk", list[i].risk,
		                "cases", (json_int_t)list[i].cases, "reports",
		                (json_int_t)list[i].reports, "agencies",
		                (json_int_t)list[i].agencies, "readable_reports",
		                (json_int_t)list[i].readable_reports, "loss_twd",
		                (json_int_t)list[i].loss_twd));
	free(list);
	return http_reply_json(req, 200,
	        json_pack("{s:o,s:I,s:s}", "items", items, "count", (json_int_t)n, "scope",
	                http_reach(req) == REACH_ALL ? "all" : "readable"));
}
