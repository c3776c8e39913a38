/*
 * fuzz/fuzz_router.c - libFuzzer target for the HTTP router
 * (src/http/router.c), built once from the route tables of every module.
 * The input is "METHOD PATH" (GET when there is no space). A match must be
 * for the method asked (or GET for HEAD), carry one parameter per {name} of
 * its pattern, and put the path back together from the pattern and the
 * parameter values; a miss must leave no parameters behind.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_router router;
static int built;

static void check_match(const struct http_compiled_route *cr, const char *method,
	const char *path, const struct http_request *req)
{
	const char *p = cr->route->pattern;
	char *rebuilt = xmalloc(strlen(path) + strlen(p) + 1);
	size_t o = 0;
	int param = 0;

	if (strcmp(cr->route->method, method) != 0 &&
		!(strcmp(method, "HEAD") == 0 && strcmp(cr->route->method, "GET") == 0))
		abort();
	while (*p) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			const char *v;
			if (!end || param >= req->nparams)
				abort();
			if (strlen(req->param_names[param]) != (size_t)(end - p - 1) ||
				memcmp(req->param_names[param], p + 1, (size_t)(end - p - 1)) != 0)
				abort();
			v = req->param_values[param++];
			if (!*v || strchr(v, '/'))
				abort(); /* a parameter is one non-empty segment */
			memcpy(rebuilt + o, v, strlen(v));
			o += strlen(v);
			p = end + 1;
		} else {
			rebuilt[o++] = *p++;
		}
	}
	rebuilt[o] = '\0';
	if (param != req->nparams || strcmp(rebuilt, path) != 0)
		abort();
	free(rebuilt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct http_compiled_route *cr = NULL;
	struct http_request *req;
	char *text, *space;
	const char *method = "GET", *path;
	int ret;

	if (!built) {
		struct err_msg err = ERR_MSG_INIT;
		size_t n;
		const struct http_route_table *t = cli_route_tables(&n);
		if (http_router_build(&router, t, n, &err))
			abort();
		built = 1;
	}
	text = xstrndup((const char *)data, size); /* stops at the first NUL, as C strings do */
	space = strchr(text, ' ');
	path = text;
	if (space) {
		*space = '\0';
		method = text;
		path = space + 1;
	}
	req = xcalloc(1, sizeof(*req));
	req->fd = -1;
	ret = http_router_match(&router, method, path, req, &cr);
	if (ret == 0)
		check_match(cr, method, path, req);
	else if ((ret != ERR_NOTFOUND && ret != ERR_METHOD) || req->nparams)
		abort();
	/* Without a request the answer is the same. */
	if (http_router_match(&router, method, path, NULL, &cr) != ret)
		abort();
	http_request_free(req);
	free(text);
	return 0;
}
