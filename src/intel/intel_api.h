/*
 * intel/intel_api.h - the HTTP side of the anti-fraud database: the route
 * table, the JSON forms of reports and cases, and the handlers.
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"
#include "intel/intel.h"

const struct http_route_table *intel_routes(void);

/* r as JSON; sensitive identifiers are masked unless sensitive_visible. */
json_t *intel_report_json(const struct intel_report *r, bool sensitive_visible);
json_t *intel_case_json(const struct intel_case *k);
/* Fill r from a request body; errors name the field (e.g. "identifiers[1].value"). */
int intel_report_from_json(struct http_request *req, json_t *body, struct intel_report *r);

/* Correlations of report r for the caller of req (JSON object). */
int intel_api_correlations(struct http_request *req, const struct intel_report *r, json_t **out);

int intel_api_post_report(struct http_request *req);
int intel_api_list_reports(struct http_request *req);
int intel_api_get_report(struct http_request *req);
int intel_api_get_report_correlations(struct http_request *req);
int intel_api_post_case(struct http_request *req);
int intel_api_list_cases(struct http_request *req);
int intel_api_get_case(struct http_request *req);
int intel_api_patch_case(struct http_request *req);
int intel_api_post_case_member(struct http_request *req);
int intel_api_delete_case_member(struct http_request *req);
int intel_api_post_case_report(struct http_request *req);
/* case_view_api.c: a case's identifiers with cross-case counts, and its timeline */
int intel_api_get_case_identifiers(struct http_request *req);
int intel_api_get_case_events(struct http_request *req);
int intel_api_get_identifier(struct http_request *req);
int intel_api_find_identifier(struct http_request *req);
int intel_api_parse_identifier(struct http_request *req);
int intel_api_get_lookup(struct http_request *req);
int intel_api_extract(struct http_request *req);

#define INTEL_EXTRACT_MAX 64
/* Identifiers found in text, as JSON suggestions, minus those r already names (r may be NULL). */
json_t *intel_extracted_json(const char *text, const struct intel_report *r);
int intel_api_post_access_request(struct http_request *req);
int intel_api_list_access_requests(struct http_request *req);
int intel_api_decide_access_request(struct http_request *req);
int intel_api_list_watches(struct http_request *req);
int intel_api_post_watch(struct http_request *req);
int intel_api_delete_watch(struct http_request *req);
int intel_api_post_lookup(struct http_request *req);

/* listing_api.c: the warning list, the review queue, risk decisions, disputes */
int intel_api_list_warnings(struct http_request *req);
int intel_api_post_warning(struct http_request *req);
int intel_api_delete_warning(struct http_request *req);
int intel_api_list_review(struct http_request *req);
int intel_api_post_review(struct http_request *req);
int intel_api_post_risk(struct http_request *req);
int intel_api_post_dispute(struct http_request *req);
int intel_api_list_disputes(struct http_request *req);
int intel_api_post_dispute_decision(struct http_request *req);

/* stats_api.c: counts for dashboards (need-to-know in stats.h) */
int intel_api_stats_reports(struct http_request *req);
int intel_api_stats_cases(struct http_request *req);
int intel_api_stats_top_identifiers(struct http_request *req);
