/*
 * http/response.c - build responses: JSON, bytes, the one error body, and the
 * headers every response carries.
 */
#include "http/internal.h"

#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "store/store.h"

static void set_body(struct http_request *req, int status, const char *type, char *body,
	size_t len)
{
	free(req->resp_body);
	req->status = status;
	req->content_type = type;
	req->resp_body = body;
	req->resp_len = len;
	req->responded = true;
}

int http_reply_bytes(struct http_request *req, int status, const char *content_type,
	const void *data, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, data, len);
	copy[len] = '\0';
	set_body(req, status, content_type, copy, len);
	return 0;
}

int http_reply_json(struct http_request *req, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);

	json_decref(body);
	if (!text) {
		log_error("http: cannot encode a JSON response for %s", req->path);
		http_reply_error(req, ERR_NOMEM);
		return 0;
	}
	set_body(req, status, "application/json", text, strlen(text));
	return 0;
}

int http_reply_buf(struct http_request *req, int status, struct buf *json)
{
	size_t len;
	char *text = buf_detach(json, &len);

	set_body(req, status, "application/json", text, len);
	return 0;
}

void http_add_header(struct http_request *req, const char *name, const char *value)
{
	if (req->nheaders == HTTP_MAX_RESP_HEADERS) {
		log_error("http: too many response headers for %s", req->path);
		return;
	}
	req->headers[req->nheaders].name = xstrdup(name);
	req->headers[req->nheaders].value = xstrdup(value);
	req->nheaders++;
}

void http_reply_error(struct http_request *req, int code)
{
	const char *message = req->err.message[0] ? req->err.message : err_str(code);
	json_t *body = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_name(code), "message",
		message, "field", req->err.field);

	if (!body) /* only when the message is not valid UTF-8 */
		body = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_name(code), "message",
			err_str(code), "field", "");
	http_reply_json(req, err_http_status(code), body);
}

static void add_common_headers(struct http_request *req, struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
		"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
		"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	if (req->srv->tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
			"max-age=31536000; includeSubDomains");
	if (!req->is_static)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	if (req->content_type)
		MHD_add_response_header(r, "Content-Type", req->content_type);
	for (int i = 0; i < req->nheaders; i++)
		MHD_add_response_header(r, req->headers[i].name, req->headers[i].value);
}

enum MHD_Result http_send(struct http_request *req)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!req->responded)
		http_reply_error(req, ERR_INTERNAL);
	if (req->fd >= 0) {
		r = MHD_create_response_from_fd64(req->fd_size, req->fd);
		req->fd = -1; /* MHD closes it */
	} else {
		r = MHD_create_response_from_buffer(req->resp_len, req->resp_body,
			MHD_RESPMEM_MUST_FREE);
		req->resp_body = NULL;
	}
	if (!r)
		return MHD_NO;
	add_common_headers(req, r);
	ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
	MHD_destroy_response(r);
	return ret;
}

void http_request_free(struct http_request *req)
{
	if (!req)
		return;
	store_release(req->db);
	buf_release(&req->body);
	free(req->path);
	free(req->resp_body);
	for (int i = 0; i < req->nparams; i++) {
		free(req->param_names[i]);
		free(req->param_values[i]);
	}
	for (int i = 0; i < req->nheaders; i++) {
		free(req->headers[i].name);
		free(req->headers[i].value);
	}
	if (req->fd >= 0)
		close(req->fd);
	free(req);
}
