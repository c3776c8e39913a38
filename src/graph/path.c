/*
 * graph/path.c - a shortest path between two identifiers and the
 * neighbourhood of one, by breadth-first search over every edge in either
 * direction. Need-to-know: a report or case the viewer may not read is shown
 * (it exists, and its office) but never walked through, so nothing behind it
 * leaks; warning-listed identifiers are not walked through either (hubs).
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"

struct bfs {
	uint32_t *prev;   /* node → the node it was reached from; GRAPH_NONE */
	uint8_t *via;     /* node → the kind of that edge */
	int32_t *depth;   /* -1 = not reached */
	uint32_t *queue;
	size_t head, tail;
};

static void bfs_init(struct bfs *b, size_t n)
{
	b->prev = xreallocarray(NULL, n, sizeof(*b->prev));
	memset(b->prev, 0xff, n * sizeof(*b->prev));
	b->via = xcalloc(n, 1);
	b->depth = xreallocarray(NULL, n, sizeof(*b->depth));
	memset(b->depth, 0xff, n * sizeof(*b->depth));
	b->queue = xreallocarray(NULL, n, sizeof(*b->queue));
	b->head = b->tail = 0;
}

static void bfs_release(struct bfs *b)
{
	free(b->prev);
	free(b->via);
	free(b->depth);
	free(b->queue);
}

/* May the walk go on from u? (not from a hidden report or case, not from a hub) */
static bool passable(const struct graph *g, const struct graph_viewer *v, uint32_t u, uint32_t start)
{
	if (u == start)
		return true;
	if (g->flags[u] & GN_WARNED)
		return false;
	return graph_node_visible(g, v, u);
}

/* Walk from s until target is reached (or the bounds); returns whether truncated. */
static bool bfs_run(struct bfs *b, const struct graph *g, const struct graph_viewer *v, uint32_t s,
	uint32_t target, const struct graph_limits *lim)
{
	int64_t deadline = graph_deadline(lim), expanded = 0;

	b->depth[s] = 0;
	b->queue[b->tail++] = s;
	while (b->head < b->tail) {
		uint32_t u = b->queue[b->head++];
		if (u == target)
			return false;
		if (b->depth[u] >= lim->depth || !passable(g, v, u, s))
			continue;
		if (++expanded > lim->max_nodes || ((expanded & 255) == 0 && graph_past(deadline)))
			return true;
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			uint32_t w = g->adj[e].to;
			if (b->depth[w] >= 0)
				continue;
			b->depth[w] = b->depth[u] + 1;
			b->prev[w] = u;
			b->via[w] = g->adj[e].kind;
			b->queue[b->tail++] = w;
		}
	}
	return false;
}

static void limits_json(json_t *o, const struct graph_limits *lim, bool truncated)
{
	json_object_set_new(o, "truncated", json_boolean(truncated));
	json_object_set_new(o, "depth", json_integer(lim->depth));
}

static uint32_t start_node(const struct graph *g, int64_t id, const char *field,
	struct err_msg *err)
{
	uint32_t u = graph_ident_node(g, id);

	if (u == GRAPH_NONE)
		err_set(err, ERR_NOTFOUND, field, "no identifier %lld in the graph", (long long)id);
	return u;
}

int graph_path(struct graph *g, const struct graph_viewer *v, int64_t from, int64_t to,
	const struct graph_limits *lim, json_t **out, struct err_msg *err)
{
	uint32_t s = start_node(g, from, "from", err), t;
	struct bfs b;
	bool truncated;
	json_t *nodes, *edges;

	if (s == GRAPH_NONE)
		return ERR_NOTFOUND;
	t = start_node(g, to, "to", err);
	if (t == GRAPH_NONE)
		return ERR_NOTFOUND;
	bfs_init(&b, g->n);
	truncated = bfs_run(&b, g, v, s, t, lim);
	nodes = json_array();
	edges = json_array();
	if (b.depth[t] >= 0) {
		uint32_t *path = xreallocarray(NULL, (size_t)b.depth[t] + 1, sizeof(*path));
		int len = 0;
		for (uint32_t u = t; u != GRAPH_NONE; u = b.prev[u])
			path[len++] = u;
		for (int i = len - 1; i >= 0; i--) {
			json_array_append_new(nodes, graph_node_json(g, v, path[i]));
			if (i < len - 1)
				json_array_append_new(edges, json_string(graph_edge_kind_name(b.via[path[i]])));
		}
		free(path);
	}
	*out = json_pack("{s:b,s:o,s:o}", "found", b.depth[t] >= 0, "nodes", nodes, "edges", edges);
	limits_json(*out, lim, truncated && b.depth[t] < 0);
	bfs_release(&b);
	return 0;
}

int graph_neighbourhood(struct graph *g, const struct graph_viewer *v, int64_t id,
	const struct graph_limits *lim, json_t **out, struct err_msg *err)
{
	uint32_t s = start_node(g, id, "id", err);
	int64_t *per_hop;
	struct bfs b;
	bool truncated;
	json_t *nodes, *edges, *hops;
	size_t shown;

	if (s == GRAPH_NONE)
		return ERR_NOTFOUND;
	bfs_init(&b, g->n);
	truncated = bfs_run(&b, g, v, s, GRAPH_NONE, lim);
	per_hop = xcalloc((size_t)lim->depth + 2, sizeof(*per_hop));
	nodes = json_array();
	edges = json_array();
	shown = b.tail < (size_t)lim->max_results ? b.tail : (size_t)lim->max_results;
	for (size_t k = 0; k < b.tail; k++)
		per_hop[b.depth[b.queue[k]]]++;
	/* the first max_results nodes in BFS order: the nearest first */
	for (size_t k = 0; k < shown; k++) {
		uint32_t u = b.queue[k];
		json_t *o = graph_node_json(g, v, u);
		json_object_set_new(o, "node", json_integer((json_int_t)k));
		json_object_set_new(o, "hop", json_integer(b.depth[u]));
		json_array_append_new(nodes, o);
		b.depth[u] = -2 - (int32_t)k; /* its index among the shown, for the edges */
	}
	for (size_t k = 0; k < shown; k++) {
		uint32_t u = b.queue[k];
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			char at[32];
			if (!x->out || b.depth[x->to] > -2)
				continue;
			graph_time(x->at, at);
			json_array_append_new(edges, json_pack("{s:I,s:I,s:s,s:s,s:I}", "from",
						     (json_int_t)k, "to", (json_int_t)(-2 - b.depth[x->to]),
						     "kind", graph_edge_kind_name(x->kind), "at", at,
						     "amount", (json_int_t)x->amount));
		}
	}
	hops = json_array();
	for (int h = 0; h <= lim->depth; h++)
		json_array_append_new(hops, json_integer(per_hop[h]));
	*out = json_pack("{s:o,s:o,s:o,s:I}", "nodes", nodes, "edges", edges, "per_hop", hops,
		"reached", (json_int_t)b.tail);
	limits_json(*out, lim, truncated || b.tail > shown);
	free(per_hop);
	bfs_release(&b);
	return 0;
}
