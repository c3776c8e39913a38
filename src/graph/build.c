/*
 * graph/build.c - the compact in-memory graph: nodes in arrays, edges in
 * CSR form (each node's edges in one contiguous run of adj), built by a
 * builder that collects edges and lays them out with a counting sort.
 * graph_load() reads identifiers, reports, cases, observations and flows
 * from the store in one read snapshot.
 *
 * Why not igraph (docs/internals/graph.md): the analyses need edge time and
 * amount on every step (time-respecting layering), node kinds and the
 * warning list; igraph keeps attributes in generic vectors beside a graph
 * of doubles, and its traversals have no way to skip an edge by time.
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "intel/intel.h"
#include "store/store.h"

struct arc {
	int64_t amount;
	uint32_t a, b, at;
	uint8_t kind;
};

struct graph_builder {
	struct graph *g;
	uint32_t cap;
	struct arc *arcs;
	size_t narcs, arcs_cap;
	uint64_t *pairs;   /* (a, b, kind) of IMEI and cell edges seen: each once */
	size_t pairs_cap, npairs;
};

struct graph_builder *graph_builder_new(void)
{
	struct graph_builder *b = xcalloc(1, sizeof(*b));

	b->g = xcalloc(1, sizeof(*b->g));
	return b;
}

static void grow_nodes(struct graph_builder *b)
{
	struct graph *g = b->g;

	b->cap = b->cap ? b->cap * 2 : 1024;
	g->kind = xreallocarray(g->kind, b->cap, sizeof(*g->kind));
	g->type = xreallocarray(g->type, b->cap, sizeof(*g->type));
	g->flags = xreallocarray(g->flags, b->cap, sizeof(*g->flags));
	g->ref = xreallocarray(g->ref, b->cap, sizeof(*g->ref));
	g->agency = xreallocarray(g->agency, b->cap, sizeof(*g->agency));
	g->owner = xreallocarray(g->owner, b->cap, sizeof(*g->owner));
	g->report_case = xreallocarray(g->report_case, b->cap, sizeof(*g->report_case));
	g->loss = xreallocarray(g->loss, b->cap, sizeof(*g->loss));
}

uint32_t graph_builder_node(struct graph_builder *b, enum graph_node_kind kind, int64_t ref,
	uint8_t type)
{
	struct graph *g = b->g;
	uint32_t v = g->n++;

	if (v == b->cap)
		grow_nodes(b);
	g->kind[v] = (uint8_t)kind;
	g->type[v] = type;
	g->flags[v] = 0;
	g->ref[v] = ref;
	g->agency[v] = 0;
	g->owner[v] = 0;
	g->report_case[v] = GRAPH_NONE;
	g->loss[v] = 0;
	return v;
}

void graph_builder_report(struct graph_builder *b, uint32_t node, int64_t agency, int64_t owner,
	int64_t loss)
{
	b->g->agency[node] = agency;
	b->g->owner[node] = owner;
	b->g->loss[node] = loss;
}

void graph_builder_case(struct graph_builder *b, uint32_t node, int64_t office)
{
	b->g->agency[node] = office;
}

void graph_builder_warn(struct graph_builder *b, uint32_t node)
{
	b->g->flags[node] |= GN_WARNED;
}

void graph_builder_close(struct graph_builder *b, uint32_t node)
{
	b->g->flags[node] |= GN_CLOSED;
}

/* True the first time (a, bnode, kind) is offered. */
static bool first_pair(struct graph_builder *b, uint32_t a, uint32_t bnode, uint8_t kind)
{
	uint64_t key = ((uint64_t)a << 32 | bnode) * 31 + kind + 1, h;

	if (b->npairs * 2 >= b->pairs_cap) {
		uint64_t *old = b->pairs;
		size_t oldcap = b->pairs_cap;
		b->pairs_cap = oldcap ? oldcap * 2 : 4096;
		b->pairs = xcalloc(b->pairs_cap, sizeof(*b->pairs));
		b->npairs = 0;
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i])
				continue;
			for (h = old[i] * 0x9e3779b97f4a7c15ULL; b->pairs[h & (b->pairs_cap - 1)]; h++)
				;
			b->pairs[h & (b->pairs_cap - 1)] = old[i];
			b->npairs++;
		}
		free(old);
	}
	for (h = key * 0x9e3779b97f4a7c15ULL;; h++) {
		uint64_t *slot = &b->pairs[h & (b->pairs_cap - 1)];
		if (*slot == key)
			return false;
		if (!*slot) {
			*slot = key;
			b->npairs++;
			return true;
		}
	}
}

void graph_builder_edge(struct graph_builder *b, uint32_t a, uint32_t bnode,
	enum graph_edge_kind kind, int64_t at, int64_t amount)
{
	struct arc *e;

	if (a == bnode)
		return;
	if ((kind == GE_IMEI || kind == GE_CELL) && !first_pair(b, a, bnode, (uint8_t)kind))
		return;
	if (kind == GE_IN_CASE)
		b->g->report_case[a] = bnode;
	if (b->narcs == b->arcs_cap) {
		b->arcs_cap = b->arcs_cap ? b->arcs_cap * 2 : 4096;
		b->arcs = xreallocarray(b->arcs, b->arcs_cap, sizeof(*b->arcs));
	}
	e = &b->arcs[b->narcs++];
	e->a = a;
	e->b = bnode;
	e->kind = (uint8_t)kind;
	e->at = at > 0 && at < UINT32_MAX ? (uint32_t)at : 0;
	e->amount = amount;
}

/* For a graph built by hand: identifier id → node from the nodes themselves. */
static void map_identifiers(struct graph *g)
{
	for (uint32_t v = 0; v < g->n; v++)
		if (g->kind[v] == GN_IDENT && g->ref[v] > g->max_ident)
			g->max_ident = g->ref[v];
	g->ident_node = xreallocarray(NULL, (size_t)g->max_ident + 1, sizeof(*g->ident_node));
	memset(g->ident_node, 0xff, ((size_t)g->max_ident + 1) * sizeof(*g->ident_node));
	for (uint32_t v = 0; v < g->n; v++)
		if (g->kind[v] == GN_IDENT && g->ref[v] > 0)
			g->ident_node[g->ref[v]] = v;
}

struct graph *graph_builder_finish(struct graph_builder *b)
{
	struct graph *g = b->g;
	uint64_t *fill;

	g->off = xcalloc((size_t)g->n + 1, sizeof(*g->off));
	for (size_t i = 0; i < b->narcs; i++) {
		g->off[b->arcs[i].a + 1]++;
		g->off[b->arcs[i].b + 1]++;
	}
	for (uint32_t v = 0; v < g->n; v++)
		g->off[v + 1] += g->off[v];
	g->nedges = g->off[g->n];
	g->adj = xreallocarray(NULL, g->nedges ? g->nedges : 1, sizeof(*g->adj));
	fill = xreallocarray(NULL, (size_t)g->n + 1, sizeof(*fill));
	memcpy(fill, g->off, ((size_t)g->n + 1) * sizeof(*fill));
	for (size_t i = 0; i < b->narcs; i++) {
		const struct arc *a = &b->arcs[i];
		struct graph_edge e = { a->amount, a->b, a->at, a->kind, 1 };
		g->adj[fill[a->a]++] = e;
		e.to = a->a;
		e.out = 0;
		g->adj[fill[a->b]++] = e;
	}
	free(fill);
	if (!g->ident_node)
		map_identifiers(g);
	free(b->arcs);
	free(b->pairs);
	free(b);
	return g;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	free(g->kind);
	free(g->type);
	free(g->flags);
	free(g->ref);
	free(g->agency);
	free(g->owner);
	free(g->report_case);
	free(g->loss);
	free(g->off);
	free(g->adj);
	free(g->ident_node);
	free(g->report_node);
	free(g->case_node);
	for (uint32_t i = 0; i < g->ncells; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g);
}

uint32_t graph_ident_node(const struct graph *g, int64_t id)
{
	return id > 0 && id <= g->max_ident && g->ident_node ? g->ident_node[id] : GRAPH_NONE;
}

/* ---- from the store ---- */

/* "YYYY-MM-DDTHH:MM:SSZ" → seconds; 0 when it is not that. */
static int64_t iso_seconds(const char *s)
{
	int y, mo, d, h, mi, se;
	int64_t days;

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
		return 0;
	/* days from civil (Howard Hinnant) */
	y -= mo <= 2;
	{
		int era = (y >= 0 ? y : y - 399) / 400;
		unsigned yoe = (unsigned)(y - era * 400);
		unsigned doy = (unsigned)((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
		unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days = (int64_t)era * 146097 + (int64_t)doe - 719468;
	}
	return days * 86400 + h * 3600 + mi * 60 + se;
}

static uint32_t *id_map(int64_t max)
{
	uint32_t *m = xreallocarray(NULL, (size_t)max + 1, sizeof(*m));

	memset(m, 0xff, ((size_t)max + 1) * sizeof(*m));
	return m;
}

static int64_t max_id(struct store_conn *c, const char *sql)
{
	int64_t v = 0;

	store_query_int64(c, &v, sql, "");
	return v;
}

static int load_identifiers(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct store_stmt *st = NULL;
	int ret = store_query(c, &st, "SELECT id, type FROM identifiers ORDER BY id", "");

	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		enum ident_type t = 0;
		ident_type_parse(store_col_text(st, 1), &t);
		if (id > g->max_ident)
			continue; /* stored after the maximum was read */
		g->ident_node[id] = graph_builder_node(b, GN_IDENT, id, (uint8_t)t);
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

static int load_cases(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct store_stmt *st = NULL;
	int ret = store_query(c, &st, "SELECT id, office_id, status FROM cases ORDER BY id", "");

	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		if (id > g->max_case)
			continue;
		g->case_node[id] = graph_builder_node(b, GN_CASE, id, 0);
		graph_builder_case(b, g->case_node[id], store_col_int64(st, 1));
		if (!strcmp(store_col_text(st, 2), "indicted") || !strcmp(store_col_text(st, 2), "closed"))
			graph_builder_close(b, g->case_node[id]);
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

static uint32_t map_get(const uint32_t *m, int64_t max, int64_t id)
{
	return id > 0 && id <= max ? m[id] : GRAPH_NONE;
}

static int load_reports(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct store_stmt *st = NULL;
	int ret = store_query(c, &st,
		"SELECT id, agency_id, created_by, loss_twd, COALESCE(case_id, 0),"
		" COALESCE(duplicate_of, 0) FROM reports ORDER BY id", "");

	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		int64_t id = store_col_int64(st, 0);
		uint32_t v, k, dup;
		if (id > g->max_report)
			continue;
		v = g->report_node[id] = graph_builder_node(b, GN_REPORT, id, 0);
		graph_builder_report(b, v, store_col_int64(st, 1), store_col_int64(st, 2),
			store_col_int64(st, 3));
		k = map_get(g->case_node, g->max_case, store_col_int64(st, 4));
		if (k != GRAPH_NONE)
			graph_builder_edge(b, v, k, GE_IN_CASE, 0, 0);
		dup = map_get(g->report_node, g->max_report, store_col_int64(st, 5));
		if (dup != GRAPH_NONE)
			graph_builder_edge(b, v, dup, GE_DUPLICATE, 0, 0);
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

static int load_observations(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct store_stmt *st = NULL;
	int ret = store_query(c, &st, "SELECT identifier_id, report_id, role FROM observations", "");

	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		uint32_t i = map_get(g->ident_node, g->max_ident, store_col_int64(st, 0));
		uint32_t r = map_get(g->report_node, g->max_report, store_col_int64(st, 1));
		bool victim = !strcmp(store_col_text(st, 2), "victim");
		if (i != GRAPH_NONE && r != GRAPH_NONE)
			graph_builder_edge(b, i, r, victim ? GE_VICTIM : GE_OBSERVED, 0, 0);
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

/* Cells by name → node, in an open-addressing table of the builder's. */
struct cell_table {
	uint32_t *slot; /* cell index, GRAPH_NONE for empty */
	size_t cap;
	size_t names_cap; /* of g->cells and the nodes array */
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return h;
}

static void cells_grow(struct graph_builder *b, struct cell_table *t)
{
	struct graph *g = b->g;

	free(t->slot);
	t->cap = t->cap ? t->cap * 2 : 1024;
	t->slot = xreallocarray(NULL, t->cap, sizeof(*t->slot));
	memset(t->slot, 0xff, t->cap * sizeof(*t->slot));
	for (uint32_t i = 0; i < g->ncells; i++) {
		size_t h = hash_text(g->cells[i]);
		while (t->slot[h & (t->cap - 1)] != GRAPH_NONE)
			h++;
		/* the cell's node: cells are numbered in the order their nodes were made */
		t->slot[h & (t->cap - 1)] = i;
	}
}

/* The node of cell name (made when new); t maps names to cell indexes. */
static uint32_t cell_node(struct graph_builder *b, struct cell_table *t, uint32_t **nodes,
	const char *name)
{
	struct graph *g = b->g;
	size_t h;

	if ((size_t)g->ncells * 2 >= t->cap)
		cells_grow(b, t);
	for (h = hash_text(name);; h++) {
		uint32_t i = t->slot[h & (t->cap - 1)];
		if (i == GRAPH_NONE)
			break;
		if (!strcmp(g->cells[i], name))
			return (*nodes)[i];
	}
	if (g->ncells == t->names_cap) {
		t->names_cap = t->names_cap ? t->names_cap * 2 : 16;
		g->cells = xreallocarray(g->cells, t->names_cap, sizeof(*g->cells));
		*nodes = xreallocarray(*nodes, t->names_cap, sizeof(**nodes));
	}
	g->cells[g->ncells] = xstrdup(name);
	(*nodes)[g->ncells] = graph_builder_node(b, GN_CELL, g->ncells, 0);
	t->slot[h & (t->cap - 1)] = g->ncells;
	return (*nodes)[g->ncells++];
}

static enum graph_edge_kind flow_edge(const char *kind)
{
	if (!strcmp(kind, "transfer"))
		return GE_TRANSFER;
	if (!strcmp(kind, "call"))
		return GE_CALL;
	if (!strcmp(kind, "resolution"))
		return GE_RESOLUTION;
	if (!strcmp(kind, "chain"))
		return GE_CHAIN;
	return GE_CONTACT;
}

static int load_flows(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct cell_table cells = { NULL, 0, 0 };
	uint32_t *cell_nodes = NULL;
	struct store_stmt *st = NULL;
	int ret = store_query(c, &st,
		"SELECT kind, src_id, dst_id, at, amount_twd, duration_s, COALESCE(imei_id, 0), cell"
		" FROM flows ORDER BY id", "");

	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		enum graph_edge_kind k = flow_edge(store_col_text(st, 0));
		uint32_t a = map_get(g->ident_node, g->max_ident, store_col_int64(st, 1));
		uint32_t d = map_get(g->ident_node, g->max_ident, store_col_int64(st, 2));
		uint32_t imei = map_get(g->ident_node, g->max_ident, store_col_int64(st, 6));
		const char *cell = store_col_text(st, 7);
		if (a == GRAPH_NONE || d == GRAPH_NONE)
			continue;
		graph_builder_edge(b, a, d, k, iso_seconds(store_col_text(st, 3)),
			k == GE_CALL ? store_col_int64(st, 5) : store_col_int64(st, 4));
		if (k == GE_CALL && imei != GRAPH_NONE)
			graph_builder_edge(b, a, imei, GE_IMEI, 0, 0);
		if (k == GE_CALL && *cell)
			graph_builder_edge(b, a, cell_node(b, &cells, &cell_nodes, cell), GE_CELL, 0, 0);
	}
	store_finish(st);
	free(cells.slot);
	free(cell_nodes);
	return ret < 0 ? ret : 0;
}

/* Mark the identifiers on the warning list: exact rows by SQL, ranges and domains by match. */
static int load_warned(struct store_conn *c, struct graph_builder *b)
{
	struct graph *g = b->g;
	struct intel_warning_set *ws = NULL;
	struct store_stmt *st = NULL;
	int ret = intel_warning_set_load(c, &ws);

	if (!ret)
		ret = store_query(c, &st,
			"SELECT id, type, value FROM identifiers WHERE type IN ('domain', 'url', 'email',"
			" 'ip') OR id IN (SELECT i.id FROM identifiers i JOIN warning_list w"
			" ON w.type = i.type AND w.value = i.value)", "");
	while (ret >= 0 && (ret = store_step(st)) == STORE_ROW) {
		uint32_t v = map_get(g->ident_node, g->max_ident, store_col_int64(st, 0));
		const char *value = store_col_text(st, 2);
		enum ident_type t;
		struct ident *id;
		if (v == GRAPH_NONE || ident_type_parse(store_col_text(st, 1), &t))
			continue;
		id = xmalloc(sizeof(*id));
		if (!ident_parse(id, t, value, strlen(value), NULL) && intel_warning_set_match(ws, id))
			graph_builder_warn(b, v);
		free(id);
	}
	store_finish(st);
	intel_warning_set_free(ws);
	return ret < 0 ? ret : 0;
}

int graph_load(struct store_conn *c, struct graph **out)
{
	struct graph_builder *b = graph_builder_new();
	struct graph *g = b->g;
	bool snapshot = store_begin_read(c) == 0;
	int ret;

	g->max_ident = max_id(c, "SELECT COALESCE(MAX(id), 0) FROM identifiers");
	g->max_report = max_id(c, "SELECT COALESCE(MAX(id), 0) FROM reports");
	g->max_case = max_id(c, "SELECT COALESCE(MAX(id), 0) FROM cases");
	g->ident_node = id_map(g->max_ident);
	g->report_node = id_map(g->max_report);
	g->case_node = id_map(g->max_case);
	ret = load_identifiers(c, b);
	if (!ret)
		ret = load_cases(c, b);
	if (!ret)
		ret = load_reports(c, b);
	if (!ret)
		ret = load_observations(c, b);
	if (!ret)
		ret = load_flows(c, b);
	if (!ret)
		ret = load_warned(c, b);
	if (snapshot)
		store_rollback(c);
	g = graph_builder_finish(b);
	if (ret) {
		graph_free(g);
		return ret;
	}
	*out = g;
	return 0;
}
