/*
 * http/internal.h - shared by the files of src/http/ only.
 */
#pragma once
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "auth/auth.h"
#include "base/buf.h"
#include "base/err.h"
#include "config/config.h"
#include "http/http.h"

#define HTTP_MAX_PARAMS 8
#define HTTP_MAX_RESP_HEADERS 16
#define HTTP_MAX_SEGMENTS 16

/* One compiled route: the pattern split into segments, with its policy facts. */
struct http_compiled_route {
	const struct http_route *route;
	const char *module;
	char *segments[HTTP_MAX_SEGMENTS]; /* literal text, or "{name}" */
	int nsegments;
	uint32_t param_mask;               /* bit i: segments[i] is a {name} parameter */
	bool public_route;
	bool csrf_exempt;
	int metrics_index;                 /* slot in the metrics tables */
};

struct http_router {
	struct http_compiled_route *routes;
	size_t count;
};

struct http_resp_header {
	char *name;
	char *value;
};

struct http_request {
	struct http_server *srv;
	struct MHD_Connection *conn;
	const char *method;       /* MHD's string, valid for the request */
	char *path;               /* percent-decoded path, no query */
	struct buf body;
	bool body_too_large;
	size_t discarded;         /* body bytes dropped after the limit */
	const struct http_compiled_route *route;
	int match_error;          /* 0, ERR_NOTFOUND or ERR_METHOD from routing */
	char *param_names[HTTP_MAX_PARAMS];
	char *param_values[HTTP_MAX_PARAMS];
	int nparams;
	struct auth_principal principal;
	enum auth_reach reach;
	struct store_conn *db;
	struct err_msg err;
	char addr[64];
	int64_t start_us;
	bool responded;
	/* the response */
	int status;
	char *resp_body;
	size_t resp_len;
	const char *content_type;
	struct http_resp_header headers[HTTP_MAX_RESP_HEADERS];
	int nheaders;
	int fd;                   /* for static files: an open file to send, else -1 */
	uint64_t fd_size;
	bool is_static;           /* a web UI file (cached), not an API answer (no-store) */
	bool web_path;            /* asked for a web UI path (counted as static in metrics) */
};

struct http_metrics;

struct http_server {
	struct MHD_Daemon *daemon;
	const struct config *cfg;
	struct store *store;
	struct http_router router;
	struct http_metrics *metrics;
	char *tls_cert_pem;
	char *tls_key_pem;
	char *web_root;           /* resolved directory of static files, or NULL */
	int access_log_fd;        /* -1 when off; O_APPEND, one write(2) per line */
	bool access_log_owned;
	bool tls;
	int port;
	int64_t started_ms;
};

/* router.c */
int http_router_build(struct http_router *r, const struct http_route_table *tables, size_t n,
	struct err_msg *err);
void http_router_release(struct http_router *r);
/*
 * Match method + path. Returns 0 with *out and the parameters stored in req,
 * ERR_NOTFOUND when no route has this path, ERR_METHOD when only other methods do.
 */
int http_router_match(const struct http_router *r, const char *method, const char *path,
	struct http_request *req, const struct http_compiled_route **out);

/* response.c */
void http_request_free(struct http_request *req);
/* Write the standard error body for code and req->err into the response. */
void http_reply_error(struct http_request *req, int code);
/* Hand the prepared response to MHD. */
enum MHD_Result http_send(struct http_request *req);

/* static.c */
/* Resolve the web root from the configuration; NULL when there is none. */
char *http_static_root(const struct config *cfg);
/* Serve a file of the web UI for GET/HEAD of req->path; fills the response. */
int http_static_serve(struct http_request *req);

/* proxy.c */
/*
 * Replace addr (the peer's address) by the client's address from the
 * X-Forwarded-For value forwarded when the peer is one of the trusted proxies
 * (comma-separated addresses). Leaves addr as it is otherwise.
 */
void http_proxy_client_addr(const char *trusted, const char *forwarded, char *addr, size_t size);

/* metrics.c */
struct http_metrics *http_metrics_new(size_t nroutes);
void http_metrics_free(struct http_metrics *m);
#define HTTP_METRICS_STATIC (-1)   /* the slot of web UI files */
#define HTTP_METRICS_UNROUTED (-2) /* the slot of unknown paths and refused requests */
/* Count one finished request of route slot (or a slot above) with its status and duration. */
void http_metrics_observe(struct http_metrics *m, int slot, int status, int64_t duration_us);
void http_metrics_in_flight(struct http_metrics *m, int delta);
/* Render the Prometheus text exposition into out. */
void http_metrics_render(struct http_server *srv, struct buf *out);

/* access log and request lifecycle (server.c) */
void http_log_request(struct http_request *req);
