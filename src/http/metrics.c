/*
 * http/metrics.c - Prometheus counters of the HTTP server: requests by route
 * and status class, a latency histogram per route, requests in flight, and
 * the store's pool statistics. Counters are lock-free atomics updated once per
 * request in the completed callback.
 */
#include "http/internal.h"

#include <stdatomic.h>
#include <string.h>

#include "base/clock.h"
#include "base/mem.h"
#include "dns/dns.h"
#include "store/store.h"

static const double bucket_s[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
	0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKETS (sizeof(bucket_s) / sizeof(bucket_s[0]))
#define NCLASSES 5 /* 1xx … 5xx */

struct route_stats {
	_Atomic uint64_t by_class[NCLASSES];
	_Atomic uint64_t buckets[NBUCKETS]; /* non-cumulative; summed on output */
	_Atomic uint64_t count;
	_Atomic uint64_t sum_us;
};

struct http_metrics {
	size_t nroutes;
	struct route_stats *routes; /* nroutes + 2: then the web UI files, then unrouted */
	_Atomic int64_t in_flight;
};

struct http_metrics *http_metrics_new(size_t nroutes)
{
	struct http_metrics *m = xcalloc(1, sizeof(*m));

	m->nroutes = nroutes;
	m->routes = xcalloc(nroutes + 2, sizeof(*m->routes));
	return m;
}

void http_metrics_free(struct http_metrics *m)
{
	if (!m)
		return;
	free(m->routes);
	free(m);
}

void http_metrics_observe(struct http_metrics *m, int slot, int status, int64_t duration_us)
{
	struct route_stats *r = &m->routes[slot == HTTP_METRICS_STATIC ? m->nroutes
					   : slot < 0		   ? m->nroutes + 1
								   : (size_t)slot];
	int cls = status / 100 - 1;
	double s = (double)duration_us / 1e6;
	size_t b = 0;

	if (cls >= 0 && cls < NCLASSES)
		atomic_fetch_add_explicit(&r->by_class[cls], 1, memory_order_relaxed);
	while (b < NBUCKETS && s > bucket_s[b])
		b++;
	if (b < NBUCKETS)
		atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_us, (uint64_t)duration_us, memory_order_relaxed);
}

void http_metrics_in_flight(struct http_metrics *m, int delta)
{
	atomic_fetch_add_explicit(&m->in_flight, delta, memory_order_relaxed);
}

static void route_label(struct http_server *srv, size_t i, char *out, size_t size)
{
	if (i == srv->metrics->nroutes)
		snprintf(out, size, "method=\"GET\",route=\"static\"");
	else if (i == srv->metrics->nroutes + 1)
		snprintf(out, size, "method=\"\",route=\"unrouted\"");
	else
		snprintf(out, size, "method=\"%s\",route=\"%s\"", srv->router.routes[i].route->method,
			srv->router.routes[i].route->pattern);
}

static void render_requests(struct http_server *srv, struct buf *out)
{
	struct http_metrics *m = srv->metrics;
	char label[256];

	buf_adds(out, "# HELP rootcut_http_requests_total HTTP requests by route and status class.\n"
		      "# TYPE rootcut_http_requests_total counter\n");
	for (size_t i = 0; i <= m->nroutes + 1; i++) {
		route_label(srv, i, label, sizeof(label));
		for (int c = 0; c < NCLASSES; c++) {
			uint64_t v = atomic_load(&m->routes[i].by_class[c]);
			if (v)
				buf_addf(out, "rootcut_http_requests_total{%s,status=\"%dxx\"} %llu\n",
					label, c + 1, (unsigned long long)v);
		}
	}
}

static void render_latency(struct http_server *srv, struct buf *out)
{
	struct http_metrics *m = srv->metrics;
	char label[256];

	buf_adds(out, "# HELP rootcut_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE rootcut_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= m->nroutes + 1; i++) {
		struct route_stats *r = &m->routes[i];
		uint64_t count = atomic_load(&r->count);
		uint64_t cumulative = 0;
		if (!count)
			continue;
		route_label(srv, i, label, sizeof(label));
		for (size_t b = 0; b < NBUCKETS; b++) {
			cumulative += atomic_load(&r->buckets[b]);
			buf_addf(out, "rootcut_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n",
				label, bucket_s[b], (unsigned long long)cumulative);
		}
		buf_addf(out, "rootcut_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n",
			label, (unsigned long long)count);
		buf_addf(out, "rootcut_http_request_duration_seconds_sum{%s} %.6f\n", label,
			(double)atomic_load(&r->sum_us) / 1e6);
		buf_addf(out, "rootcut_http_request_duration_seconds_count{%s} %llu\n", label,
			(unsigned long long)count);
	}
}

void http_metrics_render(struct http_server *srv, struct buf *out)
{
	struct store_stats st;

	store_get_stats(srv->store, &st);
	buf_addf(out, "# HELP rootcut_build_info Version of the running rootcut.\n"
		      "# TYPE rootcut_build_info gauge\n"
		      "rootcut_build_info{version=\"%s\",revision=\"%s\"} 1\n",
		ROOTCUT_VERSION, ROOTCUT_REV);
	buf_addf(out, "# HELP rootcut_start_time_seconds When the server started.\n"
		      "# TYPE rootcut_start_time_seconds gauge\n"
		      "rootcut_start_time_seconds %lld\n",
		(long long)(srv->started_ms / 1000));
	buf_addf(out, "# HELP rootcut_http_requests_in_flight Requests being answered now.\n"
		      "# TYPE rootcut_http_requests_in_flight gauge\n"
		      "rootcut_http_requests_in_flight %lld\n",
		(long long)atomic_load(&srv->metrics->in_flight));
	render_requests(srv, out);
	render_latency(srv, out);
	buf_addf(out, "# HELP rootcut_store_acquires_total Database connections handed out.\n"
		      "# TYPE rootcut_store_acquires_total counter\n"
		      "rootcut_store_acquires_total %llu\n"
		      "# HELP rootcut_store_acquire_waits_total Acquires that waited for a free connection.\n"
		      "# TYPE rootcut_store_acquire_waits_total counter\n"
		      "rootcut_store_acquire_waits_total %llu\n"
		      "# HELP rootcut_store_commits_total Committed write transactions.\n"
		      "# TYPE rootcut_store_commits_total counter\n"
		      "rootcut_store_commits_total %llu\n"
		      "# HELP rootcut_store_errors_total Database errors.\n"
		      "# TYPE rootcut_store_errors_total counter\n"
		      "rootcut_store_errors_total %llu\n",
		(unsigned long long)st.acquires, (unsigned long long)st.acquire_waits,
		(unsigned long long)st.commits, (unsigned long long)st.errors);
	dns_metrics_render(out);
}
