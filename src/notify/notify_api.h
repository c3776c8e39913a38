/*
 * notify/notify_api.h - the HTTP endpoints of the notify module.
 */
#pragma once

struct http_route_table;

const struct http_route_table *notify_routes(void);
