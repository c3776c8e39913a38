/*
 * intel/intel_api.c - the route table of the anti-fraud database.
 */
#include "intel/intel_api.h"

#include "intel/import_api.h"

static const struct http_route routes[] = {
	{ "POST", "/api/v1/reports", intel_api_post_report, 262144 },
	{ "GET", "/api/v1/reports", intel_api_list_reports, 0 },
	{ "GET", "/api/v1/reports/{id}", intel_api_get_report, 0 },
	{ "GET", "/api/v1/reports/{id}/correlations", intel_api_get_report_correlations, 0 },
	{ "POST", "/api/v1/cases", intel_api_post_case, 0 },
	{ "GET", "/api/v1/cases", intel_api_list_cases, 0 },
	{ "GET", "/api/v1/cases/{id}", intel_api_get_case, 0 },
	{ "PATCH", "/api/v1/cases/{id}", intel_api_patch_case, 0 },
	{ "POST", "/api/v1/cases/{id}/members", intel_api_post_case_member, 0 },
	{ "DELETE", "/api/v1/cases/{id}/members/{user_id}", intel_api_delete_case_member, 0 },
	{ "POST", "/api/v1/cases/{id}/reports", intel_api_post_case_report, 0 },
	{ "GET", "/api/v1/cases/{id}/identifiers", intel_api_get_case_identifiers, 0 },
	{ "GET", "/api/v1/cases/{id}/events", intel_api_get_case_events, 0 },
	{ "POST", "/api/v1/cases/{id}/access-requests", intel_api_post_access_request, 0 },
	{ "GET", "/api/v1/access-requests", intel_api_list_access_requests, 0 },
	{ "POST", "/api/v1/access-requests/{id}/decision", intel_api_decide_access_request, 0 },
	{ "GET", "/api/v1/watches", intel_api_list_watches, 0 },
	{ "POST", "/api/v1/watches", intel_api_post_watch, 0 },
	{ "DELETE", "/api/v1/watches/{id}", intel_api_delete_watch, 0 },
	{ "GET", "/api/v1/identifiers/parse", intel_api_parse_identifier, 0 },
	{ "POST", "/api/v1/identifiers/extract", intel_api_extract, 131072 },
	{ "GET", "/api/v1/identifiers", intel_api_find_identifier, 0 },
	{ "GET", "/api/v1/identifiers/{id}", intel_api_get_identifier, 0 },
	{ "GET", "/api/v1/lookup", intel_api_get_lookup, 0 },
	{ "POST", "/api/v1/lookup", intel_api_post_lookup, 4194304 },
	{ "POST", "/api/v1/import", intel_api_post_import, 268435456 },
	{ "GET", "/api/v1/warning-list", intel_api_list_warnings, 0 },
	{ "POST", "/api/v1/warning-list", intel_api_post_warning, 0 },
	{ "DELETE", "/api/v1/warning-list/{id}", intel_api_delete_warning, 0 },
	{ "GET", "/api/v1/review", intel_api_list_review, 0 },
	{ "POST", "/api/v1/identifiers/{id}/review", intel_api_post_review, 0 },
	{ "POST", "/api/v1/identifiers/{id}/risk", intel_api_post_risk, 0 },
	{ "POST", "/api/v1/disputes", intel_api_post_dispute, 0 },
	{ "GET", "/api/v1/disputes", intel_api_list_disputes, 0 },
	{ "POST", "/api/v1/disputes/{id}/decision", intel_api_post_dispute_decision, 0 },
	{ "GET", "/api/v1/stats/reports", intel_api_stats_reports, 0 },
	{ "GET", "/api/v1/stats/cases", intel_api_stats_cases, 0 },
	{ "GET", "/api/v1/stats/top-identifiers", intel_api_stats_top_identifiers, 0 },
};

const struct http_route_table *intel_routes(void)
{
	static const struct http_route_table table = { "intel", routes,
		sizeof(routes) / sizeof(routes[0]) };
	return &table;
}
