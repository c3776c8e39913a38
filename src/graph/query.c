/*
 * graph/query.c - one analysis as the API and the CLI ask for it: the
 * options (the same names as query arguments and as --options), their
 * bounds and defaults, and the run on the cached graph.
 */
#include "graph/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

static const char *const names[] = { NULL, "clusters", "layering", "call-centers", "path",
	"neighbourhood", "upstream", "case-priority" };

int graph_analysis_parse(const char *name, enum graph_analysis *out)
{
	for (int i = GRAPH_CLUSTERS; i <= GRAPH_ANALYSIS_LAST; i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum graph_analysis)i;
			return 0;
		}
	}
	if (!strcmp(name, "callcenters") || !strcmp(name, "neighborhood")) {
		*out = name[0] == 'c' ? GRAPH_CALLCENTERS : GRAPH_NEIGHBOURHOOD;
		return 0;
	}
	return ERR_INVAL;
}

const char *graph_analysis_name(enum graph_analysis what)
{
	return what >= GRAPH_CLUSTERS && what <= GRAPH_ANALYSIS_LAST ? names[what] : "";
}

void graph_query_defaults(struct graph_query *q, enum graph_analysis what)
{
	memset(q, 0, sizeof(*q));
	q->what = what;
	q->lim.depth = what == GRAPH_PATH ? 6 : what == GRAPH_LAYERING ? 5 : 2;
	if (what == GRAPH_UPSTREAM || what == GRAPH_CASE_PRIORITY)
		q->lim.depth = 4;
	q->lim.max_nodes = 1000000;
	q->lim.time_ms = 10000;
	q->lim.max_results = what == GRAPH_NEIGHBOURHOOD ? 500 : 50;
	q->min = what == GRAPH_CALLCENTERS ? 3 : 2;
	q->max_fanout = 1000;
	q->max_gap_s = 30 * 86400;
	q->up.max_fanout = 1000;
	q->up.half_life_s = 180.0 * 86400;
	q->up.min_victims = 2;
	q->up.candidates = 50;
	if (what == GRAPH_UPSTREAM)
		q->lim.max_results = 20;
}

struct option_row {
	const char *name;
	unsigned what;  /* bits of enum graph_analysis */
	int64_t min, max;
};

#define BIT(x) (1u << (x))
#define UP (BIT(GRAPH_UPSTREAM) | BIT(GRAPH_CASE_PRIORITY))
#define ALL (BIT(GRAPH_CLUSTERS) | BIT(GRAPH_LAYERING) | BIT(GRAPH_CALLCENTERS) | BIT(GRAPH_PATH) | BIT(GRAPH_NEIGHBOURHOOD) | UP)

static const struct option_row options[] = {
	{ "depth", BIT(GRAPH_LAYERING) | BIT(GRAPH_PATH) | BIT(GRAPH_NEIGHBOURHOOD) | UP, 1, 10 },
	{ "max_nodes", ALL, 1, 50000000 },
	{ "time_ms", ALL, 1, 120000 },
	{ "limit", ALL, 1, 5000 },
	{ "min_units", BIT(GRAPH_CLUSTERS), 2, 1000000 },
	{ "max_fanout", BIT(GRAPH_CLUSTERS) | UP, 0, 100000000 },
	{ "min_victims", BIT(GRAPH_CALLCENTERS) | UP, 1, 1000000 },
	{ "half_life_days", UP, 1, 36500 },
	{ "candidates", BIT(GRAPH_CASE_PRIORITY), 1, 10000 },
	{ "max_gap_days", BIT(GRAPH_LAYERING), 1, 3650 },
	{ "start", BIT(GRAPH_LAYERING), 0, 0 },
	{ "from", BIT(GRAPH_PATH), 0, 0 },
	{ "to", BIT(GRAPH_PATH), 0, 0 },
	{ "id", BIT(GRAPH_NEIGHBOURHOOD), 0, 0 },
};

int graph_query_set(struct graph_query *q, struct store_conn *c, const char *name,
	const char *text, struct err_msg *err)
{
	const struct option_row *o = NULL;
	int64_t n = 0;

	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (!strcmp(options[i].name, name) && (options[i].what & BIT(q->what)))
			o = &options[i];
	if (!o)
		return ERR_NOTFOUND;
	if (o->max == 0) {
		int64_t *dst = !strcmp(name, "to") ? &q->b : &q->a;
		return graph_ident_ref(c, text, name, dst, err);
	}
	if (str_to_int64(text, o->min, o->max, &n))
		return err_set(err, ERR_INVAL, name, "must be a number from %lld to %lld",
			(long long)o->min, (long long)o->max);
	if (!strcmp(name, "depth"))
		q->lim.depth = (int)n;
	else if (!strcmp(name, "max_nodes"))
		q->lim.max_nodes = n;
	else if (!strcmp(name, "time_ms"))
		q->lim.time_ms = n;
	else if (!strcmp(name, "limit"))
		q->lim.max_results = (int)n;
	else if (!strcmp(name, "max_fanout"))
		q->max_fanout = q->up.max_fanout = n;
	else if (!strcmp(name, "half_life_days"))
		q->up.half_life_s = (double)n * 86400;
	else if (!strcmp(name, "candidates"))
		q->up.candidates = n;
	else if (!strcmp(name, "min_victims"))
		q->min = q->up.min_victims = n;
	else if (!strcmp(name, "max_gap_days"))
		q->max_gap_s = n * 86400;
	else
		q->min = n;
	return 0;
}

int graph_query_check(const struct graph_query *q, struct err_msg *err)
{
	if (q->what == GRAPH_PATH && (!q->a || !q->b))
		return err_set(err, ERR_INVAL, q->a ? "to" : "from", "is required");
	if (q->what == GRAPH_NEIGHBOURHOOD && !q->a)
		return err_set(err, ERR_INVAL, "id", "is required");
	return 0;
}

int graph_query_run(const struct graph_query *q, const struct graph_viewer *v, json_t **out,
	struct err_msg *err)
{
	struct graph *g = NULL;
	int ret = graph_query_check(q, err);

	if (!ret)
		ret = graph_acquire(v->c, &g);
	if (ret)
		return ret;
	switch (q->what) {
	case GRAPH_CLUSTERS:
		ret = graph_clusters(g, v, (int)q->min, q->max_fanout, &q->lim, out);
		break;
	case GRAPH_LAYERING:
		ret = graph_layering(g, v, q->a, q->max_gap_s, &q->lim, out, err);
		break;
	case GRAPH_CALLCENTERS:
		ret = graph_callcenters(g, v, (int)q->min, &q->lim, out);
		break;
	case GRAPH_PATH:
		ret = graph_path(g, v, q->a, q->b, &q->lim, out, err);
		break;
	case GRAPH_UPSTREAM:
		ret = graph_upstream(g, v, &q->up, &q->lim, out);
		break;
	case GRAPH_CASE_PRIORITY:
		ret = graph_case_priority(g, v, &q->up, &q->lim, out);
		break;
	default:
		ret = graph_neighbourhood(g, v, q->a, &q->lim, out, err);
	}
	if (!ret)
		json_object_set_new(*out, "graph", json_pack("{s:I,s:I}", "nodes", (json_int_t)g->n,
						      "edges", (json_int_t)(g->nedges / 2)));
	graph_release(g);
	return ret;
}
