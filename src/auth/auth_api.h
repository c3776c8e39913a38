/*
 * auth/auth_api.h - the HTTP endpoints of the auth module: sessions, users,
 * agencies, API tokens and the caller's view of the policy.
 */
#pragma once

struct http_route_table;

const struct http_route_table *auth_routes(void);
