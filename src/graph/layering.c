/*
 * graph/layering.c - money-flow layering (分層): from each victim's transfer
 * into a receiving account, follow the money forward, layer by layer, only
 * along transfers made after it arrived (money cannot flow backwards in time)
 * and within max_gap_s of it. Accounts reached from several victims'
 * transfers are where the flows converge; those whose money converges no
 * further (no account they pay is reached by as many) are named as the
 * likely money house (水房).
 *
 * Per origin (one victim transfer) a breadth-first walk with the earliest
 * arrival time per account; per account, across origins: the smallest layer,
 * the number of origins, and the sum of the transfers that carried money on a
 * valid path (each transfer counted once).
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/sort.h"

struct acct {
	uint32_t node;
	int32_t layer;     /* smallest; 0 = not reached */
	int64_t origins;   /* victims' transfers whose money reached it */
	int64_t amount_in; /* TWD of the transfers into it on valid paths */
	int64_t first, last;
};

struct walk {
	const struct graph *g;
	int32_t *slot;       /* node → index in accts, -1 */
	struct acct *accts;
	size_t naccts;
	uint32_t *stamp;     /* node → origin number that last reached it */
	uint32_t *arrival;   /* node → arrival time for the current origin */
	int32_t *layer_now;  /* node → layer for the current origin */
	uint8_t *used;       /* per adj entry: its amount counted */
	uint32_t *queue;
	int64_t expanded;
};

static bool is_money(uint8_t kind)
{
	return kind == GE_TRANSFER || kind == GE_CHAIN;
}

static struct acct *acct_of(struct walk *w, uint32_t u)
{
	if (w->slot[u] < 0) {
		w->accts = xreallocarray(w->accts, w->naccts + 1, sizeof(*w->accts));
		w->accts[w->naccts] = (struct acct){ u, 0, 0, 0, 0, 0 };
		w->slot[u] = (int32_t)w->naccts++;
	}
	return &w->accts[w->slot[u]];
}

static void reach(struct walk *w, uint32_t u, int32_t layer, int64_t at, int64_t amount,
	bool count_amount)
{
	struct acct *a = acct_of(w, u);

	if (!a->layer || layer < a->layer)
		a->layer = layer;
	if (count_amount)
		a->amount_in += amount;
	if (!a->first || at < a->first)
		a->first = at;
	if (at > a->last)
		a->last = at;
}

/* Walk from receiving account r, reached at time t0 by origin number o. */
static bool walk_origin(struct walk *w, uint32_t o, uint32_t r, uint32_t t0, int depth,
	int64_t max_gap_s, int64_t max_nodes, int64_t deadline)
{
	const struct graph *g = w->g;
	size_t head = 0, tail = 0;

	w->stamp[r] = o;
	w->arrival[r] = t0;
	w->layer_now[r] = 1;
	acct_of(w, r)->origins++;
	w->queue[tail++] = r;
	while (head < tail) {
		uint32_t u = w->queue[head++];
		if (w->layer_now[u] >= depth)
			continue;
		if (++w->expanded > max_nodes || ((w->expanded & 1023) == 0 && graph_past(deadline)))
			return false;
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			uint32_t t = x->at;
			if (!x->out || !is_money(x->kind) || g->flags[x->to] & GN_WARNED)
				continue;
			if (t < w->arrival[u] || (int64_t)t - w->arrival[u] > max_gap_s)
				continue; /* before the money came, or long after */
			reach(w, x->to, w->layer_now[u] + 1, t, x->amount, !w->used[e]);
			w->used[e] = 1;
			if (w->stamp[x->to] == o && w->arrival[x->to] <= t)
				continue;
			if (w->stamp[x->to] != o) {
				acct_of(w, x->to)->origins++;
				w->queue[tail++] = x->to;
				w->layer_now[x->to] = w->layer_now[u] + 1;
			}
			w->stamp[x->to] = o;
			w->arrival[x->to] = t;
		}
	}
	return true;
}

/* True when r is a receiving account: named in a report, not as the victim's. */
static bool reported(const struct graph *g, uint32_t r)
{
	for (uint64_t e = g->off[r]; e < g->off[r + 1]; e++)
		if (g->adj[e].kind == GE_OBSERVED)
			return true;
	return false;
}

static int cmp_converge(const void *a, const void *b)
{
	const struct acct *x = a, *y = b;

	if (x->origins != y->origins)
		return x->origins > y->origins ? -1 : 1;
	return x->amount_in > y->amount_in ? -1 : x->amount_in < y->amount_in;
}

/* True when money of a reaches an account reached by at least as many origins. */
static bool converges_further(const struct walk *w, const struct acct *a)
{
	const struct graph *g = w->g;

	for (uint64_t e = g->off[a->node]; e < g->off[a->node + 1]; e++) {
		const struct graph_edge *x = &g->adj[e];
		if (x->out && is_money(x->kind) && w->slot[x->to] >= 0 &&
			w->accts[w->slot[x->to]].origins >= a->origins && x->at >= a->first)
			return true;
	}
	return false;
}

static json_t *acct_json(const struct walk *w, const struct graph_viewer *v, const struct acct *a)
{
	json_t *o = graph_node_json(w->g, v, a->node);
	char first[32], last[32];

	graph_time(a->first, first);
	graph_time(a->last, last);
	json_object_set_new(o, "layer", json_integer(a->layer));
	json_object_set_new(o, "origins", json_integer(a->origins));
	json_object_set_new(o, "amount_in_twd", json_integer(a->amount_in));
	json_object_set_new(o, "first_at", json_string(first));
	json_object_set_new(o, "last_at", json_string(last));
	return o;
}

static json_t *result_json(struct walk *w, const struct graph_viewer *v, int depth,
	const struct graph_limits *lim, int64_t origins, bool truncated)
{
	json_t *layers = json_array(), *converge = json_array();
	struct acct *sorted = xreallocarray(NULL, w->naccts ? w->naccts : 1, sizeof(*sorted));
	int64_t houses = 0;

	memcpy(sorted, w->accts, w->naccts * sizeof(*sorted));
	sort_items(sorted, w->naccts, sizeof(*sorted), cmp_converge);
	for (int l = 1; l <= depth; l++) {
		json_t *layer = json_array();
		int64_t count = 0;
		for (size_t k = 0; k < w->naccts; k++) {
			if (sorted[k].layer != l)
				continue;
			if (count++ < lim->max_results)
				json_array_append_new(layer, acct_json(w, v, &sorted[k]));
		}
		json_array_append_new(layers, json_pack("{s:i,s:I,s:o}", "layer", l, "accounts",
						      (json_int_t)count, "top", layer));
	}
	for (size_t k = 0; k < w->naccts; k++) {
		const struct acct *a = &sorted[k];
		json_t *o;
		if (a->origins < 2 || a->layer < 2)
			continue;
		if (json_array_size(converge) >= (size_t)lim->max_results)
			break;
		o = acct_json(w, v, a);
		bool house = !converges_further(w, a);
		houses += house;
		json_object_set_new(o, "money_house", json_boolean(house));
		json_array_append_new(converge, o);
	}
	free(sorted);
	return json_pack("{s:I,s:o,s:o,s:I,s:b}", "origins", (json_int_t)origins, "layers", layers,
		"converge", converge, "money_houses", (json_int_t)houses, "truncated", truncated);
}

int graph_layering(struct graph *g, const struct graph_viewer *v, int64_t start,
	int64_t max_gap_s, const struct graph_limits *lim, json_t **out, struct err_msg *err)
{
	struct walk w = { .g = g };
	size_t n = g->n ? g->n : 1;
	int64_t deadline = graph_deadline(lim), origins = 0;
	uint32_t from = GRAPH_NONE;
	bool truncated = false;

	if (start) {
		from = graph_ident_node(g, start);
		if (from == GRAPH_NONE)
			return err_set(err, ERR_NOTFOUND, "start", "no identifier %lld",
				(long long)start);
	}
	w.slot = xreallocarray(NULL, n, sizeof(*w.slot));
	memset(w.slot, 0xff, n * sizeof(*w.slot));
	w.stamp = xcalloc(n, sizeof(*w.stamp));
	w.arrival = xcalloc(n, sizeof(*w.arrival));
	w.layer_now = xcalloc(n, sizeof(*w.layer_now));
	w.queue = xreallocarray(NULL, n, sizeof(*w.queue));
	w.used = xcalloc(g->nedges ? g->nedges : 1, 1);
	for (uint32_t r = 0; r < g->n && !truncated; r++) {
		if (from != GRAPH_NONE ? r != from
				       : g->kind[r] != GN_IDENT || !reported(g, r) ||
					       (g->flags[r] & GN_WARNED))
			continue;
		/* each victim's transfer into r is an origin */
		for (uint64_t e = g->off[r]; e < g->off[r + 1] && !truncated; e++) {
			const struct graph_edge *x = &g->adj[e];
			if (x->out || !is_money(x->kind))
				continue;
			origins++;
			reach(&w, r, 1, x->at, x->amount, !w.used[e]);
			w.used[e] = 1;
			truncated = !walk_origin(&w, (uint32_t)origins, r, x->at, lim->depth,
				max_gap_s, lim->max_nodes, deadline);
		}
	}
	*out = result_json(&w, v, lim->depth, lim, origins, truncated);
	free(w.slot);
	free(w.stamp);
	free(w.arrival);
	free(w.layer_now);
	free(w.queue);
	free(w.used);
	free(w.accts);
	return 0;
}
