/*
 * graph/upstream.c - ranking of upstream candidates (上游目標) and of the
 * open cases that best lead to them.
 *
 * "Below" an identifier is what it commands or collects from: the accounts
 * and wallets that paid it (walked back in time: money that arrived at an
 * account can only have come from transfers made before it left), the
 * phones it called, the domains that resolve to it (an IP). From each
 * candidate a bounded breadth-first walk goes down at most depth hops, never
 * into warning-listed identifiers, and collects the reports that name the
 * identifiers it reaches (as a scam identifier, or as the victim's own phone
 * that was called). Repeats of a report count once. The score (documented in
 * docs/user/en/graph.md) is the product of:
 *
 *   reach       Σ over the reports reached of 1 + log10(1 + loss_twd / 10,000)
 *               (victims, weighted by their losses)
 *   cross-case  1 + log2(units): units are the distinct cases (a report in no
 *               case is its own unit) among the reports reached
 *   level       1 + 0.5 × min(mean hops from the candidate down to the
 *               reports' identifiers, 4): distance above first-layer mules
 *               and the phones that called victims
 *   convergence 1 + 0.25 × log2(1 + fan-in): fan-in is the number of
 *               identifiers directly below (accounts that paid it, phones it
 *               called)
 *   centrality  1 + 0.1 × log2(1 + identifiers below within depth)
 *   recency     0.5 ^ (days from its last flow to the newest flow of the
 *               graph / half_life_days)
 *   hubs        × 0.02 for an identifier on the warning list or with more than
 *               max_fanout identifiers directly below it
 *
 * Case priority: each of the top `candidates` spreads its score over the
 * open cases (not indicted or closed) whose reports it reaches, divided by
 * 1 + the hops between them; a case's priority is the sum, and the
 * candidates it touches are the reason.
 */
#include "graph/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sort.h"

#define PER_CANDIDATE 20000 /* nodes one candidate's walk may expand */
#define EVIDENCE 3
#define HUB_DISCOUNT 0.02 /* warning-listed identifiers and hubs */

struct stats {
	uint32_t node;
	double score, reach, level, decay;
	int64_t victims, loss, units, fan_in, below;
	uint32_t last_at;
	bool hub;
};

/* A report reached by one walk. */
struct hit {
	uint32_t report, via; /* the report; the identifier naming it */
	int32_t hops;
};

struct walker {
	const struct graph *g;
	uint32_t *stamp, *rstamp, *ustamp; /* node → walk number */
	int32_t *depth;
	uint32_t *bound;   /* the latest time money can have arrived at the node */
	uint32_t *prev;    /* the node it was reached from */
	uint64_t *via;     /* the adj entry (at prev) that reached it */
	uint32_t *queue;
	uint32_t wid;
	struct hit *hits;
	size_t nhits, cap_hits;
	int64_t expanded;
	uint32_t now;      /* the newest flow of the graph */
};

static bool is_money(uint8_t kind)
{
	return kind == GE_TRANSFER || kind == GE_CHAIN;
}

/* Is adj entry x at a node an edge down from it? */
static bool down(const struct graph_edge *x)
{
	if (is_money(x->kind) || x->kind == GE_RESOLUTION)
		return !x->out; /* who paid it; the domains resolving to it */
	return x->kind == GE_CALL && x->out; /* whom it called */
}

static void walker_init(struct walker *w, const struct graph *g)
{
	size_t n = g->n ? g->n : 1;

	memset(w, 0, sizeof(*w));
	w->g = g;
	w->stamp = xcalloc(n, sizeof(*w->stamp));
	w->rstamp = xcalloc(n, sizeof(*w->rstamp));
	w->ustamp = xcalloc(n, sizeof(*w->ustamp));
	w->depth = xcalloc(n, sizeof(*w->depth));
	w->bound = xcalloc(n, sizeof(*w->bound));
	w->prev = xcalloc(n, sizeof(*w->prev));
	w->via = xcalloc(n, sizeof(*w->via));
	w->queue = xcalloc(n, sizeof(*w->queue));
	for (uint64_t e = 0; e < g->nedges; e++)
		if (g->adj[e].at > w->now && g->adj[e].kind >= GE_TRANSFER && g->adj[e].kind <= GE_CHAIN)
			w->now = g->adj[e].at;
}

static void walker_release(struct walker *w)
{
	free(w->stamp);
	free(w->rstamp);
	free(w->ustamp);
	free(w->depth);
	free(w->bound);
	free(w->prev);
	free(w->via);
	free(w->queue);
	free(w->hits);
}

/* The report r repeats (GE_DUPLICATE out of it): counted as the one it repeats. */
static bool is_repeat(const struct graph *g, uint32_t r)
{
	for (uint64_t e = g->off[r]; e < g->off[r + 1]; e++)
		if (g->adj[e].kind == GE_DUPLICATE && g->adj[e].out)
			return true;
	return false;
}

/* The reports naming identifier u, reached at hops: counted into s, listed when keep. */
static void collect(struct walker *w, uint32_t u, struct stats *s, double *depth_sum, bool keep)
{
	const struct graph *g = w->g;

	for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
		const struct graph_edge *x = &g->adj[e];
		uint32_t r = x->to, unit;
		if ((x->kind != GE_OBSERVED && x->kind != GE_VICTIM) || w->rstamp[r] == w->wid)
			continue;
		w->rstamp[r] = w->wid;
		if (is_repeat(g, r))
			continue;
		s->victims++;
		s->loss += g->loss[r];
		s->reach += 1.0 + log10(1.0 + (double)g->loss[r] / 10000.0);
		*depth_sum += w->depth[u];
		unit = g->report_case[r] != GRAPH_NONE ? g->report_case[r] : r;
		if (w->ustamp[unit] != w->wid) {
			w->ustamp[unit] = w->wid;
			s->units++;
		}
		if (keep) {
			if (w->nhits == w->cap_hits) {
				w->cap_hits = w->cap_hits ? w->cap_hits * 2 : 64;
				w->hits = xreallocarray(w->hits, w->cap_hits, sizeof(*w->hits));
			}
			w->hits[w->nhits++] = (struct hit){ r, u, w->depth[u] };
		}
	}
}

/*
 * Walk down from candidate c (depth hops) and score it into *s. keep: list
 * the reports reached in w->hits. Returns false when the node budget ran out.
 */
static bool walk(struct walker *w, uint32_t c, int depth, int64_t max_fanout, double half_life_s,
	int64_t budget, bool keep, struct stats *s)
{
	const struct graph *g = w->g;
	size_t head = 0, tail = 0;
	double depth_sum = 0;
	int64_t expanded = 0;
	bool complete = true;

	memset(s, 0, sizeof(*s));
	s->node = c;
	w->wid++;
	w->nhits = 0;
	w->stamp[c] = w->wid;
	w->depth[c] = 0;
	w->bound[c] = UINT32_MAX;
	w->prev[c] = GRAPH_NONE;
	w->queue[tail++] = c;
	for (uint64_t e = g->off[c]; e < g->off[c + 1]; e++)
		if (g->adj[e].kind >= GE_TRANSFER && g->adj[e].kind <= GE_CHAIN &&
			g->adj[e].at > s->last_at)
			s->last_at = g->adj[e].at;
	while (head < tail) {
		uint32_t u = w->queue[head++];
		collect(w, u, s, &depth_sum, keep);
		if (w->depth[u] >= depth)
			continue;
		if (++expanded > budget) {
			complete = false;
			break;
		}
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			uint32_t t = x->to;
			if (!down(x) || (g->flags[t] & GN_WARNED))
				continue;
			if (is_money(x->kind) && x->at > w->bound[u])
				continue; /* paid in after the money left: not the money that left */
			if (w->stamp[t] == w->wid) {
				/* not yet expanded: the latest of its transfers up bounds its past */
				if (w->depth[t] == w->depth[u] + 1 && is_money(x->kind) &&
					w->bound[t] != UINT32_MAX && x->at > w->bound[t])
					w->bound[t] = x->at;
				continue;
			}
			w->stamp[t] = w->wid;
			w->depth[t] = w->depth[u] + 1;
			w->bound[t] = is_money(x->kind) ? x->at : UINT32_MAX;
			w->prev[t] = u;
			w->via[t] = e;
			w->queue[tail++] = t;
			if (u == c)
				s->fan_in++;
			if (g->kind[t] == GN_IDENT)
				s->below++;
		}
	}
	w->expanded += expanded;
	s->level = s->victims ? depth_sum / (double)s->victims : 0;
	s->decay = 1.0;
	if (s->last_at && w->now > s->last_at && half_life_s > 0)
		s->decay = pow(0.5, (double)(w->now - s->last_at) / half_life_s);
	s->hub = (g->flags[c] & GN_WARNED) || (max_fanout > 0 && s->fan_in > max_fanout);
	s->score = s->reach * (1.0 + log2((double)(s->units ? s->units : 1))) *
		   (1.0 + 0.5 * fmin(s->level, 4.0)) * (1.0 + 0.25 * log2(1.0 + (double)s->fan_in)) *
		   (1.0 + 0.1 * log2(1.0 + (double)s->below)) * s->decay * (s->hub ? HUB_DISCOUNT : 1.0);
	return complete;
}

/* Has identifier u an edge down at all? */
static bool has_down(const struct graph *g, uint32_t u)
{
	for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++)
		if (down(&g->adj[e]))
			return true;
	return false;
}

static int cmp_score(const void *a, const void *b)
{
	const struct stats *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Score every candidate: *out sorted by score (free() it), *n of them. */
static bool rank(struct walker *w, const struct graph_upstream_options *o,
	const struct graph_limits *lim, struct stats **out, size_t *n)
{
	const struct graph *g = w->g;
	int64_t deadline = graph_deadline(lim);
	struct stats *list = NULL, s;
	size_t cap = 0, count = 0;
	bool truncated = false;

	for (uint32_t u = 0; u < g->n; u++) {
		if (g->kind[u] != GN_IDENT || !has_down(g, u))
			continue;
		if (w->expanded > lim->max_nodes || graph_past(deadline)) {
			truncated = true;
			break;
		}
		if (!walk(w, u, lim->depth, o->max_fanout, o->half_life_s, PER_CANDIDATE, false, &s))
			truncated = true;
		if (s.victims < o->min_victims)
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 256;
			list = xreallocarray(list, cap, sizeof(*list));
		}
		list[count++] = s;
	}
	sort_items(list, count, sizeof(*list), cmp_score);
	*out = list;
	*n = count;
	return truncated;
}

static double round3(double x)
{
	return round(x * 1000.0) / 1000.0;
}

static json_t *stats_json(const struct walker *w, const struct graph_viewer *v,
	const struct stats *s)
{
	json_t *o = graph_node_json(w->g, v, s->node);
	char last[32];

	graph_time(s->last_at, last);
	json_object_set_new(o, "score", json_real(round3(s->score)));
	json_object_set_new(o, "victims", json_integer(s->victims));
	json_object_set_new(o, "loss_twd", json_integer(s->loss));
	json_object_set_new(o, "cases", json_integer(s->units));
	json_object_set_new(o, "level", json_real(round3(s->level)));
	json_object_set_new(o, "fan_in", json_integer(s->fan_in));
	json_object_set_new(o, "below", json_integer(s->below));
	json_object_set_new(o, "last_flow_at", json_string(last));
	json_object_set_new(o, "recency", json_real(round3(s->decay)));
	json_object_set_new(o, "hub", json_boolean(s->hub));
	return o;
}

/* The path from the walk's candidate down to hit h: nodes and the edges between. */
static json_t *evidence_json(const struct walker *w, const struct graph_viewer *v,
	const struct hit *h)
{
	const struct graph *g = w->g;
	uint32_t chain[16];
	int n = 0;
	json_t *nodes = json_array(), *edges = json_array();

	for (uint32_t u = h->via; u != GRAPH_NONE && n < 16; u = w->prev[u])
		chain[n++] = u;
	for (int i = n - 1; i >= 0; i--) {
		json_array_append_new(nodes, graph_node_json(g, v, chain[i]));
		if (i < n - 1) {
			const struct graph_edge *x = &g->adj[w->via[chain[i]]];
			char at[32];
			graph_time(x->at, at);
			json_array_append_new(edges, json_pack("{s:s,s:s,s:s,s:I}", "kind",
							     graph_edge_kind_name(x->kind), "flow",
							     x->out ? "down" : "up", "at", at, "amount",
							     (json_int_t)x->amount));
		}
	}
	json_array_append_new(nodes, graph_node_json(g, v, h->report));
	json_array_append_new(edges, json_pack("{s:s}", "kind", "named_in_report"));
	return json_pack("{s:I,s:I,s:o,s:o}", "report", (json_int_t)g->ref[h->report], "hops",
		(json_int_t)h->hops, "nodes", nodes, "edges", edges);
}

static int cmp_hit_loss(const void *a, const void *b, void *ctx)
{
	const struct graph *g = ctx;
	const struct hit *x = a, *y = b;

	if (g->loss[x->report] != g->loss[y->report])
		return g->loss[x->report] > g->loss[y->report] ? -1 : 1;
	return x->hops - y->hops;
}

int graph_upstream(struct graph *g, const struct graph_viewer *v,
	const struct graph_upstream_options *o, const struct graph_limits *lim, json_t **out)
{
	struct walker w;
	struct stats *list = NULL, s;
	size_t n = 0, shown = 0;
	int64_t hidden = 0;
	json_t *arr = json_array();
	bool truncated;

	walker_init(&w, g);
	truncated = rank(&w, o, lim, &list, &n);
	for (size_t k = 0; k < n && shown < (size_t)lim->max_results; k++) {
		json_t *c, *ev;
		int64_t visible = 0, shown_ev = 0;
		walk(&w, list[k].node, lim->depth, o->max_fanout, o->half_life_s, PER_CANDIDATE, true,
			&s);
		if (w.nhits > 1)
			qsort_r(w.hits, w.nhits, sizeof(*w.hits), cmp_hit_loss, g);
		ev = json_array();
		for (size_t h = 0; h < w.nhits; h++) {
			if (!graph_node_visible(g, v, w.hits[h].report))
				continue;
			visible++;
			if (shown_ev++ < EVIDENCE)
				json_array_append_new(ev, evidence_json(&w, v, &w.hits[h]));
		}
		if (!visible) {
			hidden++; /* reaches only reports the viewer may not read */
			json_decref(ev);
			continue;
		}
		c = stats_json(&w, v, &list[k]);
		json_object_set_new(c, "rank", json_integer((json_int_t)k + 1));
		json_object_set_new(c, "reports_hidden", json_integer((json_int_t)w.nhits - visible));
		json_object_set_new(c, "evidence", ev);
		json_array_append_new(arr, c);
		shown++;
	}
	{
		char now[32];
		graph_time(w.now, now);
		*out = json_pack("{s:o,s:I,s:I,s:s,s:b}", "candidates", arr, "total", (json_int_t)n,
			"hidden", (json_int_t)hidden, "newest_flow_at", now, "truncated", truncated);
	}
	free(list);
	walker_release(&w);
	return 0;
}

/* ---- case priority ---- */

#define REASONS 5

struct reason {
	uint32_t cand;   /* index in the ranked list */
	double part;
	int32_t hops;
	uint32_t report;
};

struct case_acc {
	uint32_t node;
	double priority;
	int64_t candidates;
	struct reason top[REASONS];
	int ntop;
};

static int cmp_case(const void *a, const void *b)
{
	const struct case_acc *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->node < y->node ? -1 : x->node > y->node;
}

/* Keep the REASONS largest parts of a case (one per candidate). */
static void add_reason(struct case_acc *k, struct reason r)
{
	int i;

	k->priority += r.part;
	k->candidates++;
	if (k->ntop < REASONS)
		k->top[k->ntop++] = r;
	else if (r.part > k->top[REASONS - 1].part)
		k->top[REASONS - 1] = r;
	else
		return;
	for (i = k->ntop - 1; i > 0 && k->top[i].part > k->top[i - 1].part; i--) {
		struct reason t = k->top[i];
		k->top[i] = k->top[i - 1];
		k->top[i - 1] = t;
	}
}

int graph_case_priority(struct graph *g, const struct graph_viewer *v,
	const struct graph_upstream_options *o, const struct graph_limits *lim, json_t **out)
{
	struct walker w;
	struct stats *list = NULL, s;
	size_t n = 0, ncases = 0, shown = 0;
	int32_t *slot = xcalloc(g->n ? g->n : 1, sizeof(*slot));
	uint32_t *best_hit = xcalloc(g->n ? g->n : 1, sizeof(*best_hit)); /* case → hit + 1 */
	struct case_acc *cases = NULL;
	json_t *arr = json_array();
	bool truncated;

	walker_init(&w, g);
	truncated = rank(&w, o, lim, &list, &n);
	if (n > (size_t)o->candidates)
		n = (size_t)o->candidates;
	for (size_t k = 0; k < n; k++) {
		walk(&w, list[k].node, lim->depth, o->max_fanout, o->half_life_s, PER_CANDIDATE, true,
			&s);
		/* per case the nearest report of this candidate */
		for (size_t h = 0; h < w.nhits; h++) {
			uint32_t kc = g->report_case[w.hits[h].report];
			if (kc == GRAPH_NONE || (g->flags[kc] & GN_CLOSED))
				continue;
			if (!best_hit[kc] || w.hits[h].hops < w.hits[best_hit[kc] - 1].hops)
				best_hit[kc] = (uint32_t)h + 1;
		}
		for (size_t h = 0; h < w.nhits; h++) {
			uint32_t kc = g->report_case[w.hits[h].report];
			const struct hit *b;
			if (kc == GRAPH_NONE || best_hit[kc] != h + 1)
				continue;
			b = &w.hits[h];
			best_hit[kc] = 0;
			if (!slot[kc]) {
				cases = xreallocarray(cases, ncases + 1, sizeof(*cases));
				memset(&cases[ncases], 0, sizeof(*cases));
				cases[ncases].node = kc;
				slot[kc] = (int32_t)++ncases;
			}
			add_reason(&cases[slot[kc] - 1], (struct reason){ (uint32_t)k,
								  list[k].score / (1.0 + b->hops),
								  b->hops, b->report });
		}
	}
	sort_items(cases, ncases, sizeof(*cases), cmp_case);
	for (size_t i = 0; i < ncases && shown < (size_t)lim->max_results; i++) {
		const struct case_acc *k = &cases[i];
		json_t *o2, *why;
		if (!graph_node_visible(g, v, k->node))
			continue;
		why = json_array();
		for (int r = 0; r < k->ntop; r++) {
			json_t *c = stats_json(&w, v, &list[k->top[r].cand]);
			json_object_set_new(c, "rank", json_integer((json_int_t)k->top[r].cand + 1));
			json_object_set_new(c, "hops", json_integer(k->top[r].hops));
			json_object_set_new(c, "via_report",
				json_integer((json_int_t)g->ref[k->top[r].report]));
			json_object_set_new(c, "contribution", json_real(round3(k->top[r].part)));
			json_array_append_new(why, c);
		}
		o2 = graph_node_json(g, v, k->node);
		json_object_set_new(o2, "priority", json_real(round3(k->priority)));
		json_object_set_new(o2, "candidates_reached", json_integer(k->candidates));
		json_object_set_new(o2, "why", why);
		json_array_append_new(arr, o2);
		shown++;
	}
	*out = json_pack("{s:o,s:I,s:I,s:b}", "cases", arr, "candidates_considered", (json_int_t)n,
		"total", (json_int_t)ncases, "truncated", truncated);
	free(list);
	free(slot);
	free(best_hit);
	free(cases);
	walker_release(&w);
	return 0;
}
