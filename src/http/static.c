/*
 * http/static.c - serve the built web UI from web_root: content types, ETag
 * revalidation and cache headers (hashed assets are immutable, index.html is
 * always revalidated), and the single-page-app fallback to index.html.
 */
#include "http/internal.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/str.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".map", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
};

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *http_static_root(const struct config *cfg)
{
	char exe[PATH_MAX];
	char candidate[PATH_MAX + 32];
	ssize_t n;

	if (*cfg->web_root)
		return is_dir(cfg->web_root) ? realpath(cfg->web_root, NULL) : NULL;
	/* The binary lives in build/ (development) or bin/ (installed): look beside it. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(candidate, sizeof(candidate), "%s/../web/dist", exe);
		if (is_dir(candidate))
			return realpath(candidate, NULL);
		snprintf(candidate, sizeof(candidate), "%s/../share/rootcut/web", exe);
		if (is_dir(candidate))
			return realpath(candidate, NULL);
	}
	return is_dir("web/dist") ? realpath("web/dist", NULL) : NULL;
}

/* A path is safe when no segment is "." or ".." or empty and it has no NUL or backslash. */
static bool safe_path(const char *p)
{
	if (*p != '/' || strchr(p, '\\'))
		return false;
	for (const char *seg = p + 1; *seg;) {
		size_t len = strcspn(seg, "/");
		if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		seg += len;
		if (*seg == '/')
			seg++;
	}
	return true;
}

static int open_file(const char *root, const char *rel, struct stat *st)
{
	char path[PATH_MAX];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s%s", root, rel) >= sizeof(path))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int http_static_serve(struct http_request *req)
{
	const char *path = req->path;
	const char *served = path;
	const char *inm;
	char etag[64];
	struct stat st;
	int fd = -1;

	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))
		return http_fail(req, ERR_METHOD, "method", "%s is not allowed on '%s'", req->method,
			path);
	if (!req->srv->web_root)
		return http_fail(req, ERR_NOTFOUND, "path",
			"the web UI is not installed (build it with `make web`)");
	if (!safe_path(path))
		return http_fail(req, ERR_NOTFOUND, "path", "no file '%s'", path);
	if (strcmp(path, "/") == 0)
		served = "/index.html";
	fd = open_file(req->srv->web_root, served, &st);
	/* Client-side routes (no extension) fall back to the app's index.html. */
	if (fd < 0 && !strchr(strrchr(path, '/'), '.')) {
		served = "/index.html";
		fd = open_file(req->srv->web_root, served, &st);
	}
	if (fd < 0)
		return http_fail(req, ERR_NOTFOUND, "path", "no file '%s'", path);
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
		(unsigned long long)st.st_size);
	http_add_header(req, "ETag", etag);
	http_add_header(req, "Cache-Control", str_has_prefix(served, "/assets/")
			? "public, max-age=31536000, immutable"
			: "no-cache");
	req->is_static = true;
	inm = http_header(req, "If-None-Match");
	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		return http_reply_bytes(req, 304, NULL, "", 0);
	}
	req->fd = fd;
	req->fd_size = (uint64_t)st.st_size;
	req->status = 200;
	req->content_type = content_type(served);
	req->responded = true;
	return 0;
}
