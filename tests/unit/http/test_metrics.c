/*
 * tests/unit/http/test_metrics.c - the Prometheus text of /metrics
 * (src/http/metrics.c): counters by route and status class, cumulative
 * latency buckets that end at +Inf = count, the web UI and unrouted slots,
 * and every sample line in the exposition format. The server struct is
 * filled directly with a router, a store and the metrics; nothing listens.
 */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli/cli.h"
#include "http/internal.h"
#include "store/store.h"
#include "testutil.h"

static char *dir;
static struct http_server srv;

static void setup(void)
{
	struct err_msg err = ERR_MSG_INIT;
	size_t n;
	const struct http_route_table *t = cli_route_tables(&n);
	char path[1024];

	dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/m.db", dir);
	cr_assert_eq(store_open(path, NULL, &srv.store, &err), 0, "store: %s", err.message);
	cr_assert_eq(http_router_build(&srv.router, t, n, &err), 0, "router: %s", err.message);
	srv.metrics = http_metrics_new(srv.router.count);
	srv.started_ms = 1767225600123;
}

static void teardown(void)
{
	http_metrics_free(srv.metrics);
	http_router_release(&srv.router);
	store_close(srv.store);
	tu_rmdir(dir);
}

TestSuite(metrics, .init = setup, .fini = teardown);

static int slot_of(const char *method, const char *pattern)
{
	for (size_t i = 0; i < srv.router.count; i++)
		if (strcmp(srv.router.routes[i].route->method, method) == 0 &&
			strcmp(srv.router.routes[i].route->pattern, pattern) == 0)
			return srv.router.routes[i].metrics_index;
	cr_assert_fail("no route %s %s", method, pattern);
	return -1;
}

/* The value of the sample line that starts with prefix, or -1. */
static double sample(const char *text, const char *prefix)
{
	const char *p = text;
	size_t len = strlen(prefix);

	while ((p = strstr(p, prefix))) {
		if ((p == text || p[-1] == '\n') && p[len] == ' ')
			return strtod(p + len + 1, NULL);
		p += len;
	}
	return -1;
}

Test(metrics, counts_and_buckets)
{
	static const struct {
		int status;
		int64_t us;
	} health[] = { { 200, 300 }, { 200, 700 }, { 200, 2000 }, { 503, 40000 }, { 200, 20000000 } };
	int h = slot_of("GET", "/api/v1/health");
	struct buf out = BUF_INIT;
	char label[128], name[256];

	for (size_t i = 0; i < N_ELEMS(health); i++)
		http_metrics_observe(srv.metrics, h, health[i].status, health[i].us);
	http_metrics_observe(srv.metrics, slot_of("POST", "/api/v1/session"), 401, 1000);
	http_metrics_observe(srv.metrics, HTTP_METRICS_STATIC, 304, 100);
	http_metrics_in_flight(srv.metrics, 3);
	http_metrics_in_flight(srv.metrics, -1);
	http_metrics_render(&srv, &out);

	snprintf(label, sizeof(label), "method=\"GET\",route=\"/api/v1/health\"");
	snprintf(name, sizeof(name), "rootcut_http_requests_total{%s,status=\"2xx\"}", label);
	cr_expect_eq(sample(out.s, name), 4, "%s = %g", name, sample(out.s, name));
	snprintf(name, sizeof(name), "rootcut_http_requests_total{%s,status=\"5xx\"}", label);
	cr_expect_eq(sample(out.s, name), 1, "%s = %g", name, sample(out.s, name));
	snprintf(name, sizeof(name), "rootcut_http_requests_total{%s,status=\"4xx\"}", label);
	cr_expect_eq(sample(out.s, name), -1, "%s (no 4xx) is printed", name);
	cr_expect_eq(sample(out.s, "rootcut_http_requests_total{method=\"POST\",route=\"/api/v1/session\",status=\"4xx\"}"),
		1, "POST /api/v1/session 4xx");
	cr_expect_eq(sample(out.s, "rootcut_http_requests_total{method=\"GET\",route=\"static\",status=\"3xx\"}"),
		1, "static 3xx");

	static const struct {
		const char *le;
		double want;
	} buckets[] = { { "0.0005", 1 }, { "0.001", 2 }, { "0.0025", 3 }, { "0.025", 3 },
		{ "0.05", 4 }, { "10", 4 }, { "+Inf", 5 } };
	for (size_t i = 0; i < N_ELEMS(buckets); i++) {
		snprintf(name, sizeof(name), "rootcut_http_request_duration_seconds_bucket{%s,le=\"%s\"}",
			label, buckets[i].le);
		cr_expect_eq(sample(out.s, name), buckets[i].want, "%s = %g, expected %g", name,
			sample(out.s, name), buckets[i].want);
	}
	snprintf(name, sizeof(name), "rootcut_http_request_duration_seconds_count{%s}", label);
	cr_expect_eq(sample(out.s, name), 5, "%s = %g", name, sample(out.s, name));
	snprintf(name, sizeof(name), "rootcut_http_request_duration_seconds_sum{%s}", label);
	cr_expect_float_eq(sample(out.s, name), 20.043, 1e-9, "%s = %g", name, sample(out.s, name));
	cr_expect_eq(sample(out.s, "rootcut_http_requests_in_flight"), 2, "in flight %g",
		sample(out.s, "rootcut_http_requests_in_flight"));
	cr_expect_eq(sample(out.s, "rootcut_start_time_seconds"), 1767225600, "start time %g",
		sample(out.s, "rootcut_start_time_seconds"));
	cr_expect_eq(sample(out.s, "rootcut_store_errors_total"), 0, "store errors %g",
		sample(out.s, "rootcut_store_errors_total"));
	buf_release(&out);
}

Test(metrics, every_line_is_exposition_format)
{
	regex_t sample_re, comment_re;
	struct buf out = BUF_INIT;
	char *save = NULL;
	int lines = 0;

	/* name{label="value",…} number, or a # HELP / # TYPE line. */
	cr_assert_eq(regcomp(&sample_re,
			     "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"\\\\]*\",?)*\\})? "
			     "[-+]?[0-9.eE+Inf]+$",
			     REG_EXTENDED | REG_NOSUB),
		0, "sample regex");
	cr_assert_eq(regcomp(&comment_re, "^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$",
			     REG_EXTENDED | REG_NOSUB),
		0, "comment regex");
	for (size_t i = 0; i < srv.router.count; i++)
		http_metrics_observe(srv.metrics, (int)i, 200 + (int)(i % 4) * 100, (int64_t)i * 997);
	http_metrics_observe(srv.metrics, -2, 404, 10);
	http_metrics_render(&srv, &out);
	for (char *line = strtok_r(out.s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_expect(regexec(*line == '#' ? &comment_re : &sample_re, line, 0, NULL, 0) == 0,
			"not Prometheus text: '%s'", line);
		lines++;
	}
	cr_assert_gt(lines, 100, "only %d lines", lines);
	regfree(&sample_re);
	regfree(&comment_re);
	buf_release(&out);
}
