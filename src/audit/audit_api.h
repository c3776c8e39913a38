/*
 * audit/audit_api.h - the HTTP endpoints of the audit module.
 */
#pragma once

struct http_route_table;

const struct http_route_table *audit_routes(void);
