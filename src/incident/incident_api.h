/*
 * incident/incident_api.h - the incident module over HTTP: its route table
 * (registered in cli/modules.c) and the JSON forms shared with the CLI.
 */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "incident/incident.h"

struct http_route_table;

/* The routes under /api/v1/incidents and /api/v1/incident-policy. */
const struct http_route_table *incident_routes(void);

/* A time as JSON: "YYYY-MM-DDTHH:MM:SSZ", or null for 0. New reference. */
json_t *incident_time_json(int64_t t);
/* i as JSON (without deadlines and case). New reference. */
json_t *incident_json(const struct incident *i);
/* The deadlines as a JSON array with each one's state. New reference. */
json_t *incident_deadlines_json(const struct incident_deadline *v, size_t n);
/* Fill i from a POST /api/v1/incidents body; err names the bad field. */
int incident_from_json(json_t *body, struct incident *i, struct err_msg *err);
/* Fill a from a step's body, refusing members not in allowed; err names the field. */
int incident_args_from_json(json_t *body, const char *const *allowed,
	struct incident_step_args *a, struct err_msg *err);
