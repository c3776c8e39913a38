/*
 * http/server.c - the libmicrohttpd server: connection limits, request bodies,
 * the authenticate → authorise → handle pipeline, and one access-log line per
 * request.
 *
 * Request lifecycle inside libmicrohttpd's access handler:
 *
 *   first call ──► begin(): count headers (431), route (404/405),
 *                  check Content-Length against the route's limit (413)
 *   body calls ──► append to req->body up to the limit, then discard (413)
 *   last call  ──► dispatch(): a read snapshot for GET and HEAD, authenticate
 *                  (401), CSRF (403), policy (403), handler → response;
 *                  http_send() queues it
 *   completed  ──► access log, metrics, free
 *
 * The store connection a handler used goes back to the pool in the
 * completed callback (http_request_free), after any transaction was rolled back.
 */
#include "http/internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

static bool is_write_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	str_copy(out, size, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
			(socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			(socklen_t)size);
}

static size_t route_body_limit(const struct http_request *req)
{
	if (req->route && req->route->route->max_body)
		return req->route->route->max_body;
	return (size_t)req->srv->cfg->max_body_bytes;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *k,
	const char *v)
{
	(void)kind, (void)k, (void)v;
	(*(int *)cls)++;
	return MHD_YES;
}

/* First call: everything that can be decided from the request line and headers. */
static int begin(struct http_request *req, const char *url)
{
	const char *cl;
	int nheaders = 0;
	int64_t length;

	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_header, &nheaders);
	if (nheaders > req->srv->cfg->max_headers)
		return http_fail(req, ERR_HEADERS, "headers", "%d header fields; at most %lld allowed",
			nheaders, (long long)req->srv->cfg->max_headers);
	if (str_has_prefix(url, "/api/") || strcmp(url, "/metrics") == 0) {
		req->match_error = http_router_match(&req->srv->router, req->method, url, req,
			&req->route);
		if (req->match_error == ERR_NOTFOUND)
			return http_fail(req, ERR_NOTFOUND, "path", "no API endpoint '%s'", url);
		if (req->match_error == ERR_METHOD)
			return http_fail(req, ERR_METHOD, "method", "%s is not allowed on '%s'",
				req->method, url);
	}
	req->body.max = route_body_limit(req);
	cl = http_header(req, "Content-Length");
	if (cl && (str_to_int64(cl, 0, INT64_MAX, &length) == 0) && (size_t)length > req->body.max)
		return http_fail(req, ERR_LIMIT, "body", "request body of %lld bytes; at most %zu allowed",
			(long long)length, req->body.max);
	return 0;
}

static void audit_denied(struct http_request *req, const char *reason)
{
	struct audit_event ev;

	audit_event_from_request(&ev, req, "access.denied", "endpoint", req->route->route->pattern,
		AUDIT_DENIED);
	ev.detail = reason;
	audit_append_now(http_db(req), &ev);
}

static int authenticate(struct http_request *req)
{
	const struct auth_principal *p = &req->principal;
	int ret = auth_authenticate(http_db(req), req, &req->principal, &req->err);

	if (ret)
		return ret;
	if (!p->user_id)
		return http_fail(req, ERR_AUTH, "authorization",
			"sign in, or send an API token as 'Authorization: Bearer …'");
	if (p->via == AUTH_SESSION && is_write_method(req->method) && !req->route->csrf_exempt) {
		const char *sent = http_header(req, "X-CSRF-Token");
		if (!sent || !str_equal_ct(sent, p->csrf)) {
			audit_denied(req, "missing or wrong CSRF token");
			return http_fail(req, ERR_DENIED, "X-CSRF-Token",
				"missing or wrong CSRF token for a state-changing request");
		}
	}
	if (p->via == AUTH_SESSION && p->must_change_password &&
		!str_has_prefix(req->route->route->pattern, "/api/v1/session"))
		return http_fail(req, ERR_DENIED, "password",
			"the password must be changed before anything else");
	return 0;
}

static int authorise(struct http_request *req)
{
	const struct http_route *r = req->route->route;

	req->reach = auth_policy_decide(&req->principal, r->method, r->pattern);
	if (req->reach == REACH_NONE) {
		audit_denied(req, "role or token scope does not allow this endpoint");
		struct auth_principal unscoped = req->principal;
		unscoped.scopes = SCOPE_ALL;
		if (auth_policy_decide(&unscoped, r->method, r->pattern) != REACH_NONE)
			return http_fail(req, ERR_DENIED, "scope",
				"this API token's scopes do not allow %s %s", r->method, r->pattern);
		return http_fail(req, ERR_DENIED, "role", "your roles do not allow %s %s",
			r->method, r->pattern);
	}
	return 0;
}

static int dispatch(struct http_request *req)
{
	int ret;

	if (req->body_too_large)
		return http_fail(req, ERR_LIMIT, "body", "request body larger than %zu bytes",
			req->body.max);
	if (!req->route) {
		req->web_path = true;
		return http_static_serve(req);
	}
	if (!req->route->public_route) {
		/*
		 * A GET reads the caller's token or session and the handler's rows from
		 * one snapshot: one WAL read lock instead of one per statement. Writes
		 * (last_used_at, audit events) end it first (store_snapshot_begin()).
		 */
		if (!is_write_method(req->method))
			store_snapshot_begin(http_db(req));
		ret = authenticate(req);
		if (!ret)
			ret = authorise(req);
		if (ret)
			return ret;
	}
	return req->route->route->handler(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data,
	size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_request *req = *con_cls;
	int ret;

	(void)version;
	if (!req) {
		req = xcalloc(1, sizeof(*req));
		req->srv = srv;
		req->conn = conn;
		req->method = method;
		req->path = xstrdup(url);
		req->fd = -1;
		req->start_us = clock_mono_us();
		buf_init(&req->body, 0);
		client_addr(conn, req->addr, sizeof(req->addr));
		http_proxy_client_addr(srv->cfg->trusted_proxies,
			MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
			req->addr, sizeof(req->addr));
		*con_cls = req;
		http_metrics_in_flight(srv->metrics, 1);
		ret = begin(req, url);
		if (ret) {
			http_reply_error(req, ret);
			return http_send(req);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!req->responded && !req->body_too_large &&
			buf_add(&req->body, upload_data, *upload_data_size))
			req->body_too_large = true;
		if (req->body_too_large)
			req->discarded += *upload_data_size;
		*upload_data_size = 0;
		/* The 413 waits for the end of the body; a body far past the limit ends the connection. */
		return req->discarded > 4 * req->body.max + (1u << 20) ? MHD_NO : MHD_YES;
	}
	if (req->responded)
		return MHD_YES; /* an early error was already queued */
	ret = dispatch(req);
	if (ret)
		http_reply_error(req, ret);
	return http_send(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_request *req = *con_cls;

	(void)conn, (void)toe;
	if (!req)
		return;
	http_log_request(req);
	http_metrics_observe(srv->metrics,
		req->route ? req->route->metrics_index : req->web_path ? HTTP_METRICS_STATIC
								 : HTTP_METRICS_UNROUTED,
		req->status, clock_mono_us() - req->start_us);
	http_metrics_in_flight(srv->metrics, -1);
	http_request_free(req);
	*con_cls = NULL;
}

static int format_log_line(char *out, size_t size, const struct http_request *req,
	const char *stamp, int64_t us)
{
	/* The path is logged without its query string: queries may carry looked-up values. */
	return snprintf(out, size, "%s %s %s %s %s %d %zu %lld.%03lldms\n", stamp, req->addr,
		req->principal.user_id ? req->principal.username : "-", req->method, req->path,
		req->status, req->fd_size ? (size_t)req->fd_size : req->resp_len,
		(long long)(us / 1000), (long long)(us % 1000));
}

/*
 * One line per request, written with a single write(2) on an O_APPEND
 * descriptor: lines from the worker threads never interleave, and the threads
 * share no stdio lock. The duration is printed from integer microseconds, in
 * the same shape as "%.3fms".
 */
void http_log_request(struct http_request *req)
{
	char stamp[32], small[768];
	char *line = small;
	int64_t us;
	size_t off = 0;
	int n;

	if (req->srv->access_log_fd < 0)
		return;
	clock_format_iso(clock_now_ms(), stamp, sizeof(stamp));
	us = clock_mono_us() - req->start_us;
	n = format_log_line(small, sizeof(small), req, stamp, us);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) { /* a long path: format again, in full */
		line = xmalloc((size_t)n + 1);
		format_log_line(line, (size_t)n + 1, req, stamp, us);
	}
	while (off < (size_t)n) {
		ssize_t w = write(req->srv->access_log_fd, line + off, (size_t)n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* e.g. a full disk: the request itself has been answered */
		off += (size_t)w;
	}
	if (line != small)
		free(line);
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, struct err_msg *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	int64_t port;
	size_t hostlen;

	if (!colon || str_to_int64(colon + 1, 0, 65535, &port))
		return err_set(err, ERR_INVAL, "listen", "'%s' is not ADDR:PORT", listen);
	hostlen = (size_t)(colon - listen);
	if (hostlen >= sizeof(host))
		return err_set(err, ERR_INVAL, "listen", "address too long");
	memcpy(host, listen, hostlen);
	host[hostlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hostlen > 2 && host[hostlen - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[hostlen - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) == 1)
			return 0;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) == 1)
			return 0;
	}
	return err_set(err, ERR_INVAL, "listen", "'%s' is not a numeric IPv4 or [IPv6] address",
		host);
}

static char *read_file(const char *path, const char *field, struct err_msg *err)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		err_set(err, ERR_IO, field, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	b.max = 1 << 20;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n))
			break;
	fclose(f);
	return buf_detach(&b, NULL);
}

static int open_access_log(struct http_server *srv, struct err_msg *err)
{
	const char *where = srv->cfg->access_log;

	srv->access_log_fd = -1;
	if (strcmp(where, "off") == 0 || !*where)
		return 0;
	if (strcmp(where, "-") == 0) {
		srv->access_log_fd = STDERR_FILENO;
		return 0;
	}
	srv->access_log_fd = open(where, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (srv->access_log_fd < 0)
		return err_set(err, ERR_IO, "access_log", "cannot open '%s': %s", where,
			strerror(errno));
	srv->access_log_owned = true;
	return 0;
}

void http_server_reopen_logs(struct http_server *srv)
{
	int fd;

	if (!srv->access_log_owned)
		return;
	fd = open(srv->cfg->access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		log_error("http: cannot reopen the access log '%s': %s", srv->cfg->access_log,
			strerror(errno));
		return;
	}
	/* dup2 swaps the file under the same descriptor: writers never see a closed one. */
	if (dup2(fd, srv->access_log_fd) < 0)
		log_error("http: cannot switch the access log: %s", strerror(errno));
	close(fd);
	log_info("http: access log reopened");
}

/*
 * Decode %XX escapes in place, except %00: a NUL would cut the path short
 * ("/index.html%00.js" serving index.html), so it stays literal and matches nothing.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *out = s;

	(void)cls, (void)conn;
	for (const char *in = s; *in; in++) {
		const char *hi = in[0] == '%' && in[1] ? strchr(hex, tolower((unsigned char)in[1])) : NULL;
		const char *lo = hi && in[2] ? strchr(hex, tolower((unsigned char)in[2])) : NULL;
		if (hi && lo && (hi != hex || lo != hex)) {
			*out++ = (char)((hi - hex) << 4 | (lo - hex));
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

static int start_daemon(struct http_server *srv, struct err_msg *err)
{
	const struct config *cfg = srv->cfg;
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	unsigned threads = cfg->threads ? (unsigned)cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	const union MHD_DaemonInfo *info;
	int ret = parse_listen(cfg->listen, &ss, err);

	if (ret)
		return ret;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	/*
	 * The logger comes first so that it also receives complaints about the options.
	 * No MHD_OPTION_LISTENING_ADDRESS_REUSE: on Linux it sets SO_REUSEPORT, and a
	 * second server on the same port would then start and take half the traffic.
	 * Without it MHD sets SO_REUSEADDR, which is all a quick restart needs.
	 */
	errno = 0;
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->request_timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->max_header_bytes,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		/* Without TLS the option list ends here and the key/cert are not read. */
		srv->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, srv->tls_key_pem,
		MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert_pem,
		MHD_OPTION_END);
	/* A refused certificate or key leaves errno alone; the TLS library logged why. */
	if (!srv->daemon && !errno && srv->tls)
		return err_set(err, ERR_INVAL, "tls_cert",
			"cannot serve on %s with TLS: tls_cert or tls_key was refused (see above)",
			cfg->listen);
	if (!srv->daemon)
		return err_set(err, ERR_IO, "listen", "cannot serve on %s%s: %s", cfg->listen,
			srv->tls ? " with TLS" : "", errno ? strerror(errno) : "refused (see above)");
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	return 0;
}

/* Every entry of trusted_proxies must be an address: a range or a name would never match. */
static int check_trusted_proxies(const char *list, struct err_msg *err)
{
	unsigned char buf[16];
	char one[64];

	for (const char *p = list; *p;) {
		size_t n;
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (!n)
			break;
		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		if (n >= sizeof(one) || (inet_pton(AF_INET, one, buf) != 1 &&
						inet_pton(AF_INET6, one, buf) != 1))
			return err_set(err, ERR_INVAL, "trusted_proxies",
				"'%s' is not an IP address (list each proxy's address; ranges and names "
				"are not supported)",
				one);
		p += n;
	}
	return 0;
}

int http_server_start(const struct config *cfg, struct store *db,
	const struct http_route_table *tables, size_t ntables, struct http_server **out,
	struct err_msg *err)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	int ret;

	srv->access_log_fd = -1;
	srv->cfg = cfg;
	srv->store = db;
	srv->started_ms = clock_now_ms();
	ret = http_router_build(&srv->router, tables, ntables, err);
	if (ret)
		goto fail;
	srv->metrics = http_metrics_new(srv->router.count);
	if (*cfg->tls_cert || *cfg->tls_key) {
		if (!*cfg->tls_cert || !*cfg->tls_key) {
			ret = err_set(err, ERR_INVAL, *cfg->tls_cert ? "tls_key" : "tls_cert",
				"TLS needs both tls_cert and tls_key");
			goto fail;
		}
		srv->tls_cert_pem = read_file(cfg->tls_cert, "tls_cert", err);
		srv->tls_key_pem = srv->tls_cert_pem ? read_file(cfg->tls_key, "tls_key", err) : NULL;
		if (!srv->tls_key_pem) {
			ret = ERR_IO;
			goto fail;
		}
		srv->tls = true;
	}
	ret = check_trusted_proxies(cfg->trusted_proxies, err);
	if (ret)
		goto fail;
	srv->web_root = http_static_root(cfg);
	ret = open_access_log(srv, err);
	if (!ret)
		ret = start_daemon(srv, err);
	if (ret)
		goto fail;
	*out = srv;
	return 0;
fail:
	http_server_stop(srv);
	return ret;
}

void http_server_stop(struct http_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	if (srv->access_log_owned)
		close(srv->access_log_fd);
	http_router_release(&srv->router);
	http_metrics_free(srv->metrics);
	if (srv->tls_key_pem)
		explicit_bzero(srv->tls_key_pem, strlen(srv->tls_key_pem));
	free(srv->tls_cert_pem);
	free(srv->tls_key_pem);
	free(srv->web_root);
	free(srv);
}

int http_server_port(const struct http_server *srv)
{
	return srv->port;
}
