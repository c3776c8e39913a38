/*
 * graph/callcenter.c - call centers (機房): the phones that called victims,
 * joined when they used the same handset (IMEI) or the same cell, with the
 * handsets, cells and distinct victims of each group. A victim is a callee
 * named in a report as the victim's own phone. Phones, handsets and cells on
 * the warning list never join.
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sort.h"

struct group {
	uint32_t root;
	int64_t victims, calls, phones;
};

static uint32_t find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static bool is_victim(const struct graph *g, uint32_t u)
{
	for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++)
		if (g->adj[e].kind == GE_VICTIM)
			return true;
	return false;
}

/* Does phone u call at least one victim? Counts its calls and victims (marking seen). */
static int64_t victims_called(const struct graph *g, uint32_t u, uint32_t *seen, uint32_t mark,
	int64_t *calls)
{
	int64_t n = 0;

	for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
		const struct graph_edge *x = &g->adj[e];
		if (!x->out || x->kind != GE_CALL)
			continue;
		(*calls)++;
		if (seen[x->to] != mark && is_victim(g, x->to)) {
			seen[x->to] = mark;
			n++;
		}
	}
	return n;
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->victims != y->victims)
		return x->victims > y->victims ? -1 : 1;
	return x->calls > y->calls ? -1 : x->calls < y->calls;
}

static json_t *group_json(const struct graph *g, const struct graph_viewer *v, uint32_t *parent,
	const uint8_t *caller, const struct group *gr, int max_items)
{
	json_t *phones = json_array(), *imeis = json_array(), *cells = json_array();
	int64_t reports = 0;

	for (uint32_t u = 0; u < g->n; u++) {
		if (caller[u] != 1 || find(parent, u) != gr->root)
			continue;
		if (json_array_size(phones) < (size_t)max_items)
			json_array_append_new(phones, graph_node_json(g, v, u));
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			json_t *list = x->kind == GE_IMEI ? imeis : x->kind == GE_CELL ? cells : NULL;
			if (x->kind == GE_OBSERVED)
				reports++;
			if (list && caller[x->to] == 2 && json_array_size(list) < (size_t)max_items) {
				/* each handset or cell once: 2 = not yet listed */
				json_array_append_new(list, graph_node_json(g, v, x->to));
				((uint8_t *)caller)[x->to] = 3;
			}
		}
	}
	return json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "victims", (json_int_t)gr->victims,
		"calls", (json_int_t)gr->calls, "phone_count", (json_int_t)gr->phones,
		"reports_naming_phones", (json_int_t)reports, "phones", phones, "imeis", imeis,
		"cells", cells);
}

int graph_callcenters(struct graph *g, const struct graph_viewer *v, int min_victims,
	const struct graph_limits *lim, json_t **out)
{
	size_t n = g->n ? g->n : 1, ngroups = 0, shown = 0;
	uint32_t *parent = xreallocarray(NULL, n, sizeof(*parent));
	uint8_t *caller = xcalloc(n, 1); /* 1 a phone that called a victim; 2 its handset/cell */
	uint32_t *seen = xcalloc(n, sizeof(*seen));
	int64_t *victims = xcalloc(n, sizeof(*victims)), *calls = xcalloc(n, sizeof(*calls));
	int64_t deadline = graph_deadline(lim);
	struct group *groups = NULL;
	bool truncated = false;
	json_t *list = json_array();

	for (uint32_t u = 0; u < g->n; u++)
		parent[u] = u;
	for (uint32_t u = 0; u < g->n; u++) {
		if (g->kind[u] != GN_IDENT || g->type[u] != IDENT_PHONE || (g->flags[u] & GN_WARNED))
			continue;
		if ((u & 4095) == 0 && graph_past(deadline)) {
			truncated = true;
			break;
		}
		victims[u] = victims_called(g, u, seen, u + 1, &calls[u]);
		if (!victims[u])
			continue;
		caller[u] = 1;
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			if ((x->kind != GE_IMEI && x->kind != GE_CELL) || (g->flags[x->to] & GN_WARNED))
				continue;
			caller[x->to] = 2;
			parent[find(parent, u)] = find(parent, x->to);
		}
	}
	/* distinct victims per group: one more pass with a mark per group root */
	memset(seen, 0, n * sizeof(*seen));
	{
		int32_t *index = xreallocarray(NULL, n, sizeof(*index));
		memset(index, 0xff, n * sizeof(*index));
		for (uint32_t u = 0; u < g->n; u++) {
			uint32_t root;
			int64_t c = 0;
			if (caller[u] != 1)
				continue;
			root = find(parent, u);
			if (index[root] < 0) {
				groups = xreallocarray(groups, ngroups + 1, sizeof(*groups));
				groups[ngroups] = (struct group){ root, 0, 0, 0 };
				index[root] = (int32_t)ngroups++;
			}
			groups[index[root]].victims += victims_called(g, u, seen, root + 1, &c);
			groups[index[root]].calls += c;
			groups[index[root]].phones++;
		}
		free(index);
	}
	sort_items(groups, ngroups, sizeof(*groups), cmp_group);
	for (size_t k = 0; k < ngroups; k++) {
		if (groups[k].victims < min_victims)
			continue;
		if (shown++ < (size_t)lim->max_results)
			json_array_append_new(list, group_json(g, v, parent, caller, &groups[k], 200));
	}
	*out = json_pack("{s:o,s:I,s:b}", "call_centers", list, "total", (json_int_t)shown,
		"truncated", truncated || shown > (size_t)lim->max_results);
	free(parent);
	free(caller);
	free(seen);
	free(victims);
	free(calls);
	free(groups);
	return 0;
}
