/*
 * graph/cluster.c - rings: units (a case, or a report in no case; a repeat
 * report counts as the report it repeats) joined when an identifier is named
 * by two of them. Identifiers on the warning list never join (the 165
 * hotline would bind every case), nor do those named by more than max_fanout
 * units (hubs). Union-find over the units; the binding identifiers are kept
 * per cluster as the evidence.
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sort.h"

struct cl {
	uint32_t root;
	int64_t size, reports, loss;
};

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* The unit of report node r: its case, else the report it repeats, else itself. */
static uint32_t unit_of(const struct graph *g, uint32_t r)
{
	for (int hop = 0; hop < 4; hop++) {
		uint32_t next = GRAPH_NONE;
		if (g->report_case[r] != GRAPH_NONE)
			return g->report_case[r];
		for (uint64_t e = g->off[r]; e < g->off[r + 1]; e++)
			if (g->adj[e].kind == GE_DUPLICATE && g->adj[e].out)
				next = g->adj[e].to;
		if (next == GRAPH_NONE)
			return r;
		r = next;
	}
	return r;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_cl(const void *a, const void *b)
{
	const struct cl *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->loss > y->loss ? -1 : x->loss < y->loss;
}

/* The distinct units of identifier i's reports into *units; returns how many. */
static size_t units_of(const struct graph *g, uint32_t i, uint32_t **units, size_t *cap)
{
	size_t n = 0, k = 0;

	for (uint64_t e = g->off[i]; e < g->off[i + 1]; e++) {
		if (g->adj[e].kind != GE_OBSERVED)
			continue;
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*units = xreallocarray(*units, *cap, sizeof(**units));
		}
		(*units)[n++] = unit_of(g, g->adj[e].to);
	}
	sort_items(*units, n, sizeof(**units), cmp_u32);
	for (size_t j = 0; j < n; j++)
		if (!k || (*units)[k - 1] != (*units)[j])
			(*units)[k++] = (*units)[j];
	return k;
}

static json_t *cluster_json(const struct graph *g, const struct graph_viewer *v, uint32_t *parent,
	const struct cl *c, const uint32_t *binding, size_t nbinding, const uint8_t *member,
	int max_items)
{
	json_t *units = json_array(), *bind = json_array();
	int64_t hidden = 0, shown = 0;
	uint32_t *tmp = NULL;
	size_t cap = 0;

	for (uint32_t u = 0; u < g->n; u++) {
		if (!member[u] || find(parent, u) != c->root)
			continue;
		if (json_array_size(units) < (size_t)max_items)
			json_array_append_new(units, graph_node_json(g, v, u));
	}
	for (size_t b = 0; b < nbinding; b++) {
		size_t n = units_of(g, binding[b], &tmp, &cap);
		bool visible = false;
		if (!n || find(parent, tmp[0]) != c->root)
			continue;
		for (size_t k = 0; k < n && !visible; k++)
			visible = graph_node_visible(g, v, tmp[k]);
		if (!visible) {
			hidden++;
			continue;
		}
		if (shown++ < max_items) {
			json_t *o = graph_node_json(g, v, binding[b]);
			json_object_set_new(o, "units", json_integer((json_int_t)n));
			json_array_append_new(bind, o);
		}
	}
	free(tmp);
	return json_pack("{s:I,s:I,s:I,s:o,s:b,s:o,s:I}", "size", (json_int_t)c->size, "reports",
		(json_int_t)c->reports, "loss_twd", (json_int_t)c->loss, "units", units,
		"units_truncated", c->size > max_items, "binding", bind, "binding_hidden",
		(json_int_t)hidden);
}

int graph_clusters(struct graph *g, const struct graph_viewer *v, int min_units,
	int64_t max_fanout, const struct graph_limits *lim, json_t **out)
{
	uint32_t *parent = xreallocarray(NULL, g->n ? g->n : 1, sizeof(*parent));
	uint8_t *member = xcalloc(g->n ? g->n : 1, 1);
	uint32_t *units = NULL, *binding = NULL;
	size_t cap = 0, nbinding = 0, bcap = 0, ncl = 0;
	int64_t deadline = graph_deadline(lim), hubs = 0, warned = 0;
	struct cl *cls = NULL;
	bool truncated = false;
	json_t *list = json_array();

	for (uint32_t u = 0; u < g->n; u++)
		parent[u] = u;
	for (uint32_t i = 0; i < g->n; i++) {
		size_t n;
		if (g->kind[i] != GN_IDENT)
			continue;
		if ((i & 4095) == 0 && graph_past(deadline)) {
			truncated = true;
			break;
		}
		n = units_of(g, i, &units, &cap);
		if (n < 2)
			continue;
		if (g->flags[i] & GN_WARNED) {
			warned++;
			continue;
		}
		if (max_fanout > 0 && (int64_t)n > max_fanout) {
			hubs++;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			member[units[k]] = 1;
			parent[find(parent, units[k])] = find(parent, units[0]);
		}
		if (nbinding == bcap) {
			bcap = bcap ? bcap * 2 : 256;
			binding = xreallocarray(binding, bcap, sizeof(*binding));
		}
		binding[nbinding++] = i;
	}
	/* sizes per root: units, then the reports in them */
	for (uint32_t u = 0; u < g->n; u++) {
		if (!member[u] || find(parent, u) != u)
			continue;
		cls = xreallocarray(cls, ncl + 1, sizeof(*cls));
		cls[ncl++] = (struct cl){ u, 0, 0, 0 };
	}
	{
		uint32_t *index = xcalloc(g->n ? g->n : 1, sizeof(*index));
		for (size_t k = 0; k < ncl; k++)
			index[cls[k].root] = (uint32_t)k;
		for (uint32_t u = 0; u < g->n; u++)
			if (member[u])
				cls[index[find(parent, u)]].size++;
		for (uint32_t r = 0; r < g->n; r++) {
			uint32_t u;
			if (g->kind[r] != GN_REPORT)
				continue;
			u = unit_of(g, r);
			if (!member[u])
				continue;
			cls[index[find(parent, u)]].reports++;
			cls[index[find(parent, u)]].loss += g->loss[r];
		}
		free(index);
	}
	sort_items(cls, ncl, sizeof(*cls), cmp_cl);
	size_t shown = 0;
	for (size_t k = 0; k < ncl; k++) {
		if (cls[k].size < min_units)
			continue;
		if (shown++ >= (size_t)lim->max_results)
			continue;
		json_array_append_new(list, cluster_json(g, v, parent, &cls[k], binding, nbinding,
						    member, 500));
	}
	*out = json_pack("{s:o,s:I,s:b,s:I,s:I}", "clusters", list, "total_clusters",
		(json_int_t)shown, "truncated", truncated || shown > (size_t)lim->max_results,
		"warning_list_excluded", (json_int_t)warned, "hubs_excluded", (json_int_t)hubs);
	free(parent);
	free(member);
	free(units);
	free(binding);
	free(cls);
	return 0;
}
