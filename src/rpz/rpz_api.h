/*
 * rpz/rpz_api.h - the rpz module's HTTP routes: orders (order_api.c) and
 * the zones, passthru list and verification results (rpz_api.c).
 */
#pragma once

struct http_request;
struct http_route_table;

/* The route table of the rpz module, for src/cli/modules.c. */
const struct http_route_table *rpz_routes(void);

/* order_api.c */
int rpz_api_list_orders(struct http_request *req);
int rpz_api_post_order(struct http_request *req);
int rpz_api_get_order(struct http_request *req);
int rpz_api_post_order_domains(struct http_request *req);
int rpz_api_order_step(struct http_request *req);
