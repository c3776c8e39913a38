/*
 * graph/graph_api.h - the graph module's HTTP routes: flow import and the
 * analyses under /api/v1/graph/.
 */
#pragma once

struct http_route_table;

const struct http_route_table *graph_routes(void);
